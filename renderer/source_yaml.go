package renderer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	yamlv2 "go.yaml.in/yaml/v2"
	"go.yaml.in/yaml/v3"
)

// document is one YAML document of a source file: its parsed node tree (kept so that a field
// path can be traced back to a line) and its content as JSON-compatible values.
type document struct {
	// line is the 1-based line of the document's first content line in its file.
	line int
	// node is the document's root mapping.
	node *yaml.Node
	// object holds the document as map[string]any with JSON-compatible values
	// (string, int64, float64, bool, nil, []any, map[string]any).
	object map[string]any
}

// yamlError is a YAML problem at a known line.
type yamlError struct {
	line int
	msg  string
}

func (e *yamlError) Error() string { return e.msg }

// splitDocuments parses a multi-document YAML stream. Empty documents (only comments or
// whitespace) are skipped. A document that is not a mapping, or holds a duplicate key, is
// reported and skipped, and the stream goes on; a syntax error stops it (the parser cannot
// resynchronise), and documents before it are still returned. Errors are *yamlError values
// carrying the line they were found at.
func splitDocuments(data []byte) ([]document, []error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []document
	var errs []error
	for {
		var root yaml.Node
		err := dec.Decode(&root)
		if errors.Is(err, io.EOF) {
			return docs, errs
		}
		if err != nil {
			return docs, append(errs, parserError(err, data))
		}
		if len(root.Content) == 0 {
			continue
		}
		content := root.Content[0]
		if content.Kind == yaml.ScalarNode && content.ShortTag() == "!!null" {
			continue
		}
		if content.Kind != yaml.MappingNode {
			errs = append(errs, &yamlError{line: content.Line, msg: "a YAML document must be a mapping (an object with apiVersion and kind)"})
			continue
		}
		value, err := (&converter{budget: maxYAMLNodes}).value(content, 0)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		docs = append(docs, document{line: content.Line, node: content, object: value.(map[string]any)})
	}
}

// parserError turns a go-yaml error into a yamlError, lifting the line number out of the
// parser's "yaml: line N: ..." message so it can be reported in the common format.
//
// For parser (not scanner) errors — "did not find expected ..." — go-yaml v3 reports the
// 0-based line where the enclosing block starts, which can be far above the mistake. go-yaml
// v2 reports the (also 0-based) line where the parser noticed the problem instead, so those
// errors take v2's line, counted from 1.
func parserError(err error, data []byte) error {
	line, msg := splitYAMLError(err)
	if strings.HasPrefix(msg, "did not find expected") {
		dec := yamlv2.NewDecoder(bytes.NewReader(data))
		for {
			var v any
			err2 := dec.Decode(&v)
			if err2 == nil {
				continue
			}
			if line2, _ := splitYAMLError(err2); line2 > 0 {
				line = line2 + 1
			}
			break
		}
	}
	return &yamlError{line: line, msg: "invalid YAML: " + msg}
}

// splitYAMLError splits "yaml: line N: msg" into N and msg (N is 0 when absent).
func splitYAMLError(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, tail, ok := strings.Cut(rest, ":"); ok {
			if n, convErr := strconv.Atoi(num); convErr == nil {
				return n, strings.TrimSpace(tail)
			}
		}
	}
	return 0, msg
}

const (
	// maxYAMLDepth bounds nesting so that hostile input cannot exhaust the stack.
	maxYAMLDepth = 256
	// maxYAMLNodes bounds the values one document may expand to, so that aliases of aliases
	// ("billion laughs") cannot exhaust memory or time.
	maxYAMLNodes = 1 << 20
)

// converter converts YAML nodes into the values encoding/json and unstructured objects use.
// Aliases are expanded and merge keys (<<) honoured; duplicate keys are errors, as they are
// for the Kubernetes API server.
type converter struct {
	budget int // values left to produce
}

func (c *converter) value(n *yaml.Node, depth int) (any, error) {
	if depth > maxYAMLDepth {
		return nil, &yamlError{line: n.Line, msg: "YAML nested too deeply"}
	}
	c.budget--
	if c.budget < 0 {
		return nil, &yamlError{line: n.Line, msg: fmt.Sprintf("document expands to more than %d values (aliases?)", maxYAMLNodes)}
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, &yamlError{line: n.Line, msg: "invalid YAML alias"}
		}
		return c.value(n.Alias, depth+1)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			v, err := c.value(item, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		return c.mapping(n, depth)
	case yaml.ScalarNode:
		return scalarToJSON(n)
	}
	return nil, &yamlError{line: n.Line, msg: "unsupported YAML node"}
}

