package gitstore

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// ErrReferenceNotFound is matched (errors.Is) by the error Resolve returns when no ref or
// commit has the given name — for example a gitfleet/rendered branch before the first render.
var ErrReferenceNotFound = errors.New("reference not found")

type referenceNotFoundError struct {
	ref, repo string
}

func (e *referenceNotFoundError) Error() string {
	return fmt.Sprintf("reference %q not found in %s", e.ref, e.repo)
}

func (e *referenceNotFoundError) Unwrap() error { return ErrReferenceNotFound }

// minShortHash is the shortest abbreviated commit sha Resolve accepts, as git does.
const minShortHash = 4

// hexSize is the length of a full commit sha in hex digits.
const hexSize = len(plumbing.ZeroHash) * 2

// maxTagDepth bounds how many annotated tags Resolve peels (a tag of a tag of …).
const maxTagDepth = 10

// Resolve returns the commit that ref names. ref is, in the order tried:
//   - "HEAD" or a full ref name ("refs/heads/main", "refs/tags/v1");
//   - a branch ("main", "gitfleet/rendered"), then a tag, then a remote-tracking branch
//     ("origin/main", local repositories only), then "refs/<ref>" ("heads/main");
//   - a full or abbreviated (at least 4 hex digits) commit sha.
//
// Unlike git, which prefers tags, a branch wins over a tag of the same name: gitfleet's refs
// are branches. For a URL, branches are the remote's as of the last Open or Fetch. An
// annotated tag resolves to the commit it tags. When nothing matches, the error matches
// ErrReferenceNotFound.
func (r *Repository) Resolve(ref string) (plumbing.Hash, error) {
	if ref == "" {
		return plumbing.ZeroHash, fmt.Errorf("resolve in %s: empty reference", r)
	}
	r.mu.Lock()
	defer r.mu.Unlock()

	var (
		commit plumbing.Hash
		found  bool
	)
	err := r.read(func() error {
		commit, found = plumbing.ZeroHash, false
		hash, ok, err := r.resolveRefName(ref)
		if err == nil && !ok {
			hash, ok, err = r.resolveHash(ref)
		}
		if err != nil || !ok {
			return err
		}
		found = true
		commit, err = r.peelToCommit(hash)
		return err
	})
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("resolve %q in %s: %w", ref, r, err)
	}
	if !found {
		return plumbing.ZeroHash, &referenceNotFoundError{ref: ref, repo: r.String()}
	}
	return commit, nil
}

// resolveRefName looks ref up as a ref name, following symbolic refs.
func (r *Repository) resolveRefName(ref string) (plumbing.Hash, bool, error) {
	candidates := []string{ref}
	if ref != "HEAD" && !strings.HasPrefix(ref, "refs/") {
		candidates = []string{"refs/heads/" + ref, "refs/tags/" + ref, "refs/remotes/" + ref, "refs/" + ref}
	}
	for _, c := range candidates {
		name := plumbing.ReferenceName(c)
		// Valid names only: the file storage would otherwise read "refs/heads/../../config".
		if name != plumbing.HEAD && name.Validate() != nil {
			continue
		}
		resolved, err := storer.ResolveReference(r.git.Storer, name)
		switch {
		case errors.Is(err, plumbing.ErrReferenceNotFound):
			continue
		case err != nil:
			return plumbing.ZeroHash, false, err
		}
		return resolved.Hash(), true, nil
	}
	return plumbing.ZeroHash, false, nil
}

// resolveHash looks ref up as a full or abbreviated commit (or tag) sha. An abbreviation
// that fits more than one commit is an error, as in git.
func (r *Repository) resolveHash(ref string) (plumbing.Hash, bool, error) {
	ref = strings.ToLower(ref)
	if len(ref) < minShortHash || len(ref) > hexSize || !isHex(ref) {
		return plumbing.ZeroHash, false, nil
	}
	if len(ref) == hexSize {
		hash := plumbing.NewHash(ref)
		_, err := r.git.Storer.EncodedObject(plumbing.AnyObject, hash)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return plumbing.ZeroHash, false, nil
		}
		return hash, err == nil, err
	}

	candidates, err := r.hashesWithPrefix(ref)
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	var commits []plumbing.Hash
	for _, h := range candidates {
		if _, err := r.peelToCommit(h); err == nil {
			commits = append(commits, h)
		}
	}
	switch len(commits) {
	case 0:
		return plumbing.ZeroHash, false, nil
	case 1:
		return commits[0], true, nil
	}
	return plumbing.ZeroHash, false, fmt.Errorf("short sha %s is ambiguous: %d commits start with it", ref, len(commits))
}

// hashesWithPrefix returns the objects whose sha starts with the hex digits in prefix.
func (r *Repository) hashesWithPrefix(prefix string) ([]plumbing.Hash, error) {
	whole, err := hex.DecodeString(prefix[:len(prefix)&^1])
	if err != nil {
		return nil, err
	}
	var hashes []plumbing.Hash
	// The file storage indexes its packs; the memory storage must be scanned.
	if fast, ok := r.git.Storer.(interface {
		HashesWithPrefix([]byte) ([]plumbing.Hash, error)
	}); ok {
		if hashes, err = fast.HashesWithPrefix(whole); err != nil {
			return nil, err
		}
	} else {
		for _, t := range []plumbing.ObjectType{plumbing.CommitObject, plumbing.TagObject} {
			iter, err := r.git.Storer.IterEncodedObjects(t)
			if err != nil {
				return nil, err
			}
			err = iter.ForEach(func(o plumbing.EncodedObject) error {
				if h := o.Hash(); bytes.HasPrefix(h[:], whole) {
					hashes = append(hashes, h)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	// An odd number of digits leaves a half byte to check.
	matching := hashes[:0]
	for _, h := range hashes {
		if strings.HasPrefix(h.String(), prefix) {
			matching = append(matching, h)
		}
	}
	return matching, nil
}

// peelToCommit returns the commit that hash names, peeling annotated tags.
func (r *Repository) peelToCommit(hash plumbing.Hash) (plumbing.Hash, error) {
	for range maxTagDepth {
		obj, err := r.git.Storer.EncodedObject(plumbing.AnyObject, hash)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("object %s: %w", hash, err)
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			return hash, nil
		case plumbing.TagObject:
			tag, err := object.DecodeTag(r.git.Storer, obj)
			if err != nil {
				return plumbing.ZeroHash, fmt.Errorf("tag %s: %w", hash, err)
			}
			hash = tag.Target
		default:
			return plumbing.ZeroHash, fmt.Errorf("object %s is a %s, not a commit", hash, obj.Type())
		}
	}
	return plumbing.ZeroHash, fmt.Errorf("object %s: more than %d nested tags", hash, maxTagDepth)
}

func isHex(s string) bool {
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
