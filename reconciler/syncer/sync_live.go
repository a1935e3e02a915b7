package syncer

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/fluxcd/cli-utils/pkg/object"
	"github.com/fluxcd/pkg/ssa"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// listQuery is one LIST request.
type listQuery struct {
	gvk schema.GroupVersionKind
	// namespace is empty for a cluster-wide LIST.
	namespace string
	// managedOnly selects objects carrying ManagedLabel.
	managedOnly bool
}

// listLive reads the live state of objects idx with as few LISTs as it can: objects
// gitfleet already owns are found with one LIST per type selecting ManagedLabel; objects
// new to the cluster need one LIST per type and namespace without a selector, since an
// unmanaged object of the same name is a conflict. It returns the live objects found and,
// per index, the error that kept an object's state unknown.
func (r *syncRun) listLive(ctx context.Context, idx []int) (map[objectKey]*unstructured.Unstructured, map[int]error) {
	queries, errs := r.planQueries(idx)
	keys := slices.SortedFunc(maps.Keys(queries), compareQueries)

	live := map[objectKey]*unstructured.Unstructured{}
	var mu sync.Mutex
	forEach(len(keys), r.s.opts.Workers, func(j int) {
		q := keys[j]
		items, err := r.s.list(ctx, q)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			for _, i := range queries[q] {
				errs[i] = err
			}
			return
		}
		for _, it := range items {
			key := objectKey{Group: q.gvk.Group, Kind: q.gvk.Kind, Namespace: it.GetNamespace(), Name: it.GetName()}
			live[key] = it
		}
	})
	return live, errs
}

// planQueries assigns each object to the LIST that will show it.
func (r *syncRun) planQueries(idx []int) (map[listQuery][]int, map[int]error) {
	queries := map[listQuery][]int{}
	errs := map[int]error{}
	known := map[int]listQuery{}
	for _, i := range idx {
		d := r.tree.objects[i]
		q, err := r.s.scopedQuery(d)
		switch _, ok := r.prev.objects[d.key]; {
		case err != nil:
			errs[i] = err
		case ok:
			known[i] = q
		default:
			queries[q] = append(queries[q], i)
		}
	}
	for _, i := range slices.Sorted(maps.Keys(known)) {
		q := known[i]
		if _, ok := queries[q]; !ok {
			// No unselected LIST covers it: one selecting LIST across namespaces does.
			q = listQuery{gvk: q.gvk, managedOnly: true}
		}
		queries[q] = append(queries[q], i)
	}
	return queries, errs
}

// scopedQuery is the unselected LIST that shows d: its namespace's, or the cluster's for a
// cluster-scoped type.
func (s *Syncer) scopedQuery(d *desiredObject) (listQuery, error) {
	gvk := d.gvk()
	mapping, err := s.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return listQuery{}, fmt.Errorf("resource type %s is not served: %w", gvk, err)
	}
	q := listQuery{gvk: gvk}
	if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		if d.key.Namespace == "" {
			return listQuery{}, fmt.Errorf("%s is namespaced but the manifest has no namespace", gvk.Kind)
		}
		q.namespace = d.key.Namespace
	}
	return q, nil
}

// compareQueries orders queries for a deterministic request order.
func compareQueries(a, b listQuery) int {
	return slices.Compare(
		[]string{a.gvk.Group, a.gvk.Version, a.gvk.Kind, a.namespace, fmt.Sprint(a.managedOnly)},
		[]string{b.gvk.Group, b.gvk.Version, b.gvk.Kind, b.namespace, fmt.Sprint(b.managedOnly)})
}

