package v1alpha1

import (
	"math"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"
)

var commitTime = metav1.Unix(1700000000, 0)

func TestSetDefaultsClusterZones(t *testing.T) {
	tests := []struct {
		name      string
		zone      string
		zones     []string
		wantZone  string
		wantZones []string
	}{
		{name: "zone moves into zones", zone: "z1", wantZones: []string{"z1"}},
		{name: "zones kept", zones: []string{"z1", "z2"}, wantZones: []string{"z1", "z2"}},
		// Both set is invalid; defaulting leaves it for validation to report.
		{name: "zone and zones left alone", zone: "z0", zones: []string{"z1"}, wantZone: "z0", wantZones: []string{"z1"}},
		{name: "neither"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Cluster{Spec: ClusterSpec{Zone: tt.zone, Zones: tt.zones}}
			SetDefaultsCluster(c, commitTime)
			if c.Spec.Zone != tt.wantZone {
				t.Errorf("zone = %q, want %q", c.Spec.Zone, tt.wantZone)
			}
			if len(c.Spec.Zones) != len(tt.wantZones) {
				t.Fatalf("zones = %v, want %v", c.Spec.Zones, tt.wantZones)
			}
			for i := range tt.wantZones {
				if c.Spec.Zones[i] != tt.wantZones[i] {
					t.Errorf("zones = %v, want %v", c.Spec.Zones, tt.wantZones)
				}
			}
		})
	}
}

func TestSetDefaultsClusterTaints(t *testing.T) {
	earlier := metav1.Unix(1600000000, 0)
	taints := func() []corev1.Taint {
		return []corev1.Taint{
			{Key: "a", Effect: corev1.TaintEffectNoExecute},
			{Key: "b", Effect: corev1.TaintEffectNoSchedule},
			{Key: "c", Effect: corev1.TaintEffectNoExecute, TimeAdded: &earlier},
		}
	}

	t.Run("NoExecute taints without timeAdded get the epoch", func(t *testing.T) {
		c := &Cluster{Spec: ClusterSpec{Taints: taints()}}
		SetDefaultsCluster(c, commitTime)
		if got := c.Spec.Taints[0].TimeAdded; got == nil || !got.Equal(&commitTime) {
			t.Errorf("NoExecute taint timeAdded = %v, want %v", got, commitTime)
		}
		if got := c.Spec.Taints[1].TimeAdded; got != nil {
			t.Errorf("NoSchedule taint timeAdded = %v, want unset", got)
		}
		if got := c.Spec.Taints[2].TimeAdded; got == nil || !got.Equal(&earlier) {
			t.Errorf("existing timeAdded = %v, want %v kept", got, earlier)
		}
	})

	t.Run("zero epoch leaves timeAdded unset", func(t *testing.T) {
		c := &Cluster{Spec: ClusterSpec{Taints: taints()}}
		SetDefaultsCluster(c, metav1.Time{})
		if got := c.Spec.Taints[0].TimeAdded; got != nil {
			t.Errorf("timeAdded = %v, want unset", got)
		}
	})

	t.Run("each taint gets its own time", func(t *testing.T) {
		c := &Cluster{Spec: ClusterSpec{Taints: []corev1.Taint{
			{Key: "a", Effect: corev1.TaintEffectNoExecute}, {Key: "b", Effect: corev1.TaintEffectNoExecute},
		}}}
		SetDefaultsCluster(c, commitTime)
		if c.Spec.Taints[0].TimeAdded == c.Spec.Taints[1].TimeAdded {
			t.Error("taints share one *metav1.Time; changing one would change the other")
		}
	})
}

func TestSetDefaultsClusterNamespace(t *testing.T) {
	c := &Cluster{ObjectMeta: metav1.ObjectMeta{Name: "m1", Namespace: "apps"}}
	SetDefaultsCluster(c, commitTime)
	if c.Namespace != "" {
		t.Errorf("namespace = %q, want it dropped", c.Namespace)
	}
}

