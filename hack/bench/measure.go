package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// usage is what one measured run cost.
type usage struct {
	wall time.Duration
	// cpu is user+sys time.
	cpu time.Duration
	// peakRSS is the peak resident set size in bytes (0: unknown on this platform).
	peakRSS int64
}

// add sums wall and CPU time and keeps the larger peak: the cost of runs one after another.
func (u usage) add(o usage) usage {
	return usage{wall: u.wall + o.wall, cpu: u.cpu + o.cpu, peakRSS: max(u.peakRSS, o.peakRSS)}
}

// measured runs a command to completion and returns its standard output and what it cost.
// A failure carries the tail of its standard error.
func measured(dir, name string, args ...string) ([]byte, usage, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	u := usage{wall: time.Since(start)}
	if ps := cmd.ProcessState; ps != nil {
		u.cpu = ps.UserTime() + ps.SystemTime()
		u.peakRSS = peakRSS(ps)
	}
	if err != nil {
		return nil, u, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, tail(stderr.String(), 20))
	}
	return stdout.Bytes(), u, nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
