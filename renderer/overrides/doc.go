// Package overrides applies OverridePolicies and ClusterOverridePolicies to one resource
// template for one member cluster, exactly as Karmada's override manager
// (pkg/util/overridemanager) does when it builds a Work.
//
// The renderer calls Apply once per (template, cluster) pair, on its own copy of the
// template, after replica revision: overrides are the last change a manifest gets, so they
// can even change replicas (semantics §1.2.1 item 5).
//
// What is reproduced, and where it is written down:
//   - the order of application (§1.2.1): ClusterOverridePolicies first, then the
//     OverridePolicies of the manifest's namespace; within each kind ascending implicit
//     priority, then name; rules in declaration order; overriders in the fixed order image,
//     command, args, labels, annotations, field, plaintext;
//   - every overrider's semantics, quirks included (§1.2.2): the image reference parser of
//     Karmada's pkg/util/imageparser (which keeps only the tag of a reference that has both a
//     tag and a digest), command and args add/remove, label and annotation operators, field
//     overriders on embedded JSON and YAML documents, and plaintext JSON patches;
//   - the RFC 6902 behaviour of the JSON-patch library Karmada uses
//     (github.com/evanphx/json-patch/v5): replace and remove need an existing target, array
//     indices may be negative, "-" appends, a failed operation fails the whole manifest.
//
// It is pure: no I/O, no clock, no package state. Errors name the policy, the rule and the
// overrider that failed (PolicyError).
package overrides
