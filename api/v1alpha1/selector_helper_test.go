package v1alpha1

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestResourceSelectorMatch(t *testing.T) {
	web := SelectedObject{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web", Labels: map[string]string{"app": "web"}}
	byLabels := func(m map[string]string) *metav1.LabelSelector { return &metav1.LabelSelector{MatchLabels: m} }
	for _, tc := range []struct {
		name string
		sel  ResourceSelector
		want ImplicitPriority
	}{
		{"same kind, nothing else: matches all", ResourceSelector{APIVersion: "apps/v1", Kind: "Deployment"}, PriorityMatchAll},
		{"other apiVersion", ResourceSelector{APIVersion: "apps/v1beta1", Kind: "Deployment"}, PriorityMisMatch},
		{"other kind", ResourceSelector{APIVersion: "apps/v1", Kind: "StatefulSet"}, PriorityMisMatch},
		{"other namespace", ResourceSelector{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "blog"}, PriorityMisMatch},
		{"same namespace", ResourceSelector{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop"}, PriorityMatchAll},
		{"by name", ResourceSelector{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"}, PriorityMatchName},
		{"other name", ResourceSelector{APIVersion: "apps/v1", Kind: "Deployment", Name: "api"}, PriorityMisMatch},
		{"a name makes the label selector irrelevant", ResourceSelector{APIVersion: "apps/v1", Kind: "Deployment", Name: "web", LabelSelector: byLabels(map[string]string{"app": "nope"})}, PriorityMatchName},
		{"by labels", ResourceSelector{APIVersion: "apps/v1", Kind: "Deployment", LabelSelector: byLabels(map[string]string{"app": "web"})}, PriorityMatchLabelSelector},
		{"labels that do not match", ResourceSelector{APIVersion: "apps/v1", Kind: "Deployment", LabelSelector: byLabels(map[string]string{"app": "api"})}, PriorityMisMatch},
		{"an empty label selector matches every label set", ResourceSelector{APIVersion: "apps/v1", Kind: "Deployment", LabelSelector: &metav1.LabelSelector{}}, PriorityMatchLabelSelector},
		{"an invalid label selector matches nothing", ResourceSelector{APIVersion: "apps/v1", Kind: "Deployment", LabelSelector: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Bogus"}}}}, PriorityMisMatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.sel.Match(web); got != tc.want {
				t.Errorf("Match = %d, want %d", got, tc.want)
			}
			if got := CompileSelectors([]ResourceSelector{tc.sel}).HighestPriority(web); got != tc.want {
				t.Errorf("compiled: HighestPriority = %d, want %d", got, tc.want)
			}
		})
	}
	several := []ResourceSelector{
		{APIVersion: "apps/v1", Kind: "Deployment"},
		{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"},
		{APIVersion: "v1", Kind: "Service"},
	}
	if got := HighestPriority(several, web); got != PriorityMatchName {
		t.Errorf("HighestPriority = %d, want PriorityMatchName", got)
	}
	if got := CompileSelectors(several).HighestPriority(web); got != PriorityMatchName {
		t.Errorf("compiled: HighestPriority = %d, want PriorityMatchName", got)
	}
}
