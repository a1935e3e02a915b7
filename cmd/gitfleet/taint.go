package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/membership"
)

func newTaintCommand() *cobra.Command {
	var (
		edit      membershipFlags
		overwrite bool
	)
	cmd := &cobra.Command{
		Use:   "taint NAME KEY[=VALUE]:EFFECT|KEY:EFFECT-|KEY- ... --repo PATH_OR_URL",
		Short: "Add, change or remove taints of a member cluster in the fleet's source",
		Long: `taint edits spec.taints of Cluster NAME in the source branch, as karmadactl taint clusters
does, and commits it: one commit "Taint cluster NAME: SPECS" by gitfleet. Only the lines of
spec.taints change; comments and the rest of the file stay as they are.

  KEY[=VALUE]:EFFECT   add a taint (EFFECT is NoSchedule or NoExecute); changing the value of
                       a taint with the same key and effect needs --overwrite
  KEY:EFFECT-          remove the taint with that key and effect
  KEY-                 remove every taint with that key

A NoExecute taint gets timeAdded = the commit's time, so that the file says when it was added.
Removing a taint that is not there fails, and so does a source that would not validate.`,
		Example: `  gitfleet taint eu-1 maintenance=db:NoExecute --repo /srv/fleet.git
  gitfleet taint eu-1 dedicated=gpu:NoSchedule --overwrite --repo https://git.example.com/fleet.git --push
  gitfleet taint eu-1 maintenance-  --repo /srv/fleet.git`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			taints, err := membership.ParseTaints(args[1:])
			if err != nil {
				return err
			}
			taints.Overwrite = overwrite
			repo, err := edit.open(cmd)
			if err != nil {
				return err
			}
			res, err := membership.Taint(cmd.Context(), repo, edit.sourceRef, name, taints, membership.Author(time.Now()))
			if err != nil {
				return err
			}
			if !res.Changed {
				fmt.Fprintf(cmd.OutOrStdout(), "cluster %s already has these taints: nothing to commit (%s@%s is at %.12s)\n",
					name, repo, edit.sourceRef, res.Commit)
				return nil
			}
			printTaint(cmd.OutOrStdout(), fmt.Sprintf("tainted cluster %s (%s)", name, taints), repo, edit.sourceRef, res)
			return nil
		},
	}
	edit.bind(cmd)
	cmd.Flags().BoolVar(&overwrite, "overwrite", false, "allow changing the value of a taint the cluster has")
	return cmd
}

func newCordonCommand() *cobra.Command {
	return newCordonLikeCommand("cordon", "Mark a member cluster unschedulable: nothing new is placed on it",
		`cordon adds the taint cluster.karmada.io/unschedulable:NoSchedule to Cluster NAME in the
source branch, in one commit "Cordon cluster NAME": the scheduler places nothing new on the
cluster; workloads already placed stay. A cordoned cluster is left as it is (no commit).`,
		membership.Cordon, "is already cordoned")
}

func newUncordonCommand() *cobra.Command {
	return newCordonLikeCommand("uncordon", "Mark a member cluster schedulable again",
		`uncordon removes the taint cluster.karmada.io/unschedulable:NoSchedule from Cluster NAME in
the source branch, in one commit "Uncordon cluster NAME". A cluster that is not cordoned is
left as it is (no commit).`,
		membership.Uncordon, "is not cordoned")
}

// newCordonLikeCommand builds cordon and uncordon, which differ only in their edit.
func newCordonLikeCommand(verb, short, long string,
	run func(ctx context.Context, repo *gitstore.Repository, branch, name string, author gitstore.Signature) (membership.TaintResult, error),
	already string) *cobra.Command {
	var edit membershipFlags
	cmd := &cobra.Command{
		Use:     verb + " NAME --repo PATH_OR_URL",
		Short:   short,
		Long:    long,
		Example: "  gitfleet " + verb + " eu-1 --repo /srv/fleet.git",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			repo, err := edit.open(cmd)
			if err != nil {
				return err
			}
			res, err := run(cmd.Context(), repo, edit.sourceRef, name, membership.Author(time.Now()))
			if err != nil {
				return err
			}
			if !res.Changed {
				fmt.Fprintf(cmd.OutOrStdout(), "cluster %s %s: nothing to commit (%s@%s is at %.12s)\n",
					name, already, repo, edit.sourceRef, res.Commit)
				return nil
			}
			printTaint(cmd.OutOrStdout(), verb+"ed cluster "+name, repo, edit.sourceRef, res)
			return nil
		},
	}
	edit.bind(cmd)
	return cmd
}

// printTaint reports what taint, cordon or uncordon committed, and the taints the cluster
// has now.
func printTaint(w io.Writer, what string, repo *gitstore.Repository, branch string, res membership.TaintResult) {
	fmt.Fprintf(w, "%s: committed %s to %s@%s (%.12s)\n", what, res.Path, repo, branch, res.Commit)
	if len(res.Taints) == 0 {
		fmt.Fprintln(w, "taints: none")
		return
	}
	for _, t := range res.Taints {
		fmt.Fprintf(w, "taint: %s\n", membership.FormatTaint(t, false))
	}
}
