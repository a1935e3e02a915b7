package fleetgen

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer"
)

// KustomizeOverlays expresses a render the way a team without gitfleet would keep it: plain
// kustomize overlays, one per member cluster. It is the comparator of BENCHMARKS.md S1
// (`kubectl kustomize` over one overlay per cluster).
//
// source is the fleet's source tree and rendered the tree gitfleet rendered from it; the
// overlays reproduce, per cluster, the objects of rendered's karmada-es-<cluster>/ directory:
//
//   - base/<file>/ holds each resource template once, as in the source: one base per source
//     file (for a generated fleet, one per app, plus one per namespace), with its own
//     kustomization.yaml;
//   - clusters/<cluster>/kustomization.yaml lists the bases of the templates the cluster
//     receives, resources.yaml holds what it receives without a template (namespaces gitfleet
//     creates, ResourceQuotas), and patches/ one strategic-merge patch per object whose
//     rendered manifest differs from its template — plus a `$patch: delete` patch per object
//     of a listed base that the cluster does not receive (a Divided Deployment with no
//     replicas there, say).
//
// A difference patch holds the object's identity and every field that differs from the
// template, recursively through maps; a field the rendered manifest lacks is set to null
// (which deletes it), and a list that differs is written whole. Written by hand, patches
// would be smaller — a team writes one rule per region or tier, not one file per object —
// but kustomize would then have to evaluate the same rules gitfleet does; one patch per
// object measures the build, not a rule engine, and keeps the output checkable. Strategic
// merge joins lists with merge keys (containers, env, ports) by key, so list order may
// differ from the rendered manifest, and list items the render removed would survive; the
// generated fleets' overrides only add and replace.
func KustomizeOverlays(source, rendered fs.FS) (*renderer.Tree, error) {
	src, err := renderer.LoadSource(source, renderer.LoadOptions{})
	if err != nil {
		return nil, fmt.Errorf("loading the source: %w", err)
	}
	o := &overlays{
		out:       renderer.NewTree(),
		rendered:  rendered,
		templates: map[renderer.ObjectKey]*overlayTemplate{},
		bases:     map[string][]renderer.ObjectKey{},
		patches:   map[patchKey][]byte{},
	}
	if err := o.writeBases(src); err != nil {
		return nil, err
	}
	clusters, err := renderedClusters(rendered)
	if err != nil {
		return nil, err
	}
	for _, cluster := range clusters {
		if err := o.writeOverlay(cluster); err != nil {
			return nil, fmt.Errorf("overlay of cluster %s: %w", cluster, err)
		}
	}
	return o.out, nil
}

// overlays holds the state of one KustomizeOverlays call.
type overlays struct {
	out      *renderer.Tree
	rendered fs.FS
	// templates are the source's resource templates by key.
	templates map[renderer.ObjectKey]*overlayTemplate
	// bases lists the templates of each base directory.
	bases map[string][]renderer.ObjectKey
	// patches caches the difference patch of a template and a rendered manifest digest (nil:
	// no difference): most manifests are identical across many clusters.
	patches map[patchKey][]byte
}

// overlayTemplate is one resource template as a base holds it.
type overlayTemplate struct {
	apiVersion string
	// base is the base directory holding the template.
	base string
	// object is the template as JSON values (float64 numbers), as a parsed manifest is.
	object map[string]any
}

// patchKey identifies a difference patch.
type patchKey struct {
	template renderer.ObjectKey
	digest   string
}

const overlayKustomizationHeader = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"

// writeBases writes base/<source file without extension>/ for every source file holding
// resource templates: the templates, and a kustomization.yaml listing them.
func (o *overlays) writeBases(src *renderer.Source) error {
	files := map[string][]string{} // base directory → template documents
	for _, tpl := range src.Templates {
		key := renderer.ObjectKey{Group: tpl.GroupVersionKind().Group, Kind: tpl.GetKind(), Namespace: tpl.GetNamespace(), Name: tpl.GetName()}
		origin, _ := src.Origin(key)
		file := origin.Path
		if file == "" {
			file = "templates.yaml"
		}
		base := "base/" + strings.TrimSuffix(file, path.Ext(file))
		object, err := jsonValues(tpl.Object)
		if err != nil {
			return fmt.Errorf("template %s: %w", key, err)
		}
		doc, err := yaml.Marshal(tpl.Object)
		if err != nil {
			return fmt.Errorf("template %s: %w", key, err)
		}
		o.templates[key] = &overlayTemplate{apiVersion: tpl.GetAPIVersion(), base: base, object: object}
		o.bases[base] = append(o.bases[base], key)
		files[base] = append(files[base], string(doc))
	}
	for base, docs := range files {
		name := path.Base(base) + ".yaml"
		o.out.Put(base+"/"+name, []byte(strings.Join(docs, "---\n")))
		o.out.Put(base+"/kustomization.yaml", []byte(overlayKustomizationHeader+"resources:\n- "+name+"\n"))
	}
	return nil
}

