package devcluster

import (
	"context"
	"errors"
	"sync"
	"testing"
)

var sweepOnce sync.Once

// StartForTest starts a fleet for a test and stops it when the test and its subtests are done.
// It skips the test when a tool binary is missing (`make test` builds them first) and fails it
// when the fleet does not start. When the test failed, the last log lines of every process are
// logged before the fleet is stopped.
//
// The first call in a test binary also stops fleets that crashed test binaries left behind
// (SweepAbandoned).
func StartForTest(t testing.TB, opts Options) *Fleet {
	t.Helper()
	sweepOnce.Do(func() {
		if n, err := SweepAbandoned(); n > 0 || err != nil {
			t.Logf("devcluster: stopped %d fleet(s) left behind by crashed test binaries (errors: %v)", n, err)
		}
	})
	f, err := Start(context.Background(), opts)
	if errors.Is(err, ErrBinaryMissing) {
		t.Skipf("devcluster: %v", err)
	}
	if err != nil {
		t.Fatalf("devcluster: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, p := range f.Processes() {
				t.Logf("devcluster: last lines of %s, %s:\n%s", p, p.Log, indent(logTail(p.Log, 15)))
			}
		}
		if err := f.Stop(); err != nil {
			t.Errorf("devcluster: stopping the fleet: %v", err)
		}
	})
	return f
}
