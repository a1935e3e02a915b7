package yamlenc

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// FuzzMarshal builds a value from the fuzz input and checks that Marshal writes exactly what
// yaml.v3 writes, and that yaml.v3 reads the output back as the value.
func FuzzMarshal(f *testing.F) {
	f.Add([]byte("\x08\x02\x03key\x00\x00\x05value\x04list\x00\x0a\x02\x04\x01\x02\x03\x04\x05\x06\x07\x08\x05\x00\x00\x00\x00\x00\x00\xf8\x7f"))
	f.Add([]byte("\x0a\x03\x00\x04a: b\x01\x03- c\x07\x00\x07line\nend"))
	for _, s := range trickyStrings {
		if len(s) < 0xf0 {
			// {s: [s]}
			seed := append([]byte{8, 1, byte(len(s))}, s...)
			seed = append(seed, 0, 10, 1, 0, byte(len(s)))
			f.Add(append(seed, s...))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &valueGen{data: data}
		v := g.value(0)
		want, wantErr := oracleMarshal(v)
		got, err := Marshal(v)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("Marshal(%#v) error = %v, yaml.v3 error = %v", v, err, wantErr)
		}
		if err != nil {
			return
		}
		if string(got) != string(want) {
			t.Fatalf("Marshal(%#v) =\n%q\nyaml.v3 =\n%q", v, got, want)
		}
		expected, ok := readBack(v)
		if !ok {
			return
		}
		var decoded any
		if err := yaml.Unmarshal(got, &decoded); err != nil {
			t.Fatalf("yaml.v3 cannot read back\n%s\nas %#v: %v", got, v, err)
		}
		if !reflect.DeepEqual(decoded, expected) {
			t.Fatalf("yaml.v3 reads back\n%s\nas %#v, want %#v", got, decoded, expected)
		}
	})
}

// valueGen turns fuzz bytes into a JSON-compatible value: each byte picks a kind, the
// following bytes give its size and contents.
type valueGen struct {
	data []byte
}

func (g *valueGen) byte() byte {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return b
}

func (g *valueGen) bytes(n int) []byte {
	n = min(n, len(g.data))
	b := g.data[:n]
	g.data = g.data[n:]
	return b
}

func (g *valueGen) string() string {
	n := int(g.byte())
	if n >= 0xf0 {
		// A long string: repeat a short one past the 128-byte simple-key limit.
		unit := string(g.bytes(1 + int(g.byte()%8)))
		return strings.Repeat(unit, 1+(130+(n-0xf0)*8)/max(len(unit), 1))
	}
	return string(g.bytes(n))
}

// fuzzWords are fragments the fuzzer is unlikely to find byte by byte.
var fuzzWords = []string{
	"true", "null", "~", "<<", "0x1F", "0o17", "0b+1", "1_000", ".5_0", "1e3", ".inf", "-.Inf",
	"2001-12-14", "2001-12-14 21:59:43.10", "---", "...", ": ", " #", "\u2028", "\u2029",
	"\u0085", "\ufeff", "\u00a0", "😀", "\r\n", "\t", "\n\n", " \n", "\n ", "'", `"`, "\\",
}

func (g *valueGen) value(depth int) any {
	kind := g.byte()
	if depth > 6 {
		kind %= 8 // scalars only
	}
	switch kind % 12 {
	case 0:
		return g.string()
	case 1:
		return g.string() + fuzzWords[int(g.byte())%len(fuzzWords)] + g.string()
	case 2:
		return g.byte()&1 == 1
	case 3:
		return nil
	case 4:
		return int64(binary.LittleEndian.Uint64(append(g.bytes(8), make([]byte, 8)...)))
	case 5:
		return math.Float64frombits(binary.LittleEndian.Uint64(append(g.bytes(8), make([]byte, 8)...)))
	case 6:
		return json.Number(g.string())
	case 7:
		return float64(int8(g.byte())) / 4
	case 8, 9:
		n := int(g.byte() % 6)
		m := make(map[string]any, n)
		for range n {
			k := g.string()
			if g.byte()&1 == 1 {
				k += fuzzWords[int(g.byte())%len(fuzzWords)]
			}
			m[k] = g.value(depth + 1)
		}
		return m
	default:
		n := int(g.byte() % 6)
		l := make([]any, 0, n)
		for range n {
			l = append(l, g.value(depth+1))
		}
		return l
	}
}

// readBack is what yaml.v3 decodes the YAML of v into, and whether it should: values whose
// YAML yaml.v3 cannot read back as written are left out (it writes infinities and NaN as
// "!!float +Inf", json.Numbers as written, so "08" as "!!int 08" and "010" as octal, and
// literal blocks with lines starting with a tab).
func readBack(v any) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, item := range t {
			if !stringReadsBack(k) {
				return nil, false
			}
			r, ok := readBack(item)
			if !ok {
				return nil, false
			}
			out[k] = r
		}
		return out, true
	case []any:
		out := make([]any, 0, len(t))
		for _, item := range t {
			r, ok := readBack(item)
			if !ok {
				return nil, false
			}
			out = append(out, r)
		}
		return out, true
	case string:
		return t, stringReadsBack(t)
	case int64:
		return int(t), true
	case float64:
		return floatReadBack(t)
	case json.Number:
		if i, err := t.Int64(); err == nil {
			// Only canonical forms: yaml.v3 writes "010" as is and reads it as octal.
			return int(i), t.String() == strconv.FormatInt(i, 10)
		}
		f, err := t.Float64()
		if err != nil {
			return nil, false
		}
		return floatReadBack(f)
	}
	return v, true
}

func floatReadBack(f float64) (any, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, false
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int(f), true
	}
	return f, true
}

func stringReadsBack(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	// A literal block line starting with a tab is written as is, and yaml.v3's parser
	// then takes the tab for indentation and fails.
	return !strings.Contains(s, "\n") || !strings.HasPrefix(s, "\t") && !strings.Contains(s, "\n\t")
}
