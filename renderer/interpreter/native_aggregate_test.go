package interpreter

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// aggregateCase is one AggregateStatus case: a template, the members' status items (in the
// format of `gitfleet interpret --status-file`) and the template's status afterwards.
type aggregateCase struct {
	name     string
	template string
	items    string
	// want is the aggregated status as YAML; unused when unchanged is set.
	want string
	// unchanged says the template must come back exactly as it was.
	unchanged bool
}

// runAggregateCases runs AggregateStatus cases through Run.
func runAggregateCases(t *testing.T, i *Interpreter, tests []aggregateCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			template := decodeObject(t, tt.template)
			before := template.DeepCopy()
			res := runOp(t, i, Request{Operation: v1alpha1.InterpreterOperationAggregateStatus,
				Desired: template, StatusItems: decodeItems(t, tt.items)})
			g.Expect(res.Rule).To(Equal("built-in"))
			g.Expect(template.Object).To(Equal(before.Object), "the input is not modified")
			if tt.unchanged {
				g.Expect(res.Object.Object).To(Equal(before.Object))
				return
			}
			if diff := cmp.Diff(yamlValue(t, tt.want), res.Object.Object["status"]); diff != "" {
				t.Errorf("status (-want +got):\n%s\ngot:\n%s", diff, toYAML(res.Object.Object["status"]))
			}
			delete(res.Object.Object, "status")
			delete(before.Object, "status")
			g.Expect(res.Object.Object).To(Equal(before.Object), "only the status changes")
		})
	}
}

// deploymentTemplate is generation 3 of a Deployment whose status was last aggregated at
// generation 2.
const deploymentTemplate = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, generation: 3}
spec: {replicas: 5}
status:
  observedGeneration: 2
  replicas: 1
  conditions: [{type: Available, status: "True"}]`

func TestRunAggregateStatusWorkloads(t *testing.T) {
	runAggregateCases(t, newInterpreter(t), []aggregateCase{{
		name:     "Deployment: counters summed; every member caught up, so observedGeneration is the template's",
		template: deploymentTemplate,
		items: `
- clusterName: east
  applied: true
  status: {replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2, observedGeneration: 5, generation: 5, resourceTemplateGeneration: 3}
- clusterName: west
  applied: true
  status: {replicas: 3, readyReplicas: 1, updatedReplicas: 3, availableReplicas: 1, unavailableReplicas: 2, observedGeneration: 8, generation: 8, resourceTemplateGeneration: 4}`,
		want: `
observedGeneration: 3
replicas: 5
readyReplicas: 3
updatedReplicas: 5
availableReplicas: 3
unavailableReplicas: 2
conditions: [{type: Available, status: "True"}]`,
	}, {
		name:     "Deployment: a member rendered from an older template keeps the old observedGeneration",
		template: deploymentTemplate,
		items: `
- clusterName: east
  status: {replicas: 2, readyReplicas: 2, observedGeneration: 5, generation: 5, resourceTemplateGeneration: 3}
- clusterName: west
  status: {replicas: 3, readyReplicas: 3, observedGeneration: 8, generation: 8, resourceTemplateGeneration: 2}`,
		want: `
observedGeneration: 2
replicas: 5
readyReplicas: 5
conditions: [{type: Available, status: "True"}]`,
	}, {
		name:     "Deployment: a member whose controller lags its own generation keeps the old observedGeneration",
		template: deploymentTemplate,
		items: `
- clusterName: east
  status: {replicas: 2, observedGeneration: 4, generation: 5, resourceTemplateGeneration: 3}`,
		want: `
observedGeneration: 2
replicas: 2
conditions: [{type: Available, status: "True"}]`,
	}, {
		name:     "Deployment: an item without status is skipped in the sums but blocks observedGeneration",
		template: deploymentTemplate,
		items: `
- clusterName: east
  applied: true
  status: {replicas: 2, readyReplicas: 2, observedGeneration: 5, generation: 5, resourceTemplateGeneration: 3}
- clusterName: west
  applied: false
  appliedMessage: "forbidden"
  health: Unknown`,
		want: `
observedGeneration: 2
replicas: 2
readyReplicas: 2
conditions: [{type: Available, status: "True"}]`,
	}, {
		name:     "Deployment: no items at all set observedGeneration and zero the counters",
		template: deploymentTemplate,
		items:    "",
		want: `