func (c *converter) mapping(n *yaml.Node, depth int) (map[string]any, error) {
	out := make(map[string]any, len(n.Content)/2)
	keyLines := make(map[string]int, len(n.Content)/2)
	var merged []map[string]any
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			m, err := c.mergeSources(v, depth)
			if err != nil {
				return nil, err
			}
			merged = append(merged, m...)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return nil, &yamlError{line: k.Line, msg: "mapping keys must be scalars"}
		}
		if first, dup := keyLines[k.Value]; dup {
			return nil, &yamlError{line: k.Line, msg: fmt.Sprintf("duplicate key %q (first defined at line %d)", k.Value, first)}
		}
		keyLines[k.Value] = k.Line
		value, err := c.value(v, depth+1)
		if err != nil {
			return nil, err
		}
		out[k.Value] = value
	}
	// Explicit keys win over merged ones; earlier merge sources win over later ones.
	for _, m := range merged {
		for k, v := range m {
			if _, ok := out[k]; !ok {
				out[k] = v
			}
		}
	}
	return out, nil
}

func (c *converter) mergeSources(v *yaml.Node, depth int) ([]map[string]any, error) {
	var nodes []*yaml.Node
	if v.Kind == yaml.SequenceNode {
		nodes = v.Content
	} else {
		nodes = []*yaml.Node{v}
	}
	out := make([]map[string]any, 0, len(nodes))
	for _, src := range nodes {
		value, err := c.value(src, depth+1)
		if err != nil {
			return nil, err
		}
		m, ok := value.(map[string]any)
		if !ok {
			return nil, &yamlError{line: src.Line, msg: "a merge key (<<) must refer to a mapping"}
		}
		out = append(out, m)
	}
	return out, nil
}

func scalarToJSON(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, &yamlError{line: n.Line, msg: fmt.Sprintf("invalid boolean %q", n.Value)}
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err == nil {
			return i, nil
		}
		var f float64
		if err := n.Decode(&f); err == nil && !math.IsInf(f, 0) {
			return f, nil
		}
		return nil, &yamlError{line: n.Line, msg: fmt.Sprintf("integer %q out of range", n.Value)}
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, &yamlError{line: n.Line, msg: fmt.Sprintf("invalid number %q", n.Value)}
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, &yamlError{line: n.Line, msg: fmt.Sprintf("number %q cannot be represented in JSON", n.Value)}
		}
		if f == math.Trunc(f) && math.Abs(f) < 1<<53 && !strings.ContainsAny(n.Value, ".eE") {
			return int64(f), nil
		}
		return f, nil
	case "!!timestamp":
		// Kubernetes reads timestamps as RFC 3339 strings: keep the author's text.
		return n.Value, nil
	case "!!binary":
		return n.Value, nil
	default:
		return n.Value, nil
	}
}

// lineOfField returns the line of the field at path (a Kubernetes field path such as
// `spec.placement.clusterAffinities[0].affinityName` or `metadata.labels[app]`) within the
// mapping node root. When the path leads outside the document it returns the line of the
// deepest field found on the way, so a missing required field points at its parent.
func lineOfField(root *yaml.Node, path string) int {
	if root == nil {
		return 0
	}
	line := root.Line
	node := root
	for _, seg := range splitFieldPath(path) {
		next, keyLine := childNode(node, seg)
		if next == nil {
			return line
		}
		line = keyLine
		node = next
	}
	return line
}

// childNode returns the child of n selected by seg (a mapping key or a sequence index)
// and the line that names it.
func childNode(n *yaml.Node, seg string) (*yaml.Node, int) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == seg {
				return n.Content[i+1], n.Content[i].Line
			}
		}
	case yaml.SequenceNode:
		idx, err := strconv.Atoi(seg)
		if err == nil && idx >= 0 && idx < len(n.Content) {
			return n.Content[idx], n.Content[idx].Line
		}
	}
	return nil, 0
}

// splitFieldPath splits a field path into its segments: `a.b[0].c[x.y]` ⇒ a, b, 0, c, x.y.
func splitFieldPath(path string) []string {
	var segs []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			segs = append(segs, cur.String())
			cur.Reset()
		}
	}
	for i := 0; i < len(path); i++ {
		switch c := path[i]; c {
		case '.':
			flush()
		case '[':
			flush()
			end := strings.IndexByte(path[i:], ']')
			if end < 0 {
				cur.WriteString(path[i+1:])
				i = len(path)
				continue
			}
			segs = append(segs, path[i+1:i+end])
			i += end
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return segs
}
