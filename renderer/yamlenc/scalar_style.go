package yamlenc

import (
	"unicode/utf8"
)

// scalarInfo is what the emitter needs to know about a string to pick its style: the
// outcome of scanning it once, as bits.
type scalarInfo uint8

const (
	// multiline: the string holds a line break (LF, CR, NEL, LS or PS); it cannot be an
	// implicit mapping key.
	multiline scalarInfo = 1 << iota
	// hasLF: the string holds '\n'; the node builder asks for a literal block then.
	hasLF
	// noPlain: the string cannot be a plain scalar in block context (leading or trailing
	// whitespace or line breaks, an indicator where it would be read as one, a tab, a
	// character that must be escaped).
	noPlain
	// noSingle: the string cannot be single-quoted (a tab, an escaped character, or a
	// space next to a line break, which single quotes would fold away).
	noSingle
	// noBlock: the string cannot be a literal block (trailing space, a space before a line
	// break, or a character that must be escaped).
	noBlock
)

// scalarStyle is how a string is written.
type scalarStyle uint8

const (
	stylePlain scalarStyle = iota
	styleSingle
	styleDouble
	styleLiteral
)

// byteClass holds, per byte, the properties analyzeScalar looks at. A byte of class
// classPrintable alone changes nothing wherever it is past the first; those are skipped
// in bulk.
var byteClass = func() (t [256]uint8) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = classPrintable
	}
	t['\n'] = classBreak
	t['\r'] = classBreak
	t[' '] |= classSpace
	t['\t'] = classTab
	t[':'] |= classIndicatorBeforeBlank
	t['#'] |= classIndicatorAfterBlank
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = classNonASCII
	}
	return t
}()

// firstByteClass holds, per byte, whether it is an indicator at the start of a scalar:
// always, or when a blank or the end follows.
var firstByteClass = func() (t [256]uint8) {
	for _, c := range "#,[]{}&*!|>'\"%@`" {
		t[c] = classIndicator
	}
	for _, c := range "?:-" {
		t[c] = classIndicatorBeforeBlank
	}
	return t
}()

const (
	classPrintable            = 1 << iota // written as itself in any quoting style
	classSpace                            // ' '
	classTab                              // '\t'
	classBreak                            // '\n' or '\r'
	classNonASCII                         // a byte of a multi-byte character
	classIndicator                        // an indicator (at the start of a scalar)
	classIndicatorBeforeBlank             // an indicator when followed by a blank or the end
	classIndicatorAfterBlank              // an indicator after a blank or a line break
)

// analyzeScalar scans s the way libyaml's emitter does before choosing a style. ok is false
// when s is not valid UTF-8, which yaml.v3 refuses to write as a string.
func analyzeScalar(s string) (info scalarInfo, ok bool) {
	n := len(s)
	if n == 0 {
		return 0, true
	}
	var (
		indicator, tab, special, breaks bool
		leadingSpace, leadingBreak      bool
		trailingSpace, trailingBreak    bool
		breakSpace, spaceBreak          bool
		previousSpace, previousBreak    bool
		precededByBlank                 = true
	)
	if n >= 3 && (s[:3] == "---" || s[:3] == "...") {
		indicator = true
	}
	switch firstByteClass[s[0]] {
	case classIndicator:
		indicator = true
	case classIndicatorBeforeBlank:
		if n == 1 || s[1] == ' ' || s[1] == '\t' {
			indicator = true
		}
	}
	for i := 0; ; {
		if j := i; byteClass[s[j]] == classPrintable {
			for j++; j < n && byteClass[s[j]] == classPrintable; j++ {
			}
			previousSpace, previousBreak, precededByBlank = false, false, false
			if i = j; i == n {
				break
			}
		}
		c := s[i]
		class := byteClass[c]
		if class&classNonASCII == 0 {
			if i > 0 && (class&classIndicatorBeforeBlank != 0 && (i+1 == n || s[i+1] == ' ' || s[i+1] == '\t') ||
				class&classIndicatorAfterBlank != 0 && precededByBlank) {
				indicator = true
			}
			switch {
			case class&classSpace != 0:
				if i == 0 {
					leadingSpace = true
				}
				if i+1 == n {
					trailingSpace = true
				}
				if previousBreak {
					breakSpace = true
				}
				previousSpace, previousBreak = true, false
				precededByBlank = true
			case class&classBreak != 0:
				if c == '\n' {
					info |= hasLF
				} else {
					special = true // CR is not printable
				}
				breaks = true
				if i == 0 {
					leadingBreak = true
				}
				if i+1 == n {
					trailingBreak = true
				}
				if previousSpace {
					spaceBreak = true
				}
				previousSpace, previousBreak = false, true
				precededByBlank = true
			default:
				if class&classTab != 0 {
					tab = true
				} else if class&classPrintable == 0 {
					special = true
				}
				previousSpace, previousBreak = false, false
				precededByBlank = c == '\t' || c == 0
			}
			if i++; i == n {
				break
			}
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w == 1 {
			return 0, false
		}
		if !printable(r) {
			special = true
		}
		if isBreak(r) {
			breaks = true
			if i == 0 {
				leadingBreak = true
			}
			if i+w == n {
				trailingBreak = true
			}
			if previousSpace {
				spaceBreak = true
			}
			previousSpace, previousBreak = false, true
			precededByBlank = true
		} else {
			previousSpace, previousBreak = false, false
			precededByBlank = false
		}
		if i += w; i == n {
			break
		}
	}

	if breaks {
		info |= multiline
	}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak || breakSpace || breaks || indicator {
		info |= noPlain
	}
	if breakSpace || spaceBreak || tab || special {
		info |= noPlain | noSingle
	}
	if trailingSpace || spaceBreak || special {
		info |= noBlock
	}
	return info, true
}

// printable reports whether libyaml writes r unescaped (tab and LF are handled apart).
func printable(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r == '\n' || r >= 0x20 && r <= 0x7e
	case r < 0xa0:
		return false
	case r < 0x10000:
		return r != 0xfeff && r != 0xfffe && r != 0xffff
	}
	return false // libyaml escapes everything beyond the Basic Multilingual Plane
}

// isBreak reports whether r is a line break to libyaml: LF, CR, NEL, LS or PS.
func isBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029
}

// chooseStyle picks the style yaml.v3 writes a !!str node in: a literal block when the
// string has a newline (unless it cannot be one), double quotes when it would read back as
// another type, otherwise plain if the emitter allows, then single, then double quotes.
// Implicit keys take the same styles: one with a line break is always an explicit key.
func chooseStyle(s string, info scalarInfo) scalarStyle {
	if info&hasLF != 0 {
		if info&noBlock != 0 {
			return styleDouble
		}
		return styleLiteral
	}
	switch {
	case resolve(s) != resolvedString:
		return styleDouble
	case info&noPlain == 0:
		return stylePlain
	case info&noSingle == 0:
		return styleSingle
	}
	return styleDouble
}
