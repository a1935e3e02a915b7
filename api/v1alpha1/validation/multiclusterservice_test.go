package validation

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func validMCS() *v1alpha1.MultiClusterService {
	return &v1alpha1.MultiClusterService{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "shop"},
		Spec: v1alpha1.MultiClusterServiceSpec{
			Types:            []v1alpha1.ExposureType{v1alpha1.ExposureTypeCrossCluster},
			Ports:            []v1alpha1.ExposurePort{{Name: "http", Port: 80}, {Name: "https", Port: 443}},
			ProviderClusters: []v1alpha1.ClusterSelector{{Name: "member-1"}},
			ConsumerClusters: []v1alpha1.ClusterSelector{{Name: "member-2"}, {Name: "member-3"}},
		},
	}
}

func TestValidateMultiClusterService(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(m *v1alpha1.MultiClusterService)
		want   []fieldErrorWant
	}{
		{name: "valid", mutate: func(*v1alpha1.MultiClusterService) {}},
		{name: "valid after defaulting", mutate: func(m *v1alpha1.MultiClusterService) { v1alpha1.SetDefaultsMultiClusterService(m) }},
		{name: "all clusters, all ports", mutate: func(m *v1alpha1.MultiClusterService) {
			m.Spec.Ports, m.Spec.ProviderClusters, m.Spec.ConsumerClusters = nil, nil, nil
		}},
		{name: "the same type twice", mutate: func(m *v1alpha1.MultiClusterService) {
			m.Spec.Types = []v1alpha1.ExposureType{v1alpha1.ExposureTypeCrossCluster, v1alpha1.ExposureTypeCrossCluster}
		}},
		{name: "unnamed port", mutate: func(m *v1alpha1.MultiClusterService) { m.Spec.Ports = []v1alpha1.ExposurePort{{Port: 8080}} }},

		// metadata
		{name: "name not a DNS-1035 label", mutate: func(m *v1alpha1.MultiClusterService) { m.Name = "1web" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "metadata.name", "DNS-1035 label"}}},
		{name: "namespace missing", mutate: func(m *v1alpha1.MultiClusterService) { m.Namespace = "" },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "metadata.namespace", ""}}},

		// types
		{name: "types missing", mutate: func(m *v1alpha1.MultiClusterService) { m.Spec.Types = nil },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "spec.types", "one of CrossCluster or LoadBalancer is required"}}},
		{name: "unknown type", mutate: func(m *v1alpha1.MultiClusterService) { m.Spec.Types = []v1alpha1.ExposureType{"NodePort"} },
			want: []fieldErrorWant{{field.ErrorTypeNotSupported, "spec.types[0]", `supported values: "CrossCluster", "LoadBalancer"`}}},
		{name: "two kinds of type", mutate: func(m *v1alpha1.MultiClusterService) {
			m.Spec.Types = []v1alpha1.ExposureType{v1alpha1.ExposureTypeCrossCluster, v1alpha1.ExposureTypeLoadBalancer}
		}, want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.types", "MultiClusterService types should not contain more than one type"}}},

		// ports
		{name: "port name not a DNS-1123 label", mutate: func(m *v1alpha1.MultiClusterService) { m.Spec.Ports[0].Name = "HTTP" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.ports[0].name", "RFC 1123 label"}}},
		{name: "port name repeated", mutate: func(m *v1alpha1.MultiClusterService) { m.Spec.Ports[1].Name = "http" },
			want: []fieldErrorWant{{field.ErrorTypeDuplicate, "spec.ports[1].name", ""}}},
		{name: "port number zero", mutate: func(m *v1alpha1.MultiClusterService) { m.Spec.Ports[0].Port = 0 },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.ports[0].port", "between 1 and 65535"}}},
		{name: "port number too large", mutate: func(m *v1alpha1.MultiClusterService) { m.Spec.Ports[1].Port = 65536 },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.ports[1].port", "between 1 and 65535"}}},

		// clusters
		{name: "provider cluster name invalid", mutate: func(m *v1alpha1.MultiClusterService) { m.Spec.ProviderClusters[0].Name = "Member_1" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.providerClusters[0].name", "RFC 1123 label"}}},
		{name: "consumer cluster name empty", mutate: func(m *v1alpha1.MultiClusterService) { m.Spec.ConsumerClusters[1].Name = "" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.consumerClusters[1].name", "must be not empty"}}},
		{name: "consumer cluster name too long", mutate: func(m *v1alpha1.MultiClusterService) {
			m.Spec.ConsumerClusters[0].Name = strings.Repeat("c", 49)
		}, want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.consumerClusters[0].name", "must be no more than 48 characters"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validMCS()
			tt.mutate(m)
			expectFieldErrors(t, ValidateMultiClusterService(m), tt.want)
		})
	}
}
