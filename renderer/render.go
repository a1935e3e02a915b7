package renderer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer/interpreter"
	"github.com/gitfleet/gitfleet/renderer/overrides"
	"github.com/gitfleet/gitfleet/scheduler"
)

// Options tune a render.
type Options struct {
	// SourceCommit is the source commit rendered (recorded in provenance); empty when the
	// source is a plain directory.
	SourceCommit string
	// Epoch is the source commit's time. A condition that changes, and a schedule whose
	// result changes, record it; nothing reads a clock.
	Epoch metav1.Time
	// Version is gitfleet's version, recorded in provenance.
	Version string
}

// Result is what a render produces: the tree, and the bindings it holds as values.
type Result struct {
	// Tree is the whole rendered tree (DESIGN §1.2).
	Tree *Tree
	// Bindings are the bindings of the tree, sorted by the key of their template.
	Bindings []RenderedBinding
}

// RenderedBinding is one binding of a render and the template it propagates.
type RenderedBinding struct {
	// Template is the key of the resource template.
	Template ObjectKey
	// Binding is the (Cluster)ResourceBinding, as written to bindings/.
	Binding *v1alpha1.ResourceBinding
}

// Render turns a loaded source tree into the rendered tree: policies matched, templates
// scheduled onto clusters, manifests revised and overridden per cluster, dependencies,
// namespaces and quotas propagated, and everything written deterministically. It is pure:
// the same inputs give a byte-identical tree.
//
// status is the view of the fleet's observed status that placement depends on (nil: no
// status yet). previous is the previous render (nil: the first), whose bindings keep
// dynamic division steady and policy claims sticky. Problems that stop the render (an
// override that does not apply, an interpreter error) are returned as Diagnostics naming
// the file of the object involved.
func Render(src *Source, status *StatusView, previous *Previous, opts Options) (*Result, error) {
	p, err := newRenderPass(src, status, previous, opts)
	if err != nil {
		return nil, err
	}
	for _, tpl := range src.Templates {
		p.propagateTemplate(tpl)
	}
	p.propagateDependencies()
	p.flushManifests()
	p.propagateQuotas()
	p.propagateNamespaces() // last: it creates the namespaces everything above needs
	if len(p.diags) > 0 {
		return nil, p.diags.sorted()
	}
	return p.emit()
}

// renderPass holds the state of one Render call.
type renderPass struct {
	src      *Source
	status   *StatusView
	previous *Previous
	opts     Options
	// rebalances holds, by template, the trigger of the WorkloadRebalancers listing it.
	rebalances map[ObjectKey]metav1.Time

	matcher   *PolicyMatcher
	interp    *interpreter.Interpreter
	snap      *scheduler.Snapshot
	schedOpts scheduler.Options
	policies  overrides.Policies
	clusters  []string // every member cluster, sorted

	templates map[ObjectKey]*unstructured.Unstructured
	bindings  map[ObjectKey]*bindingState
	// manifests holds, per cluster, the rendered objects by their path in the cluster's
	// directory, serialised as soon as they are rendered: a fleet's worth of objects never
	// lives in memory at once, only their bytes, and identical ones share them.
	manifests map[string]map[string]manifest
	emitter   *Emitter
	// jobs are the manifests queued for rendering (see flushManifests).
	jobs []manifestJob

	diags Diagnostics
}

// bindingState is a binding being built, with what manifest rendering needs.
type bindingState struct {
	key       ObjectKey
	template  *unstructured.Unstructured // defaulted, as Karmada's API server would hold it
	binding   *v1alpha1.ResourceBinding
	overrides map[string]bool // override policies applied, for the binding's record
	// kept are the clusters whose previous manifest of the template is kept for a graceful
	// eviction task; its dependencies stay there too.
	kept []string
}

