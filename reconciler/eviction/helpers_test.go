package eviction_test

import (
	"encoding/json"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/eviction"
	"github.com/gitfleet/gitfleet/renderer"
)

// t0 is the reference time of every test; times are given as offsets from it.
var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

func cluster(name string, taints ...corev1.Taint) *v1alpha1.Cluster {
	c := &v1alpha1.Cluster{}
	c.Name = name
	c.Spec.Taints = taints
	return c
}

func clusters(names ...string) []*v1alpha1.Cluster {
	out := make([]*v1alpha1.Cluster, 0, len(names))
	for _, n := range names {
		out = append(out, cluster(n))
	}
	return out
}

// noExecute is a NoExecute taint added at t0+added; a negative added leaves timeAdded unset.
func noExecute(key string, added time.Duration) corev1.Taint {
	t := corev1.Taint{Key: key, Effect: corev1.TaintEffectNoExecute}
	if added >= 0 {
		t.TimeAdded = &metav1.Time{Time: at(added)}
	}
	return t
}

func tolerate(key string, seconds *int64) corev1.Toleration {
	return corev1.Toleration{Key: key, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: seconds}
}

// deployment is the binding of Deployment default/name with 2 replicas on each target.
func deployment(name string, targets ...string) *v1alpha1.ResourceBinding {
	b := &v1alpha1.ResourceBinding{}
	b.Kind = v1alpha1.ResourceKindResourceBinding
	b.Namespace, b.Name = "default", name+"-deployment"
	b.Spec.Resource = v1alpha1.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: name}
	for _, c := range targets {
		b.Spec.Clusters = append(b.Spec.Clusters, v1alpha1.TargetCluster{Name: c, Replicas: 2})
	}
	return b
}

// withTolerations puts the tolerations in the applied-placement annotation, as the
// renderer writes it.
func withTolerations(b *v1alpha1.ResourceBinding, tolerations ...corev1.Toleration) *v1alpha1.ResourceBinding {
	data, err := json.Marshal(v1alpha1.Placement{ClusterTolerations: tolerations})
	if err != nil {
		panic(err)
	}
	if b.Annotations == nil {
		b.Annotations = map[string]string{}
	}
	b.Annotations[v1alpha1.PolicyPlacementAnnotation] = string(data)
	return b
}

func keyOf(b *v1alpha1.ResourceBinding) renderer.ObjectKey {
	r := b.Spec.Resource
	return renderer.ReferenceKey(r.APIVersion, r.Kind, r.Namespace, r.Name)
}

func bindings(bs ...*v1alpha1.ResourceBinding) map[renderer.ObjectKey]*v1alpha1.ResourceBinding {
	out := map[renderer.ObjectKey]*v1alpha1.ResourceBinding{}
	for _, b := range bs {
		out[keyOf(b)] = b
	}
	return out
}

// failover is a defaulted failover section with the switches given.
func failover(enabled, noExecuteEviction bool) v1alpha1.FleetFailoverConfig {
	c := &v1alpha1.FleetConfig{}
	c.Spec.Failover.Enabled = ptr.To(enabled)
	c.Spec.Failover.NoExecuteTaintEviction = ptr.To(noExecuteEviction)
	v1alpha1.SetDefaultsFleetConfig(c)
	return c.Spec.Failover
}

// task is a previous task from cluster created at t0+created.
func task(from string, created time.Duration) v1alpha1.GracefulEvictionTask {
	return v1alpha1.GracefulEvictionTask{
		FromCluster:       from,
		PurgeMode:         v1alpha1.PurgeModeGracefully,
		Reason:            v1alpha1.EvictionReasonTaintUntolerated,
		Producer:          v1alpha1.EvictionProducerTaintManager,
		CreationTimestamp: &metav1.Time{Time: at(created)},
	}
}

func previous(b *v1alpha1.ResourceBinding, tasks ...v1alpha1.GracefulEvictionTask) *v1alpha1.EvictionDecisions {
	return &v1alpha1.EvictionDecisions{Bindings: []v1alpha1.BindingEvictions{{Resource: b.Spec.Resource, Tasks: tasks}}}
}

// fromClusters lists the result's tasks as "namespace/name<-cluster".
func fromClusters(r eviction.Result) []string {
	var out []string
	for _, be := range r.Decisions.Bindings {
		for _, t := range be.Tasks {
			out = append(out, fmt.Sprintf("%s/%s<-%s", be.Resource.Namespace, be.Resource.Name, t.FromCluster))
		}
	}
	return out
}

// onlyTask returns the result's one task, or fails.
func onlyTask(r eviction.Result) v1alpha1.GracefulEvictionTask {
	if len(r.Decisions.Bindings) != 1 || len(r.Decisions.Bindings[0].Tasks) != 1 {
		panic(fmt.Sprintf("want exactly one task, got %v", fromClusters(r)))
	}
	return r.Decisions.Bindings[0].Tasks[0]
}
