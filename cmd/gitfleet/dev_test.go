package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/gitfleet/gitfleet/reconciler/devcluster"
)

// devHelperEnv makes TestDevHelperProcess run the gitfleet command line given after "--".
const devHelperEnv = "GITFLEET_TEST_DEV_HELPER"

// TestDevHelperProcess is not a test: TestDevUpDown runs the test binary as `gitfleet dev up`
// through it, so that the command runs in a process that exits, as it does for a user.
func TestDevHelperProcess(t *testing.T) {
	if os.Getenv(devHelperEnv) == "" {
		return
	}
	args := os.Args[slices.Index(os.Args, "--")+1:]
	root := newRootCommand()
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		os.Stderr.WriteString("error: " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Exit(0)
}

func TestDevUpDown(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real cluster")
	}
	if err := devcluster.CheckBinaries(devcluster.Options{}); err != nil {
		t.Skip(err)
	}
	g := NewWithT(t)
	dir := filepath.Join(t.TempDir(), "fleet")
	t.Cleanup(func() {
		if err := devcluster.StopRecorded(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("stopping what the test left running: %v", err)
		}
	})

	up := exec.Command(os.Args[0], "-test.run=^TestDevHelperProcess$", "--", "dev", "up", "--clusters", "solo", "--state-dir", dir)
	up.Env = append(os.Environ(), devHelperEnv+"=1")
	var stdout, stderr bytes.Buffer
	up.Stdout, up.Stderr = &stdout, &stderr
	g.Expect(up.Run()).To(Succeed(), "dev up: %s", stderr.String())
	kubeconfig := filepath.Join(dir, "solo.kubeconfig")
	g.Expect(strings.TrimSpace(stdout.String())).To(Equal(kubeconfig))
	g.Expect(stderr.String()).To(ContainSubstring("gitfleet dev down --state-dir " + dir))

	// The clusters outlive the command that started them.
	state, err := devcluster.ReadState(dir)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(state.Detached).To(BeTrue())
	g.Expect(state.Processes).To(HaveLen(2))
	g.Expect(state.Running()).To(Equal(state.Processes))
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	g.Expect(err).NotTo(HaveOccurred())
	cs, err := kubernetes.NewForConfig(cfg)
	g.Expect(err).NotTo(HaveOccurred())
	_, err = cs.CoreV1().Namespaces().Get(context.Background(), metav1.NamespaceDefault, metav1.GetOptions{})
	g.Expect(err).NotTo(HaveOccurred())

	// A second `dev up` on the same directory refuses to start another fleet there.
	_, _, err = runDev(t, "up", "--state-dir", dir)
	g.Expect(err).To(MatchError(ContainSubstring("a fleet still runs in")))

	// stop-apiserver kills that cluster's API server and nothing else; the cluster is lost.
	var apiServer devcluster.Process
	for _, p := range state.Processes {
		if p.Component == devcluster.ComponentAPIServer {
			apiServer = p
		}
	}
	g.Expect(apiServer.Cluster).To(Equal("solo"))
	_, errOut, err := runDev(t, "stop-apiserver", "--state-dir", dir, "--cluster", "solo")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(errOut).To(ContainSubstring("stopped the kube-apiserver of cluster solo"))
	g.Expect(apiServer.Running()).To(BeFalse())
	afterStop, err := devcluster.ReadState(dir)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(afterStop.Processes).To(HaveLen(1))
	g.Expect(afterStop.Processes[0].Component).To(Equal(devcluster.ComponentEtcd))
	g.Expect(afterStop.Running()).To(Equal(afterStop.Processes), "etcd keeps running")
	_, err = cs.CoreV1().Namespaces().Get(context.Background(), metav1.NamespaceDefault, metav1.GetOptions{})
	g.Expect(err).To(HaveOccurred(), "the cluster can no longer be reached")
	_, errOut, err = runDev(t, "stop-apiserver", "--state-dir", dir, "--cluster", "solo")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(errOut).To(ContainSubstring("nothing to stop"))
	_, _, err = runDev(t, "stop-apiserver", "--state-dir", dir, "--cluster", "other")
	g.Expect(err).To(MatchError(ContainSubstring(`no cluster "other"`)))

	_, errOut, err = runDev(t, "down", "--state-dir", dir)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(errOut).To(ContainSubstring("stopped"))
	for _, p := range state.Processes {
		g.Expect(p.Running()).To(BeFalse(), "%s still runs", p)
	}
	_, err = os.Stat(dir)
	g.Expect(errors.Is(err, fs.ErrNotExist)).To(BeTrue(), "dev down removes what dev up created: %v", err)
}

func TestDevFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"up needs a state directory", []string{"up", "--clusters", "a"}, "--state-dir is required"},
		{"down needs a state directory", []string{"down"}, "--state-dir is required"},
		{"node capacity must parse", []string{"up", "--state-dir", t.TempDir(), "--node-cpu", "lots"}, `--node-cpu "lots"`},
		{"cluster names are DNS labels", []string{"up", "--state-dir", t.TempDir(), "--clusters", "Bad_Name", "--bin-dir", t.TempDir()}, `cluster name "Bad_Name"`},
		{"down needs a recorded fleet", []string{"down", "--state-dir", t.TempDir()}, "no fleet recorded in"},
		{"stop-apiserver needs a state directory", []string{"stop-apiserver", "--cluster", "a"}, "--state-dir is required"},
		{"stop-apiserver needs a cluster", []string{"stop-apiserver", "--state-dir", t.TempDir()}, "--cluster is required"},
		{"stop-apiserver needs a recorded fleet", []string{"stop-apiserver", "--state-dir", t.TempDir(), "--cluster", "a"}, "no fleet recorded in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runDev(t, tc.args...)
			NewWithT(t).Expect(err).To(MatchError(ContainSubstring(tc.want)))
		})
	}
}

func runDev(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	root := newRootCommand()
	root.SetArgs(append([]string{"dev"}, args...))
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	err := root.Execute()
	return stdout.String(), stderr.String(), err
}
