package renderer

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"
)

// MarkdownOptions bound the Markdown report of a TreeDiff, which is meant to be posted as a
// pull-request comment.
type MarkdownOptions struct {
	// MaxBytes bounds the whole report. GitHub rejects comments longer than 65,536
	// characters (a byte bound is also a character bound); the default leaves room for what
	// a CI step adds around the report. When everything does not fit, the summary line and
	// the template table come first and whole, then every cluster's list of objects, then
	// as many diffs as fit; each cut is said in a note. 0 means DefaultMarkdownMaxBytes.
	MaxBytes int
	// MaxDiffLines bounds each manifest's diff, so that one large change does not crowd out
	// all the others; a longer diff is cut with a note. 0 means DefaultMarkdownMaxDiffLines.
	MaxDiffLines int
}

// Defaults of MarkdownOptions.
const (
	// DefaultMarkdownMaxBytes is a little under GitHub's comment limit of 65,536 characters.
	DefaultMarkdownMaxBytes = 60000
	// DefaultMarkdownMaxDiffLines is how many lines of one manifest's diff are shown.
	DefaultMarkdownMaxDiffLines = 120
)

// DefaultMarkdownOptions returns the options for a GitHub pull-request comment.
func DefaultMarkdownOptions() MarkdownOptions {
	return MarkdownOptions{MaxBytes: DefaultMarkdownMaxBytes, MaxDiffLines: DefaultMarkdownMaxDiffLines}
}

// JSON returns the diff as indented JSON (the TreeDiff's fields and tags), ending in a
// newline.
func (d *TreeDiff) JSON() ([]byte, error) {
	out, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// Text returns the diff as plain text for a terminal: the summary line, each template's
// placement before → after (flagged ones marked with "!"), then each cluster's objects
// with the full unified diff of every changed one.
func (d *TreeDiff) Text() string {
	var b strings.Builder
	b.WriteString(d.Summary.String() + "\n")
	if len(d.Templates) > 0 {
		b.WriteString("\nTemplates (before → after):\n")
		for _, t := range d.Templates {
			mark := " "
			if t.Flagged() {
				mark = "!"
			}
			fmt.Fprintf(&b, "%s %s  %s", mark, t.Key(), changeWords(t))
			if t.HasReplicas() {
				fmt.Fprintf(&b, "  replicas %d → %d", t.ReplicasBefore, t.ReplicasAfter)
			}
			b.WriteString("\n")
			if t.Unschedulable {
				fmt.Fprintf(&b, "    Scheduled=False %s: %s\n", t.Reason, oneLine(t.Message))
			}
			for _, mv := range t.Moves() {
				fmt.Fprintf(&b, "    %s  %s → %s\n", mv.Cluster, placementWord(t, mv.Before), placementWord(t, mv.After))
			}
		}
	}
	for _, c := range d.Clusters {
		fmt.Fprintf(&b, "\n%s%s: %s\n", clusterDir(c), directoryNote(c), objectCounts(c))
		for _, o := range c.Objects {
			switch o.Change {
			case ChangeAdded:
				fmt.Fprintf(&b, "  + %s\n", o.Path)
			case ChangeRemoved:
				fmt.Fprintf(&b, "  - %s\n", o.Path)
			default:
				fmt.Fprintf(&b, "  ~ %s (+%d -%d)\n", o.Path, o.LinesAdded, o.LinesRemoved)
			}
		}
		for _, o := range c.Objects {
			if o.Diff != "" {
				b.WriteString(o.Diff)
			}
		}
	}
	return b.String()
}

// Markdown returns the diff as GitHub-flavoured Markdown for a pull-request comment: the
// summary line; a warning when templates become unschedulable or lose all placement; a
// table of template moves with `before → after` per cluster, flagged templates first and
// in bold; then one collapsed <details> block per cluster with its objects and the diff of
// each changed one in a ```diff fence. The report never exceeds opts.MaxBytes, except that
// the summary line and the notes are always written whole (see MarkdownOptions).
func (d *TreeDiff) Markdown(opts MarkdownOptions) string {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMarkdownMaxBytes
	}
	if opts.MaxDiffLines <= 0 {
		opts.MaxDiffLines = DefaultMarkdownMaxDiffLines
	}
	head := markdownHead(d)
	// The last note is always written; its room is kept from the start.
	limit := max(opts.MaxBytes, len(head)+markdownNoteRoom)
	room := limit - len(head) - markdownNoteRoom

	var b strings.Builder
	b.WriteString(head)

	// The table, whole if it fits; rows are cut at the first one that does not.
	if len(d.Templates) > 0 {
		rows := markdownTemplateRows(d)
		header := "| Template | Change | Replicas | Clusters (before → after) |\n|---|---|---|---|\n"
		shown := 0
		if len(header) <= room {
			b.WriteString(header)
			room -= len(header)
			for _, r := range rows {
				if len(r)+1 > room { // +1: the blank line after the table
					break
				}
				b.WriteString(r)
				room -= len(r)
				shown++
			}
			b.WriteString("\n")
			room--
		}
		if shown < len(rows) {
			b.WriteString(markdownNote(fmt.Sprintf("%d of %d templates not shown: the comment reached its size limit.", len(rows)-shown, len(rows))))
			return b.String()
		}
	}

	// Every cluster's block without diffs first, as many as fit; then the diffs, in order,
	// while they fit.
	sections := make([]markdownSection, 0, len(d.Clusters))
	for _, c := range d.Clusters {
		s := newMarkdownSection(c, opts.MaxDiffLines)
		if s.skeletonLen() > room {
			break
		}
		room -= s.skeletonLen()
		sections = append(sections, s)
	}
	full := true
	for i := range sections {
		s := &sections[i]
		for _, diff := range s.diffs {
			if !full || len(diff) > room {
				full = false
				break
			}
			s.shown++
			room -= len(diff)
		}
	}
	for _, s := range sections {
		b.WriteString(s.String())
	}
	if omitted := len(d.Clusters) - len(sections); omitted > 0 {
		b.WriteString(markdownNote(fmt.Sprintf("%d of %d clusters not shown: the comment reached its size limit.", omitted, len(d.Clusters))))
	}
	return b.String()
}

