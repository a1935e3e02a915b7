package interpreter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utiljson "k8s.io/apimachinery/pkg/util/json"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// memberGenerations are the two generations Karmada adds to the reflected status of the
// workloads whose aggregated observedGeneration depends on them (§5.2): the member object's
// metadata.generation and the template generation the member was rendered from (its
// resourcetemplate.karmada.io/generation annotation). Zero values are left out, as in
// Karmada's FederatedGeneration.
type memberGenerations struct {
	Generation                 int64 `json:"generation,omitempty"`
	ResourceTemplateGeneration int64 `json:"resourceTemplateGeneration,omitempty"`
}

// The reflected statuses of the workloads: the member's counters next to its generations, in
// one JSON object (the embedded structs are inlined).
type (
	deploymentMemberStatus struct {
		memberGenerations
		appsv1.DeploymentStatus
	}
	replicaSetMemberStatus struct {
		memberGenerations
		appsv1.ReplicaSetStatus
	}
	daemonSetMemberStatus struct {
		memberGenerations
		appsv1.DaemonSetStatus
	}
	statefulSetMemberStatus struct {
		memberGenerations
		appsv1.StatefulSetStatus
	}
)

// nativeReflectStatus is Karmada's native InterpretStatus (§5.2, reflectstatus.go): the part
// of a member object's status that is collected into the binding's aggregated status. Every
// kind has the hook: kinds without a rule of their own reflect their whole .status. A nil
// result means there is nothing to collect (no status yet, or a Service that is not a
// LoadBalancer).
func nativeReflectStatus(obj *unstructured.Unstructured) (*runtime.RawExtension, error) {
	if obj.GroupVersionKind() == serviceGVK {
		// Only a LoadBalancer's address is worth collecting.
		if t, _, _ := unstructured.NestedString(obj.Object, "spec", "type"); t != string(corev1.ServiceTypeLoadBalancer) {
			return nil, nil
		}
	}
	status, found, err := unstructured.NestedMap(obj.Object, "status")
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	switch obj.GroupVersionKind() {
	case deploymentGVK:
		return reflectWorkload(obj, status, found, func(st *appsv1.DeploymentStatus, gens memberGenerations) any {
			return deploymentMemberStatus{memberGenerations: gens, DeploymentStatus: appsv1.DeploymentStatus{
				Replicas:            st.Replicas,
				UpdatedReplicas:     st.UpdatedReplicas,
				ReadyReplicas:       st.ReadyReplicas,
				AvailableReplicas:   st.AvailableReplicas,
				UnavailableReplicas: st.UnavailableReplicas,
				ObservedGeneration:  st.ObservedGeneration,
			}}
		})
	case replicaSetGVK:
		return reflectWorkload(obj, status, found, func(st *appsv1.ReplicaSetStatus, gens memberGenerations) any {
			return replicaSetMemberStatus{memberGenerations: gens, ReplicaSetStatus: appsv1.ReplicaSetStatus{
				Replicas:           st.Replicas,
				ReadyReplicas:      st.ReadyReplicas,
				AvailableReplicas:  st.AvailableReplicas,
				ObservedGeneration: st.ObservedGeneration,
			}}
		})
	case daemonSetGVK:
		return reflectWorkload(obj, status, found, func(st *appsv1.DaemonSetStatus, gens memberGenerations) any {
			return daemonSetMemberStatus{memberGenerations: gens, DaemonSetStatus: appsv1.DaemonSetStatus{
				CurrentNumberScheduled: st.CurrentNumberScheduled,
				DesiredNumberScheduled: st.DesiredNumberScheduled,
				NumberAvailable:        st.NumberAvailable,
				NumberMisscheduled:     st.NumberMisscheduled,
				NumberReady:            st.NumberReady,
				UpdatedNumberScheduled: st.UpdatedNumberScheduled,
				NumberUnavailable:      st.NumberUnavailable,
				ObservedGeneration:     st.ObservedGeneration,
			}}
		})
	case statefulSetGVK:
		// Karmada leaves the StatefulSet's observedGeneration out; its aggregation compares
		// the member's generations only.
		return reflectWorkload(obj, status, found, func(st *appsv1.StatefulSetStatus, gens memberGenerations) any {
			return statefulSetMemberStatus{memberGenerations: gens, StatefulSetStatus: appsv1.StatefulSetStatus{
				AvailableReplicas: st.AvailableReplicas,
				CurrentReplicas:   st.CurrentReplicas,
				ReadyReplicas:     st.ReadyReplicas,
				Replicas:          st.Replicas,
				UpdatedReplicas:   st.UpdatedReplicas,
			}}
		})
	case serviceGVK:
		if !found {
			return nil, nil
		}
		return reflectPart(status, func(st *corev1.ServiceStatus) any {
			return corev1.ServiceStatus{LoadBalancer: st.LoadBalancer}
		})
	case jobGVK:
		if !found {
			return nil, nil
		}
		return reflectPart(status, func(st *batchv1.JobStatus) any {
			return batchv1.JobStatus{
				Active:         st.Active,
				Succeeded:      st.Succeeded,
				Failed:         st.Failed,
				Conditions:     st.Conditions,
				StartTime:      st.StartTime,
				CompletionTime: st.CompletionTime,
			}
		})
	case pdbGVK:
		if !found {
			return nil, nil
		}
		return reflectPart(status, func(st *policyv1.PodDisruptionBudgetStatus) any {
			return policyv1.PodDisruptionBudgetStatus{
				DisruptionsAllowed: st.DisruptionsAllowed,
				ExpectedPods:       st.ExpectedPods,
				DesiredHealthy:     st.DesiredHealthy,
				CurrentHealthy:     st.CurrentHealthy,
				DisruptedPods:      st.DisruptedPods,
			}
		})
	case hpaGVK:
		if !found {
			return nil, nil
		}
		return reflectPart(status, func(st *autoscalingv2.HorizontalPodAutoscalerStatus) any {
			return autoscalingv2.HorizontalPodAutoscalerStatus{
				CurrentReplicas: st.CurrentReplicas,
				DesiredReplicas: st.DesiredReplicas,
			}
		})
	}
	// Ingress and every kind without a rule of its own: the whole status, as it is.
	if !found {
		return nil, nil
	}
	raw, err := json.Marshal(status)
	if err != nil {
		return nil, fmt.Errorf("encoding the status: %w", err)
	}
	return &runtime.RawExtension{Raw: raw}, nil
}

