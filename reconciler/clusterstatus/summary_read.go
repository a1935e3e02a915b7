package clusterstatus

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// Summary is the status tree read back for people: one row per cluster and one per
// propagated template.
type Summary struct {
	Clusters  []ClusterRow
	Templates []TemplateRow
	// Decisions are the hub's decisions in force (decisions/), in file order: taints,
	// evictions, descheduling reductions.
	Decisions []DecisionRow
}

// ClusterRow is one member cluster's status.
type ClusterRow struct {
	Name string
	// Ready is the Ready condition's status ("True", "False", "Unknown"; "" before any).
	Ready string
	// Reason is the Ready condition's reason.
	Reason string
	// AppliedCommit, Objects and Problems come from the cluster's last sync (empty when the
	// hub does not sync it).
	AppliedCommit string
	Objects       int
	Problems      int
	// SyncError is why the last sync did not run or finish.
	SyncError string
}

// TemplateRow is one propagated template's status.
type TemplateRow struct {
	Resource ResourceRef
	// Clusters counts the member clusters with an item; Applied and Healthy count those
	// applied and healthy.
	Clusters, Applied, Healthy int
	// Replicas and ReadyReplicas are the aggregated status's replicas and readyReplicas, for
	// workloads (HasReplicas false otherwise).
	Replicas, ReadyReplicas int64
	HasReplicas             bool
}

// ReadSummary reads a status tree (DESIGN §1.3) into a Summary, sorted by name and path.
func ReadSummary(fsys fs.FS) (*Summary, error) {
	s := &Summary{}
	if err := s.readClusters(fsys); err != nil {
		return nil, err
	}
	if err := s.readDecisions(fsys); err != nil {
		return nil, err
	}
	err := fs.WalkDir(fsys, "resources", func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == "resources" {
			return fs.SkipAll
		}
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		row, err := readTemplateRow(fsys, p)
		if err != nil {
			return err
		}
		s.Templates = append(s.Templates, row)
		return nil
	})
	return s, err
}

func (s *Summary) readClusters(fsys fs.FS) error {
	entries, err := fs.ReadDir(fsys, "clusters")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	rows := map[string]*ClusterRow{}
	row := func(name string) *ClusterRow {
		if rows[name] == nil {
			rows[name] = &ClusterRow{Name: name}
		}
		return rows[name]
	}
	for _, e := range entries {
		name, isFile := strings.CutSuffix(e.Name(), ".yaml")
		switch {
		case isFile && !e.IsDir():
			var c v1alpha1.Cluster
			if err := readYAML(fsys, path.Join("clusters", e.Name()), &c); err != nil {
				return err
			}
			if ready := apimeta.FindStatusCondition(c.Status.Conditions, v1alpha1.ClusterConditionReady); ready != nil {
				r := row(name)
				r.Ready, r.Reason = string(ready.Status), ready.Reason
			} else {
				row(name)
			}
		case e.IsDir():
			var st v1alpha1.ClusterSyncStatus
			err := readYAML(fsys, path.Join("clusters", e.Name(), v1alpha1.ClusterSyncFileName), &st)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return err
			}
			r := row(e.Name())
			r.AppliedCommit, r.Objects, r.Problems, r.SyncError = st.AppliedCommit, st.Objects, len(st.Problems), st.Error
		}
	}
	for _, name := range slices.Sorted(maps.Keys(rows)) {
		s.Clusters = append(s.Clusters, *rows[name])
	}
	return nil
}

func readTemplateRow(fsys fs.FS, p string) (TemplateRow, error) {
	var rs ResourceStatus
	if err := readYAML(fsys, p, &rs); err != nil {
		return TemplateRow{}, err
	}
	row := TemplateRow{Resource: rs.Resource, Clusters: len(rs.AggregatedStatus)}
	for _, item := range rs.AggregatedStatus {
		if item.Applied {
			row.Applied++
		}
		if item.Health == v1alpha1.ResourceHealthy {
			row.Healthy++
		}
	}
	replicas, found, _ := unstructured.NestedFieldNoCopy(rs.Status, "replicas")
	if found {
		row.HasReplicas = true
		row.Replicas = toInt64(replicas)
		ready, _, _ := unstructured.NestedFieldNoCopy(rs.Status, "readyReplicas")
		row.ReadyReplicas = toInt64(ready)
	}
	return row, nil
}

func readYAML(fsys fs.FS, p string, into any) error {
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, into); err != nil {
		return fmt.Errorf("status file %s: %w", p, err)
	}
	return nil
}

func toInt64(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	case int:
		return int64(n)
	}
	return 0
}
