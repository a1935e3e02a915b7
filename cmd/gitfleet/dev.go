package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/gitfleet/gitfleet/reconciler/devcluster"
)

func newDevCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Start and stop local member clusters for development and the demo",
		Long: `dev runs local member clusters on this machine: one etcd shared by all of them and one
kube-apiserver per cluster, optionally with kube-controller-manager, kube-scheduler and kwok with
fake nodes, so that Deployments become Ready. The binaries come from the repository's bin/
directory (make tools builds them).`,
	}
	cmd.AddCommand(newDevUpCommand(), newDevDownCommand(), newDevStopAPIServerCommand())
	return cmd
}

func newDevUpCommand() *cobra.Command {
	var (
		opts              devcluster.Options
		stateDir          string
		cpu, memory, pods string
		nodes             int
		timeout           time.Duration
	)
	cmd := &cobra.Command{
		Use:   "up",
		Short: "Start local member clusters that keep running after the command exits",
		Long: `up starts the clusters, writes STATE_DIR/<cluster>.kubeconfig for each and a state file
recording every process, prints the kubeconfig paths (one per line, in --clusters order) and
exits, leaving the clusters running until 'gitfleet dev down --state-dir STATE_DIR'. Logs are
in STATE_DIR/clusters/<cluster>/ and STATE_DIR/etcd/.`,
		Example: `  gitfleet dev up --clusters member1,member2 --state-dir /tmp/fleet
  gitfleet dev up --clusters eu,us --workloads --nodes 3 --node-cpu 8 --node-memory 32Gi --state-dir /tmp/fleet
  kubectl --kubeconfig /tmp/fleet/eu.kubeconfig get nodes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if stateDir == "" {
				return errors.New("--state-dir is required: it keeps the kubeconfigs and what 'dev down' stops")
			}
			opts.Dir = stateDir
			opts.Nodes = nodes
			if nodes == 0 {
				opts.Nodes = -1 // devcluster's zero means its default
			}
			capacity, err := nodeCapacity(cpu, memory, pods)
			if err != nil {
				return err
			}
			opts.NodeCapacity = capacity
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			fleet, err := devcluster.Start(ctx, opts)
			if err != nil {
				return err
			}
			if err := fleet.Detach(); err != nil {
				return errors.Join(err, fleet.Stop())
			}
			for _, c := range fleet.Clusters {
				fmt.Fprintln(cmd.OutOrStdout(), c.KubeconfigPath)
			}
			w := tabwriter.NewWriter(cmd.ErrOrStderr(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "CLUSTER\tSERVER\tSERVICE CIDR")
			for _, c := range fleet.Clusters {
				fmt.Fprintf(w, "%s\t%s\t%s\n", c.Name, c.Config.Host, c.ServiceCIDR)
			}
			if err := w.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "%d cluster(s) running; stop them with: gitfleet dev down --state-dir %s\n", len(fleet.Clusters), stateDir)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Clusters, "clusters", []string{"member1"}, "names of the clusters to start")
	f.StringVar(&stateDir, "state-dir", "", "directory for kubeconfigs, data, logs and the state file (required)")
	f.BoolVar(&opts.Workloads, "workloads", false, "also run controller-manager, scheduler and kwok with fake nodes, so Deployments become Ready")
	f.IntVar(&nodes, "nodes", 1, "fake nodes per cluster (with --workloads)")
	f.StringVar(&cpu, "node-cpu", "", "CPU capacity of each fake node (default 32)")
	f.StringVar(&memory, "node-memory", "", "memory capacity of each fake node (default 256Gi)")
	f.StringVar(&pods, "node-pods", "", "pod capacity of each fake node (default 110)")
	f.StringVar(&opts.BinDir, "bin-dir", "", "directory of the tool binaries (default $KUBEBUILDER_ASSETS, else the repository's bin/)")
	f.DurationVar(&timeout, "timeout", 5*time.Minute, "give up when the clusters are not up within this time")
	return cmd
}

// nodeCapacity parses the --node-* flags; empty ones keep the defaults.
func nodeCapacity(cpu, memory, pods string) (corev1.ResourceList, error) {
	capacity := corev1.ResourceList{}
	for _, flag := range []struct {
		name, value string
		resource    corev1.ResourceName
	}{
		{"--node-cpu", cpu, corev1.ResourceCPU},
		{"--node-memory", memory, corev1.ResourceMemory},
		{"--node-pods", pods, corev1.ResourcePods},
	} {
		if flag.value == "" {
			continue
		}
		q, err := resource.ParseQuantity(flag.value)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", flag.name, flag.value, err)
		}
		capacity[flag.resource] = q
	}
	return capacity, nil
}

func newDevDownCommand() *cobra.Command {
	var stateDir string
	cmd := &cobra.Command{
		Use:   "down",
		Short: "Stop the local member clusters recorded in a state directory",
		Long: `down kills every process 'gitfleet dev up' recorded in STATE_DIR, waits until they are gone
and removes the clusters' data, logs and kubeconfigs.`,
		Example: `  gitfleet dev down --state-dir /tmp/fleet`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if stateDir == "" {
				return errors.New("--state-dir is required")
			}
			if err := devcluster.StopRecorded(stateDir); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "stopped the clusters recorded in %s\n", stateDir)
			return nil
		},
	}
	cmd.Flags().StringVar(&stateDir, "state-dir", "", "the directory given to 'dev up' (required)")
	return cmd
}

func newDevStopAPIServerCommand() *cobra.Command {
	var stateDir, cluster string
	cmd := &cobra.Command{
		Use:   "stop-apiserver",
		Short: "Kill one local member cluster's API server, as if the cluster were lost",
		Long: `stop-apiserver kills the kube-apiserver of cluster NAME that 'gitfleet dev up' recorded in
STATE_DIR (the process with the recorded pid and start time, nothing else), waits until it is
gone and removes it from the state file. The rest of the fleet keeps running: etcd, the other
clusters, and this cluster's controller manager, scheduler and kwok, which lose their API
server. To the hub and to agents the cluster is unreachable. A cluster whose API server is
already stopped is left as it is. 'gitfleet dev down' still stops the rest.`,
		Example: `  gitfleet dev stop-apiserver --state-dir /tmp/fleet --cluster eu-1`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if stateDir == "" {
				return errors.New("--state-dir is required")
			}
			if cluster == "" {
				return errors.New("--cluster is required")
			}
			stopped, err := devcluster.StopRecordedComponent(stateDir, cluster, devcluster.ComponentAPIServer)
			for _, p := range stopped {
				fmt.Fprintf(cmd.ErrOrStderr(), "stopped the %s\n", p)
			}
			if err != nil {
				return err
			}
			if len(stopped) == 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "the kube-apiserver of cluster %s is not running: nothing to stop\n", cluster)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&stateDir, "state-dir", "", "the directory given to 'dev up' (required)")
	cmd.Flags().StringVar(&cluster, "cluster", "", "the cluster whose API server to stop (required)")
	return cmd
}
