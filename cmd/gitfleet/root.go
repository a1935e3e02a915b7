package main

import (
	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "gitfleet",
		Short: "Multi-cluster Kubernetes management with Git as the control plane",
		Long: `gitfleet reads Karmada propagation policies, overrides and quotas from a Git repository,
renders per-cluster manifests and keeps member clusters in sync with them.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newValidateCommand(), newRenderCommand())
	root.AddCommand(newDiffCommand())
	root.AddCommand(newPRReviewCommand())
	root.AddCommand(newGenFleetCommand())
	root.AddCommand(newDevCommand())
	root.AddCommand(newInterpretCommand())
	root.AddCommand(newJoinCommand(), newUnjoinCommand())
	root.AddCommand(newTaintCommand(), newCordonCommand(), newUncordonCommand())
	root.AddCommand(newControllerCommand(), newAgentCommand(), newStatusCommand())
	return root
}
