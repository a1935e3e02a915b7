// Package devcluster starts local member clusters for tests and the demo, and tears them down
// leaving no process behind (DESIGN.md §4).
//
// A fleet is one etcd shared by every cluster and, per cluster, one kube-apiserver that keeps its
// objects under its own etcd prefix (/<cluster>) and hands out Service IPs from its own /16. The
// API servers serve TLS only, with certificates and an admin client credential provisioned by
// controller-runtime's envtest. Each cluster gets a kubeconfig file and a *rest.Config.
//
// In workloads mode every cluster also runs kube-controller-manager, kube-scheduler and kwok,
// and gets fake Nodes of a given capacity that kwok keeps Ready, so Deployments roll out and
// their pods become Ready without any container runtime.
//
// The binaries come from the repository's bin/ directory (`make tools` builds them) or from
// $KUBEBUILDER_ASSETS. Every process runs in its own process group and is recorded, with the
// identity of its process, in a state file in the fleet's directory; so a fleet can be stopped
// from another process (`gitfleet dev down`), and fleets left behind by a test binary that
// crashed are stopped by the next [StartForTest].
//
// Tests use [StartForTest]; programs use [Start] and [Fleet.Stop], or [Fleet.Detach] and
// [StopRecorded] for clusters that outlive the program that started them.
package devcluster