// list sends one LIST.
func (s *Syncer) list(ctx context.Context, q listQuery) ([]*unstructured.Unstructured, error) {
	list := &unstructured.UnstructuredList{}
	list.SetGroupVersionKind(q.gvk.GroupVersion().WithKind(q.gvk.Kind + "List"))
	var opts []client.ListOption
	if q.namespace != "" {
		opts = append(opts, client.InNamespace(q.namespace))
	}
	if q.managedOnly {
		opts = append(opts, client.MatchingLabels{ManagedLabel: ManagedLabelValue})
	}
	if err := s.client.List(ctx, list, opts...); err != nil {
		where := "all namespaces"
		if q.namespace != "" {
			where = "namespace " + q.namespace
		}
		return nil, fmt.Errorf("listing %s in %s: %w", q.gvk.Kind, where, err)
	}
	items := make([]*unstructured.Unstructured, len(list.Items))
	for i := range list.Items {
		items[i] = &list.Items[i]
	}
	return items, nil
}

// isCRD reports whether key is a CustomResourceDefinition.
func isCRD(key objectKey) bool {
	return key.Group == "apiextensions.k8s.io" && key.Kind == "CustomResourceDefinition"
}

// crdEstablished reports whether a live CRD has condition Established=True.
func crdEstablished(crd *unstructured.Unstructured) bool {
	if crd == nil {
		return false
	}
	conditions, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
	for _, c := range conditions {
		c, _ := c.(map[string]any)
		if c["type"] == "Established" && c["status"] == "True" {
			return true
		}
	}
	return false
}

// waitForServedKinds waits until the API server's discovery serves the kinds of CRDs idx:
// a CRD is Established a moment before discovery lists its kind, and the instances applied
// next are mapped through discovery. It gives up after WaitTimeout; the instances then fail
// on their own and are applied again on the next sync.
func (r *syncRun) waitForServedKinds(ctx context.Context, idx []int) {
	var kinds []schema.GroupVersionKind
	for _, i := range idx {
		if r.outcomes[i].Action == ActionFailed || r.outcomes[i].Action == ActionConflict {
			continue
		}
		kinds = append(kinds, servedKinds(r.tree.objects[i].obj)...)
	}
	deadline := time.Now().Add(r.s.opts.WaitTimeout)
	for _, gvk := range kinds {
		for {
			_, err := r.s.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
			if err == nil || !meta.IsNoMatchError(err) || time.Now().After(deadline) {
				break
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(r.s.opts.WaitInterval):
			}
		}
	}
}

// servedKinds lists the group, version and kind of each served version of a CRD manifest.
func servedKinds(crd *unstructured.Unstructured) []schema.GroupVersionKind {
	group, _, _ := unstructured.NestedString(crd.Object, "spec", "group")
	kind, _, _ := unstructured.NestedString(crd.Object, "spec", "names", "kind")
	versions, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
	var out []schema.GroupVersionKind
	for _, v := range versions {
		m, _ := v.(map[string]any)
		name, _ := m["name"].(string)
		if served, _ := m["served"].(bool); served && name != "" && group != "" && kind != "" {
			out = append(out, schema.GroupVersionKind{Group: group, Version: name, Kind: kind})
		}
	}
	return out
}

// waitForCRDs waits until CRDs idx are Established, so their instances can be applied. A
// CRD that does not become Established in time is reported failed; the objects that need
// it fail on their own.
func (r *syncRun) waitForCRDs(ctx context.Context, idx []int) {
	var set object.ObjMetadataSet
	for _, i := range idx {
		if r.outcomes[i].Action == ActionFailed || r.outcomes[i].Action == ActionConflict {
			continue
		}
		d := r.tree.objects[i]
		set = append(set, object.ObjMetadata{Name: d.key.Name, GroupKind: d.gvk().GroupKind()})
	}
	if len(set) == 0 {
		return
	}
	err := r.s.manager.WaitForSetWithContext(ctx, set, ssa.WaitOptions{
		Interval: r.s.opts.WaitInterval, Timeout: r.s.opts.WaitTimeout,
	})
	if err == nil {
		return
	}
	for _, i := range idx {
		if o := &r.outcomes[i]; o.Action != ActionFailed && o.Action != ActionConflict {
			o.Action, o.Reason, o.Message = ActionFailed, ReasonNotEstablished, err.Error()
			o.current = false // applied, so still owned, but applied again next time
		}
	}
}
