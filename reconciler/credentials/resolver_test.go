package credentials

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/membership"
)

func fakeHub(objects ...runtime.Object) *fake.Clientset { return fake.NewClientset(objects...) }

// TestResolvePrecedence follows DESIGN §1.1: a Secret named by spec.secretRef, read from the
// hub's cluster, wins over a credentials directory; without a hub cluster, the directory.
func TestResolvePrecedence(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "eu-1.kubeconfig"), kubeconfig(t, "https://from-dir:6443", testToken), 0o600); err != nil {
		t.Fatal(err)
	}
	hub := fakeHub(secret("eu-1-creds", map[string][]byte{SecretKubeconfigKey: kubeconfig(t, "https://from-secret:6443", testToken)}))
	for _, tc := range []struct {
		name     string
		resolver Resolver
		cluster  *v1alpha1.Cluster
		want     string // the Config's host
		wantErr  []string
	}{
		{name: "secretRef and a hub cluster: the Secret, even with a directory",
			resolver: Resolver{Dir: dir, Hub: hub}, cluster: cluster("eu-1-creds", ""), want: "https://from-secret:6443"},
		{name: "secretRef without a hub cluster: the directory",
			resolver: Resolver{Dir: dir}, cluster: cluster("eu-1-creds", ""), want: "https://from-dir:6443"},
		{name: "no secretRef: the directory, even with a hub cluster",
			resolver: Resolver{Dir: dir, Hub: hub}, cluster: cluster("", ""), want: "https://from-dir:6443"},
		{name: "a missing Secret does not fall back to the directory",
			resolver: Resolver{Dir: dir, Hub: hub}, cluster: cluster("other", ""),
			wantErr: []string{"Secret fleet/other", "does not exist"}},
		{name: "secretRef, no hub cluster, no directory",
			resolver: Resolver{}, cluster: cluster("eu-1-creds", ""),
			wantErr: []string{"no credentials for cluster eu-1", "Secret fleet/eu-1-creds", "--hub-kubeconfig", "--credentials-dir"}},
		{name: "nothing at all",
			resolver: Resolver{Hub: hub}, cluster: cluster("", ""),
			wantErr: []string{"no credentials for cluster eu-1: ", "--credentials-dir", "spec.secretRef"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			creds, err := tc.resolver.Resolve(context.Background(), tc.cluster)
			if tc.wantErr != nil {
				g.Expect(err).To(MatchError(ErrNoCredentials))
				t.Log(err)
				for _, want := range tc.wantErr {
					g.Expect(err.Error()).To(ContainSubstring(want))
				}
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(creds.Config.Host).To(Equal(tc.want))
		})
	}
}

func TestResolveNoCluster(t *testing.T) {
	g := NewWithT(t)
	_, err := (&Resolver{Dir: t.TempDir()}).Resolve(context.Background(), nil)
	g.Expect(err).To(MatchError(ContainSubstring("no cluster given")))
}

// TestMembershipAgrees keeps this package's copies of membership's names equal to them: join
// writes what the controller reads.
func TestMembershipAgrees(t *testing.T) {
	g := NewWithT(t)
	g.Expect(SecretKubeconfigKey).To(Equal(membership.SecretKubeconfigKey))
	g.Expect(KubeconfigPath("/creds", "eu-1")).To(Equal(membership.KubeconfigPath("/creds", "eu-1")))
}
