package interpreter

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// limitedDeployment is the Deployment of Karmada's Lua GetReplicas tests: two containers
// with limits only, a node selector and a toleration.
const limitedDeployment = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: bar, namespace: foo}
spec:
  replicas: 1
  template:
    spec:
      nodeSelector: {foo: foo1}
      tolerations: [{key: bar, operator: Exists}]
      containers:
      - {name: a, resources: {limits: {cpu: 100m, memory: 100M}}}
      - {name: b, resources: {limits: {cpu: "1.2", memory: 1.2G}}}`

// limitedClaim is the node claim of limitedDeployment.
var limitedClaim = &v1alpha1.NodeClaim{
	NodeSelector: map[string]string{"foo": "foo1"},
	Tolerations:  []corev1.Toleration{{Key: "bar", Operator: corev1.TolerationOpExists}},
}

func TestLuaGetReplicas(t *testing.T) {
	tests := []struct {
		name     string
		script   string
		replicas int32
		want     *requirementsView
	}{{
		// The amounts are the native rule's; the quantities went through strings and come
		// back in canonical form, so memory reads 1300M where the native rule says
		// 1300000000 — as in Karmada.
		name: "kube.accuratePodRequirements computes what the native rule does",
		script: `
local kube = require("kube")
function GetReplicas(desiredObj)
  replica = desiredObj.spec.replicas
  requires = kube.accuratePodRequirements(desiredObj.spec.template)
  return replica, requires
end`,
		replicas: 1,
		want:     &requirementsView{NodeClaim: limitedClaim, ResourceRequest: map[string]string{"cpu": "1300m", "memory": "1300M"}},
	}, {
		name: "kube.resourceAdd sums quantities, nil counting as zero",
		script: `
local kube = require("kube")
function GetReplicas(desiredObj)
  local spec = desiredObj.spec.template.spec
  local requires = {
    nodeClaim = {nodeSelector = spec.nodeSelector, tolerations = spec.tolerations},
    resourceRequest = {},
  }
  for i = 1, #spec.containers do
    local limits = spec.containers[i].resources.limits
    requires.resourceRequest.cpu = kube.resourceAdd(requires.resourceRequest.cpu, limits.cpu)
    requires.resourceRequest.memory = kube.resourceAdd(requires.resourceRequest.memory, limits.memory)
  end
  return desiredObj.spec.replicas * 3, requires
end`,
		replicas: 3,
		want:     &requirementsView{NodeClaim: limitedClaim, ResourceRequest: map[string]string{"cpu": "1300m", "memory": "1300M"}},
	}, {
		name:     "nil requirements",
		script:   `function GetReplicas(obj) return 7, nil end`,
		replicas: 7,
		want:     nil,
	}, {
		name:     "fractions are truncated, as in Karmada",
		script:   `function GetReplicas(obj) return 2.9 end`,
		replicas: 2,
		want:     nil,
	}, {
		name:     "empty tables in the requirements are dropped: there is nothing to compare them with",
		script:   `function GetReplicas(obj) return 1, {nodeClaim = {tolerations = {}}, resourceRequest = {}} end`,
		replicas: 1,
		want:     &requirementsView{NodeClaim: &v1alpha1.NodeClaim{}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			ric := newRIC(t, "deploy", "apps/v1", "Deployment", "replicaResource:\n  luaScript: |\n"+indent(tt.script, "    "))
			replicas, requirements, err := newInterpreter(t, ric).GetReplicas(object(t, limitedDeployment))
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(replicas).To(Equal(tt.replicas))
			if diff := cmp.Diff(tt.want, view(requirements)); diff != "" {
				t.Errorf("requirements (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLuaHookEnabling(t *testing.T) {
	g := NewWithT(t)
	crd := schema.GroupVersionKind{Group: "example.io", Version: "v1", Kind: "Workload"}
	i := newInterpreter(t,
		newRIC(t, "workload", "example.io/v1", "Workload", `
