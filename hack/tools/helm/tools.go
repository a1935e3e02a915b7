//go:build tools

// Package tools pins the helm CLI, used to lint, template and install charts in tests.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
