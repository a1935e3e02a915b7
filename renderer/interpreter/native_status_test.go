package interpreter

import (
	"testing"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// TestRunInterpretStatusBuiltIn covers every reflected-status rule of §5.2 (reflectstatus.go)
// through Run: what a member's status contributes to the binding's aggregated status.
func TestRunInterpretStatusBuiltIn(t *testing.T) {
	tests := []struct {
		name     string
		observed string
		// want is the reflected status as JSON; "null" when nothing is collected.
		want string
	}{{
		name: "Deployment: the five counters, observedGeneration and both generations",
		observed: `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  generation: 7
  annotations: {resourcetemplate.karmada.io/generation: "3"}
status:
  observedGeneration: 7
  replicas: 4
  updatedReplicas: 3
  readyReplicas: 2
  availableReplicas: 2
  unavailableReplicas: 2
  terminatingReplicas: 1
  collisionCount: 1
  conditions: [{type: Available, status: "True"}]`,
		want: `{"generation":7,"resourceTemplateGeneration":3,"observedGeneration":7,"replicas":4,
			"updatedReplicas":3,"readyReplicas":2,"availableReplicas":2,"unavailableReplicas":2}`,
	}, {
		name:     "Deployment without the template-generation annotation: generation only",
		observed: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, generation: 2}\nstatus: {readyReplicas: 1}",
		want:     `{"generation":2,"readyReplicas":1}`,
	}, {
		name:     "Deployment whose status reflects to nothing: not collected yet",
		observed: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nstatus: {conditions: []}",
		want:     "null",
	}, {
		name:     "Deployment without status",
		observed: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, generation: 2}",
		want:     "null",
	}, {
		name: "ReplicaSet: replicas, readyReplicas, availableReplicas, observedGeneration, generations",
		observed: `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs, generation: 2, annotations: {resourcetemplate.karmada.io/generation: "9"}}
status: {replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 2, observedGeneration: 2, conditions: []}`,
		want: `{"generation":2,"resourceTemplateGeneration":9,"replicas":3,"readyReplicas":3,"availableReplicas":2,"observedGeneration":2}`,
	}, {
		name:     "ReplicaSet with nothing to reflect: replicas is always written, so it is never empty",
		observed: "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs}\nstatus: {fullyLabeledReplicas: 3}",
		want:     `{"replicas":0}`,
	}, {
		name: "DaemonSet: the seven counters, observedGeneration and generations",
		observed: `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, generation: 4, annotations: {resourcetemplate.karmada.io/generation: "2"}}
status:
  currentNumberScheduled: 5
  desiredNumberScheduled: 6
  numberAvailable: 4
  numberMisscheduled: 1
  numberReady: 4
  updatedNumberScheduled: 5
  numberUnavailable: 2
  observedGeneration: 4
  collisionCount: 3`,
		want: `{"generation":4,"resourceTemplateGeneration":2,"currentNumberScheduled":5,"desiredNumberScheduled":6,
			"numberAvailable":4,"numberMisscheduled":1,"numberReady":4,"updatedNumberScheduled":5,"numberUnavailable":2,
			"observedGeneration":4}`,
	}, {
		name:     "DaemonSet with an empty status is still collected (no emptiness check in Karmada's rule)",
		observed: "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nstatus: {}",
		want:     `{"currentNumberScheduled":0,"desiredNumberScheduled":0,"numberMisscheduled":0,"numberReady":0}`,
	}, {
		name: "StatefulSet: five counters and generations, no observedGeneration",
		observed: `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, generation: 3, annotations: {resourcetemplate.karmada.io/generation: "3"}}
status:
  observedGeneration: 3
  replicas: 3
  readyReplicas: 2
  currentReplicas: 1
  updatedReplicas: 2
  availableReplicas: 2
  currentRevision: db-1
  updateRevision: db-2`,
		want: `{"generation":3,"resourceTemplateGeneration":3,"replicas":3,"readyReplicas":2,"currentReplicas":1,
			"updatedReplicas":2,"availableReplicas":2}`,
	}, {
		name: "LoadBalancer Service: its load balancer only",
		observed: `
apiVersion: v1
kind: Service
metadata: {name: svc}
spec: {type: LoadBalancer}
status:
  loadBalancer: {ingress: [{ip: 203.0.113.7, ports: [{port: 80, protocol: TCP}]}]}
  conditions: [{type: Ready, status: "True", reason: Ok, message: "", lastTransitionTime: "2024-01-01T00:00:00Z"}]`,
		want: `{"loadBalancer":{"ingress":[{"ip":"203.0.113.7","ports":[{"port":80,"protocol":"TCP"}]}]}}`,
	}, {
		name:     "LoadBalancer Service without an address yet",
		observed: "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {type: LoadBalancer}\nstatus: {loadBalancer: {}}",
		want:     `{"loadBalancer":{}}`,
	}, {
		name:     "LoadBalancer Service without status",
		observed: "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {type: LoadBalancer}",
		want:     "null",
	}, {
		name:     "ClusterIP Service: nothing to collect",
		observed: "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {type: ClusterIP}\nstatus: {loadBalancer: {ingress: [{ip: 10.0.0.1}]}}",
		want:     "null",
	}, {
		name:     "Service without a type: nothing to collect",
		observed: "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nstatus: {loadBalancer: {}}",
		want:     "null",
	}, {
		name: "Ingress: the whole status",
		observed: `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing}
status: {loadBalancer: {ingress: [{hostname: ing.example.com}]}, custom: kept}`,
		want: `{"loadBalancer":{"ingress":[{"hostname":"ing.example.com"}]},"custom":"kept"}`,
	}, {
		name: "Job: active, succeeded, failed, conditions, startTime, completionTime",
		observed: `
apiVersion: batch/v1
kind: Job
metadata: {name: batch}
status:
  active: 1
  succeeded: 2
  failed: 1
  ready: 1
  terminating: 0
  startTime: "2024-05-01T10:00:00Z"
  completionTime: "2024-05-01T10:05:00Z"
  uncountedTerminatedPods: {succeeded: [a]}
  conditions:
  - {type: Complete, status: "True", reason: Done, lastTransitionTime: "2024-05-01T10:05:00Z"}`,
		want: `{"active":1,"succeeded":2,"failed":1,"startTime":"2024-05-01T10:00:00Z","completionTime":"2024-05-01T10:05:00Z",
			"conditions":[{"type":"Complete","status":"True","reason":"Done","lastTransitionTime":"2024-05-01T10:05:00Z"}]}`,
	}, {
		name:     "Job without status",
		observed: "apiVersion: batch/v1\nkind: Job\nmetadata: {name: batch}",
		want:     "null",
	}, {
		name: "PodDisruptionBudget: its four counters and disrupted pods",
		observed: `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb}
status:
  observedGeneration: 3
  disruptionsAllowed: 1
  currentHealthy: 3
  desiredHealthy: 2
  expectedPods: 3
  disruptedPods: {web-1: "2024-05-01T10:00:00Z"}
  conditions: [{type: DisruptionAllowed, status: "True", reason: Sufficient, message: "", lastTransitionTime: "2024-05-01T10:00:00Z"}]`,
		want: `{"disruptionsAllowed":1,"currentHealthy":3,"desiredHealthy":2,"expectedPods":3,
			"disruptedPods":{"web-1":"2024-05-01T10:00:00Z"}}`,
	}, {
		name: "HorizontalPodAutoscaler (autoscaling/v2): current and desired replicas",
		observed: `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: hpa}
status:
  currentReplicas: 2
  desiredReplicas: 4
  lastScaleTime: "2024-05-01T10:00:00Z"
  currentMetrics: [{type: Resource, resource: {name: cpu, current: {averageUtilization: 80}}}]
  conditions: [{type: AbleToScale, status: "True"}]`,
		want: `{"currentReplicas":2,"desiredReplicas":4}`,
	}, {
		name:     "HorizontalPodAutoscaler of autoscaling/v1: no rule of its own, the whole status",
		observed: "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: hpa}\nstatus: {currentReplicas: 2, desiredReplicas: 4, currentCPUUtilizationPercentage: 50}",
		want:     `{"currentReplicas":2,"desiredReplicas":4,"currentCPUUtilizationPercentage":50}`,
	}, {
		name:     "Pod: no rule of its own, the whole status",
		observed: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {phase: Running, podIP: 10.1.2.3}",
		want:     `{"phase":"Running","podIP":"10.1.2.3"}`,
	}, {
		name:     "a custom resource: the whole status",
		observed: "apiVersion: example.io/v1\nkind: Widget\nmetadata: {name: w}\nstatus: {phase: Ready, nested: {count: 3}}",
		want:     `{"phase":"Ready","nested":{"count":3}}`,
	}, {
		name:     "a kind without status: nothing to collect",
		observed: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}",
		want:     "null",
	}}
	i := newInterpreter(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			res := runOp(t, i, Request{Operation: v1alpha1.InterpreterOperationInterpretStatus, Observed: decodeObject(t, tt.observed)})
			g.Expect(res.Rule).To(Equal("built-in"))
			got := "null"
			if res.Status != nil {
				got = string(res.Status.Raw)
			}
			g.Expect(got).To(MatchJSON(tt.want))
			out, err := res.MarshalJSON()
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(out).To(MatchJSON(`{"status":` + tt.want + `}`))
		})
	}
}

func TestRunInterpretStatusErrors(t *testing.T) {
	tests := []struct {
		name, observed, want string
	}{{
		name:     "a template generation that is not a number",
		observed: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, annotations: {resourcetemplate.karmada.io/generation: three}}\nstatus: {replicas: 1}",
		want:     `annotation resourcetemplate.karmada.io/generation: "three" is not an integer`,
	}, {
		name:     "a status that is not an object",
		observed: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: Running",
		want:     "status:",
	}, {
		name:     "a counter of the wrong type",
		observed: "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nstatus: {replicas: many}",
		want:     "InterpretStatus of apps/v1 StatefulSet db: status:",
	}}
	i := newInterpreter(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := i.Run(Request{Operation: v1alpha1.InterpreterOperationInterpretStatus, Observed: decodeObject(t, tt.observed)})
			NewWithT(t).Expect(err).To(MatchError(ContainSubstring(tt.want)))
		})
	}
}
