package interpreter

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Objects cross into Lua as tables built from their JSON form, and come back through JSON,
// as in Karmada's luavm (which encodes with layeh.com/gopher-json):
//
//   - Go → Lua: JSON objects and arrays become tables, numbers become Lua numbers (float64),
//     null fields are absent and null array elements are dropped. Object keys are inserted in
//     sorted order, so pairs() visits them in the same order on every run (Karmada's order is
//     Go's map order, that is random).
//   - Lua → Go: a table with keys 1..n is an array, a table with string keys an object;
//     mixed keys, sparse arrays, cycles, functions and NaN or infinite numbers are errors.
//     Integral numbers come back as int64 in unstructured objects (what decoding their JSON
//     gives) and as JSON numbers for typed results.
//   - An empty table cannot tell {} from []. Karmada looks the field up in the objects the
//     script was given ("references"): if it was an empty object there it becomes {}, if an
//     empty array [], and otherwise the field is dropped; a top-level empty table is {} or []
//     depending on what the operation returns. Paths ignore array indices. Operations that
//     pass no references (all but ReviseReplica and Retain, and the kube helpers)
//     therefore drop every empty table in their results.

// emptyTable marks an empty Lua table until the references decide what it becomes.
type emptyTable struct{}

// goToLua converts a JSON-compatible Go value to Lua. Values of other types (typed API
// structs) go through their JSON encoding.
func goToLua(L *lua.LState, v any) (lua.LValue, error) {
	switch x := v.(type) {
	case nil:
		return lua.LNil, nil
	case bool:
		return lua.LBool(x), nil
	case string:
		return lua.LString(x), nil
	case int64:
		return lua.LNumber(x), nil
	case int32:
		return lua.LNumber(x), nil
	case int:
		return lua.LNumber(x), nil
	case float64:
		return lua.LNumber(x), nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		t := L.CreateTable(0, len(x))
		for _, k := range keys {
			lv, err := goToLua(L, x[k])
			if err != nil {
				return nil, err
			}
			t.RawSetString(k, lv)
		}
		return t, nil
	case []any:
		t := L.CreateTable(len(x), 0)
		for _, item := range x {
			lv, err := goToLua(L, item)
			if err != nil {
				return nil, err
			}
			t.Append(lv)
		}
		return t, nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding %T as JSON: %w", v, err)
	}
	var generic any
	if err := json.Unmarshal(data, &generic); err != nil {
		return nil, fmt.Errorf("decoding the JSON of %T: %w", v, err)
	}
	return goToLua(L, generic)
}

// luaToGo converts a Lua value to a JSON-compatible Go value: nil, bool, string, float64,
// map[string]any and []any, with emptyTable for empty tables.
func luaToGo(v lua.LValue, visiting map[*lua.LTable]bool) (any, error) {
	switch x := v.(type) {
	case *lua.LNilType:
		return nil, nil
	case lua.LBool:
		return bool(x), nil
	case lua.LString:
		return string(x), nil
	case lua.LNumber:
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("cannot encode the number %v to JSON", f)
		}
		return f, nil
	case *lua.LTable:
		return tableToGo(x, visiting)
	}
	return nil, fmt.Errorf("cannot encode a %s to JSON", v.Type())
}

// tableToGo converts a table to an array, an object or an emptyTable.
func tableToGo(t *lua.LTable, visiting map[*lua.LTable]bool) (any, error) {
	if visiting[t] {
		return nil, errors.New("cannot encode a table that contains itself to JSON")
	}
	visiting[t] = true
	defer delete(visiting, t)

	var stringKeys, numberKeys int
	invalid := false
	t.ForEach(func(k, _ lua.LValue) {
		switch k.Type() {
		case lua.LTString:
			stringKeys++
		case lua.LTNumber:
			numberKeys++
		default:
			invalid = true
		}
	})
	switch {
	case invalid || (stringKeys > 0 && numberKeys > 0):
		return nil, errors.New("cannot encode a table with mixed or invalid key types to JSON")
	case numberKeys > 0:
		arr := make([]any, numberKeys)
		for i := range arr {
			item := t.RawGetInt(i + 1)
			if item == lua.LNil {
				return nil, errors.New("cannot encode a sparse array to JSON")
			}
			v, err := luaToGo(item, visiting)
			if err != nil {
				return nil, err
			}
			arr[i] = v
		}
		return arr, nil
	case stringKeys > 0:
		obj := make(map[string]any, stringKeys)
		var err error
		t.ForEach(func(k, item lua.LValue) {
			if err == nil {
				obj[string(k.(lua.LString))], err = luaToGo(item, visiting)
			}
		})
		if err != nil {
			return nil, err
		}
		return obj, nil
	}
	return emptyTable{}, nil
}

