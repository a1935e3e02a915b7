// Package membership adds member clusters to a fleet and removes them, the way a human
// would (DESIGN §1.1, §2): `gitfleet join` reads a cluster's API endpoint from a kubeconfig,
// writes a cluster.karmada.io Cluster to the source branch in one commit and keeps the
// credentials out of Git — in a credentials directory (<dir>/<cluster>.kubeconfig, mode
// 0600) or in a Secret manifest for the hub's namespace; `gitfleet unjoin` removes the
// file that defines the Cluster and the stored credentials.
//
// The pieces are small and separate so that each can be tested alone:
//   - LoadKubeconfig reads one context of a kubeconfig into Credentials: the endpoint,
//     TLS and proxy settings, and a stand-alone minimal kubeconfig;
//   - NewCluster builds and validates the Cluster, MarshalCluster writes it as YAML;
//   - AddCluster and RemoveCluster edit a source tree held in memory, checking it with
//     renderer.LoadSource before and after;
//   - Join and Unjoin commit those edits with gitstore's compare-and-swap loop;
//   - StoreKubeconfig, RemoveKubeconfig and SecretManifest handle the credentials.
//
// Credentials never reach an error message: errors name files and contexts, not values.
package membership
