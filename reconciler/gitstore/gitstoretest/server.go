// Package gitstoretest serves real Git repositories over HTTP, and on demand SSH, for tests: a
// Git server (github.com/fluxcd/pkg/gittestserver, which runs the git CLI's upload-pack and
// receive-pack) with basic auth (SSH: one generated key), and PushDir, which commits a
// directory to a branch of it with a real push.
//
//	srv := gitstoretest.NewServer(t)
//	url, hash := srv.PushDir(t, "fleet.git", "main", os.DirFS("testdata/fleet"), "init", when)
//	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
package gitstoretest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fluxcd/pkg/gittestserver"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

// Username is the user name the Server accepts. It is gitstore.DefaultTokenUsername, so a
// test can also authenticate with gitstore.Auth{Token: password}.
const Username = gitstore.DefaultTokenUsername

// author is the author and committer of the commits PushDir makes.
var author = object.Signature{Name: "gitstoretest", Email: "gitstoretest@example.com"}

// Server is a Git HTTP server for one test, with basic auth on: it accepts Username and a
// random password. Repositories live in a temporary directory removed after the test.
type Server struct {
	git      *gittestserver.GitServer
	password string
	// beforeReceive is run by a push's receive-pack request; see BeforeReceivePack.
	beforeReceive atomic.Pointer[func()]
	// beforeUpload is run by a fetch's upload-pack request; see BeforeUploadPack.
	beforeUpload atomic.Pointer[func()]
	// down makes every HTTP request fail as a dropped connection; see SetDown.
	down atomic.Bool
	// sshSide is the SSH server, once StartSSH started it.
	sshSide *sshState
}

// NewServer starts a Server that stops when t ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		t.Fatalf("gitstoretest: password: %v", err)
	}
	s := &Server{password: "pw-" + hex.EncodeToString(secret)}
	s.git = gittestserver.NewGitServer(t.TempDir()).Auth(Username, s.password)
	s.git.AddHTTPMiddlewares(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if s.down.Load() {
				dropConnection(w)
				return
			}
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/git-receive-pack") {
				if fn := s.beforeReceive.Load(); fn != nil {
					(*fn)()
				}
			}
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
				if fn := s.beforeUpload.Load(); fn != nil {
					(*fn)()
				}
			}
			next.ServeHTTP(w, r)
		})
	})
	if err := s.git.StartHTTP(); err != nil {
		t.Fatalf("gitstoretest: start Git HTTP server: %v", err)
	}
	t.Cleanup(s.git.StopHTTP)
	return s
}

// Auth returns the credentials the server accepts.
func (s *Server) Auth() gitstore.Auth {
	return gitstore.Auth{Username: Username, Password: s.password}
}

// URL returns the http URL of the repository repo (for example "fleet.git"), without
// credentials.
func (s *Server) URL(repo string) string {
	return s.git.HTTPAddress() + "/" + repo
}

// BeforeReceivePack makes fn run each time a push delivers its commands and objects, before
// the server applies them — after it advertised its refs to the pusher. A test moves a branch
// there to make a push lose a race that the pusher could not see coming, so that only the
// server's check of the branch's old value stops it. nil removes the hook.
func (s *Server) BeforeReceivePack(fn func()) {
	if fn == nil {
		s.beforeReceive.Store(nil)
		return
	}
	s.beforeReceive.Store(&fn)
}

// BeforeUploadPack makes fn run each time a fetch asks for objects, after the server
// advertised its refs to the fetcher: a test replaces a branch there so that the fetch asks
// for a commit no ref points to any more. nil removes the hook.
func (s *Server) BeforeUploadPack(fn func()) {
	if fn == nil {
		s.beforeUpload.Store(nil)
		return
	}
	s.beforeUpload.Store(&fn)
}

// SetDown takes the server off the network while down is true: every HTTP request is answered
// by closing its connection without a response, so that clients see a network failure, as if
// the server were gone, rather than an HTTP error. SetDown(false) brings it back on the same
// URL, with its repositories as they were.
func (s *Server) SetDown(down bool) {
	s.down.Store(down)
}

