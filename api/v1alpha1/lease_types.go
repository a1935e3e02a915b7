package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// HubLeaseFileName is the one file of the lease ref (DESIGN §1, §2).
const HubLeaseFileName = "lease.yaml"

// HubLease is lease.yaml on the gitfleet/lease ref: which hub may write the fleet's refs, and
// since when. It follows coordination.k8s.io Lease's spec. The holder renews it by replacing
// the ref's one commit (compare-and-swap, no history); another hub takes the lease over only
// after it has seen the same commit, unrenewed, for LeaseDurationSeconds by its own clock, so
// the hubs' clocks need not agree.
// +kubebuilder:object:root=true
type HubLease struct {
	metav1.TypeMeta `json:",inline"`
	// HolderIdentity names the hub holding the lease; empty when its last holder released it
	// (any hub may then take it at once).
	HolderIdentity string `json:"holderIdentity,omitempty"`
	// LeaseDurationSeconds is how long the other hubs wait for a renewal before they take
	// the lease over.
	LeaseDurationSeconds int32 `json:"leaseDurationSeconds"`
	// AcquireTime is when the holder took the lease.
	AcquireTime *metav1.MicroTime `json:"acquireTime,omitempty"`
	// RenewTime is the holder's last renewal, by the holder's clock.
	RenewTime *metav1.MicroTime `json:"renewTime,omitempty"`
	// LeaseTransitions counts the times the lease changed holder.
	LeaseTransitions int32 `json:"leaseTransitions,omitempty"`
}
