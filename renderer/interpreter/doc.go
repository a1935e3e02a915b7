// Package interpreter answers Karmada's resource-interpreter questions about resource
// templates: how many replicas a workload wants and what each replica needs, how to write a
// cluster's share of replicas back into the template, which objects it depends on, whether a
// member's copy is healthy, what of its status is collected and how the members' statuses
// fold into the template's, and what a member's copy keeps when the template is applied
// over it (../../shared/reference/karmada-semantics.md §5).
//
// Lookup follows Karmada's precedence (§5.1): a ResourceInterpreterCustomization (Lua) of the
// object's kind first, then the built-in ("native") rules of §5.2. The layers Karmada has in
// between are not implemented: interpreter webhooks cannot exist in a Git-only control plane,
// and the third-party customizations Karmada ships for Kruise, Argo, Flux, Kubeflow and others
// are out of scope for now (a user can add the same scripts as customizations of their own).
// The first layer whose hook is enabled answers; results are never merged across layers.
//
// Every operation is implemented by customizations. The native rules cover InterpretReplica,
// ReviseReplica, InterpretDependency, InterpretHealth, InterpretStatus, AggregateStatus and
// Retain for the kinds §5.2 lists; InterpretComponent has no native rule, as in Karmada.
// Run executes one operation the way `gitfleet interpret` shows it.
//
// The package is pure. Scripts are compiled once by New; every call runs in a fresh Lua state
// whose only way out is its return values, with an instruction budget instead of a timer (see
// Options.InstructionBudget), no clock unless Options.Now provides one, and no randomness. An
// Interpreter is immutable and safe for concurrent use.
package interpreter
