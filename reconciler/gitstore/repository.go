package gitstore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/memory"
)

// remoteName is the remote a clone fetches from.
const remoteName = git.DefaultRemoteName

// mirrorRefSpecs make a clone a mirror of the remote's branches and tags, so that branch names
// resolve the same way in a clone as in a local repository, and so that a later
// compare-and-swap push can name the mirrored ref as the expected old value.
var mirrorRefSpecs = []config.RefSpec{
	"+refs/heads/*:refs/heads/*",
	"+refs/tags/*:refs/tags/*",
}

// Repository is a Git repository opened by Open: a local repository used in place, or a clone
// of a URL kept in memory or in Options.CacheDir.
//
// A Repository is safe for concurrent use. go-git is not, even for reads, so every access to
// the underlying repository — including reads through a Snapshot's FS — is serialised, and a
// Fetch that is writing what it received makes reads wait until it is done.
type Repository struct {
	// mu guards git and everything read through it (go-git is not safe for concurrent use).
	mu  sync.Mutex
	git *git.Repository
	loc location
	// retry bounds UpdateBranch.
	retry Retry
	// only, when set, holds the branches a clone mirrors (Options.Branches).
	only map[plumbing.ReferenceName]bool
}

// Open opens the repository that opts names. A local path is opened in place (the path may be
// a worktree, a directory inside one, or a bare repository). A URL is cloned on the first Open
// — into memory, or into a subdirectory of opts.CacheDir — and fetched on later Opens that find
// the clone there.
func Open(ctx context.Context, opts Options) (*Repository, error) {
	loc, err := parseLocation(opts)
	if err != nil {
		return nil, err
	}
	var r *Repository
	if loc.remote {
		r, err = openRemote(ctx, loc, opts.CacheDir, opts.Branches)
	} else {
		r, err = openLocal(loc)
	}
	if err != nil {
		return nil, err
	}
	r.retry = opts.Retry
	return r, nil
}

// String names the repository: its absolute path, or its URL without credentials.
func (r *Repository) String() string { return r.loc.name }

// Remote reports whether the repository is a clone of an http(s) or SSH URL, whose commits
// are pushed; a local repository's commits update its branches in place.
func (r *Repository) Remote() bool { return r.loc.remote }

// Fetch brings the repository up to date. For a URL it fetches the remote's branches and tags
// into the clone (branches and tags deleted on the remote are deleted from the clone too); a
// remote with nothing new is not an error. A local repository is read in place, so its new
// commits need no fetch; Fetch only re-reads its pack index, which Resolve and Snapshot also do
// by themselves when an object is missing because another process (git gc, git fetch)
// replaced the pack files.
func (r *Repository) Fetch(ctx context.Context) error {
	if !r.loc.remote {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.reindex()
		return nil
	}
	if err := r.fetchRemote(ctx); err != nil {
		return fmt.Errorf("fetch %s: %w", r, r.loc.explain(err))
	}
	return nil
}

// reindex makes a repository on disk re-read its pack index, so that packs written by other
// processes are found. It reports whether it did (a clone in memory has no index). Callers
// hold r.mu.
func (r *Repository) reindex() bool {
	s, ok := r.git.Storer.(*filesystem.Storage)
	if ok {
		s.Reindex()
	}
	return ok
}

// read runs fn, which reads objects, and runs it again after reindex if an object was
// missing: git gc in a local repository, or another Repository fetching into the same cached
// clone, changes the pack files under go-git's index. Callers hold r.mu.
func (r *Repository) read(fn func() error) error {
	err := fn()
	if errors.Is(err, plumbing.ErrObjectNotFound) && r.reindex() {
		err = fn()
	}
	return err
}

func openLocal(loc location) (*Repository, error) {
	// Without DetectDotGit first: a bare repository has no .git to detect, and detection
	// would walk up to an enclosing repository instead.
	repo, err := git.PlainOpenWithOptions(loc.name, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		repo, err = git.PlainOpenWithOptions(loc.name, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	}
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", loc.name, err)
	}
	return &Repository{git: repo, loc: loc}, nil
}

func openRemote(ctx context.Context, loc location, cacheDir string, branches []string) (*Repository, error) {
	var only map[plumbing.ReferenceName]bool
	for _, b := range branches {
		ref, err := branchRef(b)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", loc.name, err)
		}
		if only == nil {
			only = map[plumbing.ReferenceName]bool{}
		}
		only[ref] = true
	}
	var (
		repo *git.Repository
		err  error
	)
	if cacheDir == "" {
		repo, err = git.Init(memory.NewStorage(), nil)
	} else {
		dir := filepath.Join(cacheDir, cacheName(loc.name))
		repo, err = git.PlainOpen(dir)
		if errors.Is(err, git.ErrRepositoryNotExists) {
			repo, err = git.PlainInit(dir, true)
		}
		if err != nil {
			err = fmt.Errorf("cache %s: %w", dir, err)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", loc.name, err)
	}
	if err := configureRemote(repo, loc.name); err != nil {
		return nil, fmt.Errorf("open %s: %w", loc.name, err)
	}
	r := &Repository{git: repo, loc: loc, only: only}
	if err := r.Fetch(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// pushPackWindow is the delta window of the packs a clone pushes (go-git reads pack.window
// from the clone's config; git's default is 10). Pushes send whole objects: rendered
// manifests and status files are small and compress well on their own, and go-git's delta
// search took ~250 ms of a 1,000-object status push here (BenchmarkCommit).
const pushPackWindow = 0

// configureRemote points the clone's origin at url with the mirror refspecs, so that the
// clone in a cache directory is also usable with the git CLI when debugging, and sets the
// delta window of its pushes.
func configureRemote(repo *git.Repository, url string) error {
	cfg, err := repo.Config()
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	want := &config.RemoteConfig{Name: remoteName, URLs: []string{url}, Fetch: mirrorRefSpecs}
	if have, ok := cfg.Remotes[remoteName]; ok && equalRemote(have, want) && cfg.Pack.Window == pushPackWindow {
		return nil
	}
	cfg.Remotes[remoteName] = want
	cfg.Pack.Window = pushPackWindow
	if err := repo.SetConfig(cfg); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}

func equalRemote(a, b *config.RemoteConfig) bool {
	if len(a.URLs) != 1 || a.URLs[0] != b.URLs[0] || len(a.Fetch) != len(b.Fetch) {
		return false
	}
	for i := range a.Fetch {
		if a.Fetch[i] != b.Fetch[i] {
			return false
		}
	}
	return true
}
