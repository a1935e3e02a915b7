package renderer

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	sigsjson "sigs.k8s.io/json"
	kyamlopenapi "sigs.k8s.io/kustomize/kyaml/openapi"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/api/v1alpha1/validation"
	"github.com/gitfleet/gitfleet/renderer/interpreter"
)

// kindSpec says how one gitfleet or Karmada kind is read: its scope and how an object of
// it is decoded, defaulted, validated and added to the model.
type kindSpec struct {
	namespaced bool
	load       func(l *loader, e entry, raw []byte)
}

// alone adapts a validation function that needs nothing but the object.
func alone[P any](validate func(P) field.ErrorList) func(P, *v1alpha1.FleetConfig) field.ErrorList {
	return func(p P, _ *v1alpha1.FleetConfig) field.ErrorList { return validate(p) }
}

// validateInterpreterCustomization validates a ResourceInterpreterCustomization and, as
// Karmada's webhook does, compiles its Lua scripts.
func validateInterpreterCustomization(r *v1alpha1.ResourceInterpreterCustomization, _ *v1alpha1.FleetConfig) field.ErrorList {
	return append(validation.ValidateResourceInterpreterCustomization(r), interpreter.ValidateScripts(r)...)
}

// validateClusterTaintPolicy validates a ClusterTaintPolicy under the fleet's switches:
// NoExecute taints are allowed only when the FleetConfig opts in.
func validateClusterTaintPolicy(p *v1alpha1.ClusterTaintPolicy, fc *v1alpha1.FleetConfig) field.ErrorList {
	allow := fc != nil && fc.Spec.Failover.AllowNoExecuteTaintPolicy != nil && *fc.Spec.Failover.AllowNoExecuteTaintPolicy
	return validation.ValidateClusterTaintPolicyWithOptions(p, validation.ClusterTaintPolicyOptions{AllowNoExecute: allow})
}

// typedKind builds the kindSpec of a typed kind from its defaulting, validation and the
// list of the model it belongs to.
func typedKind[T any, P interface {
	*T
	metav1.Object
}](flags kindFlags, setDefaults func(P, LoadOptions), validate func(P, *v1alpha1.FleetConfig) field.ErrorList, add func(*Source, P)) kindSpec {
	return kindSpec{namespaced: flags&namespaced != 0, load: func(l *loader, e entry, raw []byte) {
		obj := P(new(T))
		if !l.decodeStrict(e, raw, obj) {
			return
		}
		check := func() {
			for _, fe := range validate(obj, l.src.FleetConfig) {
				l.fieldError(e, fe.Field, fe.Error())
			}
		}
		if flags&validateAsWritten != 0 {
			check()
		}
		if setDefaults != nil {
			setDefaults(obj, l.opts)
		}
		if flags&validateAsWritten == 0 {
			check()
		}
		add(l.src, obj)
	}}
}

// kindFlags describe a kind's scope and how it is checked.
type kindFlags int

const (
	clusterScoped kindFlags = 0
	// namespaced kinds live in a namespace ("default" when the object names none).
	namespaced kindFlags = 1 << iota
	// validateAsWritten validates before defaulting, for kinds whose defaulting moves or
	// reorders fields (Cluster: zone → zones, sorted resource models), so errors name the
	// fields where the author wrote them. Other kinds are validated after defaulting, as
	// Karmada's validating webhooks see them.
	validateAsWritten
)

// karmadaGroups are the API groups whose kinds gitfleet reads itself instead of treating
// them as resource templates.
var karmadaGroups = map[string]bool{
	v1alpha1.ClusterGroupVersion.Group:    true,
	v1alpha1.PolicyGroupVersion.Group:     true,
	v1alpha1.WorkGroupVersion.Group:       true,
	v1alpha1.ConfigGroupVersion.Group:     true,
	v1alpha1.NetworkingGroupVersion.Group: true,
	v1alpha1.AppsGroupVersion.Group:       true,
	v1alpha1.GitfleetGroupVersion.Group:   true,
}

