package yamlenc

import (
	"strconv"
	"strings"
	"time"
)

// resolved is the type yaml.v3 gives a plain scalar when it reads one.
type resolved uint8

const (
	resolvedString resolved = iota
	resolvedNull
	resolvedBool
	resolvedInt
	resolvedFloat
	resolvedTimestamp
	resolvedMerge
)

// resolve reports which type yaml.v3 reads the plain scalar s as. It follows yaml.v3's
// resolver rule for rule — the first byte picks the candidates, then exact words, then
// timestamps, integers in every base strconv knows, YAML-style floats, and "0b"/"0o" with a
// sign after the prefix — without allocating for anything but unusual near-numbers.
func resolve(s string) resolved {
	if s == "" {
		return resolvedNull
	}
	switch resolveHint[s[0]] {
	case hintDot:
		if r, ok := resolveWord(s); ok {
			return r
		}
		if dotFloatCandidate(s) {
			if _, err := strconv.ParseFloat(s, 64); err == nil {
				return resolvedFloat
			}
		}
	case hintNumber:
		if r, ok := resolveWord(s); ok {
			return r
		}
		if isTimestamp(s) {
			return resolvedTimestamp
		}
		return resolveNumber(s)
	case hintWord:
		if r, ok := resolveWord(s); ok {
			return r
		}
	}
	return resolvedString
}

// resolveHint sorts scalars by their first byte into those that may be a word, a number or
// a timestamp, or a float starting with a dot; all others are strings.
var resolveHint = func() (t [256]uint8) {
	for _, c := range "yYnNtTfFoO~<" {
		t[c] = hintWord
	}
	for _, c := range "+-0123456789" {
		t[c] = hintNumber
	}
	t['.'] = hintDot
	return t
}()

const (
	hintWord = 1 + iota
	hintNumber
	hintDot
)

// resolveWord looks s up among the words YAML gives a meaning (the YAML 1.1 booleans such
// as "yes" and "on" are not among them: yaml.v3 reads those as strings).
func resolveWord(s string) (resolved, bool) {
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return resolvedBool, true
	case "~", "null", "Null", "NULL":
		return resolvedNull, true
	case ".nan", ".NaN", ".NAN",
		".inf", ".Inf", ".INF",
		"+.inf", "+.Inf", "+.INF",
		"-.inf", "-.Inf", "-.INF":
		return resolvedFloat, true
	case "<<":
		return resolvedMerge, true
	}
	return resolvedString, false
}

// dotFloatCandidate reports whether s (starting with '.') has only characters
// strconv.ParseFloat could accept in a decimal number, so it is worth parsing.
func dotFloatCandidate(s string) bool {
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9', c == '_', c == 'e', c == 'E', c == '+', c == '-', c == '.':
		default:
			return false
		}
	}
	return len(s) > 1
}

// timestampLayouts are the timestamp forms yaml.v3 recognises.
var timestampLayouts = [...]string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// isTimestamp reports whether s reads as a timestamp: four digits, a dash, and one of the
// timestampLayouts.
func isTimestamp(s string) bool {
	if len(s) < 5 || s[4] != '-' {
		return false
	}
	for i := range 4 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	for _, layout := range timestampLayouts {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// resolveNumber resolves a scalar starting with a sign or a digit that is no word or
// timestamp. Underscores are ignored anywhere, as yaml.v3 does.
func resolveNumber(s string) resolved {
	plain := s
	if strings.IndexByte(s, '_') >= 0 {
		plain = strings.ReplaceAll(s, "_", "")
	}
	if isInteger(plain) {
		return resolvedInt
	}
	if isYAMLFloat(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil { // fails only on overflow
			return resolvedFloat
		}
	}
	// "0b" and "0o" are also parsed with an explicit base, which accepts a sign after the
	// prefix ("0b-101"); unsigned and "-0b" forms were already covered by isInteger.
	for _, p := range [...]struct {
		prefix string
		base   int
	}{{"0b", 2}, {"0o", 8}} {
		if rest, ok := strings.CutPrefix(plain, p.prefix); ok && len(rest) > 1 && (rest[0] == '+' || rest[0] == '-') {
			if digitsBelow(rest[1:], p.base) {
				if _, err := strconv.ParseInt(rest, p.base, 64); err == nil {
					return resolvedInt
				}
			}
		}
	}
	return resolvedString
}

// isInteger reports whether strconv.ParseInt(s, 0, 64) or strconv.ParseUint(s, 0, 64)
// accepts s, which has no underscores.
func isInteger(s string) bool {
	sign := byte(0)
	if s != "" && (s[0] == '+' || s[0] == '-') {
		sign, s = s[0], s[1:]
	}
	u, ok := parseUintBase0(s)
	switch {
	case !ok:
		return false
	case sign == '+':
		return u < 1<<63
	case sign == '-':
		return u <= 1<<63
	}
	return true
}

// parseUintBase0 is strconv.ParseUint(s, 0, 64) for s without underscores: decimal, or
// octal, binary or hexadecimal after a "0", "0o", "0b" or "0x" prefix.
func parseUintBase0(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	base := uint64(10)
	if s[0] == '0' {
		base, s = 8, s[1:]
		if len(s) >= 2 {
			switch s[0] | 0x20 {
			case 'b':
				base, s = 2, s[1:]
			case 'o':
				base, s = 8, s[1:]
			case 'x':
				base, s = 16, s[1:]
			}
		}
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		d := digitValue(s[i])
		if d >= base {
			return 0, false
		}
		if n > (1<<64-1-d)/base {
			return 0, false // overflow
		}
		n = n*base + d
	}
	return n, true
}

// digitValue is the value of c as a digit in bases up to 36, or 36 if it is none.
func digitValue(c byte) uint64 {
	switch {
	case '0' <= c && c <= '9':
		return uint64(c - '0')
	case 'a' <= c|0x20 && c|0x20 <= 'z':
		return uint64(c|0x20-'a') + 10
	}
	return 36
}

// digitsBelow reports whether s is a non-empty run of digits of the given base.
func digitsBelow(s string, base int) bool {
	for i := 0; i < len(s); i++ {
		if digitValue(s[i]) >= uint64(base) {
			return false
		}
	}
	return s != ""
}

// isYAMLFloat matches s against yaml.v3's float syntax,
// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?.
func isYAMLFloat(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
