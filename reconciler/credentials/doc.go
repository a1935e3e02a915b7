// Package credentials resolves the *rest.Config with which the hub reaches a member cluster
// (DESIGN §1.1). Credentials never live in Git; a Resolver finds them in one of two places:
//
//   - the Secret that the Cluster's spec.secretRef names, read from the hub's own cluster:
//     either a kubeconfig under key "kubeconfig" (what `gitfleet join` writes), or Karmada's
//     "token" and "caBundle" keys, combined with the Cluster's spec.apiEndpoint,
//     spec.proxyURL and spec.insecureSkipTLSVerification as Karmada combines them;
//   - outside a cluster, the file <cluster>.kubeconfig in the --credentials-dir directory.
//
// When both could apply, the Secret wins: a Cluster that names a Secret means it, and a
// stale file in a credentials directory must not silently shadow a rotated Secret.
//
// Every resolved Credentials carries a Fingerprint of its inputs, so that a caller holding
// clients for a cluster can tell when the credentials rotated and rebuild them.
//
// Credentials never reach an error message: errors name clusters, Secrets, keys and files,
// never their contents. Errors that wrap ErrNoCredentials need a human to act.
package credentials
