package gitstore

import (
	"context"
	"errors"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// fetchRaceAttempts bounds the whole-clone fetches fetchRemote makes when a ref moves under
// it, before it fetches ref by ref.
const fetchRaceAttempts = 3

// fetchRemote mirrors the remote's branches, tags and HEAD into the clone.
//
// Refs that keep no history (the hub lease, agent reports) are replaced by a new root commit
// at each update: a fetch that asks for the commit the remote advertised a moment before can
// find it gone ("not our ref"). Such a fetch is made again from a fresh listing; when many
// such refs change all the time (fifty agents reporting every few seconds) a fetch of all of
// them may keep losing that race, so the last attempt fetches each changed ref on its own and
// leaves a ref that moved again at its previous value, for the next fetch to bring.
func (r *Repository) fetchRemote(ctx context.Context) error {
	var err error
	for n := 1; n <= fetchRaceAttempts; n++ {
		if err = r.fetchRemoteOnce(ctx, false); err == nil || !isLostFetchRace(err) {
			return err
		}
		if serr := sleep(ctx, time.Duration(n)*20*time.Millisecond); serr != nil {
			return err
		}
	}
	return r.fetchRemoteOnce(ctx, true)
}

// isLostFetchRace reports whether a fetch failed because a ref it asked for moved on the
// remote between the listing and the fetch. Neither go-git nor the server types this error.
func isLostFetchRace(err error) bool {
	return err != nil && strings.Contains(err.Error(), "not our ref")
}

// fetchRemoteOnce is one attempt of fetchRemote.
//
// It lists the remote's refs first: the listing is needed anyway for the remote's HEAD (a fetch
// does not record it), and when nothing changed — the common case for a polling hub — it is the
// only request made.
func (r *Repository) fetchRemoteOnce(ctx context.Context, refByRef bool) error {
	r.mu.Lock()
	remote, err := r.git.Remote(remoteName)
	r.mu.Unlock()
	if err != nil {
		return err
	}

	advertised, err := remote.ListContext(ctx, &git.ListOptions{Auth: r.loc.auth, PeelingOption: git.IgnorePeeled})
	empty := errors.Is(err, transport.ErrEmptyRemoteRepository)
	if err != nil && !empty {
		return err
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if empty {
		// Nothing to fetch; a remote emptied since the last fetch leaves nothing behind.
		return r.clearMirroredRefs()
	}
	mirrored, err := r.mirroredRefs()
	if err != nil {
		return err
	}
	if refByRef {
		return r.fetchRefByRef(ctx, remote, mirrored, advertised)
	}
	if !r.sameRefs(mirrored, advertised) {
		specs, gone := r.fetchRefSpecs(advertised)
		if len(specs) > 0 {
			err := remote.FetchContext(ctx, &git.FetchOptions{
				RefSpecs: specs,
				Auth:     r.loc.auth,
				Tags:     git.NoTags, // the tag refspec fetches all tags
				Prune:    r.only == nil,
				Force:    true,
			})
			if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) && !errors.Is(err, transport.ErrEmptyRemoteRepository) {
				return err
			}
		}
		for _, name := range gone {
			if err := r.git.Storer.RemoveReference(name); err != nil {
				return err
			}
		}
	}
	return r.followRemoteHead(advertised)
}

// fetchRefByRef fetches every mirrored ref whose advertised commit differs from the clone's,
// one fetch each, and removes the refs the remote no longer has. A ref that moved again
// before its fetch keeps its previous value. Callers hold r.mu.
func (r *Repository) fetchRefByRef(ctx context.Context, remote *git.Remote, mirrored map[plumbing.ReferenceName]plumbing.Hash,
	advertised []*plumbing.Reference) error {
	present := map[plumbing.ReferenceName]bool{}
	for _, ref := range advertised {
		name := ref.Name()
		if ref.Type() != plumbing.HashReference || !r.isMirrored(name) {
			continue
		}
		present[name] = true
		if mirrored[name] == ref.Hash() {
			continue
		}
		err := remote.FetchContext(ctx, &git.FetchOptions{
			RefSpecs: []config.RefSpec{config.RefSpec("+" + name.String() + ":" + name.String())},
			Auth:     r.loc.auth,
			Tags:     git.NoTags,
			Force:    true,
		})
		if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) && !isLostFetchRace(err) {
			return err
		}
	}
	for name := range mirrored {
		if !present[name] {
			if err := r.git.Storer.RemoveReference(name); err != nil {
				return err
			}
		}
	}
	return r.followRemoteHead(advertised)
}

