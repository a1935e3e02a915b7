// Package gitstore is gitfleet's access to Git: it opens a fleet repository (a local path used in
// place, or an http(s) URL cloned into a cache), resolves refs to commits and exposes a commit's
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
// Writing (commit and compare-and-swap push of gitfleet/rendered, gitfleet/status, …) builds on
// this: a push names the expected old value of the remote ref, which is the mirrored ref.
//
// Credentials are never written to the cache or shown in errors: user info in a URL is moved to
// Auth and stripped from the URL before go-git sees it.
package gitstore
