package renderer

import (
	"crypto/sha256"
	"runtime"

	"golang.org/x/sync/errgroup"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer/interpreter"
	"github.com/gitfleet/gitfleet/renderer/overrides"
	"github.com/gitfleet/gitfleet/scheduler"
)

// manifest is one rendered object of a cluster's directory, serialised.
type manifest struct {
	apiVersion, kind, namespace, name string
	data                              []byte
	digest                            [sha256.Size]byte
}

// manifestJob renders one template for one cluster. Rendering manifests — copying the
// template, revising replicas, applying overrides, serialising — is most of a render's work
// and each job depends only on the template, its binding's decisions and the cluster, so jobs
// run in parallel. Their results are merged in the order the jobs were made, so the tree is
// the same whatever the scheduling of the workers.
type manifestJob struct {
	st      *bindingState
	cluster *scheduler.ClusterInfo
	// replicas is the cluster's share; revise says whether the template's replicas are
	// revised to it.
	replicas int32
	revise   bool
	// completions divides a Job's completions over the clusters (nil: not divided).
	completions map[string]int32
	overwrite   bool
	// keep holds the cluster's previous manifest instead of rendering a new one (its
	// dispatching is suspended).
	keep bool
}

// manifestResult is what a job produced: the manifest and the override policies it applied,
// or the problem that stopped it.
type manifestResult struct {
	manifest  manifest
	overrides []string
	fail      func(p *renderPass)
}

// renderManifests queues the rendering of the template for each target cluster: replicas
// revised to the cluster's share, Job completions divided, overrides applied. flushManifests
// does the work.
func (p *renderPass) renderManifests(st *bindingState, targets []v1alpha1.TargetCluster) {
	obj, b := st.template, st.binding
	gvk := obj.GroupVersionKind()
	revise := (b.Spec.Replicas > 0 || b.Spec.ReplicaRequirements != nil) &&
		p.interp.HookEnabled(gvk, v1alpha1.InterpreterOperationReviseReplica)
	completions, err := interpreter.DivideJobCompletions(obj, b.Spec.Replicas, b.Spec.Placement, targets)
	if err != nil {
		p.fail(st.key, "dividing Job completions: %v", err)
		return
	}
	for _, target := range targets {
		info, ok := p.snap.Get(target.Name)
		if !ok {
			continue // a cluster gone from the fleet receives nothing
		}
		p.jobs = append(p.jobs, manifestJob{
			st: st, cluster: info, replicas: target.Replicas, revise: revise, completions: completions,
			// The applier may take over an object it did not create only when told so, on the
			// manifest itself, as Karmada marks its Works' manifests (semantics §1.1.2).
			overwrite: b.Spec.ConflictResolution == v1alpha1.ConflictOverwrite,
			keep:      dispatchingSuspended(b.Spec.Suspension, target.Name),
		})
	}
}

// flushManifests runs the queued jobs on every core and puts their manifests into the
// clusters' directories in queue order. A template's first problem is recorded; its later
// jobs are dropped (the render fails anyway).
func (p *renderPass) flushManifests() {
	jobs := p.jobs
	p.jobs = nil
	results := make([]manifestResult, len(jobs))
	var g errgroup.Group
	g.SetLimit(min(runtime.GOMAXPROCS(0), max(1, len(jobs)/64)))
	for n := range jobs {
		if !jobs[n].keep {
			g.Go(func() error {
				results[n] = p.runJob(&jobs[n])
				return nil
			})
		}
	}
	_ = g.Wait() // a job's problem is in its result
	failed := map[*bindingState]bool{}
	for n := range jobs {
		job, res := &jobs[n], &results[n]
		switch {
		case failed[job.st]:
		case job.keep:
			p.keepDispatched(job.st.key, job.cluster.Name)
		case res.fail != nil:
			failed[job.st] = true
			res.fail(p)
		default:
			for _, o := range res.overrides {
				job.st.overrides[o] = true
			}
			p.manifests[job.cluster.Name][manifestPathOf(res.manifest)] = res.manifest
		}
	}
}

// runJob renders one manifest. It reads the pass and writes nothing but its result.
func (p *renderPass) runJob(job *manifestJob) manifestResult {
	key, cluster := job.st.key, job.cluster.Name
	m := cleanManifest(job.st.template)
	if job.overwrite {
		setAnnotation(m, v1alpha1.ResourceConflictResolutionAnnotation, "overwrite")
	}
	var err error
	if job.revise {
		if m, err = p.interp.ReviseReplica(m, int64(job.replicas)); err != nil {
			return failure(func(p *renderPass) { p.fail(key, "revising replicas for cluster %s: %v", cluster, err) })
		}
	}
	if job.completions != nil {
		if m, err = interpreter.ReviseJobCompletions(m, cluster, job.completions); err != nil {
			return failure(func(p *renderPass) { p.fail(key, "dividing Job completions for cluster %s: %v", cluster, err) })
		}
	}
	applied, err := overrides.Apply(m, job.cluster, p.policies)
	if err != nil {
		return failure(func(p *renderPass) { p.failOverride(key, cluster, err) })
	}
	res := manifestResult{}
	for _, a := range applied.ClusterOverrides {
		res.overrides = append(res.overrides, "ClusterOverridePolicy/"+a.PolicyName)
	}
	for _, a := range applied.Overrides {
		res.overrides = append(res.overrides, "OverridePolicy/"+m.GetNamespace()+"/"+a.PolicyName)
	}
	if res.manifest, err = p.serialise(m); err != nil {
		return failure(func(p *renderPass) { p.fail(key, "serialising the manifest for cluster %s: %v", cluster, err) })
	}
	return res
}

func failure(fail func(p *renderPass)) manifestResult { return manifestResult{fail: fail} }

// serialise encodes a rendered object (safe for concurrent use: the Emitter is).
func (p *renderPass) serialise(m *unstructured.Unstructured) (manifest, error) {
	data, digest, err := p.emitter.emit(m.Object)
	if err != nil {
		return manifest{}, err
	}
	return manifest{apiVersion: m.GetAPIVersion(), kind: m.GetKind(), namespace: m.GetNamespace(), name: m.GetName(),
		data: data, digest: digest}, nil
}

// put serialises an object the pass made itself (a namespace, a quota) into a cluster's
// directory, replacing what its path held.
func (p *renderPass) put(key ObjectKey, cluster string, m *unstructured.Unstructured) {
	out, err := p.serialise(m)
	if err != nil {
		p.fail(key, "serialising the manifest for cluster %s: %v", cluster, err)
		return
	}
	p.manifests[cluster][manifestPathOf(out)] = out
}

// manifestPathOf is where a manifest goes in its cluster's directory.
func manifestPathOf(m manifest) string {
	gv, _ := schema.ParseGroupVersion(m.apiVersion)
	return ManifestPath(gv.Group, m.kind, m.namespace, m.name)
}