replicaResource: {luaScript: "function GetReplicas(o) return o.spec.size end"}
healthInterpretation: {luaScript: ""}`),
	)
	g.Expect(i.HookEnabled(crd, v1alpha1.InterpreterOperationInterpretReplica)).To(BeTrue())
	g.Expect(i.HookEnabled(crd, v1alpha1.InterpreterOperationInterpretHealth)).To(BeFalse(), "an empty script enables nothing")
	g.Expect(i.HookEnabled(crd, v1alpha1.InterpreterOperationReviseReplica)).To(BeFalse())
	g.Expect(i.HookEnabled(deploymentGVK, v1alpha1.InterpreterOperationInterpretReplica)).To(BeTrue(), "native")

	replicas, requirements, err := i.GetReplicas(object(t, "apiVersion: example.io/v1\nkind: Workload\nmetadata: {name: w}\nspec: {size: 4}"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(replicas).To(Equal(int32(4)))
	g.Expect(requirements).To(BeNil())

	_, err = i.InterpretHealth(object(t, "apiVersion: example.io/v1\nkind: Workload\nmetadata: {name: w}"))
	g.Expect(errors.Is(err, ErrNoHook)).To(BeTrue())
}

func TestLuaMergeOrder(t *testing.T) {
	// The loader rejects two customizations scripting one operation; should they meet here
	// anyway, the first by name wins, as in Karmada's config manager.
	g := NewWithT(t)
	i := newInterpreter(t,
		newRIC(t, "b", "apps/v1", "Deployment", `replicaResource: {luaScript: "function GetReplicas(o) return 2 end"}`),
		newRIC(t, "a", "apps/v1", "Deployment", `replicaResource: {luaScript: "function GetReplicas(o) return 1 end"}`),
	)
	replicas, _, err := i.GetReplicas(object(t, limitedDeployment))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(replicas).To(Equal(int32(1)))
}

func TestLuaReviseReplica(t *testing.T) {
	g := NewWithT(t)
	ric := newRIC(t, "deploy", "apps/v1", "Deployment", `
