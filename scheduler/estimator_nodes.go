package scheduler

import (
	"math"
	"math/big"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// NodeEstimator counts, node by node, how many replicas fit in each cluster, as Karmada's
// accurate estimator (karmada-scheduler-estimator, §2.5) does from the member's nodes. Where
// the general estimator divides a cluster's free resources as one pool, this one sees that
// free CPU scattered over many nodes may not hold a single replica, and that a replica can
// only use the nodes its nodeSelector, required node affinity and tolerations admit.
//
// A node counts when it is Ready, not cordoned, every NoSchedule/NoExecute taint of it is
// tolerated and it matches the node claim. On such a node a replica fits
// floor((allocatable - requested) / request) times for each requested resource, bounded by
// its free pod slots (allocatable pods - requested pods); the cluster's answer is the sum
// over its nodes, at most MaxInt32.
type NodeEstimator struct {
	// clusters holds, by cluster name, the nodes that can take replicas at all (Ready, not
	// cordoned) with their free room; a cluster missing here is not judged (-1).
	clusters map[string][]nodeRoom
}

// nodeRoom is one usable node and its free room per resource, in estimator units: what does
// not depend on the workload is worked out once per estimator, not once per binding.
type nodeRoom struct {
	node *v1alpha1.NodeResources
	// free holds allocatable - requested of every resource the node reports allocatable.
	free map[corev1.ResourceName]*big.Int
}

var _ Estimator = NodeEstimator{}

// NewNodeEstimator prepares an estimator from each cluster's recorded nodes, by cluster
// name. A cluster with no node recorded is left unjudged.
func NewNodeEstimator(nodes map[string][]v1alpha1.NodeResources) NodeEstimator {
	e := NodeEstimator{clusters: make(map[string][]nodeRoom, len(nodes))}
	for cluster, list := range nodes {
		if len(list) == 0 {
			continue
		}
		rooms := []nodeRoom{}
		for i := range list {
			n := &list[i]
			if !n.Ready || n.Unschedulable {
				continue
			}
			room := nodeRoom{node: n, free: make(map[corev1.ResourceName]*big.Int, len(n.Allocatable))}
			for name := range n.Allocatable {
				room.free[name] = freeUnits(n, name)
			}
			rooms = append(rooms, room)
		}
		e.clusters[cluster] = rooms
	}
	return e
}

// MaxAvailableReplicas implements Estimator. A cluster without recorded nodes is answered
// unknown (-1), so that the general estimator alone decides for it; a cluster whose nodes
// all refuse the replica is answered 0.
func (e NodeEstimator) MaxAvailableReplicas(clusters []*ClusterInfo, requirements *v1alpha1.ReplicaRequirements) []int32 {
	out := make([]int32, len(clusters))
	var claim *v1alpha1.NodeClaim
	var request corev1.ResourceList
	if requirements != nil {
		claim, request = requirements.NodeClaim, requirements.ResourceRequest
	}
	admits := compileNodeClaim(claim)
	perReplica := replicaUnits(request)
	for i, c := range clusters {
		out[i] = unknownReplicas
		if c == nil {
			continue
		}
		rooms, ok := e.clusters[c.Name]
		if !ok {
			continue
		}
		var total int64
		for j := range rooms {
			if !admits.matches(rooms[j].node) {
				continue
			}
			total = min(total+replicasOnNode(&rooms[j], perReplica), math.MaxInt32)
		}
		out[i] = int32(total) // #nosec G115 -- total ≤ MaxInt32
	}
	return out
}

// requestUnits is one requested resource in the units the estimator divides.
type requestUnits struct {
	name  corev1.ResourceName
	units *big.Int
}

// replicaUnits converts the request of one replica to estimator units, leaving out the
// resources it asks nothing (or a negative amount) of, as the general estimator does.
func replicaUnits(request corev1.ResourceList) []requestUnits {
	var out []requestUnits
	for name, q := range request {
		units := quantityUnits(name, q, true)
		if units.Sign() > 0 {
			out = append(out, requestUnits{name: name, units: units})
		}
	}
	return out
}

// replicasOnNode is how many replicas fit on one node: its free pod slots, lowered to the
// quotient of every requested resource. A requested resource the node does not report as
// allocatable, or has nothing left of, gives 0. The result is at most MaxInt32.
func replicasOnNode(room *nodeRoom, request []requestUnits) int64 {
	fit := room.free[corev1.ResourcePods]
	if fit == nil || fit.Sign() <= 0 {
		return 0
	}
	for _, r := range request {
		free := room.free[r.name]
		if free == nil || free.Sign() <= 0 {
			return 0
		}
		if q := new(big.Int).Quo(free, r.units); q.Cmp(fit) < 0 {
			fit = q
		}
	}
	if !fit.IsInt64() || fit.Int64() > math.MaxInt32 {
		return math.MaxInt32
	}
	return fit.Int64()
}

// freeUnits is allocatable - requested of one resource of the node, in estimator units
// rounded down so that a fraction of a unit never counts as room; nil when the node reports
// no allocatable amount of it.
func freeUnits(n *v1alpha1.NodeResources, name corev1.ResourceName) *big.Int {
	allocatable, ok := n.Allocatable[name]
	if !ok {
		return nil
	}
	free := allocatable.DeepCopy()
	if requested, ok := n.Requested[name]; ok {
		free.Sub(requested)
	}
	return quantityUnits(name, free, false)
}

// quantityUnits is q in estimator units: milli-units for cpu, whole units otherwise, as the
// general estimator and Karmada compare them. A request is rounded up (a replica asking
// 0.5 bytes asks one) and free room down. It is computed on the exact decimal so that huge
// quantities, whose MilliValue would overflow an int64, still compare correctly.
func quantityUnits(name corev1.ResourceName, q resource.Quantity, roundUp bool) *big.Int {
	d := q.AsDec()
	n := new(big.Int).Set(d.UnscaledBig())
	// The amount is n × 10^-scale; in milli-units it is n × 10^-(scale-3).
	scale := int64(d.Scale())
	if name == corev1.ResourceCPU {
		scale -= 3
	}
	if scale <= 0 {
		return n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(-scale), nil))
	}
	rem := new(big.Int)
	n.QuoRem(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(scale), nil), rem)
	// QuoRem truncates toward zero: step away from zero where the rounding asks it.
	switch {
	case roundUp && rem.Sign() > 0:
		n.Add(n, big.NewInt(1))
	case !roundUp && rem.Sign() < 0:
		n.Sub(n, big.NewInt(1))
	}
	return n
}

