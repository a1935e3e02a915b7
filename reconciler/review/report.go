package review

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gitfleet/gitfleet/renderer"
)

// CommentMarker is the hidden line that makes the review comment sticky: a review edits the
// comment that carries it instead of adding another.
const CommentMarker = "<!-- gitfleet:pr-review -->"

// StatusContext names the commit status a review sets on the head commit.
const StatusContext = "gitfleet/placement"

// MaxCommentChars is the longest comment GitHub accepts (65,536 characters).
const MaxCommentChars = 65536

// State is a commit status state.
type State string

// The states a review sets.
const (
	// StateSuccess: the head renders and leaves every template placed.
	StateSuccess State = "success"
	// StateFailure: the head does not render, or leaves templates unschedulable or
	// without placement.
	StateFailure State = "failure"
	// StateError: the review could not compare the revisions (a commit is missing from the
	// repository, say); it says nothing about the change itself.
	StateError State = "error"
)

// Report is a review's verdict on a comparison, as data: the comment to post and the status
// to set.
type Report struct {
	// State and Description are the commit status; Description says why.
	State       State
	Description string
	// Comment is the sticky comment's body: the summary first, the Markdown diff, and
	// CommentMarker; at most MaxCommentChars characters.
	Comment string
}

// NewReport judges a comparison: the head must render and must not make any template
// unschedulable or take away all its placement. A base that does not render is no reason
// to fail a change (it may be the fix).
func NewReport(res *Result) Report {
	footer := fmt.Sprintf("\n<sub>gitfleet placement review: base `%.12s` → head `%.12s`</sub>\n%s\n",
		res.Base.Commit, res.Head.Commit, CommentMarker)
	room := MaxCommentChars - utf8.RuneCountInString(footer)

	var r Report
	switch {
	case res.Head.Invalid():
		r.State = StateFailure
		r.Description = fmt.Sprintf("head does not render: %s", plural(len(res.Head.Diagnostics), "problem"))
		r.Description += ", first " + res.Head.Diagnostics[0].String()
		r.Comment = diagnosticsMarkdown(res.Head, room)
	case res.Base.Invalid():
		r.State = StateSuccess
		r.Description = "head renders; base does not, so there is no placement diff"
		r.Comment = fmt.Sprintf("Head `%.12s` renders. Base `%.12s` does not render, so there is no placement diff to show.\n\n",
			res.Head.Commit, res.Base.Commit)
	default:
		r.State, r.Description = verdict(res.Diff)
		// Markdown bounds bytes; a byte bound is also a character bound.
		r.Comment = res.Diff.Markdown(renderer.MarkdownOptions{MaxBytes: room})
	}
	r.Comment = truncateRunes(r.Comment, room) + footer
	r.Description = truncateRunes(r.Description, MaxStatusDescription)
	return r
}

// verdict is the status of a diff between two renders: failure when templates become
// unschedulable or lose all placement, naming the first of them.
func verdict(d *renderer.TreeDiff) (State, string) {
	var unschedulable, lost int
	var first string
	for _, t := range d.Templates {
		if !t.Flagged() {
			continue
		}
		if first == "" {
			first = t.Key().String()
		}
		if t.Unschedulable {
			unschedulable++
		}
		if t.LosesAllPlacement {
			lost++
		}
	}
	if first == "" {
		return StateSuccess, d.Summary.String()
	}
	var parts []string
	if unschedulable > 0 {
		parts = append(parts, plural(unschedulable, "template")+" unschedulable")
	}
	if lost > 0 {
		parts = append(parts, plural(lost, "template")+" without placement")
	}
	return StateFailure, strings.Join(parts, ", ") + ": " + first
}

// diagnosticsMarkdown lists why a revision does not render, as many problems as fit in room.
func diagnosticsMarkdown(rev Revision, room int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s `%.12s` does not render**: %s.\n\n```text\n", rev.Name, rev.Commit, plural(len(rev.Diagnostics), "problem"))
	const closing = "```\n"
	const noteRoom = 100
	for i, d := range rev.Diagnostics {
		line := d.String() + "\n"
		if b.Len()+len(line)+len(closing)+noteRoom > room {
			b.WriteString(closing)
			fmt.Fprintf(&b, "\n%d more not shown: run `gitfleet validate` for all of them.\n", len(rev.Diagnostics)-i)
			return b.String()
		}
		b.WriteString(line)
	}
	b.WriteString(closing)
	return b.String()
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
