package membership

import (
	"context"
	"io/fs"
	"os"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

func TestParseTaints(t *testing.T) {
	for _, tc := range []struct {
		name    string
		specs   []string
		want    TaintEdit
		wantErr string
	}{
		{name: "key, value and effect", specs: []string{"dedicated=gpu:NoSchedule"},
			want: TaintEdit{Add: []corev1.Taint{{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}}}},
		{name: "a prefixed key without value", specs: []string{"example.com/maintenance:NoExecute"},
			want: TaintEdit{Add: []corev1.Taint{{Key: "example.com/maintenance", Effect: corev1.TaintEffectNoExecute}}}},
		{name: "remove one effect", specs: []string{"a:NoSchedule-"},
			want: TaintEdit{Remove: []corev1.Taint{{Key: "a", Effect: corev1.TaintEffectNoSchedule}}}},
		{name: "remove with a value, which is ignored", specs: []string{"a=b:NoSchedule-"},
			want: TaintEdit{Remove: []corev1.Taint{{Key: "a", Effect: corev1.TaintEffectNoSchedule}}}},
		{name: "remove every effect", specs: []string{"a-"}, want: TaintEdit{Remove: []corev1.Taint{{Key: "a"}}}},
		{name: "add and remove", specs: []string{"a=1:NoExecute", "b-"}, want: TaintEdit{
			Add: []corev1.Taint{{Key: "a", Value: "1", Effect: corev1.TaintEffectNoExecute}}, Remove: []corev1.Taint{{Key: "b"}}}},
		{name: "nothing", wantErr: "say which taints"},
		{name: "no effect", specs: []string{"a=b"}, wantErr: `invalid taint spec "a=b": want KEY[=VALUE]:EFFECT`},
		{name: "an unknown effect", specs: []string{"a:Evict"}, wantErr: `effect "Evict": want NoSchedule, PreferNoSchedule or NoExecute`},
		{name: "a bad key", specs: []string{"-a:NoSchedule"}, wantErr: `invalid taint spec "-a:NoSchedule": key "-a"`},
		{name: "an empty key", specs: []string{":NoSchedule"}, wantErr: `key ""`},
		{name: "a bad value", specs: []string{"a=b c:NoSchedule"}, wantErr: `value "b c"`},
		{name: "a removal of a key with a value", specs: []string{"a=b-"}, wantErr: "want KEY[=VALUE]:EFFECT- or KEY-"},
		{name: "twice", specs: []string{"a=1:NoSchedule", "a=2:NoSchedule"}, wantErr: "taint a:NoSchedule is given twice"},
		{name: "added and removed", specs: []string{"a=1:NoSchedule", "a-"}, wantErr: "taint a=1:NoSchedule is both added and removed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			got, err := ParseTaints(tc.specs)
			if tc.wantErr != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(got).To(Equal(tc.want))
		})
	}
}

// humanCluster is a Cluster written by hand: comments, unsorted keys, a taint.
const humanCluster = `# APAC production cluster.
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: c
spec:
  syncMode: Pull
  # Where it is.
  region: ap
  zones:
  - ap-1
  # Cordoned for a migration.
  taints:
  - key: cluster.karmada.io/unschedulable
    effect: NoSchedule
  provider: gcp
`

// joinedCluster is a Cluster as gitfleet join writes it: sorted keys, no taints.
const joinedCluster = `# Member cluster c, joined with ` + "`gitfleet join`" + `.
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: c
spec:
  region: eu
  syncMode: Pull
  zones:
  - eu-1
`

