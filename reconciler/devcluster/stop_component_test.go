package devcluster

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
)

// TestStopRecordedComponent records a detached fleet of `sleep` processes standing in for two
// clusters' components and stops the kube-apiserver of one cluster: only that process goes,
// and only it leaves the state file; a second stop does nothing; an unknown cluster is an
// error, and so is a fleet whose owner still runs.
func TestStopRecordedComponent(t *testing.T) {
	g := NewWithT(t)
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary")
	}
	dir := t.TempDir()
	start := func(component Component, cluster string) *launched {
		l, err := launch(component, cluster, sleep, filepath.Join(dir, cluster+"-"+string(component)+".log"), []string{"60"})
		g.Expect(err).NotTo(HaveOccurred())
		t.Cleanup(func() { _ = kill(l.Process) })
		return l
	}
	etcd := start(ComponentEtcd, "")
	aAPI := start(ComponentAPIServer, "a")
	aKwok := start(ComponentKwok, "a")
	bAPI := start(ComponentAPIServer, "b")
	s := State{
		Dir:      dir,
		Detached: true,
		Clusters: []ClusterState{{Name: "a"}, {Name: "b"}},
		Processes: []Process{
			etcd.Process, aAPI.Process, aKwok.Process, bAPI.Process,
		},
	}
	g.Expect(writeState(&s)).To(Succeed())

	stopped, err := StopRecordedComponent(dir, "a", ComponentAPIServer)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(stopped).To(Equal([]Process{aAPI.Process}))
	<-aAPI.exited
	for _, l := range []*launched{etcd, aKwok, bAPI} {
		g.Expect(l.Running()).To(BeTrue(), "%s keeps running", l.Process)
	}
	got, err := ReadState(dir)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(got.Processes).To(Equal([]Process{etcd.Process, aKwok.Process, bAPI.Process}))
	g.Expect(got.Detached).To(BeTrue())

	stopped, err = StopRecordedComponent(dir, "a", ComponentAPIServer)
	g.Expect(err).NotTo(HaveOccurred(), "stopping a stopped component does nothing")
	g.Expect(stopped).To(BeEmpty())

	_, err = StopRecordedComponent(dir, "c", ComponentAPIServer)
	g.Expect(err).To(MatchError(ContainSubstring(`no cluster "c"`)))

	// A fleet still run by its owner (here: this test) is not this function's to change.
	owned := s
	owned.Detached = false
	owned.OwnerPID = os.Getpid()
	owned.OwnerStartTime, err = processStartTime(os.Getpid())
	g.Expect(err).NotTo(HaveOccurred())
	owned.Processes = got.Processes
	g.Expect(writeState(&owned)).To(Succeed())
	_, err = StopRecordedComponent(dir, "b", ComponentAPIServer)
	g.Expect(err).To(MatchError(ContainSubstring("is run by process")))
	g.Expect(bAPI.Running()).To(BeTrue())

	_, err = StopRecordedComponent(t.TempDir(), "a", ComponentAPIServer)
	g.Expect(err).To(MatchError(ContainSubstring("no fleet recorded in")))
}
