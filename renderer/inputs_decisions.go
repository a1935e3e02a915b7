package renderer

import "io/fs"

// readDecisions reads decisions/evictions.yaml, decisions/descheduling.yaml and
// decisions/rebalances.yaml, when there are.
func (v *StatusView) readDecisions(fsys fs.FS) error {
	return nil
}
