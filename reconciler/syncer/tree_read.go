package syncer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ErrInvalidTree marks a cluster directory the syncer refuses to apply: no inventory, a
// listed manifest missing or not matching its digest, or a manifest that is not the object
// the inventory says. Nothing is changed in the member cluster. The error is terminal:
// retrying the same tree cannot succeed.
var ErrInvalidTree = errors.New("invalid rendered cluster directory")

// objectKey identifies an object in a member cluster independently of the API version it
// is served at, so a manifest moving from v1beta1 to v1 is not a prune and a create.
type objectKey struct {
	Group, Kind, Namespace, Name string
}

// String formats the key as group/kind namespace/name for messages.
func (k objectKey) String() string {
	gk := schema.GroupKind{Group: k.Group, Kind: k.Kind}.String()
	if k.Namespace == "" {
		return gk + " " + k.Name
	}
	return gk + " " + k.Namespace + "/" + k.Name
}

// desiredObject is one manifest of the cluster directory, ready to apply.
type desiredObject struct {
	path   string
	digest string
	key    objectKey
	// obj is the manifest with ManagedLabel added.
	obj *unstructured.Unstructured
	// overwrite is set when the manifest carries conflict-resolution overwrite.
	overwrite bool
}

// gvk is the object's group, version and kind.
func (d *desiredObject) gvk() schema.GroupVersionKind { return d.obj.GroupVersionKind() }

// clusterTree is a verified cluster directory.
type clusterTree struct {
	cluster string
	objects []*desiredObject
}

// readTree reads and verifies the directory: the inventory must exist, name cluster (when
// cluster is not empty), and every listed manifest must exist, match its digest and be the
// object listed. Every failure wraps ErrInvalidTree. Manifests are decoded in parallel, and
// only those cache has not seen: most manifests are the same from one sync to the next.
func readTree(dir fs.FS, cluster string, cache *manifestCache) (*clusterTree, error) {
	inv, err := ReadInventory(dir)
	if err != nil {
		return nil, err
	}
	if cluster != "" && inv.Cluster != cluster {
		return nil, fmt.Errorf("%w: %s is for cluster %q, not %q", ErrInvalidTree, v1alpha1.ClusterInventoryFileName, inv.Cluster, cluster)
	}
	objects := make([]*desiredObject, len(inv.Objects))
	errs := make([]error, len(inv.Objects))
	forEach(len(inv.Objects), runtime.GOMAXPROCS(0), func(i int) {
		objects[i], errs[i] = readManifest(dir, inv.Objects[i], cache)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	seen := make(map[objectKey]string, len(objects))
	for _, d := range objects {
		if other, dup := seen[d.key]; dup {
			return nil, fmt.Errorf("%w: %s and %s are both %s", ErrInvalidTree, other, d.path, d.key)
		}
		seen[d.key] = d.path
	}
	cache.rotate()
	return &clusterTree{cluster: inv.Cluster, objects: objects}, nil
}

// ReadInventory reads the inventory (.gitfleet-cluster.yaml) of a cluster's directory of a
// rendered tree; an error matching ErrInvalidTree when it is missing or not an inventory.
func ReadInventory(dir fs.FS) (*v1alpha1.ClusterInventory, error) {
	name := v1alpha1.ClusterInventoryFileName
	data, err := fs.ReadFile(dir, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: no %s; refusing to change anything", ErrInvalidTree, name)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	inv := &v1alpha1.ClusterInventory{}
	if err := yaml.UnmarshalStrict(data, inv); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalidTree, name, err)
	}
	if inv.Kind != "ClusterInventory" {
		return nil, fmt.Errorf("%w: %s holds kind %q, not ClusterInventory", ErrInvalidTree, name, inv.Kind)
	}
	return inv, nil
}

// readManifest reads, verifies and decodes the manifest of one inventory entry.
func readManifest(dir fs.FS, entry v1alpha1.InventoryEntry, cache *manifestCache) (*desiredObject, error) {
	if !fs.ValidPath(entry.Path) || entry.Path == v1alpha1.ClusterInventoryFileName {
		return nil, fmt.Errorf("%w: inventory lists invalid path %q", ErrInvalidTree, entry.Path)
	}
	data, err := fs.ReadFile(dir, entry.Path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s listed in the inventory: %w", ErrInvalidTree, entry.Path, err)
	}
	sum := sha256.Sum256(data)
	if digest := "sha256:" + hex.EncodeToString(sum[:]); digest != entry.Digest {
		return nil, fmt.Errorf("%w: %s has digest %s, the inventory says %s", ErrInvalidTree, entry.Path, digest, entry.Digest)
	}
	obj := cache.get(entry.Digest)
	if obj == nil {
		if obj, err = decodeManifest(data); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrInvalidTree, entry.Path, err)
		}
		addManagedLabel(obj)
	}
	if err := checkIdentity(obj, entry); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalidTree, entry.Path, err)
	}
	cache.put(entry.Digest, obj)
	return &desiredObject{
		path:      entry.Path,
		digest:    entry.Digest,
		key:       keyOf(obj),
		obj:       obj,
		overwrite: obj.GetAnnotations()[v1alpha1.ResourceConflictResolutionAnnotation] == v1alpha1.ResourceConflictResolutionOverwrite,
	}, nil
}

