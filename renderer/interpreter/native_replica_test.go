package interpreter

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// quantities renders a resource list as strings, so tests check the exact serialised form
// (Karmada's formats) and not only the amounts.
func quantities(list corev1.ResourceList) map[string]string {
	if list == nil {
		return nil
	}
	out := map[string]string{}
	for name, q := range list {
		out[string(name)] = q.String()
	}
	return out
}

// requirementsView is ReplicaRequirements with the resource request as strings.
type requirementsView struct {
	NodeClaim         *v1alpha1.NodeClaim
	ResourceRequest   map[string]string
	Namespace         string
	PriorityClassName string
}

func view(r *v1alpha1.ReplicaRequirements) *requirementsView {
	if r == nil {
		return nil
	}
	return &requirementsView{r.NodeClaim, quantities(r.ResourceRequest), r.Namespace, r.PriorityClassName}
}

// constrainedPodSpec is the pod spec of Karmada's native replica tests: a node selector, a
// toleration and a required node affinity, no resources.
const constrainedPodSpec = `
      nodeSelector: {foo: foo1}
      tolerations: [{key: foo, operator: Exists, effect: NoSchedule}]
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchFields: [{key: foo, operator: Exists}]
      containers: [{name: c, image: nginx}]`

// constrainedClaim is the node claim of constrainedPodSpec.
var constrainedClaim = &v1alpha1.NodeClaim{
	NodeSelector: map[string]string{"foo": "foo1"},
	Tolerations:  []corev1.Toleration{{Key: "foo", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}},
	HardNodeAffinity: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{
		MatchFields: []corev1.NodeSelectorRequirement{{Key: "foo", Operator: corev1.NodeSelectorOpExists}},
	}}},
}

func TestGetReplicasNativeKinds(t *testing.T) {
	tests := []struct {
		name     string
		manifest string
		replicas int32
		want     *requirementsView
	}{{
		name: "Deployment: spec.replicas and the node claim of its pod template",
		manifest: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  template:
    spec:` + constrainedPodSpec,
		replicas: 2,
		want:     &requirementsView{NodeClaim: constrainedClaim},
	}, {
		name: "Deployment without spec.replicas has 0 (no kube-apiserver defaulting here)",
		manifest: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers: [{name: c, image: nginx}]`,
		replicas: 0,
		want:     nil,
	}, {
		name: "ReplicaSet",
		manifest: `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 3
  template:
    spec:` + constrainedPodSpec,
		replicas: 3,
		want:     &requirementsView{NodeClaim: constrainedClaim},
	}, {
		name: "StatefulSet",
		manifest: `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  template:
    spec:` + constrainedPodSpec,
		replicas: 2,
		want:     &requirementsView{NodeClaim: constrainedClaim},
	}, {
		name: "Job: parallelism above completions runs only completions pods",
		manifest: `
apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  parallelism: 3
  completions: 2
  template:
    spec:` + constrainedPodSpec,
		replicas: 2,
		want:     &requirementsView{NodeClaim: constrainedClaim},
	}, {
		name: "Job: parallelism below completions",
		manifest: `
apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  parallelism: 2
  completions: 5
  template: {spec: {containers: [{name: c, image: busybox}]}}`,
		replicas: 2,
	}, {
		name: "Job without completions (a work queue) runs parallelism pods",
		manifest: `
apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  parallelism: 4
  template: {spec: {containers: [{name: c, image: busybox}]}}`,
		replicas: 4,
	}, {
		name: "Job without parallelism has 0",
		manifest: `
apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  completions: 4
  template: {spec: {containers: [{name: c, image: busybox}]}}`,
		replicas: 0,
	}, {
		name: "Pod is one replica",
		manifest: `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:` + dedent(constrainedPodSpec),
		replicas: 1,
		want:     &requirementsView{NodeClaim: constrainedClaim},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			i := newInterpreter(t)
			obj := object(t, tt.manifest)
			g.Expect(i.HookEnabled(obj.GroupVersionKind(), v1alpha1.InterpreterOperationInterpretReplica)).To(BeTrue())
			replicas, requirements, err := i.GetReplicas(obj)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(replicas).To(Equal(tt.replicas))
			if diff := cmp.Diff(tt.want, view(requirements)); diff != "" {
				t.Errorf("requirements (-want +got):\n%s", diff)
			}
		})
	}
}

// dedent removes the four spaces a pod spec snippet has under a template.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	for n, line := range lines {
		lines[n] = strings.TrimPrefix(line, "    ")
	}
	return strings.Join(lines, "\n")
}

