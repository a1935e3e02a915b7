package yamlenc

import (
	"strings"
	"unicode/utf8"
)

// scalar writes the string s in the given style.
func (e *encoder) scalar(s string, style scalarStyle) {
	switch style {
	case stylePlain:
		e.plain(s)
	case styleDouble:
		e.doubleQuoted(s)
	case styleSingle, styleLiteral:
		// Only these styles can break lines, so only they need the scalar's indentation.
		parent := e.indent
		e.indent = childIndent(parent, true)
		if style == styleSingle {
			e.singleQuoted(s)
		} else {
			e.literal(s)
		}
		e.indent = parent
	}
}

// lineBreak writes the line break at the start of s, of width w, as itself.
func (e *encoder) lineBreak(s string, w int) {
	e.out = append(e.out, s[:w]...)
	e.column = 0
	e.indention = true
}

// singleQuoted writes s in single quotes, doubling the quotes in it. The only line breaks
// it can hold are LS and PS (LF makes a literal block, CR and NEL force double quotes, and
// so does a space next to a break); libyaml writes them as they are and indents the text
// after them.
func (e *encoder) singleQuoted(s string) {
	e.indicator("'", true, false, false)
	afterBreak := false
	for i := 0; i < len(s); {
		c, w := rune(s[i]), 1
		if c >= utf8.RuneSelf {
			c, w = utf8.DecodeRuneInString(s[i:])
			if isBreak(c) {
				e.lineBreak(s[i:], w)
				afterBreak = true
				i += w
				continue
			}
		}
		if afterBreak {
			e.writeIndent()
			afterBreak = false
		}
		if c == '\'' {
			e.out = append(e.out, '\'')
		}
		// Copy up to the next quote or multi-byte character.
		j := i + w
		for j < len(s) && s[j] < utf8.RuneSelf && s[j] != '\'' {
			j++
		}
		e.out = append(e.out, s[i:j]...)
		e.column += j - i
		e.indention = false
		i = j
	}
	e.indicator("'", false, false, false)
}

// literal writes s, which holds a line break, as a literal block: "|", an indentation
// indicator when s starts with a space or a break, a chomping indicator ("-" without a
// trailing break, "+" to keep more than one), then the lines indented.
func (e *encoder) literal(s string) {
	e.indicator("|", true, false, false)
	first, _ := utf8.DecodeRuneInString(s)
	if first == ' ' || isBreak(first) {
		e.indicator(indentIndicator, false, false, false)
	}
	if chomp := chompIndicator(s); chomp != "" {
		e.indicator(chomp, false, false, false)
	}
	e.newline()
	e.whitespace = true
	afterBreak := true
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\n' {
			e.newline()
			afterBreak = true
			i++
			continue
		}
		if c >= utf8.RuneSelf || c == '\r' {
			if r, w := utf8.DecodeRuneInString(s[i:]); isBreak(r) {
				e.lineBreak(s[i:], w)
				afterBreak = true
				i += w
				continue
			}
		}
		if afterBreak {
			e.writeIndent()
			afterBreak = false
		}
		// Copy up to the next byte that may start a line break.
		j := i + 1
		for j < len(s) && !mayStartBreak(s[j]) {
			j++
		}
		e.out = append(e.out, s[i:j]...)
		e.column += j - i
		e.indention = false
		i = j
	}
}

// mayStartBreak reports whether c is the first byte of a line break (LF, CR, or the UTF-8
// encodings of NEL, LS and PS); continuation bytes never are.
func mayStartBreak(c byte) bool {
	return c == '\n' || c == '\r' || c == 0xc2 || c == 0xe2
}

// indentIndicator tells a reader a literal block's indentation (indentStep) when its first
// line starts with a space or is empty, so the indentation cannot be inferred.
const indentIndicator = "2"

// chompIndicator is the block chomping indicator libyaml writes for s.
func chompIndicator(s string) string {
	last, w := utf8.DecodeLastRuneInString(s)
	if !isBreak(last) {
		return "-"
	}
	if len(s) == w {
		return "+"
	}
	if previous, _ := utf8.DecodeLastRuneInString(s[:len(s)-w]); isBreak(previous) {
		return "+"
	}
	return ""
}

// doubleQuoted writes s in double quotes with libyaml's escapes. A string that starts with
// a byte order mark has every character escaped, as libyaml does.
func (e *encoder) doubleQuoted(s string) {
	e.indicator(`"`, true, false, false)
	escapeAll := strings.HasPrefix(s, "\uFEFF")
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !escapeAll && c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' {
				// Copy the run of characters that need no escape at once.
				j := i + 1
				for j < len(s) && s[j] >= 0x20 && s[j] <= 0x7e && s[j] != '"' && s[j] != '\\' {
					j++
				}
				e.out = append(e.out, s[i:j]...)
				e.column += j - i
				i = j
				continue
			}
			e.escape(rune(c))
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if escapeAll || !printable(r) || isBreak(r) {
			e.escape(r)
		} else {
			e.out = append(e.out, s[i:i+w]...)
			e.column += w
		}
		i += w
	}
	e.indicator(`"`, false, false, false)
}

const hexDigits = "0123456789ABCDEF"

// escape writes the double-quoted escape sequence of r.
func (e *encoder) escape(r rune) {
	n := len(e.out)
	e.out = append(e.out, '\\')
	switch r {
	case 0:
		e.out = append(e.out, '0')
	case '\a':
		e.out = append(e.out, 'a')
	case '\b':
		e.out = append(e.out, 'b')
	case '\t':
		e.out = append(e.out, 't')
	case '\n':
		e.out = append(e.out, 'n')
	case '\v':
		e.out = append(e.out, 'v')
	case '\f':
		e.out = append(e.out, 'f')
	case '\r':
		e.out = append(e.out, 'r')
	case 0x1b:
		e.out = append(e.out, 'e')
	case '"':
		e.out = append(e.out, '"')
	case '\\':
		e.out = append(e.out, '\\')
	case 0x85:
		e.out = append(e.out, 'N')
	case 0xa0:
		e.out = append(e.out, '_')
	case 0x2028:
		e.out = append(e.out, 'L')
	case 0x2029:
		e.out = append(e.out, 'P')
	default:
		digits := 8
		switch {
		case r <= 0xff:
			e.out = append(e.out, 'x')
			digits = 2
		case r <= 0xffff:
			e.out = append(e.out, 'u')
			digits = 4
		default:
			e.out = append(e.out, 'U')
		}
		for shift := (digits - 1) * 4; shift >= 0; shift -= 4 {
			e.out = append(e.out, hexDigits[(r>>shift)&0xf])
		}
	}
	e.column += len(e.out) - n
}
