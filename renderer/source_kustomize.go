package renderer

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/resource"
	kusttypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	sigsyaml "sigs.k8s.io/yaml"
)

// kustomizationFileNames are the file names that make a directory a kustomization, in the
// order kustomize looks for them.
var kustomizationFileNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// kustomization is one kustomization directory of the source tree.
type kustomization struct {
	dir  string // directory, relative to the tree root ("." for the root)
	file string // its kustomization file
	node *yaml.Node
	spec kusttypes.Kustomization
	// deps are the kustomization directories it uses (resources, bases, components,
	// generator and transformer configurations).
	deps []string
	// problems are what keeps this kustomization from being built here: a reference that
	// leaves the repository or does not exist in it (kustomize would fetch it from the
	// network), a feature that runs programs (Helm), a file kustomize cannot parse.
	problems []Diagnostic
}

// kustomizeBuild is the result of building the kustomizations of a tree.
type kustomizeBuild struct {
	entries []entry
	// read is every file a build read, so those files are not read again as plain YAML.
	read map[string]bool
}

// buildKustomizations builds every kustomization that no other kustomization uses (a
// kustomization used as a resource, base or component is built only through its users).
// Builds run on an in-memory copy of the tree, and every path a kustomization names is
// checked first to exist in that copy, so kustomize never fetches anything from elsewhere.
func (l *loader) buildKustomizations(dirs []string) kustomizeBuild {
	out := kustomizeBuild{read: map[string]bool{}}
	if len(dirs) == 0 {
		return out
	}
	mem, err := l.copyToMemory()
	if err != nil {
		l.addf(Diagnostic{Path: ".", Message: fmt.Sprintf("reading the source tree: %v", err)})
		return out
	}
	g := &kustomizeGraph{l: l, mem: mem, parsed: map[string]*kustomization{}, reached: map[string][]string{}}
	roots := g.roots(dirs)
	rec := &recordingFS{FileSystem: mem, read: out.read}
	covered := map[string]bool{}
	for _, k := range roots {
		for _, d := range g.reach(k) {
			covered[d] = true
		}
		if g.report(k) {
			continue
		}
		out.entries = append(out.entries, l.runKustomize(rec, mem, k)...)
	}
	// What no root covers is caught in a cycle: report it rather than drop it silently.
	for _, dir := range dirs {
		if k := g.get(dir); !covered[dir] && k.spec.Kind != kusttypes.ComponentKind {
			g.report(k)
		}
	}
	return out
}

// kustomizeGraph is the kustomizations of a tree and what uses what.
type kustomizeGraph struct {
	l       *loader
	mem     filesys.FileSystem
	parsed  map[string]*kustomization
	reached map[string][]string // reach results by directory
}

// get parses the kustomization of dir once.
func (g *kustomizeGraph) get(dir string) *kustomization {
	if k, ok := g.parsed[dir]; ok {
		return k
	}
	k := g.parse(dir, g.l.kustomizationFile(dir))
	g.parsed[dir] = k
	return k
}

// roots returns the kustomizations to build: the walked ones that are not components and
// that no other walked kustomization reaches. Cycles are reported on every member.
func (g *kustomizeGraph) roots(dirs []string) []*kustomization {
	reachedByOther := map[string]bool{}
	for _, dir := range dirs {
		k := g.get(dir)
		if k.spec.Kind == kusttypes.ComponentKind {
			continue // a component is only meaningful inside a kustomization that includes it
		}
		for _, d := range g.reach(k) {
			if d != dir {
				reachedByOther[d] = true
			}
		}
	}
	var roots []*kustomization
	for _, dir := range dirs {
		if k := g.get(dir); k.spec.Kind != kusttypes.ComponentKind && !reachedByOther[dir] {
			roots = append(roots, k)
		}
	}
	return roots
}

