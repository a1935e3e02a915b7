package clusterstatus_test

import (
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/clusterstatus"
)

func reportFS(files map[string][]byte) fstest.MapFS {
	fsys := fstest.MapFS{}
	for p, data := range files {
		fsys[p] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// What an agent collects survives the trip through its report files, byte-stable.
func TestReportRoundTrip(t *testing.T) {
	g := NewWithT(t)
	when := metav1.NewTime(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	web := clusterstatus.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}
	ns := clusterstatus.ObjectRef{APIVersion: "v1", Kind: "Namespace", Name: "shop"}
	in := clusterstatus.ClusterInput{
		Name: "edge-1",
		Status: &v1alpha1.ClusterStatus{KubernetesVersion: "v1.37.2", Conditions: []metav1.Condition{{
			Type: v1alpha1.ClusterConditionReady, Status: metav1.ConditionTrue, Reason: v1alpha1.ClusterReasonReady, LastTransitionTime: when}}},
		Nodes: &v1alpha1.ClusterNodes{Cluster: "edge-1", Nodes: []v1alpha1.NodeResources{{Name: "n1", Ready: true,
			Allocatable: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("4")}}}},
		Objects: map[clusterstatus.ObjectRef]v1alpha1.AggregatedStatusItem{
			web: {ClusterName: "edge-1", Applied: true, Health: v1alpha1.ResourceHealthy, Status: &runtime.RawExtension{Raw: []byte(`{"readyReplicas":2}`)}},
			ns:  {ClusterName: "edge-1", Applied: false, AppliedMessage: "conflict", Health: v1alpha1.ResourceUnknown},
		},
		Unschedulable: &clusterstatus.UnschedulableFile{Cluster: "edge-1", Workloads: []clusterstatus.UnschedulableWorkload{{
			WorkloadRef: clusterstatus.WorkloadRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"},
			Since:       []metav1.Time{when}}}},
	}
	files, err := clusterstatus.EncodeReport(in)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(files).To(HaveKey(clusterstatus.ReportClusterFile))
	g.Expect(files).To(HaveKey(clusterstatus.ReportNodesFile))
	g.Expect(files).To(HaveKey(clusterstatus.ReportObjectsFile))
	g.Expect(files).To(HaveKey(clusterstatus.ReportUnschedulableFile))

	out, err := clusterstatus.DecodeReport(reportFS(files), "edge-1")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(out.Status.KubernetesVersion).To(Equal("v1.37.2"))
	g.Expect(out.Status.Conditions).To(HaveLen(1))
	g.Expect(out.Status.Conditions[0].LastTransitionTime.Time).To(BeTemporally("==", when.Time))
	g.Expect(out.Nodes.Nodes).To(HaveLen(1))
	g.Expect(out.Nodes.Nodes[0].Allocatable.Cpu().String()).To(Equal("4"))
	g.Expect(out.Objects).To(HaveLen(2))
	g.Expect(out.Objects[web].ClusterName).To(Equal("edge-1"))
	g.Expect(out.Objects[web].Health).To(Equal(v1alpha1.ResourceHealthy))
	g.Expect(string(out.Objects[web].Status.Raw)).To(MatchJSON(`{"readyReplicas":2}`))
	g.Expect(out.Objects[ns].AppliedMessage).To(Equal("conflict"))
	g.Expect(out.Unschedulable.Workloads).To(HaveLen(1))
	g.Expect(out.Unschedulable.Workloads[0].Name).To(Equal("web"))
	g.Expect(out.Unschedulable.Workloads[0].Since[0].Time).To(BeTemporally("==", when.Time))

	again, err := clusterstatus.EncodeReport(out)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(again).To(Equal(files), "decode then encode gives the same bytes")

	_, err = clusterstatus.DecodeReport(reportFS(files), "edge-2")
	g.Expect(err).To(MatchError(ContainSubstring(`cluster.yaml: about cluster "edge-1", not "edge-2"`)), "a report is read only for its own cluster")

	partial, err := clusterstatus.DecodeReport(fstest.MapFS{}, "edge-1")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(partial.Status).To(BeNil())
	g.Expect(partial.Objects).To(BeNil(), "no objects file keeps the previous items")

	files[clusterstatus.ReportObjectsFile] = []byte("objects: {\n")
	_, err = clusterstatus.DecodeReport(reportFS(files), "edge-1")
	g.Expect(err).To(MatchError(ContainSubstring(clusterstatus.ReportObjectsFile)))
}

// An agent report's report.yaml round-trips, and a report about another cluster is refused.
func TestAgentReportRoundTrip(t *testing.T) {
	rep := &v1alpha1.AgentReport{Cluster: "edge-1", AgentVersion: "v1", ObservedCommit: "abc",
		Sync: v1alpha1.ClusterSyncStatus{Cluster: "edge-1", AppliedCommit: "abc", Objects: 3}}
	files, err := clusterstatus.EncodeAgentReport(clusterstatus.ClusterInput{Name: "edge-1"}, rep)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for p, data := range files {
		fsys[p] = &fstest.MapFile{Data: data}
	}
	got, err := clusterstatus.DecodeAgentReport(fsys, "edge-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Kind != "AgentReport" || got.Sync.AppliedCommit != "abc" || got.Sync.Objects != 3 || got.ObservedCommit != "abc" {
		t.Errorf("decoded %+v, want the report encoded", got)
	}
	if _, err := clusterstatus.DecodeAgentReport(fsys, "edge-2"); err == nil {
		t.Error("a report about edge-1 read as edge-2's")
	}
	if got, err := clusterstatus.DecodeAgentReport(fstest.MapFS{}, "edge-1"); got != nil || err != nil {
		t.Errorf("no report.yaml: got %v, %v; want nil, nil", got, err)
	}
}