replicaRevision:
  luaScript: |
    function ReviseReplica(desiredObj, desiredReplica)
      desiredObj.spec.replicas = desiredReplica
      desiredObj.spec.paused = false
      desiredObj.metadata.annotations = {}
      desiredObj.spec.template.metadata.labels = {}
      return desiredObj
    end`)
	obj := object(t, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  progressDeadlineSeconds: 600
  strategy: {}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: a, args: [], resources: {}}]`)
	before := obj.DeepCopy()
	revised, err := newInterpreter(t, ric).ReviseReplica(obj, 3)
	g.Expect(err).NotTo(HaveOccurred())
	want := object(t, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  paused: false
  progressDeadlineSeconds: 600
  strategy: {}
  template:
    metadata: {}
    spec:
      containers: [{name: a, args: [], resources: {}}]`)
	// Integers come back as int64; empty tables become {} or [] as in the object given to
	// the script, or disappear where the object had nothing to compare with
	// (metadata.annotations). template.metadata has lost its only key and stays {}.
	if diff := cmp.Diff(want.Object, revised.Object); diff != "" {
		t.Errorf("revised object (-want +got):\n%s", diff)
	}
	g.Expect(obj).To(Equal(before), "the input is not modified")
}

func TestLuaGetDependencies(t *testing.T) {
	deployment := func(ns string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: test" + ns + "}\nspec:\n  template:\n    spec:\n      serviceAccountName: test\n      containers: [{name: a}]"
	}
	tests := []struct {
		name     string
		manifest string
		scripts  []string
		want     []DependentObjectReference
	}{{
		name:     "a hand-written list (Karmada's test vector)",
		manifest: deployment(", namespace: test"),
		scripts: []string{`
function GetDependencies(desiredObj)
  local refs = {}
  local sa = desiredObj.spec.template.spec.serviceAccountName
  if sa ~= nil and sa ~= 'default' then
    refs[1] = {apiVersion = 'v1', kind = 'ServiceAccount', name = sa, namespace = desiredObj.metadata.namespace}
  end
  return refs
end`},
		want: []DependentObjectReference{ref("ServiceAccount", "test", "test")},
	}, {
		name:     "kube.getPodDependencies",
		manifest: deployment(", namespace: test"),
		scripts: []string{`
local kube = require("kube")
function GetDependencies(desiredObj)
  return kube.getPodDependencies(desiredObj.spec.template, desiredObj.metadata.namespace)
end`},
		want: []DependentObjectReference{ref("ServiceAccount", "test", "test")},
	}, {
		name:     "kube.getPodDependencies without namespace uses default",
		manifest: deployment(""),
		scripts: []string{`
local kube = require("kube")
function GetDependencies(desiredObj)
  return kube.getPodDependencies(desiredObj.spec.template, desiredObj.metadata.namespace)
end`},
		want: []DependentObjectReference{ref("ServiceAccount", "default", "test")},
	}, {
		name:     "an empty list replaces the native dependencies",
		manifest: deployment(", namespace: test"),
		scripts:  []string{`function GetDependencies(o) return {} end`},
		want:     nil,
	}, {
		name:     "every customization's script contributes, merged and sorted",
		manifest: deployment(", namespace: test"),
		scripts: []string{
			`function GetDependencies(o) return {{apiVersion = 'v1', kind = 'Secret', namespace = 'test', name = 'b'}} end`,
			`function GetDependencies(o)
			   return {
			     {apiVersion = 'v1', kind = 'Secret', namespace = 'test', name = 'b'},
			     {apiVersion = 'v1', kind = 'ConfigMap', namespace = 'test', name = 'a'},
			     {apiVersion = 'v1', kind = 'ConfigMap', namespace = 'test', labelSelector = {matchLabels = {app = 'x'}}},
			   }
			 end`,
		},
		want: []DependentObjectReference{
			{APIVersion: "v1", Kind: "ConfigMap", Namespace: "test", LabelSelector: labelSelector("app", "x")},
			ref("ConfigMap", "test", "a"),
			ref("Secret", "test", "b"),
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			var rics []*v1alpha1.ResourceInterpreterCustomization
			for n, s := range tt.scripts {
				rics = append(rics, newRIC(t, string(rune('a'+n)), "apps/v1", "Deployment",
					"dependencyInterpretation:\n  luaScript: |\n"+indent(s, "    ")))
			}
			got, err := newInterpreter(t, rics...).GetDependencies(object(t, tt.manifest))
			g.Expect(err).NotTo(HaveOccurred())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("dependencies (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLuaStatusOperations(t *testing.T) {
	g := NewWithT(t)
	i := newInterpreter(t, newRIC(t, "deploy", "apps/v1", "Deployment", `
healthInterpretation:
  luaScript: |
    function InterpretHealth(observedObj)
      return observedObj.status.readyReplicas == observedObj.spec.replicas
    end
statusReflection:
  luaScript: |
    function ReflectStatus(observedObj)
      return {readyReplicas = observedObj.status.readyReplicas, conditions = {}}
    end
statusAggregation:
  luaScript: |
    function AggregateStatus(desiredObj, statusItems)
      local ready = 0
      local clusters = ''
      for i = 1, #statusItems do
        ready = ready + statusItems[i].status.readyReplicas
        clusters = clusters .. statusItems[i].clusterName .. ';'
      end
      desiredObj.status = {readyReplicas = ready, clusters = clusters, conditions = {}}
      return desiredObj
    end
retention:
  luaScript: |
    function Retain(desiredObj, observedObj)
      desiredObj.spec.replicas = observedObj.spec.replicas
      desiredObj.metadata.labels = {}
      return desiredObj
    end`))
	member := object(t, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {}}
spec: {replicas: 3}
status: {readyReplicas: 3, conditions: []}`)

	healthy, err := i.InterpretHealth(member)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(healthy).To(BeTrue(), "the customization replaces the native rule (observedGeneration is missing)")

	status, err := i.ReflectStatus(member)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(status.Raw)).To(Equal(`{"readyReplicas":3}`), "no references: the empty conditions table is dropped")

	template := object(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 5}")
	items := []v1alpha1.AggregatedStatusItem{
		{ClusterName: "east", Applied: true, Health: v1alpha1.ResourceHealthy, Status: &runtime.RawExtension{Raw: []byte(`{"readyReplicas":2}`)}},
		{ClusterName: "west", Applied: true, Health: v1alpha1.ResourceHealthy, Status: &runtime.RawExtension{Raw: []byte(`{"readyReplicas":3}`)}},
	}
	aggregated, err := i.AggregateStatus(template, items)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(aggregated.Object["status"]).To(Equal(map[string]any{"readyReplicas": int64(5), "clusters": "east;west;"}))
	g.Expect(template.Object).NotTo(HaveKey("status"), "the input is not modified")

	desired := object(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 5}")
	retained, err := i.Retain(desired, member)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(retained.Object["spec"]).To(Equal(map[string]any{"replicas": int64(3)}))
	g.Expect(retained.Object["metadata"]).To(Equal(map[string]any{"name": "web", "labels": map[string]any{}}),
		"labels: {} is known from the observed object")
}

