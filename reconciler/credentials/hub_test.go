package credentials

import (
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
)

func TestHubClientFromKubeconfig(t *testing.T) {
	t.Run("a kubeconfig file", func(t *testing.T) {
		g := NewWithT(t)
		path := filepath.Join(t.TempDir(), "hub.kubeconfig")
		g.Expect(os.WriteFile(path, kubeconfig(t, "https://hub.example:6443", testToken), 0o600)).To(Succeed())
		hub, err := HubClientFromKubeconfig(path)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(hub).NotTo(BeNil())
	})
	t.Run("a missing kubeconfig file", func(t *testing.T) {
		g := NewWithT(t)
		path := filepath.Join(t.TempDir(), "hub.kubeconfig")
		hub, err := HubClientFromKubeconfig(path)
		g.Expect(err).To(MatchError(ContainSubstring("hub kubeconfig " + path)))
		g.Expect(hub).To(BeNil())
	})
	t.Run("neither a file nor a cluster", func(t *testing.T) {
		g := NewWithT(t)
		t.Setenv("KUBERNETES_SERVICE_HOST", "")
		hub, err := HubClientFromKubeconfig("")
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(hub).To(BeNil())
	})
	t.Run("in a cluster without a service account token", func(t *testing.T) {
		if _, err := os.Stat("/var/run/secrets/kubernetes.io/serviceaccount/token"); err == nil {
			t.Skip("this test runs in a pod with a service account")
		}
		g := NewWithT(t)
		t.Setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
		t.Setenv("KUBERNETES_SERVICE_PORT", "443")
		hub, err := HubClientFromKubeconfig("")
		g.Expect(err).To(MatchError(ContainSubstring("in-cluster configuration")))
		g.Expect(hub).To(BeNil())
	})
}
