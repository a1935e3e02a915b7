package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/gitfleet/gitfleet/reconciler/devcluster"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
	"github.com/gitfleet/gitfleet/renderer"
)

// joinToken is the bearer token of the hand-written kubeconfig; it must never reach Git or
// an error message.
const joinToken = "s3cr3t-join-token-do-not-leak"

// writeJoinKubeconfig writes a kubeconfig with two contexts — "eu-9" (the one joined, its
// CA in a file next to it) and the current one, "other" — and returns its path.
func writeJoinKubeconfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ca.crt"), []byte("-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	kubeconfig := `apiVersion: v1
kind: Config
current-context: other
clusters:
- name: eu-9-cluster
  cluster:
    server: https://10.9.0.1:6443
    certificate-authority: ca.crt
- name: other-cluster
  cluster:
    server: https://10.10.0.1:6443
contexts:
- name: eu-9
  context: {cluster: eu-9-cluster, user: eu-9-admin}
- name: other
  context: {cluster: other-cluster, user: other-admin}
users:
- name: eu-9-admin
  user: {token: ` + joinToken + `}
- name: other-admin
  user: {token: other-token}
`
	path := filepath.Join(dir, "config")
	if err := os.WriteFile(path, []byte(kubeconfig), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// branchTip reads the tip of branch in the bare repository dir: the commit and its tree.
func branchTip(t *testing.T, dir, branch string) (*object.Commit, map[string]string) {
	t.Helper()
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := repo.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		t.Fatal(err)
	}
	commit, err := repo.CommitObject(ref.Hash())
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	iter, err := commit.Files()
	if err != nil {
		t.Fatal(err)
	}
	err = iter.ForEach(func(f *object.File) error {
		content, err := f.Contents()
		files[f.Name] = content
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return commit, files
}

// loadFiles loads a tree read by branchTip with the renderer, as the hub would.
func loadFiles(t *testing.T, files map[string]string) *renderer.Source {
	t.Helper()
	fsys := fstest.MapFS{}
	for p, content := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(content)}
	}
	src, err := renderer.LoadSource(fsys, renderer.LoadOptions{})
	if err != nil {
		t.Fatalf("the source does not load: %v", err)
	}
	return src
}

func clusterNames(src *renderer.Source) []string {
	var names []string
	for _, c := range src.Clusters {
		names = append(names, c.Name)
	}
	return names
}

const wantEU9 = `# Member cluster eu-9, joined with ` + "`gitfleet join`" + `.
# Credentials never live in Git: the hub reads eu-9.kubeconfig from its --credentials-dir.
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  labels:
    env: prod
    tier: gold
  name: eu-9
spec:
  apiEndpoint: https://10.9.0.1:6443
  provider: aws
  region: eu-west
  syncMode: Push
  zones:
  - eu-west-9a
  - eu-west-9b
`

