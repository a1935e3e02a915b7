package interpreter

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	. "github.com/onsi/gomega"
	lua "github.com/yuin/gopher-lua"
)

// evalTable runs a Lua expression in a sandbox and returns its value.
func evalTable(t *testing.T, expr string) lua.LValue {
	t.Helper()
	L := newSandbox(newInstructionBudget(DefaultInstructionBudget), DefaultOptions())
	t.Cleanup(L.Close)
	if err := L.DoString("result = " + expr); err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return L.GetGlobal("result")
}

func TestObjectResultConversion(t *testing.T) {
	reference := map[string]any{
		"kind": "Thing",
		"spec": map[string]any{
			"selector": map[string]any{},
			"args":     []any{},
			"items":    []any{map[string]any{"env": []any{}, "labels": map[string]any{}}},
		},
	}
	tests := []struct {
		name string
		expr string
		refs []any
		want map[string]any
	}{{
		name: "integers come back as int64, other numbers as float64",
		expr: `{kind = "Thing", a = 3, b = 2.5, c = -0, d = 2^62, e = 2^63, f = 1e300}`,
		want: map[string]any{"kind": "Thing", "a": int64(3), "b": 2.5, "c": int64(0), "d": int64(1 << 62), "e": 9.223372036854775808e18, "f": 1e300},
	}, {
		name: "arrays and nested objects",
		expr: `{kind = "Thing", list = {"a", {x = true}, 3}}`,
		want: map[string]any{"kind": "Thing", "list": []any{"a", map[string]any{"x": true}, int64(3)}},
	}, {
		name: "empty tables take the shape the reference had at that path, or are dropped",
		expr: `{kind = "Thing", spec = {selector = {}, args = {}, extra = {}, items = {{env = {}, labels = {}, other = {}}}}}`,
		refs: []any{reference},
		want: map[string]any{"kind": "Thing", "spec": map[string]any{
			"selector": map[string]any{}, "args": []any{},
			"items": []any{map[string]any{"env": []any{}, "labels": map[string]any{}}},
		}},
	}, {
		name: "without references every empty table is dropped",
		expr: `{kind = "Thing", spec = {selector = {}, list = {{}, 1}}}`,
		want: map[string]any{"kind": "Thing", "spec": map[string]any{"list": []any{int64(1)}}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := unstructuredResult(evalTable(t, tt.expr), tt.refs...)
			NewWithT(t).Expect(err).NotTo(HaveOccurred())
			if diff := cmp.Diff(tt.want, got.Object); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestTableResultErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`{1, 2, nil, 4}`, "cannot encode a sparse array to JSON"},
		{`{[1] = "a", [3] = "c"}`, "cannot encode a sparse array to JSON"},
		{`{1, a = 2}`, "cannot encode a table with mixed or invalid key types to JSON"},
		{`{[true] = 1}`, "cannot encode a table with mixed or invalid key types to JSON"},
		{`{f = print}`, "cannot encode a function to JSON"},
		{`{n = 0/0}`, "cannot encode the number NaN to JSON"},
		{`{n = 1/0}`, "cannot encode the number +Inf to JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, err := tableResult(evalTable(t, tt.expr), true)
			NewWithT(t).Expect(err).To(MatchError(ContainSubstring(tt.want)))
		})
	}
}

func TestTableResultTopLevelEmpty(t *testing.T) {
	g := NewWithT(t)
	object, err := tableResult(evalTable(t, "{}"), true)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(object).To(Equal(map[string]any{}))
	list, err := tableResult(evalTable(t, "{}"), false)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(list).To(Equal([]any{}))
}

func TestGoToLua(t *testing.T) {
	g := NewWithT(t)
	L := newSandbox(newInstructionBudget(DefaultInstructionBudget), DefaultOptions())
	defer L.Close()
	v, err := goToLua(L, map[string]any{
		"n": int64(3), "f": 1.5, "s": "x", "b": true, "null": nil,
		"list": []any{int64(1), nil, int64(2)}, "empty": map[string]any{}, "none": []any{},
	})
	g.Expect(err).NotTo(HaveOccurred())
	L.SetGlobal("v", v)
	g.Expect(L.DoString(`
assert(v.n == 3 and v.f == 1.5 and v.s == "x" and v.b == true)
assert(v.null == nil, "null fields are absent")
assert(#v.list == 2 and v.list[2] == 2, "null elements are dropped")
assert(next(v.empty) == nil and next(v.none) == nil, "{} and [] are both empty tables")
`)).To(Succeed())
}
