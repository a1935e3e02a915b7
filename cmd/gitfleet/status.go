package main

import (
	"errors"
	"fmt"
	"io"
	"path"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/gitfleet/gitfleet/reconciler/clusterstatus"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

func newStatusCommand() *cobra.Command {
	var repoURL, statusRef, cacheDir string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the fleet's status as the hub recorded it on the status ref",
		Long: `status reads the status ref (no cluster is contacted) and prints two tables: each member
cluster's Ready condition and last sync (rendered commit, objects, problems), and each
propagated template's clusters, how many applied and healthy, and ready/total replicas for
workloads; then the hub's decisions in force: taints it put on clusters, evictions in
progress and descheduling reductions.`,
		Example: `  gitfleet status --repo .
  gitfleet status --repo https://git.example.com/platform/fleet.git`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if repoURL == "" {
				return errors.New("--repo is required")
			}
			repo, err := gitstore.Open(cmd.Context(), gitstore.Options{URL: repoURL, Auth: authFromEnv(), CacheDir: cacheDir})
			if err != nil {
				return err
			}
			fsys, commit, err := readRef(repo, statusRef)
			if err != nil {
				return err
			}
			if fsys == nil {
				return fmt.Errorf("%s has no %s yet: no hub has recorded status", repo, statusRef)
			}
			summary, err := clusterstatus.ReadSummary(fsys)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "status %.12s\n", commit)
			return writeSummary(cmd.OutOrStdout(), summary)
		},
	}
	f := cmd.Flags()
	f.StringVar(&repoURL, "repo", "", "the fleet repository: a local path or an http(s) URL")
	f.StringVar(&statusRef, "status-ref", "gitfleet/status", "the branch holding the status")
	f.StringVar(&cacheDir, "cache-dir", "", "with an http(s) --repo: keep the clone here between runs")
	return cmd
}

func writeSummary(w io.Writer, s *clusterstatus.Summary) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CLUSTER\tREADY\tSYNCED TO\tOBJECTS\tPROBLEMS")
	for _, c := range s.Clusters {
		ready := c.Ready
		if c.Reason != "" {
			ready += " (" + c.Reason + ")"
		}
		synced := shortCommit(c.AppliedCommit)
		if c.SyncError != "" {
			synced = "error: " + c.SyncError
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\n", c.Name, ready, synced, c.Objects, c.Problems)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "TEMPLATE\tCLUSTERS\tAPPLIED\tHEALTHY\tREADY/REPLICAS")
	for _, t := range s.Templates {
		replicas := "-"
		if t.HasReplicas {
			replicas = fmt.Sprintf("%d/%d", t.ReadyReplicas, t.Replicas)
		}
		name := path.Join(t.Resource.Kind, t.Resource.Namespace, t.Resource.Name)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", name, t.Clusters, t.Applied, t.Healthy, replicas)
	}
	if len(s.Decisions) > 0 {
		fmt.Fprintln(tw)
		fmt.Fprintln(tw, "DECISION\tCLUSTER\tOBJECT\tWHAT\tSINCE")
		for _, d := range s.Decisions {
			object := d.Object
			if object == "" {
				object = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Kind, d.Cluster, object, d.What, d.Since)
		}
	}
	return tw.Flush()
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
