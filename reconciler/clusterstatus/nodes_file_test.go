package clusterstatus

import (
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func nodesFileNode(name string, ready bool, labels map[string]string, taints ...corev1.Taint) corev1.Node {
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	return corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec:       corev1.NodeSpec{Taints: taints},
		Status: corev1.NodeStatus{
			Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: status}},
			Allocatable: corev1.ResourceList{
				corev1.ResourceCPU:    resource.MustParse("3950m"),
				corev1.ResourceMemory: resource.MustParse("8000Mi"),
				corev1.ResourcePods:   resource.MustParse("110"),
			},
		},
	}
}

func nodesFilePod(node, cpu string, phase corev1.PodPhase) corev1.Pod {
	return corev1.Pod{
		Spec: corev1.PodSpec{NodeName: node, Containers: []corev1.Container{{Name: "c",
			Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu)}}}}},
		Status: corev1.PodStatus{Phase: phase},
	}
}

// The nodes file records, per node, what the node estimator matches a replica against:
// readiness, cordon, labels and taints, beside allocatable (rounded down) and requested
// (rounded up).
func TestNodesFileRecordsLabelsAndTaints(t *testing.T) {
	g := NewWithT(t)
	added := metav1.NewTime(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	gpu := nodesFileNode("gpu-1", true, map[string]string{"kubernetes.io/hostname": "gpu-1", "accelerator": "a100"},
		corev1.Taint{Key: "node.kubernetes.io/unreachable", Effect: corev1.TaintEffectNoExecute, TimeAdded: &added},
		corev1.Taint{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule},
		corev1.Taint{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoExecute})
	cordoned := nodesFileNode("cpu-1", true, map[string]string{"kubernetes.io/hostname": "cpu-1"})
	cordoned.Spec.Unschedulable = true
	down := nodesFileNode("cpu-2", false, nil)
	pods := []corev1.Pod{
		nodesFilePod("gpu-1", "250m", corev1.PodRunning),
		nodesFilePod("gpu-1", "1", corev1.PodPending),
		nodesFilePod("gpu-1", "8", corev1.PodSucceeded),
		nodesFilePod("", "2", corev1.PodPending),
	}

	_, _, file := summarize("edge-1", []corev1.Node{gpu, cordoned, down}, pods)
	g.Expect(file.Cluster).To(Equal("edge-1"))
	g.Expect(file.Nodes).To(HaveLen(3))
	g.Expect([]string{file.Nodes[0].Name, file.Nodes[1].Name, file.Nodes[2].Name}).To(Equal([]string{"cpu-1", "cpu-2", "gpu-1"}))

	c1, c2, g1 := file.Nodes[0], file.Nodes[1], file.Nodes[2]
	g.Expect(c1.Ready).To(BeTrue())
	g.Expect(c1.Unschedulable).To(BeTrue())
	g.Expect(c1.Labels).To(Equal(map[string]string{"kubernetes.io/hostname": "cpu-1"}))
	g.Expect(c1.Taints).To(BeNil())
	g.Expect(c2.Ready).To(BeFalse())
	g.Expect(c2.Labels).To(BeNil())
	g.Expect(g1.Labels).To(Equal(map[string]string{"kubernetes.io/hostname": "gpu-1", "accelerator": "a100"}))
	g.Expect(g1.Taints).To(Equal([]corev1.Taint{
		{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoExecute},
		{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule},
		{Key: "node.kubernetes.io/unreachable", Effect: corev1.TaintEffectNoExecute},
	}), "sorted, without timeAdded")
	g.Expect(g1.Allocatable.Cpu().String()).To(Equal("3900m"))
	g.Expect(g1.Requested.Cpu().String()).To(Equal("1300m"))
	g.Expect(g1.Requested.Pods().String()).To(Equal("2"))

	// The file's bytes do not depend on the order of the nodes, of their taints, or on when
	// a taint was added; labels and taints are written under their own keys.
	build := func(nodes ...corev1.Node) string {
		_, _, f := summarize("edge-1", nodes, pods)
		files, err := BuildTree(nil, Inputs{Clusters: []ClusterInput{{Name: "edge-1", Nodes: f}}})
		g.Expect(err).NotTo(HaveOccurred())
		return string(files[NodesFilePath("edge-1")])
	}
	first := build(gpu, cordoned, down)
	reordered := gpu.DeepCopy()
	reordered.Spec.Taints = []corev1.Taint{gpu.Spec.Taints[2], gpu.Spec.Taints[0], gpu.Spec.Taints[1]}
	later := metav1.NewTime(added.Add(time.Hour))
	reordered.Spec.Taints[1].TimeAdded = &later
	g.Expect(build(down, *reordered, cordoned)).To(Equal(first))
	g.Expect(first).To(ContainSubstring("\n    labels:\n      accelerator: a100\n      kubernetes.io/hostname: gpu-1\n"))
	g.Expect(first).To(ContainSubstring("\n      - effect: NoSchedule\n        key: dedicated\n        value: gpu\n"))
	g.Expect(first).NotTo(ContainSubstring("timeAdded"))
	g.Expect(strings.Count(first, "taints:")).To(Equal(1), "a node without taints writes no taints key")
}
