//go:build linux

package devcluster

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// procStat is what /proc/<pid>/stat tells about a process.
type procStat struct {
	state     byte
	ppid      int
	startTime uint64 // clock ticks since boot: with the pid, the identity of a process
}

func readProcStat(pid int) (procStat, error) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return procStat{}, err
	}
	// The command name (field 2) is in parentheses and may hold spaces or parentheses itself:
	// the fields that follow start after the last ')'.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return procStat{}, fmt.Errorf("unexpected /proc/%d/stat: %q", pid, data)
	}
	fields := strings.Fields(string(data[i+1:]))
	// fields[0] is field 3 (state), fields[1] field 4 (ppid), fields[19] field 22 (starttime).
	if len(fields) < 20 || len(fields[0]) != 1 {
		return procStat{}, fmt.Errorf("unexpected /proc/%d/stat: %q", pid, data)
	}
	ppid, err := strconv.Atoi(fields[1])
	if err != nil {
		return procStat{}, fmt.Errorf("unexpected /proc/%d/stat: %w", pid, err)
	}
	start, err := strconv.ParseUint(fields[19], 10, 64)
	if err != nil {
		return procStat{}, fmt.Errorf("unexpected /proc/%d/stat: %w", pid, err)
	}
	return procStat{state: fields[0][0], ppid: ppid, startTime: start}, nil
}

func readCmdline(pid int) ([]string, error) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00"), nil
}

// processStartTime returns the start time of a live process, the second half of its identity.
func processStartTime(pid int) (uint64, error) {
	st, err := readProcStat(pid)
	if err != nil {
		return 0, err
	}
	return st.startTime, nil
}

// running reports whether the process with this pid and start time still runs. A zombie does
// not run: nothing is left of it but an exit status its parent has not collected yet.
func running(pid int, startTime uint64) bool {
	st, err := readProcStat(pid)
	return err == nil && st.startTime == startTime && st.state != 'Z' && st.state != 'X'
}

// exists reports whether the process with this pid and start time runs, or is a zombie this
// program has yet to reap.
func exists(p Process) bool {
	st, err := readProcStat(p.PID)
	if err != nil || st.startTime != p.StartTime {
		return false
	}
	return (st.state != 'Z' && st.state != 'X') || st.ppid == os.Getpid()
}

// findChild returns the pid of the live child of this process that runs binary with every
// one of args. envtest starts etcd and kube-apiserver without telling their pids; their
// listen addresses in args tell them apart.
func findChild(binary string, args ...string) (int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	self := os.Getpid()
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := readProcStat(pid)
		if err != nil || st.ppid != self || st.state == 'Z' {
			continue
		}
		argv, err := readCmdline(pid)
		if err != nil || len(argv) == 0 || argv[0] != binary {
			continue
		}
		if containsAll(argv[1:], args) {
			return pid, nil
		}
	}
	return 0, fmt.Errorf("no child process %s %s found", binary, strings.Join(args, " "))
}

func containsAll(have, want []string) bool {
	set := make(map[string]bool, len(have))
	for _, a := range have {
		set[a] = true
	}
	for _, a := range want {
		if !set[a] {
			return false
		}
	}
	return true
}

// residentBytes returns the resident set size of a process.
func residentBytes(pid int) (int64, error) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			fields := strings.Fields(rest)
			if len(fields) == 2 && fields[1] == "kB" {
				kb, err := strconv.ParseInt(fields[0], 10, 64)
				return kb * 1024, err
			}
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}