// kinds lists every kind LoadSource reads into the typed model.
var kinds = map[schema.GroupVersionKind]kindSpec{
	v1alpha1.GitfleetGroupVersion.WithKind("FleetConfig"): typedKind(clusterScoped,
		func(o *v1alpha1.FleetConfig, _ LoadOptions) { v1alpha1.SetDefaultsFleetConfig(o) },
		alone(validation.ValidateFleetConfig),
		func(s *Source, o *v1alpha1.FleetConfig) { s.FleetConfig = o }),
	v1alpha1.ClusterGroupVersion.WithKind("Cluster"): typedKind(clusterScoped|validateAsWritten,
		func(o *v1alpha1.Cluster, opts LoadOptions) { v1alpha1.SetDefaultsCluster(o, opts.Epoch) },
		alone(validation.ValidateCluster),
		func(s *Source, o *v1alpha1.Cluster) { s.Clusters = append(s.Clusters, o) }),
	v1alpha1.PolicyGroupVersion.WithKind("PropagationPolicy"): typedKind(namespaced,
		func(o *v1alpha1.PropagationPolicy, _ LoadOptions) { v1alpha1.SetDefaultsPropagationPolicy(o) },
		alone(validation.ValidatePropagationPolicy),
		func(s *Source, o *v1alpha1.PropagationPolicy) {
			s.PropagationPolicies = append(s.PropagationPolicies, o)
		}),
	v1alpha1.PolicyGroupVersion.WithKind("ClusterPropagationPolicy"): typedKind(clusterScoped,
		func(o *v1alpha1.ClusterPropagationPolicy, _ LoadOptions) {
			v1alpha1.SetDefaultsClusterPropagationPolicy(o)
		},
		alone(validation.ValidateClusterPropagationPolicy),
		func(s *Source, o *v1alpha1.ClusterPropagationPolicy) {
			s.ClusterPropagationPolicies = append(s.ClusterPropagationPolicies, o)
		}),
	v1alpha1.PolicyGroupVersion.WithKind("OverridePolicy"): typedKind(namespaced,
		func(o *v1alpha1.OverridePolicy, _ LoadOptions) { v1alpha1.SetDefaultsOverridePolicy(o) },
		alone(validation.ValidateOverridePolicy),
		func(s *Source, o *v1alpha1.OverridePolicy) { s.OverridePolicies = append(s.OverridePolicies, o) }),
	v1alpha1.PolicyGroupVersion.WithKind("ClusterOverridePolicy"): typedKind(clusterScoped,
		func(o *v1alpha1.ClusterOverridePolicy, _ LoadOptions) { v1alpha1.SetDefaultsClusterOverridePolicy(o) },
		alone(validation.ValidateClusterOverridePolicy),
		func(s *Source, o *v1alpha1.ClusterOverridePolicy) {
			s.ClusterOverridePolicies = append(s.ClusterOverridePolicies, o)
		}),
	v1alpha1.PolicyGroupVersion.WithKind("FederatedResourceQuota"): typedKind(namespaced,
		func(o *v1alpha1.FederatedResourceQuota, _ LoadOptions) { v1alpha1.SetDefaultsFederatedResourceQuota(o) },
		alone(validation.ValidateFederatedResourceQuota),
		func(s *Source, o *v1alpha1.FederatedResourceQuota) {
			s.FederatedResourceQuotas = append(s.FederatedResourceQuotas, o)
		}),
	v1alpha1.PolicyGroupVersion.WithKind("ClusterTaintPolicy"): typedKind(clusterScoped,
		func(o *v1alpha1.ClusterTaintPolicy, _ LoadOptions) { v1alpha1.SetDefaultsClusterTaintPolicy(o) },
		validateClusterTaintPolicy,
		func(s *Source, o *v1alpha1.ClusterTaintPolicy) {
			s.ClusterTaintPolicies = append(s.ClusterTaintPolicies, o)
		}),
	v1alpha1.ConfigGroupVersion.WithKind("ResourceInterpreterCustomization"): typedKind(clusterScoped,
		func(o *v1alpha1.ResourceInterpreterCustomization, _ LoadOptions) {
			v1alpha1.SetDefaultsResourceInterpreterCustomization(o)
		},
		validateInterpreterCustomization,
		func(s *Source, o *v1alpha1.ResourceInterpreterCustomization) {
			s.InterpreterCustomizations = append(s.InterpreterCustomizations, o)
		}),
	v1alpha1.NetworkingGroupVersion.WithKind("MultiClusterService"): typedKind(namespaced,
		func(o *v1alpha1.MultiClusterService, _ LoadOptions) { v1alpha1.SetDefaultsMultiClusterService(o) },
		alone(validation.ValidateMultiClusterService),
		func(s *Source, o *v1alpha1.MultiClusterService) {
			s.MultiClusterServices = append(s.MultiClusterServices, o)
		}),
	v1alpha1.AppsGroupVersion.WithKind("WorkloadRebalancer"): typedKind(clusterScoped,
		func(o *v1alpha1.WorkloadRebalancer, _ LoadOptions) { v1alpha1.SetDefaultsWorkloadRebalancer(o) },
		alone(validation.ValidateWorkloadRebalancer),
		func(s *Source, o *v1alpha1.WorkloadRebalancer) {
			s.WorkloadRebalancers = append(s.WorkloadRebalancers, o)
		}),
}