// markdownNoteRoom is kept for the one note that ends a cut report.
const markdownNoteRoom = 200

// fullDiffHint tells a reader where the rest of a cut report is.
const fullDiffHint = " Run `gitfleet diff --format text` for the full diff."

func markdownNote(text string) string {
	return "> [!NOTE]\n> " + text + fullDiffHint + "\n"
}

// markdownHead is the part of the report that is always written whole: the summary line
// (the report's first line) and, when there are flagged templates, a warning naming how
// many.
func markdownHead(d *TreeDiff) string {
	var b strings.Builder
	b.WriteString(d.Summary.String() + "\n\n")
	var unschedulable, lost int
	for _, t := range d.Templates {
		if t.Unschedulable {
			unschedulable++
		}
		if t.LosesAllPlacement {
			lost++
		}
	}
	if unschedulable+lost > 0 {
		b.WriteString("> [!WARNING]\n> ")
		var parts []string
		if unschedulable > 0 {
			parts = append(parts, fmt.Sprintf("**%d templates become unschedulable**", unschedulable))
		}
		if lost > 0 {
			parts = append(parts, fmt.Sprintf("**%d templates lose all placement**", lost))
		}
		b.WriteString(strings.Join(parts, ", ") + " (in bold below).\n\n")
	}
	if len(d.Templates) == 0 && len(d.Clusters) == 0 {
		b.WriteString("No placement or manifest changes.\n")
	}
	return b.String()
}

// markdownTemplateRows returns one table row per template, flagged ones first, each group
// in template order.
func markdownTemplateRows(d *TreeDiff) []string {
	var flagged, others []string
	for _, t := range d.Templates {
		name, change := "`"+t.Key().String()+"`", changeWords(t)
		if t.Flagged() {
			name, change = "**"+name+"**", "**"+change+"**"
		}
		if t.Unschedulable {
			change += "<br>" + markdownCell(t.Reason+": "+t.Message)
		}
		replicas := "-"
		if t.HasReplicas() {
			replicas = fmt.Sprintf("%d → %d", t.ReplicasBefore, t.ReplicasAfter)
		}
		var clusters []string
		for _, mv := range t.Moves() {
			clusters = append(clusters, fmt.Sprintf("`%s` %s → %s", mv.Cluster, placementWord(t, mv.Before), placementWord(t, mv.After)))
		}
		if len(clusters) == 0 {
			clusters = []string{"-"}
		}
		row := "| " + name + " | " + change + " | " + replicas + " | " + strings.Join(clusters, "<br>") + " |\n"
		if t.Flagged() {
			flagged = append(flagged, row)
		} else {
			others = append(others, row)
		}
	}
	return append(flagged, others...)
}

// markdownSection is one cluster's <details> block: its skeleton (summary line, object
// list, closing tag) always, and its first shown diffs.
type markdownSection struct {
	open, list, close string
	diffs             []string
	shown             int
	// omittedNote says how many diffs were left out; its room is part of the skeleton.
	omittedNote string
}

