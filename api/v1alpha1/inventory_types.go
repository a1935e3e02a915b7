package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// ClusterInventoryFileName is the name of the inventory file in every rendered
// karmada-es-<cluster>/ directory. A syncer or agent that finds a directory without it treats
// the tree as invalid and changes nothing.
const ClusterInventoryFileName = ".gitfleet-cluster.yaml"

// ClusterInterpreterFileName is, in each cluster's directory of a rendered tree whose source
// has ResourceInterpreterCustomizations, the customizations as a
// ResourceInterpreterCustomizationList: a pull agent, which reads only its directory,
// interprets its objects' health and status with them, as the hub does for Push clusters.
// It is not in the inventory: it is never applied.
const ClusterInterpreterFileName = ".gitfleet-interpreter.yaml"

// IsClusterMetadataFile reports whether a file of a cluster's directory, by its path in the
// directory, is gitfleet's own (the inventory, the interpreter customizations) rather than a
// manifest to apply.
func IsClusterMetadataFile(rel string) bool {
	return rel == ClusterInventoryFileName || rel == ClusterInterpreterFileName
}

// ClusterInventory lists every object rendered for one member cluster, with a digest of each
// manifest, so a syncer can tell what to apply and what to prune without reading every file.
// +kubebuilder:object:root=true
type ClusterInventory struct {
	metav1.TypeMeta `json:",inline"`
	// Cluster is the member cluster the directory is for.
	Cluster string `json:"cluster"`
	// Objects are the rendered objects, sorted by path.
	Objects []InventoryEntry `json:"objects"`
}

// InventoryEntry is one rendered object of a ClusterInventory.
type InventoryEntry struct {
	// APIVersion and Kind are the object's type.
	APIVersion string `json:"apiVersion"`
	// Kind is the object's kind.
	Kind string `json:"kind"`
	// Namespace is the object's namespace; empty for cluster-scoped objects.
	Namespace string `json:"namespace,omitempty"`
	// Name is the object's name.
	Name string `json:"name"`
	// Path is the manifest's path, relative to the cluster's directory.
	Path string `json:"path"`
	// Digest is "sha256:<hex>" of the manifest file's bytes.
	Digest string `json:"digest"`
}

// RenderProvenance is the .gitfleet/provenance.yaml file of a rendered tree: what it was
// rendered from. It names the source commit, never the status commit, so a status change
// that does not affect placement renders the same tree and makes no commit.
// +kubebuilder:object:root=true
type RenderProvenance struct {
	metav1.TypeMeta `json:",inline"`
	// SourceCommit is the source commit rendered; empty when rendered from a directory.
	SourceCommit string `json:"sourceCommit,omitempty"`
	// GitfleetVersion is the version of gitfleet that rendered the tree.
	GitfleetVersion string `json:"gitfleetVersion"`
}
