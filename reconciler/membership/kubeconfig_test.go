package membership

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/client-go/tools/clientcmd"
)

const secretToken = "t0ken-that-must-not-leak"

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadKubeconfig(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "token"), secretToken+"\n")
	writeFile(t, filepath.Join(dir, "ca.pem"), "CA PEM\n")
	path := writeFile(t, filepath.Join(dir, "config"), `apiVersion: v1
kind: Config
current-context: b
clusters:
- name: ca
  cluster: {server: "https://a.example.com:6443", certificate-authority: ca.pem, proxy-url: "socks5://proxy:1080"}
- name: cb
  cluster: {server: "https://b.example.com", insecure-skip-tls-verify: true}
contexts:
- name: a
  context: {cluster: ca, user: ua}
- name: b
  context: {cluster: cb, user: ub}
- name: nocluster
  context: {user: ua}
users:
- name: ua
  user: {tokenFile: token}
- name: ub
  user: {username: admin, password: pw}
`)

	t.Run("a named context, its files inlined", func(t *testing.T) {
		g := NewWithT(t)
		creds, err := LoadKubeconfig(path, "a")
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(creds.Context).To(Equal("a"))
		g.Expect(creds.Server).To(Equal("https://a.example.com:6443"))
		g.Expect(creds.ProxyURL).To(Equal("socks5://proxy:1080"))
		g.Expect(creds.InsecureSkipTLSVerify).To(BeFalse())
		g.Expect(string(creds.Token)).To(Equal(secretToken))
		g.Expect(string(creds.CAData)).To(Equal("CA PEM\n"))

		min, err := clientcmd.Load(creds.Kubeconfig)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(min.CurrentContext).To(Equal("a"))
		g.Expect(min.Contexts).To(HaveLen(1))
		g.Expect(min.Clusters).To(HaveKey("ca"))
		g.Expect(min.Clusters).To(HaveLen(1))
		g.Expect(min.Clusters["ca"].CertificateAuthority).To(BeEmpty())
		g.Expect(min.AuthInfos["ua"].Token).To(Equal(secretToken))
		g.Expect(min.AuthInfos["ua"].TokenFile).To(BeEmpty())

		for _, s := range []string{creds.String(), fmt.Sprintf("%v %+v %#v", creds, creds, creds)} {
			g.Expect(s).NotTo(ContainSubstring(secretToken))
		}
	})

	t.Run("the current context", func(t *testing.T) {
		g := NewWithT(t)
		creds, err := LoadKubeconfig(path, "")
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(creds.Context).To(Equal("b"))
		g.Expect(creds.InsecureSkipTLSVerify).To(BeTrue())
		g.Expect(creds.Token).To(BeEmpty())
	})

	for _, tc := range []struct {
		name, context, content, want string
	}{
		{"unknown context", "zz", "", `has no context "zz"`},
		{"context without a cluster", "nocluster", "", `context "nocluster" has no cluster with a server URL`},
		{"no current context", "", "apiVersion: v1\nkind: Config\n", "has no current context: name one with --context"},
		{"not a kubeconfig", "", "users: [{name: x, user: {token: [\"" + secretToken + "\"]}}]\n", "is not valid"},
		{"a value quoted in the decoder's error", "", "apiVersion: v1\nkind: Config\nusers: \"" + secretToken + "\"\n", "is not valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			p := path
			if tc.content != "" {
				p = writeFile(t, filepath.Join(t.TempDir(), "config"), tc.content)
			}
			_, err := LoadKubeconfig(p, tc.context)
			g.Expect(err).To(MatchError(ContainSubstring(tc.want)))
			g.Expect(err.Error()).NotTo(ContainSubstring(secretToken))
		})
	}
}