func TestJoinAndUnjoinOverHTTP(t *testing.T) {
	server := gitstoretest.NewServer(t)
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	url, _ := server.PushDir(t, "fleet.git", "main", os.DirFS("../../fleet-repo-example"), "example fleet", when)
	auth := server.Auth()
	t.Setenv("GITFLEET_GIT_USERNAME", auth.Username)
	t.Setenv("GITFLEET_GIT_PASSWORD", auth.Password)
	kubeconfig := writeJoinKubeconfig(t)
	creds := filepath.Join(t.TempDir(), "creds")
	join := []string{"join", "eu-9", "--kubeconfig", kubeconfig, "--context", "eu-9",
		"--provider", "aws", "--region", "eu-west", "--zone", "eu-west-9a", "--zone", "eu-west-9b",
		"--label", "env=prod", "--label", "tier=gold",
		"--repo", url, "--push", "--credentials-dir", creds}

	t.Run("join writes the Cluster in one commit and stores the credentials", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, join...)
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("joined cluster eu-9 (Push, https://10.9.0.1:6443): committed clusters/eu-9.yaml to " + url + "@main"))
		g.Expect(out).NotTo(ContainSubstring(joinToken))

		commit, files := branchTip(t, server.Dir("fleet.git"), "main")
		g.Expect(commit.Message).To(Equal("Join cluster eu-9\n\nAdd clusters/eu-9.yaml.\n"))
		g.Expect(commit.Author.Name).To(Equal("gitfleet"))
		g.Expect(commit.NumParents()).To(Equal(1))
		g.Expect(files["clusters/eu-9.yaml"]).To(Equal(wantEU9))
		for p, content := range files {
			g.Expect(content).NotTo(ContainSubstring(joinToken), "credentials in Git, in %s", p)
		}
		src := loadFiles(t, files)
		g.Expect(clusterNames(src)).To(ContainElement("eu-9"))
		g.Expect(clusterNames(src)).To(HaveLen(9), "the example's eight clusters stay")

		path := filepath.Join(creds, "eu-9.kubeconfig")
		info, err := os.Stat(path)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(info.Mode().Perm()).To(Equal(fs.FileMode(0o600)))
		stored, err := clientcmd.LoadFromFile(path)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(stored.CurrentContext).To(Equal("eu-9"))
		g.Expect(stored.Contexts).To(HaveLen(1), "only the joined context")
		g.Expect(stored.Clusters).To(HaveLen(1))
		g.Expect(stored.AuthInfos).To(HaveLen(1))
		g.Expect(stored.Clusters["eu-9-cluster"].Server).To(Equal("https://10.9.0.1:6443"))
		g.Expect(string(stored.Clusters["eu-9-cluster"].CertificateAuthorityData)).To(ContainSubstring("fake"), "the CA file is inlined")
		g.Expect(stored.Clusters["eu-9-cluster"].CertificateAuthority).To(BeEmpty())
		g.Expect(stored.AuthInfos["eu-9-admin"].Token).To(Equal(joinToken))
		entries, err := os.ReadDir(creds)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(entries).To(HaveLen(1), "no temporary file left behind")
	})

	t.Run("joining twice fails without --overwrite", func(t *testing.T) {
		g := NewWithT(t)
		before, _ := branchTip(t, server.Dir("fleet.git"), "main")
		out, code := runGitfleet(t, join...)
		g.Expect(code).NotTo(Equal(0))
		g.Expect(out).To(ContainSubstring("already joined: cluster eu-9 is defined in clusters/eu-9.yaml:3 (use --overwrite to replace it)"))
		after, _ := branchTip(t, server.Dir("fleet.git"), "main")
		g.Expect(after.Hash).To(Equal(before.Hash))

		out, code = runGitfleet(t, "join", "aws-euw1-prod", "--kubeconfig", kubeconfig, "--repo", url, "--push", "--credentials-dir", creds)
		g.Expect(code).NotTo(Equal(0))
		g.Expect(out).To(ContainSubstring("cluster aws-euw1-prod is defined in clusters/aws-euw1-prod.yaml:2"), "a cluster of the example")
		_, err := os.Stat(filepath.Join(creds, "aws-euw1-prod.kubeconfig"))
		g.Expect(err).To(MatchError(fs.ErrNotExist), "a refused join stores no credentials")
	})

	t.Run("--overwrite replaces the definition", func(t *testing.T) {
		g := NewWithT(t)
		overwrite := append(append([]string{}, join...), "--overwrite", "--region", "eu-north")
		out, code := runGitfleet(t, overwrite...)
		g.Expect(code).To(Equal(0), out)
		commit, files := branchTip(t, server.Dir("fleet.git"), "main")
		g.Expect(commit.Message).To(HavePrefix("Join cluster eu-9\n"))
		g.Expect(files["clusters/eu-9.yaml"]).To(Equal(strings.Replace(wantEU9, "region: eu-west", "region: eu-north", 1)))
	})

	t.Run("a URL needs --push", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "unjoin", "eu-9", "--repo", url)
		g.Expect(code).NotTo(Equal(0))
		g.Expect(out).To(ContainSubstring("add --push"))
	})

	t.Run("a missing source branch is not created", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "join", "eu-11", "--kubeconfig", kubeconfig, "--repo", url, "--push",
			"--source-ref", "mian", "--credentials-dir", creds)
		g.Expect(code).NotTo(Equal(0))
		g.Expect(out).To(ContainSubstring("branch mian does not exist"))
		_, err := os.Stat(filepath.Join(creds, "eu-11.kubeconfig"))
		g.Expect(err).To(MatchError(fs.ErrNotExist))
	})

	t.Run("unjoin removes the file and the credentials", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "unjoin", "eu-9", "--repo", url, "--push", "--credentials-dir", creds)
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("unjoined cluster eu-9: removed clusters/eu-9.yaml"))
		commit, files := branchTip(t, server.Dir("fleet.git"), "main")
		g.Expect(commit.Message).To(HavePrefix("Unjoin cluster eu-9\n"))
		g.Expect(commit.Author.Name).To(Equal("gitfleet"))
		g.Expect(files).NotTo(HaveKey("clusters/eu-9.yaml"))
		g.Expect(clusterNames(loadFiles(t, files))).NotTo(ContainElement("eu-9"))
		_, err := os.Stat(filepath.Join(creds, "eu-9.kubeconfig"))
		g.Expect(err).To(MatchError(fs.ErrNotExist))
	})

	t.Run("unjoin of an unknown cluster fails clearly", func(t *testing.T) {
		g := NewWithT(t)
		before, _ := branchTip(t, server.Dir("fleet.git"), "main")
		out, code := runGitfleet(t, "unjoin", "eu-9", "--repo", url, "--push")
		g.Expect(code).NotTo(Equal(0))
		g.Expect(out).To(ContainSubstring("unknown cluster: the source defines no Cluster eu-9"))
		after, _ := branchTip(t, server.Dir("fleet.git"), "main")
		g.Expect(after.Hash).To(Equal(before.Hash))
	})
}

