package validation

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func validWorkloadRebalancer() *v1alpha1.WorkloadRebalancer {
	return &v1alpha1.WorkloadRebalancer{
		ObjectMeta: metav1.ObjectMeta{Name: "rebalance-web"},
		Spec: v1alpha1.WorkloadRebalancerSpec{
			Workloads: []v1alpha1.WorkloadReference{
				{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"},
				{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole", Name: "reader"},
			},
		},
	}
}

func TestValidateWorkloadRebalancer(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(w *v1alpha1.WorkloadRebalancer)
		want   []fieldErrorWant
	}{
		{name: "valid", mutate: func(*v1alpha1.WorkloadRebalancer) {}},
		{name: "name missing", mutate: func(w *v1alpha1.WorkloadRebalancer) { w.Name = "" },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "metadata.name", "name or generateName is required"}}},
		{name: "namespace on a cluster-scoped kind", mutate: func(w *v1alpha1.WorkloadRebalancer) { w.Namespace = "shop" },
			want: []fieldErrorWant{{field.ErrorTypeForbidden, "metadata.namespace", "not allowed on this type"}}},
		{name: "no workloads", mutate: func(w *v1alpha1.WorkloadRebalancer) { w.Spec.Workloads = nil },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "spec.workloads", "at least one workload is required"}}},
		{name: "workload apiVersion missing", mutate: func(w *v1alpha1.WorkloadRebalancer) { w.Spec.Workloads[1].APIVersion = "" },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "spec.workloads[1].apiVersion", ""}}},
		{name: "workload kind missing", mutate: func(w *v1alpha1.WorkloadRebalancer) { w.Spec.Workloads[0].Kind = "" },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "spec.workloads[0].kind", ""}}},
		{name: "workload name missing", mutate: func(w *v1alpha1.WorkloadRebalancer) { w.Spec.Workloads[0].Name = "" },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "spec.workloads[0].name", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := validWorkloadRebalancer()
			tt.mutate(w)
			expectFieldErrors(t, ValidateWorkloadRebalancer(w), tt.want)
		})
	}
}
