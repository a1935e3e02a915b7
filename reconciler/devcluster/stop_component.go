package devcluster

import (
	"errors"
	"fmt"
	"slices"
)

// StopRecordedComponent kills the processes of one component of one cluster of the fleet
// recorded in dir — say the kube-apiserver of cluster "eu-1", as if it had crashed or become
// unreachable — waits until they are gone and removes them from the state file; every other
// process of the fleet keeps running. It is Cluster.StopAPIServer for a program that did not
// start the fleet (`gitfleet dev stop-apiserver`), so it stops only detached fleets, or fleets
// whose owner no longer runs: a running owner keeps its own copy of the state and would write
// the stopped process back. A process is signalled only when both its pid and its start time
// match the record, as for StopRecorded.
//
// It returns the processes it stopped; none when the component is not recorded any more (it was
// stopped before), which is not an error. A cluster the state file does not name is an error.
func StopRecordedComponent(dir, cluster string, component Component) ([]Process, error) {
	s, err := ReadState(dir)
	if err != nil {
		return nil, fmt.Errorf("no fleet recorded in %s: %w", dir, err)
	}
	if !slices.ContainsFunc(s.Clusters, func(c ClusterState) bool { return c.Name == cluster }) {
		names := make([]string, 0, len(s.Clusters))
		for _, c := range s.Clusters {
			names = append(names, c.Name)
		}
		return nil, fmt.Errorf("the fleet recorded in %s has no cluster %q (it has: %v)", dir, cluster, names)
	}
	if !s.Detached && running(s.OwnerPID, s.OwnerStartTime) {
		return nil, fmt.Errorf("the fleet recorded in %s is run by process %d: stop its component through that program", dir, s.OwnerPID)
	}
	var (
		stopped []Process
		killErr error
	)
	for _, p := range s.Processes {
		if p.Cluster != cluster || p.Component != component {
			continue
		}
		if killErr = kill(p); killErr != nil {
			break
		}
		stopped = append(stopped, p)
	}
	if len(stopped) > 0 {
		// Forget what is gone, even when another process of the component survived.
		s.Processes = slices.DeleteFunc(s.Processes, func(q Process) bool {
			return slices.Contains(stopped, q)
		})
		if err := writeState(s); err != nil {
			return stopped, errors.Join(killErr, fmt.Errorf("recording that %s stopped: %w", stopped[0], err))
		}
	}
	return stopped, killErr
}
