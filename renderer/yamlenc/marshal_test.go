package yamlenc

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// trickyStrings are strings whose YAML form depends on one of the emitter's rules; each is
// checked as a value, a key, a sequence item and a root, at several depths.
var trickyStrings = []string{
	// Plain.
	"nginx", "a b", "nginx:1.25", "http://example.com/a?b=c#d", "a-b", "a_b", "a.b", "a/b",
	"100m", "256Mi", "1.2.3", "10.0.0.0/8", "v1", "apps/v1", "a,b", "a[b]", "a{b}", "a?b",
	"a'b", `a"b`, "a\\b", "a!b", "a&b", "a*b", "a|b", "a>b", "a%b", "a@b", "a`b", "a=b",
	"-a", "?a", ":a", "a:", "a: b", "a :b", "a #b", "a#b", "a# b", "#a", "- a", "? a", ": a",
	"-", "?", ":", "--", "---", "---a", "...", "....", "..", "-- a", "a -", "a ?", "a\t:",
	"a:\tb", "a\t#b", "@", "`", "%", "!", "&", "*", "|", ">", "'", `"`, ",", "[", "]", "{",
	"}", "#", "a:b:c", "::", "key=value", "$HOME", "~/x", "~a", "<", "<<<", "=",
	// Words and numbers that must be quoted, and near misses that must not.
	"", "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "null", "Null", "NULL",
	"nULL", "~", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
	"y", "Y", "n", "N", "<<", "0", "1", "-1", "+1", "12", "012", "08", "09", "0.5", ".5",
	"5.", "-.5", "+.5", "1e3", "1E3", "1e+3", "1e-3", "1e", "e3", "1.5e3", ".5e3", "1e400",
	"-1e400", "1e-400", "0x1F", "0X1f", "0x", "0xg", "-0x1F", "+0x1F", "0o17", "0O17",
	"0o8", "0b101", "0B101", "0b2", "0b+101", "0b-101", "0o+17", "0o-17", "-0b101",
	"-0o17", "0b+", "0o-", "1_000", "1__0", "_1", "1_", "+_1", "-_", "_", "0x_1F",
	"1_000.5", ".5_0", "._5", "._", ".e5", ".5e", ".5e+_5", ".5_e5", "1,000", "1.0.0",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "18446744073709551615", "18446744073709551616",
	"+9223372036854775808", "99999999999999999999999999", "0b" + strings.Repeat("1", 64),
	"0b+" + strings.Repeat("1", 63), "0b-" + strings.Repeat("1", 63) + "0",
	"0b+1" + strings.Repeat("0", 63), "0b-1" + strings.Repeat("0", 63),
	".nan", ".NaN", ".NAN", ".Nan", ".inf", ".Inf", ".INF", "+.inf", "-.Inf", "+.INF",
	"-.iNf", "NaN", "nan", "Inf", "-Inf", "+Inf", "infinity", ".", "+", "-0", "+0", "00",
	"0.", "-0.0", "1:20", "190:20:30", "1:2:3.5", "-1:20", "+1:20", "1:70",
	"2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.10Z",
	"2001-12-14 21:59:43.10", "2001-12-14 21:59:43.10 -5", "2002-1-2", "2002-13-02",
	"2002-12-14x", "20021-12-14", "1234-", "1234-ab",
	// Spaces, tabs and control characters.
	" ", "  ", " a", "a ", " a ", "a  b", "\t", "a\tb", "\ta", "a\t", "\x00", "a\x00b",
	"\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "a\rb", "\r", "\r\n",
	"a\r\nb", "a\\nb",
	// Line breaks: literal blocks and where they give way to double quotes.
	"\n", "\n\n", "a\n", "a\nb", "a\nb\n", "a\nb\n\n", "a\n\n\nb", "\na", "\n\na", " a\nb",
	"a\n b", "a \nb", "a\n ", "a\nb ", "a\n\tb", "\ta\nb", "a\t\nb", "a\n#b", "- a\n- b",
	"a: b\nc: d", "line1\nline2\nline3\n", "'a'\n", "\"a\"\n", "a\r\nb\n", "a\nb\x00",
	"a\n\n", "a\n\n\n", "\n \n", " \n", "\n ", "x\n\u00e9\n", "a\nb\u2028c",
	"#!/bin/sh\nset -eu\nexec \"$@\"\n", "{\n  \"json\": true\n}\n",
	// Unicode.
	"é", "héllo wörld", "日本語", "a\u00a0b", "\u00a0", "\u0085", "a\u0085b", "\u2028",
	"a\u2028b", "a\u2029b", "a\u2028", "\u2028a", "a \u2028b", "a\u2028 b", "a\u2028\u2028b",
	"'\u2028'", "\ufeff", "\ufeffa b\t\"\\é😀", "a\ufeff", "\ufffe", "\uffff", "\ufffd",
	"😀", "a😀b", "\u0080", "\u009f", "\u00a1", "\ud7ff", "\ue000", "\uefff", "\uf000",
	"\U0010ffff", "\u2027", "\u202a", "é:", "é: x", "é #x", "#é", "-é", "- é",
	// Long strings: no folding (the width is unlimited), explicit keys beyond 128 bytes.
	strings.Repeat("a", 128), strings.Repeat("a", 129), strings.Repeat("é", 64),
	strings.Repeat("é", 65), strings.Repeat("word ", 40), strings.Repeat("x", 500) + " y",
	strings.Repeat("a", 127) + "\t", strings.Repeat("a ", 100) + "\n" + strings.Repeat("b ", 100) + "b",
}

