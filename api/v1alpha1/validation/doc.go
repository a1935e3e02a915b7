// Package validation checks gitfleet's copies of Karmada's objects, and gitfleet's own kinds,
// the way Karmada's CRD schemas and validating webhooks would on admission.
//
// Objects are validated after the SetDefaults* functions of package v1alpha1 have run, just as
// Karmada validates after its mutating webhooks. Every error's field path is rooted at the
// object and spelled with the JSON field names used in YAML (for example
// `spec.placement.clusterAffinities[1].affinityName` or `spec.overall[cpu]`), so the loader can
// map it back to a line of the source file. Where Karmada has a message for a rule, the same
// message is used.
package validation