func newRenderPass(src *Source, status *StatusView, previous *Previous, opts Options) (*renderPass, error) {
	if status == nil {
		status = &StatusView{}
	}
	if previous == nil {
		previous = &Previous{}
	}
	matcher, err := NewPolicyMatcher(src)
	if err != nil {
		return nil, err
	}
	interp, err := interpreter.New(src.InterpreterCustomizations)
	if err != nil {
		return nil, err
	}
	p := &renderPass{
		src: src, status: status, previous: previous, opts: opts,
		matcher: matcher, interp: interp,
		rebalances: rebalanceTriggers(src, status),
		policies:   overrides.Policies{Cluster: src.ClusterOverridePolicies, Namespaced: src.OverridePolicies}.Compile(),
		templates:  map[ObjectKey]*unstructured.Unstructured{},
		bindings:   map[ObjectKey]*bindingState{},
		manifests:  map[string]map[string]manifest{},
		emitter:    NewEmitter(),
	}
	clusters := make([]*v1alpha1.Cluster, len(src.Clusters))
	for i, c := range src.Clusters {
		c = c.DeepCopy()
		if observed, ok := status.Clusters[c.Name]; ok {
			c.Status = *observed.DeepCopy()
		}
		c.Spec.Taints = withDecidedTaints(c.Spec.Taints, status.Taints[c.Name])
		clusters[i] = c
		p.clusters = append(p.clusters, c.Name)
		p.manifests[c.Name] = map[string]manifest{}
	}
	slices.Sort(p.clusters)
	// A cluster that has reported no status yet is assumed to serve every API and to have
	// unknown capacity, so a fresh fleet renders before any status exists — gitfleet's one
	// deliberate difference from Karmada, which would place nothing there.
	p.snap = scheduler.NewSnapshotWithOptions(clusters, scheduler.SnapshotOptions{AssumeAPIsWithoutStatus: true})
	fc := src.FleetConfig.Spec
	p.schedOpts = scheduler.Options{
		EnableEmptyWorkloadPropagation: fc.Scheduling.EnableEmptyWorkloadPropagation != nil && *fc.Scheduling.EnableEmptyWorkloadPropagation,
		UnknownCapacityUnlimited:       true,
	}
	if len(status.Nodes) > 0 {
		// Node by node, beside the general estimator (the minimum of both wins).
		p.schedOpts.Estimators = append(p.schedOpts.Estimators, scheduler.NewNodeEstimator(status.Nodes))
	}
	for _, tpl := range src.Templates {
		p.templates[templateKey(tpl)] = tpl
	}
	return p, nil
}

// fail records a problem about an object of the source.
func (p *renderPass) fail(key ObjectKey, format string, args ...any) {
	o, _ := p.src.Origin(key)
	p.diags = append(p.diags, Diagnostic{Path: o.Path, Line: o.Line, Kind: key.Kind, Namespace: key.Namespace, Name: key.Name,
		Message: fmt.Sprintf(format, args...)})
}

// failOverride reports an override that does not apply at the override policy's field,
// naming the template and cluster it failed for.
func (p *renderPass) failOverride(tplKey ObjectKey, cluster string, err error) {
	var pe *overrides.PolicyError
	if !errors.As(err, &pe) {
		p.fail(tplKey, "overriding for cluster %s: %v", cluster, err)
		return
	}
	key := ObjectKey{Group: v1alpha1.PolicyGroupVersion.Group, Kind: pe.Kind, Namespace: pe.Namespace, Name: pe.Name}
	o, _ := p.src.Origin(key)
	d := Diagnostic{Path: o.Path, Line: o.Line, Kind: pe.Kind, Namespace: pe.Namespace, Name: pe.Name, Field: "spec." + pe.Field,
		Message: fmt.Sprintf("spec.%s: %v (overriding %s for cluster %s)", pe.Field, pe.Err, tplKey, cluster)}
	if o.doc != nil {
		if line := lineOfField(o.doc, d.Field); line > 0 {
			d.Line = line
		}
	}
	p.diags = append(p.diags, d)
}