// pendingLoad is a typed object whose identity has been checked, waiting to be decoded.
type pendingLoad struct {
	spec kindSpec
	e    entry
	raw  []byte
}

// classify turns entries into the typed model, reporting every problem it meets. The
// FleetConfig is loaded first, because its switches govern how other kinds validate.
func (l *loader) classify(entries []entry) {
	scopes := crdScopes(entries)
	seen := map[ObjectKey]Origin{}
	var fleetConfigs []Origin
	var pending []pendingLoad
	for _, e := range entries {
		apiVersion, kind, name, ok := l.identity(e)
		if !ok {
			continue
		}
		gv, err := schema.ParseGroupVersion(apiVersion)
		if err != nil {
			l.fieldError(e, "apiVersion", fmt.Sprintf("apiVersion: invalid value %q: %v", apiVersion, err))
			continue
		}
		gvk := gv.WithKind(kind)
		spec, typed := kinds[gvk]
		if !typed && karmadaGroups[gv.Group] {
			if version, known := readVersion(gvk.GroupKind()); known {
				l.fieldError(e, "apiVersion", fmt.Sprintf("apiVersion: unsupported version %q of %s (gitfleet reads %s from %s/%s)",
					apiVersion, kind, kind, gv.Group, version))
				continue
			}
			l.fieldError(e, "kind", unsupportedKindMessage(gvk))
			continue
		}
		namespaced := spec.namespaced
		if !typed {
			namespaced = templateNamespaced(gvk, scopes, e.object)
		}
		key := ObjectKey{Group: gv.Group, Kind: kind, Name: name}
		if namespaced {
			key.Namespace, _ = nestedString(e.object, "metadata", "namespace")
			if key.Namespace == "" {
				key.Namespace = metav1.NamespaceDefault
			}
		}
		setNamespace(e.object, key.Namespace)
		if first, dup := seen[key]; dup {
			l.add(e, fmt.Sprintf("duplicate object: %s is already defined at %s", key, first))
			continue
		}
		seen[key] = e.origin
		l.src.origins[key] = e.origin
		if gvk.Kind == "FleetConfig" {
			fleetConfigs = append(fleetConfigs, e.origin)
			if len(fleetConfigs) > 1 {
				l.add(e, fmt.Sprintf("only one FleetConfig is allowed per repository; another is defined at %s", fleetConfigs[0]))
				continue
			}
		}
		if !typed {
			l.src.Templates = append(l.src.Templates, &unstructured.Unstructured{Object: e.object})
			continue
		}
		raw, err := json.Marshal(e.object)
		if err != nil {
			l.add(e, fmt.Sprintf("cannot encode object: %v", err))
			continue
		}
		if gvk.Kind == "FleetConfig" {
			spec.load(l, e, raw)
			continue
		}
		pending = append(pending, pendingLoad{spec: spec, e: e, raw: raw})
	}
	if l.src.FleetConfig == nil {
		l.src.FleetConfig = v1alpha1.DefaultFleetConfig()
	}
	for _, p := range pending {
		p.spec.load(l, p.e, p.raw)
	}
	l.checkInterpreterConflicts()
}