func TestLuaGetComponents(t *testing.T) {
	g := NewWithT(t)
	i := newInterpreter(t, newRIC(t, "flink", "flink.apache.org/v1beta1", "FlinkDeployment", `
componentResource:
  luaScript: |
    local kube = require("kube")
    function GetComponents(desiredObj)
      return {
        {name = "jobmanager", replicas = 1, replicaRequirements = kube.accuratePodRequirements(desiredObj.spec.jobManager.podTemplate)},
        {name = "taskmanager", replicas = desiredObj.spec.taskManager.replicas},
      }
    end`))
	components, err := i.GetComponents(object(t, `
apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata: {name: f}
spec:
  jobManager: {podTemplate: {spec: {containers: [{name: jm, resources: {requests: {cpu: "1"}}}]}}}
  taskManager: {replicas: 4}`))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(components).To(HaveLen(2))
	g.Expect(components[0].Name).To(Equal("jobmanager"))
	g.Expect(quantities(components[0].ReplicaRequirements.ResourceRequest)).To(Equal(map[string]string{"cpu": "1"}))
	g.Expect(components[1]).To(Equal(v1alpha1.Component{Name: "taskmanager", Replicas: 4}))
}

func TestLuaErrors(t *testing.T) {
	deployment := object(t, limitedDeployment)
	tests := []struct {
		name  string
		rules string
		call  func(*Interpreter) error
		want  string
	}{{
		name:  "no such function",
		rules: `replicaResource: {luaScript: "function Replicas(o) return 1 end"}`,
		call:  func(i *Interpreter) error { _, _, err := i.GetReplicas(deployment); return err },
		want:  `InterpretReplica of apps/v1 Deployment foo/bar: ResourceInterpreterCustomization "ric": the script defines no function GetReplicas`,
	}, {
		name:  "a runtime error names the rule and line",
		rules: "replicaResource:\n  luaScript: |\n    function GetReplicas(o)\n      return o.spec.missing.replicas\n    end",
		call:  func(i *Interpreter) error { _, _, err := i.GetReplicas(deployment); return err },
		want:  `ric/replicaResource:2: attempt to index a non-table object(nil) with key 'replicas'`,
	}, {
		name:  "replicas must be a number",
		rules: `replicaResource: {luaScript: "function GetReplicas(o) return 'three' end"}`,
		call:  func(i *Interpreter) error { _, _, err := i.GetReplicas(deployment); return err },
		want:  `the result of GetReplicas: replicas: a string, not a number`,
	}, {
		name:  "replicas must fit an int32",
		rules: `replicaResource: {luaScript: "function GetReplicas(o) return 2^40 end"}`,
		call:  func(i *Interpreter) error { _, _, err := i.GetReplicas(deployment); return err },
		want:  `replicas: 1.099511627776e+12 is not an int32`,
	}, {
		name:  "requirements must be a table",
		rules: `replicaResource: {luaScript: "function GetReplicas(o) return 1, 'big' end"}`,
		call:  func(i *Interpreter) error { _, _, err := i.GetReplicas(deployment); return err },
		want:  `requirements: a string, not a table or nil`,
	}, {
		name:  "a revised object needs a kind",
		rules: `replicaRevision: {luaScript: "function ReviseReplica(o, r) return {spec = {replicas = r}} end"}`,
		call:  func(i *Interpreter) error { _, err := i.ReviseReplica(deployment, 1); return err },
		want:  `the result of ReviseReplica: an object without a kind`,
	}, {
		name:  "dependencies are verified",
		rules: `dependencyInterpretation: {luaScript: "function GetDependencies(o) return {{kind = 'Secret', name = 'x'}} end"}`,
		call:  func(i *Interpreter) error { _, err := i.GetDependencies(deployment); return err },
		want:  `dependencies[0].apiVersion: Invalid value: "": missing required apiVersion`,
	}, {
		name:  "health must be a boolean",
		rules: `healthInterpretation: {luaScript: "function InterpretHealth(o) return 1 end"}`,
		call:  func(i *Interpreter) error { _, err := i.InterpretHealth(deployment); return err },
		want:  `the result of InterpretHealth: a number, not a boolean`,
	}, {
		name:  "a table that contains itself",
		rules: `statusReflection: {luaScript: "function ReflectStatus(o) local t = {} t.self = t return t end"}`,
		call:  func(i *Interpreter) error { _, err := i.ReflectStatus(deployment); return err },
		want:  `cannot encode a table that contains itself to JSON`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := newInterpreter(t, newRIC(t, "ric", "apps/v1", "Deployment", tt.rules))
			NewWithT(t).Expect(tt.call(i)).To(MatchError(ContainSubstring(tt.want)))
		})
	}
}

