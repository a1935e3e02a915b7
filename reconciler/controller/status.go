package controller

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/clusterstatus"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/syncer"
	"github.com/gitfleet/gitfleet/reconciler/taints"
	"github.com/gitfleet/gitfleet/renderer"
	"github.com/gitfleet/gitfleet/renderer/yamlenc"
)

// commitStatus records the cycle on the status ref — render.yaml, each synced cluster's
// sync.yaml and, from what was observed, the clusters' status and the templates' status —
// keeping every other file of the status tree, and commits only when a file changed.
func (c *Controller) commitStatus(ctx context.Context, res *CycleResult, rendered *gitstore.Snapshot, diags renderer.Diagnostics,
	obs *observed, din *decisionInputs) (gitstore.CommitResult, error) {
	var made *decided
	result, err := c.opts.Repo.UpdateBranch(ctx, c.opts.StatusRef, func(current *gitstore.Snapshot) (gitstore.CommitRequest, error) {
		made = nil
		files, err := readAll(current)
		if err != nil {
			return gitstore.CommitRequest{}, err
		}
		if files[v1alpha1.RenderStatusFileName], err = yamlenc.MarshalTyped(renderStatus(res, rendered, diags)); err != nil {
			return gitstore.CommitRequest{}, err
		}
		if obs != nil {
			var prev fs.FS
			if current != nil {
				prev = current.FS
			}
			if err := replaceObserved(files, prev, obs); err != nil {
				c.opts.Log.Warn("building the status tree", "error", err)
			}
		}
		now := c.opts.now()
		for name, s := range res.Syncs {
			p := path.Join("clusters", name, v1alpha1.ClusterSyncFileName)
			st := syncStatus(name, s, files[p])
			if obs != nil {
				st.HeartbeatTime = heartbeat(st.HeartbeatTime, obs.reached[name], obs.recovered[name], now, obs.heartbeat)
			}
			if files[p], err = yamlenc.MarshalTyped(st); err != nil {
				return gitstore.CommitRequest{}, err
			}
		}
		if obs != nil {
			for name, rep := range obs.reports {
				p := path.Join("clusters", name, v1alpha1.ClusterSyncFileName)
				st := rep.Sync.DeepCopy()
				st.APIVersion, st.Kind = v1alpha1.GitfleetGroupVersion.String(), "ClusterSyncStatus"
				st.Cluster, st.HeartbeatTime = name, previousSyncStatus(files[p]).HeartbeatTime
				st.HeartbeatTime = heartbeat(st.HeartbeatTime, obs.reached[name], obs.recovered[name], now, obs.heartbeat)
				if files[p], err = yamlenc.MarshalTyped(st); err != nil {
					return gitstore.CommitRequest{}, err
				}
			}
		}
		if obs != nil {
			decided, data, err := decideTaints(files, obs.taints, now)
			if err != nil {
				return gitstore.CommitRequest{}, err
			}
			files[v1alpha1.TaintDecisionsFileName] = data
			if din != nil {
				if made, err = c.decide(files, din, decided, now); err != nil {
					return gitstore.CommitRequest{}, err
				}
			}
		}
		if err := c.mayWrite(); err != nil {
			return gitstore.CommitRequest{}, err
		}
		trailers := []gitstore.Trailer{{Key: gitstore.TrailerSourceCommit, Value: res.SourceCommit}}
		if c.opts.Lease != nil {
			trailers = append(trailers, gitstore.Trailer{Key: TrailerHub, Value: c.opts.Lease.Identity()})
		}
		message := fmt.Sprintf("Status of source %.12s", res.SourceCommit)
		if made != nil && len(made.changes) > 0 {
			message += "\n\n" + strings.Join(made.changes, "\n")
		}
		return gitstore.CommitRequest{
			Files:    files,
			Message:  message,
			Trailers: trailers,
			Author:   gitstore.Signature{Name: "gitfleet", Email: "gitfleet@localhost", When: now},
		}, nil
	})
	if err != nil || made == nil {
		return result, err
	}
	made.remember()
	for _, change := range made.changes {
		c.opts.Log.Info("decision", "change", change)
	}
	if made.deferred > 0 {
		c.opts.Log.Info("evictions paced (failover.resourceEvictionRate)", "due", made.deferred, "next", made.wake)
	}
	res.Decisions, res.NextDecision = made.changes, made.wake
	return result, nil
}

