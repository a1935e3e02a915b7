package overrides

import "fmt"

// PolicyError is the failure of one override policy on a manifest. As in Karmada, where a
// failed override fails the whole Work, the manifest then cannot be rendered for the cluster
// (semantics §1.2.2: "fails the whole Work if a path is invalid").
type PolicyError struct {
	// Kind is the policy's kind: ClusterOverridePolicy or OverridePolicy.
	Kind string
	// Namespace is the OverridePolicy's namespace; empty for a ClusterOverridePolicy.
	Namespace string
	// Name is the policy's name.
	Name string
	// Field locates the overrider that failed within the policy's spec, such as
	// "overrideRules[1].overriders.plaintext[0]" or, for the legacy single rule,
	// "overriders.imageOverrider[0]". Prefix "spec." for a field path of the whole policy
	// (as renderer diagnostics use).
	Field string
	// Err is what went wrong.
	Err error
}

// Error renders the failure as `Kind/[namespace/]name: field: error`.
func (e *PolicyError) Error() string {
	if e.Namespace != "" {
		return fmt.Sprintf("%s/%s/%s: %s: %v", e.Kind, e.Namespace, e.Name, e.Field, e.Err)
	}
	return fmt.Sprintf("%s/%s: %s: %v", e.Kind, e.Name, e.Field, e.Err)
}

// Unwrap returns the underlying failure.
func (e *PolicyError) Unwrap() error { return e.Err }

// overriderError locates a failure within one Overriders struct: field is relative to it,
// such as "plaintext[2]" or "fieldOverrider[0].yaml[1]".
type overriderError struct {
	field string
	err   error
}

func (e *overriderError) Error() string { return e.field + ": " + e.err.Error() }

func (e *overriderError) Unwrap() error { return e.err }

// itemField names item i of the overrider list named list, with an optional sub-field.
func itemField(list string, i int, sub string) string {
	if sub == "" {
		return fmt.Sprintf("%s[%d]", list, i)
	}
	return fmt.Sprintf("%s[%d].%s", list, i, sub)
}
