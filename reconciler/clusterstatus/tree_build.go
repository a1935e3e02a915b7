package clusterstatus

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer"
	"github.com/gitfleet/gitfleet/renderer/interpreter"
	"github.com/gitfleet/gitfleet/renderer/yamlenc"
)

// ResourceStatusKind is the kind of a resources/<namespace|_cluster>/<file>.yaml file.
const ResourceStatusKind = "ResourceStatus"

// ClusterInput is what was collected from one member cluster in one round.
type ClusterInput struct {
	// Name is the member cluster.
	Name string
	// Status is Probe's result; nil when the cluster was not probed this round (its
	// previous files are kept as they were).
	Status *v1alpha1.ClusterStatus
	// Nodes is Probe's nodes file; nil keeps the previous one.
	Nodes *v1alpha1.ClusterNodes
	// Unschedulable is Probe's unschedulable pods; nil keeps the previous file.
	Unschedulable *UnschedulableFile
	// Objects are CollectObjects' items; an object missing here (nil: all of them) keeps
	// its previous item, as Karmada keeps a Work's last collected status.
	Objects map[ObjectRef]v1alpha1.AggregatedStatusItem
}

// TemplateInput is one resource template and the clusters it is rendered to.
type TemplateInput struct {
	// Template is the resource template from the source tree; its status is aggregated
	// with the interpreter's AggregateStatus.
	Template *unstructured.Unstructured
	// Clusters are the clusters the template is propagated to.
	Clusters []string
}

// Inputs are everything BuildTree turns into files.
type Inputs struct {
	// Clusters are the member clusters of the fleet. Files of clusters not listed are
	// dropped.
	Clusters []ClusterInput
	// Templates are the propagated templates. Files of templates not listed are dropped.
	Templates []TemplateInput
	// Interpreter aggregates template status; nil means the built-in rules only. Give it
	// no clock (interpreter Options.Now nil): a clock would stamp the conditions the Job
	// rule adds and break the byte-identical tree of an unchanged fleet.
	Interpreter *interpreter.Interpreter
}

// ResourceStatus is the file of one template: where it is, per member cluster, and its
// aggregated status.
type ResourceStatus struct {
	// APIVersion is gitfleet.io/v1alpha1.
	APIVersion string `json:"apiVersion"`
	// Kind is ResourceStatus.
	Kind string `json:"kind"`
	// Resource names the template.
	Resource ResourceRef `json:"resource"`
	// Status is the template's status as the AggregateStatus interpreter folds the member
	// statuses into it; absent for kinds without an aggregation rule.
	Status map[string]any `json:"status,omitempty"`
	// AggregatedStatus has one item per member cluster, sorted by cluster name.
	AggregatedStatus []v1alpha1.AggregatedStatusItem `json:"aggregatedStatus"`
}

// ResourceRef names the template of a ResourceStatus.
type ResourceRef struct {
	// APIVersion is the template's group/version.
	APIVersion string `json:"apiVersion"`
	// Kind is the template's kind.
	Kind string `json:"kind"`
	// Namespace is empty for cluster-scoped templates.
	Namespace string `json:"namespace,omitempty"`
	// Name is the template's name.
	Name string `json:"name"`
}

// ClusterFilePath is the status file of a cluster: clusters/<cluster>.yaml.
func ClusterFilePath(cluster string) string { return "clusters/" + cluster + ".yaml" }

// NodesFilePath is the nodes file of a cluster: clusters/<cluster>/nodes.yaml.
func NodesFilePath(cluster string) string { return "clusters/" + cluster + "/nodes.yaml" }

// UnschedulableFilePath is the unschedulable pods of a cluster:
// clusters/<cluster>/unschedulable.yaml.
func UnschedulableFilePath(cluster string) string {
	return "clusters/" + cluster + "/unschedulable.yaml"
}

// IsTreeFile reports whether p is a file of the status tree BuildTree writes: a cluster's
// clusters/<cluster>.yaml, nodes.yaml or unschedulable.yaml, or a template's resources/ file.
// The other files of the tree (sync.yaml, render.yaml, decisions/) are other writers'.
func IsTreeFile(p string) bool {
	if strings.HasPrefix(p, "resources/") {
		return true
	}
	rest, ok := strings.CutPrefix(p, "clusters/")
	if !ok {
		return false
	}
	cluster, _, nested := strings.Cut(rest, "/")
	if !nested {
		return strings.HasSuffix(cluster, ".yaml")
	}
	return p == NodesFilePath(cluster) || p == UnschedulableFilePath(cluster)
}