func TestNewRejectsScriptsThatDoNotCompile(t *testing.T) {
	g := NewWithT(t)
	_, err := New([]*v1alpha1.ResourceInterpreterCustomization{
		newRIC(t, "good", "apps/v1", "Deployment", `replicaResource: {luaScript: "function GetReplicas(o) return 1 end"}`),
		newRIC(t, "broken", "apps/v1", "StatefulSet", `
healthInterpretation:
  luaScript: |
    function InterpretHealth(o)
      return o.status.ready ==
    end`),
	})
	g.Expect(err).To(MatchError(ContainSubstring(`ResourceInterpreterCustomization "broken": InterpreterOperation(InterpretHealth) Lua script error`)))
	g.Expect(err).To(MatchError(ContainSubstring("broken/healthInterpretation line:3")))
}

// labelSelector is a selector of one label.
func labelSelector(key, value string) *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchLabels: map[string]string{key: value}}
}

func TestValidateScripts(t *testing.T) {
	g := NewWithT(t)
	g.Expect(ValidateScripts(newRIC(t, "good", "apps/v1", "Deployment",
		`replicaResource: {luaScript: "function GetReplicas(o) return 1 end"}`))).To(BeEmpty())
	errs := ValidateScripts(newRIC(t, "broken", "apps/v1", "Deployment", `
replicaResource: {luaScript: "function GetReplicas(o) return 1 end"}
dependencyInterpretation: {luaScript: "function GetDependencies(o) return { end"}`))
	g.Expect(errs).To(HaveLen(1))
	g.Expect(errs[0].Field).To(Equal("spec.customizations.dependencyInterpretation.luaScript"))
	g.Expect(errs[0].Detail).To(ContainSubstring("InterpreterOperation(InterpretDependency) Lua script error: broken/dependencyInterpretation line:1"))
}
