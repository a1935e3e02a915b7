package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Files of the status tree (DESIGN §1.3) that gitfleet defines itself.
const (
	// RenderStatusFileName is the status tree's record of the last render attempt.
	RenderStatusFileName = "render.yaml"
	// ClusterSyncFileName is, under clusters/<cluster>/, the record of the last sync of
	// that cluster.
	ClusterSyncFileName = "sync.yaml"
)

// RenderResult says how a render attempt ended.
type RenderResult string

const (
	// RenderSucceeded: the source rendered; the rendered ref holds its tree.
	RenderSucceeded RenderResult = "Succeeded"
	// RenderFailed: the source is invalid; the rendered ref was left where it was.
	RenderFailed RenderResult = "Failed"
)

// RenderStatus is render.yaml on the status ref: the last render attempt, and where the
// rendered ref stands. It holds no times, so the same attempt records the same bytes.
// +kubebuilder:object:root=true
type RenderStatus struct {
	metav1.TypeMeta `json:",inline"`
	// SourceCommit is the source commit the attempt rendered.
	SourceCommit string `json:"sourceCommit"`
	// Result is Succeeded or Failed.
	Result RenderResult `json:"result"`
	// RenderedCommit is the rendered ref's commit after the attempt: the new render, or the
	// last good one when the attempt failed (empty when there is none).
	RenderedCommit string `json:"renderedCommit,omitempty"`
	// Errors are the problems of a failed attempt, each at its file and line.
	Errors []RenderError `json:"errors,omitempty"`
}

// RenderError is one problem of a failed render.
type RenderError struct {
	// Path and Line locate the problem in the source tree (Line 0: unknown).
	Path string `json:"path"`
	// Line is the 1-based line in Path.
	Line int `json:"line,omitempty"`
	// Object names the object concerned ("PropagationPolicy/shop/web"), when there is one.
	Object string `json:"object,omitempty"`
	// Message says what is wrong.
	Message string `json:"message"`
}

// ClusterSyncStatus is clusters/<cluster>/sync.yaml on the status ref: what the last sync of
// a Push cluster applied. Counts of work done in one cycle (objects applied, requests) are
// left out: they change every cycle, and a status that changes every cycle is noise.
// +kubebuilder:object:root=true
type ClusterSyncStatus struct {
	metav1.TypeMeta `json:",inline"`
	// Cluster is the member cluster.
	Cluster string `json:"cluster"`
	// AppliedCommit is the rendered commit the cluster was last synced to (empty when no
	// sync has reached it).
	AppliedCommit string `json:"appliedCommit,omitempty"`
	// Objects is how many objects the cluster's directory holds.
	Objects int `json:"objects"`
	// HeartbeatTime is when the hub last reached the cluster. It is refreshed only once it
	// is older than the FleetConfig's status.heartbeatInterval, so that a healthy fleet
	// commits its status that rarely rather than every cycle.
	HeartbeatTime *metav1.Time `json:"heartbeatTime,omitempty"`
	// Error is why the last sync did not run or did not finish (unreachable cluster, no
	// credentials, an invalid directory).
	Error string `json:"error,omitempty"`
	// Problems are the objects that were not applied: conflicts with objects gitfleet did
	// not create, and failures.
	Problems []SyncProblem `json:"problems,omitempty"`
}

// SyncProblem is one object a sync did not apply.
type SyncProblem struct {
	// Path is the manifest's path in the cluster's directory.
	Path string `json:"path"`
	// Reason is a CamelCase reason (NotManagedByGitfleet, ApplyFailed, ...).
	Reason string `json:"reason"`
	// Message says more.
	Message string `json:"message,omitempty"`
}

// Files of a pull agent's report ref, gitfleet/agents/<cluster> (DESIGN §1).
const (
	// AgentReportFileName is the report itself: heartbeat and the last sync.
	AgentReportFileName = "report.yaml"
	// AgentReportBranchPrefix prefixes a cluster's name to form its report ref.
	AgentReportBranchPrefix = "gitfleet/agents/"
)

// AgentReport is report.yaml on a pull agent's report ref: when the agent last reported,
// which rendered commit it read and what its last sync applied. The cluster's status, nodes
// and objects sit beside it, in the files clusterstatus.EncodeReport writes. Each report
// replaces the previous one (the ref keeps no history).
// +kubebuilder:object:root=true
type AgentReport struct {
	metav1.TypeMeta `json:",inline"`
	// Cluster is the member cluster the agent runs in.
	Cluster string `json:"cluster"`
	// AgentVersion is the agent's gitfleet version.
	AgentVersion string `json:"agentVersion,omitempty"`
	// HeartbeatTime is when the agent made the report, by its own clock. The hub does not
	// compare it with its clock: it times a cluster's silence from when it sees the report
	// ref change.
	HeartbeatTime metav1.Time `json:"heartbeatTime"`
	// ObservedCommit is the rendered commit the agent read last (empty when it could read
	// none).
	ObservedCommit string `json:"observedCommit,omitempty"`
	// Sync is the agent's last sync, as the hub records a Push cluster's.
	Sync ClusterSyncStatus `json:"sync"`
}

// ClusterNodesKind is the kind of the clusters/<cluster>/nodes.yaml file.
const ClusterNodesKind = "ClusterNodes"

// ClusterNodes is clusters/<cluster>/nodes.yaml: per node, its allocatable and what the pods
// scheduled to it request (rounded: allocatable down, requests up), and the labels and
// taints a replica's nodeSelector, node affinity and tolerations are matched against, for
// the node-by-node estimator.
type ClusterNodes struct {
	// Cluster is the member cluster.
	Cluster string `json:"cluster"`
	// Nodes are the member's nodes, sorted by name.
	Nodes []NodeResources `json:"nodes"`
}

// NodeResources is one node of a ClusterNodes file.
type NodeResources struct {
	// Name is the node's name.
	Name string `json:"name"`
	// Ready says whether the node's Ready condition is True.
	Ready bool `json:"ready"`
	// Unschedulable mirrors spec.unschedulable (a cordoned node).
	Unschedulable bool `json:"unschedulable,omitempty"`
	// Labels are the node's labels.
	Labels map[string]string `json:"labels,omitempty"`
	// Taints are the node's taints, sorted by key, effect and value, without timeAdded: the
	// estimator only asks whether a replica tolerates them, and the node lifecycle
	// controller's stamps would otherwise be the only thing to change in the file.
	Taints []corev1.Taint `json:"taints,omitempty"`
	// Allocatable is the node's allocatable, rounded down.
	Allocatable corev1.ResourceList `json:"allocatable,omitempty"`
	// Requested sums the requests of the non-terminated pods bound to the node (and counts
	// them under "pods"), rounded up.
	Requested corev1.ResourceList `json:"requested,omitempty"`
}