// ResourceFilePath is the status file of a template:
// resources/<namespace|_cluster>/<group>.<kind>.<name>.yaml.
func ResourceFilePath(ref ObjectRef) string {
	return "resources/" + renderer.ManifestPath(ref.group(), ref.Kind, ref.Namespace, ref.Name)
}

// BuildTree returns the cluster and resource files of the status tree (DESIGN §1.3), by
// path, from what was collected and the previous status tree (nil for the first). It is
// pure and deterministic: a condition keeps its previous lastTransitionTime while its status
// does not change, and whatever was not collected this round is carried over, so an
// unchanged fleet gives byte-identical files.
func BuildTree(prev fs.FS, in Inputs) (map[string][]byte, error) {
	interp := in.Interpreter
	if interp == nil {
		var err error
		if interp, err = interpreter.New(nil); err != nil {
			return nil, err
		}
	}
	files := map[string][]byte{}
	var errs []error
	collected := map[string]map[ObjectRef]v1alpha1.AggregatedStatusItem{}
	for _, c := range in.Clusters {
		collected[c.Name] = c.Objects
		if err := buildClusterFiles(prev, c, files); err != nil {
			errs = append(errs, err)
		}
	}
	for _, t := range in.Templates {
		if err := buildResourceFile(prev, t, collected, interp, files); err != nil {
			errs = append(errs, err)
		}
	}
	return files, errors.Join(errs...)
}

// buildClusterFiles writes clusters/<c>.yaml, clusters/<c>/nodes.yaml and
// clusters/<c>/unschedulable.yaml.
func buildClusterFiles(prev fs.FS, c ClusterInput, files map[string][]byte) error {
	clusterPath, nodesPath := ClusterFilePath(c.Name), NodesFilePath(c.Name)
	prevData, _ := readFile(prev, clusterPath)
	var previous *v1alpha1.ClusterStatus
	if prevData != nil {
		var pc v1alpha1.Cluster
		if err := yaml.Unmarshal(prevData, &pc); err != nil {
			return fmt.Errorf("previous status %s: %w", clusterPath, err)
		}
		previous = &pc.Status
	}
	switch {
	case c.Status != nil:
		status := mergeClusterStatus(c.Status, previous)
		data, err := yamlenc.MarshalTyped(map[string]any{
			"apiVersion": v1alpha1.ClusterGroupVersion.String(),
			"kind":       "Cluster",
			"metadata":   map[string]any{"name": c.Name},
			"status":     status,
		})
		if err != nil {
			return fmt.Errorf("%s: %w", clusterPath, err)
		}
		files[clusterPath] = data
	case prevData != nil:
		files[clusterPath] = prevData
	}
	switch {
	case c.Nodes != nil:
		nodes := *c.Nodes
		nodes.Cluster = c.Name
		data, err := yamlenc.MarshalTyped(map[string]any{
			"apiVersion": v1alpha1.GitfleetGroupVersion.String(),
			"kind":       v1alpha1.ClusterNodesKind,
			"cluster":    nodes.Cluster,
			"nodes":      nodes.Nodes,
		})
		if err != nil {
			return fmt.Errorf("%s: %w", nodesPath, err)
		}
		files[nodesPath] = data
	default:
		if data, _ := readFile(prev, nodesPath); data != nil {
			files[nodesPath] = data
		}
	}
	unschedulablePath := UnschedulableFilePath(c.Name)
	switch {
	case c.Unschedulable != nil:
		data, err := marshalUnschedulable(c.Name, c.Unschedulable)
		if err != nil {
			return fmt.Errorf("%s: %w", unschedulablePath, err)
		}
		files[unschedulablePath] = data
	default:
		if data, _ := readFile(prev, unschedulablePath); data != nil {
			files[unschedulablePath] = data
		}
	}
	return nil
}

