package membership

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kubevalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/api/v1alpha1/validation"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

// ErrTaintNotFound is returned when a taint to remove is not on the cluster.
var ErrTaintNotFound = errors.New("taint not found")

// ErrTaintExists is returned when a taint to add is on the cluster with another value and
// overwriting was not asked for.
var ErrTaintExists = errors.New("taint exists")

// CordonTaint is the taint `gitfleet cordon` adds, as `karmadactl cordon` does: nothing new
// is scheduled to the cluster, workloads already placed stay.
var CordonTaint = corev1.Taint{Key: v1alpha1.TaintClusterUnschedulable, Effect: corev1.TaintEffectNoSchedule}

// TaintEdit is a change of a cluster's spec.taints, as `karmadactl taint` takes it.
type TaintEdit struct {
	// Add are taints to add, or to update when one with the same key and effect exists.
	Add []corev1.Taint
	// Remove are taints to remove, matched by key and effect; an empty effect removes every
	// taint with the key.
	Remove []corev1.Taint
	// Overwrite allows changing the value of an existing taint (`--overwrite`).
	Overwrite bool
	// KeepExisting leaves a taint of Add alone when one with the same key and effect is
	// there, whatever its value: cordoning a cordoned cluster changes nothing.
	KeepExisting bool
	// IgnoreMissing makes removing an absent taint a no-op instead of ErrTaintNotFound:
	// uncordoning a cluster that is not cordoned changes nothing.
	IgnoreMissing bool
}

// FormatTaint writes t as a taint spec: KEY[=VALUE]:EFFECT, or KEY[:EFFECT]- for a removal.
func FormatTaint(t corev1.Taint, remove bool) string {
	s := t.Key
	if t.Value != "" && !remove {
		s += "=" + t.Value
	}
	if t.Effect != "" {
		s += ":" + string(t.Effect)
	}
	if remove {
		s += "-"
	}
	return s
}

// String writes the edit as the specs that ParseTaints reads.
func (e TaintEdit) String() string {
	specs := make([]string, 0, len(e.Add)+len(e.Remove))
	for _, t := range e.Add {
		specs = append(specs, FormatTaint(t, false))
	}
	for _, t := range e.Remove {
		specs = append(specs, FormatTaint(t, true))
	}
	return strings.Join(specs, ", ")
}

// ParseTaints reads taint specs as `karmadactl taint` does: KEY[=VALUE]:EFFECT adds or
// updates a taint, KEY[=VALUE]:EFFECT- removes the taint with that key and effect, KEY-
// removes every taint with the key. The key must be a qualified name, the value a label
// value and the effect NoSchedule, PreferNoSchedule or NoExecute (Karmada's cluster API then
// refuses PreferNoSchedule; so does the edit). A taint may not be given twice, nor both added
// and removed.
func ParseTaints(specs []string) (TaintEdit, error) {
	var edit TaintEdit
	if len(specs) == 0 {
		return edit, errors.New("say which taints to add or remove: KEY[=VALUE]:EFFECT, KEY:EFFECT- or KEY-")
	}
	seen := map[string]bool{}
	for _, spec := range specs {
		remove := strings.HasSuffix(spec, "-")
		body := strings.TrimSuffix(spec, "-")
		t, err := parseTaint(body, remove)
		if err != nil {
			return TaintEdit{}, fmt.Errorf("invalid taint spec %q: %w", spec, err)
		}
		id := t.Key + ":" + string(t.Effect)
		if seen[id] {
			return TaintEdit{}, fmt.Errorf("invalid taint spec %q: taint %s is given twice", spec, id)
		}
		seen[id] = true
		if remove {
			edit.Remove = append(edit.Remove, t)
		} else {
			edit.Add = append(edit.Add, t)
		}
	}
	for _, r := range edit.Remove {
		for _, a := range edit.Add {
			if matchesTaint(r, a) {
				return TaintEdit{}, fmt.Errorf("taint %s is both added and removed", FormatTaint(a, false))
			}
		}
	}
	return edit, nil
}