// checkInterpreterConflicts reports customizations of one kind that script the same
// operation: Karmada would reject the second one admitted; in Git both exist at once.
func (l *loader) checkInterpreterConflicts() {
	rics := l.src.InterpreterCustomizations
	if len(rics) < 2 {
		return
	}
	all := make([]v1alpha1.ResourceInterpreterCustomization, len(rics))
	for i, r := range rics {
		all[i] = *r
	}
	for _, r := range rics {
		key := ObjectKey{Group: v1alpha1.ConfigGroupVersion.Group, Kind: "ResourceInterpreterCustomization", Name: r.Name}
		o := l.src.origins[key]
		e := entry{origin: o, object: map[string]any{"kind": key.Kind, "metadata": map[string]any{"name": r.Name}}}
		for _, fe := range validation.ValidateResourceInterpreterCustomizationConflicts(r, all) {
			l.fieldError(e, fe.Field, fe.Error())
		}
	}
}

// identity checks and returns the apiVersion, kind and name every object must have.
func (l *loader) identity(e entry) (apiVersion, kind, name string, ok bool) {
	ok = true
	for _, f := range []struct {
		path []string
		into *string
	}{{[]string{"apiVersion"}, &apiVersion}, {[]string{"kind"}, &kind}, {[]string{"metadata", "name"}, &name}} {
		v, found := e.object[f.path[0]]
		if len(f.path) == 2 {
			meta, isMap := v.(map[string]any)
			v, found = meta[f.path[1]], isMap && meta[f.path[1]] != nil
		}
		s, isString := v.(string)
		p := strings.Join(f.path, ".")
		switch {
		case !found || v == nil || (isString && s == ""):
			l.fieldError(e, p, fmt.Sprintf("%s: Required value: every object needs %s", p, p))
			ok = false
		case !isString:
			l.fieldError(e, p, fmt.Sprintf("%s: Invalid value: must be a string", p))
			ok = false
		default:
			*f.into = s
		}
	}
	return apiVersion, kind, name, ok
}

func unsupportedKindMessage(gvk schema.GroupVersionKind) string {
	if gvk.Group == v1alpha1.WorkGroupVersion.Group {
		return fmt.Sprintf("kind: %s %s is written by gitfleet's renderer, not read from the source tree", gvk.GroupVersion(), gvk.Kind)
	}
	var known []string
	for k := range kinds {
		if k.Group == gvk.Group {
			known = append(known, k.Kind)
		}
	}
	sort.Strings(known)
	return fmt.Sprintf("kind: unsupported kind %q in apiVersion %q (gitfleet reads %s from %s/%s)",
		gvk.Kind, gvk.GroupVersion().String(), strings.Join(known, ", "), gvk.Group, versionOf(gvk.Group))
}

// readVersion returns the version gitfleet reads a Karmada or gitfleet kind in.
func readVersion(gk schema.GroupKind) (string, bool) {
	for k := range kinds {
		if k.GroupKind() == gk {
			return k.Version, true
		}
	}
	return "", false
}

func versionOf(group string) string {
	for k := range kinds {
		if k.Group == group {
			return k.Version
		}
	}
	return "v1alpha1"
}

// decodeStrict decodes raw into obj, rejecting unknown and duplicate fields as Karmada's
// API server would. It reports every problem and says whether obj could be decoded (an
// object with unknown fields is still validated, so every problem is reported at once).
func (l *loader) decodeStrict(e entry, raw []byte, obj any) bool {
	strictErrs, err := sigsjson.UnmarshalStrict(raw, obj)
	for _, se := range strictErrs {
		p := ""
		if fe, ok := se.(sigsjson.FieldError); ok {
			p = fe.FieldPath()
		}
		l.fieldError(e, p, se.Error())
	}
	if err != nil {
		p, msg := describeDecodeError(err)
		l.fieldError(e, p, msg)
		return false
	}
	return true
}

// typeErrorPattern matches encoding/json's type errors, whose field path is only in the text:
// "json: cannot unmarshal string into Go struct field PropagationSpec.spec.priority of type int32".
var typeErrorPattern = regexp.MustCompile(`^json: cannot unmarshal (\S+) into Go struct field [^.\s]+\.(\S+) of type (\S+)$`)

// describeDecodeError turns a decoding error into a field path and a message in the format
// of validation errors, naming the field and the expected type instead of Go internals.
func describeDecodeError(err error) (fieldPath, msg string) {
	if m := typeErrorPattern.FindStringSubmatch(err.Error()); m != nil {
		return m[2], fmt.Sprintf("%s: Invalid value: expected %s, found %s %s", m[2], jsonTypeName(m[3]), article(m[1]), m[1])
	}
	if fe, ok := err.(sigsjson.FieldError); ok {
		return fe.FieldPath(), fe.FieldPath() + ": " + strings.TrimPrefix(err.Error(), "json: ")
	}
	return "", strings.TrimPrefix(err.Error(), "json: ")
}

