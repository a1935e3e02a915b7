package membership

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
)

// spliceTaints rewrites the lines of spec.taints in the Cluster file data from old (what the
// file says) to taints, and leaves every other line as it is: comments, key order and
// formatting of the rest of the file are the author's. Taints that stay keep their lines;
// new or changed ones are written in the file's style (sorted keys when the spec's keys are
// sorted, as `gitfleet join` writes them; key, value, effect, timeAdded otherwise). A spec
// without taints gets the field where a sorted spec would have it, or at its end.
func spliceTaints(data []byte, old, taints []corev1.Taint) ([]byte, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		if err := dec.Decode(&doc); err != nil {
			return nil, err
		}
		if len(doc.Content) > 0 && doc.Content[0].Tag != "!!null" {
			break
		}
	}
	root := doc.Content[0]
	specIdx := pairIndex(root, "spec")
	if specIdx < 0 {
		return nil, errors.New("the Cluster has no spec")
	}
	spec := root.Content[specIdx+1]
	if spec.Kind != yaml.MappingNode || spec.Style&yaml.FlowStyle != 0 || len(spec.Content) == 0 {
		return nil, errors.New("spec is not a block mapping")
	}
	e := &lineEditor{lines: splitLines(data)}
	// Lines are 1-based; bound is the first line after spec's content.
	bound := len(e.lines) + 1
	if specIdx+2 < len(root.Content) {
		bound = root.Content[specIdx+2].Line
	}
	indent := spec.Content[0].Column - 1
	style := taintStyle{indent: indent, seqIndent: indent, sorted: keysSorted(spec)}

	k := pairIndex(spec, "taints")
	if k < 0 {
		if len(taints) == 0 {
			return data, nil
		}
		// After the last key that sorts before taints in a sorted spec, else at the end.
		after := len(spec.Content) - 2
		if style.sorted {
			for after >= 0 && spec.Content[after].Value > "taints" {
				after -= 2
			}
		}
		line := root.Content[specIdx].Line // the "spec:" line
		if after >= 0 {
			line = e.pairEnd(spec, after, bound, indent)
		}
		text := strings.Repeat(" ", indent) + "taints:\n" + style.items(taints)
		return e.replace(line+1, line, text), nil
	}

	key, value := spec.Content[k], spec.Content[k+1]
	end := e.pairEnd(spec, k, bound, indent)
	if len(taints) == 0 {
		// The field goes, and the comment that describes it with it.
		start := key.Line
		for start > 1 && isCommentLine(e.lines[start-2], indent) {
			start--
		}
		return e.replace(start, end, ""), nil
	}
	if value.Kind != yaml.SequenceNode || value.Style&yaml.FlowStyle != 0 || len(value.Content) != len(old) {
		// A flow list, or null: written anew, in block style.
		text := strings.Repeat(" ", indent) + "taints:\n" + style.items(taints)
		return e.replace(key.Line, end, text), nil
	}
	style.seqIndent = value.Column - 1
	// The key's line (and its comment), then what precedes the first item.
	var text strings.Builder
	for l := key.Line; l < value.Content[0].Line; l++ {
		text.WriteString(e.lines[l-1])
	}
	for _, t := range taints {
		j := -1
		for i := range old {
			if apiequality.Semantic.DeepEqual(old[i], t) {
				j = i
				break
			}
		}
		if j < 0 {
			text.WriteString(style.items([]corev1.Taint{t}))
			continue
		}
		last := end
		if j+1 < len(value.Content) {
			last = value.Content[j+1].Line - 1
		}
		for l := value.Content[j].Line; l <= last; l++ {
			text.WriteString(e.lines[l-1])
		}
	}
	return e.replace(key.Line, end, text.String()), nil
}

// pairIndex is the index in m.Content of key's key node, or -1.
func pairIndex(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// lineEditor replaces ranges of a file's lines.
type lineEditor struct {
	lines []string // each with its "\n", but perhaps the last
}

// splitLines splits data after each newline.
func splitLines(data []byte) []string {
	lines := strings.SplitAfter(string(data), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if n := len(lines); n > 0 && !strings.HasSuffix(lines[n-1], "\n") {
		lines[n-1] += "\n"
	}
	return lines
}

// replace returns the file with lines first..last (1-based, inclusive; last = first-1 to
// insert) replaced by text.
func (e *lineEditor) replace(first, last int, text string) []byte {
	var b strings.Builder
	for _, l := range e.lines[:first-1] {
		b.WriteString(l)
	}
	b.WriteString(text)
	for _, l := range e.lines[last:] {
		b.WriteString(l)
	}
	return []byte(b.String())
}

// pairEnd is the last line of the i-th key's pair in the block mapping m: the last line of
// its nodes, and the continuation lines of a multi-line scalar after it, before bound (the
// line of what follows m).
func (e *lineEditor) pairEnd(m *yaml.Node, i, bound, indent int) int {
	next := bound
	if i+2 < len(m.Content) {
		next = m.Content[i+2].Line
	}
	end := max(lastLine(m.Content[i]), lastLine(m.Content[i+1]))
	for end+1 < next && end < len(e.lines) {
		l := e.lines[end]
		trimmed := strings.TrimSpace(l)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") || leadingSpaces(l) <= indent {
			break
		}
		end++
	}
	return end
}

// lastLine is the last line where n or a node in it starts.
func lastLine(n *yaml.Node) int {
	last := n.Line
	for _, c := range n.Content {
		last = max(last, lastLine(c))
	}
	return last
}

// isCommentLine says whether l is a comment alone, indented by indent.
func isCommentLine(l string, indent int) bool {
	return leadingSpaces(l) == indent && strings.HasPrefix(strings.TrimSpace(l), "#")
}

func leadingSpaces(l string) int {
	return len(l) - len(strings.TrimLeft(l, " "))
}

// taintStyle is how new taints are written.
type taintStyle struct {
	indent    int  // of the taints key
	seqIndent int  // of the items' dashes
	sorted    bool // fields in sorted order
}

// items writes taints as block sequence items.
func (s taintStyle) items(taints []corev1.Taint) string {
	var b strings.Builder
	for _, t := range taints {
		type kv struct{ k, v string }
		fields := []kv{{"key", t.Key}}
		if t.Value != "" {
			fields = append(fields, kv{"value", t.Value})
		}
		fields = append(fields, kv{"effect", string(t.Effect)})
		if t.TimeAdded != nil {
			fields = append(fields, kv{"timeAdded", t.TimeAdded.UTC().Format(time.RFC3339)})
		}
		if s.sorted {
			order := map[string]int{"effect": 0, "key": 1, "timeAdded": 2, "value": 3}
			for i := 1; i < len(fields); i++ {
				for j := i; j > 0 && order[fields[j].k] < order[fields[j-1].k]; j-- {
					fields[j], fields[j-1] = fields[j-1], fields[j]
				}
			}
		}
		for i, f := range fields {
			lead := "  "
			if i == 0 {
				lead = "- "
			}
			fmt.Fprintf(&b, "%s%s%s: %s\n", strings.Repeat(" ", s.seqIndent), lead, f.k, yamlScalar(f.v))
		}
	}
	return b.String()
}

// yamlScalar writes s as a YAML string scalar, quoted where it would read as something else.
func yamlScalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}
