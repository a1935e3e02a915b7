package syncer

import "github.com/gitfleet/gitfleet/api/v1alpha1"

// SyncStatus is what the status ref records of a cluster's last sync (clusters/<cluster>/
// sync.yaml on the hub, the sync of a pull agent's report): res and err as Sync returned
// them, previous the record before. A sync that did not run (res nil) keeps the previous
// applied commit and object count: nothing was changed. The heartbeat is the previous one;
// its owner refreshes it.
func SyncStatus(cluster string, res *Result, err error, previous *v1alpha1.ClusterSyncStatus) *v1alpha1.ClusterSyncStatus {
	if previous == nil {
		previous = &v1alpha1.ClusterSyncStatus{}
	}
	st := &v1alpha1.ClusterSyncStatus{Cluster: cluster, HeartbeatTime: previous.HeartbeatTime}
	st.APIVersion, st.Kind = v1alpha1.GitfleetGroupVersion.String(), "ClusterSyncStatus"
	if err != nil {
		st.Error = err.Error()
	}
	if res == nil {
		st.AppliedCommit, st.Objects = previous.AppliedCommit, previous.Objects
		return st
	}
	st.AppliedCommit = res.Commit
	for _, o := range res.Objects {
		switch o.Action {
		case ActionPruned, ActionSkipped:
			continue
		case ActionConflict, ActionFailed:
			st.Problems = append(st.Problems, v1alpha1.SyncProblem{Path: o.Path, Reason: o.Reason, Message: o.Message})
		}
		st.Objects++
	}
	return st
}