// emptyFields records where the references hold empty objects and empty arrays.
type emptyFields struct {
	objects, arrays map[string]bool
}

// pathSeparator joins the keys of a field path; array indices are not part of paths.
const pathSeparator = "\x00"

// findEmptyFields collects the empty objects and arrays of the references.
func findEmptyFields(refs ...any) emptyFields {
	e := emptyFields{objects: map[string]bool{}, arrays: map[string]bool{}}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				p := path + pathSeparator + k
				switch c := child.(type) {
				case map[string]any:
					if len(c) == 0 {
						e.objects[p] = true
						continue
					}
				case []any:
					if len(c) == 0 {
						e.arrays[p] = true
						continue
					}
				}
				walk(child, p)
			}
		case []any:
			for _, child := range x {
				switch c := child.(type) {
				case map[string]any:
					if len(c) == 0 {
						e.objects[path] = true
						continue
					}
				case []any:
					if len(c) == 0 {
						e.arrays[path] = true
						continue
					}
				}
				walk(child, path)
			}
		}
	}
	for _, r := range refs {
		walk(r, "")
	}
	return e
}

// resolve replaces the emptyTable markers below the top level: {} where the references had
// an empty object, [] where they had an empty array; keep is false for a marker to drop.
func (e emptyFields) resolve(v any, path string) (out any, keep bool) {
	switch x := v.(type) {
	case emptyTable:
		switch {
		case e.objects[path]:
			return map[string]any{}, true
		case e.arrays[path]:
			return []any{}, true
		}
		return nil, false
	case map[string]any:
		for k, child := range x {
			if c, keep := e.resolve(child, path+pathSeparator+k); keep {
				x[k] = c
			} else {
				delete(x, k)
			}
		}
	case []any:
		kept := x[:0]
		for _, child := range x {
			if c, keep := e.resolve(child, path); keep {
				kept = append(kept, c)
			}
		}
		return kept, true
	}
	return v, true
}

// tableResult converts a table returned by a script into a JSON-compatible Go value,
// resolving empty tables against the references; an empty result is {} when object is
// true, else [].
func tableResult(v lua.LValue, object bool, refs ...any) (any, error) {
	g, err := luaToGo(v, map[*lua.LTable]bool{})
	if err != nil {
		return nil, err
	}
	if _, empty := g.(emptyTable); empty {
		if object {
			return map[string]any{}, nil
		}
		return []any{}, nil
	}
	if len(refs) == 0 {
		refs = nil
	}
	g, _ = findEmptyFields(refs...).resolve(g, "")
	return g, nil
}

// decodeResult converts a table returned by a script into a typed value through JSON, as
// Karmada does (encoding/json: field names match case-insensitively, unknown fields are
// ignored).
func decodeResult(v lua.LValue, out any, object bool, refs ...any) error {
	g, err := tableResult(v, object, refs...)
	if err != nil {
		return err
	}
	data, err := json.Marshal(g)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("decoding %s: %w", data, err)
	}
	return nil
}

// unstructuredResult converts a table returned by a script into an object. Integral numbers
// become int64, as when decoding the object's JSON; the object must have a kind.
func unstructuredResult(v lua.LValue, refs ...any) (*unstructured.Unstructured, error) {
	g, err := tableResult(v, true, refs...)
	if err != nil {
		return nil, err
	}
	obj, ok := g.(map[string]any)
	if !ok {
		return nil, errors.New("an array, not an object")
	}
	out := &unstructured.Unstructured{Object: withJSONIntegers(obj).(map[string]any)}
	if out.GetKind() == "" {
		return nil, errors.New("an object without a kind")
	}
	return out, nil
}

// withJSONIntegers replaces integral float64 values that fit an int64 by int64 values, as
// Kubernetes' JSON decoding of unstructured objects does (a float64 prints without a
// fraction or exponent exactly when it is integral and below 1e21).
func withJSONIntegers(v any) any {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && x >= math.MinInt64 && x < math.MaxInt64 {
			return int64(x)
		}
	case map[string]any:
		for k, child := range x {
			x[k] = withJSONIntegers(child)
		}
	case []any:
		for i, child := range x {
			x[i] = withJSONIntegers(child)
		}
	}
	return v
}