observedGeneration: 3
conditions: [{type: Available, status: "True"}]`,
	}, {
		name: "Deployment: a status that is already the aggregate is returned unchanged",
		template: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, generation: 3}
status: {observedGeneration: 3, replicas: 2, readyReplicas: 2}`,
		items: `
- clusterName: east
  status: {replicas: 2, readyReplicas: 2, observedGeneration: 1, generation: 1, resourceTemplateGeneration: 3}`,
		unchanged: true,
	}, {
		name: "ReplicaSet: replicas, readyReplicas, availableReplicas summed; observedGeneration rule",
		template: `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs, generation: 2}
status: {replicas: 9, fullyLabeledReplicas: 9}`,
		items: `
- clusterName: east
  status: {replicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 2, generation: 2, resourceTemplateGeneration: 2}
- clusterName: west
  status: {replicas: 1, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1, generation: 1, resourceTemplateGeneration: 2}`,
		want: `
observedGeneration: 2
replicas: 3
readyReplicas: 2
availableReplicas: 1
fullyLabeledReplicas: 9`,
	}, {
		name: "ReplicaSet: a lagging member keeps the old observedGeneration",
		template: `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs, generation: 2}
status: {observedGeneration: 1}`,
		items: `
- clusterName: east
  status: {replicas: 2, observedGeneration: 2, generation: 2, resourceTemplateGeneration: 1}`,
		want: `
observedGeneration: 1
replicas: 2`,
	}, {
		name: "DaemonSet: the seven counters summed; observedGeneration rule",
		template: `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, generation: 4}
status: {observedGeneration: 3, conditions: [{type: Ok, status: "True"}]}`,
		items: `
- clusterName: east
  status: {currentNumberScheduled: 3, desiredNumberScheduled: 3, numberAvailable: 3, numberMisscheduled: 0, numberReady: 3, updatedNumberScheduled: 3, numberUnavailable: 0, observedGeneration: 6, generation: 6, resourceTemplateGeneration: 4}
- clusterName: west
  status: {currentNumberScheduled: 2, desiredNumberScheduled: 4, numberAvailable: 1, numberMisscheduled: 1, numberReady: 1, updatedNumberScheduled: 2, numberUnavailable: 3, observedGeneration: 2, generation: 2, resourceTemplateGeneration: 4}`,
		want: `
observedGeneration: 4
currentNumberScheduled: 5
desiredNumberScheduled: 7
numberAvailable: 4
numberMisscheduled: 1
numberReady: 4
updatedNumberScheduled: 5
numberUnavailable: 3
conditions: [{type: Ok, status: "True"}]`,
	}, {
		name: "DaemonSet: a lagging member keeps the old observedGeneration",
		template: `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, generation: 4}
status: {observedGeneration: 3}`,
		items: `
- clusterName: east
  status: {desiredNumberScheduled: 3, observedGeneration: 6, generation: 6, resourceTemplateGeneration: 3}`,
		want: `
observedGeneration: 3
currentNumberScheduled: 0
desiredNumberScheduled: 3
numberMisscheduled: 0
numberReady: 0`,
	}, {
		name: "StatefulSet: five counters summed; its reflected status has no observedGeneration, so it never catches up",
		template: `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, generation: 5}
status: {observedGeneration: 4, currentRevision: db-1}`,
		items: `
- clusterName: east
  status: {replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, availableReplicas: 2, generation: 3, resourceTemplateGeneration: 5}
- clusterName: west
  status: {replicas: 1, readyReplicas: 0, currentReplicas: 1, updatedReplicas: 0, availableReplicas: 0, generation: 2, resourceTemplateGeneration: 5}`,
		want: `
observedGeneration: 4
replicas: 3
readyReplicas: 2
currentReplicas: 3
updatedReplicas: 2
availableReplicas: 2
currentRevision: db-1`,
	}, {
		name: "StatefulSet: with observedGeneration in the items, the template generation is compared with the member's own (Karmada's quirk)",
		template: `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, generation: 5}
status: {observedGeneration: 4}`,
		items: `
- clusterName: east
  status: {replicas: 2, observedGeneration: 3, generation: 3, resourceTemplateGeneration: 3}`,
		want: `
observedGeneration: 5
replicas: 2
availableReplicas: 0`,
	}})
}

