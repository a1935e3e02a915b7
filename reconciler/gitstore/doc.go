// Package gitstore is gitfleet's access to Git: it opens a fleet repository (a local path used in
// place, or an http(s) or SSH URL cloned into a cache), resolves refs to commits and exposes a commit's
// tree as an io/fs.FS that the renderer reads without a checkout.
//
// The usual loop is the same for local and remote repositories:
//
//	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: auth, CacheDir: dir})
//	...
//	err = repo.Fetch(ctx)            // bring the clone up to date (local: pick up new packs)
//	hash, err := repo.Resolve("main") // branch, tag, full ref, HEAD or (short) commit sha
//	snap, err := repo.Snapshot(hash)  // snap.FS is the commit's tree, read lazily
//
// A clone of a URL is a mirror of the remote's branches and tags: after Open or Fetch,
// refs/heads/* and refs/tags/* hold exactly what the remote advertised and HEAD follows the
// remote's HEAD, so "main" means the remote's main for a URL and the local main for a path.
//
// Writers (the renderer on gitfleet/rendered, the hub on gitfleet/status, …) describe a
// branch's whole tree and let UpdateBranch do the compare-and-swap loop of DESIGN §1:
//
//	res, err := repo.UpdateBranch(ctx, "gitfleet/status", func(current *gitstore.Snapshot) (gitstore.CommitRequest, error) {
//		files := ... // the whole new tree, built from current (nil: no branch yet)
//		return gitstore.CommitRequest{Files: files, Message: "Update status", Author: sig}, nil
//	})
//
// Commit writes blobs and trees with Git plumbing — only those the repository lacks — and
// makes no commit when the tree did not change. It moves the branch only from the commit the
// request expected: a check-and-set of the ref in a local repository, a push that names the
// expected old value (the mirrored ref) for a clone. A lost race is ErrConflict, which
// UpdateBranch answers by fetching, re-reading and building the request again.
//
// Credentials are never written to the cache or shown in errors: user info in a URL is moved to
// Auth and stripped from the URL before go-git sees it, and SSH keys are named by their
// fingerprint only. SSH checks the server's host key against Auth.SSHKnownHosts.
package gitstore
