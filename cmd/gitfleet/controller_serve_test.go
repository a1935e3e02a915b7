package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/controller"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

// pullOnlyFleet pushes a fleet whose only cluster is a Pull cluster, so the hub syncs
// nothing and needs no API server; it returns the repository's directory.
func pullOnlyFleet(t *testing.T) string {
	server := gitstoretest.NewServer(t)
	files := fstest.MapFS{
		"clusters/member1.yaml": {Data: []byte("apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: member1}\nspec: {syncMode: Pull}\n")},
	}
	server.PushDir(t, "fleet.git", "main", files, "Fleet", time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC))
	return server.Dir("fleet.git")
}

// freeAddr returns a loopback address no one listens on (as of the call).
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestControllerServes(t *testing.T) {
	g := NewWithT(t)
	repo := pullOnlyFleet(t)
	secretFile := filepath.Join(t.TempDir(), "secret")
	g.Expect(os.WriteFile(secretFile, []byte("s3cret\n"), 0o600)).To(Succeed())
	addr := freeAddr(t)

	ctx, cancel := context.WithCancel(context.Background())
	cmd := newRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs([]string{"controller", "--repo", repo, "--interval", "1h", "--listen", addr, "--webhook-secret-file", secretFile})
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	defer func() {
		cancel()
		g.Expect(<-done).To(MatchError(context.Canceled))
	}()

	status := func(method, path, signature string) func() int {
		return func() int {
			req, err := http.NewRequest(method, "http://"+addr+path, strings.NewReader("{}"))
			if err != nil {
				return 0
			}
			if signature != "" {
				req.Header.Set(controller.SignatureHeader, signature)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return 0
			}
			resp.Body.Close()
			return resp.StatusCode
		}
	}
	g.Eventually(status(http.MethodGet, "/healthz", ""), 10*time.Second, 20*time.Millisecond).Should(Equal(http.StatusOK))
	g.Eventually(status(http.MethodGet, "/readyz", ""), 30*time.Second, 20*time.Millisecond).Should(Equal(http.StatusOK))
	g.Expect(status(http.MethodGet, "/metrics", "")()).To(Equal(http.StatusOK))
	g.Expect(status(http.MethodPost, "/hooks/push", "")()).To(Equal(http.StatusUnauthorized))
	g.Expect(status(http.MethodPost, "/hooks/push", controller.Sign([]byte("s3cret"), []byte("{}")))()).To(Equal(http.StatusAccepted),
		"the secret file's trailing newline is not part of the secret")
}

func TestControllerServeErrors(t *testing.T) {
	repo := pullOnlyFleet(t)
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	cases := []struct {
		name string
		args []string
		want string
	}{
		{name: "secret without listener", args: []string{"--webhook-secret-file", empty}, want: "--webhook-secret-file needs --listen"},
		{name: "empty secret", args: []string{"--listen", freeAddr(t), "--webhook-secret-file", empty}, want: "is empty"},
		{name: "missing secret", args: []string{"--listen", freeAddr(t), "--webhook-secret-file", empty + ".absent"}, want: "--webhook-secret-file:"},
		{name: "GitHub token without webhooks", args: []string{"--github-token-file", secret}, want: "--github-token-file needs --webhook-secret-file"},
		{name: "empty GitHub token", args: []string{"--listen", freeAddr(t), "--webhook-secret-file", secret, "--github-token-file", empty}, want: "--github-token-file: " + empty + " is empty"},
		{name: "bad GitHub API URL", args: []string{"--listen", freeAddr(t), "--webhook-secret-file", secret, "--github-token-file", secret, "--github-api-url", "ftp://x"}, want: `GitHub API URL "ftp://x"`},
		{name: "busy port stops the loop", args: []string{"--listen", busy.Addr().String(), "--interval", "1h"}, want: "serving " + busy.Addr().String()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			out, code := runGitfleet(t, append([]string{"controller", "--repo", repo}, tc.args...)...)
			g.Expect(code).To(Equal(2), out)
			g.Expect(out).To(ContainSubstring(tc.want))
		})
	}
}
