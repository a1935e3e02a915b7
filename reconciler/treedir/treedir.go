// Package treedir writes a rendered tree to a directory, replacing what was there as a
// whole: readers see the old tree or the new one, never a mix, and a failed write leaves the
// old tree in place.
package treedir

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Files is what a tree holds: file contents by slash-separated relative path.
type Files interface {
	Paths() []string
	Get(path string) ([]byte, bool)
}

// Replace makes dir hold exactly files. The new tree is written next to dir and swapped in
// with renames, so an error part-way leaves dir as it was.
func Replace(dir string, files Files) error {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", parent, err)
	}
	staging, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".new-")
	if err != nil {
		return fmt.Errorf("staging %s: %w", dir, err)
	}
	defer os.RemoveAll(staging)
	for _, p := range files.Paths() {
		if strings.Contains(p, "..") || filepath.IsAbs(p) {
			return fmt.Errorf("refusing to write %q outside %s", p, dir)
		}
		data, _ := files.Get(p)
		full := filepath.Join(staging, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	old := staging + ".old"
	hadOld := true
	if err := os.Rename(dir, old); err != nil {
		if !os.IsNotExist(err) {
			return fmt.Errorf("replacing %s: %w", dir, err)
		}
		hadOld = false
	}
	if err := os.Rename(staging, dir); err != nil {
		if hadOld {
			_ = os.Rename(old, dir)
		}
		return fmt.Errorf("replacing %s: %w", dir, err)
	}
	if hadOld {
		return os.RemoveAll(old)
	}
	return nil
}
