package gitstore

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// errIsDirectory is the error for reading a directory as a file.
var errIsDirectory = errors.New("is a directory")

// treeFS is the io/fs view of one Git tree. It reads tree and blob objects on demand under the
// repository's lock, and keeps the trees it decoded so that walking a tree decodes each once.
type treeFS struct {
	repo    *Repository
	root    plumbing.Hash
	modTime time.Time
	// trees holds decoded trees by hash; guarded by repo.mu.
	trees map[plumbing.Hash]*tree
}

// tree is a decoded Git tree, indexed by entry name.
type tree struct {
	entries []object.TreeEntry
	byName  map[string]int // index into entries
}

var (
	_ fs.ReadDirFS  = (*treeFS)(nil)
	_ fs.ReadFileFS = (*treeFS)(nil)
	_ fs.StatFS     = (*treeFS)(nil)
)

func newTreeFS(repo *Repository, root plumbing.Hash, modTime time.Time) *treeFS {
	return &treeFS{repo: repo, root: root, modTime: modTime, trees: map[plumbing.Hash]*tree{}}
}

// entry is one tree entry: a file or a directory.
type entry struct {
	name string // base name; "." for the root
	mode filemode.FileMode
	hash plumbing.Hash
}

func (e entry) isDir() bool { return e.mode == filemode.Dir }

// fsMode maps a git mode to the mode the FS reports.
func fsMode(m filemode.FileMode) fs.FileMode {
	switch m {
	case filemode.Dir:
		return fs.ModeDir | 0o755
	case filemode.Executable:
		return 0o755
	case filemode.Symlink:
		// Reported as a link, as os.DirFS does, so a reader can refuse to follow it;
		// opening it reads the link's target path, as git checks links out when links
		// are off.
		return fs.ModeSymlink | 0o777
	default: // Regular and Deprecated
		return 0o644
	}
}

// Open opens the file or directory name. A file's content is read when it is opened.
func (f *treeFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f.repo.mu.Lock()
	defer f.repo.mu.Unlock()
	e, err := f.lookup(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if e.isDir() {
		entries, err := f.entries(e.hash)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &dirFile{path: name, info: f.info(e, 0), entries: entries}, nil
	}
	data, err := f.blob(e.hash)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &file{path: name, info: f.info(e, int64(len(data))), Reader: bytes.NewReader(data)}, nil
}

// ReadDir lists the directory name, sorted by file name.
func (f *treeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	f.repo.mu.Lock()
	defer f.repo.mu.Unlock()
	e, err := f.lookup(name)
	if err == nil && !e.isDir() {
		err = errors.New("not a directory")
	}
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	entries, err := f.entries(e.hash)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return entries, nil
}

// ReadFile returns the content of the file name.
func (f *treeFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	f.repo.mu.Lock()
	defer f.repo.mu.Unlock()
	e, err := f.lookup(name)
	if err == nil && e.isDir() {
		err = errIsDirectory
	}
	if err != nil {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: err}
	}
	data, err := f.blob(e.hash)
	if err != nil {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: err}
	}
	return data, nil
}

// Stat describes the file or directory name without reading a file's content.
func (f *treeFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	f.repo.mu.Lock()
	defer f.repo.mu.Unlock()
	e, err := f.lookup(name)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	info, err := f.stat(e)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return info, nil
}

// lookup finds the entry at the valid path name. Callers hold repo.mu.
func (f *treeFS) lookup(name string) (entry, error) {
	e := entry{name: ".", mode: filemode.Dir, hash: f.root}
	if name == "." {
		return e, nil
	}
	for part := range strings.SplitSeq(name, "/") {
		if !e.isDir() {
			return entry{}, fs.ErrNotExist
		}
		t, err := f.tree(e.hash)
		if err != nil {
			return entry{}, err
		}
		i, ok := t.byName[part]
		if !ok || t.entries[i].Mode == filemode.Submodule {
			return entry{}, fs.ErrNotExist
		}
		te := t.entries[i]
		e = entry{name: te.Name, mode: te.Mode, hash: te.Hash}
	}
	return e, nil
}