// parseTaint reads KEY[=VALUE]:EFFECT, or for a removal also KEY alone.
func parseTaint(s string, remove bool) (corev1.Taint, error) {
	var t corev1.Taint
	kv, effect, hasEffect := strings.Cut(s, ":")
	switch {
	case hasEffect:
		t.Effect = corev1.TaintEffect(effect)
		switch t.Effect {
		case corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute:
		default:
			return t, fmt.Errorf("effect %q: want NoSchedule, PreferNoSchedule or NoExecute", effect)
		}
	case !remove:
		return t, errors.New("want KEY[=VALUE]:EFFECT")
	}
	key, value, hasValue := strings.Cut(kv, "=")
	if hasValue && !hasEffect {
		return t, errors.New("want KEY[=VALUE]:EFFECT- or KEY-")
	}
	if errs := kubevalidation.IsQualifiedName(key); len(errs) != 0 {
		return t, fmt.Errorf("key %q: %s", key, strings.Join(errs, "; "))
	}
	if errs := kubevalidation.IsValidLabelValue(value); len(errs) != 0 {
		return t, fmt.Errorf("value %q: %s", value, strings.Join(errs, "; "))
	}
	t.Key = key
	if !remove {
		t.Value = value
	}
	return t, nil
}

// matchesTaint says whether the removal r matches taint t: same key, and same effect unless
// r has none.
func matchesTaint(r, t corev1.Taint) bool {
	return r.Key == t.Key && (r.Effect == "" || r.Effect == t.Effect)
}

// applyTaints applies edit to taints. Updated taints stay where they are and new ones are
// appended, so that the file's diff is the change. A NoExecute taint that is added or changed
// gets timeAdded = now. It returns the new list and whether it differs.
func applyTaints(taints []corev1.Taint, edit TaintEdit, now metav1.Time) ([]corev1.Taint, bool, error) {
	out := append([]corev1.Taint(nil), taints...)
	changed := false
	for _, add := range edit.Add {
		add := add
		if add.Effect == corev1.TaintEffectNoExecute {
			add.TimeAdded = now.DeepCopy()
		}
		i := indexTaint(out, add)
		switch {
		case i < 0:
			out = append(out, add)
			changed = true
		case out[i].Value == add.Value || edit.KeepExisting:
			// Already there: keep its timeAdded.
		case !edit.Overwrite:
			return nil, false, fmt.Errorf("%w: the cluster has the taint %s; use --overwrite to change it to %s",
				ErrTaintExists, FormatTaint(out[i], false), FormatTaint(add, false))
		default:
			out[i] = add
			changed = true
		}
	}
	for _, rm := range edit.Remove {
		kept := out[:0:0]
		for _, t := range out {
			if !matchesTaint(rm, t) {
				kept = append(kept, t)
			}
		}
		if len(kept) == len(out) {
			if edit.IgnoreMissing {
				continue
			}
			return nil, false, fmt.Errorf("%w: the cluster has no taint %s", ErrTaintNotFound, strings.TrimSuffix(FormatTaint(rm, true), "-"))
		}
		out, changed = kept, true
	}
	if errs := validation.ValidateClusterTaints(out, field.NewPath("spec", "taints")); len(errs) != 0 {
		return nil, false, fmt.Errorf("the taints would not be valid: %w", errs.ToAggregate())
	}
	return out, changed, nil
}

// indexTaint finds the taint with t's key and effect.
func indexTaint(taints []corev1.Taint, t corev1.Taint) int {
	for i := range taints {
		if taints[i].Key == t.Key && taints[i].Effect == t.Effect {
			return i
		}
	}
	return -1
}

// TaintChange says what EditTaints changed.
type TaintChange struct {
	// Path is the file that defines the cluster.
	Path string
	// Taints are the cluster's taints after the edit.
	Taints []corev1.Taint
	// Changed is false when the edit left the taints as they were; the file is untouched.
	Changed bool
}

