package devcluster

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// StateFile is the name of the file, in a fleet's directory, that records its processes.
const StateFile = "devcluster.json"

// tempDirPrefix starts the names of the temporary directories of fleets started without
// Options.Dir; fleets left behind by crashed test binaries are found by it.
const tempDirPrefix = "gitfleet-devcluster-"

// State is what a fleet records about itself in <Dir>/devcluster.json, rewritten whenever a
// process starts or stops, so that a fleet can be stopped by a program that did not start it.
type State struct {
	// OwnerPID and OwnerStartTime identify the program that started the fleet. When it no longer
	// runs and the fleet is not Detached, the fleet was left behind by a crash.
	OwnerPID       int    `json:"ownerPID"`
	OwnerStartTime uint64 `json:"ownerStartTime"`
	// Detached fleets outlive their owner on purpose (gitfleet dev up).
	Detached bool `json:"detached,omitempty"`
	// Dir is the fleet's directory.
	Dir string `json:"dir"`
	// RemoveDir says Dir was created for the fleet and goes with it; otherwise only Paths are
	// removed.
	RemoveDir bool `json:"removeDir,omitempty"`
	// Paths are the files and directories the fleet created in Dir.
	Paths []string `json:"paths"`
	// EtcdURL is the client URL of the shared etcd.
	EtcdURL string `json:"etcdURL,omitempty"`
	// Clusters describe the member clusters.
	Clusters []ClusterState `json:"clusters"`
	// Processes are the fleet's running processes, in start order.
	Processes []Process `json:"processes"`
}

// ClusterState describes one member cluster in the state file.
type ClusterState struct {
	Name        string `json:"name"`
	Server      string `json:"server"`
	Kubeconfig  string `json:"kubeconfig"`
	ServiceCIDR string `json:"serviceCIDR"`
}

// ReadState reads the state file of the fleet in dir. A state file that records another
// directory than the one it is in (copied or moved) is an error: the file decides which
// processes get killed and what gets removed.
func ReadState(dir string) (*State, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(abs, StateFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if filepath.Clean(s.Dir) != abs {
		return nil, fmt.Errorf("%s records the fleet directory %s, not the one it is in", path, s.Dir)
	}
	return &s, nil
}

// Running returns the recorded processes that still run.
func (s *State) Running() []Process {
	var out []Process
	for _, p := range s.Processes {
		if p.Running() {
			out = append(out, p)
		}
	}
	return out
}

func writeState(s *State) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(s.Dir, StateFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// StopRecorded stops the fleet recorded in dir's state file — every process it records that
// still runs — and removes what the fleet created there. It is how `gitfleet dev down` stops
// clusters that `gitfleet dev up` left running. A directory without a state file is an error
// wrapping fs.ErrNotExist.
func StopRecorded(dir string) error {
	s, err := ReadState(dir)
	if err != nil {
		return fmt.Errorf("no fleet recorded in %s: %w", dir, err)
	}
	return stopState(s)
}

// stopState kills every recorded process, all at once (their data is thrown away), waits
// until they are gone, and removes the fleet's files.
func stopState(s *State) error {
	errs := killAll(s.Processes)
	if len(errs) > 0 {
		// Keep the state file: it is the only way to find the survivors.
		return errors.Join(errs...)
	}
	return removeFleetFiles(s)
}

func killAll(procs []Process) []error {
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	for _, p := range procs {
		wg.Go(func() {
			if err := kill(p); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errs
}

func removeFleetFiles(s *State) error {
	if s.RemoveDir {
		return os.RemoveAll(s.Dir)
	}
	var errs []error
	for _, p := range s.Paths {
		// Only paths inside the fleet's directory: the state file is data, not a command.
		if rel, err := filepath.Rel(s.Dir, p); err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			errs = append(errs, fmt.Errorf("not removing %s: outside the fleet directory %s", p, s.Dir))
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, err)
		}
	}
	if err := os.Remove(filepath.Join(s.Dir, StateFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		errs = append(errs, err)
	}
	// The directory itself goes when nothing else is left in it.
	_ = os.Remove(s.Dir)
	return errors.Join(errs...)
}

// SweepAbandoned stops the fleets that programs which have since died left in temporary
// directories (a test binary killed by its timeout or a panic cannot run its cleanups) and
// returns how many it stopped. Detached fleets and fleets whose owner runs are left alone.
func SweepAbandoned() (int, error) {
	dirs, err := filepath.Glob(filepath.Join(os.TempDir(), tempDirPrefix+"*"))
	if err != nil {
		return 0, err
	}
	slices.Sort(dirs)
	var (
		stopped int
		errs    []error
	)
	for _, dir := range dirs {
		s, err := ReadState(dir)
		if err != nil || s.Detached || running(s.OwnerPID, s.OwnerStartTime) {
			continue
		}
		if err := stopState(s); err != nil {
			errs = append(errs, err)
			continue
		}
		stopped++
	}
	return stopped, errors.Join(errs...)
}
