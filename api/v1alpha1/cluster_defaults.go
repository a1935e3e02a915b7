package v1alpha1

import (
	"math"
	"sort"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// gibibyte is the unit of the default memory resource models.
const gibibyte = 1024 * 1024 * 1024

// SetDefaultsCluster fills a Cluster read from Git the way Karmada's cluster API does on
// creation (registry strategy and canonicalisation, with the CustomizedClusterResourceModeling
// feature on, its default):
//   - a metadata.namespace is dropped, as the API server does for cluster-scoped kinds;
//   - a lone deprecated `zone` moves into `zones`;
//   - NoExecute taints without timeAdded get timeAdded = epoch. Karmada uses the creation time;
//     gitfleet has none, so the caller passes the source commit's time. A zero epoch leaves
//     timeAdded unset: the function never reads the clock;
//   - without resourceModels, DefaultResourceModels() is filled in; otherwise the models are
//     sorted by grade, the first grade's minimums become 0 and the last grade's maximums
//     become MaxInt64.
func SetDefaultsCluster(c *Cluster, epoch metav1.Time) {
	c.Namespace = ""

	if c.Spec.Zone != "" && len(c.Spec.Zones) == 0 {
		c.Spec.Zones = []string{c.Spec.Zone}
		c.Spec.Zone = ""
	}

	if !epoch.IsZero() {
		for i := range c.Spec.Taints {
			t := &c.Spec.Taints[i]
			if t.Effect == corev1.TaintEffectNoExecute && t.TimeAdded == nil {
				added := epoch.DeepCopy()
				t.TimeAdded = added
			}
		}
	}

	if len(c.Spec.ResourceModels) == 0 {
		c.Spec.ResourceModels = DefaultResourceModels()
	} else {
		StandardizeResourceModels(c.Spec.ResourceModels)
	}
}

// StandardizeResourceModels sorts models by grade (stably) and stretches them to cover every
// amount: the first grade's minimums become 0 and the last grade's maximums MaxInt64, whatever
// was written, because Karmada treats those bounds as open anyway.
func StandardizeResourceModels(models []ResourceModel) {
	if len(models) == 0 {
		return
	}
	sort.SliceStable(models, func(i, j int) bool { return models[i].Grade < models[j].Grade })
	for i := range models[0].Ranges {
		models[0].Ranges[i].Min.Set(0)
	}
	last := models[len(models)-1].Ranges
	for i := range last {
		last[i].Max.Set(math.MaxInt64)
	}
}

// DefaultResourceModels returns Karmada's nine default resource models: grades 0..8 over cpu
// (cores) and memory, with the cpu bounds 0, 1, 2, 4, 8, 16, 32, 64, 128, MaxInt64 and the
// memory bounds 0, 4Gi, 16Gi, 32Gi, 64Gi, 128Gi, 256Gi, 512Gi, 1Ti, MaxInt64.
func DefaultResourceModels() []ResourceModel {
	cpuBounds := []int64{0, 1, 2, 4, 8, 16, 32, 64, 128, math.MaxInt64}
	memoryBounds := []int64{0, 4 * gibibyte, 16 * gibibyte, 32 * gibibyte, 64 * gibibyte,
		128 * gibibyte, 256 * gibibyte, 512 * gibibyte, 1024 * gibibyte, math.MaxInt64}
	models := make([]ResourceModel, 0, len(cpuBounds)-1)
	for grade := 0; grade < len(cpuBounds)-1; grade++ {
		models = append(models, ResourceModel{
			Grade: uint(grade),
			Ranges: []ResourceModelRange{
				{
					Name: corev1.ResourceCPU,
					Min:  *resource.NewQuantity(cpuBounds[grade], resource.DecimalSI),
					Max:  *resource.NewQuantity(cpuBounds[grade+1], resource.DecimalSI),
				},
				{
					Name: corev1.ResourceMemory,
					Min:  *resource.NewQuantity(memoryBounds[grade], resource.BinarySI),
					Max:  *resource.NewQuantity(memoryBounds[grade+1], resource.BinarySI),
				},
			},
		})
	}
	return models
}

// SetDefaultsMultiClusterService fills a MultiClusterService read from Git the way Karmada's
// mutating webhook does: it gets the MultiClusterServicePermanentIDLabel unless it already has
// a non-empty one. Karmada draws a random UUID; gitfleet derives it from the object's identity
// (DerivePermanentID), so it is the same in every render.
func SetDefaultsMultiClusterService(m *MultiClusterService) {
	if m.Labels[MultiClusterServicePermanentIDLabel] != "" {
		return
	}
	if m.Labels == nil {
		m.Labels = map[string]string{}
	}
	m.Labels[MultiClusterServicePermanentIDLabel] = DerivePermanentID(ResourceKindMultiClusterService, m.Namespace, m.Name)
}

// SetDefaultsResourceInterpreterCustomization fills a ResourceInterpreterCustomization read
// from Git. Karmada defaults none of its fields; only a metadata.namespace is dropped, as the
// API server does for cluster-scoped kinds.
func SetDefaultsResourceInterpreterCustomization(r *ResourceInterpreterCustomization) {
	r.Namespace = ""
}

// SetDefaultsWorkloadRebalancer fills a WorkloadRebalancer read from Git. Karmada defaults none
// of its fields; only a metadata.namespace is dropped, as the API server does for
// cluster-scoped kinds.
func SetDefaultsWorkloadRebalancer(w *WorkloadRebalancer) {
	w.Namespace = ""
}
