package gitstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

// statusTree is a status-like tree of n files (BENCHMARKS S5): 100 directories of n/100 files
// of ~400 bytes. In each directory, the files whose number is congruent to round modulo 20 —
// 5 % of them — carry round in their content, so that each round changes another 5 %, in
// every directory.
func statusTree(n, round int) map[string][]byte {
	files := make(map[string][]byte, n)
	for i := range n {
		dir, name := i%100, i/100
		gen := 0
		if name%20 == round%20 {
			gen = round
		}
		files[fmt.Sprintf("resources/ns-%03d/apps.deployment.app-%04d.yaml", dir, name)] = fmt.Appendf(nil,
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%04d\n  namespace: ns-%03d\n"+
				"clusters:\n- name: member-%03d\n  applied: true\n  health: Healthy\n  status:\n    replicas: %d\n"+
				"    readyReplicas: %d\n    updatedReplicas: %d\n    observedGeneration: %d\n"+
				"aggregatedStatus:\n  replicas: %d\n  readyReplicas: %d\n  conditions:\n"+
				"  - type: Available\n    status: \"True\"\n    reason: MinimumReplicasAvailable\n",
			name, dir, i%97, i%7+1, i%7+1, i%7+1, gen+1, i%7+1, i%7+1)
	}
	return files
}

func statusRequest(files map[string][]byte, parent plumbing.Hash) gitstore.CommitRequest {
	return gitstore.CommitRequest{
		Branch:  statusBranch,
		Parent:  parent,
		Files:   files,
		Message: "Update status",
		Author:  renderer,
	}
}

// BenchmarkCommit measures status commits of a 20,000-file tree (BENCHMARKS S5: ≤ 150 ms per
// cycle with 5 % of the files changed): a first commit into an empty repository, and
// commits that change 5 % of the files — in a repository on disk, and in a clone in memory
// that pushes each commit to a Git HTTP server.
func BenchmarkCommit(b *testing.B) {
	const n = 20000
	ctx := context.Background()

	b.Run("cold-20k-disk", func(b *testing.B) {
		files := statusTree(n, 0)
		b.ReportAllocs()
		var written int
		for b.Loop() {
			b.StopTimer()
			repo, _ := newBareRepo(b, gitstore.Options{})
			b.StartTimer()
			res, err := repo.Commit(ctx, statusRequest(files, plumbing.ZeroHash))
			if err != nil {
				b.Fatal(err)
			}
			written = res.Written
		}
		b.ReportMetric(float64(written), "objects/op")
	})

	cycles := func(b *testing.B, repo *gitstore.Repository) {
		res, err := repo.Commit(ctx, statusRequest(statusTree(n, 0), plumbing.ZeroHash))
		if err != nil {
			b.Fatal(err)
		}
		parent, round, written := res.Commit, 0, 0
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			round++
			files := statusTree(n, round)
			b.StartTimer()
			res, err := repo.Commit(ctx, statusRequest(files, parent))
			if err != nil {
				b.Fatal(err)
			}
			if !res.Changed {
				b.Fatal("no change")
			}
			parent, written = res.Commit, res.Written
		}
		b.ReportMetric(float64(written), "objects/op")
	}

	b.Run("5pct-20k-disk", func(b *testing.B) {
		repo, _ := newBareRepo(b, gitstore.Options{})
		cycles(b, repo)
	})

	b.Run("5pct-20k-http", func(b *testing.B) {
		srv := gitstoretest.NewServer(b)
		url, _ := srv.PushDir(b, "fleet.git", "main", fleetV1, "source", pushTime)
		repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
		if err != nil {
			b.Fatal(err)
		}
		cycles(b, repo)
	})
}
