package renderer

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ObjectKey identifies an object of a source tree. Group is the API group (empty for the
// core group); Namespace is empty for cluster-scoped objects.
type ObjectKey struct {
	Group     string
	Kind      string
	Namespace string
	Name      string
}

// String renders the key as group/Kind/namespace/name, leaving out empty parts.
func (k ObjectKey) String() string {
	parts := []string{k.Kind, k.Name}
	if k.Namespace != "" {
		parts = []string{k.Kind, k.Namespace, k.Name}
	}
	if k.Group != "" {
		parts = append([]string{k.Group}, parts...)
	}
	return strings.Join(parts, "/")
}

func compareKeys(a, b ObjectKey) int {
	return cmp.Or(cmp.Compare(a.Group, b.Group), cmp.Compare(a.Kind, b.Kind),
		cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
}

// Origin says where an object of the source tree was defined.
type Origin struct {
	// Path is the file, relative to the tree root.
	Path string
	// Line is the 1-based line where the object's document starts in Path.
	Line int
	// Kustomization is the directory of the kustomization that built the object, if any.
	Kustomization string

	doc *yaml.Node // the defining document, when known; used to locate fields
}

// String renders the origin as path:line.
func (o Origin) String() string { return fmt.Sprintf("%s:%d", o.Path, o.Line) }

// Source is the typed model of a fleet repository's source tree: everything rendering reads.
// Every list is sorted by namespace and name (templates by group, kind, namespace, name).
type Source struct {
	// FleetConfig holds the switches that change rendering, defaulted. When the tree has no
	// FleetConfig it is v1alpha1.DefaultFleetConfig().
	FleetConfig *v1alpha1.FleetConfig

	// Clusters are the member clusters (cluster.karmada.io Cluster), defaulted.
	Clusters []*v1alpha1.Cluster
	// PropagationPolicies and ClusterPropagationPolicies decide where templates go.
	PropagationPolicies        []*v1alpha1.PropagationPolicy
	ClusterPropagationPolicies []*v1alpha1.ClusterPropagationPolicy
	// OverridePolicies and ClusterOverridePolicies change templates per cluster.
	OverridePolicies        []*v1alpha1.OverridePolicy
	ClusterOverridePolicies []*v1alpha1.ClusterOverridePolicy
	// FederatedResourceQuotas become ResourceQuotas in the clusters they assign.
	FederatedResourceQuotas []*v1alpha1.FederatedResourceQuota
	// ClusterTaintPolicies taint clusters by their conditions (the hub applies them).
	ClusterTaintPolicies []*v1alpha1.ClusterTaintPolicy
	// InterpreterCustomizations teach the interpreter about kinds it does not know.
	InterpreterCustomizations []*v1alpha1.ResourceInterpreterCustomization
	// MultiClusterServices expose Services across clusters.
	MultiClusterServices []*v1alpha1.MultiClusterService
	// WorkloadRebalancers ask for workloads to be rescheduled from scratch.
	WorkloadRebalancers []*v1alpha1.WorkloadRebalancer

	// Templates are the resource templates: every object that is not one of the kinds above.
	Templates []*unstructured.Unstructured

	origins map[ObjectKey]Origin
}

// Origin returns where the object with the given key was defined.
func (s *Source) Origin(key ObjectKey) (Origin, bool) {
	o, ok := s.origins[key]
	return o, ok
}

// LoadOptions tune LoadSource.
type LoadOptions struct {
	// Epoch is the time that defaulting uses where Karmada would use "now" (for example the
	// timeAdded of a NoExecute taint written without one). Normally the source commit's time,
	// so that the same commit always loads the same way; zero leaves such times unset.
	Epoch metav1.Time
}

// LoadSource reads a fleet repository's source tree.
//
// The tree is walked in lexical order, skipping dot-directories and karmada-es-* directories.
// A directory holding a kustomization file is built with kustomize (unless another
// kustomization uses it, then it is built only through its users) and its subtree is not read
// otherwise; every other *.yaml / *.yml file is read as a multi-document YAML stream.
// Objects are classified by apiVersion and kind, defaulted as Karmada's webhooks would, and
// validated. When anything is wrong the error is a Diagnostics value listing every problem.
func LoadSource(fsys fs.FS, opts LoadOptions) (*Source, error) {
	l := &loader{fsys: fsys, opts: opts, parsed: map[string][]document{}, src: &Source{origins: map[ObjectKey]Origin{}}}
	files, kdirs := l.walk()
	build := l.buildKustomizations(kdirs)
	entries := build.entries
	for _, f := range files {
		if build.read[f] {
			continue // a kustomization uses this file; its objects come from that build
		}
		entries = append(entries, l.readFile(f)...)
	}
	l.classify(entries)
	if len(l.diags) > 0 {
		return nil, l.diags.sorted()
	}
	l.src.sort()
	return l.src, nil
}

// loader holds the state of one LoadSource call.
type loader struct {
	fsys   fs.FS
	opts   LoadOptions
	parsed map[string][]document
	diags  Diagnostics
	src    *Source
}

// entry is one object read from the tree, before classification. Its origin's document,
// when known, locates fields by line.
type entry struct {
	origin Origin
	object map[string]any
}

func (l *loader) addf(d Diagnostic) { l.diags = append(l.diags, d) }

// walk lists the YAML files to read and the kustomization directories to build.
func (l *loader) walk() (files, kustomizeDirs []string) {
	var visit func(dir string)
	visit = func(dir string) {
		if l.kustomizationFile(dir) != "" {
			kustomizeDirs = append(kustomizeDirs, dir)
			return
		}
		ents, err := fs.ReadDir(l.fsys, dir)
		if err != nil {
			l.addf(Diagnostic{Path: dir, Message: fmt.Sprintf("reading directory: %v", err)})
			return
		}
		for _, e := range ents {
			name := e.Name()
			p := path.Join(dir, name)
			switch {
			case e.IsDir():
				if skippedDir(name) {
					continue
				}
				visit(p)
			case e.Type()&fs.ModeSymlink != 0:
				// A link could point anywhere, even outside the repository; the tree must
				// say what it means in files of its own.
				if isYAMLFile(name) || isDir(l.fsys, p) {
					l.addf(Diagnostic{Path: p, Message: "symbolic links are not followed: replace the link with the file or directory it points to"})
				}
			case e.Type().IsRegular() && isYAMLFile(name):
				files = append(files, p)
			}
		}
	}
	visit(".")
	return files, kustomizeDirs
}

func isYAMLFile(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

func isDir(fsys fs.FS, p string) bool {
	info, err := fs.Stat(fsys, p)
	return err == nil && info.IsDir()
}

// skippedDir reports whether a directory of the tree is never read: dot-directories (.git,
// .github, ...) and karmada-es-* directories, which hold rendered output.
func skippedDir(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "karmada-es-")
}

// kustomizationFile returns the kustomization file of dir, or "" when dir is no kustomization.
func (l *loader) kustomizationFile(dir string) string {
	for _, name := range kustomizationFileNames {
		p := path.Join(dir, name)
		if info, err := fs.Stat(l.fsys, p); err == nil && info.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// readFile reads one plain YAML file into entries.
func (l *loader) readFile(file string) []entry {
	data, err := fs.ReadFile(l.fsys, file)
	if err != nil {
		l.addf(Diagnostic{Path: file, Message: fmt.Sprintf("reading file: %v", err)})
		return nil
	}
	docs, errs := splitDocuments(data)
	for _, err := range errs {
		var ye *yamlError
		line := 0
		if errors.As(err, &ye) {
			line = ye.line
		}
		l.addf(Diagnostic{Path: file, Line: line, Message: err.Error()})
	}
	entries := make([]entry, 0, len(docs))
	for _, d := range docs {
		entries = append(entries, entry{origin: Origin{Path: file, Line: d.line, doc: d.node}, object: d.object})
	}
	return entries
}

// sort orders every list of the model by identity, so consumers see a stable order.
func (s *Source) sort() {
	sortByMeta(s.Clusters)
	sortByMeta(s.PropagationPolicies)
	sortByMeta(s.ClusterPropagationPolicies)
	sortByMeta(s.OverridePolicies)
	sortByMeta(s.ClusterOverridePolicies)
	sortByMeta(s.FederatedResourceQuotas)
	sortByMeta(s.ClusterTaintPolicies)
	sortByMeta(s.InterpreterCustomizations)
	sortByMeta(s.MultiClusterServices)
	sortByMeta(s.WorkloadRebalancers)
	slices.SortFunc(s.Templates, func(a, b *unstructured.Unstructured) int {
		return compareKeys(templateKey(a), templateKey(b))
	})
}

// sortByMeta sorts objects of one kind by namespace, then name.
func sortByMeta[T metav1.Object](objs []T) {
	slices.SortFunc(objs, func(a, b T) int {
		return cmp.Or(cmp.Compare(a.GetNamespace(), b.GetNamespace()), cmp.Compare(a.GetName(), b.GetName()))
	})
}
