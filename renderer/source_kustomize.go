package renderer

import (
	"fmt"
	"io/fs"
	"path"
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
	// deps are the kustomization directories it uses as resources, bases or components.
	deps []string
	// blocked holds a diagnostic when the kustomization cannot be built here at all
	// (a remote resource, a Helm chart) — and so cannot any kustomization that uses it.
	blocked *Diagnostic
	// inherited says blocked was caused by a kustomization this one uses.
	inherited bool
}

// kustomizeBuild is the result of building the kustomizations of a tree.
type kustomizeBuild struct {
	entries []entry
	// read is every file a build read, so those files are not read again as plain YAML.
	read map[string]bool
}

// buildKustomizations builds every kustomization that no other kustomization uses (a
// kustomization used as a resource, base or component is built only through its users).
// Builds run on an in-memory copy of the tree, so kustomize can reach nothing outside it.
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
	all := l.parseKustomizations(mem)
	used := map[string]bool{}
	for _, k := range all {
		for _, d := range k.deps {
			used[d] = true
		}
	}
	blockAll(all)
	for _, k := range all {
		if k.blocked != nil && !k.inherited {
			l.addf(*k.blocked)
		}
	}

	rec := &recordingFS{FileSystem: mem, read: out.read}
	for _, dir := range dirs {
		k := all[dir]
		if k == nil || used[dir] {
			continue
		}
		if k.blocked != nil {
			if k.inherited {
				l.addf(*k.blocked)
			}
			continue
		}
		if k.spec.Kind == kusttypes.ComponentKind {
			continue // a component is only meaningful inside a kustomization that includes it
		}
		out.entries = append(out.entries, l.runKustomize(rec, k)...)
	}
	return out
}

// copyToMemory copies every file of the tree (dot-directories excluded) into an in-memory
// file system for kustomize. Each kustomization asks kustomize to annotate objects with
// their origin, so that problems can be reported against the file that defines them.
func (l *loader) copyToMemory() (filesys.FileSystem, error) {
	mem := filesys.MakeFsInMemory()
	err := fs.WalkDir(l.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
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

// parseKustomizations reads every kustomization file of the tree (also those nested in
// other kustomizations' directories) and works out which directories each one uses.
func (l *loader) parseKustomizations(mem filesys.FileSystem) map[string]*kustomization {
	all := map[string]*kustomization{}
	_ = fs.WalkDir(l.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			if file := l.kustomizationFile(p); file != "" {
				all[p] = l.parseKustomization(mem, p, file)
			}
		}
		return nil
	})
	return all
}

func (l *loader) parseKustomization(mem filesys.FileSystem, dir, file string) *kustomization {
	k := &kustomization{dir: dir, file: file}
	data, err := fs.ReadFile(l.fsys, file)
	if err != nil {
		k.blocked = &Diagnostic{Path: file, Line: 1, Message: fmt.Sprintf("reading kustomization: %v", err)}
		return k
	}
	if docs, err := splitDocuments(data); err == nil && len(docs) == 1 {
		k.node = docs[0].node
	}
	if err := sigsyaml.Unmarshal(data, &k.spec); err != nil {
		return k // kustomize reports it when building
	}
	refs := func(field string, list []string) {
		for i, ref := range list {
			target := path.Join(dir, ref)
			switch {
			case !strings.HasPrefix(target, "../") && target != ".." && mem.IsDir("/"+target):
				if l.kustomizationFile(target) != "" {
					k.deps = append(k.deps, target)
				}
			case !strings.HasPrefix(target, "../") && target != ".." && mem.Exists("/"+target):
			case looksRemote(ref):
				k.blocked = &Diagnostic{Path: file, Line: lineOfField(k.node, fmt.Sprintf("%s[%d]", field, i)),
					Message: fmt.Sprintf("%s[%d]: remote resource %q is not supported: gitfleet renders only what the repository holds", field, i, ref)}
			}
		}
	}
	refs("resources", k.spec.Resources)
	refs("bases", k.spec.Bases)
	refs("components", k.spec.Components)
	if len(k.spec.HelmCharts) > 0 && k.blocked == nil {
		k.blocked = &Diagnostic{Path: file, Line: lineOfField(k.node, "helmCharts"),
			Message: "helmCharts are not supported: render the chart into the repository (helm template) instead"}
	}
	return k
}

// blockAll marks every kustomization that uses a blocked one (directly or not) as blocked
// too, with a message that names the cause.
func blockAll(all map[string]*kustomization) {
	state := map[string]int{} // 0 unvisited, 1 in progress, 2 done
	var visit func(dir string) *Diagnostic
	visit = func(dir string) *Diagnostic {
		k := all[dir]
		if k == nil || state[dir] == 1 {
			return nil
		}
		if state[dir] == 2 {
			return k.blocked
		}
		state[dir] = 1
		for _, d := range k.deps {
			if cause := visit(d); cause != nil && k.blocked == nil {
				k.blocked = &Diagnostic{Path: k.file, Line: 1,
					Message: fmt.Sprintf("cannot be built: it uses %s, which has an error (%s:%d)", d, cause.Path, cause.Line)}
				k.inherited = true
			}
		}
		state[dir] = 2
		return k.blocked
	}
	for dir := range all {
		visit(dir)
	}
}

// looksRemote reports whether a kustomization resource refers to something outside the
// repository (which kustomize would try to clone).
func looksRemote(ref string) bool {
	if strings.Contains(ref, "://") || strings.HasPrefix(ref, "git@") || strings.Contains(ref, "?ref=") {
		return true
	}
	first, _, found := strings.Cut(ref, "/")
	return found && strings.Contains(first, ".") && first != "." && first != ".."
}

// runKustomize builds one kustomization and turns its objects into entries located at the
// file (and, where it can be found, the document) that defined them.
func (l *loader) runKustomize(rec *recordingFS, k *kustomization) []entry {
	resMap, err := kustomize(rec, "/"+k.dir)
	if err != nil {
		// Paths in kustomize's errors are rooted at the in-memory copy's "/": show them
		// relative to the repository, as every other diagnostic is.
		msg := strings.NewReplacer("\n", " ", "'/", "'").Replace(err.Error())
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
		entries = append(entries, entry{origin: origin, node: origin.doc, object: value})
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
	kind, name := res.GetKind(), res.GetName()
	var sameKind []document
	for _, d := range docs {
		if d.object["kind"] != kind {
			continue
		}
		sameKind = append(sameKind, d)
		if docName, _ := nestedString(d.object, "metadata", "name"); docName != "" && strings.Contains(name, docName) {
			return Origin{Path: file, Line: d.line, doc: d.node}
		}
	}
	if len(sameKind) == 1 {
		return Origin{Path: file, Line: sameKind[0].line, doc: sameKind[0].node}
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
