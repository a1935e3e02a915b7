package clusterstatus

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer/interpreter"
)

// ObjectRef names one object: its type and, for namespaced objects, its namespace.
type ObjectRef struct {
	// APIVersion is the object's group/version.
	APIVersion string
	// Kind is the object's kind.
	Kind string
	// Namespace is empty for cluster-scoped objects.
	Namespace string
	// Name is the object's name.
	Name string
}

// group returns the API group of the reference.
func (r ObjectRef) group() string {
	gv, _ := schema.ParseGroupVersion(r.APIVersion)
	return gv.Group
}

// String renders the reference as "<apiVersion> <Kind> [<namespace>/]<name>".
func (r ObjectRef) String() string {
	n := r.Name
	if r.Namespace != "" {
		n = r.Namespace + "/" + n
	}
	return r.APIVersion + " " + r.Kind + " " + n
}

func compareRefs(a, b ObjectRef) int {
	return cmp.Or(cmp.Compare(a.group(), b.group()), cmp.Compare(a.Kind, b.Kind),
		cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name), cmp.Compare(a.APIVersion, b.APIVersion))
}

// RefOf returns the reference of an object.
func RefOf(obj *unstructured.Unstructured) ObjectRef {
	return ObjectRef{APIVersion: obj.GetAPIVersion(), Kind: obj.GetKind(), Namespace: obj.GetNamespace(), Name: obj.GetName()}
}

// CollectOptions configure CollectObjects.
type CollectOptions struct {
	// ApplyErrors are the objects whose last apply to this cluster failed, with the error
	// (the syncer's result). They are reported applied=false with the message, health
	// Unknown, as Karmada reports a Work whose Applied condition is not True.
	ApplyErrors map[ObjectRef]string

	// Parallelism bounds the LIST requests in flight. Zero means 4.
	Parallelism int
}

// CollectObjects reads, in one member cluster, every object of the cluster's rendered
// inventory and returns its status item: applied and appliedMessage, health from the
// interpreter's InterpretHealth (kinds without a health rule are Healthy; interpreter errors
// give Unknown, semantics §1.5/§11.7) and the status reflected by ReflectStatus. Objects are
// read with one LIST per type and namespace. The resource of each kind is looked up in
// enablements (the cluster's discovered apiEnablements); a kind the member does not serve is
// reported as not applied.
//
// A LIST that fails leaves its objects out of the result, so that BuildTree keeps their
// previous items; the errors are returned joined, next to the partial result.
func CollectObjects(ctx context.Context, dyn dynamic.Interface, inv *v1alpha1.ClusterInventory, enablements []v1alpha1.APIEnablement,
	interp *interpreter.Interpreter, opts CollectOptions) (map[ObjectRef]v1alpha1.AggregatedStatusItem, error) {
	if opts.Parallelism <= 0 {
		opts.Parallelism = 4
	}
	resources := map[schema.GroupVersionKind]string{}
	for _, e := range enablements {
		gv, err := schema.ParseGroupVersion(e.GroupVersion)
		if err != nil {
			continue
		}
		for _, r := range e.Resources {
			resources[gv.WithKind(r.Kind)] = r.Name
		}
	}

	type listKey struct {
		gvr       schema.GroupVersionResource
		namespace string
	}
	wanted := map[listKey][]ObjectRef{}
	out := map[ObjectRef]v1alpha1.AggregatedStatusItem{}
	for _, e := range inv.Objects {
		ref := ObjectRef{APIVersion: e.APIVersion, Kind: e.Kind, Namespace: e.Namespace, Name: e.Name}
		item := v1alpha1.AggregatedStatusItem{ClusterName: inv.Cluster}
		if msg, failed := opts.ApplyErrors[ref]; failed {
			item.AppliedMessage, item.Health = msg, v1alpha1.ResourceUnknown
			out[ref] = item
			continue
		}
		gv, err := schema.ParseGroupVersion(e.APIVersion)
		res, ok := resources[gv.WithKind(e.Kind)]
		if err != nil || !ok {
			item.AppliedMessage = fmt.Sprintf("the cluster does not serve %s %s", e.APIVersion, e.Kind)
			item.Health = v1alpha1.ResourceUnknown
			out[ref] = item
			continue
		}
		k := listKey{gvr: gv.WithResource(res), namespace: e.Namespace}
		wanted[k] = append(wanted[k], ref)
	}

	keys := make([]listKey, 0, len(wanted))
	for k := range wanted {
		keys = append(keys, k)
	}
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		sem  = make(chan struct{}, opts.Parallelism)
	)
	for _, k := range keys {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			list, err := dyn.Resource(k.gvr).Namespace(k.namespace).List(ctx, metav1.ListOptions{})
			if err != nil && !apierrors.IsNotFound(err) {
				mu.Lock()
				errs = append(errs, fmt.Errorf("listing %s in %q: %w", k.gvr, k.namespace, err))
				mu.Unlock()
				return
			}
			live := map[string]*unstructured.Unstructured{}
			if list != nil {
				for i := range list.Items {
					live[list.Items[i].GetName()] = &list.Items[i]
				}
			}
			items := make(map[ObjectRef]v1alpha1.AggregatedStatusItem, len(wanted[k]))
			for _, ref := range wanted[k] {
				obj := live[ref.Name]
				if obj != nil {
					// A LIST's items carry no type; the interpreter dispatches on it.
					obj.SetAPIVersion(ref.APIVersion)
					obj.SetKind(ref.Kind)
				}
				items[ref] = objectItem(inv.Cluster, obj, interp)
			}
			mu.Lock()
			for ref, item := range items {
				out[ref] = item
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	if len(errs) > 0 {
		return out, fmt.Errorf("cluster %s: %w", inv.Cluster, errors.Join(errs...))
	}
	return out, nil
}

// objectItem is the status item of one live object (nil: not found in the member).
func objectItem(cluster string, obj *unstructured.Unstructured, interp *interpreter.Interpreter) v1alpha1.AggregatedStatusItem {
	item := v1alpha1.AggregatedStatusItem{ClusterName: cluster}
	if obj == nil {
		item.AppliedMessage, item.Health = "the object does not exist in the member cluster", v1alpha1.ResourceUnknown
		return item
	}
	item.Applied = true
	healthy, err := interp.InterpretHealth(obj)
	switch {
	case errors.Is(err, interpreter.ErrNoHook):
		item.Health = v1alpha1.ResourceHealthy
	case err != nil:
		item.Health = v1alpha1.ResourceUnknown
	case healthy:
		item.Health = v1alpha1.ResourceHealthy
	default:
		item.Health = v1alpha1.ResourceUnhealthy
	}
	if status, err := interp.ReflectStatus(obj); err == nil && status != nil {
		item.Status = status
	}
	return item
}
