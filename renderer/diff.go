package renderer

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// TreeDiff is what changes between two rendered trees (DESIGN §2, `gitfleet diff`): where
// each template goes, and what each cluster receives. It is a value: the text, Markdown
// and JSON reports are all made from it.
type TreeDiff struct {
	// Summary counts the changes; its String is the report's summary line.
	Summary DiffSummary `json:"summary"`
	// Templates are the templates whose placement or scheduling state changed, sorted by
	// template key.
	Templates []TemplateDiff `json:"templates"`
	// Clusters are the clusters whose directory changed, sorted by name.
	Clusters []ClusterDiff `json:"clusters"`
}

// DiffSummary counts a TreeDiff's changes. Its String is the summary line
// `N templates moved, M objects changed in K clusters`.
type DiffSummary struct {
	// TemplatesMoved (N) is the number of templates whose placement differs. A template's
	// placement is the set of (cluster, replicas) pairs of its binding's spec.clusters, plus
	// the clusters of spec.requiredBy (the template follows a workload there as a
	// dependency, replicas 0 unless the cluster is in spec.clusters too); a template without
	// a binding has an empty placement. So a cluster set or a per-cluster replica count that
	// changes counts, and so does a template added or removed with clusters to go to.
	TemplatesMoved int `json:"templatesMoved"`
	// ObjectsChanged (M) is the number of manifests added, removed or changed (different
	// bytes), summed over every karmada-es-<cluster>/ directory; the directory's inventory
	// (.gitfleet-cluster.yaml) and interpreter customizations (.gitfleet-interpreter.yaml)
	// are not objects and are not counted.
	ObjectsChanged int `json:"objectsChanged"`
	// ClustersChanged (K) is the number of clusters with at least one object change.
	ClustersChanged int `json:"clustersChanged"`
}

// String is the summary line, always in this exact form (no plural agreement, so scripts
// can match it): `N templates moved, M objects changed in K clusters`.
func (s DiffSummary) String() string {
	return fmt.Sprintf("%d templates moved, %d objects changed in %d clusters", s.TemplatesMoved, s.ObjectsChanged, s.ClustersChanged)
}

// DiffChange names a change of a template, a cluster directory or an object.
type DiffChange string

// The changes a TreeDiff reports.
const (
	// ChangeAdded: the template's binding, the cluster's directory or the object is only in
	// the head tree.
	ChangeAdded DiffChange = "Added"
	// ChangeRemoved: only in the base tree.
	ChangeRemoved DiffChange = "Removed"
	// ChangeModified: an object whose manifest bytes differ.
	ChangeModified DiffChange = "Changed"
	// ChangeMoved: a template whose set of clusters changed (replicas may have changed too).
	ChangeMoved DiffChange = "Moved"
	// ChangeRescaled: a template on the same clusters with different replicas on some.
	ChangeRescaled DiffChange = "Rescaled"
	// ChangeKept: a template whose placement is unchanged, listed because its Scheduled
	// condition became False.
	ChangeKept DiffChange = "Kept"
)

// TemplateDiff is how one template's placement changes.
type TemplateDiff struct {
	// Group is the template's API group (empty for the core group).
	Group string `json:"group,omitempty"`
	// Kind is the template's kind.
	Kind string `json:"kind"`
	// Namespace is the template's namespace (empty for a cluster-scoped one).
	Namespace string `json:"namespace,omitempty"`
	// Name is the template's name.
	Name string `json:"name"`
	// Change is what happened to the template's placement.
	Change DiffChange `json:"change"`
	// Before is the placement in the base tree, sorted by cluster.
	Before []ClusterPlacement `json:"before"`
	// After is the placement in the head tree, sorted by cluster.
	After []ClusterPlacement `json:"after"`
	// ReplicasBefore is the template's desired replicas (spec.replicas) in the base tree.
	ReplicasBefore int32 `json:"replicasBefore,omitempty"`
	// ReplicasAfter is the template's desired replicas in the head tree.
	ReplicasAfter int32 `json:"replicasAfter,omitempty"`
	// Unschedulable says the head tree's binding has Scheduled=False: the render asked for
	// a placement the scheduler could not make (DESIGN §1.4: a valid change that removes
	// placement is rendered as asked, and the diff is where it is caught).
	Unschedulable bool `json:"unschedulable,omitempty"`
	// Reason and Message are the head binding's Scheduled condition when Unschedulable.
	Reason string `json:"reason,omitempty"`
	// Message is the Scheduled condition's message when Unschedulable.
	Message string `json:"message,omitempty"`
	// LosesAllPlacement says the template is still bound in the head tree but goes to no
	// cluster any more, where it went to some before. (A template removed from the source
	// is ChangeRemoved instead: that is a deletion someone asked for.)
	LosesAllPlacement bool `json:"losesAllPlacement,omitempty"`
}

