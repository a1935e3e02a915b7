package overrides

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// commandArgsPatch builds the patch of one command or args overrider (semantics §1.2.2);
// target is "command" or "args". Only Pods (spec.containers) and ReplicaSets, Deployments,
// DaemonSets, Jobs and StatefulSets (spec.template.spec.containers) are changed, matched by
// kind only; init containers never are. Every container named containerName gets one
// operation:
//   - without the target field (or with it null), "add" of the overrider applied to an
//     empty list: the values for add, [] for remove;
//   - otherwise "replace" with the new list: the current one with the values appended
//     (add), or without every element equal to one of the values (remove; an empty value
//     list leaves it as it is, still written).
func commandArgsPatch(obj *unstructured.Unstructured, target string, o *v1alpha1.CommandArgsOverrider) ([]patchOperation, error) {
	var fields []string
	switch obj.GetKind() {
	case "Pod":
		fields = []string{"spec", "containers"}
	case "ReplicaSet", "Deployment", "DaemonSet", "Job", "StatefulSet":
		fields = []string{"spec", "template", "spec", "containers"}
	default:
		return nil, nil
	}
	containersPath := strings.Join(fields, "/")
	value, found, err := unstructured.NestedFieldNoCopy(obj.Object, fields...)
	if err != nil {
		return nil, fmt.Errorf("failed to retrieves path(%s) from rawObj, error: %w", containersPath, err)
	}
	if !found {
		return nil, nil
	}
	containers, ok := value.([]any)
	if !ok {
		return nil, fmt.Errorf("failed to retrieves path(%s) from rawObj, error: %s is of the type %T, expected []interface{}",
			containersPath, containersPath, value)
	}
	var ops []patchOperation
	for i, c := range containers {
		container, ok := c.(map[string]any)
		if !ok {
			// Karmada panics here.
			return nil, fmt.Errorf("%s[%d] is of the type %T, expected map[string]interface{}", containersPath, i, c)
		}
		if name, isString := container["name"].(string); !isString || name != o.ContainerName {
			continue
		}
		path := "/" + containersPath + "/" + strconv.Itoa(i) + "/" + target
		current := container[target]
		if current == nil {
			ops = append(ops, patchOperation{op: v1alpha1.OverriderOpAdd, path: path, value: overrideCommandArgs(nil, o)})
			continue
		}
		list, ok := current.([]any)
		if !ok {
			// Karmada panics here.
			return nil, fmt.Errorf("%s[%d].%s is of the type %T, expected []interface{}", containersPath, i, target, current)
		}
		// Karmada reads every element with fmt's %s verb: a non-string element becomes
		// text such as "%!s(int64=1)". Kubernetes only allows strings here.
		strs := make([]string, len(list))
		for j, e := range list {
			strs[j] = fmt.Sprintf("%s", e)
		}
		ops = append(ops, patchOperation{op: v1alpha1.OverriderOpReplace, path: path, value: overrideCommandArgs(strs, o)})
	}
	return ops, nil
}

// overrideCommandArgs applies the overrider to the current list and returns the new one as
// a JSON array value. An operator other than add and remove leaves the list unchanged.
func overrideCommandArgs(current []string, o *v1alpha1.CommandArgsOverrider) []any {
	switch o.Operator {
	case v1alpha1.OverriderOpAdd:
		current = append(current, o.Value...)
	case v1alpha1.OverriderOpRemove:
		current = slices.DeleteFunc(current, func(s string) bool { return slices.Contains(o.Value, s) })
	}
	out := make([]any, len(current))
	for i, s := range current {
		out[i] = s
	}
	return out
}
