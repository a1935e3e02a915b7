package interpreter

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// nativeRetain is Karmada's native Retain for its eight kinds (§5.2, retain.go): it returns a
// copy of desired with the values that member-cluster controllers own kept from observed,
// the member's current copy. handled is false for any other kind.
func nativeRetain(desired, observed *unstructured.Unstructured) (handled bool, out *unstructured.Unstructured, err error) {
	out = desired.DeepCopy()
	switch desired.GroupVersionKind() {
	case deploymentGVK:
		err = retainReplicas(out, observed)
	case podGVK:
		err = retainPodFields(out, observed)
	case serviceGVK:
		err = retainServiceFields(out, observed)
	case serviceAccountGVK:
		err = retainServiceAccountSecrets(out, observed)
	case pvcGVK:
		err = keepString(out, observed, "spec", "volumeName")
	case pvGVK:
		// The claim reference is written by kube-controller-manager when the volume binds.
		if ref, found, _ := unstructured.NestedFieldNoCopy(observed.Object, "spec", "claimRef"); found {
			err = unstructured.SetNestedField(out.Object, runtime.DeepCopyJSONValue(ref), "spec", "claimRef")
		}
	case jobGVK:
		// The Job controller generates the selector and the pod template's labels.
		if err = keepStringMap(out, observed, "spec", "selector", "matchLabels"); err == nil {
			err = keepStringMap(out, observed, "spec", "template", "metadata", "labels")
		}
	case secretGVK:
		// A service account token is generated in the member cluster.
		if t, _, _ := unstructured.NestedString(desired.Object, "type"); t == string(corev1.SecretTypeServiceAccountToken) {
			err = keepStringMap(out, observed, "data")
		}
	default:
		return false, nil, nil
	}
	if err != nil {
		return true, nil, err
	}
	return true, out, nil
}

// retainReplicas keeps the member's spec.replicas when the template asks for it with the
// label resourcetemplate.karmada.io/retain-replicas: "true" (typically because an HPA in the
// member cluster scales it). The member must then have spec.replicas.
func retainReplicas(desired, observed *unstructured.Unstructured) error {
	if desired.GetLabels()[v1alpha1.RetainReplicasLabel] != v1alpha1.RetainReplicasValue {
		return nil
	}
	replicas, found, err := unstructured.NestedInt64(observed.Object, "spec", "replicas")
	if err != nil || !found {
		return fmt.Errorf("retaining replicas (label %s): the member's copy has no spec.replicas", v1alpha1.RetainReplicasLabel)
	}
	return unstructured.SetNestedField(desired.Object, replicas, "spec", "replicas")
}

// retainPodFields keeps what the member cluster decided for a Pod: its node, service
// account, volumes, and each container's volume mounts (the service account admission
// plugin adds a token volume and its mounts). As in Karmada, a value the member does not
// have is removed from the result.
func retainPodFields(desired, observed *unstructured.Unstructured) error {
	// Read both as Pods first, so that malformed ones are rejected as in Karmada.
	if _, err := typed[corev1.Pod](desired); err != nil {
		return fmt.Errorf("desired: %w", err)
	}
	if _, err := typed[corev1.Pod](observed); err != nil {
		return fmt.Errorf("observed: %w", err)
	}
	for _, f := range []string{"nodeName", "serviceAccountName", "volumes"} {
		if err := keepOrRemove(desired, observed, "spec", f); err != nil {
			return err
		}
	}
	for _, list := range []string{"containers", "initContainers"} {
		if err := retainVolumeMounts(desired, observed, list); err != nil {
			return err
		}
	}
	return nil
}