// ClusterPlacement is one cluster of a template's placement.
type ClusterPlacement struct {
	// Cluster is the cluster's name.
	Cluster string `json:"cluster"`
	// Replicas is the cluster's share of the template's replicas (0 for kinds without).
	Replicas int32 `json:"replicas"`
	// Dependency says the template goes to the cluster only because a workload there
	// depends on it (spec.requiredBy).
	Dependency bool `json:"dependency,omitempty"`
}

// ClusterMove is one cluster's row of a template's placement change; Before or After is
// nil where the template does not go to the cluster.
type ClusterMove struct {
	// Cluster is the cluster's name.
	Cluster string
	// Before is the cluster's placement in the base tree, nil when it had none.
	Before *ClusterPlacement
	// After is the cluster's placement in the head tree, nil when it has none.
	After *ClusterPlacement
}

// Key is the template's key.
func (t TemplateDiff) Key() ObjectKey {
	return ObjectKey{Group: t.Group, Kind: t.Kind, Namespace: t.Namespace, Name: t.Name}
}

// PlacementChanged reports whether the template counts as moved in the summary: its
// clusters or their replicas differ (see DiffSummary.TemplatesMoved).
func (t TemplateDiff) PlacementChanged() bool {
	return !slices.EqualFunc(t.Before, t.After, func(a, b ClusterPlacement) bool {
		return a.Cluster == b.Cluster && a.Replicas == b.Replicas
	})
}

// Flagged reports whether a reviewer must look at the template first: it becomes
// unschedulable or loses all placement.
func (t TemplateDiff) Flagged() bool { return t.Unschedulable || t.LosesAllPlacement }

// HasReplicas reports whether the template has replicas to divide, on either side, so that
// its placement reads as replica counts rather than presence.
func (t TemplateDiff) HasReplicas() bool {
	if t.ReplicasBefore > 0 || t.ReplicasAfter > 0 {
		return true
	}
	for _, p := range slices.Concat(t.Before, t.After) {
		if p.Replicas > 0 {
			return true
		}
	}
	return false
}

// Moves returns one row per cluster in the placement before or after, sorted by cluster.
func (t TemplateDiff) Moves() []ClusterMove {
	rows := map[string]*ClusterMove{}
	row := func(name string) *ClusterMove {
		if rows[name] == nil {
			rows[name] = &ClusterMove{Cluster: name}
		}
		return rows[name]
	}
	for i := range t.Before {
		row(t.Before[i].Cluster).Before = &t.Before[i]
	}
	for i := range t.After {
		row(t.After[i].Cluster).After = &t.After[i]
	}
	out := make([]ClusterMove, 0, len(rows))
	for _, name := range slices.Sorted(maps.Keys(rows)) {
		out = append(out, *rows[name])
	}
	return out
}

// ClusterDiff is what changes in one cluster's directory, karmada-es-<cluster>/.
type ClusterDiff struct {
	// Cluster is the cluster's name.
	Cluster string `json:"cluster"`
	// Directory is ChangeAdded when the cluster's directory is only in the head tree (the
	// cluster joins the fleet), ChangeRemoved when only in the base tree, empty otherwise.
	Directory DiffChange `json:"directory,omitempty"`
	// Objects are the objects added, removed or changed, sorted by path.
	Objects []ObjectChange `json:"objects"`
}

