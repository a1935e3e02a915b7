package membership

import (
	"testing"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func TestNewCluster(t *testing.T) {
	endpoint := &Credentials{Server: "https://10.0.0.1:6443"}
	for _, tc := range []struct {
		name    string
		opts    ClusterOptions
		want    string
		wantErr string
	}{
		{name: "push with a credentials directory", opts: ClusterOptions{Name: "eu-1", Credentials: endpoint, Provider: "aws", Zones: []string{"a"}},
			want: `# Member cluster eu-1, joined with ` + "`gitfleet join`" + `.
# Credentials never live in Git: the hub reads eu-1.kubeconfig from its --credentials-dir.
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: eu-1
spec:
  apiEndpoint: https://10.0.0.1:6443
  provider: aws
  syncMode: Push
  zones:
  - a
`},
		{name: "a secret reference, proxy and insecure TLS from the kubeconfig",
			opts: ClusterOptions{Name: "eu-1", SecretNamespace: "hub", Credentials: &Credentials{Server: "https://x", ProxyURL: "http://p:3128", InsecureSkipTLSVerify: true}},
			want: `# Member cluster eu-1, joined with ` + "`gitfleet join`" + `.
# Credentials never live in Git: the hub reads the Secret hub/eu-1 in its own cluster.
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: eu-1
spec:
  apiEndpoint: https://x
  insecureSkipTLSVerification: true
  proxyURL: http://p:3128
  secretRef:
    name: eu-1
    namespace: hub
  syncMode: Push
`},
		{name: "pull without an endpoint", opts: ClusterOptions{Name: "edge", SyncMode: v1alpha1.Pull},
			want: "# Member cluster edge, joined with `gitfleet join`.\napiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: edge\nspec:\n  syncMode: Pull\n"},
		{name: "push without an endpoint", opts: ClusterOptions{Name: "eu-1"}, wantErr: "a Push cluster needs an API endpoint"},
		{name: "a name too long", opts: ClusterOptions{Name: "a123456789012345678901234567890123456789012345678", Credentials: endpoint},
			wantErr: "must be no more than 48 characters"},
		{name: "an endpoint with user info", opts: ClusterOptions{Name: "eu-1", Credentials: &Credentials{Server: "https://u:pw@x"}},
			wantErr: "user information is not permitted"},
		{name: "a bad zone", opts: ClusterOptions{Name: "eu-1", Credentials: endpoint, Zones: []string{"a b"}}, wantErr: "spec.zones[0]"},
		{name: "a bad secret namespace", opts: ClusterOptions{Name: "eu-1", Credentials: endpoint, SecretNamespace: "Hub"}, wantErr: `secret namespace "Hub"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			c, err := NewCluster(tc.opts)
			if tc.wantErr != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
				g.Expect(err.Error()).NotTo(ContainSubstring("pw"))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			data, err := MarshalCluster(c)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(string(data)).To(Equal(tc.want))
		})
	}
}