// jsonTypeName names a Go type the way a YAML author thinks of it.
func jsonTypeName(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["), strings.Contains(goType, "."):
		return "an object"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"):
		return "an integer (" + goType + ")"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "a boolean"
	}
	return "a " + goType
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// add reports a problem about the whole object of e.
func (l *loader) add(e entry, msg string) { l.fieldError(e, "", msg) }

// fieldError reports a problem about one field of the object of e, at the field's line.
func (l *loader) fieldError(e entry, fieldPath, msg string) {
	d := Diagnostic{Path: e.origin.Path, Line: e.origin.Line, Field: fieldPath, Message: msg}
	d.Kind, _ = e.object["kind"].(string)
	d.Namespace, _ = nestedString(e.object, "metadata", "namespace")
	d.Name, _ = nestedString(e.object, "metadata", "name")
	if e.origin.doc != nil && fieldPath != "" {
		if line := lineOfField(e.origin.doc, fieldPath); line > 0 {
			d.Line = line
		}
	}
	l.addf(d)
}

// crdScopes records the scope of every kind a CustomResourceDefinition in the tree defines.
func crdScopes(entries []entry) map[schema.GroupKind]bool {
	scopes := map[schema.GroupKind]bool{}
	for _, e := range entries {
		if e.object["kind"] != "CustomResourceDefinition" {
			continue
		}
		group, _ := nestedString(e.object, "spec", "group")
		kind, _ := nestedString(e.object, "spec", "names", "kind")
		scope, _ := nestedString(e.object, "spec", "scope")
		if kind != "" {
			scopes[schema.GroupKind{Group: group, Kind: kind}] = scope != "Cluster"
		}
	}
	return scopes
}

// templateNamespaced decides whether a resource template is namespaced: by a CRD in the
// tree, else by the built-in Kubernetes schema, else (an unknown kind) by whether the
// author gave it a namespace.
func templateNamespaced(gvk schema.GroupVersionKind, crds map[schema.GroupKind]bool, obj map[string]any) bool {
	if namespaced, ok := crds[gvk.GroupKind()]; ok {
		return namespaced
	}
	if namespaced, found := kyamlopenapi.IsNamespaceScoped(kyaml.TypeMeta{APIVersion: gvk.GroupVersion().String(), Kind: gvk.Kind}); found {
		return namespaced
	}
	ns, _ := nestedString(obj, "metadata", "namespace")
	return ns != ""
}

// templateKey returns the identity of a resource template.
func templateKey(u *unstructured.Unstructured) ObjectKey {
	gv, _ := schema.ParseGroupVersion(u.GetAPIVersion())
	return ObjectKey{Group: gv.Group, Kind: u.GetKind(), Namespace: u.GetNamespace(), Name: u.GetName()}
}

// setNamespace makes metadata.namespace ns (removing it when ns is empty).
func setNamespace(obj map[string]any, ns string) {
	meta, _ := obj["metadata"].(map[string]any)
	if meta == nil {
		return
	}
	if ns == "" {
		delete(meta, "namespace")
		return
	}
	meta["namespace"] = ns
}

// nestedString reads a string at a path of nested maps.
func nestedString(obj map[string]any, fields ...string) (string, bool) {
	var cur any = obj
	for _, f := range fields {
		m, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		cur = m[f]
	}
	s, ok := cur.(string)
	return s, ok
}

// normalizeJSON converts decoded YAML values (as kustomize returns them) into the
// JSON-compatible values unstructured objects require.
func normalizeJSON(v any) (map[string]any, error) {
	out, err := normalizeValue(v)
	if err != nil {
		return nil, err
	}
	m, ok := out.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("object is not a mapping")
	}
	return m, nil
}

func normalizeValue(v any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			n, err := normalizeValue(val)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			n, err := normalizeValue(val)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprint(k)] = n
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			n, err := normalizeValue(val)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case int:
		return int64(t), nil
	case int32:
		return int64(t), nil
	case uint64:
		return float64(t), nil
	case float32:
		return float64(t), nil
	case nil, string, bool, int64, float64:
		return t, nil
	default:
		return fmt.Sprint(t), nil
	}
}
