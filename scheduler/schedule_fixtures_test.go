package scheduler

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// Fixtures of the filter, affinity and end-to-end schedule tests (prefixed fx so they never
// collide with the selection and assignment tests' helpers).

// fxOpt changes a fixture cluster.
type fxOpt func(*v1alpha1.Cluster)

// fxCluster is a member cluster that serves apps/v1 Deployments and v1 ConfigMaps, with
// no taints, no labels and no resource summary unless options say otherwise.
func fxCluster(name string, opts ...fxOpt) *v1alpha1.Cluster {
	c := &v1alpha1.Cluster{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Status: v1alpha1.ClusterStatus{
			APIEnablements: []v1alpha1.APIEnablement{
				{GroupVersion: "apps/v1", Resources: []v1alpha1.APIResource{
					{Name: "deployments", Kind: "Deployment"},
					{Name: "statefulsets", Kind: "StatefulSet"},
				}},
				{GroupVersion: "v1", Resources: []v1alpha1.APIResource{
					{Name: "configmaps", Kind: "ConfigMap"},
					{Name: "services", Kind: "Service"},
				}},
			},
			Conditions: []metav1.Condition{{
				Type: v1alpha1.ClusterConditionCompleteAPIEnablements, Status: metav1.ConditionTrue,
				Reason: v1alpha1.APIEnablementsReasonComplete,
			}},
		},
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// fxLabels sets labels from key, value pairs.
func fxLabels(kv ...string) fxOpt {
	return func(c *v1alpha1.Cluster) {
		if c.Labels == nil {
			c.Labels = map[string]string{}
		}
		for i := 0; i+1 < len(kv); i += 2 {
			c.Labels[kv[i]] = kv[i+1]
		}
	}
}

func fxProvider(p string) fxOpt { return func(c *v1alpha1.Cluster) { c.Spec.Provider = p } }
func fxRegion(r string) fxOpt   { return func(c *v1alpha1.Cluster) { c.Spec.Region = r } }
func fxZones(z ...string) fxOpt { return func(c *v1alpha1.Cluster) { c.Spec.Zones = z } }

// fxTaint adds a taint.
func fxTaint(key, value string, effect corev1.TaintEffect) fxOpt {
	return func(c *v1alpha1.Cluster) {
		c.Spec.Taints = append(c.Spec.Taints, corev1.Taint{Key: key, Value: value, Effect: effect})
	}
}

// fxNoAPIs empties the API list; complete says whether the (empty) list is known complete.
func fxNoAPIs(complete bool) fxOpt {
	return func(c *v1alpha1.Cluster) {
		c.Status.APIEnablements = nil
		if !complete {
			c.Status.Conditions = nil
		}
	}
}

// fxPods gives the cluster room for n more pods (and plenty of cpu and memory), so the
// general estimator allows n replicas of a workload without requirements (§2.5).
func fxPods(n int64) fxOpt {
	return func(c *v1alpha1.Cluster) {
		c.Status.ResourceSummary = &v1alpha1.ResourceSummary{
			Allocatable: corev1.ResourceList{
				corev1.ResourcePods:   *resource.NewQuantity(n, resource.DecimalSI),
				corev1.ResourceCPU:    resource.MustParse("1000"),
				corev1.ResourceMemory: resource.MustParse("4Ti"),
			},
		}
	}
}

// fxDeleting marks the cluster as being deleted.
func fxDeleting() fxOpt {
	return func(c *v1alpha1.Cluster) {
		c.DeletionTimestamp = fxTime(0)
	}
}

// fxInfo is the ClusterInfo of one cluster, as a snapshot builds it.
func fxInfo(name string, opts ...fxOpt) *ClusterInfo {
	return NewSnapshot([]*v1alpha1.Cluster{fxCluster(name, opts...)}).Clusters()[0]
}

// fxDeployment is the binding spec of Deployment default/nginx with the given replicas and
// placement.
func fxDeployment(replicas int32, placement *v1alpha1.Placement) *v1alpha1.ResourceBindingSpec {
	return &v1alpha1.ResourceBindingSpec{
		Resource:  v1alpha1.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: "nginx"},
		Replicas:  replicas,
		Placement: placement,
	}
}

// fxConfigMap is the binding spec of ConfigMap default/settings (a non-workload).
func fxConfigMap(placement *v1alpha1.Placement) *v1alpha1.ResourceBindingSpec {
	return &v1alpha1.ResourceBindingSpec{
		Resource:  v1alpha1.ObjectReference{APIVersion: "v1", Kind: "ConfigMap", Namespace: "default", Name: "settings"},
		Placement: placement,
	}
}

// fxTargets builds a target list from name, replicas pairs.
func fxTargets(pairs ...any) []v1alpha1.TargetCluster {
	var out []v1alpha1.TargetCluster
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, v1alpha1.TargetCluster{Name: pairs[i].(string), Replicas: int32(pairs[i+1].(int))})
	}
	return out
}

// fxNames lists the names of targets.
func fxNames(targets []v1alpha1.TargetCluster) []string {
	out := make([]string, len(targets))
	for i := range targets {
		out[i] = targets[i].Name
	}
	return out
}

// fxDivided is a Divided placement with equal static weights (webhook-defaulted Weighted).
func fxDivided() *v1alpha1.ReplicaSchedulingStrategy {
	return &v1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType:     v1alpha1.ReplicaSchedulingTypeDivided,
		ReplicaDivisionPreference: v1alpha1.ReplicaDivisionPreferenceWeighted,
	}
}

// fxDynamic is a Divided placement weighted by available replicas.
func fxDynamic() *v1alpha1.ReplicaSchedulingStrategy {
	return &v1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType:     v1alpha1.ReplicaSchedulingTypeDivided,
		ReplicaDivisionPreference: v1alpha1.ReplicaDivisionPreferenceWeighted,
		WeightPreference:          &v1alpha1.ClusterPreferences{DynamicWeight: v1alpha1.DynamicWeightByAvailableReplicas},
	}
}

// fxAggregated is a Divided placement packing replicas into few clusters.
func fxAggregated() *v1alpha1.ReplicaSchedulingStrategy {
	return &v1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType:     v1alpha1.ReplicaSchedulingTypeDivided,
		ReplicaDivisionPreference: v1alpha1.ReplicaDivisionPreferenceAggregated,
	}
}

// fxNamesAffinity is an affinity admitting the named clusters.
func fxNamesAffinity(names ...string) v1alpha1.ClusterAffinity {
	return v1alpha1.ClusterAffinity{ClusterNames: names}
}

// fxTime is a fixed instant plus the given minutes.
func fxTime(minutes int) *metav1.Time {
	t := metav1.NewTime(time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(minutes) * time.Minute))
	return &t
}
