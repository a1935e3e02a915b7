package scheduler

import (
	"fmt"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// The fleet of the ClusterAffinity matching tests (§1.1.1).
var (
	// prod: labelled, with provider, region and two zones.
	affProd = fxInfo("member1", fxLabels("env", "prod", "tier", "t0"), fxProvider("aws"), fxRegion("us-east-1"),
		fxZones("us-east-1a", "us-east-1b"))
	// staging: labelled, with provider, region and one zone.
	affStaging = fxInfo("member2", fxLabels("env", "staging"), fxProvider("gcp"), fxRegion("eu-west-1"), fxZones("eu-west-1a"))
	// bare: no labels, no provider, no region, no zones.
	affBare = fxInfo("member3")
)

func fxFields(exprs ...corev1.NodeSelectorRequirement) *v1alpha1.FieldSelector {
	return &v1alpha1.FieldSelector{MatchExpressions: exprs}
}

func fxReq(key string, op corev1.NodeSelectorOperator, values ...string) corev1.NodeSelectorRequirement {
	return corev1.NodeSelectorRequirement{Key: key, Operator: op, Values: values}
}

func TestClusterMatches(t *testing.T) {
	many := make([]string, 0, 20)
	for i := range 20 {
		many = append(many, fmt.Sprintf("other%d", i))
	}
	tests := []struct {
		name     string
		cluster  *ClusterInfo
		affinity *v1alpha1.ClusterAffinity
		want     bool
	}{
		// An affinity without conditions selects the whole fleet.
		{"no affinity matches every cluster", affBare, nil, true},
		{"an empty affinity matches every cluster", affBare, &v1alpha1.ClusterAffinity{}, true},

		// exclude is checked first and beats every other condition.
		{"exclude rejects a cluster that clusterNames lists", affProd,
			&v1alpha1.ClusterAffinity{ClusterNames: []string{"member1"}, ExcludeClusters: []string{"member1"}}, false},
		{"exclude rejects a cluster the label selector matches", affProd,
			&v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod"}},
				ExcludeClusters: []string{"member1"}}, false},
		{"exclude leaves other clusters alone", affStaging, &v1alpha1.ClusterAffinity{ExcludeClusters: []string{"member1"}}, true},
		{"a long exclude list still rejects its clusters", affProd,
			&v1alpha1.ClusterAffinity{ExcludeClusters: append(append([]string{}, many...), "member1")}, false},
		{"a long exclude list admits the clusters it does not name", affStaging,
			&v1alpha1.ClusterAffinity{ExcludeClusters: append(append([]string{}, many...), "member1")}, true},

		// labelSelector matches the Cluster object's labels.
		{"matchLabels selects clusters with the label", affProd,
			&v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod"}}}, true},
		{"matchLabels rejects clusters with another value", affStaging,
			&v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod"}}}, false},
		{"matchLabels rejects clusters without the label", affBare,
			&v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod"}}}, false},
		{"matchExpressions In", affStaging, &v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "env", Operator: metav1.LabelSelectorOpIn, Values: []string{"prod", "staging"}}}}}, true},
		{"matchExpressions NotIn admits clusters without the label", affBare, &v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "env", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"prod"}}}}}, true},
		{"matchExpressions Exists", affProd, &v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpExists}}}}, true},
		{"matchExpressions DoesNotExist", affProd, &v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpDoesNotExist}}}}, false},
		{"an empty label selector matches every cluster", affBare,
			&v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{}}, true},
		{"a label selector with an invalid operator matches no cluster", affProd, &v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "env", Operator: "Bogus", Values: []string{"prod"}}}}}, false},
		{"a label selector with an invalid key matches no cluster", affProd, &v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{
			MatchLabels: map[string]string{"not a key!": "x"}}}, false},
		{"a label selector In without values matches no cluster", affProd, &v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "env", Operator: metav1.LabelSelectorOpIn}}}}, false},

		// fieldSelector zone expressions are matched against spec.zones by matchZones.
		{"zone In matches when one of the cluster's zones is listed", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("zone", corev1.NodeSelectorOpIn, "us-east-1b", "eu-west-1a"))}, true},
		{"zone In rejects a cluster none of whose zones is listed", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("zone", corev1.NodeSelectorOpIn, "eu-west-1a"))}, false},
		{"zone In rejects a cluster without zones", affBare,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("zone", corev1.NodeSelectorOpIn, "us-east-1a"))}, false},
		{"zone In without values matches no cluster", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("zone", corev1.NodeSelectorOpIn))}, false},
		{"zone NotIn matches when none of the cluster's zones is listed", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("zone", corev1.NodeSelectorOpNotIn, "eu-west-1a"))}, true},
		{"zone NotIn rejects a cluster with one listed zone among others", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("zone", corev1.NodeSelectorOpNotIn, "us-east-1a"))}, false},
		{"zone NotIn matches a cluster without zones", affBare,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("zone", corev1.NodeSelectorOpNotIn, "us-east-1a"))}, true},
		{"zone Exists matches a cluster with zones", affStaging,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("zone", corev1.NodeSelectorOpExists))}, true},
		{"zone Exists rejects a cluster without zones", affBare,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("zone", corev1.NodeSelectorOpExists))}, false},
		{"zone DoesNotExist matches a cluster without zones", affBare,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("zone", corev1.NodeSelectorOpDoesNotExist))}, true},
		{"zone DoesNotExist rejects a cluster with zones", affStaging,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("zone", corev1.NodeSelectorOpDoesNotExist))}, false},
		{"zone with another operator matches no cluster", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("zone", corev1.NodeSelectorOpGt, "1"))}, false},

		// The other fieldSelector keys go through a node-selector requirement against
		// {provider, region}.
		{"provider In", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("provider", corev1.NodeSelectorOpIn, "aws"))}, true},
		{"provider In rejects another provider", affStaging,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("provider", corev1.NodeSelectorOpIn, "aws"))}, false},
		{"provider NotIn", affStaging,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("provider", corev1.NodeSelectorOpNotIn, "aws"))}, true},
		{"region In", affStaging,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("region", corev1.NodeSelectorOpIn, "eu-west-1", "ap-south-1"))}, true},
		{"region In rejects a cluster without region", affBare,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("region", corev1.NodeSelectorOpIn, "eu-west-1"))}, false},
		{"region NotIn matches a cluster without region", affBare,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("region", corev1.NodeSelectorOpNotIn, "eu-west-1"))}, true},
		{"region Exists", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("region", corev1.NodeSelectorOpExists))}, true},
		{"provider DoesNotExist matches a cluster without provider", affBare,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("provider", corev1.NodeSelectorOpDoesNotExist))}, true},
		{"an unknown key never matches In", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("metadata.name", corev1.NodeSelectorOpIn, "member1"))}, false},
		{"an unknown key matches NotIn, as a missing label does", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("metadata.name", corev1.NodeSelectorOpNotIn, "member1"))}, true},
		{"a requirement with an empty key matches no cluster", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("", corev1.NodeSelectorOpExists))}, false},
		{"a requirement In without values matches no cluster", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("region", corev1.NodeSelectorOpIn))}, false},
		{"a requirement with an unknown operator matches no cluster", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("region", "Near", "us-east-1"))}, false},
		{"a requirement Gt with a non-integer matches no cluster", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(fxReq("region", corev1.NodeSelectorOpGt, "east"))}, false},
		{"an invalid requirement fails the affinity even when the zone matches", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(
				fxReq("zone", corev1.NodeSelectorOpIn, "us-east-1a"), fxReq("", corev1.NodeSelectorOpExists))}, false},
		{"zone and region expressions are ANDed", affProd,
			&v1alpha1.ClusterAffinity{FieldSelector: fxFields(
				fxReq("zone", corev1.NodeSelectorOpIn, "us-east-1a"), fxReq("region", corev1.NodeSelectorOpIn, "eu-west-1"))}, false},
		{"a field selector without expressions matches every cluster", affBare,
			&v1alpha1.ClusterAffinity{FieldSelector: &v1alpha1.FieldSelector{}}, true},

		// clusterNames admits only the listed clusters.
		{"clusterNames admits a listed cluster", affStaging, &v1alpha1.ClusterAffinity{ClusterNames: []string{"member1", "member2"}}, true},
		{"clusterNames rejects an unlisted cluster", affBare, &v1alpha1.ClusterAffinity{ClusterNames: []string{"member1", "member2"}}, false},
		{"a long clusterNames list admits a listed cluster", affBare,
			&v1alpha1.ClusterAffinity{ClusterNames: append(append([]string{}, many...), "member3")}, true},

		// Every condition must hold.
		{"labels match but clusterNames does not", affProd, &v1alpha1.ClusterAffinity{
			LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod"}},
			ClusterNames:  []string{"member2"}}, false},
		{"labels, fields and names all match", affProd, &v1alpha1.ClusterAffinity{
			LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod"}},
			FieldSelector: fxFields(fxReq("provider", corev1.NodeSelectorOpIn, "aws"), fxReq("zone", corev1.NodeSelectorOpExists)),
			ClusterNames:  []string{"member1"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(ClusterMatches(tt.cluster, tt.affinity)).To(Equal(tt.want))
			// The compiled matcher the filters use gives the same answer, also when it is
			// reused for another cluster first.
			m := compileAffinity(tt.affinity)
			_ = m.matches(affStaging)
			g.Expect(m.matches(tt.cluster)).To(Equal(tt.want))
		})
	}
}

