package overrides

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// An embedded JSON document (a field overrider's target) is patched as a tree that keeps
// what Karmada's JSON-patch library keeps when it re-serialises a document: the order of
// object members (a new member goes last) and the text of every number, string and literal
// (scalars stay raw, as json.RawMessage). The output is compact JSON with <, >, & escaped as
// \u003c, \u003e, \u0026, which is what json-patch v5 writes, so a JSON field overrider
// gives the same bytes as in Karmada. YAML documents go through the same tree, between
// sigs.k8s.io/yaml's YAMLToJSON and JSONToYAML, as in Karmada.

// orderedObject is a JSON object that remembers the order of its members. Like v5's
// document type it keeps the member list as decoded, duplicates included (a duplicated
// member is written at each of its places, with its last value).
type orderedObject struct {
	keys []string
	vals map[string]any
}

// set stores v as member k; a member not yet listed goes last.
func (o *orderedObject) set(k string, v any) {
	if !slices.Contains(o.keys, k) {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// remove deletes member k, and its first place in the list (as v5 does).
func (o *orderedObject) remove(k string) {
	delete(o.vals, k)
	if i := slices.Index(o.keys, k); i >= 0 {
		o.keys = slices.Delete(o.keys, i, i+1)
	}
}

// jsonNull is the text of the null leaf of an ordered document.
const jsonNull = "null"

// jsonRawNull returns a null leaf.
func jsonRawNull() json.RawMessage { return json.RawMessage(jsonNull) }

// decodeOrderedJSON decodes one JSON value into an ordered tree.
func decodeOrderedJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // scalars are kept raw; this only stops the decoder rejecting huge numbers
	v, err := decodeOrderedValue(dec, data)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("invalid JSON: unexpected data after the top-level value")
	}
	return v, nil
}

func decodeOrderedValue(dec *json.Decoder, data []byte) (any, error) {
	start := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	switch tok {
	case json.Delim('{'):
		obj := &orderedObject{vals: map[string]any{}}
		for dec.More() {
			keyTok, err := dec.Token()
			if err != nil {
				return nil, fmt.Errorf("invalid JSON: %w", err)
			}
			key, _ := keyTok.(string)
			v, err := decodeOrderedValue(dec, data)
			if err != nil {
				return nil, err
			}
			obj.keys = append(obj.keys, key)
			obj.vals[key] = v
		}
		if _, err := dec.Token(); err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		return obj, nil
	case json.Delim('['):
		arr := []any{}
		for dec.More() {
			v, err := decodeOrderedValue(dec, data)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		if _, err := dec.Token(); err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		return arr, nil
	}
	// A scalar: its text is what lies between the two offsets, after the whitespace and the
	// ',' or ':' that the decoder skipped to reach it.
	raw := bytes.TrimLeft(data[start:dec.InputOffset()], " \t\r\n,:")
	return json.RawMessage(raw), nil
}

// encodeOrderedJSON writes v as compact JSON.
func encodeOrderedJSON(buf *bytes.Buffer, v any) error {
	switch t := v.(type) {
	case *orderedObject:
		buf.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			key, err := json.Marshal(k)
			if err != nil {
				return err
			}
			buf.Write(key)
			buf.WriteByte(':')
			v, ok := t.vals[k]
			if !ok {
				v = jsonRawNull() // a removed duplicate's other place, as v5 writes it
			}
			if err := encodeOrderedJSON(buf, v); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case []any:
		buf.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encodeOrderedJSON(buf, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case json.RawMessage:
		json.HTMLEscape(buf, t)
	default:
		return fmt.Errorf("internal error: unexpected %T in a JSON document", v)
	}
	return nil
}

// patchEmbeddedJSON applies ops to the JSON document doc and returns the patched document,
// as json-patch v5's Patch.Apply would: an empty document is returned unchanged (no error,
// whatever the operations); a document starting with "[" is an array, anything else must be
// an object (or null, which every operation then fails on).
func patchEmbeddedJSON(doc []byte, ops []patchOperation) ([]byte, int, error) {
	if len(doc) == 0 {
		return doc, -1, nil
	}
	if !json.Valid(doc) {
		return nil, -1, fmt.Errorf("invalid JSON document")
	}
	root, err := decodeOrderedJSON(doc)
	if err != nil {
		return nil, -1, err
	}
	switch root.(type) {
	case *orderedObject:
	case []any:
		if doc[0] != '[' {
			return nil, -1, fmt.Errorf("cannot unmarshal array into an object document")
		}
	default:
		if raw, _ := root.(json.RawMessage); string(raw) != jsonNull {
			return nil, -1, fmt.Errorf("cannot unmarshal %s into an object document", raw)
		}
		root = nullObject{}
	}
	root, i, err := applyOperations(root, ops)
	if err != nil {
		return nil, i, err
	}
	if !isContainer(root) {
		if isNull(root) {
			return []byte(jsonNull), -1, nil // the document was replaced by null
		}
		return nil, -1, fmt.Errorf("invalid value, expected object")
	}
	var buf bytes.Buffer
	if err := encodeOrderedJSON(&buf, root); err != nil {
		return nil, -1, err
	}
	return buf.Bytes(), -1, nil
}
