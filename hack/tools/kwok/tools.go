//go:build tools

// Package tools pins kwok, which simulates nodes and pods of member clusters in tests.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
