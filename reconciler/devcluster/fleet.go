package devcluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// envtestStopTimeout bounds envtest's own stop of a process that failed to start.
const envtestStopTimeout = 5 * time.Second

// Fleet is a set of running member clusters that share one etcd.
type Fleet struct {
	// Clusters are the member clusters, in the order Options.Clusters named them.
	Clusters []*Cluster
	// Dir is the fleet's directory (Options.Dir, or the temporary directory made for it).
	Dir string
	// EtcdURL is the client URL of the shared etcd.
	EtcdURL string

	opts Options
	bins binaries
	etcd *envtest.Etcd

	mu      sync.Mutex // guards state and stopped
	state   State
	stopped bool
}

// Start starts etcd and the API server of every cluster (and, with Options.Workloads, their
// controller manager, scheduler, kwok and fake nodes) and returns once every cluster serves
// requests, its "default" namespace exists and, with Workloads, its fake nodes are Ready and
// its controller manager runs. The clusters start concurrently. When anything fails, what was
// started is stopped again and the error carries the failing tool's last log lines.
//
// A missing binary is an error matching ErrBinaryMissing that says to run `make tools`.
func Start(ctx context.Context, opts Options) (*Fleet, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	bins, err := resolveBinaries(opts.BinDir, opts.Workloads)
	if err != nil {
		return nil, err
	}
	dir, removeDir, err := fleetDir(opts.Dir)
	if err != nil {
		return nil, err
	}
	ownerStart, err := processStartTime(os.Getpid())
	if err != nil {
		return nil, err
	}
	f := &Fleet{
		Dir:  dir,
		opts: opts,
		bins: bins,
		state: State{
			OwnerPID:       os.Getpid(),
			OwnerStartTime: ownerStart,
			Dir:            dir,
			RemoveDir:      removeDir,
		},
	}
	if err := f.saveState(); err != nil {
		return nil, err
	}
	if err := f.start(ctx); err != nil {
		return nil, errors.Join(err, f.Stop())
	}
	return f, nil
}

// fleetDir returns the absolute fleet directory for Options.Dir, creating it (a temporary one
// for ""), and refuses a directory where a recorded fleet still runs.
func fleetDir(dir string) (string, bool, error) {
	if dir == "" {
		tmp, err := os.MkdirTemp("", tempDirPrefix+"*")
		return tmp, true, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false, err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return "", false, err
	}
	if s, err := ReadState(abs); err == nil {
		if live := s.Running(); len(live) > 0 {
			return "", false, fmt.Errorf("a fleet still runs in %s (%s, …): stop it first (gitfleet dev down --state-dir %s)", abs, live[0], dir)
		}
		// A fleet that ended without cleaning up (its machine rebooted, say): clear its files.
		if err := removeFleetFiles(s); err != nil {
			return "", false, fmt.Errorf("clearing the previous fleet in %s: %w", abs, err)
		}
	}
	return abs, false, nil
}

