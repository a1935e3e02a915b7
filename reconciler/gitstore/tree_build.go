package gitstore

import (
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// builtTree is a Git tree computed from a set of files in memory: every tree and blob is
// hashed, nothing is stored yet. Storing it (objectWriter) then writes only the objects the
// repository lacks.
type builtTree struct {
	hash plumbing.Hash
	// encoded is the tree object, ready to store.
	encoded *plumbing.MemoryObject
	// entries are sorted as Git sorts a tree.
	entries []builtEntry
}

// builtEntry is one entry of a builtTree: a file (content set) or a directory (dir set).
type builtEntry struct {
	name    string
	mode    filemode.FileMode
	hash    plumbing.Hash
	content []byte
	dir     *builtTree
}

// buildTree hashes files — slash-separated paths to content, the whole tree — into Git trees
// and blobs, bottom-up. Every file is a regular file (mode 0644); directories are implied by
// the paths, so a tree never holds an empty directory.
//
// A path must be valid for io/fs (no leading or trailing slash, no empty, "." or ".."
// segments) and must not be ".". A path may not be both a file and a directory
// ("a" and "a/b"), and no segment may be ".git", which Git refuses to check out.
func buildTree(files map[string][]byte) (*builtTree, error) {
	paths := slices.Sorted(maps.Keys(files))
	for _, p := range paths {
		if err := validateTreePath(p); err != nil {
			return nil, err
		}
		// A file "a" and a directory "a/…" need not be neighbours in sorted order ("a",
		// "a-b", "a/c"): look every directory on the path up among the files.
		for i := range len(p) {
			if p[i] != '/' {
				continue
			}
			if _, ok := files[p[:i]]; ok {
				return nil, fmt.Errorf("path %q is both a file and a directory (it holds %q)", p[:i], p)
			}
		}
	}
	// Sorted paths list each directory's paths contiguously, so the tree is built in one
	// pass, bottom-up.
	b := treeBuilder{files: files, paths: paths}
	root, err := b.build("")
	if err != nil {
		return nil, err
	}
	if len(b.paths) != 0 {
		// Cannot happen with sorted, validated paths; guard against a silent truncation.
		return nil, fmt.Errorf("internal error: %d paths left after building the tree", len(b.paths))
	}
	return root, nil
}

// validateTreePath checks that p can name a file in a Git tree.
func validateTreePath(p string) error {
	if p == "." || !fs.ValidPath(p) {
		return fmt.Errorf("invalid path %q: want a slash-separated relative path without empty, \".\" or \"..\" segments", p)
	}
	for seg := range strings.SplitSeq(p, "/") {
		if strings.EqualFold(seg, ".git") {
			return fmt.Errorf("invalid path %q: a .git segment cannot be checked out", p)
		}
		if strings.IndexByte(seg, 0) >= 0 {
			return fmt.Errorf("invalid path %q: NUL is not allowed", p)
		}
	}
	return nil
}

// treeBuilder consumes sorted paths, one directory at a time.
type treeBuilder struct {
	files map[string][]byte
	paths []string
}

// build builds the directory prefix ("" for the root, otherwise ending in "/") from the
// paths at the front of b.paths that start with it, and consumes them.
func (b *treeBuilder) build(prefix string) (*builtTree, error) {
	t := &builtTree{}
	for len(b.paths) > 0 && strings.HasPrefix(b.paths[0], prefix) {
		rel := b.paths[0][len(prefix):]
		name, _, isDir := strings.Cut(rel, "/")
		if !isDir {
			content := b.files[b.paths[0]]
			t.entries = append(t.entries, builtEntry{
				name:    name,
				mode:    filemode.Regular,
				hash:    plumbing.ComputeHash(plumbing.BlobObject, content),
				content: content,
			})
			b.paths = b.paths[1:]
			continue
		}
		sub, err := b.build(prefix + name + "/")
		if err != nil {
			return nil, err
		}
		t.entries = append(t.entries, builtEntry{name: name, mode: filemode.Dir, hash: sub.hash, dir: sub})
	}
	// Sorted paths list the entries in Git's order already: Git compares a directory "a" as
	// "a/", which is how it appears in the paths below it. (Encode checks.)
	tree := object.Tree{Entries: make([]object.TreeEntry, len(t.entries))}
	for i, e := range t.entries {
		tree.Entries[i] = object.TreeEntry{Name: e.name, Mode: e.mode, Hash: e.hash}
	}
	t.encoded = &plumbing.MemoryObject{}
	if err := tree.Encode(t.encoded); err != nil {
		return nil, fmt.Errorf("encode tree %q: %w", strings.TrimSuffix(prefix, "/"), err)
	}
	t.hash = t.encoded.Hash()
	return t, nil
}
