package clusterstatus

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer/interpreter"
)

func readyStatus(status metav1.ConditionStatus, reason string, at time.Time) *v1alpha1.ClusterStatus {
	return &v1alpha1.ClusterStatus{Conditions: []metav1.Condition{{
		Type: v1alpha1.ClusterConditionReady, Status: status, Reason: reason, Message: reason,
		LastTransitionTime: metav1.NewTime(at)}}}
}

// TestBuildTreeConditionTimes: a condition keeps its lastTransitionTime while its status
// holds, and takes the new time when it flips; what a round did not collect is carried over.
func TestBuildTreeConditionTimes(t *testing.T) {
	g := NewWithT(t)
	t0, t1, t2 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC)
	first := readyStatus(metav1.ConditionTrue, v1alpha1.ClusterReasonReady, t0)
	first.KubernetesVersion = "v1.37.2"
	first.NodeSummary = &v1alpha1.NodeSummary{TotalNum: 1, ReadyNum: 1}
	files, err := BuildTree(nil, Inputs{Clusters: []ClusterInput{
		{Name: "a", Status: first, Nodes: &v1alpha1.ClusterNodes{Nodes: []v1alpha1.NodeResources{{Name: "n1", Ready: true}}}},
		{Name: "b", Status: readyStatus(metav1.ConditionTrue, v1alpha1.ClusterReasonReady, t0)},
	}})
	g.Expect(err).NotTo(HaveOccurred())
	prev := mapFS(files)

	// Same status at t1: byte-identical.
	again := first.DeepCopy()
	again.Conditions[0].LastTransitionTime = metav1.NewTime(t1)
	files2, err := BuildTree(prev, Inputs{Clusters: []ClusterInput{
		{Name: "a", Status: again, Nodes: &v1alpha1.ClusterNodes{Nodes: []v1alpha1.NodeResources{{Name: "n1", Ready: true}}}},
		{Name: "b"}, // not probed this round: its file is kept
	}})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(files2).To(Equal(files))

	// Not reachable at t2: the time moves, the rest is kept; a cluster left out is dropped.
	files3, err := BuildTree(prev, Inputs{Clusters: []ClusterInput{
		{Name: "a", Status: readyStatus(metav1.ConditionFalse, v1alpha1.ClusterReasonNotReachable, t2)},
	}})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(files3).To(HaveLen(2))
	g.Expect(files3[NodesFilePath("a")]).To(Equal(files[NodesFilePath("a")]))
	var cl v1alpha1.Cluster
	g.Expect(yaml.Unmarshal(files3[ClusterFilePath("a")], &cl)).To(Succeed())
	ready := apimeta.FindStatusCondition(cl.Status.Conditions, v1alpha1.ClusterConditionReady)
	g.Expect(ready.Status).To(Equal(metav1.ConditionFalse))
	g.Expect(ready.LastTransitionTime.Time).To(BeTemporally("==", t2))
	g.Expect(cl.Status.KubernetesVersion).To(Equal("v1.37.2"))
	g.Expect(cl.Status.NodeSummary.TotalNum).To(BeEquivalentTo(1))
}

// TestBuildTreeResourceItems: per-cluster items come from the round, else from the previous
// tree, else they say the status was not collected; the aggregate uses the built-in rule.
func TestBuildTreeResourceItems(t *testing.T) {
	g := NewWithT(t)
	template := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": "web", "namespace": "shop"},
		"spec":     map[string]any{"replicas": int64(3)},
	}}
	ref := RefOf(template)
	item := func(cluster string, ready int) v1alpha1.AggregatedStatusItem {
		raw := []byte(`{"replicas":` + string(rune('0'+ready)) + `,"readyReplicas":` + string(rune('0'+ready)) + `}`)
		return v1alpha1.AggregatedStatusItem{ClusterName: cluster, Applied: true, Health: v1alpha1.ResourceHealthy,
			Status: &runtime.RawExtension{Raw: raw}}
	}
	in := Inputs{
		Clusters: []ClusterInput{
			{Name: "a", Objects: map[ObjectRef]v1alpha1.AggregatedStatusItem{ref: item("a", 1)}},
			{Name: "b", Objects: map[ObjectRef]v1alpha1.AggregatedStatusItem{ref: item("b", 2)}},
		},
		Templates: []TemplateInput{{Template: template, Clusters: []string{"b", "a"}}},
	}
	files, err := BuildTree(nil, in)
	g.Expect(err).NotTo(HaveOccurred())
	p := "resources/shop/apps.deployment.web.yaml"
	g.Expect(files).To(HaveKey(p))

	// Round two: b was not collected and c is new.
	in.Clusters[1].Objects = nil
	in.Templates[0].Clusters = []string{"a", "b", "c"}
	files2, err := BuildTree(mapFS(files), in)
	g.Expect(err).NotTo(HaveOccurred())
	var rs ResourceStatus
	g.Expect(yaml.Unmarshal(files2[p], &rs)).To(Succeed())
	g.Expect(rs.AggregatedStatus).To(HaveLen(3))
	g.Expect(rs.AggregatedStatus[1].ClusterName).To(Equal("b"))
	g.Expect(rs.AggregatedStatus[1].Health).To(Equal(v1alpha1.ResourceHealthy))
	g.Expect(rs.AggregatedStatus[2]).To(Equal(v1alpha1.AggregatedStatusItem{ClusterName: "c",
		Health: v1alpha1.ResourceUnknown, AppliedMessage: "status not collected yet"}))
	g.Expect(rs.Status).To(HaveKeyWithValue("readyReplicas", BeNumerically("==", 3)))
}