// marshalUnschedulable encodes an unschedulable pods file for cluster.
func marshalUnschedulable(cluster string, f *UnschedulableFile) ([]byte, error) {
	return yamlenc.MarshalTyped(map[string]any{
		"apiVersion": v1alpha1.GitfleetGroupVersion.String(),
		"kind":       UnschedulableFileKind,
		"cluster":    cluster,
		"workloads":  f.Workloads,
	})
}

// mergeClusterStatus returns cur completed from previous: fields cur could not collect keep
// their previous value (Karmada keeps the last status of a cluster it cannot reach), and a
// condition whose status did not change keeps its lastTransitionTime.
func mergeClusterStatus(cur, previous *v1alpha1.ClusterStatus) *v1alpha1.ClusterStatus {
	out := cur.DeepCopy()
	if previous != nil {
		if out.KubernetesVersion == "" {
			out.KubernetesVersion = previous.KubernetesVersion
		}
		if len(out.APIEnablements) == 0 {
			out.APIEnablements = previous.APIEnablements
		}
		if out.NodeSummary == nil {
			out.NodeSummary = previous.NodeSummary
		}
		if out.ResourceSummary == nil {
			out.ResourceSummary = previous.ResourceSummary
		}
		if len(out.RemedyActions) == 0 {
			out.RemedyActions = previous.RemedyActions
		}
		for _, pc := range previous.Conditions {
			c := apimeta.FindStatusCondition(out.Conditions, pc.Type)
			switch {
			case c == nil:
				out.Conditions = append(out.Conditions, pc)
			case c.Status == pc.Status:
				c.LastTransitionTime = pc.LastTransitionTime
			}
		}
	}
	slices.SortFunc(out.Conditions, func(a, b metav1.Condition) int { return strings.Compare(a.Type, b.Type) })
	return out
}

// buildResourceFile writes the resources/ file of one template.
func buildResourceFile(prev fs.FS, t TemplateInput, collected map[string]map[ObjectRef]v1alpha1.AggregatedStatusItem,
	interp *interpreter.Interpreter, files map[string][]byte) error {
	ref := RefOf(t.Template)
	p := ResourceFilePath(ref)
	var previous ResourceStatus
	if data, _ := readFile(prev, p); data != nil {
		if err := yaml.Unmarshal(data, &previous); err != nil {
			return fmt.Errorf("previous status %s: %w", p, err)
		}
	}
	items := make([]v1alpha1.AggregatedStatusItem, 0, len(t.Clusters))
	for _, cluster := range slices.Compact(slices.Sorted(slices.Values(t.Clusters))) {
		if item, ok := collected[cluster][ref]; ok {
			item.ClusterName = cluster
			items = append(items, item)
			continue
		}
		i := slices.IndexFunc(previous.AggregatedStatus, func(it v1alpha1.AggregatedStatusItem) bool { return it.ClusterName == cluster })
		if i >= 0 {
			items = append(items, previous.AggregatedStatus[i])
			continue
		}
		items = append(items, v1alpha1.AggregatedStatusItem{ClusterName: cluster, Health: v1alpha1.ResourceUnknown,
			AppliedMessage: "status not collected yet"})
	}
	rs := ResourceStatus{
		APIVersion:       v1alpha1.GitfleetGroupVersion.String(),
		Kind:             ResourceStatusKind,
		Resource:         ResourceRef{APIVersion: ref.APIVersion, Kind: ref.Kind, Namespace: ref.Namespace, Name: ref.Name},
		AggregatedStatus: items,
	}
	template := t.Template.DeepCopy()
	unstructured.RemoveNestedField(template.Object, "status")
	aggregated, err := interp.AggregateStatus(template, items)
	switch {
	case errors.Is(err, interpreter.ErrNoHook):
	case err != nil:
		return fmt.Errorf("%s: %w", p, err)
	default:
		if s, ok := aggregated.Object["status"].(map[string]any); ok && len(s) > 0 {
			rs.Status = s
		}
	}
	data, err := yamlenc.MarshalTyped(rs)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	files[p] = data
	return nil
}

// readFile reads a file of the previous tree; nil when there is none.
func readFile(fsys fs.FS, p string) ([]byte, error) {
	if fsys == nil {
		return nil, nil
	}
	data, err := fs.ReadFile(fsys, path.Clean(p))
	if err != nil {
		return nil, err
	}
	return data, nil
}