// decideTaints returns decisions/taints.yaml for the status tree files is about to be: the
// clusters' statuses as recorded there, the previous decisions, and in's source inputs.
func decideTaints(files map[string][]byte, in taints.Input, now time.Time) (*v1alpha1.TaintDecisions, []byte, error) {
	in.Now, in.Status = now, map[string]*v1alpha1.ClusterStatus{}
	for _, cl := range in.Clusters {
		var c v1alpha1.Cluster
		if data := files[clusterstatus.ClusterFilePath(cl.Name)]; data != nil && yaml.Unmarshal(data, &c) == nil {
			in.Status[cl.Name] = &c.Status
		}
	}
	if err := decodeDecision(files, v1alpha1.TaintDecisionsFileName, &in.Previous); err != nil {
		return nil, nil, err
	}
	decided := taints.Decide(in)
	data, err := yamlenc.MarshalTyped(decided)
	return decided, data, err
}

// TrailerHub names, on status commits, the hub that made them (its lease identity).
const TrailerHub = "Hub"

// heartbeat is a cluster's heartbeat time after a cycle: refreshed when the hub reached
// the cluster and the previous one is at least interval old or the cluster just recovered,
// kept otherwise — so an unchanged, healthy fleet commits its status once per interval,
// not once per cycle.
func heartbeat(previous *metav1.Time, reached, recovered bool, now time.Time, interval time.Duration) *metav1.Time {
	if !reached || (!recovered && previous != nil && now.Sub(previous.Time) < interval) {
		return previous
	}
	t := metav1.NewTime(now.UTC().Truncate(time.Second))
	return &t
}

// renderStatus is render.yaml for the cycle.
func renderStatus(res *CycleResult, rendered *gitstore.Snapshot, diags renderer.Diagnostics) *v1alpha1.RenderStatus {
	st := &v1alpha1.RenderStatus{SourceCommit: res.SourceCommit, Result: v1alpha1.RenderSucceeded}
	st.APIVersion, st.Kind = v1alpha1.GitfleetGroupVersion.String(), "RenderStatus"
	if rendered != nil {
		st.RenderedCommit = rendered.Commit.Hash
	}
	if res.RenderErr != nil {
		st.Result = v1alpha1.RenderFailed
		for _, d := range diags {
			e := v1alpha1.RenderError{Path: d.Path, Line: d.Line, Message: d.Message}
			if d.Kind != "" {
				e.Object = path.Join(d.Kind, d.Namespace, d.Name)
			}
			st.Errors = append(st.Errors, e)
		}
	}
	return st
}

// syncStatus is a cluster's sync.yaml after a sync, from the previous file's bytes.
func syncStatus(cluster string, s ClusterSync, previous []byte) *v1alpha1.ClusterSyncStatus {
	return syncer.SyncStatus(cluster, s.Result, s.Err, previousSyncStatus(previous))
}

// previousSyncStatus decodes a previous sync.yaml; empty when there is none or it does not
// decode.
func previousSyncStatus(previous []byte) *v1alpha1.ClusterSyncStatus {
	var prev v1alpha1.ClusterSyncStatus
	if len(previous) > 0 && yaml.Unmarshal(previous, &prev) != nil {
		prev = v1alpha1.ClusterSyncStatus{}
	}
	return &prev
}

// readAll reads every file of a snapshot (none for an absent branch).
func readAll(snap *gitstore.Snapshot) (map[string][]byte, error) {
	files := map[string][]byte{}
	if snap == nil {
		return files, nil
	}
	err := fs.WalkDir(snap.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files[p], err = fs.ReadFile(snap.FS, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading the status tree: %w", err)
	}
	return files, nil
}
