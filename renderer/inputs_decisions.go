package renderer

import (
	"errors"
	"fmt"
	"io/fs"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// readDecisions reads decisions/evictions.yaml, decisions/descheduling.yaml and
// decisions/rebalances.yaml, when there are. A missing file means the hub decided nothing of
// that kind; a file that does not decode, or holds a decision the renderer cannot act on,
// fails the load naming the file, so a broken status never renders as "no decisions" and
// moves workloads back.
func (v *StatusView) readDecisions(fsys fs.FS) error {
	var evictions v1alpha1.EvictionDecisions
	if err := readStatusFile(fsys, v1alpha1.EvictionDecisionsFileName, &evictions); err != nil {
		return err
	}
	for i, b := range evictions.Bindings {
		if b.Resource.Kind == "" || b.Resource.Name == "" {
			return fmt.Errorf("status %s: bindings[%d].resource: kind and name are required", v1alpha1.EvictionDecisionsFileName, i)
		}
		for j, t := range b.Tasks {
			if t.FromCluster == "" {
				return fmt.Errorf("status %s: bindings[%d].tasks[%d].fromCluster is required", v1alpha1.EvictionDecisionsFileName, i, j)
			}
		}
		if v.Evictions == nil {
			v.Evictions = map[ObjectKey][]v1alpha1.GracefulEvictionTask{}
		}
		key := ReferenceKey(b.Resource.APIVersion, b.Resource.Kind, b.Resource.Namespace, b.Resource.Name)
		v.Evictions[key] = append(v.Evictions[key], b.Tasks...)
	}

	var descheduling v1alpha1.DeschedulingDecisions
	if err := readStatusFile(fsys, v1alpha1.DeschedulingDecisionsFileName, &descheduling); err != nil {
		return err
	}
	for i, r := range descheduling.Reductions {
		switch {
		case r.Resource.Kind == "" || r.Resource.Name == "":
			return fmt.Errorf("status %s: reductions[%d].resource: kind and name are required", v1alpha1.DeschedulingDecisionsFileName, i)
		case r.Cluster == "":
			return fmt.Errorf("status %s: reductions[%d].cluster is required", v1alpha1.DeschedulingDecisionsFileName, i)
		case r.ToReplicas < 0 || r.ToReplicas > r.FromReplicas:
			return fmt.Errorf("status %s: reductions[%d]: toReplicas %d is not between 0 and fromReplicas %d",
				v1alpha1.DeschedulingDecisionsFileName, i, r.ToReplicas, r.FromReplicas)
		}
		if v.Reductions == nil {
			v.Reductions = map[ObjectKey][]v1alpha1.ReplicaReduction{}
		}
		key := ReferenceKey(r.Resource.APIVersion, r.Resource.Kind, r.Resource.Namespace, r.Resource.Name)
		v.Reductions[key] = append(v.Reductions[key], r)
	}

	var rebalances v1alpha1.RebalanceDecisions
	if err := readStatusFile(fsys, v1alpha1.RebalanceDecisionsFileName, &rebalances); err != nil {
		return err
	}
	for i, r := range rebalances.Rebalancers {
		if r.Name == "" {
			return fmt.Errorf("status %s: rebalancers[%d].name is required", v1alpha1.RebalanceDecisionsFileName, i)
		}
		if v.Rebalances == nil {
			v.Rebalances = map[string]v1alpha1.RebalanceDecision{}
		}
		v.Rebalances[r.Name] = r
	}
	return nil
}

// readStatusFile decodes one file of the status tree into out; a missing file leaves out as
// it was.
func readStatusFile(fsys fs.FS, name string, out any) error {
	data, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading status %s: %w", name, err)
	}
	if err := yaml.Unmarshal(data, out); err != nil {
		return fmt.Errorf("status %s: %w", name, err)
	}
	return nil
}

// ReferenceKey is the key of the template a decision or a WorkloadRebalancer names by API
// version, kind, namespace and name: the same key templateKey gives the template itself.
// The hub's decisions and the renderer must key bindings alike, or a decision would silently
// stop matching its binding: both call this.
func ReferenceKey(apiVersion, kind, namespace, name string) ObjectKey {
	gv, _ := schema.ParseGroupVersion(apiVersion)
	return ObjectKey{Group: gv.Group, Kind: kind, Namespace: namespace, Name: name}
}
