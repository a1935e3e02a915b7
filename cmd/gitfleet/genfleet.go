package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/gitfleet/gitfleet/reconciler/treedir"
	"github.com/gitfleet/gitfleet/renderer/fleetgen"
)

func newGenFleetCommand() *cobra.Command {
	var (
		opts           fleetgen.Options
		out, statusOut string
	)
	cmd := &cobra.Command{
		Use:   "gen-fleet",
		Short: "Generate a synthetic fleet (the benchmark fixture F100 and its relatives)",
		Long: `gen-fleet writes a synthetic fleet repository, deterministic from the seed: member clusters
over five regions with env/tier/provider labels and some tainted, apps of Deployments,
ConfigMaps and Services, propagation policies (Duplicated, static and dynamic weights, spread
constraints) and override rules. With --status-out it also writes the status tree the
dynamic weights need. Each directory is replaced as a whole.`,
		Example: `  gitfleet gen-fleet --seed 1 --clusters 100 --templates 2000 --out /tmp/f100 --status-out /tmp/f100-status
  gitfleet gen-fleet --seed 1 --clusters 1000 --templates 10000 --max-width 10 --out /tmp/f1000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return errors.New("--out is required")
			}
			source, status, err := fleetgen.Generate(opts)
			if err != nil {
				return err
			}
			if err := treedir.Replace(out, source); err != nil {
				return err
			}
			if statusOut != "" {
				if err := treedir.Replace(statusOut, status); err != nil {
					return err
				}
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "wrote %d source files and %d status files\n", source.Len(), status.Len())
			return err
		},
	}
	f := cmd.Flags()
	f.Uint64Var(&opts.Seed, "seed", 1, "seed for every random choice; the same flags always give the same fleet")
	f.IntVar(&opts.Clusters, "clusters", 100, "number of member clusters")
	f.IntVar(&opts.Templates, "templates", 2000, "number of resource templates (10 per app)")
	f.IntVar(&opts.MaxWidth, "max-width", 0, "cap the clusters one template is placed on (0: unlimited)")
	f.StringVar(&out, "out", "", "directory to write the source tree to, replacing it")
	f.StringVar(&statusOut, "status-out", "", "directory to write the status tree to, replacing it")
	return cmd
}