// EditTaints applies edit to spec.taints of Cluster name in t, at time now (the commit's
// author time, written as the timeAdded of NoExecute taints it adds). The file is edited
// in place: only the lines of spec.taints change, so comments and the order of the other
// fields stay; unchanged taints keep their lines. The cluster must be defined alone in a
// file (as for RemoveCluster), and the tree must load before and after; after the edit,
// the loaded Cluster must be the one before with only its taints changed.
func (t Tree) EditTaints(name string, edit TaintEdit, now time.Time) (TaintChange, error) {
	src, err := t.load()
	if err != nil {
		return TaintChange{}, fmt.Errorf("the source does not load, fix it first: %w", err)
	}
	p, found, err := t.definition(src, name)
	if !found {
		return TaintChange{}, fmt.Errorf("%w: the source defines no Cluster %s", ErrClusterNotFound, name)
	}
	if err != nil {
		return TaintChange{}, err
	}
	before := findCluster(src.Clusters, name)
	// What the file says, not what the loader defaulted: a NoExecute taint written without
	// timeAdded stays without one.
	written, err := writtenTaints(t[p])
	if err != nil {
		return TaintChange{}, fmt.Errorf("%s: %w", p, err)
	}
	taints, changed, err := applyTaints(written, edit, metav1.NewTime(now.UTC().Truncate(time.Second)))
	if err != nil {
		return TaintChange{}, fmt.Errorf("cluster %s (%s): %w", name, p, err)
	}
	if !changed {
		return TaintChange{Path: p, Taints: written}, nil
	}
	data, err := spliceTaints(t[p], written, taints)
	if err != nil {
		return TaintChange{}, fmt.Errorf("%s: %w; edit spec.taints by hand", p, err)
	}
	t[p] = data

	after, err := t.load()
	if err != nil {
		return TaintChange{}, fmt.Errorf("the source would not load with the new taints of %s: %w", p, err)
	}
	got := findCluster(after.Clusters, name)
	if got == nil || !taintsEqual(got.Spec.Taints, taints) || !sameButTaints(got, before) {
		// The in-place edit must never change more than the taints; if it would, stop.
		return TaintChange{}, fmt.Errorf("%s: cannot edit spec.taints in place without changing more; edit it by hand", p)
	}
	return TaintChange{Path: p, Taints: taints, Changed: true}, nil
}