// trickyValues are non-string scalars and collections.
var trickyValues = []any{
	nil, true, false, 0, 1, -1, int64(math.MaxInt64), int64(math.MinInt64), math.MaxInt,
	0.0, math.Copysign(0, -1), 1.0, -1.0, 1.5, -1.5, 0.1, 1e20, 1e21, 1e-7, 123456789.123,
	float64(1 << 53), float64(1<<53) + 2, -float64(1 << 53), float64(1<<53) - 1, 5e-324,
	math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN(),
	json.Number("0"), json.Number("42"), json.Number("-42"), json.Number("+42"),
	json.Number("007"), json.Number("08"), json.Number("-09"), json.Number("1.5"),
	json.Number("1e3"), json.Number("1E+3"), json.Number("1.5e300"), json.Number("1e-3"),
	json.Number("9223372036854775808"), json.Number("-0"), json.Number("0.0"),
	json.Number("1_0"), json.Number("0x10"), json.Number("0x1p4"), json.Number("Inf"),
	json.Number("NaN"), json.Number(".5"),
	map[string]any{}, []any{}, map[string]any(nil), []any(nil),
	[]any{[]any{}}, []any{map[string]any{}}, map[string]any{"a": []any{}},
	[]any{[]any{[]any{"a", "b"}, "c"}, []any{}, map[string]any{"k": []any{"v"}}},
	map[string]any{"a": map[string]any{"b": map[string]any{"c": []any{map[string]any{"d": 1, "e": []any{1, 2}}}}}},
	[]any{map[string]any{"a": "x\ny", "b": []any{"p\nq\n", map[string]any{"c": "r\n\n"}}}},
	map[string]any{strings.Repeat("k", 130): map[string]any{"a": 1}, "x\ny": []any{1, 2}, "z\n": "w\n"},
	map[string]any{strings.Repeat("k", 130): []any{}, strings.Repeat("j", 130): "a\nb\n", "i\n": map[string]any{}},
	[]any{map[string]any{strings.Repeat("k", 130): "v", "a\u2028b": []any{"c"}}},
	[]any{[]any{map[string]any{"a\nb": map[string]any{"c\n": "d"}}}},
}

// contexts places a string wherever the emitter treats scalars differently.
var contexts = []struct {
	name  string
	build func(string) any
}{
	{"root", func(s string) any { return s }},
	{"value", func(s string) any { return map[string]any{"key": s} }},
	{"key", func(s string) any { return map[string]any{s: "value"} }},
	{"key of collection", func(s string) any {
		return map[string]any{s: map[string]any{"a": []any{1, s}}, s + "x": []any{map[string]any{"b": 2}}}
	}},
	{"item", func(s string) any { return []any{s, s} }},
	{"nested", func(s string) any {
		return map[string]any{"a": []any{map[string]any{s: s, "b": []any{s, []any{s}}}}, "c": map[string]any{s: []any{s}}}
	}},
}

func TestMarshalMatchesYAMLv3(t *testing.T) {
	for _, s := range trickyStrings {
		for _, c := range contexts {
			checkSame(t, c.name+" "+quoteForName(s), c.build(s))
		}
	}
	for _, v := range trickyValues {
		checkSame(t, "value", v)
		checkSame(t, "in mapping", map[string]any{"k": v, "l": []any{v, map[string]any{"m": v}}})
		checkSame(t, "in sequence", []any{v, []any{v}})
	}
}

func TestMarshalDeployment(t *testing.T) {
	checkSame(t, "deployment", deployment())
}

