package gitstore

import (
	"bufio"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/hash"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// packThreshold is the number of new objects from which a commit writes them as one pack
// instead of as loose objects, in a repository on disk. Each loose object is a file of its own
// (created, compressed, renamed: ~0.2 ms each, and a disk block), so the thousands of objects
// of a first render or of a status cycle go into one pack, streamed and indexed once. A few
// objects stay loose: every pack is one more index for every object lookup to search (until
// the packs are consolidated), which a handful of objects does not pay for.
const packThreshold = 256

// objectWriter collects the objects of a commit that the repository lacks and stores them.
type objectWriter struct {
	s       storer.EncodedObjectStorer
	pending []plumbing.EncodedObject
	// queued holds the hashes in pending, and the ones found present: a file content that
	// appears in many places is looked up once.
	queued map[plumbing.Hash]bool
}

func newObjectWriter(s storer.EncodedObjectStorer) *objectWriter {
	return &objectWriter{s: s, queued: map[plumbing.Hash]bool{}}
}

// addTree queues the objects of t that the repository lacks. old is the tree t replaces
// (the parent commit's; zero for none): a subtree or a file whose hash is the one at the
// same place in old is in the repository with everything below it, so only the changed
// paths are looked up — a commit that changes 5 % of a large tree reads the parent's trees
// along those paths, not the whole tree.
func (w *objectWriter) addTree(t *builtTree, old plumbing.Hash) error {
	if t.hash == old {
		return nil
	}
	var before map[string]object.TreeEntry
	if !old.IsZero() {
		ot, err := object.GetTree(w.s, old)
		if err != nil {
			return fmt.Errorf("tree %s: %w", old, err)
		}
		before = make(map[string]object.TreeEntry, len(ot.Entries))
		for _, e := range ot.Entries {
			before[e.Name] = e
		}
	}
	for i := range t.entries {
		e := &t.entries[i]
		prev, ok := before[e.name]
		if ok && prev.Hash == e.hash {
			continue
		}
		if e.dir != nil {
			var prevTree plumbing.Hash // a directory that was a file, or new, is compared with nothing
			if ok && prev.Mode == filemode.Dir {
				prevTree = prev.Hash
			}
			if err := w.addTree(e.dir, prevTree); err != nil {
				return err
			}
			continue
		}
		if err := w.addContent(plumbing.BlobObject, e.hash, e.content); err != nil {
			return err
		}
	}
	return w.add(t.encoded)
}

// addContent queues the object of type t with the given hash and content unless the
// repository has it.
func (w *objectWriter) addContent(t plumbing.ObjectType, h plumbing.Hash, content []byte) error {
	missing, err := w.missing(h)
	if err != nil || !missing {
		return err
	}
	obj := &plumbing.MemoryObject{}
	obj.SetType(t)
	if _, err := obj.Write(content); err != nil {
		return err
	}
	if obj.Hash() != h {
		return fmt.Errorf("internal error: object %s hashes to %s", h, obj.Hash())
	}
	w.pending = append(w.pending, obj)
	return nil
}

// add queues obj unless the repository has it.
func (w *objectWriter) add(obj plumbing.EncodedObject) error {
	missing, err := w.missing(obj.Hash())
	if err == nil && missing {
		w.pending = append(w.pending, obj)
	}
	return err
}

// missing reports whether h is neither queued nor in the repository, and marks it queued.
func (w *objectWriter) missing(h plumbing.Hash) (bool, error) {
	if w.queued[h] {
		return false, nil
	}
	w.queued[h] = true
	err := w.s.HasEncodedObject(h)
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, plumbing.ErrObjectNotFound):
		return true, nil
	}
	return false, fmt.Errorf("object %s: %w", h, err)
}

// flush stores the queued objects and returns how many.
func (w *objectWriter) flush() (int, error) {
	pw, ok := w.s.(storer.PackfileWriter)
	if ok && len(w.pending) >= packThreshold {
		if err := w.writePack(pw); err != nil {
			return 0, fmt.Errorf("write pack of %d objects: %w", len(w.pending), err)
		}
		return len(w.pending), nil
	}
	for _, obj := range w.pending {
		if _, err := w.s.SetEncodedObject(obj); err != nil {
			return 0, fmt.Errorf("store %s %s: %w", obj.Type(), obj.Hash(), err)
		}
	}
	return len(w.pending), nil
}

// writePack stores the queued objects as one pack, without deltas: finding deltas costs more
// time than a commit has, and git gc finds them later.
func (w *objectWriter) writePack(pw storer.PackfileWriter) (err error) {
	out, err := pw.PackfileWriter()
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	return encodePack(out, w.pending)
}

// packLevel is the zlib level of the objects in a pack a commit writes. Measured on a
// 20,000-file status commit that changes 5 % (BenchmarkCommit): the default level takes
// ~15 % longer; no compression ~20 % less, but git gc reuses stored objects as they are, so
// the repository would stay several times larger.
const packLevel = zlib.BestSpeed

// encodePack writes objs to out as a version 2 pack of whole (not deltified) objects.
func encodePack(out io.Writer, objs []plumbing.EncodedObject) error {
	sum := hash.New(hash.CryptoType)
	buf := bufio.NewWriterSize(io.MultiWriter(out, sum), 1<<16)
	var head [12]byte
	copy(head[:], "PACK")
	binary.BigEndian.PutUint32(head[4:], 2)
	binary.BigEndian.PutUint32(head[8:], uint32(len(objs)))
	if _, err := buf.Write(head[:]); err != nil {
		return err
	}
	zw, err := zlib.NewWriterLevel(buf, packLevel)
	if err != nil {
		return err
	}
	for _, obj := range objs {
		// Type and size: 3 bits of type and 4 of size, then 7 bits of size per byte.
		size := obj.Size()
		c := byte(obj.Type())<<4 | byte(size&0x0f)
		size >>= 4
		for size != 0 {
			if err := buf.WriteByte(c | 0x80); err != nil {
				return err
			}
			c = byte(size & 0x7f)
			size >>= 7
		}
		if err := buf.WriteByte(c); err != nil {
			return err
		}
		rd, err := obj.Reader()
		if err != nil {
			return err
		}
		zw.Reset(buf)
		_, err = io.Copy(zw, rd)
		_ = rd.Close()
		if err == nil {
			err = zw.Close()
		}
		if err != nil {
			return err
		}
	}
	if err := buf.Flush(); err != nil {
		return err
	}
	_, err = out.Write(sum.Sum(nil))
	return err
}
