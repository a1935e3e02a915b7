package interpreter

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	sigsjson "sigs.k8s.io/json"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// The inputs of Run as files hold them: objects and status items in YAML or JSON. Errors
// name the file and, where the problem has one, the line: "observed.yaml:7: ...".

// Document is one YAML or JSON document of a file.
type Document struct {
	// Line is the 1-based line where the document's content starts.
	Line int
	// Value is the document's content as JSON-compatible values (int64 and float64
	// numbers, map[string]any, []any).
	Value any
	// node is the document's content as parsed, for locating fields.
	node *yaml.Node
}

// LineOf returns the line of the value at a path of mapping keys within the document, or the
// line of the deepest part of the path that is there.
func (d Document) LineOf(path ...string) int {
	n, _ := d.lookup(path)
	if n == nil {
		return d.Line
	}
	return n.Line
}

// TextLine returns the file line of line n (1-based) of the string at a path — such as a
// Lua script — when the string is a literal block scalar (|), whose lines are the file's
// lines; for any other style it returns the line of the value, the best it can say.
func (d Document) TextLine(n int, path ...string) int {
	v, found := d.lookup(path)
	if v == nil {
		return d.Line
	}
	if found && v.Kind == yaml.ScalarNode && v.Style&yaml.LiteralStyle != 0 && n > 0 {
		return v.Line + n
	}
	return v.Line
}

// lookup follows a path of mapping keys from the document's root. It returns the node at
// the path and true, or the deepest node on the way and false.
func (d Document) lookup(path []string) (*yaml.Node, bool) {
	n := d.node
	if n == nil {
		return nil, false
	}
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			return n, false
		}
		var next *yaml.Node
		for k := 0; k+1 < len(n.Content); k += 2 {
			if n.Content[k].Value == key {
				next = n.Content[k+1]
			}
		}
		if next == nil {
			return n, false
		}
		n = next
	}
	return n, true
}

// InputError is a problem with an input file, at a line when it is known.
type InputError struct {
	// File names the file, as the user gave it.
	File string
	// Line is the 1-based line of the problem; 0 when unknown.
	Line int
	// Message says what is wrong.
	Message string
}

// Error renders the problem as "file:line: message" (without the line when unknown).
func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Message)
}

// yamlLine matches go-yaml's "yaml: line N: message" errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// DecodeDocuments splits a YAML (or JSON) stream into its documents, skipping empty ones.
// file names the stream in errors.
func DecodeDocuments(file string, data []byte) ([]Document, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []Document
	for {
		var root yaml.Node
		err := dec.Decode(&root)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			msg, line := err.Error(), 0
			if m := yamlLine.FindStringSubmatch(msg); m != nil {
				line, _ = strconv.Atoi(m[1])
				msg = m[2]
			}
			return nil, &InputError{File: file, Line: line, Message: msg}
		}
		if len(root.Content) == 0 {
			continue
		}
		line := root.Content[0].Line
		// Through JSON, so that numbers and timestamps come out as Kubernetes reads them.
		text, err := yaml.Marshal(&root)
		if err != nil {
			return nil, &InputError{File: file, Line: line, Message: err.Error()}
		}
		js, err := sigsyaml.YAMLToJSON(text)
		if err != nil {
			return nil, &InputError{File: file, Line: line, Message: err.Error()}
		}
		var v any
		if err := utiljson.Unmarshal(js, &v); err != nil {
			return nil, &InputError{File: file, Line: line, Message: err.Error()}
		}
		if v == nil {
			continue
		}
		docs = append(docs, Document{Line: line, Value: v, node: root.Content[0]})
	}
}

// DecodeObject reads the one Kubernetes object a file holds. The object needs an
// apiVersion and a kind: they decide which rule applies.
func DecodeObject(file string, data []byte) (*unstructured.Unstructured, error) {
	docs, err := DecodeDocuments(file, data)
	if err != nil {
		return nil, err
	}
	switch len(docs) {
	case 0:
		return nil, &InputError{File: file, Message: "no object in the file"}
	case 1:
	default:
		return nil, &InputError{File: file, Line: docs[1].Line,
			Message: fmt.Sprintf("the file holds %d objects; give one object per file", len(docs))}
	}
	doc := docs[0]
	m, ok := doc.Value.(map[string]any)
	if !ok {
		return nil, &InputError{File: file, Line: doc.Line, Message: "not an object: a Kubernetes object is a mapping with apiVersion and kind"}
	}
	obj := &unstructured.Unstructured{Object: m}
	for _, f := range []string{"apiVersion", "kind"} {
		if s, isString := m[f].(string); !isString || s == "" {
			return nil, &InputError{File: file, Line: doc.Line, Message: fmt.Sprintf("the object has no %s", f)}
		}
	}
	return obj, nil
}

// DecodeStatusItems reads AggregatedStatusItems — {clusterName, status, applied, health},
// what a binding's aggregatedStatus holds — from a stream of documents, each one item or a
// list of items, as `karmadactl interpret --status-file` reads them. Unknown fields are
// errors, so that a misspelt key does not silently drop a cluster's status.
func DecodeStatusItems(file string, data []byte) ([]v1alpha1.AggregatedStatusItem, error) {
	docs, err := DecodeDocuments(file, data)
	if err != nil {
		return nil, err
	}
	var items []v1alpha1.AggregatedStatusItem
	for _, doc := range docs {
		values, isList := doc.Value.([]any)
		if !isList {
			values = []any{doc.Value}
		}
		for _, v := range values {
			item, err := decodeStatusItem(v)
			if err != nil {
				return nil, &InputError{File: file, Line: doc.Line,
					Message: fmt.Sprintf("status item %d: %v", len(items)+1, err)}
			}
			items = append(items, item)
		}
	}
	return items, nil
}

// decodeStatusItem decodes one status item strictly.
func decodeStatusItem(v any) (v1alpha1.AggregatedStatusItem, error) {
	var item v1alpha1.AggregatedStatusItem
	if _, isMap := v.(map[string]any); !isMap {
		return item, errors.New("not an object with clusterName, status, applied and health")
	}
	js, err := utiljson.Marshal(v)
	if err != nil {
		return item, err
	}
	strict, err := sigsjson.UnmarshalStrict(js, &item)
	if err != nil {
		return item, err
	}
	if len(strict) > 0 {
		return item, strict[0]
	}
	switch item.Health {
	case "", v1alpha1.ResourceHealthy, v1alpha1.ResourceUnhealthy, v1alpha1.ResourceUnknown:
	default:
		return item, fmt.Errorf("health %q: use %s, %s or %s", item.Health,
			v1alpha1.ResourceHealthy, v1alpha1.ResourceUnhealthy, v1alpha1.ResourceUnknown)
	}
	return item, nil
}