func TestClusterMatchesWithoutCluster(t *testing.T) {
	g := NewWithT(t)
	g.Expect(ClusterMatches(nil, nil)).To(BeFalse())
	// A hand-built ClusterInfo without a Cluster object has no zones.
	g.Expect(ClusterMatches(&ClusterInfo{Name: "x"}, &v1alpha1.ClusterAffinity{
		FieldSelector: fxFields(fxReq("zone", corev1.NodeSelectorOpDoesNotExist))})).To(BeTrue())
}

func TestClusterMatchesDoesNotModifyTheAffinity(t *testing.T) {
	g := NewWithT(t)
	affinity := &v1alpha1.ClusterAffinity{
		LabelSelector: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "env", Operator: metav1.LabelSelectorOpIn, Values: []string{"staging", "prod"}}}},
		FieldSelector: fxFields(fxReq("region", corev1.NodeSelectorOpIn, "z", "a")),
	}
	before := affinity.DeepCopy()
	_ = ClusterMatches(affProd, affinity)
	g.Expect(affinity).To(Equal(before))
}

func TestToleratesTaint(t *testing.T) {
	taint := corev1.Taint{Key: "maintenance", Value: "true", Effect: corev1.TaintEffectNoSchedule}
	tests := []struct {
		name string
		tol  corev1.Toleration
		want bool
	}{
		{"Equal with the same key, value and effect", corev1.Toleration{Key: "maintenance", Operator: corev1.TolerationOpEqual, Value: "true", Effect: corev1.TaintEffectNoSchedule}, true},
		{"an empty operator means Equal", corev1.Toleration{Key: "maintenance", Value: "true"}, true},
		{"Equal with another value", corev1.Toleration{Key: "maintenance", Value: "false"}, false},
		{"Exists ignores the value", corev1.Toleration{Key: "maintenance", Operator: corev1.TolerationOpExists}, true},
		{"an empty key with Exists tolerates every taint", corev1.Toleration{Operator: corev1.TolerationOpExists}, true},
		{"another key", corev1.Toleration{Key: "dedicated", Operator: corev1.TolerationOpExists}, false},
		{"an empty effect matches every effect", corev1.Toleration{Key: "maintenance", Operator: corev1.TolerationOpExists}, true},
		{"another effect", corev1.Toleration{Key: "maintenance", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute}, false},
		{"Gt never matches: comparison operators are disabled", corev1.Toleration{Key: "maintenance", Operator: corev1.TolerationOpGt, Value: "0"}, false},
		{"Lt never matches: comparison operators are disabled", corev1.Toleration{Key: "maintenance", Operator: corev1.TolerationOpLt, Value: "9"}, false},
		{"an unknown operator never matches", corev1.Toleration{Key: "maintenance", Operator: "Near"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(ToleratesTaint(&tt.tol, &taint)).To(Equal(tt.want))
			g.Expect(tolerationsTolerateTaint([]corev1.Toleration{{Key: "other", Operator: corev1.TolerationOpExists}, tt.tol}, &taint)).To(Equal(tt.want))
		})
	}
}

