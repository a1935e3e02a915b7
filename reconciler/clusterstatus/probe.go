package clusterstatus

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ProbeOptions configure Probe.
type ProbeOptions struct {
	// Timeout bounds each request to the member, so that an unreachable cluster is reported
	// as such within one collection interval instead of hanging it. Zero means 10s.
	Timeout time.Duration

	// Now stamps the lastTransitionTime of the conditions Probe sets. BuildTree keeps the
	// previous time when a condition's status did not change. Nil means time.Now.
	Now func() time.Time
}

// DefaultProbeOptions returns the options Probe uses for zero fields.
func DefaultProbeOptions() ProbeOptions {
	return ProbeOptions{Timeout: 10 * time.Second, Now: time.Now}
}

func (o ProbeOptions) withDefaults() ProbeOptions {
	d := DefaultProbeOptions()
	if o.Timeout <= 0 {
		o.Timeout = d.Timeout
	}
	if o.Now == nil {
		o.Now = d.Now
	}
	return o
}

// Probe collects the status of one member cluster as Karmada's cluster status controller
// does, with its nodes file and its unschedulable pods. A member that cannot be reached, or whose health endpoint does not answer ok, is not
// an error: the returned status then holds only the Ready condition (ClusterNotReachable or
// ClusterNotReady) and a nil v1alpha1.ClusterNodes, and BuildTree keeps the rest of the previous status,
// as Karmada does. An error means the collection itself could not be set up.
func Probe(ctx context.Context, cluster string, cfg *rest.Config, opts ProbeOptions) (*v1alpha1.ClusterStatus, *v1alpha1.ClusterNodes, *UnschedulableFile, error) {
	opts = opts.withDefaults()
	cfg = rest.CopyConfig(cfg)
	cfg.Timeout = opts.Timeout
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("cluster %s: building a client: %w", cluster, err)
	}
	now := metav1.NewTime(opts.Now().UTC().Truncate(time.Second))
	status := &v1alpha1.ClusterStatus{}

	online, healthy := probeHealth(ctx, cs.Discovery().RESTClient())
	ready := metav1.Condition{Type: v1alpha1.ClusterConditionReady, LastTransitionTime: now}
	switch {
	case !online:
		ready.Status, ready.Reason, ready.Message = metav1.ConditionFalse, v1alpha1.ClusterReasonNotReachable, v1alpha1.ClusterMessageNotReachable
	case !healthy:
		ready.Status, ready.Reason, ready.Message = metav1.ConditionFalse, v1alpha1.ClusterReasonNotReady, v1alpha1.ClusterMessageNotReady
	default:
		ready.Status, ready.Reason, ready.Message = metav1.ConditionTrue, v1alpha1.ClusterReasonReady, v1alpha1.ClusterMessageReady
	}
	apimeta.SetStatusCondition(&status.Conditions, ready)
	if ready.Status != metav1.ConditionTrue {
		return status, nil, nil, nil
	}

	// Everything below is best effort, as in Karmada: a failure leaves the field out
	// (BuildTree then keeps the previous value) rather than failing the cluster.
	if v, err := cs.Discovery().ServerVersion(); err == nil {
		status.KubernetesVersion = v.GitVersion
	}
	enablements, complete := apiEnablements(cs.Discovery())
	status.APIEnablements = enablements
	complete.LastTransitionTime = now
	apimeta.SetStatusCondition(&status.Conditions, complete)

	nodes, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{ResourceVersion: "0"})
	if err != nil {
		return status, nil, nil, nil
	}
	pods, err := cs.CoreV1().Pods(metav1.NamespaceAll).List(ctx, metav1.ListOptions{ResourceVersion: "0"})
	if err != nil {
		return status, nil, nil, nil
	}
	summary, resources, nodesFile := summarize(cluster, nodes.Items, pods.Items)
	status.NodeSummary, status.ResourceSummary = summary, resources
	return status, nodesFile, unschedulablePods(cluster, pods.Items), nil
}

// probeHealth GETs /readyz, and /healthz when the member does not serve /readyz. online is
// false when no HTTP answer came back; healthy when the answer was 200 "ok".
func probeHealth(ctx context.Context, client rest.Interface) (online, healthy bool) {
	code, body, err := get(ctx, client, "/readyz")
	if code == http.StatusNotFound {
		code, body, err = get(ctx, client, "/healthz")
	}
	if code == 0 {
		return false, false
	}
	return true, err == nil && code == http.StatusOK && strings.EqualFold(strings.TrimSpace(string(body)), "ok")
}

func get(ctx context.Context, client rest.Interface, path string) (int, []byte, error) {
	var code int
	res := client.Get().AbsPath(path).Do(ctx).StatusCode(&code)
	body, err := res.Raw()
	return code, body, err
}