// Counts returns how many of the cluster's objects are added, removed and changed.
func (c ClusterDiff) Counts() (added, removed, changed int) {
	for _, o := range c.Objects {
		switch o.Change {
		case ChangeAdded:
			added++
		case ChangeRemoved:
			removed++
		default:
			changed++
		}
	}
	return added, removed, changed
}

// ObjectChange is one manifest of a cluster's directory that changes.
type ObjectChange struct {
	// Path is the manifest's path inside karmada-es-<cluster>/ (see ManifestPath).
	Path string `json:"path"`
	// Change is ChangeAdded, ChangeRemoved or ChangeModified.
	Change DiffChange `json:"change"`
	// Diff is the unified diff (three lines of context, a/ and b/ prefixed paths from the
	// tree root) of a changed manifest; empty for added and removed ones.
	Diff string `json:"diff,omitempty"`
	// LinesAdded counts the diff's added lines.
	LinesAdded int `json:"linesAdded,omitempty"`
	// LinesRemoved counts the diff's removed lines.
	LinesRemoved int `json:"linesRemoved,omitempty"`
}

// DiffTrees compares two rendered trees (DESIGN §1.2): the bindings under bindings/ give
// each template's placement before and after; the karmada-es-<cluster>/ directories give the
// objects each cluster gains, loses or sees changed, with a unified diff of each changed
// manifest. README.md, .gitfleet/ and the inventories are not compared. A nil tree is an
// empty one. It is pure, and its result is sorted throughout.
func DiffTrees(base, head fs.FS) (*TreeDiff, error) {
	before, err := readDiffSide(base)
	if err != nil {
		return nil, fmt.Errorf("base tree: %w", err)
	}
	after, err := readDiffSide(head)
	if err != nil {
		return nil, fmt.Errorf("head tree: %w", err)
	}
	d := &TreeDiff{Templates: diffTemplates(before.bindings, after.bindings)}
	if d.Clusters, err = diffClusters(base, head, before.clusters, after.clusters); err != nil {
		return nil, err
	}
	for _, t := range d.Templates {
		if t.PlacementChanged() {
			d.Summary.TemplatesMoved++
		}
	}
	for _, c := range d.Clusters {
		d.Summary.ObjectsChanged += len(c.Objects)
		if len(c.Objects) > 0 {
			d.Summary.ClustersChanged++
		}
	}
	return d, nil
}

// diffSide is what DiffTrees reads of one tree.
type diffSide struct {
	bindings map[ObjectKey]*v1alpha1.ResourceBinding
	// clusters holds, per cluster, the manifest paths of its directory.
	clusters map[string]map[string]bool
}

func readDiffSide(fsys fs.FS) (*diffSide, error) {
	side := &diffSide{bindings: map[ObjectKey]*v1alpha1.ResourceBinding{}, clusters: map[string]map[string]bool{}}
	if fsys == nil {
		return side, nil
	}
	prev, err := LoadPrevious(fsys) // the bindings, by template, as the next render reads them
	if err != nil {
		return nil, err
	}
	side.bindings = prev.Bindings
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("reading the tree's root: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), v1alpha1.ExecutionSpacePrefix) {
			continue
		}
		dir := e.Name()
		paths := map[string]bool{}
		err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if rel := strings.TrimPrefix(p, dir+"/"); !v1alpha1.IsClusterMetadataFile(rel) {
				paths[rel] = true
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", dir, err)
		}
		side.clusters[strings.TrimPrefix(dir, v1alpha1.ExecutionSpacePrefix)] = paths
	}
	return side, nil
}