// propagateTemplate matches a template to its policy, schedules it and renders its
// manifests for the target clusters.
func (p *renderPass) propagateTemplate(tpl *unstructured.Unstructured) {
	key := templateKey(tpl)
	prev := p.previous.Bindings[key]
	matched, ok := p.matcher.Match(tpl, claimOf(prev))
	if !ok {
		if prev != nil && !p.matcher.Ignored(tpl) {
			p.keepUnclaimed(key, tpl, prev)
		}
		return
	}
	if missing := p.missingDependentOverrides(matched); missing != "" {
		// Karmada's detector waits ("waiting for dependent overrides") and leaves the binding
		// as it was: so does the render, until the override policy is in the source.
		if prev != nil {
			p.keepPrevious(key, tpl, prev)
		}
		return
	}
	var digest string
	if matched.Spec.ActivationPreference == v1alpha1.LazyActivation {
		digest = templateDigest(tpl)
		if prev != nil && digest == prev.Annotations[TemplateDigestAnnotation] {
			if claim := claimOf(prev); claim != nil && *claim == matched.Ref {
				// Lazy: the policy's changes wait for the template's next change, and the
				// template is as the previous render saw it (semantics §1.1, §11 step 1).
				p.keepPrevious(key, tpl, prev)
				return
			}
		}
	}
	obj := withKubernetesDefaults(tpl)
	b := newBinding(key, obj, matched)
	if digest != "" {
		b.Annotations[TemplateDigestAnnotation] = digest
	}
	gvk := obj.GroupVersionKind()
	if p.interp.HookEnabled(gvk, v1alpha1.InterpreterOperationInterpretReplica) {
		replicas, requirements, err := p.interp.GetReplicas(obj)
		if err != nil {
			p.fail(key, "interpreting replicas: %v", err)
			return
		}
		b.Spec.Replicas, b.Spec.ReplicaRequirements = replicas, requirements
	}
	p.schedule(key, b, prev, false)
	st := &bindingState{key: key, template: obj, binding: b, overrides: map[string]bool{}}
	p.bindings[key] = st
	p.renderManifests(st, b.Spec.Clusters)
	p.keepEvicted(st)
}

// missingDependentOverrides returns the first override policy a propagation policy's
// dependentOverrides names that the source does not have (OverridePolicies of the policy's
// namespace for a PropagationPolicy, ClusterOverridePolicies for a ClusterPropagationPolicy).
func (p *renderPass) missingDependentOverrides(m MatchedPolicy) string {
	for _, name := range m.Spec.DependentOverrides {
		key := ObjectKey{Group: v1alpha1.PolicyGroupVersion.Group, Kind: "OverridePolicy", Namespace: m.Ref.Namespace, Name: name}
		if m.Ref.Cluster {
			key = ObjectKey{Group: v1alpha1.PolicyGroupVersion.Group, Kind: "ClusterOverridePolicy", Name: name}
		}
		if _, ok := p.src.Origin(key); !ok {
			return name
		}
	}
	return ""
}

// keepPrevious carries a previous binding forward and renders its clusters. What holds the
// binding back (lazy activation, a claim that is gone, dependent overrides not yet in the
// source) is Karmada's detector declining to update it; the hub's decisions reach a binding
// without the detector — the taint manager, the descheduler and the WorkloadRebalancer
// controller write it directly, and the scheduler reacts — so they are applied here too, and
// only a decision that changes something (an eviction that takes a target away, a reduction
// that still matches, a rebalance not yet done) has the binding rescheduled. Without one it
// stays exactly as it was.
func (p *renderPass) keepPrevious(key ObjectKey, tpl *unstructured.Unstructured, prev *v1alpha1.ResourceBinding) {
	b := prev.DeepCopy()
	delete(b.Annotations, OverridePoliciesAnnotation)
	b.Spec.RequiredBy = nil
	p.schedule(key, b, prev, true)
	st := &bindingState{key: key, template: withKubernetesDefaults(tpl), binding: b, overrides: map[string]bool{}}
	p.bindings[key] = st
	p.renderManifests(st, b.Spec.Clusters)
	p.keepEvicted(st)
}

