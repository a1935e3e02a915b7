package membership

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func TestStoreAndRemoveKubeconfig(t *testing.T) {
	g := NewWithT(t)
	dir := filepath.Join(t.TempDir(), "creds")
	path, err := StoreKubeconfig(dir, "eu-1", []byte("first"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(path).To(Equal(filepath.Join(dir, "eu-1.kubeconfig")))
	_, err = StoreKubeconfig(dir, "eu-1", []byte("second"))
	g.Expect(err).NotTo(HaveOccurred())
	info, err := os.Stat(path)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(info.Mode().Perm()).To(Equal(fs.FileMode(0o600)))
	g.Expect(os.ReadFile(path)).To(Equal([]byte("second")))
	dirInfo, err := os.Stat(dir)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(dirInfo.Mode().Perm()).To(Equal(fs.FileMode(0o700)))

	pending, err := StageKubeconfig(dir, "eu-2", []byte("x"))
	g.Expect(err).NotTo(HaveOccurred())
	pending.Discard()
	entries, err := os.ReadDir(dir)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(entries).To(HaveLen(1), "a discarded kubeconfig leaves nothing behind")

	removed, err := RemoveKubeconfig(dir, "eu-1")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(removed).To(BeTrue())
	removed, err = RemoveKubeconfig(dir, "eu-1")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(removed).To(BeFalse())
}

func TestSecretManifest(t *testing.T) {
	g := NewWithT(t)
	ref := v1alpha1.LocalSecretReference{Namespace: "gitfleet-system", Name: "eu-1"}
	data, err := SecretManifest(ref, &Credentials{Kubeconfig: []byte("kc"), Token: []byte("tok"), CAData: []byte("ca")})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(data)).NotTo(ContainSubstring("creationTimestamp"))
	var secret corev1.Secret
	g.Expect(yaml.UnmarshalStrict(data, &secret)).To(Succeed())
	g.Expect(secret.Namespace).To(Equal("gitfleet-system"))
	g.Expect(secret.Name).To(Equal("eu-1"))
	g.Expect(secret.Data).To(Equal(map[string][]byte{"kubeconfig": []byte("kc"), "token": []byte("tok"), "caBundle": []byte("ca")}))

	data, err = SecretManifest(ref, &Credentials{Kubeconfig: []byte("kc"), CAData: []byte("ca")})
	g.Expect(err).NotTo(HaveOccurred())
	secret = corev1.Secret{}
	g.Expect(yaml.UnmarshalStrict(data, &secret)).To(Succeed())
	g.Expect(secret.Data).To(Equal(map[string][]byte{"kubeconfig": []byte("kc")}), "Karmada's keys only for a token")
}