// TestDefaultResourceModels checks the nine grades against the table in the reference (§1.3):
// cpu [0,1) [1,2) [2,4) [4,8) [8,16) [16,32) [32,64) [64,128) [128,MaxInt64) and memory
// [0,4Gi) [4Gi,16Gi) [16Gi,32Gi) [32Gi,64Gi) [64Gi,128Gi) [128Gi,256Gi) [256Gi,512Gi)
// [512Gi,1Ti) [1Ti,MaxInt64).
func TestDefaultResourceModels(t *testing.T) {
	const maxInt = "9223372036854775807"
	want := []struct{ cpuMin, cpuMax, memMin, memMax string }{
		{"0", "1", "0", "4Gi"},
		{"1", "2", "4Gi", "16Gi"},
		{"2", "4", "16Gi", "32Gi"},
		{"4", "8", "32Gi", "64Gi"},
		{"8", "16", "64Gi", "128Gi"},
		{"16", "32", "128Gi", "256Gi"},
		{"32", "64", "256Gi", "512Gi"},
		{"64", "128", "512Gi", "1Ti"},
		{"128", maxInt, "1Ti", maxInt},
	}
	c := &Cluster{}
	SetDefaultsCluster(c, commitTime)
	models := c.Spec.ResourceModels
	if len(models) != len(want) {
		t.Fatalf("got %d models, want %d", len(models), len(want))
	}
	for i, w := range want {
		m := models[i]
		if m.Grade != uint(i) {
			t.Errorf("model %d: grade %d", i, m.Grade)
		}
		if len(m.Ranges) != 2 || m.Ranges[0].Name != corev1.ResourceCPU || m.Ranges[1].Name != corev1.ResourceMemory {
			t.Fatalf("model %d: ranges %v, want cpu then memory", i, m.Ranges)
		}
		check := func(what string, got resource.Quantity, want string) {
			if got.Cmp(resource.MustParse(want)) != 0 {
				t.Errorf("grade %d %s = %s, want %s", i, what, got.String(), want)
			}
		}
		check("cpu min", m.Ranges[0].Min, w.cpuMin)
		check("cpu max", m.Ranges[0].Max, w.cpuMax)
		check("memory min", m.Ranges[1].Min, w.memMin)
		check("memory max", m.Ranges[1].Max, w.memMax)
	}
	// Serialised, the memory bounds read as binary quantities.
	if got := models[1].Ranges[1].Min.String(); got != "4Gi" {
		t.Errorf("grade 1 memory min serialises as %q, want 4Gi", got)
	}
}

func TestSetDefaultsClusterStandardizesUserModels(t *testing.T) {
	cpu := func(grade uint, minimum, maximum string) ResourceModel {
		return ResourceModel{Grade: grade, Ranges: []ResourceModelRange{
			{Name: corev1.ResourceCPU, Min: resource.MustParse(minimum), Max: resource.MustParse(maximum)},
		}}
	}
	c := &Cluster{Spec: ClusterSpec{ResourceModels: []ResourceModel{cpu(2, "4", "6"), cpu(0, "1", "2"), cpu(1, "2", "4")}}}
	SetDefaultsCluster(c, commitTime)
	got := c.Spec.ResourceModels
	for i, grade := range []uint{0, 1, 2} {
		if got[i].Grade != grade {
			t.Fatalf("grades %d,%d,%d, want sorted 0,1,2", got[0].Grade, got[1].Grade, got[2].Grade)
		}
	}
	if !got[0].Ranges[0].Min.IsZero() {
		t.Errorf("first grade min = %s, want 0", got[0].Ranges[0].Min.String())
	}
	if v := got[2].Ranges[0].Max.Value(); v != math.MaxInt64 {
		t.Errorf("last grade max = %d, want MaxInt64", v)
	}
	if got[1].Ranges[0].Min.Cmp(resource.MustParse("2")) != 0 || got[1].Ranges[0].Max.Cmp(resource.MustParse("4")) != 0 {
		t.Errorf("middle grade = [%s,%s), want [2,4) unchanged", got[1].Ranges[0].Min.String(), got[1].Ranges[0].Max.String())
	}
}

// TestClusterYAML reads a Cluster as Karmada users write it, strictly (every field name must
// be known), and defaults it.
func TestClusterYAML(t *testing.T) {
	const doc = `
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: member-1
  labels: {env: prod}
spec:
  id: 8c2f0b6e-1a5c-4f1e-9d2a-3b7c4d5e6f70
  syncMode: Push
  apiEndpoint: https://172.18.0.3:6443
  secretRef: {namespace: karmada-cluster, name: member-1}
  impersonatorSecretRef: {namespace: karmada-cluster, name: member-1-impersonator}
  insecureSkipTLSVerification: false
  proxyURL: socks5://proxy.example:1080
  proxyHeader: {Proxy-Authorization: Basic abc}
  provider: aws
  region: eu-west-1
  zone: eu-west-1a
  taints:
  - {key: cluster.karmada.io/not-ready, effect: NoExecute}
  resourceModels:
  - grade: 1
    ranges:
    - {name: cpu, min: "2", max: "4"}
  - grade: 0
    ranges:
    - {name: cpu, min: "0", max: "2"}
status:
  kubernetesVersion: v1.37.2
  apiEnablements:
  - groupVersion: apps/v1
    resources: [{name: deployments, kind: Deployment}]
  conditions:
  - {type: Ready, status: "True", reason: ClusterReady, message: cluster is healthy and ready to accept workloads, lastTransitionTime: "2026-01-01T00:00:00Z"}
  nodeSummary: {totalNum: 3, readyNum: 3}
  resourceSummary:
    allocatable: {cpu: "12", memory: 48Gi}
    allocating: {cpu: 500m}
    allocated: {cpu: "4"}
    allocatableModelings: [{grade: 0, count: 1}, {grade: 1, count: 2}]
  remedyActions: [TrafficControl]
`
	var c Cluster
	if err := yaml.UnmarshalStrict([]byte(doc), &c); err != nil {
		t.Fatalf("strict decode: %v", err)
	}
	SetDefaultsCluster(&c, commitTime)
	if c.Spec.Zone != "" || len(c.Spec.Zones) != 1 || c.Spec.Zones[0] != "eu-west-1a" {
		t.Errorf("zone/zones = %q/%v, want zone migrated", c.Spec.Zone, c.Spec.Zones)
	}
	if c.Spec.Taints[0].TimeAdded == nil {
		t.Error("NoExecute taint has no timeAdded")
	}
	if c.Spec.ResourceModels[0].Grade != 0 {
		t.Error("resource models not sorted")
	}
	if c.Status.ResourceSummary.AllocatableModelings[1].Count != 2 || c.Status.NodeSummary.ReadyNum != 3 {
		t.Errorf("status not read: %+v", c.Status)
	}
}