func TestRunAggregateStatusNetworking(t *testing.T) {
	runAggregateCases(t, newInterpreter(t), []aggregateCase{{
		name: "LoadBalancer Service: addresses merged, deduplicated and sorted; ports united",
		template: `
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: shop}
spec: {type: LoadBalancer}
status: {loadBalancer: {ingress: [{ip: 192.0.2.1}]}, conditions: [{type: Old, status: "True", reason: R, message: "", lastTransitionTime: "2024-01-01T00:00:00Z"}]}`,
		items: `
- clusterName: east
  status:
    loadBalancer:
      ingress:
      - {ip: 10.0.0.2, ports: [{port: 443, protocol: TCP}]}
      - {hostname: b.example.com}
      - {ip: 10.0.0.3, ipMode: VIP}
      - {ip: 10.0.0.3, ipMode: Proxy}
- clusterName: west
  status:
    loadBalancer:
      ingress:
      - {ip: 10.0.0.1}
      - {ip: 10.0.0.2, ports: [{port: 80, protocol: TCP, error: Pending}, {port: 443, protocol: TCP}, {port: 80, protocol: TCP}]}
      - {ip: 10.0.0.3}
      - {hostname: a.example.com}
- clusterName: north`,
		want: `
loadBalancer:
  ingress:
  - {hostname: a.example.com}
  - {hostname: b.example.com}
  - {ip: 10.0.0.1}
  - {ip: 10.0.0.2, ports: [{port: 80, protocol: TCP}, {port: 80, protocol: TCP, error: Pending}, {port: 443, protocol: TCP}]}
  - {ip: 10.0.0.3, ipMode: Proxy}
  - {ip: 10.0.0.3, ipMode: VIP}
  - {ip: 10.0.0.3}`,
	}, {
		name: "ClusterIP Service: unchanged whatever the members say",
		template: `
apiVersion: v1
kind: Service
metadata: {name: svc}
spec: {type: ClusterIP}`,
		items: `
- clusterName: east
  status: {loadBalancer: {ingress: [{ip: 10.0.0.1}]}}`,
		unchanged: true,
	}, {
		name: "LoadBalancer Service no member has an address for yet: unchanged",
		template: `
apiVersion: v1
kind: Service
metadata: {name: svc}
spec: {type: LoadBalancer}`,
		items: `
- clusterName: east
  status: {loadBalancer: {}}`,
		unchanged: true,
	}, {
		name: "Ingress: addresses merged, deduplicated and sorted; the rest of the status replaced",
		template: `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing}
status: {loadBalancer: {ingress: [{ip: 192.0.2.1}]}}`,
		items: `
- clusterName: east
  status: {loadBalancer: {ingress: [{ip: 10.0.0.2}, {hostname: ing.example.com, ports: [{port: 443, protocol: TCP}]}]}}
- clusterName: west
  status: {loadBalancer: {ingress: [{ip: 10.0.0.1}, {hostname: ing.example.com, ports: [{port: 80, protocol: TCP}]}, {ip: 10.0.0.2}]}}`,
		want: `
loadBalancer:
  ingress:
  - {hostname: ing.example.com, ports: [{port: 80, protocol: TCP}, {port: 443, protocol: TCP}]}
  - {ip: 10.0.0.1}
  - {ip: 10.0.0.2}`,
	}})
}

// jobTemplate is a Job that has not finished.
const jobTemplate = `
apiVersion: batch/v1
kind: Job
metadata: {name: batch, namespace: jobs}
spec: {completions: 4, parallelism: 2}`

