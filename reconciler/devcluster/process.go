package devcluster

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Component names one kind of process in a fleet.
type Component string

// The components of a fleet.
const (
	ComponentEtcd              Component = "etcd"
	ComponentAPIServer         Component = "kube-apiserver"
	ComponentControllerManager Component = "kube-controller-manager"
	ComponentScheduler         Component = "kube-scheduler"
	ComponentKwok              Component = "kwok"
)

// Process is one running process of a fleet, as recorded in its state file.
type Process struct {
	// Component is what the process is.
	Component Component `json:"component"`
	// Cluster is the cluster it serves; empty for the shared etcd.
	Cluster string `json:"cluster,omitempty"`
	// PID is its process id, and its process group id: every process leads its own group, so
	// that killing the group also kills anything it started.
	PID int `json:"pid"`
	// StartTime is the process's start time in clock ticks since boot (/proc/<pid>/stat). With
	// the pid it identifies the process, so a recycled pid is never signalled.
	StartTime uint64 `json:"startTime"`
	// Binary is the executable's path.
	Binary string `json:"binary"`
	// Log is the file its stdout and stderr go to.
	Log string `json:"log"`
}

// Running reports whether the process is still running.
func (p Process) Running() bool { return running(p.PID, p.StartTime) }

// ResidentBytes returns the process's resident set size.
func (p Process) ResidentBytes() (int64, error) {
	if !p.Running() {
		return 0, fmt.Errorf("%s: not running", p)
	}
	return residentBytes(p.PID)
}

// String names the process for messages: "kube-apiserver of cluster a (pid 123)".
func (p Process) String() string {
	if p.Cluster == "" {
		return fmt.Sprintf("%s (pid %d)", p.Component, p.PID)
	}
	return fmt.Sprintf("%s of cluster %s (pid %d)", p.Component, p.Cluster, p.PID)
}

// launched is a process this program started itself; exited is closed once it has been
// reaped.
type launched struct {
	Process
	exited chan struct{}
}

// launch starts binary with args in its own process group, stdout and stderr appended to log.
// The process does not depend on this program: it survives its exit (Fleet.Detach).
func launch(component Component, cluster, binary, log string, args []string) (*launched, error) {
	out, err := openLog(log)
	if err != nil {
		return nil, err
	}
	// The child gets its own copy of the descriptor; ours is not needed after Start. A file,
	// not a pipe: a pipe would break, and kill the child with SIGPIPE, once this program exits.
	defer out.Close()
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", binary, err)
	}
	l := &launched{
		Process: Process{Component: component, Cluster: cluster, PID: cmd.Process.Pid, Binary: binary, Log: log},
		exited:  make(chan struct{}),
	}
	// The start time is read before the child can have been reaped: only the goroutine below
	// reaps it.
	l.StartTime, err = processStartTime(l.PID)
	go func() {
		_ = cmd.Wait()
		close(l.exited)
	}()
	if err != nil {
		_ = syscall.Kill(-l.PID, syscall.SIGKILL)
		<-l.exited
		return nil, fmt.Errorf("reading the start time of %s: %w", l.Process, err)
	}
	return l, nil
}

// adopt records a process that envtest started (a child of this program, its pid found by its
// arguments).
func adopt(component Component, cluster, binary, log string, args ...string) (Process, error) {
	pid, err := findChild(binary, args...)
	if err != nil {
		return Process{}, err
	}
	start, err := processStartTime(pid)
	if err != nil {
		return Process{}, err
	}
	return Process{Component: component, Cluster: cluster, PID: pid, StartTime: start, Binary: binary, Log: log}, nil
}

func openLog(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	return os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
}

// kill stops a process group at once and waits until the process is gone (and reaped, when
// it is a child of this program). Every caller throws the process's state away, or wants it to
// vanish as a crashed process would, so there is no graceful SIGTERM: an API server with
// watching clients takes a minute to shut down gracefully. A process that no longer runs is not
// an error.
func kill(p Process) error {
	if !p.Running() {
		return waitReaped(p)
	}
	if err := signalGroup(p.PID, syscall.SIGKILL); err != nil {
		return fmt.Errorf("killing %s: %w", p, err)
	}
	return waitReaped(p)
}

func signalGroup(pgid int, sig syscall.Signal) error {
	if err := syscall.Kill(-pgid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// waitReaped waits until the killed process is gone. A zombie whose parent is this program is
// waited for too: the goroutine that waits for it (ours, or envtest's) reaps it at once, and
// a test that looks for leftover child processes must not find it.
func waitReaped(p Process) error {
	deadline := time.Now().Add(10 * time.Second)
	for exists(p) {
		if time.Now().After(deadline) {
			return fmt.Errorf("%s still exists 10s after SIGKILL", p)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

// logTail returns the last lines of a log file, for error messages about a process that
// failed to start.
func logTail(path string, lines int) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	const maxBytes = 16 << 10
	if st, err := f.Stat(); err == nil && st.Size() > maxBytes {
		_, _ = f.Seek(st.Size()-maxBytes, io.SeekStart)
	}
	data, _ := io.ReadAll(f)
	data = bytes.TrimRight(data, "\n")
	all := strings.Split(string(data), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// startError wraps the failure to start a process with the tail of its log.
func startError(what string, log string, err error) error {
	tail := logTail(log, 20)
	if tail == "" {
		return fmt.Errorf("%s: %w (log %s is empty)", what, err, log)
	}
	return fmt.Errorf("%s: %w; last lines of %s:\n%s", what, err, log, indent(tail))
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
