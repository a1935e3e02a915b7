package scheduler

import (
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/labels"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ClusterInfo is one member cluster as the scheduler sees it, with what every binding's
// scheduling reads precomputed once per snapshot.
type ClusterInfo struct {
	// Name is the cluster's name.
	Name string
	// Cluster is the cluster object (spec and status). The scheduler never modifies it.
	Cluster *v1alpha1.Cluster
	// Labels are the cluster's labels, as a selector-ready set.
	Labels labels.Set
	// FieldLabels are provider and region as a label set (keys only when non-empty), for
	// fieldSelector requirements other than zone (§1.1.1).
	FieldLabels labels.Set
	// Deleting is true when the cluster has a deletionTimestamp; it is skipped (§2.1).
	Deleting bool
	// APIsAssumed is true when the cluster has reported no status yet and the snapshot was
	// built with SnapshotOptions.AssumeAPIsWithoutStatus: the APIEnablement filter then
	// passes it.
	APIsAssumed bool
}

// SnapshotOptions tune how a snapshot sees its clusters.
type SnapshotOptions struct {
	// AssumeAPIsWithoutStatus treats a cluster that has reported no status yet (no
	// conditions and no apiEnablements) as serving every API. Karmada filters such a
	// cluster out (its API enablement is Unknown); gitfleet renders a fresh fleet before any
	// status exists, so the renderer sets this. Capacity is the estimator's concern
	// (Options.UnknownCapacityUnlimited).
	AssumeAPIsWithoutStatus bool
}

// Snapshot is an immutable view of the fleet's clusters, built once per render pass and
// shared by every binding scheduled in it.
type Snapshot struct {
	clusters []*ClusterInfo
	byName   map[string]*ClusterInfo
}

// NewSnapshot builds a snapshot of clusters (sorted by name; the input is not modified).
func NewSnapshot(clusters []*v1alpha1.Cluster) *Snapshot {
	return NewSnapshotWithOptions(clusters, SnapshotOptions{})
}

// NewSnapshotWithOptions builds a snapshot of clusters seen as opts says.
func NewSnapshotWithOptions(clusters []*v1alpha1.Cluster, opts SnapshotOptions) *Snapshot {
	s := &Snapshot{byName: make(map[string]*ClusterInfo, len(clusters))}
	for _, c := range clusters {
		info := &ClusterInfo{
			Name:        c.Name,
			Cluster:     c,
			Labels:      labels.Set(c.Labels),
			FieldLabels: labels.Set{},
			Deleting:    c.DeletionTimestamp != nil,
			APIsAssumed: opts.AssumeAPIsWithoutStatus && len(c.Status.Conditions) == 0 && len(c.Status.APIEnablements) == 0,
		}
		if c.Spec.Provider != "" {
			info.FieldLabels["provider"] = c.Spec.Provider
		}
		if c.Spec.Region != "" {
			info.FieldLabels["region"] = c.Spec.Region
		}
		s.clusters = append(s.clusters, info)
		s.byName[c.Name] = info
	}
	slices.SortFunc(s.clusters, func(a, b *ClusterInfo) int { return strings.Compare(a.Name, b.Name) })
	return s
}

// Clusters returns every cluster of the snapshot, sorted by name.
func (s *Snapshot) Clusters() []*ClusterInfo { return s.clusters }

// Get returns the cluster with the given name.
func (s *Snapshot) Get(name string) (*ClusterInfo, bool) {
	c, ok := s.byName[name]
	return c, ok
}