// diffTemplates compares the placement of every template bound in either tree and keeps
// those whose placement or scheduling state changed.
func diffTemplates(before, after map[ObjectKey]*v1alpha1.ResourceBinding) []TemplateDiff {
	keys := slices.SortedFunc(func(yield func(ObjectKey) bool) {
		for k := range before {
			if !yield(k) {
				return
			}
		}
		for k := range after {
			if _, dup := before[k]; !dup && !yield(k) {
				return
			}
		}
	}, compareKeys)
	out := []TemplateDiff{}
	for _, key := range keys {
		b, a := before[key], after[key]
		t := TemplateDiff{Group: key.Group, Kind: key.Kind, Namespace: key.Namespace, Name: key.Name}
		t.Before, t.ReplicasBefore = placementOf(b)
		t.After, t.ReplicasAfter = placementOf(a)
		switch {
		case b == nil:
			t.Change = ChangeAdded
		case a == nil:
			t.Change = ChangeRemoved
		case !slices.Equal(clusterNames(t.Before), clusterNames(t.After)):
			t.Change = ChangeMoved
		case t.PlacementChanged():
			t.Change = ChangeRescaled
		default:
			t.Change = ChangeKept
		}
		wasUnschedulable := unschedulable(b) != nil
		if c := unschedulable(a); c != nil {
			t.Unschedulable, t.Reason, t.Message = true, c.Reason, c.Message
		}
		t.LosesAllPlacement = a != nil && len(t.Before) > 0 && len(t.After) == 0
		if t.Change != ChangeKept || (t.Unschedulable && !wasUnschedulable) {
			out = append(out, t)
		}
	}
	return out
}

// placementOf returns where a binding sends its template, sorted by cluster, and the
// template's desired replicas. A nil binding goes nowhere.
func placementOf(b *v1alpha1.ResourceBinding) ([]ClusterPlacement, int32) {
	out := []ClusterPlacement{}
	if b == nil {
		return out, 0
	}
	seen := map[string]bool{}
	for _, c := range b.Spec.Clusters {
		if !seen[c.Name] {
			seen[c.Name] = true
			out = append(out, ClusterPlacement{Cluster: c.Name, Replicas: c.Replicas})
		}
	}
	for _, r := range b.Spec.RequiredBy {
		for _, c := range r.Clusters {
			if !seen[c.Name] {
				seen[c.Name] = true
				out = append(out, ClusterPlacement{Cluster: c.Name, Dependency: true})
			}
		}
	}
	slices.SortFunc(out, func(x, y ClusterPlacement) int { return strings.Compare(x.Cluster, y.Cluster) })
	return out, b.Spec.Replicas
}

func clusterNames(ps []ClusterPlacement) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Cluster
	}
	return out
}

// unschedulable returns a binding's Scheduled condition when it is False.
func unschedulable(b *v1alpha1.ResourceBinding) *metav1.Condition {
	if b == nil {
		return nil
	}
	for i, c := range b.Status.Conditions {
		if c.Type == "Scheduled" && c.Status == metav1.ConditionFalse {
			return &b.Status.Conditions[i]
		}
	}
	return nil
}