func TestGetReplicasResourceRequest(t *testing.T) {
	tests := []struct {
		name    string
		podSpec string
		want    map[string]string
	}{{
		name: "requests of the containers are summed; memory is printed in bytes unless a whole binary unit",
		podSpec: `
containers:
- {name: a, resources: {requests: {cpu: 100m, memory: 100M}}}
- {name: b, resources: {requests: {cpu: "1.2", memory: 1Gi}}}`,
		want: map[string]string{"cpu": "1300m", "memory": "1173741824"},
	}, {
		name: "a resource with only a limit requests its limit (Karmada's lua test vector)",
		podSpec: `
containers:
- {name: a, resources: {limits: {cpu: 100m, memory: 100M}}}
- {name: b, resources: {limits: {cpu: "1.2", memory: 1.2G}}}`,
		want: map[string]string{"cpu": "1300m", "memory": "1300000000"},
	}, {
		name: "a request wins over the limit of the same resource",
		podSpec: `
containers:
- {name: a, resources: {requests: {cpu: 250m}, limits: {cpu: "2", memory: 1Gi}}}`,
		want: map[string]string{"cpu": "250m", "memory": "1Gi"},
	}, {
		name: "each init container raises a resource to its own request, it is not added",
		podSpec: `
initContainers:
- {name: migrate, resources: {requests: {cpu: "2", memory: 64Mi}}}
- {name: warm, resources: {requests: {memory: 2Gi}}}
containers:
- {name: a, resources: {requests: {cpu: 500m, memory: 256Mi}}}
- {name: b, resources: {requests: {cpu: 500m, memory: 256Mi}}}`,
		want: map[string]string{"cpu": "2", "memory": "2Gi"},
	}, {
		name: "a sidecar (restartPolicy Always) init container is compared, not added, as in Karmada",
		podSpec: `
initContainers:
- {name: proxy, restartPolicy: Always, resources: {requests: {cpu: 100m}}}
containers:
- {name: a, resources: {requests: {cpu: 500m}}}`,
		want: map[string]string{"cpu": "500m"},
	}, {
		name: "pod overhead is added on top",
		podSpec: `
overhead: {cpu: 250m, memory: 120Mi}
containers:
- {name: a, resources: {requests: {cpu: 1, memory: 1Gi}}}`,
		want: map[string]string{"cpu": "1250m", "memory": "1144Mi"},
	}, {
		name: "Karmada's AddPodTemplateRequest vector: extended resources, pods, overhead",
		podSpec: `
containers:
- name: a
  resources:
    requests: {cpu: 10m, memory: "10", test.karmada.io/foo: "10", test.karmada.io/bar: "10"}
    limits: {memory: "99999", pods: "10", test.karmada.io/bar: "99999", test.karmada.io/baz: "10"}
initContainers:
- name: i
  resources:
    requests: {cpu: 5m, memory: "10", test.karmada.io/foo: "5", test.karmada.io/bar: "10"}
    limits: {memory: "99999", pods: "20", test.karmada.io/bar: "99999", test.karmada.io/baz: "20"}
overhead: {cpu: 5m, memory: "5", ephemeral-storage: "5", pods: "5", test.karmada.io/foo: "5", test.karmada.io/bar: "5", test.karmada.io/baz: "5"}`,
		want: map[string]string{
			"cpu": "15m", "memory": "15", "ephemeral-storage": "5", "pods": "25",
			"test.karmada.io/foo": "15", "test.karmada.io/bar": "15", "test.karmada.io/baz": "25",
		},
	}, {
		name: "hugepages are binary, GPUs decimal; fractional amounts round up to whole units",
		podSpec: `
containers:
- name: a
  resources:
    requests: {hugepages-2Mi: 4Mi, nvidia.com/gpu: "1", memory: "1.5"}`,
		want: map[string]string{"hugepages-2Mi": "4Mi", "nvidia.com/gpu": "1", "memory": "2"},
	}, {
		name: "resources Karmada does not track are dropped",
		podSpec: `
containers:
- name: a
  resources:
    requests: {cpu: 100m, storage: 10Gi, requests.example.com/x: "1"}`,
		want: map[string]string{"cpu": "100m"},
	}, {
		name: "ephemeral containers are ignored",
		podSpec: `
containers:
- {name: a, resources: {requests: {cpu: 100m}}}
ephemeralContainers:
- {name: debug, resources: {requests: {cpu: "4"}}}`,
		want: map[string]string{"cpu": "100m"},
	}, {
		name: "zero requests leave no resource request",
		podSpec: `
containers:
- {name: a, resources: {requests: {cpu: "0"}}}`,
		want: nil,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			obj := object(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"+indent(tt.podSpec, "  "))
			_, requirements, err := newInterpreter(t).GetReplicas(obj)
			g.Expect(err).NotTo(HaveOccurred())
			if tt.want == nil {
				g.Expect(requirements).To(BeNil())
				return
			}
			g.Expect(requirements).NotTo(BeNil())
			g.Expect(requirements.NodeClaim).To(BeNil())
			g.Expect(quantities(requirements.ResourceRequest)).To(Equal(tt.want))
		})
	}
}

// indent prefixes every non-empty line of s.
func indent(s, prefix string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if line != "" {
			b.WriteString(prefix + line + "\n")
		}
	}
	return b.String()
}

