package interpreter

import (
	"math"

	lua "github.com/yuin/gopher-lua"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// kubeModuleName is the name scripts require the helper module by: local kube = require("kube").
const kubeModuleName = "kube"

// kubeLoader returns the loader of the kube module (§5.3), Karmada's helpers for scripts,
// computed by the same code as the native rules so that scripts and native rules agree:
//
//   - resourceAdd(q1, q2, ...) → the sum of resource quantities (strings; nil counts as 0),
//     as a quantity string.
//   - getResourceQuantity(q) → the quantity as an approximate number.
//   - accuratePodRequirements(podTemplate) → the ReplicaRequirements of a pod template, as
//     the native InterpretReplica computes them, or nil.
//   - getPodDependencies(podTemplate, namespace) → the ConfigMaps, Secrets, ServiceAccount
//     and PersistentVolumeClaims the template refers to, in namespace ("default" when nil),
//     sorted; nil when there are none.
func kubeLoader(opts Options) lua.LGFunction {
	return func(L *lua.LState) int {
		mod := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"resourceAdd":         kubeResourceAdd,
			"getResourceQuantity": kubeGetResourceQuantity,
			"accuratePodRequirements": func(L *lua.LState) int {
				return kubeAccuratePodRequirements(L, opts.ResourceQuotaEstimate)
			},
			"getPodDependencies": kubeGetPodDependencies,
		})
		L.Push(mod)
		return 1
	}
}

func kubeResourceAdd(L *lua.LState) int {
	var sum resource.Quantity
	for n := 1; n <= L.GetTop(); n++ {
		sum.Add(checkQuantity(L, n, "resourceAdd"))
	}
	L.Push(lua.LString(sum.String()))
	return 1
}

func kubeGetResourceQuantity(L *lua.LState) int {
	checkArgCount(L, "getResourceQuantity", 1)
	q := checkQuantity(L, 1, "getResourceQuantity")
	f := q.AsApproximateFloat64()
	switch {
	case f < 0:
		L.RaiseError("kube.getResourceQuantity: %s is negative", q.String())
	case math.IsInf(f, 1):
		L.RaiseError("kube.getResourceQuantity: %s is too large", q.String())
	}
	L.Push(lua.LNumber(f))
	return 1
}

func kubeAccuratePodRequirements(L *lua.LState, withPriorityClass bool) int {
	checkArgCount(L, "accuratePodRequirements", 1)
	template := checkPodTemplate(L, 1, "accuratePodRequirements")
	requirements := podReplicaRequirements(&template.Spec, withPriorityClass)
	if requirements == nil {
		L.Push(lua.LNil)
		return 1
	}
	pushGo(L, requirements, "accuratePodRequirements")
	return 1
}

func kubeGetPodDependencies(L *lua.LState) int {
	checkArgCount(L, "getPodDependencies", 2)
	template := checkPodTemplate(L, 1, "getPodDependencies")
	var namespace string
	switch v := L.Get(2); v.Type() {
	case lua.LTNil:
		// Karmada's default for a template whose object names no namespace.
		namespace = "default"
	case lua.LTString, lua.LTNumber:
		namespace = v.String()
	default:
		L.TypeError(2, lua.LTString)
	}
	deps := normalizeDependencies(podDependencies(&template.Spec, namespace))
	if deps == nil {
		L.Push(lua.LNil)
		return 1
	}
	pushGo(L, deps, "getPodDependencies")
	return 1
}

// checkArgCount raises an error unless the function got exactly n arguments.
func checkArgCount(L *lua.LState, fn string, n int) {
	if L.GetTop() != n {
		L.RaiseError("kube.%s takes %d argument(s), got %d", fn, n, L.GetTop())
	}
}

// checkQuantity reads argument n as a resource quantity: a quantity string, or nil for zero.
func checkQuantity(L *lua.LState, n int, fn string) resource.Quantity {
	switch v := L.Get(n); v.Type() {
	case lua.LTNil:
		return resource.Quantity{}
	case lua.LTString:
		q, err := resource.ParseQuantity(v.String())
		if err != nil {
			L.RaiseError("kube.%s: argument #%d %q: %v", fn, n, v.String(), err)
		}
		return q
	default:
		L.TypeError(n, lua.LTString)
	}
	return resource.Quantity{}
}

// checkPodTemplate reads argument n as a PodTemplateSpec-shaped table.
func checkPodTemplate(L *lua.LState, n int, fn string) *corev1.PodTemplateSpec {
	t := L.CheckTable(n)
	template := &corev1.PodTemplateSpec{}
	if err := decodeResult(t, template, true); err != nil {
		L.RaiseError("kube.%s: argument #%d is not a pod template: %v", fn, n, err)
	}
	return template
}

// pushGo pushes a typed Go value converted to Lua through its JSON form.
func pushGo(L *lua.LState, v any, fn string) {
	lv, err := goToLua(L, v)
	if err != nil {
		L.RaiseError("kube.%s: %v", fn, err)
	}
	L.Push(lv)
}