// keepUnclaimed carries a binding forward when its policy is gone or no longer selects the
// template: Karmada removes only the claim, and the binding and the member objects stay
// where they are (semantics §1.1.3 item 5). Deleting the template is what removes them.
func (p *renderPass) keepUnclaimed(key ObjectKey, tpl *unstructured.Unstructured, prev *v1alpha1.ResourceBinding) {
	prev = prev.DeepCopy()
	for _, a := range []string{v1alpha1.PropagationPolicyNamespaceAnnotation, v1alpha1.PropagationPolicyNameAnnotation,
		v1alpha1.ClusterPropagationPolicyAnnotation} {
		delete(prev.Annotations, a)
	}
	p.keepPrevious(key, tpl, prev)
}

// schedule places the binding: it starts from the previous render's clusters with the
// hub's decisions applied (see applyDecisions); a binding whose placement, replicas and
// targets have not changed since then keeps its clusters (Karmada reschedules only on its
// triggers); otherwise the scheduler decides.
//
// held says the binding is carried forward as it was (keepPrevious): only a decision that
// changed its clusters or asks for a rescheduling gets it scheduled.
//
// status.lastScheduledTime records a schedule that changed the clusters (or the first, or a
// fresh rescheduling that was asked for): the source commit's time, or the time of the
// latest decision applied when that is later — a render caused by a decision has the same
// source commit as the one before, and a rebalance must be seen as done, or the next render
// would reschedule again. It never goes back.
func (p *renderPass) schedule(key ObjectKey, b *v1alpha1.ResourceBinding, prev *v1alpha1.ResourceBinding, held bool) {
	var applied *v1alpha1.Placement
	if prev != nil {
		b.Spec.Clusters = slices.Clone(prev.Spec.Clusters)
		b.Status = *prev.Status.DeepCopy()
		if raw := prev.Annotations[v1alpha1.PolicyPlacementAnnotation]; raw != "" {
			applied = &v1alpha1.Placement{}
			if err := json.Unmarshal([]byte(raw), applied); err != nil {
				applied = nil // unreadable: reschedule, as if there was none
			}
		}
	}
	before := slices.Clone(b.Spec.Clusters)
	decidedAt := applyDecisions(b, p.decisionsFor(key))
	if b.Spec.SchedulerName != "" && b.Spec.SchedulerName != DefaultSchedulerName {
		return // another scheduler's binding: Karmada's default scheduler leaves it alone
	}
	fresh := scheduler.RescheduleRequired(b.Spec.RescheduleTriggeredAt, b.Status.LastScheduledTime)
	if held && !fresh && equality.Semantic.DeepEqual(before, b.Spec.Clusters) {
		return
	}
	sb := scheduler.Binding{Spec: &b.Spec, Status: &b.Status}
	if prev != nil && !p.targetLeftFleet(b.Spec.Clusters) && !scheduler.NeedsSchedule(p.snap, sb, applied) {
		if raw := prev.Annotations[v1alpha1.PolicyPlacementAnnotation]; raw != "" {
			metav1.SetMetaDataAnnotation(&b.ObjectMeta, v1alpha1.PolicyPlacementAnnotation, raw)
		}
		return
	}
	res := scheduler.Schedule(p.snap, sb, p.schedOpts)
	changed := !equality.Semantic.DeepEqual(res.Clusters, before)
	b.Spec.Clusters = res.Clusters
	b.Status.SchedulerObservedAffinityName = res.ObservedAffinityName
	if changed || b.Status.LastScheduledTime == nil || (fresh && res.Err == nil) {
		t := laterTime(p.opts.Epoch, decidedAt)
		if last := b.Status.LastScheduledTime; last != nil {
			t = laterTime(t, *last)
		}
		if !t.IsZero() {
			b.Status.LastScheduledTime = &t
		}
	}
	cond := res.Condition
	cond.LastTransitionTime = p.opts.Epoch
	setCondition(&b.Status.Conditions, cond)
	// Karmada records the placement it scheduled with after a success or a FitError.
	var fit *scheduler.FitError
	if res.Err == nil || errors.As(res.Err, &fit) {
		if raw, err := json.Marshal(b.Spec.Placement); err == nil {
			metav1.SetMetaDataAnnotation(&b.ObjectMeta, v1alpha1.PolicyPlacementAnnotation, string(raw))
		}
	}
}