func TestGetReplicasNodeClaim(t *testing.T) {
	tests := []struct {
		name    string
		podSpec string
		want    *v1alpha1.NodeClaim
	}{{
		name:    "no constraints: no claim",
		podSpec: `containers: [{name: a}]`,
		want:    nil,
	}, {
		name:    "an empty toleration list is no constraint",
		podSpec: "tolerations: []\ncontainers: [{name: a}]",
		want:    nil,
	}, {
		name:    "an empty node selector is kept, as Karmada keeps it",
		podSpec: "nodeSelector: {}\ncontainers: [{name: a}]",
		want:    &v1alpha1.NodeClaim{NodeSelector: map[string]string{}},
	}, {
		name:    "preferred node affinity is not a hard constraint",
		podSpec: "affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, preference: {matchExpressions: [{key: a, operator: Exists}]}}]}}\ncontainers: [{name: a}]",
		want:    nil,
	}, {
		name:    "tolerations alone",
		podSpec: "tolerations: [{key: gpu, operator: Equal, value: \"true\", effect: NoSchedule}]\ncontainers: [{name: a}]",
		want: &v1alpha1.NodeClaim{Tolerations: []corev1.Toleration{
			{Key: "gpu", Operator: corev1.TolerationOpEqual, Value: "true", Effect: corev1.TaintEffectNoSchedule}}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := object(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"+indent(tt.podSpec, "  "))
			_, requirements, err := newInterpreter(t).GetReplicas(obj)
			NewWithT(t).Expect(err).NotTo(HaveOccurred())
			var got *v1alpha1.NodeClaim
			if requirements != nil {
				got = requirements.NodeClaim
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("node claim (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetReplicasResourceQuotaEstimateGate(t *testing.T) {
	manifest := `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 1
  template:
    spec:
      priorityClassName: high
      containers: [{name: a, resources: {requests: {cpu: 100m}}}]`
	g := NewWithT(t)

	_, off, err := newInterpreter(t).GetReplicas(object(t, manifest))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(off.Namespace).To(BeEmpty(), "Karmada fills the namespace only with the gate")
	g.Expect(off.PriorityClassName).To(BeEmpty())

	opts := DefaultOptions()
	opts.ResourceQuotaEstimate = true
	_, on, err := newInterpreterWith(t, opts).GetReplicas(object(t, manifest))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(on.Namespace).To(Equal("shop"))
	g.Expect(on.PriorityClassName).To(Equal("high"))
}

func TestGetReplicasErrors(t *testing.T) {
	g := NewWithT(t)
	i := newInterpreter(t)

	_, _, err := i.GetReplicas(object(t, "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}"))
	g.Expect(errors.Is(err, ErrNoHook)).To(BeTrue(), "DaemonSets have no InterpretReplica hook: %v", err)
	g.Expect(i.HookEnabled(daemonSetGVK, v1alpha1.InterpreterOperationInterpretReplica)).To(BeFalse())

	_, _, err = i.GetReplicas(object(t, "apiVersion: apps/v1beta2\nkind: Deployment\nmetadata: {name: d}"))
	g.Expect(errors.Is(err, ErrNoHook)).To(BeTrue(), "only apps/v1 is native: %v", err)

	_, _, err = i.GetReplicas(object(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {replicas: two}"))
	g.Expect(err).To(MatchError(ContainSubstring("InterpretReplica of apps/v1 Deployment shop/web")))
}

func TestReviseReplicaNative(t *testing.T) {
	tests := []struct {
		name     string
		manifest string
		replicas int64
		field    string
		want     any
	}{
		{"Deployment", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 5}", 2, "replicas", int64(2)},
		{"ReplicaSet", "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: a}\nspec: {replicas: 5}", 3, "replicas", int64(3)},
		{"StatefulSet", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec: {replicas: 5}", 0, "replicas", int64(0)},
		{"Job revises parallelism", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nspec: {parallelism: 4, completions: 8}", 1, "parallelism", int64(1)},
		{"Job keeps its completions", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nspec: {parallelism: 4, completions: 8}", 1, "completions", int64(8)},
		{"a template without the field keeps relying on the member's default", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {}", 2, "replicas", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			obj := object(t, tt.manifest)
			before := obj.DeepCopy()
			revised, err := newInterpreter(t).ReviseReplica(obj, tt.replicas)
			g.Expect(err).NotTo(HaveOccurred())
			spec := revised.Object["spec"].(map[string]any)
			if tt.want == nil {
				g.Expect(spec).NotTo(HaveKey(tt.field))
			} else {
				g.Expect(spec).To(HaveKeyWithValue(tt.field, tt.want))
			}
			g.Expect(obj).To(Equal(before), "the input is not modified")
		})
	}
}

func TestReviseReplicaNativeErrors(t *testing.T) {
	g := NewWithT(t)
	i := newInterpreter(t)
	_, err := i.ReviseReplica(object(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}"), 1)
	g.Expect(errors.Is(err, ErrNoHook)).To(BeTrue(), "Pods have no ReviseReplica hook: %v", err)

	_, err = i.ReviseReplica(object(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: \"3\"}"), 1)
	g.Expect(err).To(MatchError(ContainSubstring("spec.replicas")))
}