// tree returns the decoded tree hash. Callers hold repo.mu.
func (f *treeFS) tree(hash plumbing.Hash) (*tree, error) {
	if t, ok := f.trees[hash]; ok {
		return t, nil
	}
	var ot *object.Tree
	err := f.repo.read(func() (err error) {
		ot, err = object.GetTree(f.repo.git.Storer, hash)
		return err
	})
	if err != nil {
		return nil, err
	}
	t := &tree{entries: ot.Entries, byName: make(map[string]int, len(ot.Entries))}
	for i, te := range ot.Entries {
		t.byName[te.Name] = i
	}
	f.trees[hash] = t
	return t, nil
}

// entries lists the tree hash as directory entries sorted by name (git sorts a directory as if
// its name ended in "/"). Callers hold repo.mu.
func (f *treeFS) entries(hash plumbing.Hash) ([]fs.DirEntry, error) {
	t, err := f.tree(hash)
	if err != nil {
		return nil, err
	}
	entries := make([]fs.DirEntry, 0, len(t.entries))
	for _, te := range t.entries {
		if te.Mode == filemode.Submodule {
			continue
		}
		entries = append(entries, &dirEntry{fs: f, entry: entry{name: te.Name, mode: te.Mode, hash: te.Hash}})
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

// blob reads the content of the blob hash. Callers hold repo.mu.
func (f *treeFS) blob(hash plumbing.Hash) (data []byte, err error) {
	err = f.repo.read(func() error {
		blob, err := object.GetBlob(f.repo.git.Storer, hash)
		if err != nil {
			return err
		}
		rd, err := blob.Reader()
		if err != nil {
			return err
		}
		defer rd.Close()
		data, err = io.ReadAll(rd)
		return err
	})
	return data, err
}

// stat describes e, reading a file's size but not its content. Callers hold repo.mu.
func (f *treeFS) stat(e entry) (fs.FileInfo, error) {
	var size int64
	if !e.isDir() {
		err := f.repo.read(func() (err error) {
			size, err = f.repo.git.Storer.EncodedObjectSize(e.hash)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return f.info(e, size), nil
}

func (f *treeFS) info(e entry, size int64) *fileInfo {
	return &fileInfo{name: e.name, size: size, gitMode: e.mode, modTime: f.modTime}
}

// fileInfo describes a tree entry.
type fileInfo struct {
	name    string
	size    int64
	gitMode filemode.FileMode
	modTime time.Time
}

func (i *fileInfo) Name() string       { return i.name }
func (i *fileInfo) Size() int64        { return i.size }
func (i *fileInfo) Mode() fs.FileMode  { return fsMode(i.gitMode) }
func (i *fileInfo) ModTime() time.Time { return i.modTime }
func (i *fileInfo) IsDir() bool        { return i.gitMode == filemode.Dir }

// Sys returns the entry's git mode, a filemode.FileMode.
func (i *fileInfo) Sys() any { return i.gitMode }

// dirEntry is an entry of a directory listing; its Info reads the size when asked.
type dirEntry struct {
	fs    *treeFS
	entry entry
}

func (d *dirEntry) Name() string      { return d.entry.name }
func (d *dirEntry) IsDir() bool       { return d.entry.isDir() }
func (d *dirEntry) Type() fs.FileMode { return fsMode(d.entry.mode).Type() }

func (d *dirEntry) Info() (fs.FileInfo, error) {
	d.fs.repo.mu.Lock()
	defer d.fs.repo.mu.Unlock()
	info, err := d.fs.stat(d.entry)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: d.entry.name, Err: err}
	}
	return info, nil
}

func (d *dirEntry) String() string { return fs.FormatDirEntry(d) }

// file is an open file, its content in memory.
type file struct {
	path string
	info *fileInfo
	*bytes.Reader
}

func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *file) Close() error               { return nil }

// dirFile is an open directory.
type dirFile struct {
	path    string
	info    *fileInfo
	entries []fs.DirEntry
	offset  int
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dirFile) Close() error               { return nil }

func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.path, Err: errIsDirectory}
}

// ReadDir returns the next n entries, or all remaining ones when n <= 0 (fs.ReadDirFile).
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.offset:]
	if n <= 0 {
		d.offset = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.offset += n
	return rest[:n], nil
}
