package gitstore_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	. "github.com/onsi/gomega"
	"golang.org/x/crypto/ssh"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

// newSSHServerWithSource serves fleet.git over HTTP and SSH with fleetV1 on main and returns
// its SSH URL.
func newSSHServerWithSource(t *testing.T) (*gitstoretest.Server, string) {
	t.Helper()
	srv := gitstoretest.NewServer(t)
	srv.StartSSH(t)
	srv.PushDir(t, "fleet.git", "main", fleetV1, "source", pushTime)
	return srv, srv.SSHURL("fleet.git")
}

// expectNoKeyMaterial checks that err shows no line of the PEM key nor the passphrase.
func expectNoKeyMaterial(t *testing.T, err error, key []byte, passphrase string) {
	t.Helper()
	g := NewWithT(t)
	g.Expect(err).To(HaveOccurred())
	for _, line := range strings.Split(string(key), "\n") {
		if len(line) > 8 && !strings.HasPrefix(line, "-----") {
			g.Expect(err.Error()).NotTo(ContainSubstring(line))
		}
	}
	if passphrase != "" {
		g.Expect(err.Error()).NotTo(ContainSubstring(passphrase))
	}
}

func TestSSHClonesFetchesAndCommits(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv, url := newSSHServerWithSource(t)
	main := serverTip(t, srv, "main")

	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.SSHAuth(), CacheDir: t.TempDir()})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(repo.Remote()).To(BeTrue())
	g.Expect(repo.String()).To(Equal(url))
	g.Expect(repo.Resolve("HEAD")).To(Equal(main))
	expectSnapshot(t, repo, main, fleetV1)

	g.Expect(repo.Fetch(ctx)).To(Succeed(), "nothing new is not an error")
	_, v2 := srv.PushDir(t, "fleet.git", "main", fleetV2, "v2", pushTime.Add(time.Hour))
	g.Expect(repo.Fetch(ctx)).To(Succeed())
	g.Expect(repo.Resolve("main")).To(Equal(v2))
	expectSnapshot(t, repo, v2, fleetV2)

	first, err := repo.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(first.Commit))
	second, err := repo.Commit(ctx, renderRequest(renderV2, first.Commit))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(second.Commit))

	// The same repository over HTTP sees what was pushed over SSH.
	other, err := gitstore.Open(ctx, gitstore.Options{URL: srv.URL("fleet.git"), Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(treeOf(t, other, second.Commit)).To(Equal(renderV2))
}

// TestSSHConflict: the compare-and-swap of Commit holds over SSH as over HTTP, and
// UpdateBranch retries through it.
func TestSSHConflict(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv, url := newSSHServerWithSource(t)
	opts := gitstore.Options{URL: url, Auth: srv.SSHAuth(), Retry: gitstore.Retry{Backoff: -1}}
	a, err := gitstore.Open(ctx, opts)
	g.Expect(err).NotTo(HaveOccurred())
	b, err := gitstore.Open(ctx, opts)
	g.Expect(err).NotTo(HaveOccurred())

	first, err := a.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred())
	_, err = b.Commit(ctx, renderRequest(renderV2, plumbing.ZeroHash))
	var conflict *gitstore.ConflictError
	g.Expect(errors.As(err, &conflict)).To(BeTrue(), "%v", err)
	g.Expect(*conflict).To(Equal(gitstore.ConflictError{Branch: renderedBranch, Expected: plumbing.ZeroHash, Current: first.Commit}))
	g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(first.Commit))

	g.Expect(b.Fetch(ctx)).To(Succeed())
	second, err := a.Commit(ctx, renderRequest(renderV2, first.Commit))
	g.Expect(err).NotTo(HaveOccurred())
	_, err = b.Commit(ctx, renderRequest(map[string]string{"b.yaml": "b\n"}, first.Commit))
	g.Expect(err).To(MatchError(gitstore.ErrConflict))
	g.Expect(errors.As(err, &conflict)).To(BeTrue())
	g.Expect(conflict.Current).To(Equal(second.Commit))
	g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(second.Commit))

	// UpdateBranch fetches after the conflict and builds on a's commit.
	res, err := b.UpdateBranch(ctx, renderedBranch, func(current *gitstore.Snapshot) (gitstore.CommitRequest, error) {
		req := renderRequest(map[string]string{"b.yaml": "b\n"}, plumbing.ZeroHash)
		return req, nil
	})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(res.Commit))
}