func (f *Fleet) start(ctx context.Context) error {
	if err := f.startEtcd(); err != nil {
		return err
	}
	f.addPath(filepath.Join(f.Dir, "clusters"))
	for i, name := range f.opts.Clusters {
		f.Clusters = append(f.Clusters, newCluster(f, i, name))
	}
	errs := make([]error, len(f.Clusters))
	var wg sync.WaitGroup
	for i, c := range f.Clusters {
		wg.Go(func() { errs[i] = c.start(ctx) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (f *Fleet) startEtcd() error {
	etcdDir := filepath.Join(f.Dir, "etcd")
	f.addPath(etcdDir)
	log := filepath.Join(etcdDir, "etcd.log")
	out, err := openLog(log)
	if err != nil {
		return err
	}
	defer out.Close()
	f.etcd = &envtest.Etcd{
		Path:         f.bins.etcd,
		DataDir:      filepath.Join(etcdDir, "data"),
		StartTimeout: f.opts.StartTimeout,
		StopTimeout:  envtestStopTimeout,
		Out:          out,
		Err:          out,
	}
	if err := os.MkdirAll(f.etcd.DataDir, 0o700); err != nil {
		return err
	}
	startErr := f.etcd.Start()
	if f.etcd.URL == nil { // envtest failed before choosing an address: nothing started
		return fmt.Errorf("starting etcd: %w", startErr)
	}
	f.EtcdURL = f.etcd.URL.String()
	p, err := adopt(ComponentEtcd, "", f.bins.etcd, log, "--listen-client-urls="+f.EtcdURL)
	if startErr != nil || err != nil {
		if err == nil {
			_ = kill(p)
		}
		_ = f.etcd.Stop()
		if startErr != nil {
			return startError("starting etcd", log, startErr)
		}
		return fmt.Errorf("finding the etcd process: %w", err)
	}
	f.mu.Lock()
	f.state.EtcdURL = f.EtcdURL
	f.mu.Unlock()
	return f.recordProcess(p)
}

// Cluster returns the cluster with this name, or nil.
func (f *Fleet) Cluster(name string) *Cluster {
	for _, c := range f.Clusters {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Processes returns the fleet's running processes, in start order.
func (f *Fleet) Processes() []Process {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.state.Processes)
}

// Stop kills every process of the fleet, waits until they are gone and removes what the fleet
// created in its directory (the whole directory when it was a temporary one). The fleet's data
// is thrown away, so processes are killed outright rather than shut down gracefully. Calling
// Stop again does nothing.
func (f *Fleet) Stop() error {
	f.mu.Lock()
	if f.stopped {
		f.mu.Unlock()
		return nil
	}
	f.stopped = true
	s := f.snapshotLocked()
	f.mu.Unlock()
	return stopState(&s)
}

// Detach leaves the fleet running after this program exits: it is recorded as detached, so
// that SweepAbandoned leaves it alone, and is stopped later with StopRecorded(f.Dir). The Fleet
// must not be used afterwards.
func (f *Fleet) Detach() error {
	f.mu.Lock()
	f.stopped = true
	f.state.Detached = true
	f.mu.Unlock()
	return f.saveState()
}

// recordProcess adds a started process to the state file.
func (f *Fleet) recordProcess(p Process) error {
	f.mu.Lock()
	f.state.Processes = append(f.state.Processes, p)
	f.mu.Unlock()
	return f.saveState()
}

// forgetProcess removes a stopped process from the state file.
func (f *Fleet) forgetProcess(p Process) error {
	f.mu.Lock()
	f.state.Processes = slices.DeleteFunc(f.state.Processes, func(q Process) bool {
		return q.PID == p.PID && q.StartTime == p.StartTime
	})
	f.mu.Unlock()
	return f.saveState()
}

// addPath records a file or directory the fleet creates, before it is created.
func (f *Fleet) addPath(path string) {
	f.mu.Lock()
	f.state.Paths = append(f.state.Paths, path)
	f.mu.Unlock()
}

func (f *Fleet) recordCluster(cs ClusterState) error {
	f.mu.Lock()
	f.state.Clusters = append(f.state.Clusters, cs)
	slices.SortFunc(f.state.Clusters, func(a, b ClusterState) int {
		return slices.Index(f.opts.Clusters, a.Name) - slices.Index(f.opts.Clusters, b.Name)
	})
	f.mu.Unlock()
	return f.saveState()
}

// saveState writes the state file. Writes are serialised so that the file always holds the
// latest state.
func (f *Fleet) saveState() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.snapshotLocked()
	return writeState(&s)
}

func (f *Fleet) snapshotLocked() State {
	s := f.state
	s.Paths = slices.Clone(s.Paths)
	s.Clusters = slices.Clone(s.Clusters)
	s.Processes = slices.Clone(s.Processes)
	return s
}
