package validation

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// fieldErrorWant is one expected validation error: its type, its exact path and a fragment of
// its detail.
type fieldErrorWant struct {
	typ    field.ErrorType
	path   string
	detail string
}

// expectFieldErrors fails the test unless got holds exactly the wanted errors, in order.
func expectFieldErrors(t *testing.T, got field.ErrorList, want []fieldErrorWant) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%s", len(got), len(want), formatFieldErrors(got))
	}
	for i, w := range want {
		g := got[i]
		if g.Type != w.typ || g.Field != w.path || !strings.Contains(g.Detail, w.detail) {
			t.Errorf("error %d: got {%s %s %q}, want {%s %s ...%q...}", i, g.Type, g.Field, g.Detail, w.typ, w.path, w.detail)
		}
	}
}

func formatFieldErrors(errs field.ErrorList) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("  " + e.Error() + "\n")
	}
	return b.String()
}

func validCluster() *v1alpha1.Cluster {
	return &v1alpha1.Cluster{
		ObjectMeta: metav1.ObjectMeta{Name: "member-1"},
		Spec: v1alpha1.ClusterSpec{
			SyncMode:    v1alpha1.Push,
			APIEndpoint: "https://10.0.0.1:6443",
			SecretRef:   &v1alpha1.LocalSecretReference{Namespace: "karmada-cluster", Name: "member-1"},
			Provider:    "aws",
			Region:      "eu-west-1",
			Zones:       []string{"eu-west-1a", "eu-west-1b"},
			Taints: []corev1.Taint{
				{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule},
				{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoExecute},
			},
		},
	}
}

// cpuModel builds a resource model with one cpu range.
func cpuModel(grade uint, minimum, maximum string) v1alpha1.ResourceModel {
	return v1alpha1.ResourceModel{Grade: grade, Ranges: []v1alpha1.ResourceModelRange{
		{Name: corev1.ResourceCPU, Min: resource.MustParse(minimum), Max: resource.MustParse(maximum)},
	}}
}

