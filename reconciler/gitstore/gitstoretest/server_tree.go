package gitstoretest

import (
	"fmt"
	"io/fs"
	"path"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// writeTree stores the directory dir of fsys as a Git tree and returns its hash and number of
// entries. Empty directories (which Git cannot hold) and .git directories are left out.
func writeTree(s storer.EncodedObjectStorer, fsys fs.FS, dir string) (plumbing.Hash, int, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return plumbing.ZeroHash, 0, err
	}
	tree := &object.Tree{}
	for _, e := range entries {
		p := path.Join(dir, e.Name())
		te := object.TreeEntry{Name: e.Name()}
		switch {
		case e.IsDir():
			if e.Name() == ".git" {
				continue
			}
			hash, n, err := writeTree(s, fsys, p)
			if err != nil {
				return plumbing.ZeroHash, 0, err
			}
			if n == 0 {
				continue
			}
			te.Mode, te.Hash = filemode.Dir, hash
		case e.Type()&fs.ModeSymlink != 0:
			target, err := fs.ReadLink(fsys, p)
			if err != nil {
				return plumbing.ZeroHash, 0, err
			}
			if te.Hash, err = storeBlob(s, []byte(target)); err != nil {
				return plumbing.ZeroHash, 0, err
			}
			te.Mode = filemode.Symlink
		case e.Type().IsRegular():
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return plumbing.ZeroHash, 0, err
			}
			info, err := e.Info()
			if err != nil {
				return plumbing.ZeroHash, 0, err
			}
			if te.Hash, err = storeBlob(s, data); err != nil {
				return plumbing.ZeroHash, 0, err
			}
			te.Mode = filemode.Regular
			if info.Mode()&0o111 != 0 {
				te.Mode = filemode.Executable
			}
		default:
			return plumbing.ZeroHash, 0, fmt.Errorf("%s: unsupported file type %s", p, e.Type())
		}
		tree.Entries = append(tree.Entries, te)
	}
	sort.Sort(object.TreeEntrySorter(tree.Entries))
	hash, err := store(s, tree)
	return hash, len(tree.Entries), err
}

// encoder is a Git object that can encode itself (a tree or a commit).
type encoder interface {
	Encode(plumbing.EncodedObject) error
}

// store encodes o into s and returns its hash.
func store(s storer.EncodedObjectStorer, o encoder) (plumbing.Hash, error) {
	obj := s.NewEncodedObject()
	if err := o.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.SetEncodedObject(obj)
}

// storeBlob stores data as a blob in s and returns its hash.
func storeBlob(s storer.EncodedObjectStorer, data []byte) (plumbing.Hash, error) {
	obj := s.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(data); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.SetEncodedObject(obj)
}
