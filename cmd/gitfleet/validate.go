package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/renderer"
)

func newValidateCommand() *cobra.Command {
	var src sourceFlags
	var output string
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check a fleet repository's source tree: everything render checks, nothing written",
		Long: `validate loads a fleet repository's source tree exactly as render does — kustomizations
built, Karmada's webhook defaulting applied, every object validated — and reports every problem
as path/to/file.yaml:LINE: Kind/name: message. It exits 0 when the tree is valid and 1 otherwise.`,
		Example: `  gitfleet validate --source fleet-repo-example
  gitfleet validate --repo https://git.example.com/platform/fleet.git --source-ref main -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output != "text" && output != "json" && output != "yaml" {
				return fmt.Errorf("unsupported output format %q: use text, json or yaml", output)
			}
			tree, err := src.open(cmd.Context())
			if err != nil {
				return err
			}
			source, loadErr := renderer.LoadSource(tree.fs, renderer.LoadOptions{Epoch: tree.epoch})
			var diags renderer.Diagnostics
			if loadErr != nil && !errors.As(loadErr, &diags) {
				return loadErr
			}
			report := newValidationReport(tree.description, source, diags)
			switch output {
			case "json":
				err = writeJSON(cmd.OutOrStdout(), report)
			case "yaml":
				err = writeYAML(cmd.OutOrStdout(), report)
			default:
				err = report.writeText(cmd.OutOrStdout())
			}
			if err != nil {
				return err
			}
			if !report.Valid {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	src.bind(cmd)
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text, json or yaml")
	return cmd
}

// validationReport is what validate prints.
type validationReport struct {
	Source  string                `json:"source"`
	Valid   bool                  `json:"valid"`
	Errors  []renderer.Diagnostic `json:"errors"`
	Summary *sourceSummary        `json:"summary,omitempty"`
}

// sourceSummary counts what a valid source tree holds.
type sourceSummary struct {
	Clusters                   int `json:"clusters"`
	PropagationPolicies        int `json:"propagationPolicies"`
	ClusterPropagationPolicies int `json:"clusterPropagationPolicies"`
	OverridePolicies           int `json:"overridePolicies"`
	ClusterOverridePolicies    int `json:"clusterOverridePolicies"`
	FederatedResourceQuotas    int `json:"federatedResourceQuotas"`
	ClusterTaintPolicies       int `json:"clusterTaintPolicies"`
	InterpreterCustomizations  int `json:"resourceInterpreterCustomizations"`
	MultiClusterServices       int `json:"multiClusterServices"`
	WorkloadRebalancers        int `json:"workloadRebalancers"`
	Templates                  int `json:"resourceTemplates"`
}

func newValidationReport(description string, src *renderer.Source, diags renderer.Diagnostics) validationReport {
	r := validationReport{Source: description, Valid: len(diags) == 0 && src != nil, Errors: diags}
	if r.Errors == nil {
		r.Errors = []renderer.Diagnostic{}
	}
	if src != nil {
		r.Summary = &sourceSummary{
			Clusters:                   len(src.Clusters),
			PropagationPolicies:        len(src.PropagationPolicies),
			ClusterPropagationPolicies: len(src.ClusterPropagationPolicies),
			OverridePolicies:           len(src.OverridePolicies),
			ClusterOverridePolicies:    len(src.ClusterOverridePolicies),
			FederatedResourceQuotas:    len(src.FederatedResourceQuotas),
			ClusterTaintPolicies:       len(src.ClusterTaintPolicies),
			InterpreterCustomizations:  len(src.InterpreterCustomizations),
			MultiClusterServices:       len(src.MultiClusterServices),
			WorkloadRebalancers:        len(src.WorkloadRebalancers),
			Templates:                  len(src.Templates),
		}
	}
	return r
}

func (r validationReport) writeText(w io.Writer) error {
	if !r.Valid {
		for _, d := range r.Errors {
			if _, err := fmt.Fprintln(w, d.String()); err != nil {
				return err
			}
		}
		_, err := fmt.Fprintf(w, "%s: %d error(s)\n", r.Source, len(r.Errors))
		return err
	}
	s := r.Summary
	_, err := fmt.Fprintf(w, "%s: valid — %d clusters, %d propagation policies, %d override policies, %d resource templates\n",
		r.Source, s.Clusters, s.PropagationPolicies+s.ClusterPropagationPolicies,
		s.OverridePolicies+s.ClusterOverridePolicies, s.Templates)
	return err
}

func writeYAML(w io.Writer, v any) error {
	out, err := sigsyaml.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
