package interpreter

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// The kinds Karmada's native interpreter knows (§5.2). Only these exact group/version/kinds
// qualify: apps/v1beta2 Deployments or networking.k8s.io/v1beta1 Ingresses get no native
// rule, as in Karmada.
var (
	deploymentGVK     = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}
	replicaSetGVK     = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "ReplicaSet"}
	statefulSetGVK    = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "StatefulSet"}
	daemonSetGVK      = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "DaemonSet"}
	jobGVK            = schema.GroupVersionKind{Group: "batch", Version: "v1", Kind: "Job"}
	cronJobGVK        = schema.GroupVersionKind{Group: "batch", Version: "v1", Kind: "CronJob"}
	podGVK            = schema.GroupVersionKind{Version: "v1", Kind: "Pod"}
	serviceGVK        = schema.GroupVersionKind{Version: "v1", Kind: "Service"}
	pvcGVK            = schema.GroupVersionKind{Version: "v1", Kind: "PersistentVolumeClaim"}
	ingressGVK        = schema.GroupVersionKind{Group: "networking.k8s.io", Version: "v1", Kind: "Ingress"}
	pdbGVK            = schema.GroupVersionKind{Group: "policy", Version: "v1", Kind: "PodDisruptionBudget"}
	serviceImportGVK  = schema.GroupVersionKind{Group: "multicluster.x-k8s.io", Version: "v1alpha1", Kind: "ServiceImport"}
	hpaGVK            = schema.GroupVersionKind{Group: "autoscaling", Version: "v2", Kind: "HorizontalPodAutoscaler"}
	pvGVK             = schema.GroupVersionKind{Version: "v1", Kind: "PersistentVolume"}
	serviceAccountGVK = schema.GroupVersionKind{Version: "v1", Kind: "ServiceAccount"}
	secretGVK         = schema.GroupVersionKind{Version: "v1", Kind: "Secret"}
)

// nativeHookEnabled reports whether a native rule implements the operation for the kind.
func nativeHookEnabled(gvk schema.GroupVersionKind, op Operation) bool {
	switch op {
	case v1alpha1.InterpreterOperationInterpretReplica:
		switch gvk {
		case deploymentGVK, replicaSetGVK, statefulSetGVK, jobGVK, podGVK:
			return true
		}
	case v1alpha1.InterpreterOperationReviseReplica:
		switch gvk {
		case deploymentGVK, replicaSetGVK, statefulSetGVK, jobGVK:
			return true
		}
	case v1alpha1.InterpreterOperationInterpretDependency:
		switch gvk {
		case deploymentGVK, replicaSetGVK, jobGVK, cronJobGVK, podGVK, daemonSetGVK, statefulSetGVK,
			ingressGVK, serviceImportGVK:
			return true
		}
	case v1alpha1.InterpreterOperationInterpretHealth:
		switch gvk {
		case deploymentGVK, statefulSetGVK, replicaSetGVK, daemonSetGVK, serviceGVK, ingressGVK,
			pvcGVK, podGVK, pdbGVK:
			return true
		}
	case v1alpha1.InterpreterOperationInterpretStatus:
		// Kinds without a rule of their own reflect their whole status.
		return true
	case v1alpha1.InterpreterOperationAggregateStatus:
		switch gvk {
		case deploymentGVK, replicaSetGVK, serviceGVK, ingressGVK, jobGVK, cronJobGVK, daemonSetGVK,
			statefulSetGVK, podGVK, pvGVK, pvcGVK, pdbGVK, hpaGVK:
			return true
		}
	case v1alpha1.InterpreterOperationRetain:
		switch gvk {
		case deploymentGVK, podGVK, serviceGVK, serviceAccountGVK, pvcGVK, pvGVK, jobGVK, secretGVK:
			return true
		}
	}
	return false
}

// toTyped converts unstructured content into a typed object the way Karmada's native rules do
// (runtime.DefaultUnstructuredConverter), so the same malformed templates are rejected.
func toTyped(content map[string]any, out any) error {
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(content, out); err != nil {
		return fmt.Errorf("reading the object: %w", err)
	}
	return nil
}

// typed converts the object into a new value of type T.
func typed[T any](obj *unstructured.Unstructured) (*T, error) {
	out := new(T)
	if err := toTyped(obj.Object, out); err != nil {
		return nil, err
	}
	return out, nil
}