func newMarkdownSection(c ClusterDiff, maxDiffLines int) markdownSection {
	s := markdownSection{
		open:  fmt.Sprintf("<details><summary><code>%s</code>%s: %s</summary>\n\n", html.EscapeString(clusterDir(c)), html.EscapeString(directoryNote(c)), objectCounts(c)),
		close: "</details>\n\n",
	}
	var list strings.Builder
	for _, o := range c.Objects {
		switch o.Change {
		case ChangeAdded, ChangeRemoved:
			fmt.Fprintf(&list, "- %s `%s`\n", strings.ToLower(string(o.Change)), o.Path)
		default:
			fmt.Fprintf(&list, "- changed `%s` (+%d -%d)\n", o.Path, o.LinesAdded, o.LinesRemoved)
		}
		if o.Diff != "" {
			s.diffs = append(s.diffs, markdownDiff(o.Diff, maxDiffLines))
		}
	}
	list.WriteString("\n")
	s.list = list.String()
	if len(s.diffs) > 0 {
		s.omittedNote = fmt.Sprintf("_%d of %d diffs not shown: the comment reached its size limit._\n\n", len(s.diffs), len(s.diffs))
	}
	return s
}

func (s markdownSection) skeletonLen() int {
	return len(s.open) + len(s.list) + len(s.close) + len(s.omittedNote)
}

// String writes the block: its skeleton, the diffs that fit and a note for the others.
func (s markdownSection) String() string {
	var b strings.Builder
	b.WriteString(s.open + s.list)
	for _, d := range s.diffs[:s.shown] {
		b.WriteString(d)
	}
	if omitted := len(s.diffs) - s.shown; omitted > 0 {
		// At most as long as the note the skeleton kept room for.
		fmt.Fprintf(&b, "_%d of %d diffs not shown: the comment reached its size limit._\n\n", omitted, len(s.diffs))
	}
	b.WriteString(s.close)
	return b.String()
}

// markdownDiff fences a unified diff, cut after maxLines lines with a note. The fence is
// longer than any run of backticks in the diff, so a manifest holding ``` cannot end it.
func markdownDiff(diff string, maxLines int) string {
	lines := strings.SplitAfter(strings.TrimSuffix(diff, "\n"), "\n")
	note := ""
	if len(lines) > maxLines {
		note = fmt.Sprintf("_Diff cut after %d of %d lines._\n\n", maxLines, len(lines))
		lines = lines[:maxLines]
	}
	body := strings.TrimSuffix(strings.Join(lines, ""), "\n") + "\n"
	fence := strings.Repeat("`", max(3, longestRun(body, '`')+1))
	return fence + "diff\n" + body + fence + "\n\n" + note
}

func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// markdownCell makes text safe inside a table cell: one line, no HTML, no column breaks.
func markdownCell(s string) string {
	return strings.ReplaceAll(html.EscapeString(oneLine(s)), "|", `\|`)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// changeWords says in lower-case words what happened to a template.
func changeWords(t TemplateDiff) string {
	words := []string{strings.ToLower(string(t.Change))}
	if t.Change == ChangeKept {
		words[0] = "placement kept"
	}
	if t.Unschedulable {
		words = append(words, "unschedulable")
	}
	if t.LosesAllPlacement {
		words = append(words, "loses all placement")
	}
	return strings.Join(words, ", ")
}

// placementWord is one side of a cluster's before → after: its replicas for a template
// with replicas, "placed" for one without, "dependency" where the template only follows a
// workload, "-" where it does not go.
func placementWord(t TemplateDiff, p *ClusterPlacement) string {
	switch {
	case p == nil:
		return "-"
	case p.Dependency:
		return "dependency"
	case t.HasReplicas():
		return fmt.Sprint(p.Replicas)
	}
	return "placed"
}

func clusterDir(c ClusterDiff) string { return "karmada-es-" + c.Cluster }

func directoryNote(c ClusterDiff) string {
	switch c.Directory {
	case ChangeAdded:
		return " (new cluster directory)"
	case ChangeRemoved:
		return " (cluster directory removed)"
	}
	return ""
}

// objectCounts says how many objects a cluster gains, loses and sees changed, leaving out
// zeros.
func objectCounts(c ClusterDiff) string {
	added, removed, changed := c.Counts()
	var parts []string
	for _, p := range []struct {
		n    int
		word string
	}{{added, "added"}, {removed, "removed"}, {changed, "changed"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.word))
		}
	}
	if len(parts) == 0 {
		return "no object changes"
	}
	return strings.Join(parts, ", ")
}
