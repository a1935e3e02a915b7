package interpreter

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/utils/ptr"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// nativeGetReplicas is Karmada's native InterpretReplica (§5.2, pkg/resourceinterpreter/
// default/native/replica.go). handled is false for kinds it does not know.
func nativeGetReplicas(obj *unstructured.Unstructured, withPriorityClass bool) (handled bool, replicas int32, requirements *v1alpha1.ReplicaRequirements, err error) {
	var spec *corev1.PodSpec
	switch obj.GroupVersionKind() {
	case deploymentGVK:
		d, err := typed[appsv1.Deployment](obj)
		if err != nil {
			return true, 0, nil, err
		}
		replicas, spec = ptr.Deref(d.Spec.Replicas, 0), &d.Spec.Template.Spec
	case replicaSetGVK:
		rs, err := typed[appsv1.ReplicaSet](obj)
		if err != nil {
			return true, 0, nil, err
		}
		replicas, spec = ptr.Deref(rs.Spec.Replicas, 0), &rs.Spec.Template.Spec
	case statefulSetGVK:
		sts, err := typed[appsv1.StatefulSet](obj)
		if err != nil {
			return true, 0, nil, err
		}
		replicas, spec = ptr.Deref(sts.Spec.Replicas, 0), &sts.Spec.Template.Spec
	case jobGVK:
		job, err := typed[batchv1.Job](obj)
		if err != nil {
			return true, 0, nil, err
		}
		replicas, spec = jobReplicas(&job.Spec), &job.Spec.Template.Spec
	case podGVK:
		pod, err := typed[corev1.Pod](obj)
		if err != nil {
			return true, 0, nil, err
		}
		// A Pod is one replica of itself.
		replicas, spec = 1, &pod.Spec
	default:
		return false, 0, nil, nil
	}
	return true, replicas, podReplicaRequirements(spec, withPriorityClass), nil
}

// jobReplicas is the number of pods a Job runs at once: its parallelism (0 when unset), but
// never more than its completions (when set), since a Job with fixed completions never runs
// more pods than it has completions left.
func jobReplicas(spec *batchv1.JobSpec) int32 {
	parallelism := ptr.Deref(spec.Parallelism, 0)
	return min(parallelism, ptr.Deref(spec.Completions, parallelism))
}

// nativeReviseReplica is Karmada's native ReviseReplica (§5.2, revisereplica.go): it writes
// the replicas into spec.replicas (spec.parallelism for a Job) of a copy of the object.
// handled is false for kinds it does not know.
func nativeReviseReplica(obj *unstructured.Unstructured, replicas int64) (handled bool, revised *unstructured.Unstructured, err error) {
	var field string
	switch obj.GroupVersionKind() {
	case deploymentGVK, replicaSetGVK, statefulSetGVK:
		field = "replicas"
	case jobGVK:
		field = "parallelism"
	default:
		return false, nil, nil
	}
	revised = obj.DeepCopy()
	if err := setSpecInt64IfPresent(revised, field, replicas); err != nil {
		return true, nil, err
	}
	return true, revised, nil
}

// setSpecInt64IfPresent sets spec.<field> to value when the field is present, and leaves the
// object alone when it is absent, as Karmada's helper.ApplyReplica: a template without the
// field keeps relying on the member's default. A present field that is not an integer is an
// error.
func setSpecInt64IfPresent(obj *unstructured.Unstructured, field string, value int64) error {
	_, found, err := unstructured.NestedInt64(obj.Object, "spec", field)
	if err != nil {
		return fmt.Errorf("spec.%s: %w", field, err)
	}
	if !found {
		return nil
	}
	return unstructured.SetNestedField(obj.Object, value, "spec", field)
}