// findCluster returns the Cluster name of clusters, or nil.
func findCluster(clusters []*v1alpha1.Cluster, name string) *v1alpha1.Cluster {
	for _, c := range clusters {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// taintsEqual compares two lists of taints, nil and empty alike.
func taintsEqual(a, b []corev1.Taint) bool {
	return apiequality.Semantic.DeepEqual(normalTaints(a), normalTaints(b))
}

// normalTaints makes nil and empty lists alike.
func normalTaints(taints []corev1.Taint) []corev1.Taint {
	if len(taints) == 0 {
		return nil
	}
	return taints
}

// sameButTaints compares two Clusters but for their taints.
func sameButTaints(a, b *v1alpha1.Cluster) bool {
	a, b = a.DeepCopy(), b.DeepCopy()
	a.Spec.Taints, b.Spec.Taints = nil, nil
	return apiequality.Semantic.DeepEqual(a, b)
}

// writtenTaints reads spec.taints of the Cluster file data as written.
func writtenTaints(data []byte) ([]corev1.Taint, error) {
	var c v1alpha1.Cluster
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	for {
		if err := dec.Decode(&doc); err != nil {
			return nil, err
		}
		if len(doc.Content) > 0 && doc.Content[0].Tag != "!!null" {
			break
		}
	}
	spec := mappingValue(doc.Content[0], "spec")
	if spec == nil {
		return nil, nil
	}
	taints := mappingValue(spec, "taints")
	if taints == nil {
		return nil, nil
	}
	// Decode through JSON field names, as the loader does (sigs.k8s.io/yaml).
	raw, err := yaml.Marshal(taints)
	if err != nil {
		return nil, err
	}
	if err := sigsyaml.Unmarshal(raw, &c.Spec.Taints); err != nil {
		return nil, fmt.Errorf("spec.taints: %w", err)
	}
	return c.Spec.Taints, nil
}

// mappingValue returns the value of key in the mapping node m, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Taint commits edit of the taints of Cluster name to the source branch, in one commit
// "Taint cluster <name>: <specs>" by author, whose time becomes the timeAdded of the
// NoExecute taints it adds. See Tree.EditTaints.
func Taint(ctx context.Context, repo *gitstore.Repository, branch, name string, edit TaintEdit, author gitstore.Signature) (TaintResult, error) {
	subject := fmt.Sprintf("Taint cluster %s: %s", name, edit)
	return commitTaints(ctx, repo, branch, name, edit, author, "taint", func(path string) string {
		return subject + "\n\nEdit spec.taints in " + path + "."
	})
}

// Cordon adds CordonTaint to Cluster name in one commit "Cordon cluster <name>": the
// scheduler places nothing new there, workloads already placed stay. A cordoned cluster
// (one with the taint's key and effect, whatever its value) is left alone:
// TaintResult.Changed is false and no commit is made.
func Cordon(ctx context.Context, repo *gitstore.Repository, branch, name string, author gitstore.Signature) (TaintResult, error) {
	edit := TaintEdit{Add: []corev1.Taint{CordonTaint}, KeepExisting: true}
	return commitTaints(ctx, repo, branch, name, edit, author, "cordon", func(path string) string {
		return fmt.Sprintf("Cordon cluster %s\n\nAdd the taint %s to %s: nothing new is scheduled to the cluster; workloads already placed stay.",
			name, FormatTaint(CordonTaint, false), path)
	})
}

// Uncordon removes the CordonTaint's key and effect from Cluster name in one commit
// "Uncordon cluster <name>". A cluster that is not cordoned is left alone:
// TaintResult.Changed is false and no commit is made.
func Uncordon(ctx context.Context, repo *gitstore.Repository, branch, name string, author gitstore.Signature) (TaintResult, error) {
	edit := TaintEdit{Remove: []corev1.Taint{{Key: CordonTaint.Key, Effect: CordonTaint.Effect}}, IgnoreMissing: true}
	return commitTaints(ctx, repo, branch, name, edit, author, "uncordon", func(path string) string {
		return fmt.Sprintf("Uncordon cluster %s\n\nRemove the taint %s from %s.", name, FormatTaint(CordonTaint, false), path)
	})
}

// TaintResult is what Taint, Cordon or Uncordon committed.
type TaintResult struct {
	// Path is the file that defines the cluster.
	Path string
	// Taints are the cluster's spec.taints after the call, as written.
	Taints []corev1.Taint
	// Commit is the branch's commit after the call.
	Commit string
	// Changed is false when the taints were already as asked: no commit was made.
	Changed bool
}

// commitTaints is the compare-and-swap loop shared by Taint, Cordon and Uncordon.
func commitTaints(ctx context.Context, repo *gitstore.Repository, branch, name string, edit TaintEdit,
	author gitstore.Signature, verb string, message func(path string) string) (TaintResult, error) {
	var out TaintResult
	res, err := repo.UpdateBranch(ctx, branch, func(current *gitstore.Snapshot) (gitstore.CommitRequest, error) {
		if current == nil {
			return gitstore.CommitRequest{}, fmt.Errorf("%w: branch %s does not exist", ErrClusterNotFound, branch)
		}
		tree, err := ReadTree(current.FS)
		if err != nil {
			return gitstore.CommitRequest{}, err
		}
		change, err := tree.EditTaints(name, edit, author.When)
		if errors.Is(err, ErrClusterNotFound) {
			return gitstore.CommitRequest{}, fmt.Errorf("%w: branch %s defines no Cluster %s", ErrClusterNotFound, branch, name)
		}
		if err != nil {
			return gitstore.CommitRequest{}, err
		}
		out = TaintResult{Path: change.Path, Taints: change.Taints}
		return gitstore.CommitRequest{Files: tree, Message: message(change.Path), Author: author}, nil
	})
	if err != nil {
		return TaintResult{}, fmt.Errorf("%s cluster %s: %w", verb, name, err)
	}
	out.Commit, out.Changed = res.Commit.String(), res.Changed
	return out, nil
}

// keysSorted says whether the keys of the mapping m are in sorted order, as MarshalCluster
// (and kubectl) write them.
func keysSorted(m *yaml.Node) bool {
	keys := make([]string, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		keys = append(keys, m.Content[i].Value)
	}
	return sort.StringsAreSorted(keys)
}