func TestValidateCluster(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *v1alpha1.Cluster)
		want   []fieldErrorWant
	}{
		{name: "valid", mutate: func(*v1alpha1.Cluster) {}},
		{name: "valid after defaulting", mutate: func(c *v1alpha1.Cluster) {
			c.Spec.Zones = nil
			c.Spec.Zone = "eu-west-1a"
			v1alpha1.SetDefaultsCluster(c, metav1.Unix(1700000000, 0))
		}},
		{name: "pull cluster needs no endpoint", mutate: func(c *v1alpha1.Cluster) {
			c.Spec.SyncMode = v1alpha1.Pull
			c.Spec.APIEndpoint = ""
			c.Spec.SecretRef = nil
		}},

		// metadata
		{name: "name missing", mutate: func(c *v1alpha1.Cluster) { c.Name = "" },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "metadata.name", "name or generateName is required"}}},
		{name: "name of 48 characters", mutate: func(c *v1alpha1.Cluster) { c.Name = strings.Repeat("a", 48) }},
		{name: "name longer than 48 characters", mutate: func(c *v1alpha1.Cluster) { c.Name = strings.Repeat("a", 49) },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "metadata.name", "must be no more than 48 characters"}}},
		{name: "name not a DNS-1123 label", mutate: func(c *v1alpha1.Cluster) { c.Name = "Member_1" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "metadata.name", "RFC 1123 label"}}},
		{name: "namespace on a cluster-scoped kind", mutate: func(c *v1alpha1.Cluster) { c.Namespace = "default" },
			want: []fieldErrorWant{{field.ErrorTypeForbidden, "metadata.namespace", "not allowed on this type"}}},
		{name: "invalid label", mutate: func(c *v1alpha1.Cluster) { c.Labels = map[string]string{"bad key": "x"} },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "metadata.labels", "name part must consist of"}}},

		// id
		{name: "id too long", mutate: func(c *v1alpha1.Cluster) { c.Spec.ID = strings.Repeat("x", 128001) },
			want: []fieldErrorWant{{field.ErrorTypeTooLong, "spec.id", "128000"}}},

		// syncMode
		{name: "syncMode missing", mutate: func(c *v1alpha1.Cluster) { c.Spec.SyncMode = "" },
			want: []fieldErrorWant{
				{field.ErrorTypeRequired, "spec.syncMode", ""},
				{field.ErrorTypeNotSupported, "spec.syncMode", `supported values: "Pull", "Push"`},
			}},
		{name: "syncMode not Push or Pull", mutate: func(c *v1alpha1.Cluster) { c.Spec.SyncMode = "push" },
			want: []fieldErrorWant{{field.ErrorTypeNotSupported, "spec.syncMode", `supported values: "Pull", "Push"`}}},

		// apiEndpoint
		{name: "apiEndpoint not a URL", mutate: func(c *v1alpha1.Cluster) { c.Spec.APIEndpoint = "10.0.0.1:6443" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.apiEndpoint", "apiEndpoint must be a valid URL"}}},
		{name: "apiEndpoint without host", mutate: func(c *v1alpha1.Cluster) { c.Spec.APIEndpoint = "member.example.com" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.apiEndpoint", "host must be provided"}}},
		{name: "apiEndpoint with user information", mutate: func(c *v1alpha1.Cluster) { c.Spec.APIEndpoint = "https://admin:secret@10.0.0.1" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.apiEndpoint", "user information is not permitted in the URL"}}},
		{name: "apiEndpoint with fragment", mutate: func(c *v1alpha1.Cluster) { c.Spec.APIEndpoint = "https://10.0.0.1#top" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.apiEndpoint", "fragments are not permitted in the URL"}}},
		{name: "apiEndpoint with query", mutate: func(c *v1alpha1.Cluster) { c.Spec.APIEndpoint = "https://10.0.0.1?x=1" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.apiEndpoint", "query parameters are not permitted in the URL"}}},
		{name: "http apiEndpoint is accepted", mutate: func(c *v1alpha1.Cluster) { c.Spec.APIEndpoint = "http://10.0.0.1:8080" }},

		// secret references
		{name: "secretRef without namespace", mutate: func(c *v1alpha1.Cluster) { c.Spec.SecretRef.Namespace = "" },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "spec.secretRef.namespace", ""}}},
		{name: "secretRef without name", mutate: func(c *v1alpha1.Cluster) { c.Spec.SecretRef.Name = "" },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "spec.secretRef.name", ""}}},
		{name: "impersonatorSecretRef empty", mutate: func(c *v1alpha1.Cluster) { c.Spec.ImpersonatorSecretRef = &v1alpha1.LocalSecretReference{} },
			want: []fieldErrorWant{
				{field.ErrorTypeRequired, "spec.impersonatorSecretRef.namespace", ""},
				{field.ErrorTypeRequired, "spec.impersonatorSecretRef.name", ""},
			}},

		// proxyURL
		{name: "proxyURL socks5", mutate: func(c *v1alpha1.Cluster) { c.Spec.ProxyURL = "socks5://proxy:1080" }},
		{name: "proxyURL with unsupported scheme", mutate: func(c *v1alpha1.Cluster) { c.Spec.ProxyURL = "ftp://proxy:21" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.proxyURL", `unsupported scheme "ftp", must be http, https, or socks5`}}},
		{name: "proxyURL not a URL", mutate: func(c *v1alpha1.Cluster) { c.Spec.ProxyURL = "http://[::1" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.proxyURL", "proxyURL must be a valid URL"}}},

		// provider, region, zones
		{name: "provider not a label value", mutate: func(c *v1alpha1.Cluster) { c.Spec.Provider = "aws cloud" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.provider", "a valid label must be"}}},
		{name: "region not a label value", mutate: func(c *v1alpha1.Cluster) { c.Spec.Region = "-eu" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.region", "a valid label must be"}}},
		{name: "deprecated zone not a label value", mutate: func(c *v1alpha1.Cluster) { c.Spec.Zones = nil; c.Spec.Zone = "zone a" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.zone", "a valid label must be"}}},
		{name: "zones entry not a label value", mutate: func(c *v1alpha1.Cluster) { c.Spec.Zones[1] = "zone_b_" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.zones[1]", "a valid label must be"}}},
		{name: "zone and zones together", mutate: func(c *v1alpha1.Cluster) { c.Spec.Zone = "eu-west-1c" },
			want: []fieldErrorWant{{field.ErrorTypeForbidden, "spec.zone", "Zone and Zones cannot co-exist"}}},

		// taints
		{name: "taint key not a qualified name", mutate: func(c *v1alpha1.Cluster) { c.Spec.Taints[0].Key = "bad key" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.taints[0].key", "name part must consist of"}}},
		{name: "taint value not a label value", mutate: func(c *v1alpha1.Cluster) { c.Spec.Taints[0].Value = "gpu!" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.taints[0].value", "a valid label must be"}}},
		{name: "taint effect missing", mutate: func(c *v1alpha1.Cluster) { c.Spec.Taints[1].Effect = "" },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "spec.taints[1].effect", ""}}},
		{name: "taint effect PreferNoSchedule", mutate: func(c *v1alpha1.Cluster) { c.Spec.Taints[1].Effect = corev1.TaintEffectPreferNoSchedule },
			want: []fieldErrorWant{{field.ErrorTypeNotSupported, "spec.taints[1].effect", `supported values: "NoSchedule", "NoExecute"`}}},
		{name: "taints duplicated by key and effect", mutate: func(c *v1alpha1.Cluster) {
			c.Spec.Taints[1].Effect = corev1.TaintEffectNoSchedule
			c.Spec.Taints[1].Value = "other"
		}, want: []fieldErrorWant{{field.ErrorTypeDuplicate, "spec.taints[1]", "taints must be unique by key and effect pair"}}},

		// resource models
		{name: "resource models in any order and with open ends", mutate: func(c *v1alpha1.Cluster) {
			c.Spec.ResourceModels = []v1alpha1.ResourceModel{cpuModel(2, "4", "5"), cpuModel(0, "1", "2"), cpuModel(1, "2", "4")}
		}},
		{name: "resource model bounds compared by value", mutate: func(c *v1alpha1.Cluster) {
			c.Spec.ResourceModels = []v1alpha1.ResourceModel{cpuModel(0, "0", "1"), cpuModel(1, "1000m", "2")}
		}},
		{name: "resource model grades repeated", mutate: func(c *v1alpha1.Cluster) {
			c.Spec.ResourceModels = []v1alpha1.ResourceModel{cpuModel(0, "0", "1"), cpuModel(0, "1", "2")}
		}, want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.resourceModels[1].grade", "The grade of each models should not be the same"}}},
		{name: "resource models with different numbers of resources", mutate: func(c *v1alpha1.Cluster) {
			second := cpuModel(1, "1", "2")
			second.Ranges = append(second.Ranges, v1alpha1.ResourceModelRange{Name: corev1.ResourceMemory, Min: resource.MustParse("0"), Max: resource.MustParse("1Gi")})
			c.Spec.ResourceModels = []v1alpha1.ResourceModel{cpuModel(0, "0", "1"), second}
		}, want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.resourceModels[1].ranges", "The number of resource types should be the same"}}},
		{name: "resource model max not above min", mutate: func(c *v1alpha1.Cluster) {
			c.Spec.ResourceModels = []v1alpha1.ResourceModel{cpuModel(0, "0", "2"), cpuModel(1, "2", "2"), cpuModel(2, "2", "8")}
		}, want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.resourceModels[1].ranges[0].max", "The max value of each resource must be greater than the min value"}}},
		{name: "resource models name different resources", mutate: func(c *v1alpha1.Cluster) {
			second := cpuModel(1, "1", "2")
			second.Ranges[0].Name = corev1.ResourceMemory
			c.Spec.ResourceModels = []v1alpha1.ResourceModel{cpuModel(0, "0", "1"), second}
		}, want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.resourceModels[1].ranges[0].name", "The resource types of each models should be the same"}}},
		{name: "resource models not contiguous", mutate: func(c *v1alpha1.Cluster) {
			// Written out of order: the gap is reported on the model as written (index 0).
			c.Spec.ResourceModels = []v1alpha1.ResourceModel{cpuModel(1, "2", "4"), cpuModel(0, "0", "1")}
		}, want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.resourceModels[0].ranges[0].min", "Model intervals for resources must be contiguous and non-overlapping"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCluster()
			tt.mutate(c)
			expectFieldErrors(t, ValidateCluster(c), tt.want)
		})
	}
}

func TestValidateClusterName(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{name: "member-1"},
		{name: strings.Repeat("a", 48)},
		{name: "", want: "must be not empty"},
		{name: strings.Repeat("a", 49), want: "must be no more than 48 characters"},
		{name: "Member-1", want: "RFC 1123 label"},
	}
	for _, tt := range tests {
		got := ValidateClusterName(tt.name)
		switch {
		case tt.want == "" && len(got) != 0:
			t.Errorf("ValidateClusterName(%q) = %v, want valid", tt.name, got)
		case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)):
			t.Errorf("ValidateClusterName(%q) = %v, want one error containing %q", tt.name, got, tt.want)
		}
	}
}

func TestValidateClusterAPIEndpointForceHTTPS(t *testing.T) {
	errs := ValidateClusterAPIEndpoint(field.NewPath("spec", "apiEndpoint"), "http://10.0.0.1", true)
	expectFieldErrors(t, errs, []fieldErrorWant{{field.ErrorTypeInvalid, "spec.apiEndpoint", "'https' is the only allowed URL scheme"}})
	expectFieldErrors(t, ValidateClusterAPIEndpoint(field.NewPath("spec", "apiEndpoint"), "https://10.0.0.1", true), nil)
}
