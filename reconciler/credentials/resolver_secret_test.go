package credentials

import (
	"context"
	"net/http"
	"testing"

	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/rest"
	k8stesting "k8s.io/client-go/testing"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func TestResolveFromSecret(t *testing.T) {
	const endpoint = "https://eu-1.example:6443"
	for _, tc := range []struct {
		name    string
		cluster func(*v1alpha1.Cluster)
		data    map[string][]byte
		check   func(g *WithT, cfg *rest.Config)
	}{
		{
			name: "a kubeconfig under key kubeconfig",
			data: map[string][]byte{SecretKubeconfigKey: kubeconfig(t, "https://from-kubeconfig:6443", testToken)},
			check: func(g *WithT, cfg *rest.Config) {
				g.Expect(cfg.Host).To(Equal("https://from-kubeconfig:6443"))
				g.Expect(cfg.BearerToken).To(Equal(testToken))
				g.Expect(string(cfg.CAData)).To(Equal(testCA))
			},
		},
		{
			name: "the kubeconfig wins over token and caBundle in the same Secret",
			data: map[string][]byte{
				SecretKubeconfigKey:      kubeconfig(t, "https://from-kubeconfig:6443", testToken),
				v1alpha1.SecretTokenKey:  []byte("another-token"),
				v1alpha1.SecretCADataKey: []byte("another-ca"),
			},
			check: func(g *WithT, cfg *rest.Config) {
				g.Expect(cfg.Host).To(Equal("https://from-kubeconfig:6443"))
				g.Expect(cfg.BearerToken).To(Equal(testToken))
			},
		},
		{
			name: "Karmada's token and caBundle with the Cluster's endpoint",
			data: map[string][]byte{v1alpha1.SecretTokenKey: []byte(testToken + "\n"), v1alpha1.SecretCADataKey: []byte(testCA)},
			check: func(g *WithT, cfg *rest.Config) {
				g.Expect(cfg.Host).To(Equal(endpoint))
				g.Expect(cfg.BearerToken).To(Equal(testToken), "the file's final newline is trimmed")
				g.Expect(string(cfg.CAData)).To(Equal(testCA))
				g.Expect(cfg.Insecure).To(BeFalse())
				g.Expect(cfg.Proxy).To(BeNil())
			},
		},
		{
			name: "a token without caBundle: the system's roots verify",
			data: map[string][]byte{v1alpha1.SecretTokenKey: []byte(testToken)},
			check: func(g *WithT, cfg *rest.Config) {
				g.Expect(cfg.CAData).To(BeEmpty())
				g.Expect(cfg.Insecure).To(BeFalse())
			},
		},
		{
			name:    "insecureSkipTLSVerification drops the CA bundle",
			cluster: func(c *v1alpha1.Cluster) { c.Spec.InsecureSkipTLSVerification = true },
			data:    map[string][]byte{v1alpha1.SecretTokenKey: []byte(testToken), v1alpha1.SecretCADataKey: []byte(testCA)},
			check: func(g *WithT, cfg *rest.Config) {
				g.Expect(cfg.Insecure).To(BeTrue())
				g.Expect(cfg.CAData).To(BeEmpty())
				_, err := rest.TransportFor(cfg)
				g.Expect(err).NotTo(HaveOccurred(), "client-go accepts the Config")
			},
		},
		{
			name:    "proxyURL",
			cluster: func(c *v1alpha1.Cluster) { c.Spec.ProxyURL = "socks5://proxy.example:1080" },
			data:    map[string][]byte{v1alpha1.SecretTokenKey: []byte(testToken)},
			check: func(g *WithT, cfg *rest.Config) {
				g.Expect(cfg.Proxy).NotTo(BeNil())
				req, _ := http.NewRequest(http.MethodGet, endpoint+"/api", nil)
				proxy, err := cfg.Proxy(req)
				g.Expect(err).NotTo(HaveOccurred())
				g.Expect(proxy.String()).To(Equal("socks5://proxy.example:1080"))
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			c := cluster("eu-1-creds", endpoint)
			if tc.cluster != nil {
				tc.cluster(c)
			}
			r := &Resolver{Hub: fake.NewClientset(secret("eu-1-creds", tc.data))}
			creds, err := r.Resolve(context.Background(), c)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(creds.Source).To(Equal("Secret fleet/eu-1-creds"))
			g.Expect(creds.Fingerprint).To(MatchRegexp("^[0-9a-f]{64}$"))
			tc.check(g, creds.Config)
		})
	}
}

func TestResolveFromSecretErrors(t *testing.T) {
	const endpoint = "https://eu-1.example:6443"
	token := map[string][]byte{v1alpha1.SecretTokenKey: []byte(testToken), v1alpha1.SecretCADataKey: []byte(testCA)}
	for _, tc := range []struct {
		name     string
		cluster  func(*v1alpha1.Cluster)
		secret   map[string][]byte // nil: no Secret
		hubErr   error             // what the hub answers instead of the Secret
		want     []string
		terminal bool // wraps ErrNoCredentials
	}{
		{
			name:     "the Secret does not exist",
			want:     []string{"no credentials for cluster eu-1", "Secret fleet/eu-1-creds", "does not exist"},
			terminal: true,
		},
		{
			name:     "neither kubeconfig nor token",
			secret:   map[string][]byte{v1alpha1.SecretCADataKey: []byte(testCA)},
			want:     []string{"no credentials for cluster eu-1", "Secret fleet/eu-1-creds", `"kubeconfig"`, `"token"`},
			terminal: true,
		},
		{
			name:     "an empty token",
			secret:   map[string][]byte{v1alpha1.SecretTokenKey: []byte("\n")},
			want:     []string{"Secret fleet/eu-1-creds", `neither key "kubeconfig" nor key "token"`},
			terminal: true,
		},
		{
			name:     "a token and no apiEndpoint",
			cluster:  func(c *v1alpha1.Cluster) { c.Spec.APIEndpoint = "" },
			secret:   token,
			want:     []string{"no credentials for cluster eu-1", "Secret fleet/eu-1-creds", "spec.apiEndpoint"},
			terminal: true,
		},
		{
			name:     "a proxy URL that does not parse, with a password",
			cluster:  func(c *v1alpha1.Cluster) { c.Spec.ProxyURL = "http://user:" + testToken + "@proxy:%zz" },
			secret:   token,
			want:     []string{"cluster eu-1", "spec.proxyURL is not a valid URL"},
			terminal: true,
		},
		{
			name:     "a proxy URL with another scheme",
			cluster:  func(c *v1alpha1.Cluster) { c.Spec.ProxyURL = "ftp://proxy:21" },
			secret:   token,
			want:     []string{`scheme "ftp"`},
			terminal: true,
		},
		{
			name:     "a kubeconfig that does not parse",
			secret:   map[string][]byte{SecretKubeconfigKey: []byte("apiVersion: v1\nusers: [" + testToken + "\n")},
			want:     []string{"cluster eu-1", `Secret fleet/eu-1-creds, key "kubeconfig"`, "not a valid kubeconfig"},
			terminal: true,
		},
		{
			name:     "a kubeconfig without current context",
			secret:   map[string][]byte{SecretKubeconfigKey: []byte("apiVersion: v1\nkind: Config\n")},
			want:     []string{"no current-context"},
			terminal: true,
		},
		{
			name: "a kubeconfig that runs a command or reads the hub's files",
			secret: map[string][]byte{SecretKubeconfigKey: writeKubeconfig(t, endpoint, &clientcmdapi.AuthInfo{
				Exec:      &clientcmdapi.ExecConfig{Command: "steal", APIVersion: "client.authentication.k8s.io/v1"},
				TokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token",
			})},
			want:     []string{"must stand alone", "user u: exec, user u: tokenFile"},
			terminal: true,
		},
		{
			name:     "a secretRef without namespace",
			cluster:  func(c *v1alpha1.Cluster) { c.Spec.SecretRef.Namespace = "" },
			secret:   token,
			want:     []string{"cluster eu-1", "spec.secretRef needs both a namespace and a name"},
			terminal: true,
		},
		{
			name:   "the hub refuses: worth retrying",
			secret: token,
			hubErr: apierrors.NewForbidden(schema.GroupResource{Resource: "secrets"}, "eu-1-creds", nil),
			want:   []string{"read the credentials of cluster eu-1 from Secret fleet/eu-1-creds", "forbidden"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			c := cluster("eu-1-creds", endpoint)
			if tc.cluster != nil {
				tc.cluster(c)
			}
			hub := fake.NewClientset()
			if tc.secret != nil {
				hub = fake.NewClientset(secret("eu-1-creds", tc.secret))
			}
			if tc.hubErr != nil {
				hub.PrependReactor("get", "secrets", func(k8stesting.Action) (bool, runtime.Object, error) {
					return true, nil, tc.hubErr
				})
			}
			creds, err := (&Resolver{Hub: hub}).Resolve(context.Background(), c)
			g.Expect(creds).To(BeNil())
			g.Expect(err).To(HaveOccurred())
			t.Log(err)
			for _, want := range tc.want {
				g.Expect(err.Error()).To(ContainSubstring(want))
			}
			g.Expect(err.Error()).NotTo(ContainSubstring(testToken), "errors never hold credentials")
			g.Expect(err.Error()).NotTo(ContainSubstring(testCA[40:80]), "errors never hold credentials")
			g.Expect(err).To(WithTransform(isNoCredentials, Equal(tc.terminal)))
		})
	}
}

func TestFingerprint(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	hub := fake.NewClientset(secret("eu-1-creds", map[string][]byte{
		v1alpha1.SecretTokenKey: []byte(testToken), v1alpha1.SecretCADataKey: []byte(testCA),
	}))
	r := &Resolver{Hub: hub}
	c := cluster("eu-1-creds", "https://eu-1.example:6443")
	fingerprint := func() string {
		t.Helper()
		creds, err := r.Resolve(ctx, c)
		g.Expect(err).NotTo(HaveOccurred())
		return creds.Fingerprint
	}
	update := func(data map[string][]byte) {
		t.Helper()
		_, err := hub.CoreV1().Secrets("fleet").Update(ctx, secret("eu-1-creds", data), updateOptions)
		g.Expect(err).NotTo(HaveOccurred())
	}

	first := fingerprint()
	g.Expect(fingerprint()).To(Equal(first), "unchanged credentials keep their fingerprint")

	update(map[string][]byte{v1alpha1.SecretTokenKey: []byte("rotated"), v1alpha1.SecretCADataKey: []byte(testCA)})
	rotated := fingerprint()
	g.Expect(rotated).NotTo(Equal(first), "a rotated token")

	update(map[string][]byte{v1alpha1.SecretTokenKey: []byte("rotated"), v1alpha1.SecretCADataKey: []byte("new CA")})
	g.Expect(fingerprint()).NotTo(Equal(rotated), "a new CA bundle")

	update(map[string][]byte{v1alpha1.SecretTokenKey: []byte(testToken), v1alpha1.SecretCADataKey: []byte(testCA)})
	g.Expect(fingerprint()).To(Equal(first), "the same inputs again")

	for _, change := range []func(*v1alpha1.Cluster){
		func(c *v1alpha1.Cluster) { c.Spec.APIEndpoint = "https://eu-1.example:7443" },
		func(c *v1alpha1.Cluster) { c.Spec.ProxyURL = "http://proxy:3128" },
		func(c *v1alpha1.Cluster) { c.Spec.InsecureSkipTLSVerification = true },
	} {
		c = cluster("eu-1-creds", "https://eu-1.example:6443")
		change(c)
		g.Expect(fingerprint()).NotTo(Equal(first), "a changed Cluster spec")
	}
	c = cluster("eu-1-creds", "https://eu-1.example:6443")

	kc := kubeconfig(t, "https://eu-1.example:6443", testToken)
	update(map[string][]byte{SecretKubeconfigKey: kc})
	fromKubeconfig := fingerprint()
	g.Expect(fromKubeconfig).NotTo(Equal(first))
	c.Spec.APIEndpoint = "https://ignored:1"
	g.Expect(fingerprint()).To(Equal(fromKubeconfig), "a kubeconfig Secret does not use spec.apiEndpoint")
	update(map[string][]byte{SecretKubeconfigKey: kubeconfig(t, "https://eu-1.example:6443", "rotated")})
	g.Expect(fingerprint()).NotTo(Equal(fromKubeconfig), "a rotated kubeconfig")
}
