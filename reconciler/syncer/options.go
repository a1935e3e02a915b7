package syncer

import "time"

const (
	// FieldManager is the server-side apply field manager gitfleet applies with.
	FieldManager = "gitfleet"
	// ManagedLabel, with value ManagedLabelValue, marks an object in a member cluster as
	// created by gitfleet. Only gitfleet's own objects are updated without conflict
	// resolution Overwrite, and only labelled objects are ever pruned. The label is added at
	// apply time, never in Git, so identical manifests stay identical blobs.
	ManagedLabel = "gitfleet.io/managed"
	// ManagedLabelValue is the value of ManagedLabel.
	ManagedLabelValue = "true"
	// DefaultInventoryNamespace is where the in-cluster inventory lives.
	DefaultInventoryNamespace = "gitfleet-system"
	// DefaultInventoryName is the name of the in-cluster inventory ConfigMap.
	DefaultInventoryName = "gitfleet-inventory"
)

// Options configure a Syncer. Start from DefaultOptions.
type Options struct {
	// Cluster is the member cluster's name. When set, a directory whose inventory names
	// another cluster is refused: applying a neighbour's manifests is never what was meant.
	Cluster string

	// FieldManager is the server-side apply field manager. Defaults to FieldManager.
	FieldManager string

	// InventoryNamespace and InventoryName locate the ConfigMap that records what gitfleet
	// applied to the cluster (objects, manifest digests, last applied rendered commit). Tests
	// sharing one API server use one name each; two hubs must never share a cluster.
	InventoryNamespace string
	// InventoryName is the name of the inventory ConfigMap.
	InventoryName string

	// QPS and Burst size the one client-side rate limiter shared by every request to the
	// cluster. client-go's default (5/10) turns a 1,000-object sync into minutes; a local
	// API server handles ~300-380 apply requests/s (BENCHMARKS.md).
	QPS float32
	// Burst is the rate limiter's burst.
	Burst int

	// Workers bounds how many requests a sync has in flight (LISTs, applies, deletions).
	Workers int

	// WaitInterval and WaitTimeout bound the wait for applied CRDs to become Established
	// before the objects that may depend on them are applied.
	WaitInterval time.Duration
	// WaitTimeout is how long to wait for CRDs before applying the rest anyway.
	WaitTimeout time.Duration

	// Force recreates an object whose change touches immutable fields (a Deployment's
	// selector, say) instead of reporting the apply as failed. Off by default: deleting a
	// workload is a decision a human should see first.
	Force bool
}

// DefaultOptions returns the options a hub uses for a Push cluster.
func DefaultOptions() Options {
	return Options{
		FieldManager:       FieldManager,
		InventoryNamespace: DefaultInventoryNamespace,
		InventoryName:      DefaultInventoryName,
		QPS:                200,
		Burst:              400,
		Workers:            16,
		WaitInterval:       200 * time.Millisecond,
		WaitTimeout:        time.Minute,
	}
}

// withDefaults fills every zero field from DefaultOptions.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.FieldManager == "" {
		o.FieldManager = d.FieldManager
	}
	if o.InventoryNamespace == "" {
		o.InventoryNamespace = d.InventoryNamespace
	}
	if o.InventoryName == "" {
		o.InventoryName = d.InventoryName
	}
	if o.QPS <= 0 {
		o.QPS = d.QPS
	}
	if o.Burst <= 0 {
		o.Burst = d.Burst
	}
	if o.Workers <= 0 {
		o.Workers = d.Workers
	}
	if o.WaitInterval <= 0 {
		o.WaitInterval = d.WaitInterval
	}
	if o.WaitTimeout <= 0 {
		o.WaitTimeout = d.WaitTimeout
	}
	return o
}
