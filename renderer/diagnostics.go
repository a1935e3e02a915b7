package renderer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Diagnostic is one problem found in a source tree, located by file and line.
type Diagnostic struct {
	// Path is the file the problem is in, relative to the root of the source tree.
	Path string `json:"path"`
	// Line is the 1-based line in Path, counted over the whole file (0 when unknown).
	Line int `json:"line"`
	// Kind and Name identify the object the problem is about, when there is one.
	Kind string `json:"kind,omitempty"`
	// Namespace is the object's namespace, when it has one.
	Namespace string `json:"namespace,omitempty"`
	// Name is the object's name.
	Name string `json:"name,omitempty"`
	// Field is the offending field's path within the object (e.g. spec.placement.clusterAffinity),
	// when the problem is about one field.
	Field string `json:"field,omitempty"`
	// Message says what is wrong, in words a human can act on.
	Message string `json:"message"`
}

// String renders the diagnostic as `path:LINE: Kind/name: message` (the Kind/name part only
// when the problem is about an object).
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.Path)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d", d.Line)
	}
	b.WriteString(": ")
	switch {
	case d.Kind != "" && d.Name != "":
		fmt.Fprintf(&b, "%s/%s: ", d.Kind, d.Name)
	case d.Kind != "" || d.Name != "":
		fmt.Fprintf(&b, "%s%s: ", d.Kind, d.Name) // an object missing its kind or name
	}
	b.WriteString(d.Message)
	return b.String()
}

// Diagnostics is every problem found in one load, sorted by file, line and message.
// It implements error so that a failed load can be returned as one value.
type Diagnostics []Diagnostic

// Error lists every diagnostic, one per line.
func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// sorted returns the diagnostics in their reporting order, duplicates removed.
func (ds Diagnostics) sorted() Diagnostics {
	out := slices.Clone(ds)
	slices.SortFunc(out, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Namespace, b.Namespace),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.Compact(out)
}
