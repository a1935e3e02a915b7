package yamlenc

import (
	"strconv"
	"strings"
	"testing"
)

// TestIsInteger checks the allocation-free integer syntax against strconv, which yaml.v3
// uses, on every short string over an alphabet of digits, signs and base prefixes.
func TestIsInteger(t *testing.T) {
	const alphabet = "0179aAfgbBoOxX+-"
	var walk func(s string, depth int)
	walk = func(s string, depth int) {
		_, errInt := strconv.ParseInt(s, 0, 64)
		_, errUint := strconv.ParseUint(s, 0, 64)
		if want := errInt == nil || errUint == nil; isInteger(s) != want {
			t.Errorf("isInteger(%q) = %v, want %v", s, !want, want)
		}
		if depth == 0 {
			return
		}
		for _, c := range alphabet {
			walk(s+string(c), depth-1)
		}
	}
	walk("", 4)
	for _, s := range []string{
		"9223372036854775807", "9223372036854775808", "+9223372036854775807",
		"+9223372036854775808", "-9223372036854775808", "-9223372036854775809",
		"18446744073709551615", "18446744073709551616", "0xffffffffffffffff",
		"0x10000000000000000", "-0x8000000000000000", "-0x8000000000000001",
		"0b" + strings.Repeat("1", 64), "0b1" + strings.Repeat("0", 64),
		"0o1777777777777777777777", "0o2000000000000000000000", "01777777777777777777777",
		"02000000000000000000000",
	} {
		_, errInt := strconv.ParseInt(s, 0, 64)
		_, errUint := strconv.ParseUint(s, 0, 64)
		if want := errInt == nil || errUint == nil; isInteger(s) != want {
			t.Errorf("isInteger(%q) = %v, want %v", s, !want, want)
		}
	}
}

// TestIsYAMLFloat checks the float syntax matcher against yaml.v3's regular expression on
// every short string over an alphabet of digits, signs, dots and exponents.
func TestIsYAMLFloat(t *testing.T) {
	const alphabet = "09.eE+-_x"
	var walk func(s string, depth int)
	walk = func(s string, depth int) {
		if want := yamlFloatPattern.MatchString(s); isYAMLFloat(s) != want {
			t.Errorf("isYAMLFloat(%q) = %v, want %v", s, !want, want)
		}
		if depth == 0 {
			return
		}
		for _, c := range alphabet {
			walk(s+string(c), depth-1)
		}
	}
	walk("", 5)
}
