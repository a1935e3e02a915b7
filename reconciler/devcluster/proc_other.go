//go:build !linux

package devcluster

import "errors"

// errNoProc is returned where process identities need Linux's /proc.
var errNoProc = errors.New("devcluster needs Linux (/proc) to track its processes")

func processStartTime(int) (uint64, error) { return 0, errNoProc }

func running(int, uint64) bool { return false }

func exists(Process) bool { return false }

func findChild(string, ...string) (int, error) { return 0, errNoProc }

func residentBytes(int) (int64, error) { return 0, errNoProc }