// renderedClusters lists the clusters of a rendered tree, sorted.
func renderedClusters(rendered fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(rendered, ".")
	if err != nil {
		return nil, fmt.Errorf("reading the rendered tree: %w", err)
	}
	var clusters []string
	for _, e := range entries {
		if cluster, ok := strings.CutPrefix(e.Name(), v1alpha1.ExecutionSpacePrefix); ok && e.IsDir() {
			clusters = append(clusters, cluster)
		}
	}
	if len(clusters) == 0 {
		return nil, errors.New("the rendered tree has no " + v1alpha1.ExecutionSpacePrefix + "<cluster> directories")
	}
	return clusters, nil
}

// clusterOverlay is what one cluster's kustomization lists.
type clusterOverlay struct {
	bases    map[string]bool
	received map[renderer.ObjectKey]bool
	// patches are patch contents by path inside the overlay.
	patches map[string][]byte
	// locals are the manifests of objects without a template.
	locals [][]byte
}

// writeOverlay writes clusters/<cluster>/ from the cluster's rendered directory.
func (o *overlays) writeOverlay(cluster string) error {
	dir := v1alpha1.ExecutionSpacePrefix + cluster
	inv, err := readInventory(o.rendered, dir)
	if err != nil {
		return err
	}
	c := &clusterOverlay{bases: map[string]bool{}, received: map[renderer.ObjectKey]bool{}, patches: map[string][]byte{}}
	for _, e := range inv.Objects {
		if err := o.addObject(c, dir, e); err != nil {
			return fmt.Errorf("%s/%s: %w", dir, e.Path, err)
		}
	}
	o.addDeletePatches(c)
	o.putOverlay("clusters/"+cluster, c)
	return nil
}

// readInventory reads the inventory of one rendered cluster directory.
func readInventory(rendered fs.FS, dir string) (*v1alpha1.ClusterInventory, error) {
	file := dir + "/" + v1alpha1.ClusterInventoryFileName
	data, err := fs.ReadFile(rendered, file)
	if err != nil {
		return nil, fmt.Errorf("reading the inventory: %w", err)
	}
	var inv v1alpha1.ClusterInventory
	if err := yaml.Unmarshal(data, &inv); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &inv, nil
}

// addObject adds one rendered object to a cluster's overlay: its template's base and a patch
// when they differ, or the manifest itself when it has no template.
func (o *overlays) addObject(c *clusterOverlay, dir string, e v1alpha1.InventoryEntry) error {
	gv, err := schema.ParseGroupVersion(e.APIVersion)
	if err != nil {
		return err
	}
	key := renderer.ObjectKey{Group: gv.Group, Kind: e.Kind, Namespace: e.Namespace, Name: e.Name}
	tpl, ok := o.templates[key]
	if !ok {
		data, err := fs.ReadFile(o.rendered, dir+"/"+e.Path)
		if err != nil {
			return err
		}
		c.locals = append(c.locals, data)
		return nil
	}
	c.bases[tpl.base] = true
	c.received[key] = true
	patch, err := o.differencePatch(key, tpl, dir, e)
	if err != nil {
		return err
	}
	if patch != nil {
		c.patches["patches/"+e.Path] = patch
	}
	return nil
}