func TestJoinRealClusterIntoALocalRepository(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real cluster")
	}
	fleet := devcluster.StartForTest(t, devcluster.Options{Clusters: []string{"member-j"}})
	member := fleet.Clusters[0]
	server := gitstoretest.NewServer(t)
	server.PushDir(t, "fleet.git", "main", os.DirFS("../../fleet-repo-example"), "example fleet", time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	repo := server.Dir("fleet.git")
	creds := t.TempDir()
	g := NewWithT(t)

	out, code := runGitfleet(t, "join", "member-j", "--kubeconfig", member.KubeconfigPath, "--region", "local",
		"--repo", repo, "--credentials-dir", creds)
	g.Expect(code).To(Equal(0), out)
	commit, files := branchTip(t, repo, "main")
	g.Expect(commit.Message).To(HavePrefix("Join cluster member-j\n"))
	src := loadFiles(t, files)
	var endpoint string
	for _, c := range src.Clusters {
		if c.Name == "member-j" {
			endpoint = c.Spec.APIEndpoint
		}
	}
	g.Expect(endpoint).To(Equal(member.Config.Host), "the apiEndpoint is the cluster's API server")

	// The stored kubeconfig stands alone and reaches the cluster.
	cfg, err := clientcmd.BuildConfigFromFlags("", filepath.Join(creds, "member-j.kubeconfig"))
	g.Expect(err).NotTo(HaveOccurred())
	client, err := kubernetes.NewForConfig(cfg)
	g.Expect(err).NotTo(HaveOccurred())
	_, err = client.CoreV1().Namespaces().Get(context.Background(), "default", metav1.GetOptions{})
	g.Expect(err).NotTo(HaveOccurred())

	out, code = runGitfleet(t, "unjoin", "member-j", "--repo", repo, "--credentials-dir", creds)
	g.Expect(code).To(Equal(0), out)
	_, files = branchTip(t, repo, "main")
	g.Expect(files).NotTo(HaveKey("clusters/member-j.yaml"))
	_, err = os.Stat(filepath.Join(creds, "member-j.kubeconfig"))
	g.Expect(err).To(MatchError(fs.ErrNotExist))
}

