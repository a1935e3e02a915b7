package validation

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func resources(kv ...string) corev1.ResourceList {
	list := corev1.ResourceList{}
	for i := 0; i < len(kv); i += 2 {
		list[corev1.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
	}
	return list
}

func TestValidateFederatedResourceQuota(t *testing.T) {
	tests := []struct {
		name string
		edit func(*v1alpha1.FederatedResourceQuota)
		want []wantErr
	}{
		{name: "overall covering two static assignments"},
		{
			name: "quota resource names: prefixed, counted, hugepages and extended resources",
			edit: func(q *v1alpha1.FederatedResourceQuota) {
				q.Spec.Overall = resources("requests.cpu", "2", "count/deployments.apps", "5", "hugepages-2Mi", "1Gi",
					"requests.nvidia.com/gpu", "2", "pods", "10", "services.loadbalancers", "1")
				q.Spec.StaticAssignments = nil
			},
		},
		{
			name: "overall may equal the sum of assignments",
			edit: func(q *v1alpha1.FederatedResourceQuota) { q.Spec.Overall = resources("cpu", "6", "memory", "12Gi") },
		},

		// Metadata.
		{
			name: "name is at most 63 characters",
			edit: func(q *v1alpha1.FederatedResourceQuota) { q.Name = strings.Repeat("q", 64) },
			want: []wantErr{invalid("metadata.name", "must be no more than 63 characters")},
		},
		{
			name: "namespace is required",
			edit: func(q *v1alpha1.FederatedResourceQuota) { q.Namespace = "" },
			want: []wantErr{required("metadata.namespace", "")},
		},

		// Spec.
		{
			name: "overall is required",
			edit: func(q *v1alpha1.FederatedResourceQuota) { q.Spec.Overall, q.Spec.StaticAssignments = nil, nil },
			want: []wantErr{required("spec.overall", "")},
		},
		{
			name: "overall is at least the sum of the static assignments",
			edit: func(q *v1alpha1.FederatedResourceQuota) { q.Spec.Overall = resources("cpu", "5", "memory", "16Gi") },
			want: []wantErr{invalid("spec.overall[cpu]", "overall is less than assignments")},
		},
		{
			name: "every assigned resource is part of overall",
			edit: func(q *v1alpha1.FederatedResourceQuota) { q.Spec.Overall = resources("cpu", "10") },
			want: []wantErr{
				invalid("spec.staticAssignments[0].hard[memory]", "assignment resourceName is not exist in overall"),
				invalid("spec.staticAssignments[1].hard[memory]", "assignment resourceName is not exist in overall"),
			},
		},
		{
			name: "quantities are not negative",
			edit: func(q *v1alpha1.FederatedResourceQuota) {
				q.Spec.Overall = resources("cpu", "-1")
				q.Spec.StaticAssignments = nil
			},
			// A negative overall is also below the (empty) sum of assignments, as in Karmada.
			want: []wantErr{
				invalid("spec.overall[cpu]", "must be greater than or equal to 0"),
				invalid("spec.overall[cpu]", "overall is less than assignments"),
			},
		},
		{
			name: "object counts and extended resources are integers",
			edit: func(q *v1alpha1.FederatedResourceQuota) {
				q.Spec.Overall = resources("pods", "1500m", "example.com/gpu", "0.5", "cpu", "0.5")
				q.Spec.StaticAssignments = nil
			},
			want: []wantErr{
				invalid("spec.overall[pods]", "must be an integer"),
				invalid("spec.overall[example.com/gpu]", "must be an integer"),
			},
		},
		{
			name: "unprefixed names must be standard quota resources",
			edit: func(q *v1alpha1.FederatedResourceQuota) {
				q.Spec.Overall = resources("gpus", "1", "storage", "1Gi")
				q.Spec.StaticAssignments = nil
			},
			want: []wantErr{
				invalid("spec.overall[gpus]", "must be a standard resource for quota"),
				invalid("spec.overall[storage]", "must be a standard resource for quota"),
			},
		},
		{
			name: "resource names are qualified names",
			edit: func(q *v1alpha1.FederatedResourceQuota) {
				q.Spec.Overall = resources("example.com/a/b", "1")
				q.Spec.StaticAssignments = nil
			},
			want: []wantErr{invalid("spec.overall[example.com/a/b]", "")},
		},
		{
			name: "assignment clusterName is a DNS label",
			edit: func(q *v1alpha1.FederatedResourceQuota) { q.Spec.StaticAssignments[0].ClusterName = "Member_1" },
			want: []wantErr{invalid("spec.staticAssignments[0].clusterName", "")},
		},
		{
			name: "assignment clusterName is at most 48 characters",
			edit: func(q *v1alpha1.FederatedResourceQuota) {
				q.Spec.StaticAssignments[1].ClusterName = strings.Repeat("m", 49)
			},
			want: []wantErr{invalid("spec.staticAssignments[1].clusterName", "must be no more than 48 characters")},
		},
		{
			name: "assignment clusterName is required",
			edit: func(q *v1alpha1.FederatedResourceQuota) { q.Spec.StaticAssignments[0].ClusterName = "" },
			want: []wantErr{required("spec.staticAssignments[0].clusterName", "")},
		},
		{
			name: "one assignment per cluster",
			edit: func(q *v1alpha1.FederatedResourceQuota) { q.Spec.StaticAssignments[1].ClusterName = "m1" },
			want: []wantErr{duplicated("spec.staticAssignments[1].clusterName", "")},
		},
		{
			name: "assignment hard is required",
			edit: func(q *v1alpha1.FederatedResourceQuota) {
				q.Spec.StaticAssignments = []v1alpha1.StaticClusterAssignment{{ClusterName: "m1"}}
			},
			want: []wantErr{required("spec.staticAssignments[0].hard", "")},
		},
		{
			name: "assignment hard lists are validated like overall",
			edit: func(q *v1alpha1.FederatedResourceQuota) { q.Spec.StaticAssignments[0].Hard = resources("cpu", "-2") },
			want: []wantErr{invalid("spec.staticAssignments[0].hard[cpu]", "must be greater than or equal to 0")},
		},

		// Status.
		{
			name: "status resource lists and cluster names are validated",
			edit: func(q *v1alpha1.FederatedResourceQuota) {
				q.Status = v1alpha1.FederatedResourceQuotaStatus{
					Overall:     resources("cpu", "10"),
					OverallUsed: resources("cpu", "-1"),
					AggregatedStatus: []v1alpha1.ClusterQuotaStatus{{
						ClusterName:         "M1",
						ResourceQuotaStatus: corev1.ResourceQuotaStatus{Hard: resources("pods", "0.5"), Used: resources("pods", "1")},
					}},
				}
			},
			want: []wantErr{
				invalid("status.overallUsed[cpu]", "must be greater than or equal to 0"),
				invalid("status.aggregatedStatus[0].clusterName", ""),
				invalid("status.aggregatedStatus[0].hard[pods]", "must be an integer"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &v1alpha1.FederatedResourceQuota{
				ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "quota"},
				Spec: v1alpha1.FederatedResourceQuotaSpec{
					Overall: resources("cpu", "10", "memory", "20Gi"),
					StaticAssignments: []v1alpha1.StaticClusterAssignment{
						{ClusterName: "m1", Hard: resources("cpu", "4", "memory", "8Gi")},
						{ClusterName: "m2", Hard: resources("cpu", "2", "memory", "4Gi")},
					},
				},
			}
			if tt.edit != nil {
				tt.edit(q)
			}
			v1alpha1.SetDefaultsFederatedResourceQuota(q)
			expectErrors(t, ValidateFederatedResourceQuota(q), tt.want...)
		})
	}
}