// nodeClaimMatcher is a NodeClaim prepared for matching every node of the fleet: the required
// node affinity is compiled once per estimate, not once per node.
type nodeClaimMatcher struct {
	// selector is the pod's nodeSelector; every pair must be among the node's labels.
	selector map[string]string
	// tolerations must tolerate every NoSchedule/NoExecute taint of the node.
	tolerations []corev1.Toleration
	// affinity is set when the pod has a required node affinity; its terms are ORed, and
	// with no term at all it admits no node, as Kubernetes does.
	affinity bool
	terms    []nodeSelectorTerm
}

// nodeSelectorTerm is one compiled term of a required node affinity. Its expressions and
// fields are ANDed. An empty term, or one with an invalid requirement, matches no node;
// Kubernetes drops such a term without failing the others.
type nodeSelectorTerm struct {
	never  bool
	labels labels.Selector
	fields []corev1.NodeSelectorRequirement
}

// compileNodeClaim prepares a node claim for matching; a nil claim admits every node
// without NoSchedule/NoExecute taints.
func compileNodeClaim(claim *v1alpha1.NodeClaim) nodeClaimMatcher {
	var m nodeClaimMatcher
	if claim == nil {
		return m
	}
	m.selector, m.tolerations = claim.NodeSelector, claim.Tolerations
	if claim.HardNodeAffinity == nil {
		return m
	}
	m.affinity = true
	for _, t := range claim.HardNodeAffinity.NodeSelectorTerms {
		term := nodeSelectorTerm{fields: t.MatchFields}
		switch {
		case len(t.MatchExpressions) == 0 && len(t.MatchFields) == 0:
			term.never = true
		case len(t.MatchExpressions) > 0:
			s, ok := nodeSelectorRequirementsAsSelector(t.MatchExpressions)
			term.never, term.labels = !ok, s
		}
		m.terms = append(m.terms, term)
	}
	return m
}

// matches reports whether a replica may land on the node as far as labels and taints go.
func (m nodeClaimMatcher) matches(n *v1alpha1.NodeResources) bool {
	if _, untolerated := findMatchingUntoleratedTaint(n.Taints, m.tolerations); untolerated {
		return false
	}
	for k, v := range m.selector {
		if got, ok := n.Labels[k]; !ok || got != v {
			return false
		}
	}
	if !m.affinity {
		return true
	}
	for i := range m.terms {
		if m.terms[i].matches(n) {
			return true
		}
	}
	return false
}

func (t *nodeSelectorTerm) matches(n *v1alpha1.NodeResources) bool {
	if t.never {
		return false
	}
	if t.labels != nil && !t.labels.Matches(labels.Set(n.Labels)) {
		return false
	}
	for i := range t.fields {
		if !matchNodeField(&t.fields[i], n) {
			return false
		}
	}
	return true
}

// nodeNameField is the only node field a required node affinity can select on.
const nodeNameField = "metadata.name"

// matchNodeField matches one matchFields requirement against the node, as a Kubernetes field
// selector would: only In and NotIn with exactly one value are valid (anything else matches
// no node), and a field other than metadata.name reads as empty.
func matchNodeField(r *corev1.NodeSelectorRequirement, n *v1alpha1.NodeResources) bool {
	if len(r.Values) != 1 {
		return false
	}
	var value string
	if r.Key == nodeNameField {
		value = n.Name
	}
	switch r.Operator {
	case corev1.NodeSelectorOpIn:
		return value == r.Values[0]
	case corev1.NodeSelectorOpNotIn:
		return value != r.Values[0]
	default:
		return false
	}
}
