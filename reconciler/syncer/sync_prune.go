package syncer

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/fluxcd/pkg/ssa"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/gitfleet/gitfleet/renderer"
)

// prune deletes what the previous inventory holds and the tree no longer does — objects
// first, then Namespaces and CRDs, whose deletion takes their contents along. Only objects
// still carrying ManagedLabel are deleted: one that lost it is not gitfleet's any more.
func (r *syncRun) prune(ctx context.Context) {
	desired := make(map[objectKey]bool, len(r.tree.objects))
	for _, d := range r.tree.objects {
		desired[d.key] = true
	}
	var defs, rest []objectKey
	for _, key := range slices.SortedFunc(maps.Keys(r.prev.objects), compareKeys) {
		switch {
		case desired[key]:
		case isDefinition(key):
			defs = append(defs, key)
		default:
			rest = append(rest, key)
		}
	}
	r.deleteAll(ctx, rest)
	r.deleteAll(ctx, defs)
}

// deleteAll deletes keys in parallel; those that fail stay in the inventory.
func (r *syncRun) deleteAll(ctx context.Context, keys []objectKey) {
	results := make([]ObjectResult, len(keys))
	forEach(len(keys), r.s.opts.Workers, func(i int) {
		results[i] = r.deleteOne(ctx, keys[i])
	})
	for i, res := range results {
		if res.Action == ActionFailed {
			r.kept[keys[i]] = r.prev.objects[keys[i]]
		}
	}
	r.pruned = append(r.pruned, results...)
}

// deleteOne deletes one object of the previous inventory.
func (r *syncRun) deleteOne(ctx context.Context, key objectKey) ObjectResult {
	prev := r.prev.objects[key]
	res := resultFor(renderer.ManifestPath(key.Group, key.Kind, key.Namespace, key.Name), prev.apiVersion, key)
	obj := &unstructured.Unstructured{}
	obj.SetAPIVersion(prev.apiVersion)
	obj.SetKind(key.Kind)
	obj.SetNamespace(key.Namespace)
	obj.SetName(key.Name)
	entry, err := r.s.manager.Delete(ctx, obj, ssa.DeleteOptions{
		PropagationPolicy: metav1.DeletePropagationBackground,
		Inclusions:        map[string]string{ManagedLabel: ManagedLabelValue},
	})
	switch {
	case err != nil && meta.IsNoMatchError(err):
		// Its type is gone (a CRD pruned earlier, say), and the object with it.
		res.Action, res.Reason, res.Message = ActionPruned, ReasonPruned, "its resource type is no longer served"
	case err != nil:
		res.Action, res.Reason, res.Message = ActionFailed, ReasonPruneFailed, err.Error()
	case entry.Action == ssa.SkippedAction:
		res.Action, res.Reason = ActionSkipped, ReasonNotManaged
		res.Message = fmt.Sprintf("left the render but no longer carries %s=%s; left in place", ManagedLabel, ManagedLabelValue)
	default:
		res.Action, res.Reason = ActionPruned, ReasonPruned
	}
	return res
}