// retainVolumeMounts gives every container of desired's spec.<list> the volume mounts of the
// member's container of the same name.
func retainVolumeMounts(desired, observed *unstructured.Unstructured, list string) error {
	observedContainers, _, _ := unstructured.NestedSlice(observed.Object, "spec", list)
	desiredContainers, found, _ := unstructured.NestedFieldNoCopy(desired.Object, "spec", list)
	containers, ok := desiredContainers.([]any)
	if !found || !ok {
		return nil
	}
	for _, oc := range observedContainers {
		o, _ := oc.(map[string]any)
		for _, dc := range containers {
			d, _ := dc.(map[string]any)
			if d == nil || o == nil || d["name"] != o["name"] {
				continue
			}
			if mounts, has := o["volumeMounts"]; has && mounts != nil {
				d["volumeMounts"] = runtime.DeepCopyJSONValue(mounts)
			} else {
				delete(d, "volumeMounts")
			}
			break
		}
	}
	return nil
}

// retainServiceFields keeps what the member's API server allocated for a Service: its
// cluster IP and its health-check node port.
func retainServiceFields(desired, observed *unstructured.Unstructured) error {
	port, found, err := unstructured.NestedInt64(observed.Object, "spec", "healthCheckNodePort")
	if err != nil {
		return fmt.Errorf("observed spec.healthCheckNodePort: %w", err)
	}
	if found && port > 0 {
		if err := unstructured.SetNestedField(desired.Object, port, "spec", "healthCheckNodePort"); err != nil {
			return err
		}
	}
	return keepString(desired, observed, "spec", "clusterIP")
}

// retainServiceAccountSecrets merges a ServiceAccount's secrets and imagePullSecrets: the
// template's first, then those only the member has (by name), so that the token controller
// in the member does not keep regenerating a secret the template lacks. Unlike Karmada, a
// list that ends up empty is left as the template has it rather than set to null.
func retainServiceAccountSecrets(desired, observed *unstructured.Unstructured) error {
	for _, field := range []string{"secrets", "imagePullSecrets"} {
		want, _, err := unstructured.NestedSlice(desired.Object, field)
		if err != nil {
			return fmt.Errorf("desired %s: %w", field, err)
		}
		have, _, err := unstructured.NestedSlice(observed.Object, field)
		if err != nil {
			return fmt.Errorf("observed %s: %w", field, err)
		}
		seen := map[string]bool{}
		merged := make([]any, 0, len(want)+len(have))
		for _, list := range [][]any{want, have} {
			for n, ref := range list {
				m, _ := ref.(map[string]any)
				name, ok := m["name"].(string)
				if !ok {
					return fmt.Errorf("%s[%d]: a reference needs a name", field, n)
				}
				if seen[name] {
					continue
				}
				seen[name] = true
				merged = append(merged, ref)
			}
		}
		if len(merged) == 0 {
			continue
		}
		if err := unstructured.SetNestedSlice(desired.Object, merged, field); err != nil {
			return err
		}
	}
	return nil
}

// keepString sets desired's string field to the member's, when the member has a non-empty one.
func keepString(desired, observed *unstructured.Unstructured, fields ...string) error {
	v, found, err := unstructured.NestedString(observed.Object, fields...)
	if err != nil {
		return fmt.Errorf("observed: %w", err)
	}
	if !found || v == "" {
		return nil
	}
	return unstructured.SetNestedField(desired.Object, v, fields...)
}

// keepStringMap sets desired's string map to the member's, when the member has one.
func keepStringMap(desired, observed *unstructured.Unstructured, fields ...string) error {
	m, found, err := unstructured.NestedStringMap(observed.Object, fields...)
	if err != nil {
		return fmt.Errorf("observed: %w", err)
	}
	if !found {
		return nil
	}
	return unstructured.SetNestedStringMap(desired.Object, m, fields...)
}

// keepOrRemove sets desired's field to the member's value, or removes it when the member has
// none.
func keepOrRemove(desired, observed *unstructured.Unstructured, fields ...string) error {
	v, found, _ := unstructured.NestedFieldNoCopy(observed.Object, fields...)
	if list, isList := v.([]any); !found || v == nil || v == "" || (isList && len(list) == 0) {
		unstructured.RemoveNestedField(desired.Object, fields...)
		return nil
	}
	return unstructured.SetNestedField(desired.Object, runtime.DeepCopyJSONValue(v), fields...)
}