func TestRunAggregateStatusJobs(t *testing.T) {
	runAggregateCases(t, newInterpreter(t), []aggregateCase{{
		name:     "Job running everywhere: counters summed, the earliest start",
		template: jobTemplate,
		items: `
- clusterName: east
  status: {active: 1, succeeded: 1, startTime: "2024-05-01T10:00:00Z"}
- clusterName: west
  status: {active: 1, startTime: "2024-05-01T09:00:00Z"}`,
		want: `{active: 2, succeeded: 1, startTime: "2024-05-01T09:00:00Z"}`,
	}, {
		name:     "Job not started everywhere: no start time yet",
		template: jobTemplate,
		items: `
- clusterName: east
  status: {active: 1, startTime: "2024-05-01T10:00:00Z"}
- clusterName: west
  status: {failed: 1}`,
		want: `{active: 1, failed: 1}`,
	}, {
		name:     "Job failed in some members: Failed naming them",
		template: jobTemplate,
		items: `
- clusterName: east
  status: {failed: 2, conditions: [{type: Failed, status: "True", reason: BackoffLimitExceeded}]}
- clusterName: west
  status: {active: 1, startTime: "2024-05-01T09:00:00Z"}
- clusterName: south
  status: {conditions: [{type: Failed, status: "True"}]}`,
		want: `
active: 1
failed: 2
conditions:
- {type: Failed, status: "True", reason: JobFailed, message: "Job executed failed in member clusters east,south"}`,
	}, {
		name:     "Job complete everywhere with success criteria met everywhere",
		template: jobTemplate,
		items: `
- clusterName: east
  status:
    succeeded: 2
    startTime: "2024-05-01T09:00:00Z"
    completionTime: "2024-05-01T10:00:00Z"
    conditions: [{type: SuccessCriteriaMet, status: "True"}, {type: Complete, status: "True"}]
- clusterName: west
  status:
    succeeded: 2
    startTime: "2024-05-01T09:30:00Z"
    completionTime: "2024-05-01T10:30:00Z"
    conditions: [{type: Complete, status: "True"}, {type: SuccessCriteriaMet, status: "True"}]`,
		want: `
succeeded: 4
startTime: "2024-05-01T09:00:00Z"
completionTime: "2024-05-01T10:30:00Z"
conditions:
- {type: Complete, status: "True", reason: Completed, message: Job completed}
- {type: SuccessCriteriaMet, status: "True", reason: CompletionsReached, message: All member clusters have met success criteria}`,
	}, {
		name:     "Job complete everywhere, success criteria not reported everywhere: Complete only",
		template: jobTemplate,
		items: `
- clusterName: east
  status: {succeeded: 2, conditions: [{type: Complete, status: "True"}, {type: SuccessCriteriaMet, status: "True"}]}
- clusterName: west
  status: {succeeded: 2, conditions: [{type: Complete, status: "True"}]}`,
		want: `
succeeded: 4
conditions:
- {type: Complete, status: "True", reason: Completed, message: Job completed}`,
	}, {
		name:     "Job complete in one member while another has no status yet: not complete",
		template: jobTemplate,
		items: `
- clusterName: east
  status: {succeeded: 2, startTime: "2024-05-01T09:00:00Z", completionTime: "2024-05-01T10:00:00Z", conditions: [{type: Complete, status: "True"}]}
- clusterName: west
  applied: false`,
		want: `{succeeded: 2}`,
	}, {
		name: "Job whose template already has a start time keeps it",
		template: `
apiVersion: batch/v1
kind: Job
metadata: {name: batch}
status: {startTime: "2024-05-01T11:00:00Z"}`,
		items: `
- clusterName: east
  status: {active: 1, startTime: "2024-05-01T09:00:00Z"}`,
		want: `{active: 1, startTime: "2024-05-01T11:00:00Z"}`,
	}, {
		name: "Job already finished: its status is final",
		template: `
apiVersion: batch/v1
kind: Job
metadata: {name: batch}
status: {succeeded: 1, conditions: [{type: Complete, status: "True"}]}`,
		items: `
- clusterName: east
  status: {failed: 3, conditions: [{type: Failed, status: "True"}]}`,
		unchanged: true,
	}, {
		name: "CronJob: active jobs concatenated, the latest schedule and success",
		template: `
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec: {schedule: "0 1 * * *"}
status: {lastScheduleTime: "2024-05-01T08:00:00Z"}`,
		items: `
- clusterName: east
  status: {active: [{kind: Job, name: nightly-1, namespace: jobs}], lastScheduleTime: "2024-05-01T09:00:00Z", lastSuccessfulTime: "2024-05-01T08:30:00Z"}
- clusterName: west
  status: {active: [{kind: Job, name: nightly-2, namespace: jobs}], lastScheduleTime: "2024-05-01T09:05:00Z"}
- clusterName: north`,
		want: `
active: [{kind: Job, name: nightly-1, namespace: jobs}, {kind: Job, name: nightly-2, namespace: jobs}]
lastScheduleTime: "2024-05-01T09:05:00Z"
lastSuccessfulTime: "2024-05-01T08:30:00Z"`,
	}})
}