// TestSSHRefused: a key the server does not accept, a host key known_hosts does not vouch
// for, or missing settings fail with errors that say what to do and show no key material.
func TestSSHRefused(t *testing.T) {
	t.Parallel()
	srv, url := newSSHServerWithSource(t)
	good := srv.SSHAuth()
	wrongKey, wrongPub := gitstoretest.NewSSHKey(t)
	const passphrase = "pass-3e9f7c"
	encrypted, encryptedPub := gitstoretest.NewEncryptedSSHKey(t, passphrase)
	// known_hosts with another key for the server's address.
	_, otherHostKey := gitstoretest.NewSSHKey(t)
	otherHost := []byte(strings.SplitN(string(good.SSHKnownHosts), " ", 2)[0] + " " + string(ssh.MarshalAuthorizedKey(otherHostKey)))

	for _, tc := range []struct {
		name string
		auth gitstore.Auth
		want []string
		is   error
	}{
		{
			name: "wrong key",
			auth: gitstore.Auth{SSHKey: wrongKey, SSHKnownHosts: good.SSHKnownHosts},
			want: []string{"refused key " + ssh.FingerprintSHA256(wrongPub), "fetch " + url},
			is:   transport.ErrAuthenticationRequired,
		},
		{
			name: "wrong encrypted key, right passphrase",
			auth: gitstore.Auth{SSHKey: encrypted, SSHKeyPassphrase: passphrase, SSHKnownHosts: good.SSHKnownHosts},
			want: []string{"refused key " + ssh.FingerprintSHA256(encryptedPub)},
			is:   transport.ErrAuthenticationRequired,
		},
		{
			name: "encrypted key without passphrase",
			auth: gitstore.Auth{SSHKey: encrypted, SSHKnownHosts: good.SSHKnownHosts},
			want: []string{"repository " + url + ": the key in Auth.SSHKey is encrypted: set Auth.SSHKeyPassphrase"},
		},
		{
			name: "encrypted key, wrong passphrase",
			auth: gitstore.Auth{SSHKey: encrypted, SSHKeyPassphrase: "wrong", SSHKnownHosts: good.SSHKnownHosts},
			want: []string{"parse Auth.SSHKey"},
		},
		{
			name: "not a key",
			auth: gitstore.Auth{SSHKey: []byte("-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWJ1dC1icm9rZW4=\n-----END OPENSSH PRIVATE KEY-----\n"), SSHKnownHosts: good.SSHKnownHosts},
			want: []string{"parse Auth.SSHKey"},
		},
		{
			name: "host key changed",
			auth: gitstore.Auth{SSHKey: good.SSHKey, SSHKnownHosts: otherHost},
			want: []string{"SSH host key of " + srv.SSHHostAddress() + " does not match Auth.SSHKnownHosts"},
		},
		{
			name: "host not in known_hosts",
			auth: gitstore.Auth{SSHKey: good.SSHKey, SSHKnownHosts: []byte("git.example.com " + string(ssh.MarshalAuthorizedKey(otherHostKey)))},
			want: []string{"no key for [127.0.0.1]:"},
		},
		{
			name: "no known_hosts",
			auth: gitstore.Auth{SSHKey: good.SSHKey},
			want: []string{"no known_hosts to check the host key of", "Auth.SSHInsecureIgnoreHostKey"},
		},
		{
			name: "no key",
			auth: gitstore.Auth{SSHKnownHosts: good.SSHKnownHosts},
			want: []string{"SSH needs a private key in Auth.SSHKey"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := NewWithT(t)
			_, err := gitstore.Open(context.Background(), gitstore.Options{URL: url, Auth: tc.auth})
			for _, want := range tc.want {
				g.Expect(err).To(MatchError(ContainSubstring(want)))
			}
			if tc.is != nil {
				g.Expect(err).To(MatchError(tc.is))
			}
			expectNoKeyMaterial(t, err, tc.auth.SSHKey, tc.auth.SSHKeyPassphrase)
			expectNoKeyMaterial(t, err, good.SSHKey, "")
		})
	}
}

// TestSSHInsecureIgnoreHostKey: without known_hosts, an explicit opt-out accepts any host key.
func TestSSHInsecureIgnoreHostKey(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	srv, url := newSSHServerWithSource(t)
	repo, err := gitstore.Open(context.Background(), gitstore.Options{
		URL:  url,
		Auth: gitstore.Auth{SSHKey: srv.SSHAuth().SSHKey, SSHInsecureIgnoreHostKey: true},
	})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(repo.Resolve("main")).To(Equal(serverTip(t, srv, "main")))
}

// TestSSHScpLikeURL: the scp-like syntax reaches the same repository (go-git reads a port
// between two colons: git@host:port:path).
func TestSSHScpLikeURL(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv, _ := newSSHServerWithSource(t)
	host, port, err := net.SplitHostPort(srv.SSHHostAddress())
	g.Expect(err).NotTo(HaveOccurred())
	url := "git@" + host + ":" + port + ":fleet.git"

	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.SSHAuth(), CacheDir: t.TempDir()})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(repo.String()).To(Equal(url))
	g.Expect(repo.Resolve("main")).To(Equal(serverTip(t, srv, "main")))
	res, err := repo.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(res.Commit))
}
