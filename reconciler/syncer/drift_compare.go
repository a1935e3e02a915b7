package syncer

import (
	"encoding/base64"
	"math"
	"strconv"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// inSync reports whether the live object still holds what the manifest sets: every field
// the desired object sets has an equal value in live, and the field manager still owns
// fields of it. Fields the manifest does not set — server defaults, status, other
// managers' fields — never read as drift.
//
// The comparison cannot see a field the manifest stopped setting; it does not need to: a
// manifest that changed has a new digest and is applied anyway.
func inSync(desired, live *unstructured.Unstructured, manager string) bool {
	if !ownsFields(live, manager) {
		return false
	}
	want := storedForm(desired)
	for k, v := range want {
		switch k {
		case "apiVersion", "kind", "status":
			// The LIST chose the version; status is not ours to set.
			continue
		}
		if !covers(v, live.Object[k], true) {
			return false
		}
	}
	return true
}

// ownsFields reports whether manager has applied fields of obj. An object replaced or
// force-applied by someone else loses the entry, and is drift even where values are equal.
func ownsFields(obj *unstructured.Unstructured, manager string) bool {
	for _, mf := range obj.GetManagedFields() {
		if mf.Manager == manager && mf.Operation == metav1.ManagedFieldsOperationApply {
			return true
		}
	}
	return false
}

// storedForm returns the desired object's content as the server stores it, where the two
// differ in a way the server always applies: a Secret's write-only stringData is stored
// base64-encoded in data.
func storedForm(desired *unstructured.Unstructured) map[string]any {
	gvk := desired.GroupVersionKind()
	strData, ok := desired.Object["stringData"].(map[string]any)
	if gvk.Group != "" || gvk.Kind != "Secret" || !ok {
		return desired.Object
	}
	out := make(map[string]any, len(desired.Object))
	for k, v := range desired.Object {
		out[k] = v
	}
	data := map[string]any{}
	if d, ok := desired.Object["data"].(map[string]any); ok {
		for k, v := range d {
			data[k] = v
		}
	}
	for k, v := range strData {
		if s, ok := v.(string); ok {
			data[k] = base64.StdEncoding.EncodeToString([]byte(s))
		}
	}
	delete(out, "stringData")
	out["data"] = data
	return out
}

// covers reports whether live holds every field of desired with an equal value. present
// says whether live exists at all: a desired zero value (empty string, false, 0, empty map
// or list, null) is covered by an absent field, since the server drops those.
func covers(desired, live any, present bool) bool {
	if !present || live == nil {
		return isZero(desired)
	}
	switch d := desired.(type) {
	case map[string]any:
		l, ok := live.(map[string]any)
		if !ok {
			return false
		}
		for k, dv := range d {
			lv, found := l[k]
			if !covers(dv, lv, found) {
				return false
			}
		}
		return true
	case []any:
		l, ok := live.([]any)
		return ok && listCovers(d, l)
	default:
		return scalarEqual(desired, live)
	}
}

// listCovers compares lists: item by item when the lengths agree; otherwise, for lists of
// objects, each desired item must be covered by a distinct live item, since other managers
// may add items to associative lists (a sidecar container, an injected env var) without
// touching ours. Lists of scalars are compared whole.
func listCovers(desired, live []any) bool {
	if len(desired) == len(live) && itemsCover(desired, live) {
		return true
	}
	if len(desired) > len(live) || !allMaps(desired) {
		return false
	}
	used := make([]bool, len(live))
	for _, d := range desired {
		if !claimItem(d, live, used) {
			return false
		}
	}
	return true
}

// itemsCover compares equal-length lists index by index.
func itemsCover(desired, live []any) bool {
	for i := range desired {
		if !covers(desired[i], live[i], true) {
			return false
		}
	}
	return true
}

// claimItem marks the first unused live item covering d; false when there is none.
func claimItem(d any, live []any, used []bool) bool {
	for i, l := range live {
		if !used[i] && covers(d, l, true) {
			used[i] = true
			return true
		}
	}
	return false
}

// allMaps reports whether every item is an object.
func allMaps(items []any) bool {
	for _, it := range items {
		if _, ok := it.(map[string]any); !ok {
			return false
		}
	}
	return true
}

// isZero reports whether v is a value the server omits: null, "", false, 0, {} or [].
func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case int64:
		return x == 0
	case float64:
		return x == 0
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

// scalarEqual compares two scalars as the server would have stored the desired one:
// numbers by value (1 and 1.0 are equal), and a quantity the server canonicalises ("0.5"
// stored as "500m", cpu: 1 stored as "1") equal to its canonical form.
func scalarEqual(desired, live any) bool {
	if dn, ok := number(desired); ok {
		if ln, ok := number(live); ok {
			return dn == ln
		}
	}
	if desired == live {
		return true
	}
	ls, ok := live.(string)
	if !ok {
		return false
	}
	switch d := desired.(type) {
	case string:
		return quantityStoredAs(d, ls)
	case int64:
		return quantityStoredAs(strconv.FormatInt(d, 10), ls)
	case float64:
		return quantityStoredAs(strconv.FormatFloat(d, 'f', -1, 64), ls)
	}
	return false
}

// number returns v as a float64 when it is a JSON number.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x)
	}
	return 0, false
}

// quantityStoredAs reports whether s is a quantity whose canonical form is stored.
func quantityStoredAs(s, stored string) bool {
	q, err := resource.ParseQuantity(s)
	return err == nil && q.String() == stored
}
