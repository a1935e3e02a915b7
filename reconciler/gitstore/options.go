package gitstore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// DefaultTokenUsername is the user name sent with Auth.Token when Auth.Username is empty.
// GitHub, GitLab and Gitea take a token as the HTTP basic-auth password and accept any non-empty
// user name with it.
const DefaultTokenUsername = "git"

// Options says which repository Open opens and how it reaches it.
type Options struct {
	// URL is a local path — a repository with a worktree, a directory inside one, or a bare
	// repository — an http(s) URL, or an SSH URL: ssh://git@host[:port]/org/fleet.git or the
	// scp-like git@host:org/fleet.git. Local repositories are used in place, so `gitfleet
	// render` on a checkout sees its commits without a push; URLs are cloned (see CacheDir).
	// User info in an http(s) URL (https://user:token@host/fleet.git) is used as Auth and
	// stripped from the URL, so it is neither stored in the cache nor shown in errors; an SSH
	// URL names only the SSH user.
	URL string
	// Auth authenticates to a URL: a password or token for http(s), a key for SSH. It is
	// ignored for local paths, so one set of flags or environment variables can serve both.
	Auth Auth
	// CacheDir is where clones of URLs are kept between runs, each URL in its own
	// subdirectory, so that a restarted hub or agent fetches only what changed instead of
	// cloning the fleet again. Empty keeps the clone in memory: every Open clones afresh.
	// A clone is meant for one Repository at a time: two fetching into it at once may clash.
	CacheDir string
	// Retry bounds the compare-and-swap loop of UpdateBranch: how often it re-reads a branch
	// another writer moved, and how long it waits first. The zero value is the defaults.
	Retry Retry
	// Branches, when set, limits a clone of a URL to these branches (and no tags): it fetches
	// only them, however many other branches the remote has. A pull agent reads its rendered
	// branch and writes its report ref, and need not download the other clusters' reports.
	// Branches it does not list cannot be resolved or committed to. Ignored for local paths.
	Branches []string
}

// Default retry settings of UpdateBranch.
const (
	// DefaultRetryAttempts is enough for a writer to get through a few others finishing their
	// own updates; more conflicts than that mean a loop is fighting over the branch, which
	// should be reported rather than hidden.
	DefaultRetryAttempts = 5
	// DefaultRetryBackoff is the first wait; it doubles on every further conflict.
	DefaultRetryBackoff = 100 * time.Millisecond
	// maxRetryBackoff caps the doubling of a shorter Backoff.
	maxRetryBackoff = 2 * time.Second
)

// Retry says how UpdateBranch retries after losing a race for a branch.
type Retry struct {
	// Attempts is how many times UpdateBranch reads the branch and commits before it gives up
	// and returns the last conflict. Zero (or less) means DefaultRetryAttempts; 1 means no
	// retry.
	Attempts int
	// Backoff is the wait before the second attempt, doubled before each further one (up to
	// 2s, or Backoff if that is longer) and jittered down to as little as half, so that
	// writers that collided do not collide again in step. Zero means DefaultRetryBackoff; a
	// negative value retries at once, for tests.
	Backoff time.Duration
}

// attempts returns Attempts with the default applied.
func (r Retry) attempts() int {
	if r.Attempts <= 0 {
		return DefaultRetryAttempts
	}
	return r.Attempts
}

// backoff returns the wait before attempt n (n >= 2), jittered by rnd, a number in [0, 1).
func (r Retry) backoff(n int, rnd float64) time.Duration {
	base := r.Backoff
	switch {
	case base < 0:
		return 0
	case base == 0:
		base = DefaultRetryBackoff
	}
	limit := max(base, maxRetryBackoff)
	wait := base
	for i := 2; i < n && wait < limit; i++ {
		wait *= 2
	}
	wait = min(wait, limit)
	return wait/2 + time.Duration(rnd*float64(wait/2))
}

// Auth holds the credentials for a repository URL: HTTP basic auth (Username with Password or
// Token) for http(s) URLs, a private key and the server's host keys for SSH URLs. The zero
// value is anonymous HTTP access. Its String method redacts secrets, so logging an Options
// value does not leak them.
type Auth struct {
	// Username is the basic-auth user name. With Token set it defaults to
	// DefaultTokenUsername; some hosts want a particular one (GitHub App installation
	// tokens: "x-access-token", GitLab OAuth tokens: "oauth2"). For SSH it is the SSH user,
	// when the URL names none (default DefaultSSHUsername).
	Username string
	// Password is the basic-auth password.
	Password string
	// Token is an access token, sent as the basic-auth password — how GitHub, GitLab and
	// Gitea take personal, project and app tokens over HTTPS. Set Password or Token, not both.
	Token string

	// SSHKey is the private key (PEM or OpenSSH format, as ssh-keygen writes it) that
	// authenticates to an SSH URL — typically a deploy key, which hosts grant to one
	// repository only, where a token would grant a whole account.
	SSHKey []byte
	// SSHKeyPassphrase decrypts SSHKey if it is encrypted.
	SSHKeyPassphrase string
	// SSHKnownHosts is the server's host keys in known_hosts format (what ssh-keyscan prints,
	// or the "known_hosts" key of a Flux Git secret). SSH refuses a server whose key is not
	// in it, so that a fleet is neither read from nor pushed to an impostor; a URL with a
	// non-standard port needs entries written [host]:port.
	SSHKnownHosts []byte
	// SSHInsecureIgnoreHostKey accepts any host key instead of checking SSHKnownHosts: for
	// tests and throwaway servers only, where being talked to by an impostor does no harm.
	SSHInsecureIgnoreHostKey bool
}

