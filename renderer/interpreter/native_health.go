package interpreter

import (
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// nativeInterpretHealth is Karmada's native InterpretHealth for its nine kinds (§5.2,
// healthy.go); handled is false for any other kind, which Karmada counts as healthy.
func nativeInterpretHealth(obj *unstructured.Unstructured) (handled, healthy bool, err error) {
	switch obj.GroupVersionKind() {
	case deploymentGVK:
		d, err := typed[appsv1.Deployment](obj)
		if err != nil {
			return true, false, err
		}
		return true, rolledOut(d.Generation, d.Status.ObservedGeneration, d.Spec.Replicas,
			d.Status.UpdatedReplicas, d.Status.AvailableReplicas), nil
	case statefulSetGVK:
		s, err := typed[appsv1.StatefulSet](obj)
		if err != nil {
			return true, false, err
		}
		return true, rolledOut(s.Generation, s.Status.ObservedGeneration, s.Spec.Replicas,
			s.Status.UpdatedReplicas, s.Status.AvailableReplicas), nil
	case replicaSetGVK:
		rs, err := typed[appsv1.ReplicaSet](obj)
		if err != nil {
			return true, false, err
		}
		if rs.Status.ObservedGeneration != rs.Generation {
			return true, false, nil
		}
		return true, rs.Spec.Replicas == nil || rs.Status.AvailableReplicas >= *rs.Spec.Replicas, nil
	case daemonSetGVK:
		ds, err := typed[appsv1.DaemonSet](obj)
		if err != nil {
			return true, false, err
		}
		st := ds.Status
		return true, st.ObservedGeneration == ds.Generation &&
			st.UpdatedNumberScheduled >= st.DesiredNumberScheduled &&
			st.NumberAvailable >= st.UpdatedNumberScheduled, nil
	case serviceGVK:
		svc, err := typed[corev1.Service](obj)
		if err != nil {
			return true, false, err
		}
		if svc.Spec.Type != corev1.ServiceTypeLoadBalancer {
			return true, true, nil
		}
		return true, slices.ContainsFunc(svc.Status.LoadBalancer.Ingress,
			func(i corev1.LoadBalancerIngress) bool { return i.Hostname != "" || i.IP != "" }), nil
	case ingressGVK:
		ing, err := typed[networkingv1.Ingress](obj)
		if err != nil {
			return true, false, err
		}
		return true, slices.ContainsFunc(ing.Status.LoadBalancer.Ingress,
			func(i networkingv1.IngressLoadBalancerIngress) bool { return i.Hostname != "" || i.IP != "" }), nil
	case pvcGVK:
		pvc, err := typed[corev1.PersistentVolumeClaim](obj)
		if err != nil {
			return true, false, err
		}
		return true, pvc.Status.Phase == corev1.ClaimBound, nil
	case podGVK:
		pod, err := typed[corev1.Pod](obj)
		if err != nil {
			return true, false, err
		}
		return true, podHealthy(&pod.Status), nil
	case pdbGVK:
		pdb, err := typed[policyv1.PodDisruptionBudget](obj)
		if err != nil {
			return true, false, err
		}
		return true, pdb.Status.CurrentHealthy >= pdb.Status.DesiredHealthy, nil
	}
	return false, false, nil
}

// rolledOut is the health of a Deployment or StatefulSet: the controller has seen the latest
// generation, every desired replica is updated (when replicas is set) and every updated
// replica is available.
func rolledOut(generation, observed int64, replicas *int32, updated, available int32) bool {
	return observed == generation &&
		(replicas == nil || updated >= *replicas) &&
		available >= updated
}

// podHealthy is the health of a Pod: succeeded, or running with the Ready condition True.
func podHealthy(st *corev1.PodStatus) bool {
	if st.Phase == corev1.PodSucceeded {
		return true
	}
	if st.Phase != corev1.PodRunning {
		return false
	}
	for _, c := range st.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