func TestEditTaints(t *testing.T) {
	now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.FixedZone("CEST", 2*3600))
	parse := func(specs ...string) TaintEdit {
		e, err := ParseTaints(specs)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	for _, tc := range []struct {
		name      string
		file      string
		edit      TaintEdit
		want      string // the file after, when it changes
		unchanged bool
		wantErr   string
	}{
		{name: "a NoExecute taint goes where a sorted spec has it, with timeAdded", file: joinedCluster,
			edit: parse("maintenance=true:NoExecute"),
			want: `# Member cluster c, joined with ` + "`gitfleet join`" + `.
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: c
spec:
  region: eu
  syncMode: Pull
  taints:
  - effect: NoExecute
    key: maintenance
    timeAdded: "2026-05-06T05:08:09Z"
    value: "true"
  zones:
  - eu-1
`},
		{name: "a new taint is appended, the others keep their lines", file: humanCluster,
			edit: parse("dedicated=gpu:NoSchedule"),
			want: `# APAC production cluster.
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: c
spec:
  syncMode: Pull
  # Where it is.
  region: ap
  zones:
  - ap-1
  # Cordoned for a migration.
  taints:
  - key: cluster.karmada.io/unschedulable
    effect: NoSchedule
  - key: dedicated
    value: gpu
    effect: NoSchedule
  provider: gcp
`},
		{name: "removing the last taint removes the field and its comment", file: humanCluster,
			edit: parse("cluster.karmada.io/unschedulable-"),
			want: `# APAC production cluster.
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: c
spec:
  syncMode: Pull
  # Where it is.
  region: ap
  zones:
  - ap-1
  provider: gcp
`},
		{name: "the same taint again changes nothing", file: humanCluster,
			edit: parse("cluster.karmada.io/unschedulable:NoSchedule"), unchanged: true},
		{name: "cordon of a cordoned cluster changes nothing", file: humanCluster,
			edit: TaintEdit{Add: []corev1.Taint{CordonTaint}, KeepExisting: true}, unchanged: true},
		{name: "uncordon of a cluster that is not cordoned changes nothing", file: joinedCluster,
			edit: TaintEdit{Remove: []corev1.Taint{CordonTaint}, IgnoreMissing: true}, unchanged: true},
		{name: "a new value needs --overwrite", file: humanCluster,
			edit:    parse("cluster.karmada.io/unschedulable=yes:NoSchedule"),
			wantErr: "taint exists: the cluster has the taint cluster.karmada.io/unschedulable:NoSchedule; use --overwrite to change it to cluster.karmada.io/unschedulable=yes:NoSchedule"},
		{name: "--overwrite changes the value in place", file: humanCluster,
			edit: TaintEdit{Add: []corev1.Taint{{Key: CordonTaint.Key, Value: "yes", Effect: corev1.TaintEffectNoSchedule}}, Overwrite: true},
			want: `# APAC production cluster.
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: c
spec:
  syncMode: Pull
  # Where it is.
  region: ap
  zones:
  - ap-1
  # Cordoned for a migration.
  taints:
  - key: cluster.karmada.io/unschedulable
    value: "yes"
    effect: NoSchedule
  provider: gcp
`},
		{name: "removing a taint that is not there", file: humanCluster, edit: parse("a:NoExecute-"),
			wantErr: "taint not found: the cluster has no taint a:NoExecute"},
		{name: "removing a key that is not there", file: joinedCluster, edit: parse("a-"),
			wantErr: "taint not found: the cluster has no taint a"},
		{name: "PreferNoSchedule is not a cluster taint", file: joinedCluster, edit: parse("a:PreferNoSchedule"),
			wantErr: `spec.taints[0].effect: Unsupported value: "PreferNoSchedule"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			tree := Tree{"clusters/c.yaml": []byte(tc.file), "clusters/d.yaml": clusterYAML("d")}
			got, err := tree.EditTaints("c", tc.edit, now)
			if tc.wantErr != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
				g.Expect(string(tree["clusters/c.yaml"])).To(Equal(tc.file))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(got.Path).To(Equal("clusters/c.yaml"))
			g.Expect(got.Changed).To(Equal(!tc.unchanged))
			want := tc.want
			if tc.unchanged {
				want = tc.file
			}
			g.Expect(string(tree["clusters/c.yaml"])).To(Equal(want))
			g.Expect(string(tree["clusters/d.yaml"])).To(Equal(string(clusterYAML("d"))))
		})
	}
}

func TestEditTaintsRefuses(t *testing.T) {
	now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	edit := TaintEdit{Add: []corev1.Taint{CordonTaint}}
	for _, tc := range []struct {
		name    string
		tree    Tree
		wantErr string
	}{
		{name: "an unknown cluster", tree: Tree{"clusters/d.yaml": clusterYAML("d")}, wantErr: "unknown cluster: the source defines no Cluster c"},
		{name: "a shared file", tree: Tree{"all.yaml": append(append(clusterYAML("d"), "---\n"...), clusterYAML("c")...)},
			wantErr: "cluster c is defined in all.yaml:8 together with 1 other object(s)"},
		{name: "a flow-style spec", tree: Tree{"c.yaml": []byte("apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {syncMode: Pull}\n")},
			wantErr: "c.yaml: spec is not a block mapping; edit spec.taints by hand"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			_, err := tc.tree.EditTaints("c", edit, now)
			g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
		})
	}
}

// taintRepo pushes the example fleet plus clusters/c.yaml (humanCluster) to a bare
// repository and opens it as the commands do.
func taintRepo(t *testing.T) (*gitstore.Repository, string) {
	t.Helper()
	server := gitstoretest.NewServer(t)
	fleet := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("../../fleet-repo-example"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(os.DirFS("../../fleet-repo-example"), p)
		fleet[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fleet["clusters/c.yaml"] = &fstest.MapFile{Data: []byte(humanCluster)}
	server.PushDir(t, "fleet.git", "main", fleet, "example fleet", time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: server.Dir("fleet.git")})
	if err != nil {
		t.Fatal(err)
	}
	return repo, server.Dir("fleet.git")
}

// readBranch reads a file of the branch's tip and the tip's message.
func readBranch(t *testing.T, repo *gitstore.Repository, branch, path string) (string, string) {
	t.Helper()
	snap, err := repo.BranchSnapshot(branch)
	if err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(snap.FS, path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data), snap.Commit.Message
}

func TestTaintCordonUncordonCommit(t *testing.T) {
	ctx := context.Background()
	repo, _ := taintRepo(t)
	when := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	g := NewWithT(t)

	edit, err := ParseTaints([]string{"maintenance=db:NoExecute"})
	g.Expect(err).NotTo(HaveOccurred())
	res, err := Taint(ctx, repo, "main", "c", edit, Author(when))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Changed).To(BeTrue())
	g.Expect(res.Path).To(Equal("clusters/c.yaml"))
	file, msg := readBranch(t, repo, "main", "clusters/c.yaml")
	g.Expect(msg).To(Equal("Taint cluster c: maintenance=db:NoExecute\n\nEdit spec.taints in clusters/c.yaml.\n"))
	g.Expect(file).To(ContainSubstring("    effect: NoSchedule\n  - key: maintenance\n    value: db\n    effect: NoExecute\n    timeAdded: \"2026-06-01T12:00:00Z\"\n  provider: gcp\n"))

	// Cordoned already: nothing to commit.
	before := res.Commit
	res, err = Cordon(ctx, repo, "main", "c", Author(when.Add(time.Hour)))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Changed).To(BeFalse())
	g.Expect(res.Commit).To(Equal(before))

	res, err = Uncordon(ctx, repo, "main", "c", Author(when.Add(time.Hour)))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Changed).To(BeTrue())
	g.Expect(res.Taints).To(HaveLen(1))
	file, msg = readBranch(t, repo, "main", "clusters/c.yaml")
	g.Expect(msg).To(HavePrefix("Uncordon cluster c\n\nRemove the taint cluster.karmada.io/unschedulable:NoSchedule from clusters/c.yaml."))
	g.Expect(file).NotTo(ContainSubstring("unschedulable"))
	g.Expect(file).To(ContainSubstring("  - ap-1\n  # Cordoned for a migration.\n  taints:\n  - key: maintenance\n"),
		"the comment stays with the taints that remain")

	res, err = Uncordon(ctx, repo, "main", "c", Author(when.Add(2*time.Hour)))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Changed).To(BeFalse())

	res, err = Cordon(ctx, repo, "main", "c", Author(when.Add(2*time.Hour)))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Changed).To(BeTrue())
	_, msg = readBranch(t, repo, "main", "clusters/c.yaml")
	g.Expect(msg).To(HavePrefix("Cordon cluster c\n"))

	_, err = Taint(ctx, repo, "main", "nope", edit, Author(when))
	g.Expect(err).To(MatchError(ErrClusterNotFound))
	g.Expect(err).To(MatchError(ContainSubstring("branch main defines no Cluster nope")))
	_, err = Cordon(ctx, repo, "mian", "c", Author(when))
	g.Expect(err).To(MatchError(ContainSubstring("branch mian does not exist")))
}