// String describes a without revealing Password, Token, SSHKey or SSHKeyPassphrase.
func (a Auth) String() string {
	switch {
	case a.isZero():
		return "anonymous"
	case a.hasSSH():
		s := "ssh key"
		if a.Username != "" {
			s += fmt.Sprintf(" (user %q)", a.Username)
		}
		if a.SSHInsecureIgnoreHostKey {
			s += ", host key not checked"
		}
		return s
	case a.Token != "":
		return fmt.Sprintf("token (user %q)", a.username())
	default:
		return fmt.Sprintf("basic (user %q)", a.Username)
	}
}

// GoString is String, so that %#v does not reveal secrets either.
func (a Auth) GoString() string { return a.String() }

func (a Auth) isZero() bool {
	return a.Username == "" && a.Password == "" && a.Token == "" && !a.hasSSH()
}

func (a Auth) username() string {
	if a.Token != "" && a.Username == "" {
		return DefaultTokenUsername
	}
	return a.Username
}

// basic returns the go-git auth method for a, nil for anonymous access.
func (a Auth) basic() (*githttp.BasicAuth, error) {
	switch {
	case a.isZero():
		return nil, nil
	case a.Token != "" && a.Password != "":
		return nil, errors.New("auth: set Password or Token, not both")
	case a.Token != "":
		return &githttp.BasicAuth{Username: a.username(), Password: a.Token}, nil
	default:
		return &githttp.BasicAuth{Username: a.Username, Password: a.Password}, nil
	}
}

// location is where a repository lives, parsed from Options.
type location struct {
	// remote is true for URLs, which are cloned; false for local paths, used in place.
	remote bool
	// name is the absolute path or the URL without user info; it is safe to show.
	name string
	// auth authenticates to a remote; nil for anonymous access and local paths.
	auth transport.AuthMethod
	// sshKey is the fingerprint of the SSH key of an SSH remote, for errors; empty otherwise.
	sshKey string
	// sshHost is the host:port of an SSH remote.
	sshHost string
}

// scpLike matches the scp-like SSH syntax (git@github.com:org/fleet.git), which is not a path.
// A user is required: without one, host:path cannot be told from a local path with a colon.
var scpLike = regexp.MustCompile(`^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:`)

func parseLocation(o Options) (location, error) {
	switch {
	case o.URL == "":
		return location{}, errors.New("no repository: Options.URL is empty")
	case strings.HasPrefix(o.URL, "ssh://"), scpLike.MatchString(o.URL) && !strings.Contains(o.URL, "://"):
		return parseSSH(o.URL, o.Auth)
	case strings.Contains(o.URL, "://"):
		return parseURL(o.URL, o.Auth)
	}
	abs, err := filepath.Abs(o.URL)
	if err != nil {
		return location{}, fmt.Errorf("repository path %s: %w", o.URL, err)
	}
	return location{name: abs}, nil
}

func parseURL(raw string, auth Auth) (location, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// The parse error quotes the URL, which may hold credentials: do not wrap it.
		return location{}, errors.New("invalid repository URL (not shown: it may contain credentials)")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return location{}, fmt.Errorf("unsupported repository URL scheme %q: use a local path, an http(s) URL or an SSH URL", u.Scheme)
	}
	user := u.User
	u.User = nil
	loc := location{remote: true, name: u.String()}
	if auth.hasSSH() {
		return location{}, fmt.Errorf("repository %s: Auth.SSHKey, Auth.SSHKnownHosts and the other SSH settings are for SSH URLs", loc.name)
	}
	if user != nil {
		if !auth.isZero() {
			return location{}, fmt.Errorf("repository %s: credentials given both in the URL and in Auth", loc.name)
		}
		auth.Username = user.Username()
		auth.Password, _ = user.Password()
	}
	basic, err := auth.basic()
	if err != nil {
		return location{}, fmt.Errorf("repository %s: %w", loc.name, err)
	}
	if basic != nil {
		loc.auth = basic // not a nil *BasicAuth in a non-nil interface
	}
	return loc, nil
}

// cacheName is the directory under Options.CacheDir that holds the clone of the URL name:
// readable (the repository's base name) and unique (a digest of the URL without user info,
// so the same repository shares its clone whatever credentials reach it).
func cacheName(name string) string {
	sum := sha256.Sum256([]byte(name))
	base := path.Base(name) // the scp-like git@host:org/fleet.git is no URL
	if u, err := url.Parse(name); err == nil {
		base = path.Base(u.Path)
	}
	base = strings.TrimSuffix(base, ".git")
	base = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, base)
	if len(base) > 40 {
		base = base[:40]
	}
	if base == "" || base == "." || base == ".." || base == "_" {
		base = "repo"
	}
	return base + "-" + hex.EncodeToString(sum[:8]) + ".git"
}
