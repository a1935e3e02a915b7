// Package yamlenc writes JSON-compatible values (what unstructured Kubernetes objects and
// decoded JSON hold) as block-style YAML, fast and with few allocations.
//
// The output is byte-for-byte what go.yaml.in/yaml/v3 writes for the same value when it is
// given as a node tree with sorted mapping keys, every string tagged !!str, and encoded with
// an Encoder indenting by two spaces — the way the renderer emitted manifests before this
// package existed — so rendered golden files and rendered branches do not change. Instead
// of building a node tree and running the libyaml state machine, Marshal walks the value
// once and appends straight to a byte slice: the emitter's few layout rules (where a line
// breaks, how deep it indents, which scalar style a string gets) are reproduced directly.
package yamlenc

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Marshal returns the YAML encoding of v: a map[string]any (written with sorted keys),
// []any, string, bool, nil, int, int64, float64 or json.Number, nested arbitrarily. Any
// other type, a string that is not valid UTF-8, or a json.Number that is not a number is an
// *Error.
//
// Numbers are written the way encoding/json would: an integral float64 smaller than 2^53 in
// magnitude without a fraction, other floats in the shortest form that reads back exactly.
// Unlike encoding/json, infinities and NaN are not refused; they are written as yaml.v3
// wrote them ("!!float +Inf"), which yaml.v3 cannot read back.
//
// Marshal and Append are safe for concurrent use.
func Marshal(v any) ([]byte, error) {
	e := encoderPool.Get().(*encoder)
	defer e.release()
	out, err := e.encode(e.buf[:0], v)
	e.buf = out
	if err != nil {
		return nil, err
	}
	return slices.Clone(out), nil
}

// Append appends the YAML encoding of v (see Marshal) to dst and returns the extended
// slice. On error dst is returned unchanged, together with the error. Reusing dst across
// calls makes encoding allocation-free in the common case.
func Append(dst []byte, v any) ([]byte, error) {
	e := encoderPool.Get().(*encoder)
	defer e.release()
	out, err := e.encode(dst, v)
	if err != nil {
		return dst, err
	}
	return out, nil
}

// Error reports a value Marshal cannot encode, and where in the encoded value it sits.
type Error struct {
	// Path locates the offending value from the root, like `spec.containers[0].image`;
	// keys that are not simple identifiers are quoted. It is empty for the root itself.
	Path string
	// Err says what is wrong with the value.
	Err error
}