// differencePatch returns the strategic-merge patch turning a template into its rendered
// manifest, nil when they are equal.
func (o *overlays) differencePatch(key renderer.ObjectKey, tpl *overlayTemplate, dir string, e v1alpha1.InventoryEntry) ([]byte, error) {
	pk := patchKey{template: key, digest: e.Digest}
	if patch, ok := o.patches[pk]; ok && e.Digest != "" {
		return patch, nil
	}
	data, err := fs.ReadFile(o.rendered, dir+"/"+e.Path)
	if err != nil {
		return nil, err
	}
	var manifest map[string]any
	if err := yaml.Unmarshal(data, &manifest); err != nil {
		return nil, err
	}
	var patch []byte
	if diff := mergePatch(tpl.object, manifest); diff != nil {
		if patch, err = yaml.Marshal(withIdentity(diff, tpl.apiVersion, key)); err != nil {
			return nil, err
		}
	}
	o.patches[pk] = patch
	return patch, nil
}

// addDeletePatches removes from a cluster's overlay the objects of its bases it does not
// receive.
func (o *overlays) addDeletePatches(c *clusterOverlay) {
	for base := range c.bases {
		for _, key := range o.bases[base] {
			if c.received[key] {
				continue
			}
			patch := withIdentity(map[string]any{"$patch": "delete"}, o.templates[key].apiVersion, key)
			data, _ := yaml.Marshal(patch) // strings only: cannot fail
			c.patches["patches/delete/"+renderer.ManifestPath(key.Group, key.Kind, key.Namespace, key.Name)] = data
		}
	}
}

// putOverlay writes one cluster's overlay: kustomization.yaml, resources.yaml and patches.
func (o *overlays) putOverlay(dir string, c *clusterOverlay) {
	var k strings.Builder
	k.WriteString(overlayKustomizationHeader)
	k.WriteString("resources:\n")
	for _, base := range slices.Sorted(maps.Keys(c.bases)) {
		fmt.Fprintf(&k, "- ../../%s\n", base)
	}
	if len(c.locals) > 0 {
		k.WriteString("- resources.yaml\n")
		o.out.Put(dir+"/resources.yaml", joinDocuments(c.locals))
	}
	if len(c.patches) > 0 {
		k.WriteString("patches:\n")
		for _, p := range slices.Sorted(maps.Keys(c.patches)) {
			fmt.Fprintf(&k, "- path: %s\n", p)
			o.out.Put(dir+"/"+p, c.patches[p])
		}
	}
	o.out.Put(dir+"/kustomization.yaml", []byte(k.String()))
}

// joinDocuments joins YAML documents into one stream.
func joinDocuments(docs [][]byte) []byte {
	var out []byte
	for i, d := range docs {
		if i > 0 {
			out = append(out, "---\n"...)
		}
		out = append(out, d...)
	}
	return out
}

// mergePatch returns the strategic-merge patch body turning template into rendered: the
// fields whose values differ carry the rendered value, maps compared key by key; fields the
// rendered object lacks are null. It returns nil when the two are equal.
func mergePatch(template, rendered map[string]any) map[string]any {
	patch := map[string]any{}
	for k, rv := range rendered {
		tv, ok := template[k]
		if ok && reflect.DeepEqual(tv, rv) {
			continue
		}
		tm, tIsMap := tv.(map[string]any)
		rm, rIsMap := rv.(map[string]any)
		if tIsMap && rIsMap {
			if sub := mergePatch(tm, rm); sub != nil {
				patch[k] = sub
			}
			continue
		}
		patch[k] = rv
	}
	for k := range template {
		if _, ok := rendered[k]; !ok {
			patch[k] = nil
		}
	}
	if len(patch) == 0 {
		return nil
	}
	return patch
}

// withIdentity adds the object's apiVersion, kind, name and namespace to a patch body, which
// is how kustomize finds the object a strategic-merge patch is for.
func withIdentity(patch map[string]any, apiVersion string, key renderer.ObjectKey) map[string]any {
	meta, _ := patch["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
	}
	meta["name"] = key.Name
	if key.Namespace != "" {
		meta["namespace"] = key.Namespace
	}
	patch["metadata"] = meta
	patch["apiVersion"] = apiVersion
	patch["kind"] = key.Kind
	return patch
}

// jsonValues converts an object's values to what decoding JSON gives (float64 numbers), so
// a template compares equal to a manifest parsed from YAML.
func jsonValues(obj map[string]any) (map[string]any, error) {
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	return out, nil
}
