package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitRepo is the benchmark's fleet repository, driven with the git CLI: commits are made
// from directories through a scratch index (git add, write-tree, commit-tree), so the
// repository's own work tree stays empty and gitfleet reads only refs.
type gitRepo struct {
	// dir is the repository's work tree root; the repository is dir/.git.
	dir string
}

// gitEnv makes commits reproducible and independent of the user's configuration.
var gitEnv = []string{
	"GIT_AUTHOR_NAME=gitfleet-bench", "GIT_AUTHOR_EMAIL=bench@gitfleet.invalid",
	"GIT_COMMITTER_NAME=gitfleet-bench", "GIT_COMMITTER_EMAIL=bench@gitfleet.invalid",
	"GIT_AUTHOR_DATE=2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z",
	"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull,
}

// initGitRepo creates an empty repository whose HEAD is main.
func initGitRepo(dir string) (gitRepo, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return gitRepo{}, fmt.Errorf("creating the repository directory: %w", err)
	}
	r := gitRepo{dir: dir}
	_, err := r.git(dir, nil, "init", "-q", "-b", "main")
	return r, err
}

// git runs one git command on the repository, in workDir, with extra environment.
func (r gitRepo) git(workDir string, env []string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"--git-dir", filepath.Join(r.dir, ".git")}, args...)...)
	cmd.Dir = workDir
	cmd.Env = append(append(os.Environ(), gitEnv...), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, tail(stderr.String(), 10))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// withIndex runs fn with a fresh scratch index file, removed afterwards.
func (r gitRepo) withIndex(fn func(env []string) error) error {
	f, err := os.CreateTemp("", "bench-index-*")
	if err != nil {
		return fmt.Errorf("creating a scratch index: %w", err)
	}
	name := f.Name()
	f.Close()
	os.Remove(name) // git wants to create it
	defer os.Remove(name)
	return fn([]string{"GIT_INDEX_FILE=" + name})
}

// treeOf writes the files of dir as a tree object and returns its hash: equal hashes mean
// byte-identical trees.
func (r gitRepo) treeOf(dir string) (tree string, err error) {
	err = r.withIndex(func(env []string) error {
		if _, err := r.git(dir, env, "--work-tree", ".", "add", "-A", "."); err != nil {
			return err
		}
		tree, err = r.git(dir, env, "write-tree")
		return err
	})
	return tree, err
}

// commitDir commits the files of dir onto branch (created when absent) and returns the
// commit.
func (r gitRepo) commitDir(dir, branch, message string) (string, error) {
	tree, err := r.treeOf(dir)
	if err != nil {
		return "", fmt.Errorf("committing %s: %w", dir, err)
	}
	args := []string{"commit-tree", tree, "-m", message}
	parent, err := r.revParse(branch)
	if err == nil {
		args = append(args, "-p", parent)
	}
	commit, err := r.git(r.dir, nil, args...)
	if err != nil {
		return "", err
	}
	_, err = r.git(r.dir, nil, "update-ref", "refs/heads/"+branch, commit)
	return commit, err
}

// revParse resolves a revision to a hash.
func (r gitRepo) revParse(rev string) (string, error) {
	return r.git(r.dir, nil, "rev-parse", "--verify", "-q", rev)
}

// paths lists every file of a commit.
func (r gitRepo) paths(rev string) ([]string, error) {
	out, err := r.git(r.dir, nil, "ls-tree", "-r", "--name-only", rev)
	if err != nil {
		return nil, err
	}
	return strings.Split(out, "\n"), nil
}

// checkout writes the files of a commit to dir, creating it.
func (r gitRepo) checkout(rev, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("checking out %s: %w", rev, err)
	}
	return r.withIndex(func(env []string) error {
		if _, err := r.git(dir, env, "--work-tree", ".", "read-tree", rev); err != nil {
			return err
		}
		_, err := r.git(dir, env, "--work-tree", ".", "checkout-index", "-a", "-f")
		return err
	})
}

// changedPaths lists the files that differ between two trees.
func (r gitRepo) changedPaths(a, b string) ([]string, error) {
	out, err := r.git(r.dir, nil, "diff-tree", "-r", "--name-status", a, b)
	if err != nil || out == "" {
		return nil, err
	}
	return strings.Split(out, "\n"), nil
}