func (e *Error) Error() string {
	if e.Path == "" {
		return "yamlenc: " + e.Err.Error()
	}
	return "yamlenc: " + e.Path + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// encodeError is an Error under construction: path segments are collected innermost first
// while the recursion unwinds, so the happy path pays nothing for locating errors.
type encodeError struct {
	segments []string
	err      error
}

func (e *encodeError) at(segment string) *encodeError {
	e.segments = append(e.segments, segment)
	return e
}

func (e *encodeError) finish() *Error {
	var b strings.Builder
	for i := len(e.segments) - 1; i >= 0; i-- {
		s := e.segments[i]
		if b.Len() > 0 && s[0] != '[' {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return &Error{Path: b.String(), Err: e.err}
}

// keySegment is how a mapping key appears in an Error's Path.
func keySegment(k string) string {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '/') {
			return strconv.Quote(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}

// maxPooledBuffer bounds the scratch buffer kept between calls, so one huge object does not
// pin its memory forever.
const maxPooledBuffer = 1 << 20

var encoderPool = sync.Pool{New: func() any { return &encoder{} }}

// encoder is the state of one encoding: the output and the few pieces of the emitter's
// state that decide layout.
type encoder struct {
	buf []byte // scratch output of Marshal, kept across calls
	// entries holds the entries of the mappings being written, as a stack: each mapping
	// sorts its entries in a window at the end.
	entries []mapEntry

	out []byte // output being appended to
	// indent is the indentation of the current block collection or scalar; -1 at the root.
	indent int
	// column is the output column; only compared against indent, so it counts bytes.
	column int
	// whitespace is set when the last thing written was whitespace or an indentation, so
	// the next token needs no separating space.
	whitespace bool
	// indention is set while nothing but indentation and "- ", "? ", ": " indicators was
	// written on the current line: a block collection starting then shares the line.
	indention bool
}

// release returns e to the pool.
func (e *encoder) release() {
	e.entries = e.entries[:0]
	e.out = nil
	if cap(e.buf) > maxPooledBuffer {
		e.buf = nil
	}
	encoderPool.Put(e)
}

// encode appends the document holding v to dst.
func (e *encoder) encode(dst []byte, v any) ([]byte, error) {
	e.out = dst
	e.indent = -1
	e.column = 0
	e.whitespace = true
	e.indention = true
	if err := e.value(v); err != nil {
		clear(e.entries) // the mappings the error unwound through left theirs
		e.entries = e.entries[:0]
		return dst, err.finish()
	}
	e.writeIndent() // the document ends with a line break
	return e.out, nil
}

// value writes a node: a block collection, an empty flow collection or a scalar.
func (e *encoder) value(v any) *encodeError {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 {
			e.emptyCollection("{}")
			return nil
		}
		return e.mapping(t)
	case []any:
		if len(t) == 0 {
			e.emptyCollection("[]")
			return nil
		}
		return e.sequence(t)
	case string:
		info, ok := analyzeScalar(t)
		if !ok {
			return &encodeError{err: fmt.Errorf("string %q is not valid UTF-8", t)}
		}
		e.scalar(t, chooseStyle(t, info))
		return nil
	case bool:
		if t {
			e.plain("true")
		} else {
			e.plain("false")
		}
		return nil
	case nil:
		e.plain("null")
		return nil
	case int64:
		e.integer(t)
		return nil
	case int:
		e.integer(int64(t))
		return nil
	case float64:
		e.float(t)
		return nil
	case json.Number:
		return e.number(t)
	}
	return &encodeError{err: fmt.Errorf("cannot encode a %T as YAML", v)}
}

// mapEntry is one key and value of a mapping being written.
type mapEntry struct {
	key   string
	value any
}

// mapping writes a non-empty block mapping with its keys in sorted order.
func (e *encoder) mapping(m map[string]any) *encodeError {
	start := len(e.entries)
	for k, v := range m {
		e.entries = append(e.entries, mapEntry{k, v})
	}
	end := len(e.entries)
	sortEntries(e.entries[start:end])

	parent := e.indent
	e.indent = childIndent(parent, false)
	for i := start; i < end; i++ {
		entry := e.entries[i] // by index: nested mappings may move the stack
		k := entry.key
		info, ok := analyzeScalar(k)
		if !ok {
			return &encodeError{err: fmt.Errorf("key %q is not valid UTF-8", k)}
		}
		e.writeIndent()
		if info&multiline == 0 && len(k) <= maxSimpleKey {
			e.scalar(k, chooseStyle(k, info))
			e.indicator(":", false, false, false)
		} else {
			// A long or multi-line key is written as an explicit "? key" entry with
			// its value on a ": value" line.
			e.indicator("?", true, false, true)
			e.scalar(k, chooseStyle(k, info))
			e.writeIndent()
			e.indicator(":", true, false, true)
		}
		if err := e.value(entry.value); err != nil {
			return err.at(keySegment(k))
		}
	}
	e.indent = parent
	clear(e.entries[start:end]) // let the pooled encoder drop the values
	e.entries = e.entries[:start]
	return nil
}

// sortEntries sorts entries by key: by insertion for the small mappings that make up most
// of a manifest, which beats the general sort.
func sortEntries(entries []mapEntry) {
	if len(entries) > 12 {
		slices.SortFunc(entries, func(a, b mapEntry) int { return strings.Compare(a.key, b.key) })
		return
	}
	for i := 1; i < len(entries); i++ {
		for j := i; j > 0 && entries[j].key < entries[j-1].key; j-- {
			entries[j], entries[j-1] = entries[j-1], entries[j]
		}
	}
}

// maxSimpleKey is the longest key, in bytes, written as "key: value" rather than as an
// explicit "? key" entry (YAML limits implicit keys to 1024 characters; libyaml uses 128).
const maxSimpleKey = 128

// sequence writes a non-empty block sequence.
func (e *encoder) sequence(items []any) *encodeError {
	parent := e.indent
	e.indent = childIndent(parent, false)
	for i, item := range items {
		e.writeIndent()
		e.indicator("-", true, false, true)
		if err := e.value(item); err != nil {
			return err.at("[" + strconv.Itoa(i) + "]")
		}
	}
	e.indent = parent
	return nil
}

// emptyCollection writes "{}" or "[]": yaml.v3 writes empty collections in flow style.
func (e *encoder) emptyCollection(s string) {
	e.indicator(s[:1], true, true, false)
	e.indicator(s[1:], false, false, false)
}

// childIndent is the indentation of a node nested in one indented by parent (-1 for the
// document root): a block collection at the root starts at column 0, while the
// continuation lines of a root scalar are indented.
func childIndent(parent int, scalar bool) int {
	if parent < 0 {
		if scalar {
			return indentStep
		}
		return 0
	}
	return parent + indentStep
}

// indentStep is the indentation the renderer asks for (Encoder.SetIndent(2)).
const indentStep = 2

// integer writes a plain integer.
func (e *encoder) integer(i int64) {
	e.separate()
	n := len(e.out)
	e.out = strconv.AppendInt(e.out, i, 10)
	e.wrote(len(e.out) - n)
}

// float writes f as the renderer's node builder did: integral values below 2^53 as
// integers, anything else in strconv's shortest 'g' form, which reads back as a float
// except for infinities and NaN ("+Inf", "NaN"): those are tagged !!float.
func (e *encoder) float(f float64) {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		e.integer(int64(f))
		return
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		e.tag("float")
	}
	e.separate()
	n := len(e.out)
	e.out = strconv.AppendFloat(e.out, f, 'g', -1, 64)
	e.wrote(len(e.out) - n)
}

// number writes a json.Number: as written when it is an int64, otherwise as the float it
// parses to.
func (e *encoder) number(n json.Number) *encodeError {
	text := n.String()
	if isDecimal(text) { // spare Int64 its error allocation for the many that are not
		if _, err := n.Int64(); err == nil {
			if resolve(text) != resolvedInt {
				e.tag("int") // like "08": an int64 to Go, a float to YAML
			}
			e.plain(text)
			return nil
		}
	}
	f, err := n.Float64()
	if err != nil {
		return &encodeError{err: fmt.Errorf("number %q: %w", n, err)}
	}
	e.float(f)
	return nil
}

// isDecimal reports whether s is an optionally signed run of decimal digits, the only
// form strconv.ParseInt(s, 10, 64) accepts.
func isDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// tag writes the secondary-handle tag "!!suffix" before a scalar.
func (e *encoder) tag(suffix string) {
	e.separate()
	e.out = append(e.out, "!!"...)
	e.out = append(e.out, suffix...)
	e.wrote(2 + len(suffix))
}

// plain writes a plain scalar whose text needs no analysis.
func (e *encoder) plain(text string) {
	e.separate()
	e.out = append(e.out, text...)
	e.wrote(len(text))
}

// separate writes the space between a preceding token and the next one.
func (e *encoder) separate() {
	if !e.whitespace {
		e.out = append(e.out, ' ')
		e.column++
	}
}

// wrote records that n bytes of a token were written.
func (e *encoder) wrote(n int) {
	e.column += n
	e.whitespace = false
	e.indention = false
}

// indicator writes an indicator ("-", "?", ":", "{", ...) the way the emitter does:
// needSpace separates it from a preceding token, isSpace lets the next token follow
// without a space, keepsIndention keeps the line counting as indentation.
func (e *encoder) indicator(s string, needSpace, isSpace, keepsIndention bool) {
	if needSpace && !e.whitespace {
		e.out = append(e.out, ' ')
		e.column++
	}
	e.out = append(e.out, s...)
	e.column += len(s)
	e.whitespace = isSpace
	e.indention = e.indention && keepsIndention
}

// writeIndent moves to the current indentation: onto a new line unless the current line
// holds only indentation (and indicators) that end before it.
func (e *encoder) writeIndent() {
	indent := max(e.indent, 0)
	if !e.indention || e.column > indent || (e.column == indent && !e.whitespace) {
		e.newline()
	}
	for e.column < indent {
		n := min(indent-e.column, len(spaces))
		e.out = append(e.out, spaces[:n]...)
		e.column += n
	}
	e.whitespace = true
}

// spaces is indentation to copy from.
const spaces = "                                                                "

// newline ends the current line.
func (e *encoder) newline() {
	e.out = append(e.out, '\n')
	e.column = 0
	e.indention = true
}