// reach returns the directories of every kustomization k uses, directly or not (k itself
// included), recording a problem on each kustomization of a cycle.
func (g *kustomizeGraph) reach(k *kustomization) []string {
	if out, ok := g.reached[k.dir]; ok {
		return out
	}
	var out []string
	defer func() { g.reached[k.dir] = out }()
	state := map[string]int{} // 1: on the current path, 2: done
	var stack []string
	var visit func(k *kustomization)
	visit = func(k *kustomization) {
		state[k.dir] = 1
		stack = append(stack, k.dir)
		out = append(out, k.dir)
		for _, d := range k.deps {
			switch state[d] {
			case 0:
				visit(g.get(d))
			case 1:
				// Name the cycle from its smallest member, so it reads the same whichever
				// kustomization the walk started from.
				members := slices.Clone(stack[slices.Index(stack, d):])
				first := slices.Index(members, slices.Min(members))
				cycle := append(append(members[first:], members[:first]...), members[first])
				msg := "kustomization cycle: " + strings.Join(cycle, " → ")
				for _, member := range members {
					m := g.get(member)
					if !slices.ContainsFunc(m.problems, func(p Diagnostic) bool { return p.Message == msg }) {
						m.problems = append(m.problems, Diagnostic{Path: m.file, Line: 1, Message: msg})
					}
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[k.dir] = 2
	}
	visit(k)
	return out
}

// report reports the problems of root and of every kustomization it uses, and says
// whether there were any (then root is not built).
func (g *kustomizeGraph) report(root *kustomization) bool {
	blocked := false
	for _, dir := range g.reach(root) {
		k := g.get(dir)
		for _, p := range k.problems {
			g.l.addf(p)
			if !blocked && k != root {
				g.l.addf(Diagnostic{Path: root.file, Line: 1,
					Message: fmt.Sprintf("cannot be built: it uses %s, which has an error (%s:%d)", k.dir, p.Path, p.Line)})
			}
			blocked = true
		}
	}
	return blocked
}

// copyToMemory copies every file of the tree (skipped directories excluded) into an in-memory
// file system for kustomize. Each kustomization asks kustomize to annotate objects with
// their origin, so that problems can be reported against the file that defines them.
func (l *loader) copyToMemory() (filesys.FileSystem, error) {
	mem := filesys.MakeFsInMemory()
	err := fs.WalkDir(l.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && skippedDir(d.Name()) {
				return fs.SkipDir
			}
			return mem.MkdirAll("/" + p)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := fs.ReadFile(l.fsys, p)
		if err != nil {
			return err
		}
		if slices.Contains(kustomizationFileNames, d.Name()) {
			data = withOriginAnnotations(data)
		}
		return mem.WriteFile("/"+p, data)
	})
	return mem, err
}

// withOriginAnnotations adds `buildMetadata: [originAnnotations]` to a kustomization file.
// Unparseable files are returned as they are: kustomize reports their errors itself.
func withOriginAnnotations(data []byte) []byte {
	var m map[string]any
	if err := sigsyaml.Unmarshal(data, &m); err != nil || m == nil {
		return data
	}
	meta, _ := m["buildMetadata"].([]any)
	if slices.Contains(meta, any(kusttypes.OriginAnnotations)) {
		return data
	}
	m["buildMetadata"] = append(meta, kusttypes.OriginAnnotations)
	out, err := sigsyaml.Marshal(m)
	if err != nil {
		return data
	}
	return out
}

// parse reads the kustomization file of dir and checks every path it names.
func (g *kustomizeGraph) parse(dir, file string) *kustomization {
	k := &kustomization{dir: dir, file: file}
	data, err := fs.ReadFile(g.l.fsys, file)
	if err != nil {
		k.problems = append(k.problems, Diagnostic{Path: file, Line: 1, Message: fmt.Sprintf("reading kustomization: %v", err)})
		return k
	}
	if docs, errs := splitDocuments(data); len(errs) == 0 && len(docs) == 1 {
		k.node = docs[0].node
	}
	if err := sigsyaml.UnmarshalStrict(data, &k.spec); err != nil {
		k.problems = append(k.problems, Diagnostic{Path: file, Line: 1, Message: fmt.Sprintf("invalid kustomization: %v", err)})
		return k
	}
	k.checkReferences(g.mem, g.l)
	return k
}

// checkReferences checks every path-valued field of the kustomization: each must name a
// file or directory of the repository. kustomize would fetch anything else over the network
// (URLs with HTTP, repository specs with git), which a render must never do.
func (k *kustomization) checkReferences(mem filesys.FileSystem, l *loader) {
	problem := func(field, msg string) {
		k.problems = append(k.problems, Diagnostic{Path: k.file, Line: lineOfField(k.node, field), Message: field + ": " + msg})
	}
	local := func(field, ref string) (string, bool) {
		target := path.Join(k.dir, ref)
		switch {
		case strings.Contains(ref, "://") || strings.HasPrefix(ref, "git@"):
			problem(field, fmt.Sprintf("remote reference %q is not supported: gitfleet renders only what the repository holds", ref))
		case path.IsAbs(ref) || target == ".." || strings.HasPrefix(target, "../"):
			problem(field, fmt.Sprintf("%q is outside the repository", ref))
		case !mem.Exists("/" + target):
			problem(field, fmt.Sprintf("%q does not exist in the repository (remote references are not supported)", ref))
		default:
			return target, true
		}
		return "", false
	}
	// uses records a reference to another kustomization, whose own references are then
	// checked too.
	uses := func(field, ref string) {
		if target, ok := local(field, ref); ok && mem.IsDir("/"+target) && l.kustomizationFile(target) != "" {
			k.deps = append(k.deps, target)
		}
	}
	sp := &k.spec
	for i, ref := range sp.Resources {
		uses(fmt.Sprintf("resources[%d]", i), ref)
	}
	for i, ref := range sp.Bases {
		uses(fmt.Sprintf("bases[%d]", i), ref)
	}
	for i, ref := range sp.Components {
		uses(fmt.Sprintf("components[%d]", i), ref)
	}
	for field, refs := range map[string][]string{"generators": sp.Generators, "transformers": sp.Transformers, "validators": sp.Validators} {
		for i, ref := range refs {
			f := fmt.Sprintf("%s[%d]", field, i)
			if strings.Contains(ref, "\n") {
				problem(f, "inline configurations are not supported: put the configuration in a file of the repository")
				continue
			}
			target, ok := local(f, ref)
			switch {
			case !ok:
			case mem.IsDir("/" + target):
				if l.kustomizationFile(target) != "" {
					k.deps = append(k.deps, target)
				}
			case declaresHelm(mem, target):
				problem(f, "HelmChartInflationGenerator is not supported: render the chart into the repository (helm template) instead")
			}
		}
	}
	for field, refs := range map[string][]string{"crds": sp.Crds, "configurations": sp.Configurations} {
		for i, ref := range refs {
			local(fmt.Sprintf("%s[%d]", field, i), ref)
		}
	}
	for i, p := range sp.PatchesStrategicMerge {
		if !strings.Contains(string(p), "\n") {
			local(fmt.Sprintf("patchesStrategicMerge[%d]", i), string(p))
		}
	}
	for i, p := range sp.Patches {
		if p.Path != "" {
			local(fmt.Sprintf("patches[%d].path", i), p.Path)
		}
	}
	for i, p := range sp.PatchesJson6902 {
		if p.Path != "" {
			local(fmt.Sprintf("patchesJson6902[%d].path", i), p.Path)
		}
	}
	for i, r := range sp.Replacements {
		if r.Path != "" {
			local(fmt.Sprintf("replacements[%d].path", i), r.Path)
		}
	}
	checkSources := func(field string, i int, src kusttypes.KvPairSources) {
		for j, f := range src.FileSources {
			_, file, found := strings.Cut(f, "=")
			if !found {
				file = f
			}
			local(fmt.Sprintf("%s[%d].files[%d]", field, i, j), file)
		}
		for j, e := range src.EnvSources {
			local(fmt.Sprintf("%s[%d].envs[%d]", field, i, j), e)
		}
		if src.EnvSource != "" {
			local(fmt.Sprintf("%s[%d].env", field, i), src.EnvSource)
		}
	}
	for i, g := range sp.ConfigMapGenerator {
		checkSources("configMapGenerator", i, g.KvPairSources)
	}
	for i, g := range sp.SecretGenerator {
		checkSources("secretGenerator", i, g.KvPairSources)
	}
	if len(sp.HelmCharts) > 0 || sp.HelmGlobals != nil || len(sp.HelmChartInflationGenerator) > 0 {
		problem("helmCharts", "Helm charts are not supported: render the chart into the repository (helm template) instead")
	}
	if len(sp.OpenAPI) > 0 {
		problem("openapi", "openapi is not supported: gitfleet decides the scope of kinds from the Kubernetes schema and the CRDs in the repository")
	}
	slices.SortFunc(k.problems, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Message, b.Message))
	})
}

