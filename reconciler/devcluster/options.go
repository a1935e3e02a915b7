package devcluster

import (
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
)

// maxClusters bounds a fleet so that every cluster gets its own /16 Service range (see
// serviceCIDR) apart from kwok's pod range.
const maxClusters = 128

// Options configure a fleet. The zero value plus cluster names is a working configuration.
type Options struct {
	// Clusters are the names of the member clusters, DNS-1123 labels. They name the etcd prefix
	// (/<name>), the kubeconfig file and its context. Empty means one cluster named "member1".
	Clusters []string

	// Dir holds etcd's data, certificates, logs, kubeconfigs (<Dir>/<cluster>.kubeconfig, so
	// that Dir serves as a --credentials-dir) and the state file. Empty means a new temporary
	// directory, removed by Stop. Of a given directory only what the fleet created is removed
	// (and the directory itself when that leaves it empty).
	Dir string

	// BinDir holds etcd, kube-apiserver and, for Workloads, kube-controller-manager,
	// kube-scheduler, kwok and kwok-stages/. Empty means DefaultBinDir().
	BinDir string

	// Workloads also runs kube-controller-manager, kube-scheduler and kwok per cluster and creates
	// fake nodes, so that Deployments roll out and become Ready. Without it a cluster is an API
	// server only: objects are stored, nothing acts on them (enough for apply/prune/drift tests,
	// and three times lighter).
	Workloads bool

	// Nodes is the number of fake nodes per cluster in Workloads mode. Zero means 1; negative
	// means none (add them with Cluster.AddFakeNodes).
	Nodes int

	// NodeCapacity is each fake node's capacity and allocatable. Missing resources default to
	// DefaultNodeCapacity's.
	NodeCapacity corev1.ResourceList

	// Controllers are kube-controller-manager's --controllers. Empty means DefaultControllers.
	Controllers []string

	// StartTimeout bounds the start of each process and the wait for a cluster to be usable.
	// Zero means 90s: several API servers starting at once on two busy cores are slow.
	StartTimeout time.Duration
}

// DefaultControllers are the kube-controller-manager controllers a workloads cluster runs:
// enough for Deployments, StatefulSets, DaemonSets and Jobs to roll out, namespaces and owned
// objects to be deleted, Services to get EndpointSlices and ResourceQuotas to report usage.
// Node lifecycle and IPAM stay off: kwok owns the fake nodes.
var DefaultControllers = []string{
	"cronjob-controller",
	"daemonset-controller",
	"deployment-controller",
	"disruption-controller",
	"endpoints-controller",
	"endpointslice-controller",
	"garbage-collector-controller",
	"job-controller",
	"namespace-controller",
	"pod-garbage-collector-controller",
	"replicaset-controller",
	"resourcequota-controller",
	"root-ca-certificate-publisher-controller",
	"serviceaccount-controller",
	"serviceaccount-token-controller",
	"statefulset-controller",
	"ttl-after-finished-controller",
}

// DefaultNodeCapacity returns the capacity of a fake node when Options.NodeCapacity leaves a
// resource out: a large machine, so that tests are limited by what they configure.
func DefaultNodeCapacity() corev1.ResourceList {
	return corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("32"),
		corev1.ResourceMemory: resource.MustParse("256Gi"),
		corev1.ResourcePods:   resource.MustParse("110"),
	}
}

// withDefaults returns a copy of o with every zero field defaulted, or an error naming the
// field that is invalid.
func (o Options) withDefaults() (Options, error) {
	if len(o.Clusters) == 0 {
		o.Clusters = []string{"member1"}
	}
	if len(o.Clusters) > maxClusters {
		return o, fmt.Errorf("%d clusters requested, at most %d fit (each needs its own /16 Service range)", len(o.Clusters), maxClusters)
	}
	seen := map[string]bool{}
	var errs []error
	for _, name := range o.Clusters {
		if msgs := validation.IsDNS1123Label(name); len(msgs) > 0 {
			errs = append(errs, fmt.Errorf("cluster name %q: %v", name, msgs))
		}
		if seen[name] {
			errs = append(errs, fmt.Errorf("cluster name %q given twice", name))
		}
		seen[name] = true
	}
	if err := errors.Join(errs...); err != nil {
		return o, err
	}
	o.Clusters = append([]string(nil), o.Clusters...)
	if o.Nodes == 0 {
		o.Nodes = 1
	}
	capacity := DefaultNodeCapacity()
	for name, q := range o.NodeCapacity {
		capacity[name] = q
	}
	o.NodeCapacity = capacity
	if len(o.Controllers) == 0 {
		o.Controllers = DefaultControllers
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = 90 * time.Second
	}
	return o, nil
}

// serviceCIDR is the Service IP range of the index-th cluster: 10.96.0.0/16, 10.97.0.0/16, …
// A /16 because a /24 caps a cluster at 254 Services (BENCHMARKS.md); distinct per cluster so
// that a Service IP names its cluster, as it would in real multi-cluster networking. kwok's pod
// range (podCIDR) lies above them.
func serviceCIDR(index int) string {
	return fmt.Sprintf("10.%d.0.0/16", 96+index)
}

// podCIDR is the range kwok hands fake pod IPs out from.
const podCIDR = "10.244.0.0/16"