func TestFindMatchingUntoleratedTaint(t *testing.T) {
	noSchedule := corev1.Taint{Key: "a", Value: "1", Effect: corev1.TaintEffectNoSchedule}
	noExecute := corev1.Taint{Key: "b", Effect: corev1.TaintEffectNoExecute}
	prefer := corev1.Taint{Key: "c", Effect: corev1.TaintEffectPreferNoSchedule}
	tolerateA := corev1.Toleration{Key: "a", Operator: corev1.TolerationOpExists}
	tests := []struct {
		name        string
		taints      []corev1.Taint
		tolerations []corev1.Toleration
		want        *corev1.Taint
	}{
		{"no taints", nil, nil, nil},
		{"PreferNoSchedule never blocks", []corev1.Taint{prefer}, nil, nil},
		{"an untolerated NoSchedule taint", []corev1.Taint{prefer, noSchedule}, nil, &noSchedule},
		{"an untolerated NoExecute taint", []corev1.Taint{noExecute}, nil, &noExecute},
		{"the first untolerated taint in the cluster's order", []corev1.Taint{noSchedule, noExecute}, nil, &noSchedule},
		{"a tolerated taint is skipped", []corev1.Taint{noSchedule, noExecute}, []corev1.Toleration{tolerateA}, &noExecute},
		{"everything tolerated", []corev1.Taint{noSchedule, noExecute, prefer}, []corev1.Toleration{{Operator: corev1.TolerationOpExists}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			got, untolerated := findMatchingUntoleratedTaint(tt.taints, tt.tolerations)
			if tt.want == nil {
				g.Expect(untolerated).To(BeFalse())
				return
			}
			g.Expect(untolerated).To(BeTrue())
			g.Expect(*got).To(Equal(*tt.want))
		})
	}
}
