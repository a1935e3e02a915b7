package syncer

import (
	"time"
)

// Action is what a sync did with one object.
type Action string

const (
	// ActionApplied: the object was created or changed in the member cluster.
	ActionApplied Action = "applied"
	// ActionUnchanged: the object already matched its manifest; nothing was sent.
	ActionUnchanged Action = "unchanged"
	// ActionPruned: the object left the render and was deleted.
	ActionPruned Action = "pruned"
	// ActionConflict: the object exists in the member cluster but gitfleet did not create
	// it, and its manifest does not ask to overwrite it; it was left untouched.
	ActionConflict Action = "conflict"
	// ActionSkipped: the object left the render but no longer carries ManagedLabel, so it
	// is not gitfleet's to delete; it was left in place and forgotten.
	ActionSkipped Action = "skipped"
	// ActionFailed: applying or deleting the object failed; Message says why.
	ActionFailed Action = "failed"
)

// Reasons say why an object got its Action, in the CamelCase vocabulary of conditions.
const (
	// ReasonCreated: the object did not exist and was created.
	ReasonCreated = "Created"
	// ReasonManifestChanged: the manifest changed since it was last applied.
	ReasonManifestChanged = "ManifestChanged"
	// ReasonDriftCorrected: a field gitfleet sets was changed (or the object deleted) in
	// the member cluster and was restored.
	ReasonDriftCorrected = "DriftCorrected"
	// ReasonAdopted: the object carried ManagedLabel but was missing from the in-cluster
	// inventory (a sync interrupted before recording it) and was taken back.
	ReasonAdopted = "Adopted"
	// ReasonOverwritten: an object gitfleet did not create was taken over because its
	// manifest says conflict-resolution overwrite.
	ReasonOverwritten = "ConflictOverwritten"
	// ReasonInSync: the object already matched its manifest.
	ReasonInSync = "InSync"
	// ReasonNotManaged: the object exists without ManagedLabel and is not gitfleet's.
	ReasonNotManaged = "NotManagedByGitfleet"
	// ReasonApplyFailed: the apply request (or the LIST before it) failed.
	ReasonApplyFailed = "ApplyFailed"
	// ReasonNotEstablished: a CRD was applied but did not become Established in time.
	ReasonNotEstablished = "NotEstablished"
	// ReasonPruned: the object left the render and was deleted.
	ReasonPruned = "Pruned"
	// ReasonPruneFailed: deleting the object failed; it stays in the inventory and is
	// retried on the next sync.
	ReasonPruneFailed = "PruneFailed"
)

// ObjectResult is the outcome of one object of a sync.
type ObjectResult struct {
	// Path is the manifest's path in the cluster directory; for a pruned object, the path
	// it had.
	Path string `json:"path"`
	// APIVersion is the object's apiVersion.
	APIVersion string `json:"apiVersion"`
	// Kind is the object's kind.
	Kind string `json:"kind"`
	// Namespace is the object's namespace, empty for cluster-scoped objects.
	Namespace string `json:"namespace,omitempty"`
	// Name is the object's name.
	Name string `json:"name"`
	// Action is what the sync did with the object.
	Action Action `json:"action"`
	// Reason says why, as a CamelCase reason.
	Reason string `json:"reason"`
	// Message is for humans: the error of a failure, the owner of a conflict.
	Message string `json:"message,omitempty"`
}

// Result is the outcome of a sync, returned as data: status, metrics and logs are built
// from it.
type Result struct {
	// Cluster is the cluster named by the directory's inventory.
	Cluster string `json:"cluster"`
	// Commit is the rendered commit applied.
	Commit string `json:"commit"`
	// PreviousCommit is the rendered commit the in-cluster inventory recorded before this
	// sync; empty on the first sync.
	PreviousCommit string `json:"previousCommit,omitempty"`

	// Applied counts objects created or changed.
	Applied int `json:"applied"`
	// Unchanged counts objects that already matched their manifests.
	Unchanged int `json:"unchanged"`
	// Pruned counts objects deleted because they left the render.
	Pruned int `json:"pruned"`
	// Conflicts counts existing objects gitfleet did not create, left untouched.
	Conflicts int `json:"conflicts"`
	// Skipped counts prune candidates that were no longer gitfleet's.
	Skipped int `json:"skipped"`
	// Failed counts objects whose apply or deletion failed.
	Failed int `json:"failed"`

	// Objects holds one entry per object of the directory and per prune candidate,
	// sorted by path.
	Objects []ObjectResult `json:"objects"`

	// Duration is the wall time of the sync.
	Duration time.Duration `json:"duration"`
	// Requests counts the API requests the sync made, by verb: get, list, watch, create,
	// update, patch, delete, deletecollection, discovery; a dry-run request counts under
	// its verb with a "-dry-run" suffix.
	Requests map[string]int `json:"requests"`
}

// TotalRequests is the number of API requests the sync made.
func (r *Result) TotalRequests() int {
	n := 0
	for _, c := range r.Requests {
		n += c
	}
	return n
}

// Succeeded reports whether every object was applied, unchanged, pruned or skipped: no
// failure and no conflict.
func (r *Result) Succeeded() bool { return r.Failed == 0 && r.Conflicts == 0 }

// count tallies the actions of r.Objects into the counters.
func (r *Result) count() {
	r.Applied, r.Unchanged, r.Pruned, r.Conflicts, r.Skipped, r.Failed = 0, 0, 0, 0, 0, 0
	for _, o := range r.Objects {
		switch o.Action {
		case ActionApplied:
			r.Applied++
		case ActionUnchanged:
			r.Unchanged++
		case ActionPruned:
			r.Pruned++
		case ActionConflict:
			r.Conflicts++
		case ActionSkipped:
			r.Skipped++
		case ActionFailed:
			r.Failed++
		}
	}
}
