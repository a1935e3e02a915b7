package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

// sourceFlags are the flags that say where a fleet's source tree is: a directory, or a ref
// of a Git repository (a local path or an http(s) URL).
type sourceFlags struct {
	dir       string
	repo      string
	sourceRef string
	cacheDir  string

	// opened is the repository open() opened, for commands that read more refs of it.
	opened *gitstore.Repository
}

func (f *sourceFlags) bind(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.dir, "source", "", "a directory holding the fleet's source tree")
	cmd.Flags().StringVar(&f.repo, "repo", "", "the fleet repository: a local path or an http(s) URL")
	cmd.Flags().StringVar(&f.sourceRef, "source-ref", "main", "with --repo: the branch, tag or commit holding the source")
	cmd.Flags().StringVar(&f.cacheDir, "cache-dir", "", "with an http(s) --repo: keep the clone here between runs (default: in memory)")
}

// sourceTree is an opened source tree.
type sourceTree struct {
	fs fs.FS
	// epoch is the source commit's time (zero for a plain directory).
	epoch metav1.Time
	// description names the tree in reports, e.g. "fleet-repo-example" or "URL@main (1a2b3c4d5e6f)".
	description string
	// commit is the source commit's hash (empty for a plain directory).
	commit string
}

func (f *sourceFlags) open(ctx context.Context) (*sourceTree, error) {
	switch {
	case f.dir != "" && f.repo != "":
		return nil, errors.New("use either --source DIR or --repo PATH_OR_URL, not both")
	case f.dir != "":
		info, err := os.Stat(f.dir)
		if err != nil {
			return nil, fmt.Errorf("--source: %w", err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("--source %s: not a directory", f.dir)
		}
		return &sourceTree{fs: os.DirFS(f.dir), description: f.dir}, nil
	case f.repo != "":
		if ctx == nil {
			ctx = context.Background()
		}
		repo, err := gitstore.Open(ctx, gitstore.Options{URL: f.repo, Auth: authFromEnv(), CacheDir: f.cacheDir})
		if err != nil {
			return nil, err
		}
		hash, err := repo.Resolve(f.sourceRef)
		if err != nil {
			return nil, err
		}
		snap, err := repo.Snapshot(hash)
		if err != nil {
			return nil, err
		}
		f.opened = repo
		return &sourceTree{
			fs:          snap.FS,
			commit:      snap.Commit.Hash,
			epoch:       metav1.NewTime(snap.Commit.Time),
			description: fmt.Sprintf("%s@%s (%.12s)", repo, f.sourceRef, snap.Commit.Hash),
		}, nil
	default:
		return nil, errors.New("say where the source is: --source DIR or --repo PATH_OR_URL")
	}
}

// authFromEnv reads Git credentials from the environment, so they never show in a process
// listing or a shell history.
func authFromEnv() gitstore.Auth {
	return gitstore.Auth{
		Username: os.Getenv("GITFLEET_GIT_USERNAME"),
		Password: os.Getenv("GITFLEET_GIT_PASSWORD"),
		Token:    os.Getenv("GITFLEET_GIT_TOKEN"),
	}
}

// readSecretFile reads a secret (a token, a password, a webhook secret) from a file named by
// a flag; surrounding whitespace (a trailing newline from echo) is not part of it, and an
// empty file is refused. Errors name the flag and the file, never the contents.
func readSecretFile(flag, path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", flag, err)
	}
	v := strings.TrimSpace(string(data))
	if v == "" {
		return "", fmt.Errorf("%s: %s is empty", flag, path)
	}
	return v, nil
}
