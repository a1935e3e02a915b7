package clusterstatus

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer/yamlenc"
)

// Files of a pull agent's report that carry what the agent collected (beside
// v1alpha1.AgentReportFileName).
const (
	// ReportClusterFile holds the cluster's status, as clusters/<cluster>.yaml does.
	ReportClusterFile = "cluster.yaml"
	// ReportNodesFile holds the cluster's nodes file.
	ReportNodesFile = "nodes.yaml"
	// ReportObjectsFile holds the status of every object of the cluster's inventory.
	ReportObjectsFile = "objects.yaml"
	// ReportUnschedulableFile holds the cluster's unschedulable pods per workload.
	ReportUnschedulableFile = "unschedulable.yaml"
	// ObjectsFileKind is the kind of ReportObjectsFile.
	ObjectsFileKind = "ClusterObjects"
)

// objectsFile is ReportObjectsFile.
type objectsFile struct {
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Cluster    string         `json:"cluster"`
	Objects    []objectReport `json:"objects"`
}

// objectReport is one object of an objectsFile: which object, and its item.
type objectReport struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
	// Item is the object's status in the cluster; its clusterName is left out.
	Item v1alpha1.AggregatedStatusItem `json:"item"`
}

// EncodeReport returns the files that carry in through an agent's report ref: the cluster's
// status, its nodes, its unschedulable pods and its objects, each present only when in has it. The encoding is
// deterministic: objects sorted, keys sorted.
func EncodeReport(in ClusterInput) (map[string][]byte, error) {
	files := map[string][]byte{}
	if in.Status != nil {
		data, err := yamlenc.MarshalTyped(map[string]any{
			"apiVersion": v1alpha1.ClusterGroupVersion.String(),
			"kind":       "Cluster",
			"metadata":   map[string]any{"name": in.Name},
			"status":     in.Status,
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ReportClusterFile, err)
		}
		files[ReportClusterFile] = data
	}
	if in.Nodes != nil {
		data, err := yamlenc.MarshalTyped(map[string]any{
			"apiVersion": v1alpha1.GitfleetGroupVersion.String(),
			"kind":       v1alpha1.ClusterNodesKind,
			"cluster":    in.Name,
			"nodes":      in.Nodes.Nodes,
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ReportNodesFile, err)
		}
		files[ReportNodesFile] = data
	}
	if in.Unschedulable != nil {
		data, err := marshalUnschedulable(in.Name, in.Unschedulable)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ReportUnschedulableFile, err)
		}
		files[ReportUnschedulableFile] = data
	}
	if in.Objects != nil {
		f := objectsFile{APIVersion: v1alpha1.GitfleetGroupVersion.String(), Kind: ObjectsFileKind, Cluster: in.Name, Objects: []objectReport{}}
		for _, ref := range slices.SortedFunc(maps.Keys(in.Objects), compareRefs) {
			item := in.Objects[ref]
			item.ClusterName = ""
			f.Objects = append(f.Objects, objectReport{APIVersion: ref.APIVersion, Kind: ref.Kind, Namespace: ref.Namespace, Name: ref.Name, Item: item})
		}
		data, err := yamlenc.MarshalTyped(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ReportObjectsFile, err)
		}
		files[ReportObjectsFile] = data
	}
	return files, nil
}

// DecodeReport reads back what EncodeReport wrote for cluster; a file that is absent leaves
// its part of the input nil (the previous status is then kept). A file that does not decode,
// or that names another cluster, is an error: the hub ignores that report.
func DecodeReport(fsys fs.FS, cluster string) (ClusterInput, error) {
	in := ClusterInput{Name: cluster}
	c, err := readReportPart(fsys, ReportClusterFile, cluster, func(c *v1alpha1.Cluster) string { return c.Name })
	if err != nil {
		return in, err
	}
	if c != nil {
		in.Status = &c.Status
	}
	if in.Nodes, err = readReportPart(fsys, ReportNodesFile, cluster, func(n *v1alpha1.ClusterNodes) string { return n.Cluster }); err != nil {
		return in, err
	}
	if in.Unschedulable, err = readReportPart(fsys, ReportUnschedulableFile, cluster, func(u *UnschedulableFile) string { return u.Cluster }); err != nil {
		return in, err
	}
	objects, err := readReportPart(fsys, ReportObjectsFile, cluster, func(o *objectsFile) string { return o.Cluster })
	if err != nil || objects == nil {
		return in, err
	}
	in.Objects = make(map[ObjectRef]v1alpha1.AggregatedStatusItem, len(objects.Objects))
	for _, o := range objects.Objects {
		item := o.Item
		item.ClusterName = cluster
		in.Objects[ObjectRef{APIVersion: o.APIVersion, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name}] = item
	}
	return in, nil
}

// EncodeAgentReport is one agent report's files: what EncodeReport writes for in, and
// report.yaml for rep.
func EncodeAgentReport(in ClusterInput, rep *v1alpha1.AgentReport) (map[string][]byte, error) {
	files, err := EncodeReport(in)
	if err != nil {
		return nil, err
	}
	rep = rep.DeepCopy()
	rep.APIVersion, rep.Kind = v1alpha1.GitfleetGroupVersion.String(), "AgentReport"
	rep.Sync.TypeMeta = metav1.TypeMeta{}
	if files[v1alpha1.AgentReportFileName], err = yamlenc.MarshalTyped(rep); err != nil {
		return nil, err
	}
	return files, nil
}

// DecodeAgentReport reads the report.yaml of an agent's report about cluster; nil when there
// is none. A file that does not decode, or that names another cluster, is an error.
func DecodeAgentReport(fsys fs.FS, cluster string) (*v1alpha1.AgentReport, error) {
	return readReportPart(fsys, v1alpha1.AgentReportFileName, cluster, func(r *v1alpha1.AgentReport) string { return r.Cluster })
}

// readReportPart decodes the report file p, which must be about cluster (clusterOf says
// which cluster a decoded file is about); nil when there is no such file.
func readReportPart[T any](fsys fs.FS, p, cluster string, clusterOf func(*T) string) (*T, error) {
	v := new(T)
	ok, err := readStatusFile(fsys, p, v)
	switch {
	case err != nil || !ok:
		return nil, err
	case clusterOf(v) != cluster:
		return nil, fmt.Errorf("%s: about cluster %q, not %q", p, clusterOf(v), cluster)
	}
	return v, nil
}

// readStatusFile decodes the file p of fsys (a report or a status tree) into v; false when
// there is no such file.
func readStatusFile(fsys fs.FS, p string, v any) (bool, error) {
	data, err := fs.ReadFile(fsys, p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("%s: %w", p, err)
	}
	return true, nil
}
