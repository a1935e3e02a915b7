//go:build tools

// Package tools pins the Kubernetes control plane that integration and e2e tests run for each
// member cluster: kube-apiserver, and kube-controller-manager and kube-scheduler for workloads
// that must become Ready; and kubectl, the comparator of `make bench`. They share one module
// because they share one dependency graph.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
