package clusterstatus

import (
	"fmt"
	"io/fs"
	"path"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// DecisionRow is one decision the hub has in force, for people: a taint it put on a
// cluster, an eviction in progress, or a descheduling reduction not yet rendered.
type DecisionRow struct {
	// Kind is "taint", "eviction" or "descheduling".
	Kind string
	// Cluster is the cluster the decision is about.
	Cluster string
	// Object names the workload (empty for a taint).
	Object string
	// What says what was decided: the taint, the eviction's reason and purge mode, or the
	// replica reduction.
	What string
	// Since is when it was decided (RFC 3339; empty when unknown).
	Since string
}

// readDecisions reads decisions/taints.yaml, evictions.yaml and descheduling.yaml.
func (s *Summary) readDecisions(fsys fs.FS) error {
	var taints v1alpha1.TaintDecisions
	if ok, err := readStatusFile(fsys, v1alpha1.TaintDecisionsFileName, &taints); err != nil {
		return err
	} else if ok {
		for _, c := range taints.Clusters {
			for _, t := range c.Taints {
				row := DecisionRow{Kind: "taint", Cluster: c.Cluster, What: t.ToString() + " (" + t.Reason + ")"}
				if t.TimeAdded != nil {
					row.Since = t.TimeAdded.UTC().Format("2006-01-02T15:04:05Z")
				}
				s.Decisions = append(s.Decisions, row)
			}
		}
	}
	var evictions v1alpha1.EvictionDecisions
	if ok, err := readStatusFile(fsys, v1alpha1.EvictionDecisionsFileName, &evictions); err != nil {
		return err
	} else if ok {
		for _, b := range evictions.Bindings {
			for _, t := range b.Tasks {
				row := DecisionRow{Kind: "eviction", Cluster: t.FromCluster, Object: path.Join(b.Resource.Kind, b.Resource.Namespace, b.Resource.Name),
					What: fmt.Sprintf("%s, purge %s", t.Reason, purgeModeOf(t))}
				if t.CreationTimestamp != nil {
					row.Since = t.CreationTimestamp.UTC().Format("2006-01-02T15:04:05Z")
				}
				s.Decisions = append(s.Decisions, row)
			}
		}
	}
	var reductions v1alpha1.DeschedulingDecisions
	if ok, err := readStatusFile(fsys, v1alpha1.DeschedulingDecisionsFileName, &reductions); err != nil {
		return err
	} else if ok {
		for _, r := range reductions.Reductions {
			s.Decisions = append(s.Decisions, DecisionRow{Kind: "descheduling", Cluster: r.Cluster,
				Object: path.Join(r.Resource.Kind, r.Resource.Namespace, r.Resource.Name),
				What:   fmt.Sprintf("replicas %d → %d (%d unschedulable)", r.FromReplicas, r.ToReplicas, r.Unschedulable),
				Since:  r.DecidedAt.UTC().Format("2006-01-02T15:04:05Z")})
		}
	}
	return nil
}

// purgeModeOf is a task's purge mode as it acts: empty is Gracefully.
func purgeModeOf(t v1alpha1.GracefulEvictionTask) v1alpha1.PurgeMode {
	if t.PurgeMode == "" {
		return v1alpha1.PurgeModeGracefully
	}
	return t.PurgeMode
}
