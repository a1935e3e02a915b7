//go:build !unix

package main

import "os"

// peakRSS is unknown where processes have no rusage.
func peakRSS(*os.ProcessState) int64 { return 0 }
