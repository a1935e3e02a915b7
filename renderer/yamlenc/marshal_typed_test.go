package yamlenc

import (
	"testing"
)

func TestMarshalTyped(t *testing.T) {
	type item struct {
		Name  string `json:"name"`
		Count int64  `json:"count,omitempty"`
		Skip  string `json:"-"`
	}
	type object struct {
		Kind  string `json:"kind"`
		Items []item `json:"items"`
		Big   int64  `json:"big"`
	}
	got, err := MarshalTyped(object{Kind: "Thing", Items: []item{{Name: "b", Count: 2, Skip: "x"}, {Name: "a"}}, Big: 1<<62 + 1})
	if err != nil {
		t.Fatal(err)
	}
	want := "big: 4611686018427387905\nitems:\n  - count: 2\n    name: b\n  - name: a\nkind: Thing\n"
	if string(got) != want {
		t.Errorf("MarshalTyped =\n%s\nwant\n%s", got, want)
	}
	if _, err := MarshalTyped(func() {}); err == nil {
		t.Error("a value encoding/json refuses must be an error")
	}
}
