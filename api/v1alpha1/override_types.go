package v1alpha1

import (
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Kind names of the override policies, as they appear in a manifest's `kind` field.
const (
	// ResourceKindOverridePolicy is the kind of OverridePolicy.
	ResourceKindOverridePolicy = "OverridePolicy"
	// ResourceKindClusterOverridePolicy is the kind of ClusterOverridePolicy.
	ResourceKindClusterOverridePolicy = "ClusterOverridePolicy"
)

// OverridePolicy changes resource templates of its namespace per member cluster before they
// are sent there. It is read from `policy.karmada.io/v1alpha1` (short name `op`).
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:path=overridepolicies,scope=Namespaced,shortName=op
type OverridePolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec says which templates are changed, on which clusters, and how.
	// +required
	Spec OverrideSpec `json:"spec"`
}

// OverridePolicyList is a list of OverridePolicy objects.
//
// +kubebuilder:object:root=true
type OverridePolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	// Items are the listed policies.
	Items []OverridePolicy `json:"items"`
}

// ClusterOverridePolicy is the cluster-scoped variant of OverridePolicy: it may change
// cluster-scoped templates and templates in any namespace. It is read from
// `policy.karmada.io/v1alpha1` (short name `cop`).
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:path=clusteroverridepolicies,scope=Cluster,shortName=cop
type ClusterOverridePolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec says which templates are changed, on which clusters, and how.
	// +required
	Spec OverrideSpec `json:"spec"`
}

// ClusterOverridePolicyList is a list of ClusterOverridePolicy objects.
//
// +kubebuilder:object:root=true
type ClusterOverridePolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	// Items are the listed policies.
	Items []ClusterOverridePolicy `json:"items"`
}

// OverrideSpec is the body shared by OverridePolicy and ClusterOverridePolicy.
type OverrideSpec struct {
	// ResourceSelectors choose the templates the policy changes. Unlike propagation policies,
	// an empty list matches every template.
	// +optional
	ResourceSelectors []ResourceSelector `json:"resourceSelectors,omitempty"`

	// OverrideRules are applied in order; each changes the templates on the clusters its
	// target matches.
	// +optional
	OverrideRules []RuleWithCluster `json:"overrideRules,omitempty"`

	// TargetCluster is the cluster filter of the single legacy rule.
	//
	// Deprecated: use OverrideRules. It cannot be combined with OverrideRules.
	// +optional
	TargetCluster *ClusterAffinity `json:"targetCluster,omitempty"`

	// Overriders are the changes of the single legacy rule.
	//
	// Deprecated: use OverrideRules. It cannot be combined with OverrideRules.
	// +optional
	Overriders Overriders `json:"overriders"`
}

// RuleWithCluster pairs a cluster filter with the changes made on the matched clusters.
type RuleWithCluster struct {
	// TargetCluster selects the clusters the rule applies to; nil means every cluster.
	// +optional
	TargetCluster *ClusterAffinity `json:"targetCluster,omitempty"`

	// Overriders are the changes made on the matched clusters.
	// +required
	Overriders Overriders `json:"overriders"`
}

// Overriders lists changes to a manifest. Whatever the order in YAML they are applied as
// image, command, args, labels, annotations, field and finally plaintext overriders.
type Overriders struct {
	// Plaintext are raw JSON-patch operations, applied together as one patch.
	// +optional
	Plaintext []PlaintextOverrider `json:"plaintext,omitempty"`

	// ImageOverrider rewrites parts of container images.
	// +optional
	ImageOverrider []ImageOverrider `json:"imageOverrider,omitempty"`

	// CommandOverrider changes container commands.
	// +optional
	CommandOverrider []CommandArgsOverrider `json:"commandOverrider,omitempty"`

	// ArgsOverrider changes container arguments.
	// +optional
	ArgsOverrider []CommandArgsOverrider `json:"argsOverrider,omitempty"`

	// LabelsOverrider changes the manifest's labels.
	// +optional
	LabelsOverrider []LabelAnnotationOverrider `json:"labelsOverrider,omitempty"`

	// AnnotationsOverrider changes the manifest's annotations.
	// +optional
	AnnotationsOverrider []LabelAnnotationOverrider `json:"annotationsOverrider,omitempty"`

	// FieldOverrider patches a JSON or YAML document embedded in a string field, such as a
	// configuration file held in a ConfigMap.
	// +optional
	FieldOverrider []FieldOverrider `json:"fieldOverrider,omitempty"`
}

// LabelAnnotationOverrider adds, replaces or removes labels or annotations.
type LabelAnnotationOverrider struct {
	// Operator is add, remove or replace. Replace and remove only touch keys that exist.
	// +required
	// +kubebuilder:validation:Enum=add;remove;replace
	Operator OverriderOperator `json:"operator"`

	// Value holds the keys to change and, for add and replace, their new values.
	// +required
	Value map[string]string `json:"value"`
}