// reflectWorkload reflects the status of a Deployment, ReplicaSet, DaemonSet or StatefulSet:
// pick chooses the counters and adds the member's generations. As in Karmada, a status
// that reflects to an empty object is nil (nothing collected yet) for every kind but the
// DaemonSet and StatefulSet, whose rules do not make that check.
func reflectWorkload[S any](obj *unstructured.Unstructured, status map[string]any, found bool, pick func(*S, memberGenerations) any) (*runtime.RawExtension, error) {
	if !found {
		return nil, nil
	}
	st := new(S)
	if err := toTyped(status, st); err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	gens, err := generationsOf(obj)
	if err != nil {
		return nil, err
	}
	raw, err := rawStatus(pick(st, gens))
	if err != nil {
		return nil, err
	}
	switch obj.GroupVersionKind() {
	case deploymentGVK, replicaSetGVK:
		if string(raw.Raw) == "{}" {
			return nil, nil
		}
	}
	return raw, nil
}

// reflectPart reflects the part of a status that pick chooses.
func reflectPart[S any](status map[string]any, pick func(*S) any) (*runtime.RawExtension, error) {
	st := new(S)
	if err := toTyped(status, st); err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	return rawStatus(pick(st))
}

// generationsOf reads a member object's generations. A missing template-generation
// annotation counts as 0; one that is not an integer is an error, as in Karmada.
func generationsOf(obj *unstructured.Unstructured) (memberGenerations, error) {
	gens := memberGenerations{Generation: obj.GetGeneration()}
	if s := obj.GetAnnotations()[v1alpha1.ResourceTemplateGenerationAnnotationKey]; s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return gens, fmt.Errorf("annotation %s: %q is not an integer", v1alpha1.ResourceTemplateGenerationAnnotationKey, s)
		}
		gens.ResourceTemplateGeneration = n
	}
	return gens, nil
}

// rawStatus serialises a reflected status. A typed status writes its unset times and some
// unset lists (an HPA's currentMetrics) as null; those are left out, since they say nothing
// and would only be noise in the status tree.
func rawStatus(v any) (*runtime.RawExtension, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding the status: %w", err)
	}
	if bytes.Contains(raw, []byte("null")) {
		var m any
		if err := utiljson.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("encoding the status: %w", err)
		}
		if raw, err = json.Marshal(dropNulls(m)); err != nil {
			return nil, fmt.Errorf("encoding the status: %w", err)
		}
	}
	return &runtime.RawExtension{Raw: raw}, nil
}