// checkSame fails t unless Marshal and Append give what yaml.v3 gives for v, or all fail.
func checkSame(t *testing.T, name string, v any) {
	t.Helper()
	want, wantErr := oracleMarshal(v)
	got, err := Marshal(v)
	if (err != nil) != (wantErr != nil) {
		t.Errorf("%s: Marshal(%#v) error = %v, yaml.v3 error = %v", name, v, err, wantErr)
		return
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s: Marshal(%#v) differs from yaml.v3 (-yaml.v3 +Marshal):\n%s", name, v, diff)
	}
	prefix := []byte("prefix\n")
	appended, err := Append(prefix, v)
	if (err != nil) != (wantErr != nil) || string(appended) != string(prefix)+string(want) {
		t.Errorf("%s: Append(%#v) = %q, %v; want %q", name, v, appended, err, string(prefix)+string(want))
	}
}

func quoteForName(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\n", `\n`), "/", "∕")
}

func TestMarshalErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		value any
		want  string
	}{
		{"unsupported type", map[string]any{"a": []any{1, float32(1)}}, "yamlenc: a[1]: cannot encode a float32 as YAML"},
		{"typed map", map[string]any{"spec": map[string]string{}}, "yamlenc: spec: cannot encode a map[string]string as YAML"},
		{"root", struct{}{}, "yamlenc: cannot encode a struct {} as YAML"},
		{"invalid UTF-8 value", []any{"a\xffb"}, `yamlenc: [0]: string "a\xffb" is not valid UTF-8`},
		{"invalid UTF-8 key", map[string]any{"x y": map[string]any{"\xc0": 1}}, `yamlenc: "x y": key "\xc0" is not valid UTF-8`},
		{"bad number", map[string]any{"n": json.Number("1e400")}, `yamlenc: n: number "1e400": strconv.ParseFloat: parsing "1e400": value out of range`},
		{"not a number", map[string]any{"n": json.Number("one")}, `yamlenc: n: number "one": strconv.ParseFloat: parsing "one": invalid syntax`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := oracleMarshal(tc.value); err == nil {
				t.Fatalf("yaml.v3 encodes %#v; the case is meant to fail", tc.value)
			}
			out, err := Marshal(tc.value)
			if err == nil {
				t.Fatalf("Marshal(%#v) = %q, want an error", tc.value, out)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("Marshal error %T is not an *Error", err)
			}
			if err.Error() != tc.want {
				t.Errorf("Marshal error = %q, want %q", err, tc.want)
			}
			dst := []byte("keep")
			if got, err := Append(dst, tc.value); err == nil || string(got) != "keep" {
				t.Errorf("Append = %q, %v; want dst unchanged and an error", got, err)
			}
			checkSame(t, "after an error", deployment()) // the pooled state is clean
		})
	}
}

// TestMarshalRandomDocuments compares Marshal with yaml.v3 on random documents built from
// the tricky strings and values, glued together and nested: the fuzz test explores bytes,
// this explores combinations of known hard cases.
func TestMarshalRandomDocuments(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func() string {
		s := trickyStrings[rng.IntN(len(trickyStrings))]
		if rng.IntN(4) == 0 {
			s += trickyStrings[rng.IntN(len(trickyStrings))]
		}
		return s
	}
	var build func(depth int) any
	build = func(depth int) any {
		switch k := rng.IntN(10); {
		case depth < 5 && k < 3:
			m := map[string]any{}
			for range rng.IntN(4) {
				m[pick()] = build(depth + 1)
			}
			return m
		case depth < 5 && k < 6:
			var l []any
			for range rng.IntN(4) {
				l = append(l, build(depth+1))
			}
			return l
		case k < 7:
			return trickyValues[rng.IntN(len(trickyValues))]
		}
		return pick()
	}
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for i := range n {
		v := build(0)
		want, wantErr := oracleMarshal(v)
		got, err := Marshal(v)
		if (err != nil) != (wantErr != nil) || string(got) != string(want) {
			t.Fatalf("document %d: Marshal(%#v) =\n%s\n(error %v)\nyaml.v3 =\n%s\n(error %v)", i, v, got, err, want, wantErr)
		}
	}
}

// TestMarshalConcurrent runs Marshal and Append from several goroutines at once: they
// share pooled encoders, never state.
func TestMarshalConcurrent(t *testing.T) {
	var strs []any
	for _, s := range trickyStrings {
		strs = append(strs, s)
	}
	values := []any{deployment(), trickyValues[len(trickyValues)-3], map[string]any{"a": strs}}
	want := make([]string, len(values))
	for i, v := range values {
		out, err := oracleMarshal(v)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = string(out)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			var buf []byte
			for i := range 200 {
				k := (g + i) % len(values)
				got, err := Marshal(values[k])
				if err != nil || string(got) != want[k] {
					t.Errorf("Marshal(values[%d]) = %q, %v", k, got, err)
					return
				}
				if buf, err = Append(buf[:0], values[k]); err != nil || string(buf) != want[k] {
					t.Errorf("Append(values[%d]) = %q, %v", k, buf, err)
					return
				}
			}
		})
	}
	wg.Wait()
}