// ImageOverrider rewrites one component of container images.
type ImageOverrider struct {
	// Predicate picks the image field to rewrite. Without it every container image of a Pod,
	// ReplicaSet, Deployment, DaemonSet, StatefulSet or Job is rewritten.
	// +optional
	Predicate *ImagePredicate `json:"predicate,omitempty"`

	// Component is the part of the image reference to change: Registry, Repository or Tag.
	// +required
	// +kubebuilder:validation:Enum=Registry;Repository;Tag
	Component ImageComponent `json:"component"`

	// Operator is add (append Value to the component), remove or replace.
	// +required
	// +kubebuilder:validation:Enum=add;remove;replace
	Operator OverriderOperator `json:"operator"`

	// Value is the text added or the replacement; ignored for remove.
	// +optional
	Value string `json:"value,omitempty"`
}

// ImagePredicate locates the image field an ImageOverrider rewrites.
type ImagePredicate struct {
	// Path is a JSON pointer to the image string, such as
	// "/spec/template/spec/containers/0/image".
	// +required
	Path string `json:"path"`
}

// ImageComponent names a part of a container image reference.
type ImageComponent string

const (
	// Registry is the registry host of an image, such as "registry.k8s.io".
	Registry ImageComponent = "Registry"
	// Repository is the repository path of an image, such as "kube-apiserver".
	Repository ImageComponent = "Repository"
	// Tag is the tag (or digest) of an image, such as "v1.30.0".
	Tag ImageComponent = "Tag"
)

// CommandArgsOverrider appends to, or removes from, the command or args of named containers.
type CommandArgsOverrider struct {
	// ContainerName names the containers to change.
	// +required
	ContainerName string `json:"containerName"`

	// Operator is add (append Value) or remove (drop every element equal to one in Value).
	// +required
	// +kubebuilder:validation:Enum=add;remove
	Operator OverriderOperator `json:"operator"`

	// Value holds the elements added or removed.
	// +optional
	Value []string `json:"value,omitempty"`
}

// PlaintextOverrider is one raw JSON-patch operation.
type PlaintextOverrider struct {
	// Path is the JSON pointer of the field to change.
	// +required
	Path string `json:"path"`

	// Operator is the JSON-patch operation: add, remove or replace.
	// +required
	// +kubebuilder:validation:Enum=add;remove;replace
	Operator OverriderOperator `json:"operator"`

	// Value is the new value, any JSON; ignored for remove.
	// +optional
	Value apiextensionsv1.JSON `json:"value,omitempty"`
}

// OverriderOperator is the operation an overrider performs.
type OverriderOperator string

const (
	// OverriderOpAdd adds (or appends) the value.
	OverriderOpAdd OverriderOperator = "add"
	// OverriderOpRemove removes the value.
	OverriderOpRemove OverriderOperator = "remove"
	// OverriderOpReplace replaces the current value.
	OverriderOpReplace OverriderOperator = "replace"
)

// FieldOverrider patches a JSON or YAML document stored in a string field of the manifest.
// Exactly one of JSON and YAML must be set.
type FieldOverrider struct {
	// FieldPath is the JSON pointer of the string field holding the document, such as
	// "/data/config.yaml".
	// +required
	FieldPath string `json:"fieldPath"`

	// JSON are patch operations on a JSON document.
	// +optional
	JSON []JSONPatchOperation `json:"json,omitempty"`

	// YAML are patch operations on a YAML document.
	// +optional
	YAML []YAMLPatchOperation `json:"yaml,omitempty"`
}

// JSONPatchOperation is one patch operation on an embedded JSON document.
type JSONPatchOperation struct {
	// SubPath is the JSON pointer of the field to change inside the embedded document.
	// +required
	SubPath string `json:"subPath"`

	// Operator is add, remove or replace.
	// +required
	// +kubebuilder:validation:Enum=add;remove;replace
	Operator OverriderOperator `json:"operator"`

	// Value is the new value; required for add and replace, forbidden for remove.
	// +optional
	Value apiextensionsv1.JSON `json:"value,omitempty"`
}

// YAMLPatchOperation is one patch operation on an embedded YAML document.
type YAMLPatchOperation struct {
	// SubPath is the JSON pointer of the field to change inside the embedded document.
	// +required
	SubPath string `json:"subPath"`

	// Operator is add, remove or replace.
	// +required
	// +kubebuilder:validation:Enum=add;remove;replace
	Operator OverriderOperator `json:"operator"`

	// Value is the new value; required for add and replace, forbidden for remove.
	// +optional
	Value apiextensionsv1.JSON `json:"value,omitempty"`
}