// diffClusters compares the directories of every cluster present in either tree. Files
// are read in pairs, one path at a time, so a large fleet's trees are never held whole.
func diffClusters(base, head fs.FS, before, after map[string]map[string]bool) ([]ClusterDiff, error) {
	names := slices.Sorted(maps.Keys(before))
	for name := range after {
		if _, ok := before[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	out := []ClusterDiff{}
	for _, name := range names {
		b, inBase := before[name]
		a, inHead := after[name]
		c := ClusterDiff{Cluster: name, Objects: []ObjectChange{}}
		switch {
		case !inBase:
			c.Directory = ChangeAdded
		case !inHead:
			c.Directory = ChangeRemoved
		}
		dir := v1alpha1.ExecutionSpacePrefix + name + "/"
		paths := slices.Sorted(maps.Keys(b))
		for p := range a {
			if !b[p] {
				paths = append(paths, p)
			}
		}
		slices.Sort(paths)
		for _, p := range paths {
			switch {
			case !b[p]:
				c.Objects = append(c.Objects, ObjectChange{Path: p, Change: ChangeAdded})
			case !a[p]:
				c.Objects = append(c.Objects, ObjectChange{Path: p, Change: ChangeRemoved})
			default:
				old, err := fs.ReadFile(base, dir+p)
				if err != nil {
					return nil, fmt.Errorf("base tree: %w", err)
				}
				cur, err := fs.ReadFile(head, dir+p)
				if err != nil {
					return nil, fmt.Errorf("head tree: %w", err)
				}
				if bytes.Equal(old, cur) {
					continue
				}
				text, added, removed := UnifiedDiff("a/"+dir+p, "b/"+dir+p, old, cur)
				c.Objects = append(c.Objects, ObjectChange{Path: p, Change: ChangeModified, Diff: text, LinesAdded: added, LinesRemoved: removed})
			}
		}
		if len(c.Objects) > 0 || c.Directory != "" {
			out = append(out, c)
		}
	}
	return out, nil
}

// ErrNotRenderedTree is CheckRenderedTree's answer for a tree that is not a rendered one.
var ErrNotRenderedTree = errors.New("not a rendered tree: no .gitfleet/provenance.yaml, bindings/ or karmada-es-<cluster>/")

// CheckRenderedTree returns ErrNotRenderedTree unless fsys has what a rendered tree has at
// its root: .gitfleet/provenance.yaml, bindings/ or a karmada-es-<cluster>/ directory. It
// catches a source tree handed where a rendered one belongs, which would otherwise diff as
// "everything removed".
func CheckRenderedTree(fsys fs.FS) error {
	if _, err := fs.Stat(fsys, ".gitfleet/provenance.yaml"); err == nil {
		return nil
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() && (e.Name() == "bindings" || strings.HasPrefix(e.Name(), v1alpha1.ExecutionSpacePrefix)) {
			return nil
		}
	}
	return ErrNotRenderedTree
}

// diffContext is the number of unchanged lines shown around each change, as diff -u does.
const diffContext = 3

// maxEditDistance bounds the line diff's work: beyond this many differing lines, the
// changed middle of the file is shown as removed and added as a whole. The diff stays
// correct, only less minimal, and its cost stays O(maxEditDistance²) memory.
const maxEditDistance = 2000

// UnifiedDiff returns the unified diff of two texts (three lines of context, `---`/`+++`
// headers naming oldName and newName, `\ No newline at end of file` where a text does not
// end with one) and the numbers of added and removed lines. Equal texts give "". The
// edit script is a shortest one (Myers' algorithm) for texts that differ in fewer than
// 2000 lines, and deterministic always.
func UnifiedDiff(oldName, newName string, oldText, newText []byte) (diff string, added, removed int) {
	a, b := splitLines(oldText), splitLines(newText)
	edits := lineEdits(a, b)
	var out strings.Builder
	for _, h := range hunks(edits, diffContext) {
		if out.Len() == 0 {
			fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
		}
		var aLen, bLen int
		for _, e := range edits[h.start:h.end] {
			if e.op != '+' {
				aLen++
			}
			if e.op != '-' {
				bLen++
			}
		}
		first := edits[h.start]
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", unifiedRange(first.a, aLen), unifiedRange(first.b, bLen))
		for _, e := range edits[h.start:h.end] {
			line := ""
			switch e.op {
			case '+':
				line = b[e.b]
				added++
			case '-':
				line = a[e.a]
				removed++
			default:
				line = a[e.a]
			}
			out.WriteByte(e.op)
			out.WriteString(line)
			if !strings.HasSuffix(line, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
	}
	return out.String(), added, removed
}

// unifiedRange formats a hunk's range as diff -u does: `start,length`, just `start` for one
// line, and the line before for an empty range.
func unifiedRange(start, length int) string {
	switch length {
	case 1:
		return strconv.Itoa(start + 1)
	case 0:
		return strconv.Itoa(start) + ",0"
	}
	return strconv.Itoa(start+1) + "," + strconv.Itoa(length)
}

// splitLines splits a text into lines, each keeping its "\n" (so a last line without one
// differs from the same line with one).
func splitLines(data []byte) []string {
	if len(data) == 0 {
		return nil
	}
	lines := strings.SplitAfter(string(data), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// edit is one step of a line edit script: ' ' keeps a[a] (= b[b]), '-' removes a[a], '+'
// adds b[b]. a and b are also the positions in each text where the step happens.
type edit struct {
	op   byte
	a, b int
}

// lineEdits returns an edit script turning a into b, with each run of changes written as
// its removals, then its additions.
func lineEdits(a, b []string) []edit {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	out := make([]edit, 0, len(a)+len(b))
	for i := range pre {
		out = append(out, edit{' ', i, i})
	}
	for _, e := range myers(a[pre:len(a)-suf], b[pre:len(b)-suf]) {
		out = append(out, edit{e.op, e.a + pre, e.b + pre})
	}
	for i := suf; i > 0; i-- {
		out = append(out, edit{' ', len(a) - i, len(b) - i})
	}
	// Removals before additions within each run of changes, as diff -u shows them; then
	// positions renumbered, which the order of the steps alone determines.
	for i := 0; i < len(out); {
		if out[i].op == ' ' {
			i++
			continue
		}
		j := i
		for j < len(out) && out[j].op != ' ' {
			j++
		}
		slices.SortStableFunc(out[i:j], func(x, y edit) int { return int(y.op) - int(x.op) }) // '-' (45) before '+' (43)
		i = j
	}
	ai, bi := 0, 0
	for i, e := range out {
		out[i] = edit{e.op, ai, bi}
		if e.op != '+' {
			ai++
		}
		if e.op != '-' {
			bi++
		}
	}
	return out
}

// myers returns a shortest edit script from a to b (Myers, "An O(ND) Difference Algorithm
// and Its Variations", 1986), keeping the frontier of every step for the backtrack. Past
// maxEditDistance it gives up and removes all of a, then adds all of b.
func myers(a, b []string) []edit {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return replaceAll(n, m)
	}
	maxD := n + m
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	var trace [][]int // trace[d] is v[-d..d] before step d
	for d := 0; d <= min(maxD, maxEditDistance); d++ {
		trace = append(trace, slices.Clone(v[off-d:off+d+1]))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1] // down: an addition
			} else {
				x = v[off+k-1] + 1 // right: a removal
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, n, m)
			}
		}
	}
	return replaceAll(n, m)
}

// backtrack walks a Myers trace back from (n, m) to (0, 0) and returns the edit script.
func backtrack(trace [][]int, n, m int) []edit {
	var rev []edit
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		prevX, prevY := 0, 0
		if d > 0 {
			vd := trace[d]
			at := func(k int) int { return vd[k+d] }
			k := x - y
			prevK := k - 1
			if k == -d || (k != d && at(k-1) < at(k+1)) {
				prevK = k + 1
			}
			prevX = at(prevK)
			prevY = prevX - prevK
		}
		for x > prevX && y > prevY {
			rev = append(rev, edit{' ', x - 1, y - 1})
			x, y = x-1, y-1
		}
		if d > 0 {
			if x == prevX {
				rev = append(rev, edit{'+', x, y - 1})
			} else {
				rev = append(rev, edit{'-', x - 1, y})
			}
		}
		x, y = prevX, prevY
	}
	slices.Reverse(rev)
	return rev
}

// replaceAll is the edit script that removes all n lines of a and adds all m of b.
func replaceAll(n, m int) []edit {
	out := make([]edit, 0, n+m)
	for i := range n {
		out = append(out, edit{'-', i, 0})
	}
	for i := range m {
		out = append(out, edit{'+', n, i})
	}
	return out
}

// hunk is a range of an edit script shown as one @@ block.
type hunk struct{ start, end int }

// hunks groups an edit script's changes with ctx lines of context around each, merging
// changes whose context would touch or overlap, as diff -u does.
func hunks(edits []edit, ctx int) []hunk {
	var out []hunk
	for i := 0; i < len(edits); {
		if edits[i].op == ' ' {
			i++
			continue
		}
		start := max(i-ctx, 0)
		if len(out) > 0 {
			start = max(start, out[len(out)-1].end)
		}
		j := i
		var end int
		for {
			for j < len(edits) && edits[j].op != ' ' {
				j++
			}
			k := j
			for k < len(edits) && edits[k].op == ' ' {
				k++
			}
			if k == len(edits) || k-j > 2*ctx {
				end = min(j+ctx, len(edits))
				break
			}
			j = k
		}
		out = append(out, hunk{start, end})
		i = end
	}
	return out
}