// TestObjectItem: health from the interpreter; kinds without a health rule are Healthy,
// interpreter errors Unknown, missing objects not applied.
func TestObjectItem(t *testing.T) {
	interp, err := interpreter.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	obj := func(apiVersion, kind string, status map[string]any) *unstructured.Unstructured {
		o := &unstructured.Unstructured{Object: map[string]any{"apiVersion": apiVersion, "kind": kind,
			"metadata": map[string]any{"name": "x", "namespace": "ns", "generation": int64(1)}}}
		if status != nil {
			o.Object["status"] = status
		}
		return o
	}
	cases := []struct {
		name    string
		obj     *unstructured.Unstructured
		applied bool
		health  v1alpha1.ResourceHealth
	}{
		{"not found", nil, false, v1alpha1.ResourceUnknown},
		{"no health rule", obj("v1", "ConfigMap", nil), true, v1alpha1.ResourceHealthy},
		{"healthy deployment", obj("apps/v1", "Deployment", map[string]any{"observedGeneration": int64(1), "replicas": int64(1),
			"updatedReplicas": int64(1), "availableReplicas": int64(1)}), true, v1alpha1.ResourceHealthy},
		{"rolling deployment", obj("apps/v1", "Deployment", map[string]any{"observedGeneration": int64(0)}), true, v1alpha1.ResourceUnhealthy},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.obj != nil && c.obj.GetKind() == "Deployment" {
				_ = unstructured.SetNestedField(c.obj.Object, int64(1), "spec", "replicas")
			}
			item := objectItem("m1", c.obj, interp)
			if item.Applied != c.applied || item.Health != c.health {
				t.Errorf("item = %+v, want applied %v health %s", item, c.applied, c.health)
			}
		})
	}
}

// TestObjectItemLuaError: a customization whose health script fails gives Unknown, and the
// object still counts as applied.
func TestObjectItemLuaError(t *testing.T) {
	ric := &v1alpha1.ResourceInterpreterCustomization{}
	ric.Name = "broken-health"
	ric.Spec.Target = v1alpha1.CustomizationTarget{APIVersion: "example.io/v1", Kind: "Widget"}
	ric.Spec.Customizations.HealthInterpretation = &v1alpha1.HealthInterpretation{
		LuaScript: "function InterpretHealth(observedObj) error('boom') end"}
	interp, err := interpreter.New([]*v1alpha1.ResourceInterpreterCustomization{ric})
	if err != nil {
		t.Fatal(err)
	}
	obj := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "example.io/v1", "kind": "Widget",
		"metadata": map[string]any{"name": "w"}, "status": map[string]any{"phase": "Up"}}}
	item := objectItem("m1", obj, interp)
	if !item.Applied || item.Health != v1alpha1.ResourceUnknown || item.Status == nil {
		t.Errorf("item = %+v, want applied, Unknown health and the reflected status", item)
	}
}

func TestIsTreeFile(t *testing.T) {
	for p, want := range map[string]bool{
		"clusters/eu-1.yaml":                      true,
		"clusters/eu-1/nodes.yaml":                true,
		"clusters/eu-1/unschedulable.yaml":        true,
		"resources/shop/apps.deployment.web.yaml": true,
		"clusters/eu-1/sync.yaml":                 false,
		"clusters/eu-1/other.yaml":                false,
		"decisions/evictions.yaml":                false,
		"render.yaml":                             false,
	} {
		if got := IsTreeFile(p); got != want {
			t.Errorf("IsTreeFile(%q) = %v, want %v", p, got, want)
		}
	}
}