func TestRunAggregateStatusJobConditionTimes(t *testing.T) {
	g := NewWithT(t)
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	opts := DefaultOptions()
	opts.Now = func() time.Time { return now }
	i := newInterpreterWith(t, opts)
	res := runOp(t, i, Request{Operation: v1alpha1.InterpreterOperationAggregateStatus, Desired: decodeObject(t, jobTemplate),
		StatusItems: decodeItems(t, `{clusterName: east, status: {conditions: [{type: Failed, status: "True"}]}}`)})
	g.Expect(res.Object.Object["status"]).To(Equal(yamlValue(t, `
conditions:
- type: Failed
  status: "True"
  reason: JobFailed
  message: Job executed failed in member clusters east
  lastProbeTime: "2024-05-01T12:00:00Z"
  lastTransitionTime: "2024-05-01T12:00:00Z"`)), "with a clock the conditions are stamped, as in Karmada")
}

func TestRunAggregateStatusPodsAndVolumes(t *testing.T) {
	pod := "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: nginx}]}"
	pv := "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec: {capacity: {storage: 1Gi}}"
	pvc := "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nstatus: {phase: Pending, capacity: {storage: 1Gi}}"
	runAggregateCases(t, newInterpreter(t), []aggregateCase{{
		// Karmada writes the kept fields through the typed ContainerStatus, so its required
		// fields come out empty.
		name:     "Pod: container states and readiness concatenated; Failed anywhere wins",
		template: pod,
		items: `
- clusterName: east
  status:
    phase: Running
    podIP: 10.0.0.1
    containerStatuses: [{name: a, ready: true, restartCount: 3, image: nginx, imageID: sha, state: {running: {startedAt: "2024-05-01T09:00:00Z"}}}]
    initContainerStatuses: [{name: init, ready: false, restartCount: 0, image: busybox, imageID: sha, state: {terminated: {exitCode: 0, reason: Completed}}}]
- clusterName: west
  status:
    phase: Failed
    containerStatuses: [{name: a, ready: false, restartCount: 1, image: nginx, imageID: sha, state: {terminated: {exitCode: 1, reason: Error}}}]`,
		want: `
phase: Failed
containerStatuses:
- {name: "", image: "", imageID: "", restartCount: 0, lastState: {}, ready: true, state: {running: {startedAt: "2024-05-01T09:00:00Z"}}}
- {name: "", image: "", imageID: "", restartCount: 0, lastState: {}, ready: false, state: {terminated: {exitCode: 1, reason: Error}}}
initContainerStatuses:
- {name: "", image: "", imageID: "", restartCount: 0, lastState: {}, ready: false, state: {terminated: {exitCode: 0, reason: Completed}}}`,
	}, {
		name:     "Pod: a member without status counts as Pending, which beats Running",
		template: pod,
		items:    "[{clusterName: east, status: {phase: Running}}, {clusterName: west}]",
		want:     "{phase: Pending}",
	}, {
		name:     "Pod: Running beats Succeeded",
		template: pod,
		items:    "[{clusterName: east, status: {phase: Succeeded}}, {clusterName: west, status: {phase: Running}}]",
		want:     "{phase: Running}",
	}, {
		name:     "Pod: Succeeded everywhere",
		template: pod,
		items:    "[{clusterName: east, status: {phase: Succeeded}}, {clusterName: west, status: {phase: Succeeded}}]",
		want:     "{phase: Succeeded}",
	}, {
		name:      "Pod without any item: unchanged",
		template:  pod + "\nstatus: {phase: Pending}",
		items:     "",
		unchanged: true,
	}, {
		name:     "PersistentVolume: Failed first",
		template: pv,
		items:    "[{clusterName: a, status: {phase: Bound}}, {clusterName: b, status: {phase: Failed}}, {clusterName: c}]",
		want:     "{phase: Failed}",
	}, {
		name:     "PersistentVolume: a member without status counts as Pending",
		template: pv,
		items:    "[{clusterName: a, status: {phase: Available}}, {clusterName: b}]",
		want:     "{phase: Pending}",
	}, {
		name:     "PersistentVolume: Available before Bound",
		template: pv,
		items:    "[{clusterName: a, status: {phase: Bound}}, {clusterName: b, status: {phase: Available}}]",
		want:     "{phase: Available}",
	}, {
		name:     "PersistentVolume: Bound before Released",
		template: pv,
		items:    "[{clusterName: a, status: {phase: Released}}, {clusterName: b, status: {phase: Bound}}]",
		want:     "{phase: Bound}",
	}, {
		name:     "PersistentVolume: Released everywhere",
		template: pv,
		items:    "[{clusterName: a, status: {phase: Released}}]",
		want:     "{phase: Released}",
	}, {
		name:     "PersistentVolumeClaim: Bound everywhere; the rest of the status is replaced",
		template: pvc,
		items:    "[{clusterName: a, status: {phase: Bound, capacity: {storage: 1Gi}}}, {clusterName: b, status: {phase: Bound}}, {clusterName: c}]",
		want:     "{phase: Bound}",
	}, {
		name:     "PersistentVolumeClaim: a phase that is not Bound wins",
		template: pvc,
		items:    "[{clusterName: a, status: {phase: Pending}}, {clusterName: b, status: {phase: Bound}}]",
		want:     "{phase: Pending}",
	}, {
		name:     "PersistentVolumeClaim: Lost anywhere is final",
		template: pvc,
		items:    "[{clusterName: a, status: {phase: Pending}}, {clusterName: b, status: {phase: Lost}}, {clusterName: c, status: {phase: Pending}}]",
		want:     "{phase: Lost}",
	}, {
		name:     "PersistentVolumeClaim without any item: Bound",
		template: pvc,
		items:    "",
		want:     "{phase: Bound}",
	}})
}