// apiEnablements lists the served resources by group version (subresources left out),
// sorted, and the CompleteAPIEnablements condition saying whether discovery was complete.
func apiEnablements(dc discovery.DiscoveryInterface) ([]v1alpha1.APIEnablement, metav1.Condition) {
	cond := metav1.Condition{Type: v1alpha1.ClusterConditionCompleteAPIEnablements,
		Status: metav1.ConditionTrue, Reason: v1alpha1.APIEnablementsReasonComplete,
		Message: "collected complete APIEnablements from the cluster"}
	_, lists, err := dc.ServerGroupsAndResources()
	var out []v1alpha1.APIEnablement
	for _, l := range lists {
		if l == nil {
			continue
		}
		e := v1alpha1.APIEnablement{GroupVersion: l.GroupVersion}
		for _, r := range l.APIResources {
			if strings.Contains(r.Name, "/") {
				continue
			}
			e.Resources = append(e.Resources, v1alpha1.APIResource{Name: r.Name, Kind: r.Kind})
		}
		slices.SortFunc(e.Resources, func(a, b v1alpha1.APIResource) int { return strings.Compare(a.Name, b.Name) })
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b v1alpha1.APIEnablement) int { return strings.Compare(a.GroupVersion, b.GroupVersion) })
	switch {
	case len(out) == 0:
		cond.Status, cond.Reason, cond.Message = metav1.ConditionFalse, v1alpha1.APIEnablementsReasonEmpty, "collected empty APIEnablements from the cluster"
		if err != nil {
			cond.Message += ": " + err.Error()
		}
	case err != nil:
		cond.Status, cond.Reason = metav1.ConditionFalse, v1alpha1.APIEnablementsReasonPartial
		cond.Message = "collected partial APIEnablements from the cluster"
		var gdf *discovery.ErrGroupDiscoveryFailed
		if errors.As(err, &gdf) {
			var gvs []string
			for gv := range gdf.Groups {
				gvs = append(gvs, gv.String())
			}
			slices.Sort(gvs)
			cond.Message += ": failed groups " + strings.Join(gvs, ", ")
		}
	}
	return out, cond
}

// summarize computes nodeSummary, resourceSummary and the nodes file as DESIGN §1.3 defines
// them: allocatable = Σ allocatable of ready nodes; allocated = Σ requests of scheduled,
// non-terminated pods (and their count); allocating = Σ requests of pods not yet scheduled
// (and their count).
func summarize(cluster string, nodes []corev1.Node, pods []corev1.Pod) (*v1alpha1.NodeSummary, *v1alpha1.ResourceSummary, *v1alpha1.ClusterNodes) {
	summary := &v1alpha1.NodeSummary{TotalNum: int32(len(nodes))}
	allocatable := corev1.ResourceList{}
	requested := map[string]corev1.ResourceList{}
	file := &v1alpha1.ClusterNodes{Cluster: cluster, Nodes: []v1alpha1.NodeResources{}}
	for i := range nodes {
		n := &nodes[i]
		ready := nodeReady(n)
		if ready {
			summary.ReadyNum++
			addList(allocatable, n.Status.Allocatable)
		}
		requested[n.Name] = corev1.ResourceList{}
		file.Nodes = append(file.Nodes, v1alpha1.NodeResources{Name: n.Name, Ready: ready,
			Unschedulable: n.Spec.Unschedulable, Labels: maps.Clone(n.Labels), Taints: recordedTaints(n.Spec.Taints),
			Allocatable: roundList(n.Status.Allocatable, roundDown)})
	}
	allocated := corev1.ResourceList{}
	allocating := corev1.ResourceList{}
	one := *resource.NewQuantity(1, resource.DecimalSI)
	for i := range pods {
		p := &pods[i]
		if p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		req := podRequests(p)
		req[corev1.ResourcePods] = one
		if p.Spec.NodeName == "" {
			addList(allocating, req)
			continue
		}
		addList(allocated, req)
		if r, ok := requested[p.Spec.NodeName]; ok {
			addList(r, req)
		}
	}
	for i := range file.Nodes {
		file.Nodes[i].Requested = roundList(requested[file.Nodes[i].Name], roundUp)
	}
	slices.SortFunc(file.Nodes, func(a, b v1alpha1.NodeResources) int { return strings.Compare(a.Name, b.Name) })
	resources := &v1alpha1.ResourceSummary{
		Allocatable: roundList(allocatable, roundDown),
		Allocated:   roundList(allocated, roundUp),
		Allocating:  roundList(allocating, roundUp),
	}
	return summary, resources, file
}

// recordedTaints is a node's taints as the nodes file keeps them: sorted, so that the file
// does not change when a controller rewrites the same taints in another order, and without
// timeAdded; nil when there are none.
func recordedTaints(taints []corev1.Taint) []corev1.Taint {
	if len(taints) == 0 {
		return nil
	}
	out := make([]corev1.Taint, len(taints))
	for i, t := range taints {
		out[i] = corev1.Taint{Key: t.Key, Value: t.Value, Effect: t.Effect}
	}
	slices.SortFunc(out, func(a, b corev1.Taint) int {
		return cmp.Or(strings.Compare(a.Key, b.Key), strings.Compare(string(a.Effect), string(b.Effect)), strings.Compare(a.Value, b.Value))
	})
	return out
}

func nodeReady(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