func TestJoinWithASecretReference(t *testing.T) {
	server := gitstoretest.NewServer(t)
	server.PushDir(t, "fleet.git", "main", os.DirFS("../../fleet-repo-example"), "example fleet", time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	repo := server.Dir("fleet.git")
	kubeconfig := writeJoinKubeconfig(t)

	t.Run("the Secret goes to stdout, the report to stderr", func(t *testing.T) {
		g := NewWithT(t)
		stdout, stderr, err := runJoinCommand(t, "join", "eu-9", "--kubeconfig", kubeconfig, "--context", "eu-9",
			"--secret-namespace", "gitfleet-system", "--repo", repo)
		g.Expect(err).NotTo(HaveOccurred(), stderr)
		g.Expect(stderr).To(ContainSubstring("joined cluster eu-9"))
		g.Expect(stderr).To(ContainSubstring("Secret gitfleet-system/eu-9 follows on stdout"))
		g.Expect(stdout).To(HavePrefix("apiVersion: v1\n"))
		g.Expect(stdout).To(ContainSubstring("kind: Secret\n"))
		g.Expect(stdout).To(ContainSubstring("  namespace: gitfleet-system\n"))
		g.Expect(stdout).To(ContainSubstring("  kubeconfig: "))
		g.Expect(stdout).To(ContainSubstring("  caBundle: "))
		g.Expect(stdout).To(ContainSubstring("  token: "))

		_, files := branchTip(t, repo, "main")
		g.Expect(files["clusters/eu-9.yaml"]).To(ContainSubstring("  secretRef:\n    name: eu-9\n    namespace: gitfleet-system\n"))
		g.Expect(files["clusters/eu-9.yaml"]).To(ContainSubstring("the hub reads the Secret gitfleet-system/eu-9"))
		loadFiles(t, files)
	})

	t.Run("--secret-file writes it with mode 0600", func(t *testing.T) {
		g := NewWithT(t)
		secretFile := filepath.Join(t.TempDir(), "secret.yaml")
		out, code := runGitfleet(t, "join", "eu-10", "--kubeconfig", kubeconfig, "--sync-mode", "Pull",
			"--secret-namespace", "gitfleet-system", "--secret-file", secretFile, "--repo", repo)
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).NotTo(ContainSubstring("other-token"))
		info, err := os.Stat(secretFile)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(info.Mode().Perm()).To(Equal(fs.FileMode(0o600)))
		_, files := branchTip(t, repo, "main")
		g.Expect(files["clusters/eu-10.yaml"]).To(ContainSubstring("syncMode: Pull"))
		g.Expect(files["clusters/eu-10.yaml"]).To(ContainSubstring("apiEndpoint: https://10.10.0.1:6443"), "the current context")
	})

	t.Run("unjoin says the Secret is no longer used", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "unjoin", "eu-9", "--repo", repo)
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("the Secret gitfleet-system/eu-9 in the hub's cluster is no longer used"))
	})
}

