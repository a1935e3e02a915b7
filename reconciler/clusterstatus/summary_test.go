package clusterstatus

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func TestRoundQuantity(t *testing.T) {
	cases := []struct {
		name     corev1.ResourceName
		in       string
		dir      roundDirection
		expected string
	}{
		{corev1.ResourceCPU, "3950m", roundDown, "3900m"},
		{corev1.ResourceCPU, "3950m", roundUp, "4"},
		{corev1.ResourceCPU, "250m", roundUp, "300m"},
		{corev1.ResourceCPU, "1", roundDown, "1"},
		{corev1.ResourceMemory, "1000Ki", roundUp, "1Mi"},
		{corev1.ResourceMemory, "8151352Ki", roundDown, "7960Mi"},
		{corev1.ResourceMemory, "64Mi", roundUp, "64Mi"},
		{corev1.ResourceEphemeralStorage, "1G", roundDown, "953Mi"},
		{"hugepages-2Mi", "3Mi", roundUp, "3Mi"},
		{corev1.ResourcePods, "110", roundDown, "110"},
		{"nvidia.com/gpu", "3", roundUp, "3"},
	}
	for _, c := range cases {
		got := roundQuantity(c.name, resource.MustParse(c.in), c.dir)
		if got.String() != c.expected {
			t.Errorf("round %s %s (dir %d) = %s, want %s", c.name, c.in, c.dir, got.String(), c.expected)
		}
	}
}

func TestPodRequests(t *testing.T) {
	always := corev1.ContainerRestartPolicyAlways
	pod := &corev1.Pod{Spec: corev1.PodSpec{
		Containers: []corev1.Container{
			{Resources: requests("100m", "100Mi")},
			{Resources: requests("200m", "100Mi")},
		},
		InitContainers: []corev1.Container{
			{Resources: requests("1", "10Mi")},                           // larger CPU than all containers
			{Resources: requests("50m", "50Mi"), RestartPolicy: &always}, // a sidecar: added to the total
		},
		Overhead: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("10m")},
	}}
	got := podRequests(pod)
	if got.Cpu().String() != "1010m" || got.Memory().String() != "250Mi" {
		t.Errorf("requests = cpu %s memory %s, want 1010m and 250Mi", got.Cpu(), got.Memory())
	}
}

// TestSummarize follows DESIGN §1.3: allocatable counts only ready nodes; allocated the
// scheduled, non-terminated pods; allocating the pods not yet scheduled.
func TestSummarize(t *testing.T) {
	nodes := []corev1.Node{
		node("n2", true, "4", "8Gi"),
		node("n1", true, "3950m", "8151352Ki"),
		node("n3", false, "4", "8Gi"),
	}
	pods := []corev1.Pod{
		pod("running", "n1", corev1.PodRunning, "250m", "100Mi"),
		pod("pending-bound", "n2", corev1.PodPending, "100m", "1Mi"),
		pod("done", "n1", corev1.PodSucceeded, "8", "8Gi"),
		pod("failed", "n2", corev1.PodFailed, "8", "8Gi"),
		pod("unscheduled", "", corev1.PodPending, "1", "1Gi"),
	}
	summary, resources, file := summarize("c1", nodes, pods)
	if diff := cmp.Diff(&v1alpha1.NodeSummary{TotalNum: 3, ReadyNum: 2}, summary); diff != "" {
		t.Errorf("nodeSummary (-want +got):\n%s", diff)
	}
	want := map[string]map[corev1.ResourceName]string{
		"allocatable": {corev1.ResourceCPU: "7900m", corev1.ResourceMemory: "16152Mi", corev1.ResourcePods: "220"},
		"allocated":   {corev1.ResourceCPU: "400m", corev1.ResourceMemory: "101Mi", corev1.ResourcePods: "2"},
		"allocating":  {corev1.ResourceCPU: "1", corev1.ResourceMemory: "1Gi", corev1.ResourcePods: "1"},
	}
	got := map[string]map[corev1.ResourceName]string{
		"allocatable": quantityStrings(resources.Allocatable),
		"allocated":   quantityStrings(resources.Allocated),
		"allocating":  quantityStrings(resources.Allocating),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resourceSummary (-want +got):\n%s", diff)
	}
	names := []string{}
	for _, n := range file.Nodes {
		names = append(names, n.Name)
	}
	if diff := cmp.Diff([]string{"n1", "n2", "n3"}, names); diff != "" {
		t.Errorf("nodes file order (-want +got):\n%s", diff)
	}
	if got := quantityStrings(file.Nodes[0].Requested); got[corev1.ResourceCPU] != "300m" || got[corev1.ResourcePods] != "1" {
		t.Errorf("n1 requested = %v, want cpu 300m (250m rounded up) and 1 pod", got)
	}
	if file.Nodes[2].Ready || len(file.Nodes[2].Requested) != 0 {
		t.Errorf("n3 = %+v, want not ready and nothing requested", file.Nodes[2])
	}
}

func requests(cpu, memory string) corev1.ResourceRequirements {
	return corev1.ResourceRequirements{Requests: corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse(cpu), corev1.ResourceMemory: resource.MustParse(memory)}}
}

func node(name string, ready bool, cpu, memory string) corev1.Node {
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	return corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Status: corev1.NodeStatus{
			Allocatable: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu),
				corev1.ResourceMemory: resource.MustParse(memory), corev1.ResourcePods: resource.MustParse("110")},
			Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: status}},
		},
	}
}

func pod(name, nodeName string, phase corev1.PodPhase, cpu, memory string) corev1.Pod {
	return corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       corev1.PodSpec{NodeName: nodeName, Containers: []corev1.Container{{Resources: requests(cpu, memory)}}},
		Status:     corev1.PodStatus{Phase: phase},
	}
}

func quantityStrings(l corev1.ResourceList) map[corev1.ResourceName]string {
	out := map[corev1.ResourceName]string{}
	for name, q := range l {
		out[name] = q.String()
	}
	return out
}
