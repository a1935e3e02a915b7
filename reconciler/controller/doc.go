// Package controller is the hub's loop (DESIGN §1.4, §2): each cycle renders the source ref's
// head onto the rendered ref, applies each Push cluster's directory with the syncer, and
// records what happened on the status ref — committing only what changed, so a converged
// fleet makes no commits at all. Run cycles on a ticker and whenever a Trigger fires; the
// HTTP endpoints of NewHandler expose health, readiness, Prometheus metrics built from each
// cycle's result, and a signed push webhook that fires the Trigger.
package controller