func TestUnjoinRefusesAFileWithOtherObjects(t *testing.T) {
	g := NewWithT(t)
	server := gitstoretest.NewServer(t)
	server.PushDir(t, "fleet.git", "main", fstest.MapFS{
		"clusters.yaml": {Data: []byte(`apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: a
spec:
  syncMode: Pull
---
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: b
spec:
  syncMode: Pull
`)},
	}, "two clusters in one file", time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	repo := server.Dir("fleet.git")
	before, _ := branchTip(t, repo, "main")

	out, code := runGitfleet(t, "unjoin", "b", "--repo", repo)
	g.Expect(code).NotTo(Equal(0))
	g.Expect(out).To(ContainSubstring("cluster b is defined in clusters.yaml:8 together with 1 other object(s)"))
	out, code = runGitfleet(t, "join", "a", "--kubeconfig", writeJoinKubeconfig(t), "--sync-mode", "Pull", "--overwrite", "--repo", repo)
	g.Expect(code).NotTo(Equal(0))
	g.Expect(out).To(ContainSubstring("cluster a is defined in clusters.yaml:1 together with 1 other object(s)"))
	after, _ := branchTip(t, repo, "main")
	g.Expect(after.Hash).To(Equal(before.Hash))
}

func TestJoinUsage(t *testing.T) {
	kubeconfig := writeJoinKubeconfig(t)
	broken := filepath.Join(t.TempDir(), "broken")
	if err := os.WriteFile(broken, []byte("users:\n- name: x\n  user: {token: [\""+joinToken+"\"]}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no credentials for a Push cluster", []string{"join", "x", "--kubeconfig", kubeconfig, "--repo", "."}, "--credentials-dir DIR or --secret-namespace NS"},
		{"no kubeconfig", []string{"join", "x", "--credentials-dir", ".", "--repo", "."}, "--kubeconfig FILE"},
		{"bad sync mode", []string{"join", "x", "--sync-mode", "push", "--kubeconfig", kubeconfig, "--repo", "."}, `--sync-mode "push": want Push or Pull`},
		{"bad label", []string{"join", "x", "--label", "env", "--kubeconfig", kubeconfig, "--credentials-dir", ".", "--repo", "."}, `--label "env": want key=value`},
		{"bad name", []string{"join", "X_1", "--kubeconfig", kubeconfig, "--credentials-dir", ".", "--repo", "."}, "metadata.name: Invalid value"},
		{"unknown context", []string{"join", "x", "--context", "nope", "--kubeconfig", kubeconfig, "--credentials-dir", ".", "--repo", "."}, `has no context "nope"`},
		{"broken kubeconfig", []string{"join", "x", "--kubeconfig", broken, "--credentials-dir", ".", "--repo", "."}, "is not valid"},
		{"no repository", []string{"join", "x", "--kubeconfig", kubeconfig, "--credentials-dir", t.TempDir()}, "--repo PATH_OR_URL"},
		{"unjoin without a name", []string{"unjoin", "--repo", "."}, "accepts 1 arg"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			out, code := runGitfleet(t, tc.args...)
			g.Expect(code).NotTo(Equal(0))
			g.Expect(out).To(ContainSubstring(tc.want))
			g.Expect(out).NotTo(ContainSubstring(joinToken))
		})
	}
}

// runJoinCommand runs the gitfleet command line with stdout and stderr apart.
func runJoinCommand(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cmd := newRootCommand()
	var stdout, stderr bytes.Buffer
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return stdout.String(), stderr.String(), err
}

// TestJoinRetriesWhenTheBranchMoves: another writer pushes to main while join pushes; join
// loses the compare-and-swap, re-reads main and commits on top of the other change instead
// of undoing it.
func TestJoinRetriesWhenTheBranchMoves(t *testing.T) {
	g := NewWithT(t)
	server := gitstoretest.NewServer(t)
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	url, _ := server.PushDir(t, "fleet.git", "main", os.DirFS("../../fleet-repo-example"), "example fleet", when)
	other := fstest.MapFS{
		"clusters/pushed-meanwhile.yaml": {Data: []byte("apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: pushed-meanwhile\nspec:\n  syncMode: Pull\n")},
	}
	_, moved := server.PushDir(t, "fleet.git", "side", other, "a human's change", when.Add(time.Hour))
	auth := server.Auth()
	t.Setenv("GITFLEET_GIT_USERNAME", auth.Username)
	t.Setenv("GITFLEET_GIT_PASSWORD", auth.Password)

	var raced atomic.Bool
	server.BeforeReceivePack(func() {
		if raced.Swap(true) {
			return
		}
		repo, err := git.PlainOpen(server.Dir("fleet.git"))
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName("main"), moved))).To(Succeed())
	})
	out, code := runGitfleet(t, "join", "eu-9", "--kubeconfig", writeJoinKubeconfig(t), "--context", "eu-9",
		"--repo", url, "--push", "--credentials-dir", t.TempDir())
	g.Expect(code).To(Equal(0), out)
	g.Expect(raced.Load()).To(BeTrue())
	commit, files := branchTip(t, server.Dir("fleet.git"), "main")
	g.Expect(commit.ParentHashes).To(Equal([]plumbing.Hash{moved}), "committed on top of the other change")
	g.Expect(files).To(HaveKey("clusters/pushed-meanwhile.yaml"))
	g.Expect(files).To(HaveKey("clusters/eu-9.yaml"))
}