// dropConnection closes the connection of the request w answers, without writing a response.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		// Not reachable with httptest's server; a 503 is the closest failure left.
		http.Error(w, "gitstoretest: server is down", http.StatusServiceUnavailable)
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		http.Error(w, "gitstoretest: server is down", http.StatusServiceUnavailable)
		return
	}
	_ = conn.Close()
}

// Dir returns the directory of the bare repository repo on the server, for tests that change
// it behind the server's back (deleting a branch, say) with go-git.
func (s *Server) Dir(repo string) string {
	return filepath.Join(s.git.Root(), filepath.FromSlash(repo))
}

// PushDir commits the files of dir as the whole tree of branch in the repository repo and
// pushes the commit over HTTP; it returns the repository's URL and the commit's hash. The
// repository is created on the first push, with HEAD pointing to branch. The commit's parent
// is the branch's current commit, if any, so successive pushes are fast-forwards; author and
// committer are "gitstoretest <gitstoretest@example.com>" at when. Empty directories and .git directories are left out;
// symbolic links become Git symbolic links; files with an executable bit keep it.
func (s *Server) PushDir(t testing.TB, repo, branch string, dir fs.FS, message string, when time.Time) (string, plumbing.Hash) {
	t.Helper()
	url, hash, err := s.pushDir(repo, branch, dir, message, when)
	if err != nil {
		t.Fatalf("gitstoretest: push %q to branch %s of %s: %v", message, branch, repo, err)
	}
	return url, hash
}

func (s *Server) pushDir(repo, branch string, dir fs.FS, message string, when time.Time) (string, plumbing.Hash, error) {
	ctx := context.Background()
	if !fs.ValidPath(repo) || repo == "." {
		return "", plumbing.ZeroHash, errors.New("invalid repository name")
	}
	ref := plumbing.NewBranchReferenceName(branch)
	if err := ref.Validate(); err != nil {
		return "", plumbing.ZeroHash, err
	}
	if err := s.initRepo(repo, ref); err != nil {
		return "", plumbing.ZeroHash, err
	}

	url := s.URL(repo)
	auth := &githttp.BasicAuth{Username: Username, Password: s.password}
	local, err := git.Init(memory.NewStorage(), nil)
	if err != nil {
		return "", plumbing.ZeroHash, err
	}
	remote, err := local.CreateRemote(&config.RemoteConfig{Name: git.DefaultRemoteName, URLs: []string{url}})
	if err != nil {
		return "", plumbing.ZeroHash, err
	}

	// The branch's current commit, fetched so that the push can tell it fast-forwards.
	var parents []plumbing.Hash
	refs, err := remote.ListContext(ctx, &git.ListOptions{Auth: auth})
	if err != nil && !errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return "", plumbing.ZeroHash, err
	}
	for _, r := range refs {
		if r.Name() == ref {
			parents = append(parents, r.Hash())
		}
	}
	if len(parents) > 0 {
		spec := config.RefSpec("+" + ref.String() + ":" + ref.String())
		err := remote.FetchContext(ctx, &git.FetchOptions{RefSpecs: []config.RefSpec{spec}, Auth: auth, Tags: git.NoTags})
		if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
			return "", plumbing.ZeroHash, err
		}
	}

	tree, _, err := writeTree(local.Storer, dir, ".")
	if err != nil {
		return "", plumbing.ZeroHash, err
	}
	sig := author
	sig.When = when
	commit := &object.Commit{Author: sig, Committer: sig, Message: message, TreeHash: tree, ParentHashes: parents}
	hash, err := store(local.Storer, commit)
	if err != nil {
		return "", plumbing.ZeroHash, err
	}

	spec := config.RefSpec(hash.String() + ":" + ref.String())
	if err := local.PushContext(ctx, &git.PushOptions{RefSpecs: []config.RefSpec{spec}, Auth: auth}); err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return "", plumbing.ZeroHash, err
	}
	return url, hash, nil
}

// initRepo creates the bare repository repo with HEAD pointing to head, unless it exists.
func (s *Server) initRepo(repo string, head plumbing.ReferenceName) error {
	dir := s.Dir(repo)
	if _, err := os.Stat(filepath.Join(dir, "objects")); err == nil {
		return nil
	}
	_, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		Bare:        true,
		InitOptions: git.InitOptions{DefaultBranch: head},
	})
	return err
}
