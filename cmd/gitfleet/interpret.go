package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer"
	"github.com/gitfleet/gitfleet/renderer/interpreter"
)

// interpretFlags are the flags of `gitfleet interpret`, karmadactl interpret's.
type interpretFlags struct {
	customizations []string
	operation      string
	check          bool
	desiredFile    string
	observedFile   string
	statusFile     string
	desiredReplica int32
	output         string
}

func newInterpretCommand() *cobra.Command {
	var f interpretFlags
	cmd := &cobra.Command{
		Use:   "interpret [-f CUSTOMIZATION]... (--operation OPERATION | --check)",
		Short: "Run one resource-interpreter operation locally, or check customizations",
		Long: `interpret runs one resource-interpreter operation on objects in files and prints its result,
like karmadactl interpret: the same flags, the same operations, the same rules gitfleet's
controllers apply. Use it to test a ResourceInterpreterCustomization before pushing it.

With -f, the customizations in the files (or directories) come first for their kinds and the
built-in rules answer the rest; without -f only the built-in rules run. Operations:
interpretReplica, interpretComponent, reviseReplica (--desired-replica), retain (needs both
--desired-file and --observed-file), interpretStatus, aggregateStatus (--status-file: a
stream of {clusterName, status, applied, health} items), interpretHealth and
interpretDependency. Every operation but retain takes one object: --desired-file or
--observed-file. A file argument of - reads standard input.

The result prints as YAML, or with -o json as one JSON object keyed by result: replicas and
requirements, components, object, status, healthy or dependencies.

--check validates the customizations instead: every object must be a well-formed
ResourceInterpreterCustomization, and every rule's Lua script must compile and define its
function. It reports each rule as PASS, ERROR or UNSET.

interpret exits 0 on success, 1 when the input is wrong (a broken file, a failing script, a
kind no rule covers) and 2 on a usage error.`,
		Example: `  gitfleet interpret --operation interpretHealth --observed-file deployment.yaml
  gitfleet interpret --operation aggregateStatus --desired-file deployment.yaml --status-file items.yaml -o json
  gitfleet interpret -f customization.yaml --operation interpretReplica --desired-file workload.yaml
  gitfleet interpret -f customization.yaml --operation reviseReplica --desired-file workload.yaml --desired-replica 2
  gitfleet interpret -f customization.yaml --operation retain --desired-file desired.yaml --observed-file observed.yaml
  gitfleet interpret -f customizations/ --check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.check {
				return f.runCheck(cmd)
			}
			return f.runOperation(cmd)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.customizations, "filename", "f", nil,
		"a file or directory of ResourceInterpreterCustomizations (repeatable); without it the built-in rules run")
	fl.StringVar(&f.operation, "operation", "", "the operation to run: one of "+strings.Join(operationNames(), ", "))
	fl.BoolVar(&f.check, "check", false, "validate the customizations given with -f and report each rule")
	fl.StringVar(&f.desiredFile, "desired-file", "", "the resource template (desiredObj of the scripts)")
	fl.StringVar(&f.observedFile, "observed-file", "", "a member cluster's copy of the object (observedObj of the scripts)")
	fl.StringVar(&f.statusFile, "status-file", "", "aggregateStatus: the members' status items (statusItems of the script)")
	fl.Int32Var(&f.desiredReplica, "desired-replica", 0, "reviseReplica: the replicas to write (desiredReplica of the script)")
	fl.StringVarP(&f.output, "output", "o", "", "output format: yaml (the default for an operation), json, or text (the default for --check)")
	return cmd
}

// operationNames lists the operations as the command line spells them.
func operationNames() []string {
	var names []string
	for _, op := range interpreter.Operations() {
		names = append(names, interpreter.CommandLineName(op))
	}
	return names
}

// runOperation runs one operation and prints its result.
func (f *interpretFlags) runOperation(cmd *cobra.Command) error {
	if f.operation == "" {
		return errors.New("say what to run: --operation OPERATION, or --check to validate customizations")
	}
	op, err := interpreter.ParseOperation(f.operation)
	if err != nil {
		return err
	}
	if f.output == "" {
		f.output = "yaml"
	}
	if f.output != "yaml" && f.output != "json" {
		return fmt.Errorf("unsupported output format %q: use yaml or json", f.output)
	}
	if err := f.checkOperationFlags(cmd, op); err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()

	set := &customizationSet{}
	if len(f.customizations) > 0 {
		if set, err = loadCustomizations(f.customizations); err != nil {
			return err
		}
		if len(set.diags) > 0 {
			return reportInputDiagnostics(stderr, set.diags)
		}
	}
	req := interpreter.Request{Operation: op, DesiredReplica: int64(f.desiredReplica)}
	in := cmd.InOrStdin()
	if req.Desired, err = readObject(in, stderr, "--desired-file", f.desiredFile); err != nil {
		return err
	}
	if req.Observed, err = readObject(in, stderr, "--observed-file", f.observedFile); err != nil {
		return err
	}
	if f.statusFile != "" {
		data, err := readInput(in, "--status-file", f.statusFile)
		if err != nil {
			return err
		}
		if req.StatusItems, err = interpreter.DecodeStatusItems(displayName(f.statusFile), data); err != nil {
			return inputError(stderr, err)
		}
	}

	interp, err := interpreter.New(set.loaded)
	if err != nil {
		return inputError(stderr, set.locate(err))
	}
	res, err := interp.Run(req)
	if err != nil {
		if errors.Is(err, interpreter.ErrNoHook) {
			err = noRuleError(err, op)
		}
		return inputError(stderr, set.locate(err))
	}
	out := cmd.OutOrStdout()
	if f.output == "json" {
		return writeJSON(out, res)
	}
	subject := req.Desired
	if subject == nil {
		subject = req.Observed
	}
	if _, err := fmt.Fprintf(out, "# %s of %s: %s rule\n", res.Operation, describeObject(subject), res.Rule); err != nil {
		return err
	}
	return writeYAML(out, res)
}

// checkOperationFlags rejects flag combinations the operation cannot use.
func (f *interpretFlags) checkOperationFlags(cmd *cobra.Command, op interpreter.Operation) error {
	// Placeholders stand for the files, so that the request's own rules decide.
	probe := interpreter.Request{Operation: op}
	if f.desiredFile != "" {
		probe.Desired = &unstructured.Unstructured{}
	}
	if f.observedFile != "" {
		probe.Observed = &unstructured.Unstructured{}
	}
	if err := probe.Validate(); err != nil {
		return fmt.Errorf("%w (--desired-file, --observed-file)", err)
	}
	if f.statusFile != "" && op != v1alpha1.InterpreterOperationAggregateStatus {
		return fmt.Errorf("--status-file is read by aggregateStatus only, not by %s", f.operation)
	}
	changed := cmd.Flags().Changed("desired-replica")
	switch {
	case op == v1alpha1.InterpreterOperationReviseReplica && !changed:
		return errors.New("reviseReplica needs --desired-replica N: the replicas to write")
	case op != v1alpha1.InterpreterOperationReviseReplica && changed:
		return fmt.Errorf("--desired-replica is read by reviseReplica only, not by %s", f.operation)
	}
	stdin := 0
	for _, file := range []string{f.desiredFile, f.observedFile, f.statusFile} {
		if file == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return errors.New("only one file can be read from standard input (-)")
	}
	return nil
}

// noRuleError explains an operation that no rule implements for the object's kind.
func noRuleError(err error, op interpreter.Operation) error {
	hint := "no customization given with -f targets this kind, and there is no built-in rule for it"
	if op == v1alpha1.InterpreterOperationInterpretHealth {
		hint += " (gitfleet counts such objects as Healthy, as Karmada does)"
	}
	return fmt.Errorf("%w: %s", err, hint)
}

// runCheck validates customization files and reports every rule.
func (f *interpretFlags) runCheck(cmd *cobra.Command) error {
	switch {
	case f.operation != "":
		return errors.New("use either --check or --operation, not both")
	case len(f.customizations) == 0:
		return errors.New("--check needs the customizations to check: -f FILE_OR_DIRECTORY")
	case f.desiredFile != "" || f.observedFile != "" || f.statusFile != "" || cmd.Flags().Changed("desired-replica"):
		return errors.New("--check reads only -f; the object and status files belong to --operation")
	}
	if f.output == "" {
		f.output = "text"
	}
	if f.output != "text" && f.output != "yaml" && f.output != "json" {
		return fmt.Errorf("unsupported output format %q: use text, yaml or json", f.output)
	}
	set, err := loadCustomizations(f.customizations)
	if err != nil {
		return err
	}
	report := set.checkReport()
	out := cmd.OutOrStdout()
	switch f.output {
	case "json":
		err = writeJSON(out, report)
	case "yaml":
		err = writeYAML(out, report)
	default:
		err = report.writeText(out)
	}
	if err != nil {
		return err
	}
	if !report.Valid {
		return &exitError{code: 1}
	}
	return nil
}

// customizationSet is what -f gave: the customizations, where each came from, and every
// problem found in the files.
type customizationSet struct {
	// loaded holds the customizations as the loader defaulted them, when there is no problem.
	loaded []*v1alpha1.ResourceInterpreterCustomization
	// found holds every customization document, read leniently, for --check to report on
	// even when the loader rejects it.
	found []foundCustomization
	// diags holds every problem, located in the files as the user named them.
	diags renderer.Diagnostics
}

// foundCustomization is one customization document of a file.
type foundCustomization struct {
	path string
	doc  interpreter.Document
	ric  *v1alpha1.ResourceInterpreterCustomization
}

// scriptLine returns the file line of line n of a rule's script (see Document.TextLine);
// n = 0 gives the line of the script.
func (fc *foundCustomization) scriptLine(field string, n int) int {
	return fc.doc.TextLine(n, "spec", "customizations", field, "luaScript")
}

// locate prefixes an error about a customization's script with the file and line it is
// about, when the error names a script of a customization that -f gave.
func (s *customizationSet) locate(err error) error {
	name, field, n, ok := interpreter.ScriptLocation(err)
	if !ok {
		return err
	}
	for _, fc := range s.found {
		if fc.ric.Name == name {
			return fmt.Errorf("%s:%d: %w", fc.path, fc.scriptLine(field, n), err)
		}
	}
	return err
}

// customizationKind is the apiVersion and kind -f accepts.
var customizationKind = struct{ apiVersion, kind string }{
	v1alpha1.ConfigGroupVersion.String(), "ResourceInterpreterCustomization",
}

// loadCustomizations reads -f's files and directories with the fleet loader — so a
// customization is checked here exactly as validate and render check it, with the same
// file:line diagnostics — and rejects any object that is not a customization. A path that
// does not exist is a usage error.
func loadCustomizations(paths []string) (*customizationSet, error) {
	files, err := customizationFiles(paths)
	if err != nil {
		return nil, err
	}
	set := &customizationSet{}
	tree := renderer.NewTree()
	names := map[string]string{} // path in tree → path as the user named it
	for n, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("-f: %w", err)
		}
		// The loader reads *.yaml files; JSON is YAML. The names keep the files' order.
		key := fmt.Sprintf("%06d.yaml", n)
		tree.Put(key, data)
		names[key] = file
		set.scan(file, data)
	}
	src, err := renderer.LoadSource(tree.FS(), renderer.LoadOptions{})
	var diags renderer.Diagnostics
	switch {
	case errors.As(err, &diags):
		for _, d := range diags {
			if user, ok := names[d.Path]; ok {
				d.Path = user
			}
			// Lua's messages come with runs of white space, newlines included.
			d.Message = strings.Join(strings.Fields(d.Message), " ")
			set.diags = append(set.diags, d)
		}
	case err != nil:
		return nil, err
	default:
		set.loaded = src.InterpreterCustomizations
	}
	slices.SortStableFunc(set.diags, func(a, b renderer.Diagnostic) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	if len(set.found) == 0 && len(set.diags) == 0 {
		set.diags = append(set.diags, renderer.Diagnostic{Path: strings.Join(paths, ", "),
			Message: "no ResourceInterpreterCustomization found"})
	}
	if len(set.diags) > 0 {
		set.loaded = nil
	}
	return set, nil
}

// scan reads a file's documents leniently: it records the customizations and reports every
// object that is not one. Syntax errors are left to the loader, which reports them.
func (s *customizationSet) scan(file string, data []byte) {
	docs, err := interpreter.DecodeDocuments(file, data)
	if err != nil {
		return
	}
	for _, doc := range docs {
		m, _ := doc.Value.(map[string]any)
		apiVersion, _ := m["apiVersion"].(string)
		kind, _ := m["kind"].(string)
		name, _, _ := unstructured.NestedString(m, "metadata", "name")
		if apiVersion != customizationKind.apiVersion || kind != customizationKind.kind {
			s.diags = append(s.diags, renderer.Diagnostic{Path: file, Line: doc.Line, Kind: kind, Name: name,
				Message: fmt.Sprintf("not a ResourceInterpreterCustomization (%s %s): -f takes customizations only",
					customizationKind.apiVersion, customizationKind.kind)})
			continue
		}
		ric := &v1alpha1.ResourceInterpreterCustomization{}
		// Lenient on purpose: the loader reports unknown fields and wrong types, and
		// encoding/json decodes what it can around them.
		if data, err := json.Marshal(m); err == nil {
			_ = json.Unmarshal(data, ric)
		}
		s.found = append(s.found, foundCustomization{path: file, doc: doc, ric: ric})
	}
}

// customizationFiles expands -f's arguments: a file stands for itself, a directory for its
// *.yaml, *.yml and *.json files, recursively, in lexical order, skipping dot-directories.
func customizationFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("-f: %w", err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir() && path != p && strings.HasPrefix(d.Name(), "."):
				return filepath.SkipDir
			case d.Type().IsRegular() && slices.Contains([]string{".yaml", ".yml", ".json"}, filepath.Ext(path)):
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("-f: %w", err)
		}
	}
	return files, nil
}

// checkReport is what --check prints.
type checkReport struct {
	Valid          bool                  `json:"valid"`
	Customizations []customizationCheck  `json:"customizations"`
	Errors         []renderer.Diagnostic `json:"errors"`
}

// customizationCheck is the verdict on one customization.
type customizationCheck struct {
	Path   string                       `json:"path"`
	Line   int                          `json:"line"`
	Name   string                       `json:"name"`
	Target v1alpha1.CustomizationTarget `json:"target"`
	Rules  []interpreter.RuleCheck      `json:"rules"`
	// Errors are the problems of the customization that are about no single rule.
	Errors []renderer.Diagnostic `json:"errors"`
}

// checkReport checks every rule of every customization found, and sorts the loader's
// problems under the rule, the customization or the file they are about.
func (s *customizationSet) checkReport() checkReport {
	report := checkReport{Valid: len(s.diags) == 0, Errors: []renderer.Diagnostic{}}
	claimed := make([]bool, len(s.diags))
	for _, fc := range s.found {
		c := customizationCheck{Path: fc.path, Line: fc.doc.Line, Name: fc.ric.Name, Target: fc.ric.Spec.Target,
			Rules: interpreter.CheckRules(fc.ric), Errors: []renderer.Diagnostic{}}
		for n := range c.Rules {
			r := &c.Rules[n]
			if r.Verdict != interpreter.RuleError {
				continue
			}
			line := fc.scriptLine(r.Field, 0)
			if _, field, at, ok := interpreter.ScriptLocation(errors.New(r.Message)); ok && field == r.Field {
				line = fc.scriptLine(r.Field, at)
			}
			r.Message = fmt.Sprintf("%s:%d: %s", fc.path, line, r.Message)
		}
		for n, d := range s.diags {
			if claimed[n] || d.Path != fc.path || d.Kind != customizationKind.kind || d.Name != fc.ric.Name {
				continue
			}
			claimed[n] = true
			if r := ruleOf(c.Rules, d.Field); r != nil {
				// The loader's verdict on the script itself (it compiles, it is not empty)
				// is the rule check's too, which says it in fewer words; anything else
				// about the rule (an unknown field) comes first.
				if r.Verdict == interpreter.RuleError && strings.HasSuffix(d.Field, ".luaScript") {
					continue
				}
				msg := fmt.Sprintf("%s:%d: %s", d.Path, d.Line, d.Message)
				if r.Verdict == interpreter.RuleError {
					msg += "; " + r.Message
				}
				r.Verdict, r.Message = interpreter.RuleError, msg
				continue
			}
			c.Errors = append(c.Errors, d)
		}
		for _, r := range c.Rules {
			if r.Verdict == interpreter.RuleError {
				report.Valid = false
			}
		}
		report.Customizations = append(report.Customizations, c)
	}
	for n, d := range s.diags {
		if !claimed[n] {
			report.Errors = append(report.Errors, d)
		}
	}
	if report.Customizations == nil {
		report.Customizations = []customizationCheck{}
	}
	return report
}

// ruleOf returns the rule a field path of a customization is under, or nil.
func ruleOf(rules []interpreter.RuleCheck, field string) *interpreter.RuleCheck {
	for n := range rules {
		prefix := "spec.customizations." + rules[n].Field
		if field == prefix || strings.HasPrefix(field, prefix+".") {
			return &rules[n]
		}
	}
	return nil
}

// writeText prints the report as karmadactl interpret --check does: per customization its
// source, target and one line per rule.
func (r checkReport) writeText(w io.Writer) error {
	var b strings.Builder
	width := 0
	for _, op := range interpreter.Operations() {
		width = max(width, len(op))
	}
	errorsFound := 0
	for _, c := range r.Customizations {
		fmt.Fprintf(&b, "%s:%d: ResourceInterpreterCustomization/%s (target %s %s)\n",
			c.Path, c.Line, c.Name, orUnset(c.Target.APIVersion), orUnset(c.Target.Kind))
		for _, d := range c.Errors {
			fmt.Fprintf(&b, "  %s\n", d.String())
			errorsFound++
		}
		for _, rule := range c.Rules {
			fmt.Fprintf(&b, "  %-*s  %s", width, rule.Operation, strings.ToUpper(string(rule.Verdict)))
			if rule.Verdict == interpreter.RuleError {
				fmt.Fprintf(&b, ": %s", rule.Message)
				errorsFound++
			}
			b.WriteByte('\n')
		}
	}
	for _, d := range r.Errors {
		fmt.Fprintln(&b, d.String())
		errorsFound++
	}
	verdict := "valid"
	if !r.Valid {
		verdict = fmt.Sprintf("%d error(s)", errorsFound)
	}
	fmt.Fprintf(&b, "%d customization(s): %s\n", len(r.Customizations), verdict)
	_, err := io.WriteString(w, b.String())
	return err
}

// orUnset shows an empty field as <unset>.
func orUnset(s string) string {
	if s == "" {
		return "<unset>"
	}
	return s
}

// readObject reads the one object of an object file flag; "" means the flag is not set. A
// file that cannot be read is a usage error; one that holds no single object is wrong input
// (reported on stderr, exit code 1).
func readObject(stdin io.Reader, stderr io.Writer, flag, file string) (*unstructured.Unstructured, error) {
	if file == "" {
		return nil, nil
	}
	data, err := readInput(stdin, flag, file)
	if err != nil {
		return nil, err
	}
	obj, err := interpreter.DecodeObject(displayName(file), data)
	if err != nil {
		return nil, inputError(stderr, err)
	}
	return obj, nil
}

// readInput reads a file, or standard input for "-".
func readInput(stdin io.Reader, flag, file string) ([]byte, error) {
	var (
		data []byte
		err  error
	)
	if file == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	return data, nil
}

// displayName names a file argument in errors.
func displayName(file string) string {
	if file == "-" {
		return "<stdin>"
	}
	return file
}

// describeObject names an object as "<apiVersion> <Kind> <namespace>/<name>".
func describeObject(obj *unstructured.Unstructured) string {
	name := obj.GetName()
	if ns := obj.GetNamespace(); ns != "" {
		name = ns + "/" + name
	}
	return strings.TrimSpace(fmt.Sprintf("%s %s %s", obj.GetAPIVersion(), obj.GetKind(), name))
}

// inputError prints an error about the input and ends with exit code 1.
func inputError(w io.Writer, err error) error {
	fmt.Fprintln(w, "error:", err)
	return &exitError{code: 1}
}

// reportInputDiagnostics prints the problems of the customization files and ends with exit
// code 1.
func reportInputDiagnostics(w io.Writer, diags renderer.Diagnostics) error {
	for _, d := range diags {
		fmt.Fprintln(w, d.String())
	}
	fmt.Fprintf(w, "%d error(s) in the customizations\n", len(diags))
	return &exitError{code: 1}
}
