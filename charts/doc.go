// Package charts holds the Helm charts that install gitfleet: gitfleet/ runs the hub
// (`gitfleet controller`) and gitfleet-agent/ runs a Pull cluster's agent (`gitfleet agent`).
// The package has no code; its tests lint and render both charts with bin/helm and install
// them into a real API server (reconciler/devcluster).
package charts
