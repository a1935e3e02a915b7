package interpreter

import (
	"errors"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// The built-in rules of §5.2, run through Interpreter.Run — the code path of `gitfleet
// interpret` — with their inputs decoded by DecodeObject and DecodeStatusItems as the
// command decodes its files.

// runOp runs a request and fails the test on error.
func runOp(t testing.TB, i *Interpreter, req Request) *Result {
	t.Helper()
	res, err := i.Run(req)
	if err != nil {
		t.Fatalf("Run(%s): %v", req.Operation, err)
	}
	return res
}

// decodeObject decodes a manifest as `gitfleet interpret` decodes its object files.
func decodeObject(t testing.TB, manifest string) *unstructured.Unstructured {
	t.Helper()
	obj, err := DecodeObject("test.yaml", []byte(manifest))
	if err != nil {
		t.Fatalf("DecodeObject: %v", err)
	}
	return obj
}

// decodeItems decodes status items as `gitfleet interpret --status-file` does.
func decodeItems(t testing.TB, doc string) []v1alpha1.AggregatedStatusItem {
	t.Helper()
	items, err := DecodeStatusItems("items.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("DecodeStatusItems: %v", err)
	}
	return items
}

// yamlValue decodes a YAML snippet into JSON-compatible values (int64 numbers).
func yamlValue(t testing.TB, doc string) any {
	t.Helper()
	docs, err := DecodeDocuments("want.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("bad expectation: %v", err)
	}
	if len(docs) != 1 {
		t.Fatalf("bad expectation: %d documents", len(docs))
	}
	return docs[0].Value
}

// toYAML renders a value for failure messages.
func toYAML(v any) string {
	out, err := yaml.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(out)
}

func TestRunInterpretHealthBuiltIn(t *testing.T) {
	tests := []struct {
		name     string
		observed string
		healthy  bool
	}{
		// Deployment and StatefulSet: the controller saw the latest generation, every desired
		// replica is updated, every updated replica is available.
		{"Deployment rolled out", `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, generation: 4}
spec: {replicas: 3}
status: {observedGeneration: 4, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3}`, true},
		{"Deployment with more updated replicas than desired, all available (surge)", `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, generation: 4}
spec: {replicas: 3}
status: {observedGeneration: 4, updatedReplicas: 4, availableReplicas: 4}`, true},
		{"Deployment not yet observed by its controller", `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, generation: 5}
spec: {replicas: 3}
status: {observedGeneration: 4, updatedReplicas: 3, availableReplicas: 3}`, false},
		{"Deployment with a newer observed generation than its own (not equal)", `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, generation: 4}
spec: {replicas: 3}
status: {observedGeneration: 5, updatedReplicas: 3, availableReplicas: 3}`, false},
		{"Deployment rolling out: fewer updated replicas than desired", `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, generation: 4}
spec: {replicas: 3}
status: {observedGeneration: 4, updatedReplicas: 2, availableReplicas: 3}`, false},
		{"Deployment whose updated replicas are not all available", `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, generation: 4}
spec: {replicas: 3}
status: {observedGeneration: 4, updatedReplicas: 3, availableReplicas: 2}`, false},
		{"Deployment without spec.replicas: only availability counts", `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, generation: 1}
status: {observedGeneration: 1, updatedReplicas: 1, availableReplicas: 1}`, true},
		{"Deployment without status or generation: nothing to wait for", `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}`, true},
		{"StatefulSet rolled out", `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, generation: 2}
spec: {replicas: 3}
status: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3}`, true},
		{"StatefulSet not yet observed", `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, generation: 3}
spec: {replicas: 3}
status: {observedGeneration: 2, updatedReplicas: 3, availableReplicas: 3}`, false},
		{"StatefulSet rolling out", `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, generation: 2}
spec: {replicas: 3}
status: {observedGeneration: 2, updatedReplicas: 1, availableReplicas: 3}`, false},
		{"StatefulSet whose updated replicas are not all available", `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, generation: 2}
spec: {replicas: 3}
status: {observedGeneration: 2, updatedReplicas: 3, availableReplicas: 1}`, false},
		{"StatefulSet without spec.replicas", `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, generation: 2}
status: {observedGeneration: 2}`, true},

		// ReplicaSet: observed, and enough available replicas.
		{"ReplicaSet with all replicas available", `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs, generation: 1}
spec: {replicas: 2}
status: {observedGeneration: 1, replicas: 2, availableReplicas: 2}`, true},
		{"ReplicaSet not yet observed", `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs, generation: 2}
spec: {replicas: 2}
status: {observedGeneration: 1, availableReplicas: 2}`, false},
		{"ReplicaSet short of available replicas", `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs, generation: 1}
spec: {replicas: 2}
status: {observedGeneration: 1, availableReplicas: 1}`, false},
		{"ReplicaSet without spec.replicas", `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs, generation: 1}
status: {observedGeneration: 1}`, true},

		// DaemonSet: observed, every desired pod updated, every updated pod available.
		{"DaemonSet rolled out", `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, generation: 3}
status: {observedGeneration: 3, desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 5}`, true},
		{"DaemonSet not yet observed", `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, generation: 3}
status: {observedGeneration: 2, desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 5}`, false},
		{"DaemonSet rolling out", `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, generation: 3}
status: {observedGeneration: 3, desiredNumberScheduled: 5, updatedNumberScheduled: 4, numberAvailable: 5}`, false},
		{"DaemonSet whose updated pods are not all available", `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, generation: 3}
status: {observedGeneration: 3, desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 4}`, false},

		// Service: healthy unless a LoadBalancer still waits for an address.
		{"ClusterIP Service", "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {type: ClusterIP}", true},
		{"Service without a type (ClusterIP by default)", "apiVersion: v1\nkind: Service\nmetadata: {name: svc}", true},
		{"NodePort Service", "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {type: NodePort}", true},
		{"LoadBalancer Service with an IP", `
apiVersion: v1
kind: Service
metadata: {name: svc}
spec: {type: LoadBalancer}
status: {loadBalancer: {ingress: [{ip: 203.0.113.7}]}}`, true},
		{"LoadBalancer Service with a hostname", `
apiVersion: v1
kind: Service
metadata: {name: svc}
spec: {type: LoadBalancer}
status: {loadBalancer: {ingress: [{hostname: lb.example.com}]}}`, true},
		{"LoadBalancer Service whose only entry has neither", `
apiVersion: v1
kind: Service
metadata: {name: svc}
spec: {type: LoadBalancer}
status: {loadBalancer: {ingress: [{ports: [{port: 80, protocol: TCP}]}]}}`, false},
		{"LoadBalancer Service without an address yet", "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {type: LoadBalancer}", false},

		// Ingress: an address is needed.
		{"Ingress with an IP", `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing}
status: {loadBalancer: {ingress: [{ip: 198.51.100.1}]}}`, true},
		{"Ingress with a hostname among empty entries", `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing}
status: {loadBalancer: {ingress: [{}, {hostname: ing.example.com}]}}`, true},
		{"Ingress without an address", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing}", false},

		// PersistentVolumeClaim: bound.
		{"bound PVC", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nstatus: {phase: Bound}", true},
		{"pending PVC", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nstatus: {phase: Pending}", false},
		{"lost PVC", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nstatus: {phase: Lost}", false},
		{"PVC without status", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}", false},

		// Pod: succeeded, or running and ready.
		{"succeeded Pod", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {phase: Succeeded}", true},
		{"running and ready Pod", `
apiVersion: v1
kind: Pod
metadata: {name: p}
status: {phase: Running, conditions: [{type: PodScheduled, status: "True"}, {type: Ready, status: "True"}]}`, true},
		{"running Pod that is not ready", `
apiVersion: v1
kind: Pod
metadata: {name: p}
status: {phase: Running, conditions: [{type: Ready, status: "False"}]}`, false},
		{"running Pod without a Ready condition", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {phase: Running}", false},
		{"pending Pod, even with Ready True", `
apiVersion: v1
kind: Pod
metadata: {name: p}
status: {phase: Pending, conditions: [{type: Ready, status: "True"}]}`, false},
		{"failed Pod", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {phase: Failed}", false},

		// PodDisruptionBudget: enough healthy pods.
		{"PodDisruptionBudget with more healthy pods than desired", `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb}
status: {currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1}`, true},
		{"PodDisruptionBudget with exactly the desired healthy pods", `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb}
status: {currentHealthy: 2, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 0}`, true},
		{"PodDisruptionBudget short of healthy pods", `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb}
status: {currentHealthy: 1, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 0}`, false},
	}
	i := newInterpreter(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			res := runOp(t, i, Request{Operation: v1alpha1.InterpreterOperationInterpretHealth, Observed: decodeObject(t, tt.observed)})
			g.Expect(res.Healthy).To(Equal(tt.healthy))
			g.Expect(res.Rule).To(Equal("built-in"))
			g.Expect(res.Fields()).To(Equal(map[string]any{"healthy": tt.healthy}))
		})
	}
}

func TestRunInterpretHealthWithoutARule(t *testing.T) {
	i := newInterpreter(t)
	for _, manifest := range []string{
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}",
		"apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}",
		"apiVersion: apps/v1beta2\nkind: Deployment\nmetadata: {name: d}",
		"apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}",
	} {
		obj := decodeObject(t, manifest)
		t.Run(obj.GetAPIVersion()+" "+obj.GetKind(), func(t *testing.T) {
			_, err := i.Run(Request{Operation: v1alpha1.InterpreterOperationInterpretHealth, Observed: obj})
			NewWithT(t).Expect(errors.Is(err, ErrNoHook)).To(BeTrue(), "only the nine kinds of §5.2 have a health rule: %v", err)
		})
	}
}

func TestRunCustomizationReplacesTheBuiltInRule(t *testing.T) {
	g := NewWithT(t)
	i := newInterpreter(t, newRIC(t, "strict", "apps/v1", "Deployment", `
healthInterpretation:
  luaScript: |
    function InterpretHealth(observedObj)
      return observedObj.status.readyReplicas == observedObj.spec.replicas
    end`))
	res := runOp(t, i, Request{Operation: v1alpha1.InterpreterOperationInterpretHealth, Observed: decodeObject(t, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, generation: 2}
spec: {replicas: 3}
status: {observedGeneration: 2, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 2}`)})
	g.Expect(res.Healthy).To(BeFalse(), "the built-in rule would say healthy")
	g.Expect(res.Rule).To(Equal(`customization "strict"`))

	res = runOp(t, i, Request{Operation: v1alpha1.InterpreterOperationInterpretHealth,
		Observed: decodeObject(t, "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nstatus: {phase: Bound}")})
	g.Expect(res.Healthy).To(BeTrue())
	g.Expect(res.Rule).To(Equal("built-in"), "other kinds keep the built-in rules")
}
