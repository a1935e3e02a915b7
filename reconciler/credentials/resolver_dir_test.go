package credentials

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

func TestResolveFromDir(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	data := kubeconfig(t, "https://eu-1.example:6443", testToken)
	g.Expect(os.WriteFile(filepath.Join(dir, "eu-1.kubeconfig"), data, 0o600)).To(Succeed())

	creds, err := (&Resolver{Dir: dir}).Resolve(context.Background(), cluster("", ""))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(creds.Config.Host).To(Equal("https://eu-1.example:6443"))
	g.Expect(creds.Config.BearerToken).To(Equal(testToken))
	g.Expect(creds.Source).To(Equal("file " + filepath.Join(dir, "eu-1.kubeconfig")))

	// The same kubeconfig in a Secret has the same fingerprint: moving credentials from the
	// directory into a Secret does not rebuild clients.
	inSecret, err := (&Resolver{Hub: fakeHub(secret("eu-1-creds", map[string][]byte{SecretKubeconfigKey: data}))}).
		Resolve(context.Background(), cluster("eu-1-creds", ""))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(inSecret.Fingerprint).To(Equal(creds.Fingerprint))
}

func TestResolveFromDirRelativeFiles(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	// The operator's own directory may refer to files, relative to itself.
	data := writeKubeconfig(t, "https://eu-1.example:6443", &clientcmdapi.AuthInfo{TokenFile: "eu-1.token"})
	g.Expect(os.WriteFile(filepath.Join(dir, "eu-1.kubeconfig"), data, 0o600)).To(Succeed())
	g.Expect(os.WriteFile(filepath.Join(dir, "eu-1.token"), []byte(testToken), 0o600)).To(Succeed())

	creds, err := (&Resolver{Dir: dir}).Resolve(context.Background(), cluster("", ""))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(creds.Config.BearerTokenFile).To(Equal(filepath.Join(dir, "eu-1.token")))
}

func TestResolveFromDirErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "eu-1.kubeconfig")
	for _, tc := range []struct {
		name string
		file []byte // nil: no file
		want []string
	}{
		{name: "no file", want: []string{"no credentials for cluster eu-1", path + " does not exist", "--credentials-dir", "spec.secretRef", "--hub-kubeconfig"}},
		{name: "not a kubeconfig", file: []byte("users: [" + testToken + "\n"), want: []string{"no credentials for cluster eu-1", path, "not a valid kubeconfig"}},
		{name: "no current context", file: []byte("apiVersion: v1\nkind: Config\n"), want: []string{path, "no current-context"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			_ = os.Remove(path)
			if tc.file != nil {
				g.Expect(os.WriteFile(path, tc.file, 0o600)).To(Succeed())
			}
			creds, err := (&Resolver{Dir: dir}).Resolve(context.Background(), cluster("", ""))
			g.Expect(creds).To(BeNil())
			g.Expect(err).To(MatchError(ErrNoCredentials))
			t.Log(err)
			for _, want := range tc.want {
				g.Expect(err.Error()).To(ContainSubstring(want))
			}
			g.Expect(err.Error()).NotTo(ContainSubstring(testToken))
		})
	}
}
