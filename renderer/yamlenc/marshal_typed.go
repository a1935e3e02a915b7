package yamlenc

import (
	"bytes"
	"encoding/json"
)

// JSONValue returns the JSON-compatible value of anything encoding/json accepts — a typed
// object with json tags, say — as Marshal takes it: maps, slices, strings, booleans, nil and
// json.Number (so integers stay exact). Callers that need to edit the generic form first
// (drop an empty field) use it; the others use MarshalTyped.
func JSONValue(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	return generic, nil
}

// MarshalTyped is Marshal of JSONValue(v): typed objects written as YAML with their json
// field names, sorted, exactly as they would be if decoded from JSON first.
func MarshalTyped(v any) ([]byte, error) {
	generic, err := JSONValue(v)
	if err != nil {
		return nil, err
	}
	return Marshal(generic)
}