// decodeManifest decodes one YAML object.
func decodeManifest(data []byte) (*unstructured.Unstructured, error) {
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("decoding YAML: %w", err)
	}
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(js); err != nil {
		return nil, fmt.Errorf("decoding object: %w", err)
	}
	return obj, nil
}

// checkIdentity makes sure the manifest is the object its inventory entry names.
func checkIdentity(obj *unstructured.Unstructured, entry v1alpha1.InventoryEntry) error {
	got := [4]string{obj.GetAPIVersion(), obj.GetKind(), obj.GetNamespace(), obj.GetName()}
	want := [4]string{entry.APIVersion, entry.Kind, entry.Namespace, entry.Name}
	if got != want {
		return fmt.Errorf("manifest is %s %s %s/%s, the inventory says %s %s %s/%s",
			got[0], got[1], got[2], got[3], want[0], want[1], want[2], want[3])
	}
	if entry.Name == "" {
		return errors.New("object has no name")
	}
	return nil
}

// addManagedLabel marks the object as gitfleet's.
func addManagedLabel(obj *unstructured.Unstructured) {
	labels := obj.GetLabels()
	if labels == nil {
		labels = map[string]string{}
	}
	labels[ManagedLabel] = ManagedLabelValue
	obj.SetLabels(labels)
}

// keyOf is the identity of obj.
func keyOf(obj *unstructured.Unstructured) objectKey {
	gvk := obj.GroupVersionKind()
	return objectKey{Group: gvk.Group, Kind: gvk.Kind, Namespace: obj.GetNamespace(), Name: obj.GetName()}
}

// manifestCache keeps the decoded manifests of the last sync by digest, so the next sync
// decodes only what changed. Decoded objects are shared and never modified: whatever
// applies one applies a deep copy. The cache holds at most two trees' worth of objects.
type manifestCache struct {
	mu         sync.Mutex
	last, next map[string]*unstructured.Unstructured
}

func newManifestCache() *manifestCache {
	return &manifestCache{last: map[string]*unstructured.Unstructured{}, next: map[string]*unstructured.Unstructured{}}
}

// get returns the object decoded from the manifest with digest, or nil.
func (c *manifestCache) get(digest string) *unstructured.Unstructured {
	c.mu.Lock()
	defer c.mu.Unlock()
	if obj, ok := c.next[digest]; ok {
		return obj
	}
	return c.last[digest]
}

// put records the object decoded from the manifest with digest as used by this read.
func (c *manifestCache) put(digest string, obj *unstructured.Unstructured) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next[digest] = obj
}

// rotate ends a read: what it used is what the next read may reuse.
func (c *manifestCache) rotate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last, c.next = c.next, map[string]*unstructured.Unstructured{}
}
