package syncer

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Keys of the inventory ConfigMap's data.
const (
	inventoryKeyCluster = "cluster"
	inventoryKeyCommit  = "commit"
	inventoryKeyObjects = "objects"
)

// shortDigestLen is how many hex digits of a manifest digest the in-cluster inventory keeps:
// 64 bits tell two versions of one manifest apart, and keep ~70 bytes per object, so a
// ConfigMap (1 MiB) holds ~14,000 objects.
const shortDigestLen = 16

// appliedInventory is what gitfleet applied to a member cluster: every object it owns, with
// the digest of the manifest last applied, and the rendered commit of the last sync.
type appliedInventory struct {
	cluster string
	commit  string
	objects map[objectKey]appliedObject
}

// appliedObject is one object of the in-cluster inventory.
type appliedObject struct {
	apiVersion string
	// digest is the short digest of the manifest last applied; empty when its last apply
	// failed, so it is applied again whatever the manifest.
	digest string
}

// shortDigest shortens a "sha256:<hex>" digest for the in-cluster inventory.
func shortDigest(digest string) string {
	digest = strings.TrimPrefix(digest, "sha256:")
	if len(digest) > shortDigestLen {
		digest = digest[:shortDigestLen]
	}
	return digest
}

// inventoryObject is the ConfigMap holding the inventory, as an object key.
func (s *Syncer) inventoryObject() *unstructured.Unstructured {
	cm := &unstructured.Unstructured{}
	cm.SetAPIVersion("v1")
	cm.SetKind("ConfigMap")
	cm.SetNamespace(s.opts.InventoryNamespace)
	cm.SetName(s.opts.InventoryName)
	return cm
}

// readInventory reads the in-cluster inventory; a cluster gitfleet never synced has an
// empty one. An unreadable inventory is an error: without it the syncer cannot tell its
// objects from others.
func (s *Syncer) readInventory(ctx context.Context) (*appliedInventory, error) {
	cm := s.inventoryObject()
	err := s.client.Get(ctx, client.ObjectKeyFromObject(cm), cm)
	if apierrors.IsNotFound(err) {
		return &appliedInventory{objects: map[objectKey]appliedObject{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading inventory %s/%s: %w", s.opts.InventoryNamespace, s.opts.InventoryName, err)
	}
	data, _, _ := unstructured.NestedStringMap(cm.Object, "data")
	inv, err := parseInventory(data)
	if err != nil {
		return nil, fmt.Errorf("inventory %s/%s: %w", s.opts.InventoryNamespace, s.opts.InventoryName, err)
	}
	return inv, nil
}

// parseInventory decodes the ConfigMap data: one JSON array per line,
// [apiVersion, kind, namespace, name, digest].
func parseInventory(data map[string]string) (*appliedInventory, error) {
	inv := &appliedInventory{
		cluster: data[inventoryKeyCluster],
		commit:  data[inventoryKeyCommit],
		objects: map[objectKey]appliedObject{},
	}
	sc := bufio.NewScanner(strings.NewReader(data[inventoryKeyObjects]))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var f []string
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil || len(f) != 5 {
			return nil, fmt.Errorf("objects line %d: want [apiVersion, kind, namespace, name, digest], got %q", n, sc.Text())
		}
		gv, err := schema.ParseGroupVersion(f[0])
		if err != nil {
			return nil, fmt.Errorf("objects line %d: %w", n, err)
		}
		key := objectKey{Group: gv.Group, Kind: f[1], Namespace: f[2], Name: f[3]}
		inv.objects[key] = appliedObject{apiVersion: f[0], digest: f[4]}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading objects: %w", err)
	}
	return inv, nil
}

// encode returns the ConfigMap data of the inventory, deterministic so an unchanged
// inventory is never written.
func (inv *appliedInventory) encode() map[string]string {
	keys := slices.SortedFunc(maps.Keys(inv.objects), compareKeys)
	var b strings.Builder
	for _, k := range keys {
		o := inv.objects[k]
		line, _ := json.Marshal([]string{o.apiVersion, k.Kind, k.Namespace, k.Name, o.digest})
		b.Write(line)
		b.WriteByte('\n')
	}
	return map[string]string{
		inventoryKeyCluster: inv.cluster,
		inventoryKeyCommit:  inv.commit,
		inventoryKeyObjects: b.String(),
	}
}

// compareKeys orders keys by namespace, group, kind and name, like manifest paths.
func compareKeys(a, b objectKey) int {
	return slices.Compare(
		[]string{a.Namespace, a.Group, a.Kind, a.Name},
		[]string{b.Namespace, b.Group, b.Kind, b.Name})
}

// writeInventory records next in the member cluster unless it equals prev. The namespace
// is created on first use.
func (s *Syncer) writeInventory(ctx context.Context, prev, next *appliedInventory) error {
	data := next.encode()
	if maps.Equal(data, prev.encode()) {
		return nil
	}
	err := s.applyInventory(ctx, data)
	if apierrors.IsNotFound(err) {
		if err = s.ensureInventoryNamespace(ctx); err == nil {
			err = s.applyInventory(ctx, data)
		}
	}
	if err != nil {
		return fmt.Errorf("writing inventory %s/%s: %w", s.opts.InventoryNamespace, s.opts.InventoryName, err)
	}
	return nil
}

// applyInventory server-side applies the inventory ConfigMap with data.
func (s *Syncer) applyInventory(ctx context.Context, data map[string]string) error {
	cm := s.inventoryObject()
	cm.SetLabels(map[string]string{"app.kubernetes.io/managed-by": "gitfleet"})
	content := make(map[string]any, len(data))
	for k, v := range data {
		content[k] = v
	}
	cm.Object["data"] = content
	return s.client.Apply(ctx, client.ApplyConfigurationFromUnstructured(cm),
		client.FieldOwner(s.opts.FieldManager), client.ForceOwnership)
}

// ensureInventoryNamespace creates the inventory's namespace.
func (s *Syncer) ensureInventoryNamespace(ctx context.Context) error {
	ns := &unstructured.Unstructured{}
	ns.SetAPIVersion("v1")
	ns.SetKind("Namespace")
	ns.SetName(s.opts.InventoryNamespace)
	ns.SetLabels(map[string]string{"app.kubernetes.io/managed-by": "gitfleet"})
	err := s.client.Apply(ctx, client.ApplyConfigurationFromUnstructured(ns), client.FieldOwner(s.opts.FieldManager))
	if err != nil {
		return fmt.Errorf("creating namespace %s: %w", s.opts.InventoryNamespace, err)
	}
	return nil
}
