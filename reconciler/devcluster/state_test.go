package devcluster

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// TestSweepAbandoned plays a test binary that died with its fleet running: its state file names
// a dead owner and a live process in its own group. The sweep kills the process and removes the
// directory; a detached fleet is left alone.
func TestSweepAbandoned(t *testing.T) {
	g := NewWithT(t)
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary")
	}
	// A finished process provides the identity of a dead owner.
	owner := exec.Command(sleep, "0")
	g.Expect(owner.Start()).To(Succeed())
	ownerStart, err := processStartTime(owner.Process.Pid)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(owner.Wait()).To(Succeed())

	abandoned := fakeFleet(t, sleep, State{OwnerPID: owner.Process.Pid, OwnerStartTime: ownerStart, RemoveDir: true})
	detached := fakeFleet(t, sleep, State{OwnerPID: owner.Process.Pid, OwnerStartTime: ownerStart, RemoveDir: true, Detached: true})

	_, err = SweepAbandoned()
	g.Expect(err).NotTo(HaveOccurred())
	// Another test binary may have swept it first: the outcome is what counts.
	g.Expect(abandoned.proc.Running()).To(BeFalse())
	<-abandoned.exited
	_, err = os.Stat(abandoned.dir)
	g.Expect(os.IsNotExist(err)).To(BeTrue(), "the abandoned fleet's directory is removed")

	g.Expect(detached.proc.Running()).To(BeTrue(), "a detached fleet is left running")
	g.Expect(StopRecorded(detached.dir)).To(Succeed())
	g.Expect(detached.proc.Running()).To(BeFalse())
}

type fakeFleetResult struct {
	dir    string
	proc   Process
	exited <-chan struct{}
}

// fakeFleet records a fleet of one `sleep` process in a temporary directory named like a
// fleet's.
func fakeFleet(t *testing.T, sleep string, s State) fakeFleetResult {
	t.Helper()
	g := NewWithT(t)
	dir, err := os.MkdirTemp("", tempDirPrefix+"*")
	g.Expect(err).NotTo(HaveOccurred())
	l, err := launch(ComponentEtcd, "", sleep, filepath.Join(dir, "sleep.log"), []string{"60"})
	g.Expect(err).NotTo(HaveOccurred())
	t.Cleanup(func() {
		_ = kill(l.Process)
		_ = os.RemoveAll(dir)
	})
	s.Dir = dir
	s.Processes = []Process{l.Process}
	g.Expect(writeState(&s)).To(Succeed())
	g.Expect(l.Running()).To(BeTrue())
	return fakeFleetResult{dir: dir, proc: l.Process, exited: l.exited}
}

// TestStopRecordedRemovesOnlyItsFiles checks that a fleet in a given directory removes what it
// created there and nothing else, and that paths outside the directory are refused.
func TestStopRecordedRemovesOnlyItsFiles(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	mine := filepath.Join(dir, "a.kubeconfig")
	theirs := filepath.Join(dir, "notes.txt")
	outside := filepath.Join(t.TempDir(), "precious")
	for _, p := range []string{mine, theirs, outside} {
		g.Expect(os.WriteFile(p, []byte("x"), 0o644)).To(Succeed())
	}
	g.Expect(writeState(&State{Dir: dir, Paths: []string{mine, outside}})).To(Succeed())

	err := StopRecorded(dir)
	g.Expect(err).To(MatchError(ContainSubstring("outside the fleet directory")))
	g.Expect(mine).NotTo(BeAnExistingFile())
	g.Expect(theirs).To(BeAnExistingFile())
	g.Expect(outside).To(BeAnExistingFile())
	g.Expect(filepath.Join(dir, StateFile)).NotTo(BeAnExistingFile())
}

// TestFailedStartReportsTheLog starts a fleet whose kube-apiserver fails at once: the error
// carries the tool's last log lines, and what had started (etcd) is stopped again.
func TestFailedStartReportsTheLog(t *testing.T) {
	binDir, err := DefaultBinDir()
	if err != nil {
		t.Skip(err)
	}
	if err := CheckBinaries(Options{BinDir: binDir}); err != nil {
		t.Skip(err)
	}
	g := NewWithT(t)
	bin := t.TempDir()
	g.Expect(os.Symlink(filepath.Join(binDir, "etcd"), filepath.Join(bin, "etcd"))).To(Succeed())
	// envtest reads --help for flag discovery first; then the "server" fails.
	script := "#!/bin/sh\n" +
		"if [ \"$1\" = --help ]; then echo '      --secure-port int'; exit 0; fi\n" +
		"echo 'E0101 starting: the certificate is on fire' >&2\nexit 1\n"
	g.Expect(os.WriteFile(filepath.Join(bin, "kube-apiserver"), []byte(script), 0o755)).To(Succeed())

	before := time.Now()
	_, err = Start(t.Context(), Options{BinDir: bin, Clusters: []string{"broken"}, StartTimeout: 30 * time.Second})
	g.Expect(err).To(MatchError(ContainSubstring("cluster broken: starting kube-apiserver")))
	g.Expect(err).To(MatchError(ContainSubstring("the certificate is on fire")))
	g.Expect(time.Since(before)).To(BeNumerically("<", 20*time.Second), "a crashed process is reported without waiting for the timeout")
	g.Expect(childrenOf(t, os.Getpid())).To(BeEmpty(), "etcd is stopped again")
}