func TestClusterAPIEnablement(t *testing.T) {
	deployment := schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}
	widget := schema.GroupVersionKind{Group: "example.io", Version: "v1", Kind: "Widget"}
	pod := schema.GroupVersionKind{Version: "v1", Kind: "Pod"}
	complete := func(status metav1.ConditionStatus) []metav1.Condition {
		return []metav1.Condition{{Type: ClusterConditionCompleteAPIEnablements, Status: status}}
	}
	enablements := []APIEnablement{
		{GroupVersion: "apps/v1", Resources: []APIResource{{Name: "deployments", Kind: "Deployment"}}},
		{GroupVersion: "v1", Resources: []APIResource{{Name: "pods", Kind: "Pod"}}},
	}
	tests := []struct {
		name       string
		conditions []metav1.Condition
		gvk        schema.GroupVersionKind
		want       APIEnablementStatus
	}{
		{name: "listed", gvk: deployment, want: APIEnabled},
		{name: "listed in the core group", gvk: pod, want: APIEnabled},
		{name: "listed, list partial", conditions: complete(metav1.ConditionFalse), gvk: deployment, want: APIEnabled},
		{name: "not listed, list complete", conditions: complete(metav1.ConditionTrue), gvk: widget, want: APIDisabled},
		{name: "not listed, list partial", conditions: complete(metav1.ConditionFalse), gvk: widget, want: APIUnknown},
		{name: "not listed, completeness unknown", gvk: widget, want: APIUnknown},
		{name: "other version of a listed group", conditions: complete(metav1.ConditionTrue),
			gvk: schema.GroupVersionKind{Group: "apps", Version: "v1beta1", Kind: "Deployment"}, want: APIDisabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Cluster{Status: ClusterStatus{APIEnablements: enablements, Conditions: tt.conditions}}
			if got := c.APIEnablement(tt.gvk); got != tt.want {
				t.Errorf("APIEnablement(%v) = %s, want %s", tt.gvk, got, tt.want)
			}
		})
	}
}

func TestSetDefaultsMultiClusterService(t *testing.T) {
	t.Run("permanent id derived from identity", func(t *testing.T) {
		a := &MultiClusterService{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web"}}
		b := &MultiClusterService{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web", Labels: map[string]string{"x": "y"}}}
		SetDefaultsMultiClusterService(a)
		SetDefaultsMultiClusterService(b)
		want := DerivePermanentID("MultiClusterService", "shop", "web")
		if got := a.Labels[MultiClusterServicePermanentIDLabel]; got != want {
			t.Errorf("label = %q, want %q", got, want)
		}
		if got := b.Labels[MultiClusterServicePermanentIDLabel]; got != want || b.Labels["x"] != "y" {
			t.Errorf("labels = %v, want the id added and others kept", b.Labels)
		}
	})
	t.Run("existing id kept", func(t *testing.T) {
		m := &MultiClusterService{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web",
			Labels: map[string]string{MultiClusterServicePermanentIDLabel: "given"}}}
		SetDefaultsMultiClusterService(m)
		if got := m.Labels[MultiClusterServicePermanentIDLabel]; got != "given" {
			t.Errorf("label = %q, want %q kept", got, "given")
		}
	})
}

func TestSetDefaultsClusterScopedKindsDropNamespace(t *testing.T) {
	r := &ResourceInterpreterCustomization{ObjectMeta: metav1.ObjectMeta{Name: "r", Namespace: "apps"}}
	SetDefaultsResourceInterpreterCustomization(r)
	w := &WorkloadRebalancer{ObjectMeta: metav1.ObjectMeta{Name: "w", Namespace: "apps"}}
	SetDefaultsWorkloadRebalancer(w)
	if r.Namespace != "" || w.Namespace != "" {
		t.Errorf("namespaces %q, %q: want both dropped", r.Namespace, w.Namespace)
	}
}
