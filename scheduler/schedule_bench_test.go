package scheduler

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// Benchmarks of the whole pipeline (BENCHMARKS.md S7; issue 3: 10,000 bindings over 1,000
// clusters in under 10 s on one core, cost no worse than O(clusters·log clusters)).
//
//	go test ./scheduler/ -run '^$' -bench 'BenchmarkSchedule' -benchmem -cpu 1

// benchFleet builds n clusters shaped like the F100/F1000 fixture: 5 regions, labels env
// (prod:staging = 2:1), tier t0–t3 and provider p0–p2, 10 % tainted
// maintenance=true:NoSchedule, a resource summary with allocatable and allocated
// cpu/memory/pods, and an API list of 12 group versions. Every 10 clusters share a
// "group" label, to select placements 10 clusters wide.
func benchFleet(n int) []*v1alpha1.Cluster {
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	apis := []v1alpha1.APIEnablement{
		{GroupVersion: "v1", Resources: []v1alpha1.APIResource{{Name: "configmaps", Kind: "ConfigMap"},
			{Name: "secrets", Kind: "Secret"}, {Name: "services", Kind: "Service"}, {Name: "serviceaccounts", Kind: "ServiceAccount"},
			{Name: "namespaces", Kind: "Namespace"}, {Name: "pods", Kind: "Pod"}}},
		{GroupVersion: "apps/v1", Resources: []v1alpha1.APIResource{{Name: "daemonsets", Kind: "DaemonSet"},
			{Name: "deployments", Kind: "Deployment"}, {Name: "replicasets", Kind: "ReplicaSet"}, {Name: "statefulsets", Kind: "StatefulSet"}}},
		{GroupVersion: "batch/v1", Resources: []v1alpha1.APIResource{{Name: "cronjobs", Kind: "CronJob"}, {Name: "jobs", Kind: "Job"}}},
	}
	for _, gv := range []string{"networking.k8s.io/v1", "rbac.authorization.k8s.io/v1", "policy/v1", "autoscaling/v2",
		"storage.k8s.io/v1", "apiextensions.k8s.io/v1", "coordination.k8s.io/v1", "discovery.k8s.io/v1", "example.io/v1alpha1"} {
		apis = append(apis, v1alpha1.APIEnablement{GroupVersion: gv, Resources: []v1alpha1.APIResource{{Name: "things", Kind: "Thing"}}})
	}
	clusters := make([]*v1alpha1.Cluster, n)
	for i := range clusters {
		env := "prod"
		if i%3 == 2 {
			env = "staging"
		}
		c := &v1alpha1.Cluster{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("member-%04d", i), Labels: map[string]string{
				"env": env, "tier": fmt.Sprintf("t%d", i%4), "group": fmt.Sprintf("g%d", i/10),
			}},
			Spec: v1alpha1.ClusterSpec{
				Provider: fmt.Sprintf("p%d", i%3),
				Region:   fmt.Sprintf("region-%d", i%5),
				Zones:    []string{fmt.Sprintf("region-%d-%c", i%5, 'a'+rune(i%3))},
			},
			Status: v1alpha1.ClusterStatus{
				APIEnablements: apis,
				Conditions: []metav1.Condition{{Type: v1alpha1.ClusterConditionCompleteAPIEnablements,
					Status: metav1.ConditionTrue, Reason: v1alpha1.APIEnablementsReasonComplete}},
				ResourceSummary: &v1alpha1.ResourceSummary{
					Allocatable: corev1.ResourceList{
						corev1.ResourceCPU:    *resource.NewQuantity(int64(32+rng.IntN(96)), resource.DecimalSI),
						corev1.ResourceMemory: *resource.NewQuantity(int64(128+rng.IntN(384))<<30, resource.BinarySI),
						corev1.ResourcePods:   *resource.NewQuantity(int64(330+rng.IntN(770)), resource.DecimalSI),
					},
					Allocated: corev1.ResourceList{
						corev1.ResourceCPU:    *resource.NewMilliQuantity(int64(rng.IntN(30000)), resource.DecimalSI),
						corev1.ResourceMemory: *resource.NewQuantity(int64(rng.IntN(100))<<30, resource.BinarySI),
						corev1.ResourcePods:   *resource.NewQuantity(int64(rng.IntN(300)), resource.DecimalSI),
					},
				},
			},
		}
		if i%10 == 7 {
			c.Spec.Taints = []corev1.Taint{{Key: "maintenance", Value: "true", Effect: corev1.TaintEffectNoSchedule}}
		}
		clusters[i] = c
	}
	return clusters
}

// benchRequirements is a typical Deployment's per-replica request.
var benchRequirements = &v1alpha1.ReplicaRequirements{ResourceRequest: corev1.ResourceList{
	corev1.ResourceCPU:    resource.MustParse("250m"),
	corev1.ResourceMemory: resource.MustParse("512Mi"),
}}