// DefaultSchedulerName is the scheduler gitfleet schedules for (Karmada's
// --scheduler-name default).
const DefaultSchedulerName = "default-scheduler"

// targetLeftFleet reports whether a target cluster is no longer in the fleet. Karmada
// reschedules when a target cluster is being deleted (§2.1 trigger 5); in Git a cluster
// leaves by its file being removed, so its absence is the trigger, and its replicas are
// placed anew (§2.4.3).
func (p *renderPass) targetLeftFleet(targets []v1alpha1.TargetCluster) bool {
	for _, t := range targets {
		if _, ok := p.snap.Get(t.Name); !ok {
			return true
		}
	}
	return false
}

// dispatchingSuspended reports whether a binding's suspension stops applying to a cluster.
func dispatchingSuspended(s *v1alpha1.BindingSuspension, cluster string) bool {
	if s == nil {
		return false
	}
	if s.Dispatching != nil && *s.Dispatching {
		return true
	}
	return s.DispatchingOnClusters != nil && slices.Contains(s.DispatchingOnClusters.ClusterNames, cluster)
}

// keepDispatched keeps a template's manifest in a cluster as the previous render had it, or
// leaves it out if there was none: Karmada still updates the Work of a cluster whose
// dispatching is suspended but applies nothing, so the member keeps what it was last given
// (semantics §11 step 5). The directory is what the syncer applies, so holding its bytes
// is what suspends. A graceful eviction holds the old copy the same way (keepEvicted).
func (p *renderPass) keepDispatched(key ObjectKey, cluster string) {
	path := ManifestPath(key.Group, key.Kind, key.Namespace, key.Name)
	data, ok := p.previous.manifest(cluster, path)
	if !ok {
		return
	}
	var meta metav1.PartialObjectMetadata
	if err := yaml.Unmarshal(data, &meta); err != nil {
		p.fail(key, "reading the previous manifest of cluster %s, kept as it was: %v", cluster, err)
		return
	}
	p.manifests[cluster][path] = manifest{
		apiVersion: meta.APIVersion, kind: meta.Kind, namespace: meta.Namespace, name: meta.Name, data: data,
		digest: sha256.Sum256(data),
	}
}

// TemplateDigestAnnotation records, on the binding of a template whose policy activates
// lazily, a digest of the template it was built from: a later render keeps the binding
// until the template differs from it.
const TemplateDigestAnnotation = "gitfleet.io/template-digest"