// declaresHelm reports whether a generator configuration file declares a Helm chart, which
// kustomize would inflate by running the helm program.
func declaresHelm(mem filesys.FileSystem, file string) bool {
	data, err := mem.ReadFile("/" + file)
	if err != nil {
		return false
	}
	docs, _ := splitDocuments(data)
	for _, d := range docs {
		if d.object["kind"] == "HelmChartInflationGenerator" {
			return true
		}
	}
	return false
}

// runKustomize builds one kustomization and turns its objects into entries located at the
// file (and, where it can be found, the document) that defined them.
func (l *loader) runKustomize(rec *recordingFS, mem filesys.FileSystem, k *kustomization) []entry {
	resMap, err := kustomize(rec, path.Join("/", k.dir))
	if err != nil {
		// Paths in kustomize's errors are rooted at the in-memory copy's "/": show them
		// relative to the repository, as every other diagnostic is.
		msg := treePathPattern.ReplaceAllStringFunc(strings.ReplaceAll(err.Error(), "\n", " "), func(m string) string {
			if p := strings.Trim(m, "'"); mem.Exists(p) || mem.Exists(path.Dir(p)) {
				return "'" + strings.TrimPrefix(p, "/") + "'"
			}
			return m
		})
		l.addf(Diagnostic{Path: k.file, Line: 1, Message: "kustomize build failed: " + msg})
		return nil
	}
	userWantsOrigin := slices.Contains(k.spec.BuildMetadata, kusttypes.OriginAnnotations)
	var entries []entry
	for _, res := range resMap.Resources() {
		origin := l.kustomizeOrigin(k, res)
		if !userWantsOrigin {
			if err := res.SetOrigin(nil); err != nil {
				l.addf(Diagnostic{Path: k.file, Line: 1, Message: fmt.Sprintf("kustomize output: %v", err)})
				continue
			}
		}
		obj, err := res.Map()
		if err != nil {
			l.addf(Diagnostic{Path: k.file, Line: 1, Message: fmt.Sprintf("kustomize output: %v", err)})
			continue
		}
		if ann, ok := obj["metadata"].(map[string]any); ok {
			if a, ok := ann["annotations"].(map[string]any); ok && len(a) == 0 {
				delete(ann, "annotations")
			}
		}
		value, err := normalizeJSON(obj)
		if err != nil {
			l.addf(Diagnostic{Path: origin.Path, Line: origin.Line, Message: err.Error()})
			continue
		}
		origin.Kustomization = k.dir
		entries = append(entries, entry{origin: origin, object: value})
	}
	return entries
}