// benchPlacements are the placements of the four strategies benchmarked, as the F100 fixture
// policies write them.
func benchPlacements() map[string]*v1alpha1.Placement {
	prod := &v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod"}}}
	tolerate := []corev1.Toleration{{Key: "maintenance", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}}
	var byRegion []v1alpha1.StaticClusterWeight
	for r := range 5 {
		byRegion = append(byRegion, v1alpha1.StaticClusterWeight{
			TargetCluster: v1alpha1.ClusterAffinity{FieldSelector: &v1alpha1.FieldSelector{MatchExpressions: []corev1.NodeSelectorRequirement{
				{Key: "region", Operator: corev1.NodeSelectorOpIn, Values: []string{fmt.Sprintf("region-%d", r)}}}}},
			Weight: int64(r + 1),
		})
	}
	return map[string]*v1alpha1.Placement{
		"Duplicated": {ClusterAffinity: prod, ClusterTolerations: tolerate},
		"StaticWeight": {ClusterAffinity: prod, ReplicaScheduling: &v1alpha1.ReplicaSchedulingStrategy{
			ReplicaSchedulingType: v1alpha1.ReplicaSchedulingTypeDivided, ReplicaDivisionPreference: v1alpha1.ReplicaDivisionPreferenceWeighted,
			WeightPreference: &v1alpha1.ClusterPreferences{StaticWeightList: byRegion}}},
		"DynamicWeight": {ClusterAffinity: prod, ReplicaScheduling: fxDynamic()},
		"RegionSpread": {ReplicaScheduling: fxDynamic(), SpreadConstraints: []v1alpha1.SpreadConstraint{
			{SpreadByField: v1alpha1.SpreadByFieldRegion, MinGroups: 3, MaxGroups: 3},
			{SpreadByField: v1alpha1.SpreadByFieldCluster, MinGroups: 6, MaxGroups: 9}}},
	}
}

// BenchmarkSchedule schedules one Deployment binding (first schedule) per strategy over
// fleets of growing size.
func BenchmarkSchedule(b *testing.B) {
	placements := benchPlacements()
	for _, strategy := range []string{"Duplicated", "StaticWeight", "DynamicWeight", "RegionSpread"} {
		for _, n := range []int{10, 100, 1000, 5000} {
			b.Run(fmt.Sprintf("%s/clusters=%d", strategy, n), func(b *testing.B) {
				snap := NewSnapshot(benchFleet(n))
				spec := fxDeployment(int32(min(n, 100)), placements[strategy])
				spec.ReplicaRequirements = benchRequirements
				b.ReportAllocs()
				for b.Loop() {
					res := Schedule(snap, Binding{Spec: spec}, Options{})
					if res.Err != nil {
						b.Fatal(res.Err)
					}
				}
			})
		}
	}
}

// benchBindings builds count bindings over the fleet, mixed as the F100 policies are: per
// 50 policies, 20 Duplicated, 15 static weights by region, 10 dynamic weights and 5 region
// spreads; per app, 4 Deployments, 3 ConfigMaps and 3 Services. width > 0 narrows every
// placement to one group of `width` clusters (F1000's --max-width); 0 keeps the policies'
// own affinities (up to the whole fleet).
func benchBindings(count, clusters, width int) []*v1alpha1.ResourceBindingSpec {
	placements := benchPlacements()
	mix := make([]string, 0, 50)
	for kind, n := range map[string]int{"Duplicated": 20, "StaticWeight": 15, "DynamicWeight": 10, "RegionSpread": 5} {
		for range n {
			mix = append(mix, kind)
		}
	}
	// The map above leaves mix in random order; sort it back for a reproducible fleet.
	slices.Sort(mix)
	specs := make([]*v1alpha1.ResourceBindingSpec, count)
	for i := range specs {
		placement := placements[mix[(i/10)%len(mix)]].DeepCopy()
		if width > 0 {
			groups := max(clusters/width, 1)
			placement.ClusterAffinity = &v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{
				MatchLabels: map[string]string{"group": fmt.Sprintf("g%d", (i/10)%groups)}}}
			placement.SpreadConstraints = nil
		}
		var spec *v1alpha1.ResourceBindingSpec
		switch i % 10 {
		case 0, 1, 2, 3:
			spec = fxDeployment(int32(1+i%20), placement)
			spec.ReplicaRequirements = benchRequirements
		case 4, 5, 6:
			spec = fxConfigMap(placement)
		default:
			spec = fxConfigMap(placement)
			spec.Resource.Kind = "Service"
		}
		spec.Resource.Name = fmt.Sprintf("app-%d-%d", i/10, i%10)
		specs[i] = spec
	}
	return specs
}

// BenchmarkScheduleFleet schedules 10,000 bindings over 1,000 clusters, one op per fleet;
// ns/binding is the per-binding cost. "wide" keeps the policies' own affinities (Duplicated
// bindings go to ~600 clusters); "width=10" is F1000's shape, every placement 10 clusters
// wide.
func BenchmarkScheduleFleet(b *testing.B) {
	const bindings, clusters = 10000, 1000
	snap := NewSnapshot(benchFleet(clusters))
	for _, shape := range []struct {
		name  string
		width int
	}{{"wide", 0}, {"width=10", 10}} {
		b.Run(shape.name, func(b *testing.B) {
			specs := benchBindings(bindings, clusters, shape.width)
			b.ReportAllocs()
			var elapsed time.Duration
			for b.Loop() {
				start := time.Now()
				for _, spec := range specs {
					if res := Schedule(snap, Binding{Spec: spec}, Options{}); res.Err != nil {
						b.Fatalf("%s: %v", spec.Resource.Name, res.Err)
					}
				}
				elapsed += time.Since(start)
			}
			b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N*bindings), "ns/binding")
		})
	}
}