// templateDigest is a digest of a template's content, status aside.
func templateDigest(tpl *unstructured.Unstructured) string {
	obj := maps.Clone(tpl.Object)
	delete(obj, "status")
	raw, _ := json.Marshal(obj) // a decoded template always encodes; map keys come sorted
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// setAnnotation sets one annotation of an unstructured object.
func setAnnotation(obj *unstructured.Unstructured, key, value string) {
	a := obj.GetAnnotations()
	if a == nil {
		a = map[string]string{}
	}
	a[key] = value
	obj.SetAnnotations(a)
}

// newBinding builds the binding of a template from its policy, as Karmada's detector does
// (semantics §11 step 3).
func newBinding(key ObjectKey, obj *unstructured.Unstructured, matched MatchedPolicy) *v1alpha1.ResourceBinding {
	spec := matched.Spec
	b := &v1alpha1.ResourceBinding{}
	b.APIVersion = v1alpha1.WorkGroupVersion.String()
	b.Kind = "ResourceBinding"
	b.Namespace = key.Namespace
	if key.Namespace == "" {
		b.Kind = "ClusterResourceBinding"
	}
	b.Name = BindingName(key.Kind, key.Name)
	idLabel := v1alpha1.ResourceBindingPermanentIDLabel
	if key.Namespace == "" {
		idLabel = v1alpha1.ClusterResourceBindingPermanentIDLabel
	}
	b.Labels = map[string]string{idLabel: v1alpha1.DerivePermanentID(b.Kind, b.Namespace, b.Name)}
	if matched.Ref.Cluster {
		b.Annotations = map[string]string{v1alpha1.ClusterPropagationPolicyAnnotation: matched.Ref.Name}
	} else {
		b.Annotations = map[string]string{
			v1alpha1.PropagationPolicyNamespaceAnnotation: matched.Ref.Namespace,
			v1alpha1.PropagationPolicyNameAnnotation:      matched.Ref.Name,
		}
	}
	b.Spec = v1alpha1.ResourceBindingSpec{
		Resource: v1alpha1.ObjectReference{
			APIVersion: obj.GetAPIVersion(), Kind: obj.GetKind(),
			Namespace: obj.GetNamespace(), Name: obj.GetName(), UID: obj.GetUID(),
		},
		PropagateDeps:               spec.PropagateDeps || spec.Association,
		Placement:                   spec.Placement.DeepCopy(),
		SchedulerName:               spec.SchedulerName,
		Failover:                    spec.Failover.DeepCopy(),
		ConflictResolution:          conflictResolution(obj, spec.ConflictResolution),
		PreserveResourcesOnDeletion: spec.PreserveResourcesOnDeletion,
	}
	if spec.Suspension != nil {
		b.Spec.Suspension = &v1alpha1.BindingSuspension{Suspension: *spec.Suspension.DeepCopy()}
	}
	return b
}

// BindingName is Karmada's binding name for a template: lower(<name>-<kind>), with ':' in
// the name replaced by '.' (semantics §1.4).
func BindingName(kind, name string) string {
	return strings.ToLower(strings.ReplaceAll(name, ":", ".") + "-" + kind)
}

// conflictResolution is the policy's setting unless the template's
// work.karmada.io/conflict-resolution annotation says overwrite or abort (semantics §1.1.2).
func conflictResolution(obj *unstructured.Unstructured, fromPolicy v1alpha1.ConflictResolution) v1alpha1.ConflictResolution {
	switch obj.GetAnnotations()[v1alpha1.ResourceConflictResolutionAnnotation] {
	case "overwrite":
		return v1alpha1.ConflictOverwrite
	case "abort":
		return v1alpha1.ConflictAbort
	}
	return fromPolicy
}

// claimOf reads the policy claim recorded on a previous binding.
func claimOf(prev *v1alpha1.ResourceBinding) *PolicyRef {
	if prev == nil {
		return nil
	}
	a := prev.Annotations
	if name := a[v1alpha1.ClusterPropagationPolicyAnnotation]; name != "" {
		return &PolicyRef{Cluster: true, Name: name}
	}
	if name := a[v1alpha1.PropagationPolicyNameAnnotation]; name != "" {
		return &PolicyRef{Namespace: a[v1alpha1.PropagationPolicyNamespaceAnnotation], Name: name}
	}
	return nil
}

// setCondition sets a condition, keeping its LastTransitionTime when the status did not
// change (so an unchanged render is byte-identical).
func setCondition(conditions *[]metav1.Condition, c metav1.Condition) {
	for i := range *conditions {
		old := &(*conditions)[i]
		if old.Type != c.Type {
			continue
		}
		if old.Status == c.Status && !old.LastTransitionTime.IsZero() {
			c.LastTransitionTime = old.LastTransitionTime
		}
		*old = c
		return
	}
	*conditions = append(*conditions, c)
}

// withDecidedTaints adds the taints the hub decided for a cluster to its own (from the
// source); a taint the cluster already has with the same key and effect wins.
func withDecidedTaints(own, decided []corev1.Taint) []corev1.Taint {
	out := own
	for _, t := range decided {
		if !slices.ContainsFunc(out, func(o corev1.Taint) bool { return o.Key == t.Key && o.Effect == t.Effect }) {
			out = append(slices.Clip(out), t)
		}
	}
	return out
}
