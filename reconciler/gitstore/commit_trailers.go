package gitstore

import (
	"errors"
	"fmt"
	"strings"
)

// Trailer keys gitfleet writes (DESIGN §1.2): metadata about a commit that is not part of its
// tree, so that it does not change the tree.
const (
	// TrailerSourceCommit names the source commit a render was made from.
	TrailerSourceCommit = "Source-Commit"
	// TrailerStatusCommit names the status commit a render read.
	TrailerStatusCommit = "Status-Commit"
	// TrailerRenderedCommit names, on a cluster branch, the render its directory was copied
	// from.
	TrailerRenderedCommit = "Rendered-Commit"
)

// commitMessage is message, cleaned up as git does (no trailing white space, one final
// newline), followed by a blank line and the trailer block.
func commitMessage(message string, trailers []Trailer) (string, error) {
	message = strings.TrimRight(message, " \t\r\n")
	if message == "" {
		return "", errors.New("empty commit message")
	}
	var b strings.Builder
	b.WriteString(message)
	b.WriteString("\n")
	for i, t := range trailers {
		if !validTrailerKey(t.Key) {
			return "", fmt.Errorf("trailer key %q: want letters, digits and dashes", t.Key)
		}
		if t.Value == "" || strings.ContainsAny(t.Value, "\r\n") || strings.TrimSpace(t.Value) != t.Value {
			return "", fmt.Errorf("trailer %s: value %q must be one non-empty line without surrounding spaces", t.Key, t.Value)
		}
		if i == 0 {
			b.WriteString("\n")
		}
		b.WriteString(t.Key)
		b.WriteString(": ")
		b.WriteString(t.Value)
		b.WriteString("\n")
	}
	return b.String(), nil
}

func validTrailerKey(key string) bool {
	if key == "" || key[0] == '-' {
		return false
	}
	for _, c := range key {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// ParseTrailers returns the trailers of a commit message by key ("Source-Commit" → sha): the
// lines of its last paragraph, when every line there is "Key: Value" (a line that starts with
// white space continues the previous value, as in git). The first paragraph, the subject, is
// never a trailer block. A key given more than once keeps its last value; keys are matched as
// written, not case-folded. A message without trailers gives nil.
func ParseTrailers(message string) map[string]string {
	lines := strings.Split(strings.ReplaceAll(message, "\r\n", "\n"), "\n")
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	end := len(lines)
	for end > 0 && blank(lines[end-1]) {
		end--
	}
	start := end
	for start > 0 && !blank(lines[start-1]) {
		start--
	}
	if start == 0 { // the only paragraph is the subject
		return nil
	}
	var (
		trailers map[string]string
		last     string
	)
	for _, line := range lines[start:end] {
		if line[0] == ' ' || line[0] == '\t' {
			if last == "" {
				return nil
			}
			trailers[last] += " " + strings.TrimSpace(line)
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok || !validTrailerKey(key) {
			return nil
		}
		if trailers == nil {
			trailers = map[string]string{}
		}
		trailers[key], last = strings.TrimSpace(value), key
	}
	return trailers
}
