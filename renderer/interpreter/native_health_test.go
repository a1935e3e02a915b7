package interpreter

import (
	"errors"
	"testing"

	. "github.com/onsi/gomega"
)

func TestInterpretHealthNative(t *testing.T) {
	tests := []struct {
		name     string
		manifest string
		healthy  bool
	}{
		{"Deployment rolled out", `
apiVersion: apps/v1
kind: Deployment
metadata: {name: a, generation: 2}
spec: {replicas: 3}
status: {observedGeneration: 2, updatedReplicas: 3, availableReplicas: 3}`, true},
		{"Deployment whose controller has not seen the latest generation", `
apiVersion: apps/v1
kind: Deployment
metadata: {name: a, generation: 3}
spec: {replicas: 3}
status: {observedGeneration: 2, updatedReplicas: 3, availableReplicas: 3}`, false},
		{"Deployment still updating", `
apiVersion: apps/v1
kind: Deployment
metadata: {name: a, generation: 2}
spec: {replicas: 3}
status: {observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2}`, false},
		{"Deployment with updated replicas not yet available", `
apiVersion: apps/v1
kind: Deployment
metadata: {name: a, generation: 2}
spec: {replicas: 3}
status: {observedGeneration: 2, updatedReplicas: 3, availableReplicas: 2}`, false},
		{"StatefulSet rolled out", `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: a, generation: 1}
spec: {replicas: 2}
status: {observedGeneration: 1, updatedReplicas: 2, availableReplicas: 2}`, true},
		{"ReplicaSet short of available replicas", `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: a, generation: 1}
spec: {replicas: 2}
status: {observedGeneration: 1, availableReplicas: 1}`, false},
		{"DaemonSet rolled out", `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: a, generation: 1}
status: {observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3}`, true},
		{"ClusterIP Service", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: ClusterIP}", true},
		{"LoadBalancer Service without address", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: LoadBalancer}", false},
		{"LoadBalancer Service with an address", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: LoadBalancer}\nstatus: {loadBalancer: {ingress: [{ip: 10.0.0.1}]}}", true},
		{"Ingress with a hostname", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: a}\nstatus: {loadBalancer: {ingress: [{hostname: lb.example.com}]}}", true},
		{"Ingress without address", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: a}", false},
		{"bound PVC", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: a}\nstatus: {phase: Bound}", true},
		{"pending PVC", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: a}\nstatus: {phase: Pending}", false},
		{"succeeded Pod", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus: {phase: Succeeded}", true},
		{"running, ready Pod", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus: {phase: Running, conditions: [{type: Ready, status: \"True\"}]}", true},
		{"running Pod that is not ready", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus: {phase: Running, conditions: [{type: Ready, status: \"False\"}]}", false},
		{"PodDisruptionBudget with enough healthy pods", "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: a}\nstatus: {currentHealthy: 3, desiredHealthy: 2}", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			healthy, err := newInterpreter(t).InterpretHealth(object(t, tt.manifest))
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(healthy).To(Equal(tt.healthy))
		})
	}
}

func TestInterpretHealthNoHook(t *testing.T) {
	_, err := newInterpreter(t).InterpretHealth(object(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}"))
	NewWithT(t).Expect(errors.Is(err, ErrNoHook)).To(BeTrue(), "Karmada counts kinds without the hook as healthy: %v", err)
}
