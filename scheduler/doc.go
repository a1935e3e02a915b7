// Package scheduler places a binding on member clusters exactly as Karmada's scheduler would
// for the same inputs: filter plugins, score plugins, spread-constraint selection, replica
// assignment and estimators.
//
// It is pure: it reads a Snapshot of the clusters and a binding, and returns a Result. There
// is no clock (time-based inputs such as rescheduleTriggeredAt are fields of the binding), no
// I/O and no global state, so the renderer can schedule thousands of bindings from one
// immutable snapshot, in parallel.
//
// Whether a binding is scheduled at all is a separate question, answered first: NeedsSchedule
// (and DetectScheduleTrigger, which names the reason) applies Karmada's reschedule triggers to
// the binding and the placement it was last scheduled with; Schedule computes the placement.
//
// The behaviour follows ../shared/reference/karmada-semantics.md §2 and Appendix A; comments
// name the section a rule comes from.
package scheduler
