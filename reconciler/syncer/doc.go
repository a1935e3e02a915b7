// Package syncer applies one rendered cluster directory — karmada-es-<cluster>/ of the
// gitfleet/rendered branch, read as an fs.FS — to one member cluster with server-side apply
// (DESIGN §2).
//
// A sync reads the directory's inventory (.gitfleet-cluster.yaml) and refuses a tree without
// it; applies with one field manager, `gitfleet`, in two stages (CRDs and Namespaces first,
// waiting for CRDs to be Established, then everything else); corrects drift on the fields
// gitfleet set; prunes what left the render, using an inventory it keeps in the member
// cluster; and leaves alone, reporting a conflict, any existing object gitfleet did not
// create unless its manifest says `work.karmada.io/conflict-resolution: overwrite`
// (semantics §1.1.2).
//
// It costs O(types) requests when nothing changed: one LIST per type (per type and namespace
// for objects new to the cluster) tells which objects are missing or drifted, and the
// in-cluster inventory records a digest of every applied manifest, so a changed manifest is
// known without asking the server. Only objects that need it are handed to
// github.com/fluxcd/pkg/ssa, in parallel; objects known to be absent are created with a
// single apply request (BENCHMARKS.md S4).
package syncer
