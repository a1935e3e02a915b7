package syncer

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/fluxcd/pkg/ssa"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// syncRun is the state of one sync: the verified tree, the inventory gitfleet recorded
// last time, and what happened to each object so far.
type syncRun struct {
	s       *Syncer
	tree    *clusterTree
	prev    *appliedInventory
	changed map[string]bool
	// outcomes is aligned with tree.objects.
	outcomes []outcome
	// pruned holds the results of prune candidates; kept the candidates whose deletion
	// failed, which stay in the inventory.
	pruned []ObjectResult
	kept   map[objectKey]appliedObject
}

// outcome is an object's result plus what the next inventory records about it.
type outcome struct {
	ObjectResult
	// owned: the object is gitfleet's after this sync and belongs in the inventory.
	owned bool
	// current: the object matches this manifest, so the inventory records its digest.
	current bool
}

// plan is how an object that needs a request gets it.
type plan int

const (
	// planNone: nothing to send; the outcome is decided.
	planNone plan = iota
	// planCreate: the LIST showed the object absent; one apply request creates it.
	planCreate
	// planApply: the object exists and may differ; ssa compares and applies it.
	planApply
)

func newSyncRun(s *Syncer, tree *clusterTree, prev *appliedInventory, changed map[string]bool) *syncRun {
	r := &syncRun{s: s, tree: tree, prev: prev, changed: changed, kept: map[objectKey]appliedObject{}}
	r.outcomes = make([]outcome, len(tree.objects))
	for i, d := range tree.objects {
		r.outcomes[i].ObjectResult = resultFor(d.path, d.obj.GetAPIVersion(), d.key)
	}
	return r
}

// resultFor starts the result of one object.
func resultFor(path, apiVersion string, key objectKey) ObjectResult {
	return ObjectResult{Path: path, APIVersion: apiVersion, Kind: key.Kind, Namespace: key.Namespace, Name: key.Name}
}

// apply applies the tree in two stages: CRDs and Namespaces, then — once the CRDs are
// Established — everything else, which may be instances of those CRDs or live in those
// namespaces.
func (r *syncRun) apply(ctx context.Context) {
	var defs, rest []int
	for i, d := range r.tree.objects {
		if isDefinition(d.key) {
			defs = append(defs, i)
		} else {
			rest = append(rest, i)
		}
	}
	pending := r.applyStage(ctx, defs)
	r.waitForCRDs(ctx, pending)
	r.waitForServedKinds(ctx, pending)
	r.applyStage(ctx, rest)
}

// isDefinition reports whether objects of other kinds may need key to exist first.
func isDefinition(key objectKey) bool {
	return (key.Group == "" && key.Kind == "Namespace") ||
		(key.Group == "apiextensions.k8s.io" && key.Kind == "CustomResourceDefinition")
}

// applyStage decides, from one LIST per type (and namespace, for objects new to the
// cluster), which objects need a request, and sends those in parallel. It returns the
// CRDs that are not known to be Established.
func (r *syncRun) applyStage(ctx context.Context, idx []int) (unestablished []int) {
	live, listErrs := r.listLive(ctx, idx)
	type job struct {
		i      int
		plan   plan
		reason string
	}
	var jobs []job
	for _, i := range idx {
		d := r.tree.objects[i]
		if err := listErrs[i]; err != nil {
			r.fail(i, ReasonApplyFailed, err)
			continue
		}
		obj := live[d.key]
		p, reason := r.decide(i, obj)
		if p != planNone {
			jobs = append(jobs, job{i, p, reason})
		}
		if isCRD(d.key) && (p != planNone || !crdEstablished(obj)) {
			unestablished = append(unestablished, i)
		}
	}
	forEach(len(jobs), r.s.opts.Workers, func(j int) {
		r.execute(ctx, jobs[j].i, jobs[j].plan, jobs[j].reason)
	})
	return unestablished
}

// decide chooses what object i needs, given its live state (nil when absent). Decisions
// that need no request are recorded at once.
func (r *syncRun) decide(i int, live *unstructured.Unstructured) (plan, string) {
	d := r.tree.objects[i]
	prev, known := r.prev.objects[d.key]
	o := &r.outcomes[i]
	switch {
	case live == nil && known:
		return planCreate, ReasonDriftCorrected
	case live == nil:
		return planCreate, ReasonCreated
	case !known && !isManaged(live) && d.overwrite:
		return planApply, ReasonOverwritten
	case !known && !isManaged(live):
		o.Action, o.Reason, o.Message = ActionConflict, ReasonNotManaged, conflictMessage(live)
		return planNone, ""
	case !known:
		return planApply, ReasonAdopted
	case r.changed[d.path] || prev.digest != shortDigest(d.digest):
		return planApply, ReasonManifestChanged
	case !inSync(d.obj, live, r.s.opts.FieldManager):
		return planApply, ReasonDriftCorrected
	}
	o.Action, o.Reason, o.owned, o.current = ActionUnchanged, ReasonInSync, true, true
	return planNone, ""
}