func TestRunAggregateStatusBudgetsAndAutoscalers(t *testing.T) {
	runAggregateCases(t, newInterpreter(t), []aggregateCase{{
		name: "PodDisruptionBudget: counters summed, disrupted pods prefixed with their cluster",
		template: `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb}
spec: {minAvailable: 1}
status: {observedGeneration: 2, currentHealthy: 9, desiredHealthy: 9, expectedPods: 9, disruptionsAllowed: 0}`,
		items: `
- clusterName: east
  status: {currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1, disruptedPods: {web-1: "2024-05-01T09:00:00Z"}}
- clusterName: west
  status: {currentHealthy: 1, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 0, disruptedPods: {web-1: "2024-05-01T09:30:00Z"}}
- clusterName: north`,
		want: `
currentHealthy: 3
desiredHealthy: 2
expectedPods: 4
disruptionsAllowed: 1
disruptedPods: {east/web-1: "2024-05-01T09:00:00Z", west/web-1: "2024-05-01T09:30:00Z"}`,
	}, {
		name: "HorizontalPodAutoscaler: current and desired replicas summed, the rest replaced",
		template: `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: hpa}
spec: {maxReplicas: 10, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}}
status: {currentReplicas: 1, desiredReplicas: 1, conditions: [{type: AbleToScale, status: "True"}]}`,
		items: `
- clusterName: east
  status: {currentReplicas: 2, desiredReplicas: 3}
- clusterName: west
  status: {currentReplicas: 3, desiredReplicas: 3}`,
		want: `{currentReplicas: 5, desiredReplicas: 6}`,
	}})
}

func TestRunAggregateStatusErrors(t *testing.T) {
	g := NewWithT(t)
	i := newInterpreter(t)
	_, err := i.Run(Request{Operation: v1alpha1.InterpreterOperationAggregateStatus,
		Desired:     decodeObject(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}"),
		StatusItems: decodeItems(t, "{clusterName: east, status: {}}")})
	g.Expect(errors.Is(err, ErrNoHook)).To(BeTrue(), "only the thirteen kinds of §5.2 aggregate: %v", err)

	_, err = i.Run(Request{Operation: v1alpha1.InterpreterOperationAggregateStatus,
		Desired:     decodeObject(t, deploymentTemplate),
		StatusItems: decodeItems(t, "{clusterName: east, status: {replicas: lots}}")})
	g.Expect(err).To(MatchError(ContainSubstring("AggregateStatus of apps/v1 Deployment shop/web: status of cluster east:")))
}
