package renderer

import "io/fs"

// readNodes reads clusters/<cluster>/nodes.yaml of every cluster, when there are.
func (v *StatusView) readNodes(fsys fs.FS) error {
	return nil
}
