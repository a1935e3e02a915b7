// Package v1alpha1 holds gitfleet's API types: Go types that read Karmada's YAML verbatim
// (same apiVersions, kinds and JSON field names) and gitfleet's own FleetConfig.
//
// Karmada serves these kinds from several API groups; gitfleet keeps them in one Go package
// because it never serves them from an API server — it reads them from Git. Each root type
// documents the apiVersion it is read from, and the GroupVersion constants below name them.
//
// In Git there is no admission webhook, so Karmada's mutating-webhook defaulting is applied at
// load time by the SetDefaults* functions in this package. They are deterministic: no random
// UUIDs (permanent ids are derived from the object's identity) and no wall-clock times (a time
// that must be filled is passed in by the caller, normally the source commit's time).
//
// +kubebuilder:object:generate=true
package v1alpha1