// fetchRefSpecs returns what a fetch asks for: every branch and tag, or only the listed
// branches the remote has — and, for the latter, the listed branches the clone has but the
// remote no longer does, which the fetch cannot prune (no refspec names them).
func (r *Repository) fetchRefSpecs(advertised []*plumbing.Reference) ([]config.RefSpec, []plumbing.ReferenceName) {
	if r.only == nil {
		return mirrorRefSpecs, nil
	}
	present := map[plumbing.ReferenceName]bool{}
	var specs []config.RefSpec
	for _, ref := range advertised {
		if ref.Type() == plumbing.HashReference && r.only[ref.Name()] {
			present[ref.Name()] = true
			specs = append(specs, config.RefSpec("+"+ref.Name().String()+":"+ref.Name().String()))
		}
	}
	var gone []plumbing.ReferenceName
	for name := range r.only {
		if _, err := r.git.Storer.Reference(name); err == nil && !present[name] {
			gone = append(gone, name)
		}
	}
	return specs, gone
}

// isMirrored reports whether the clone mirrors the ref name from the remote: every branch and
// tag, or only the branches of Options.Branches.
func (r *Repository) isMirrored(name plumbing.ReferenceName) bool {
	if r.only != nil {
		return r.only[name]
	}
	return name.IsBranch() || name.IsTag()
}

// mirroredRefs returns the clone's branches and tags by name.
func (r *Repository) mirroredRefs() (map[plumbing.ReferenceName]plumbing.Hash, error) {
	iter, err := r.git.Storer.IterReferences()
	if err != nil {
		return nil, err
	}
	refs := map[plumbing.ReferenceName]plumbing.Hash{}
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() == plumbing.HashReference && r.isMirrored(ref.Name()) {
			refs[ref.Name()] = ref.Hash()
		}
		return nil
	})
	return refs, err
}

// sameRefs reports whether the clone's branches and tags are exactly the advertised ones.
func (r *Repository) sameRefs(mirrored map[plumbing.ReferenceName]plumbing.Hash, advertised []*plumbing.Reference) bool {
	n := 0
	for _, ref := range advertised {
		if ref.Type() != plumbing.HashReference || !r.isMirrored(ref.Name()) {
			continue
		}
		n++
		if h, ok := mirrored[ref.Name()]; !ok || h != ref.Hash() {
			return false
		}
	}
	return n == len(mirrored)
}

// clearMirroredRefs deletes the clone's branches and tags.
func (r *Repository) clearMirroredRefs() error {
	mirrored, err := r.mirroredRefs()
	if err != nil {
		return err
	}
	for name := range mirrored {
		if err := r.git.Storer.RemoveReference(name); err != nil {
			return err
		}
	}
	return nil
}

// followRemoteHead points the clone's HEAD where the remote's HEAD points, so that "HEAD"
// resolves to the remote's default branch. A remote that advertises no HEAD leaves it as is.
func (r *Repository) followRemoteHead(advertised []*plumbing.Reference) error {
	for _, ref := range advertised {
		if ref.Name() != plumbing.HEAD {
			continue
		}
		var head *plumbing.Reference
		switch ref.Type() {
		case plumbing.SymbolicReference:
			head = plumbing.NewSymbolicReference(plumbing.HEAD, ref.Target())
		case plumbing.HashReference:
			head = plumbing.NewHashReference(plumbing.HEAD, ref.Hash())
		default:
			return nil
		}
		current, err := r.git.Storer.Reference(plumbing.HEAD)
		if err == nil && current.String() == head.String() {
			return nil
		}
		return r.git.Storer.SetReference(head)
	}
	return nil
}