// kustomizeOrigin locates the document a built object came from, by kustomize's origin
// annotation and the object's kind and name.
func (l *loader) kustomizeOrigin(k *kustomization, res *resource.Resource) Origin {
	o, err := res.GetOrigin()
	if err != nil || o == nil || o.Path == "" || o.Repo != "" {
		return Origin{Path: k.file, Line: 1}
	}
	file := path.Join(k.dir, o.Path)
	if o.ConfiguredIn != "" {
		file = path.Join(k.dir, o.ConfiguredIn)
	}
	docs := l.documentsOf(file)
	if docs == nil {
		return Origin{Path: file, Line: 1}
	}
	// kustomize may have added a prefix, a suffix or a content hash to the name: the
	// document whose name is the longest part of the built name is the one.
	kind, name := res.GetKind(), res.GetName()
	var best *document
	bestLen, sameKind := -1, 0
	for i, d := range docs {
		if d.object["kind"] != kind {
			continue
		}
		sameKind++
		docName, _ := nestedString(d.object, "metadata", "name")
		if docName != "" && strings.Contains(name, docName) && len(docName) > bestLen {
			best, bestLen = &docs[i], len(docName)
		}
		if sameKind == 1 && best == nil {
			best, bestLen = &docs[i], -1 // the only one of its kind, unless a name matches
		}
	}
	if best != nil && (bestLen >= 0 || sameKind == 1) {
		return Origin{Path: file, Line: best.line, doc: best.node}
	}
	return Origin{Path: file, Line: docs[0].line}
}

// documentsOf parses a file of the tree once and remembers the result.
func (l *loader) documentsOf(file string) []document {
	if docs, ok := l.parsed[file]; ok {
		return docs
	}
	data, err := fs.ReadFile(l.fsys, file)
	var docs []document
	if err == nil {
		docs, _ = splitDocuments(data)
	}
	l.parsed[file] = docs
	return docs
}

// recordingFS remembers which files kustomize read.
type recordingFS struct {
	filesys.FileSystem
	mu   sync.Mutex
	read map[string]bool
}

// ReadFile reads a file and records that it was used by a build.
func (r *recordingFS) ReadFile(p string) ([]byte, error) {
	r.mu.Lock()
	r.read[strings.TrimPrefix(path.Clean(p), "/")] = true
	r.mu.Unlock()
	return r.FileSystem.ReadFile(p)
}

// treePathPattern finds quoted absolute paths in kustomize's messages.
var treePathPattern = regexp.MustCompile(`'/[^']*'`)

// kustomize builds one directory. kustomize is a large third-party engine fed with
// repository content: a panic inside it becomes an error about that kustomization instead of
// taking the whole render down.
func kustomize(fsys filesys.FileSystem, dir string) (m resmap.ResMap, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("kustomize panicked: %v", r)
		}
	}()
	opts := krusty.MakeDefaultOptions()
	opts.LoadRestrictions = kusttypes.LoadRestrictionsNone
	return krusty.MakeKustomizer(opts).Run(fsys, dir)
}
