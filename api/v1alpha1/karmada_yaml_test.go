package v1alpha1

import (
	"testing"

	"sigs.k8s.io/yaml"
)

// TestNonPolicyKindsDecodeStrictly reads each kind of this package's cluster, work, config,
// networking and apps groups in Karmada's YAML, with every field of the type spelt as
// Karmada spells it, and rejects none: a wrong JSON tag fails here.
func TestNonPolicyKindsDecodeStrictly(t *testing.T) {
	tests := []struct {
		name string
		into any
		doc  string
	}{
		{name: "ResourceBinding", into: &ResourceBinding{}, doc: `
apiVersion: work.karmada.io/v1alpha2
kind: ResourceBinding
metadata:
  name: web-deployment
  namespace: shop
  labels: {resourcebinding.karmada.io/permanent-id: 0d6d2f37-0000-4000-8000-000000000000}
spec:
  resource: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web, uid: abc, resourceVersion: "7"}
  propagateDeps: true
  replicaRequirements:
    nodeClaim:
      hardNodeAffinity:
        nodeSelectorTerms:
        - matchExpressions: [{key: zone, operator: In, values: [a]}]
      nodeSelector: {disk: ssd}
      tolerations: [{key: k, operator: Exists, effect: NoSchedule}]
    resourceRequest: {cpu: 500m, memory: 1Gi}
    namespace: shop
    priorityClassName: high
  replicas: 3
  components:
  - name: main
    replicas: 3
    replicaRequirements:
      nodeClaim: {nodeSelector: {disk: ssd}}
      resourceRequest: {cpu: 500m}
      priorityClassName: high
  clusters:
  - name: member-1
    replicas: 2
    components: [{name: main, replicas: 2}]
  - {name: member-2, replicas: 1}
  placement:
    clusterAffinity: {clusterNames: [member-1, member-2]}
  gracefulEvictionTasks:
  - fromCluster: member-3
    purgeMode: Gracefully
    replicas: 1
    reason: TaintUntolerated
    message: cluster member-3 is not ready
    producer: TaintManager
    gracePeriodSeconds: 600
    preservedLabelState: {failover.example.io/state: x}
    creationTimestamp: "2026-01-01T00:00:00Z"
    clustersBeforeFailover: [member-3]
  - {fromCluster: member-4, reason: ApplicationFailure, producer: resource-binding-application-failover-controller, suppressDeletion: true}
  requiredBy:
  - namespace: shop
    name: other-deployment
    clusters: [{name: member-1, replicas: 1}]
  schedulerName: default-scheduler
  conflictResolution: Overwrite
  rescheduleTriggeredAt: "2026-01-02T00:00:00Z"
  suspension:
    dispatching: false
    dispatchingOnClusters: {clusterNames: [member-2]}
    scheduling: true
  preserveResourcesOnDeletion: true
  schedulePriority: {priority: 10}
  workloadAffinityGroups: {affinityGroup: app.group=frontend, antiAffinityGroup: app.group=backend}
status:
  schedulerObservedGeneration: 2
  schedulerObservingAffinityName: primary
  lastScheduledTime: "2026-01-01T00:00:00Z"
  conditions:
  - {type: Scheduled, status: "True", reason: Success, message: Binding has been scheduled successfully., lastTransitionTime: "2026-01-01T00:00:00Z"}
  aggregatedStatus:
  - clusterName: member-1
    status: {readyReplicas: 2, anything: [1, 2]}
    applied: true
    health: Healthy
  - {clusterName: member-2, applied: false, appliedMessage: conflict, health: Unknown}
`},
		{name: "ClusterResourceBinding", into: &ClusterResourceBinding{}, doc: `
apiVersion: work.karmada.io/v1alpha2
kind: ClusterResourceBinding
metadata: {name: reader-clusterrole}
spec:
  resource: {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, name: reader}
  clusters: [{name: member-1}]
`},
		{name: "ResourceInterpreterCustomization", into: &ResourceInterpreterCustomization{}, doc: `
apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata: {name: workload}
spec:
  target: {apiVersion: apps.example.io/v1, kind: Workload}
  customizations:
    retention: {luaScript: "function Retain(desiredObj, observedObj) return desiredObj end"}
    replicaResource: {luaScript: "function GetReplicas(desiredObj) return 1, {} end"}
    componentResource: {luaScript: "function GetComponents(desiredObj) return {} end"}
    replicaRevision: {luaScript: "function ReviseReplica(desiredObj, desiredReplica) return desiredObj end"}
    statusReflection: {luaScript: "function ReflectStatus(observedObj) return {} end"}
    statusAggregation: {luaScript: "function AggregateStatus(desiredObj, statusItems) return desiredObj end"}
    healthInterpretation: {luaScript: "function InterpretHealth(observedObj) return true end"}
    dependencyInterpretation: {luaScript: "function GetDependencies(desiredObj) return {} end"}
`},
		{name: "MultiClusterService", into: &MultiClusterService{}, doc: `
apiVersion: networking.karmada.io/v1alpha1
kind: MultiClusterService
metadata: {name: web, namespace: shop}
spec:
  types: [CrossCluster]
  ports: [{name: http, port: 80}]
  range: {clusterNames: [member-1]}
  serviceProvisionClusters: [member-1]
  serviceConsumptionClusters: [member-2]
  providerClusters: [{name: member-1}]
  consumerClusters: [{name: member-2}]
status:
  loadBalancer:
    ingress: [{ip: 10.0.0.9}]
`},
		{name: "WorkloadRebalancer", into: &WorkloadRebalancer{}, doc: `
apiVersion: apps.karmada.io/v1alpha1
kind: WorkloadRebalancer
metadata: {name: rebalance}
spec:
  workloads:
  - {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web}
  ttlSecondsAfterFinished: 60
status:
  observedWorkloads:
  - workload: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web}
    result: Failed
    reason: ReferencedBindingNotFound
  observedGeneration: 1
  finishTime: "2026-01-01T00:00:00Z"
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := yaml.UnmarshalStrict([]byte(tt.doc), tt.into); err != nil {
				t.Fatalf("strict decode: %v", err)
			}
		})
	}
}

// TestBindingJSONNames pins the JSON names that differ from what the Go names suggest.
func TestBindingJSONNames(t *testing.T) {
	rb := ResourceBinding{Status: ResourceBindingStatus{SchedulerObservedAffinityName: "primary"}}
	out, err := yaml.Marshal(rb.Status)
	if err != nil {
		t.Fatal(err)
	}
	if want := "schedulerObservingAffinityName: primary\n"; string(out) != want {
		t.Errorf("status serialises as %q, want %q", out, want)
	}
}