// isManaged reports whether obj carries gitfleet's ManagedLabel.
func isManaged(obj *unstructured.Unstructured) bool {
	return obj.GetLabels()[ManagedLabel] == ManagedLabelValue
}

// conflictMessage explains a conflict and names who manages the object.
func conflictMessage(live *unstructured.Unstructured) string {
	managers := map[string]bool{}
	for _, mf := range live.GetManagedFields() {
		managers[mf.Manager] = true
	}
	msg := fmt.Sprintf("exists and was not created by gitfleet (no %s=%s label)", ManagedLabel, ManagedLabelValue)
	if len(managers) > 0 {
		msg += "; fields managed by " + strings.Join(slices.Sorted(maps.Keys(managers)), ", ")
	}
	return msg + "; left untouched: annotate the template work.karmada.io/conflict-resolution: overwrite to take it over"
}

// execute sends what plan p says for object i and records the outcome.
func (r *syncRun) execute(ctx context.Context, i int, p plan, reason string) {
	d := r.tree.objects[i]
	switch p {
	case planCreate:
		// The LIST showed the object absent: ssa's GET and dry-run would only say so again.
		// An object new to gitfleet is applied without ForceOwnership, so if someone created
		// it since, their fields are not taken; one gitfleet owns is (its label may have been
		// removed, hiding it from the LIST).
		opts := []client.ApplyOption{client.FieldOwner(r.s.opts.FieldManager)}
		if _, known := r.prev.objects[d.key]; known {
			opts = append(opts, client.ForceOwnership)
		}
		err := r.s.client.Apply(ctx, client.ApplyConfigurationFromUnstructured(d.obj.DeepCopy()), opts...)
		if err != nil {
			r.fail(i, ReasonApplyFailed, fmt.Errorf("apply: %w", err))
			return
		}
		r.succeed(i, ActionApplied, reason)
	case planApply:
		entry, err := r.s.manager.Apply(ctx, d.obj.DeepCopy(), r.s.applyOptions())
		if err != nil {
			r.fail(i, ReasonApplyFailed, err)
			return
		}
		if entry.Action == ssa.CreatedAction || entry.Action == ssa.ConfiguredAction {
			r.succeed(i, ActionApplied, reason)
		} else {
			r.succeed(i, ActionUnchanged, ReasonInSync)
		}
	}
}

// applyOptions are the options ssa applies changed objects with.
func (s *Syncer) applyOptions() ssa.ApplyOptions {
	opts := ssa.DefaultApplyOptions()
	opts.Force = s.opts.Force
	opts.WaitInterval, opts.WaitTimeout = s.opts.WaitInterval, s.opts.WaitTimeout
	return opts
}

// succeed records that object i now matches its manifest.
func (r *syncRun) succeed(i int, action Action, reason string) {
	o := &r.outcomes[i]
	o.Action, o.Reason, o.Message, o.owned, o.current = action, reason, "", true, true
}

// fail records that object i could not be applied. An object gitfleet already owned stays
// in the inventory without a digest, so the next sync applies it again.
func (r *syncRun) fail(i int, reason string, err error) {
	o := &r.outcomes[i]
	_, known := r.prev.objects[r.tree.objects[i].key]
	o.Action, o.Reason, o.Message = ActionFailed, reason, err.Error()
	o.owned, o.current = known, false
}

// nextInventory is what the member cluster's inventory records after this sync: every
// object gitfleet owns, with the digest of the manifest it matches.
func (r *syncRun) nextInventory(commit string) *appliedInventory {
	next := &appliedInventory{cluster: r.tree.cluster, commit: commit, objects: map[objectKey]appliedObject{}}
	for i, d := range r.tree.objects {
		o := r.outcomes[i]
		if !o.owned {
			continue
		}
		entry := appliedObject{apiVersion: d.obj.GetAPIVersion()}
		if o.current {
			entry.digest = shortDigest(d.digest)
		}
		next.objects[d.key] = entry
	}
	maps.Copy(next.objects, r.kept)
	return next
}

// results returns the outcomes of the tree's objects as results.
func (r *syncRun) results() []ObjectResult {
	out := make([]ObjectResult, 0, len(r.outcomes)+len(r.pruned))
	for _, o := range r.outcomes {
		out = append(out, o.ObjectResult)
	}
	return append(out, r.pruned...)
}
