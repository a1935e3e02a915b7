// Package clusterstatus collects what the hub records on the gitfleet/status ref about
// member clusters (DESIGN §1.3): the Karmada Cluster status of each member (Ready from
// probing its health endpoint, apiEnablements from discovery, nodeSummary and
// resourceSummary), the per-node capacity file for the accurate estimator, and the
// per-cluster status items of every propagated template with their aggregation.
//
// Collection (Probe, CollectObjects) talks to member clusters; BuildTree is pure: it turns
// what was collected, plus the previous status tree, into deterministic file bytes, so that
// an unchanged fleet produces a byte-identical tree and no status commit.
package clusterstatus
