package membership

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Credentials are what a kubeconfig says about reaching one member cluster. Its String
// method does not show the kubeconfig, so printing a Credentials value leaks nothing.
type Credentials struct {
	// Context is the kubeconfig context the credentials were read from.
	Context string
	// Server is the API server's URL: the Cluster's spec.apiEndpoint.
	Server string
	// ProxyURL is the proxy the kubeconfig reaches the server through, if any.
	ProxyURL string
	// InsecureSkipTLSVerify is set when the kubeconfig does not verify the server's
	// certificate; the Cluster then says so too (spec.insecureSkipTLSVerification).
	InsecureSkipTLSVerify bool
	// Kubeconfig is a stand-alone kubeconfig with only Context, its cluster and its user,
	// certificate and token files inlined: what StoreKubeconfig writes and a Secret holds.
	Kubeconfig []byte
	// Token is the user's bearer token, if it authenticates with one (Karmada's Secret key
	// "token").
	Token []byte
	// CAData is the PEM CA bundle of the server, if the kubeconfig has one (Karmada's
	// Secret key "caBundle").
	CAData []byte
}

// String names the context and server without revealing any credential.
func (c *Credentials) String() string {
	return fmt.Sprintf("kubeconfig context %q (server %s)", c.Context, c.Server)
}

// GoString is String, so that %#v does not reveal credentials either.
func (c *Credentials) GoString() string { return c.String() }

// LoadKubeconfig reads the context named context (empty: the current context) of the
// kubeconfig file at path. Files the kubeconfig refers to (certificates, keys, a token file)
// are read and inlined, so the minimal kubeconfig it returns stands alone.
func LoadKubeconfig(path, context string) (*Credentials, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read kubeconfig: %w", err)
	}
	cfg, err := clientcmd.Load(data)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig %s is not valid: %s", path, redactQuoted(err.Error()))
	}
	// clientcmd.Load does not record where the entries came from; relative file
	// references are relative to the kubeconfig's directory.
	for _, a := range cfg.AuthInfos {
		a.LocationOfOrigin = path
	}
	for _, c := range cfg.Clusters {
		c.LocationOfOrigin = path
	}
	if context != "" {
		cfg.CurrentContext = context
	}
	if cfg.CurrentContext == "" {
		return nil, fmt.Errorf("kubeconfig %s has no current context: name one with --context", path)
	}
	if _, ok := cfg.Contexts[cfg.CurrentContext]; !ok {
		return nil, fmt.Errorf("kubeconfig %s has no context %q", path, cfg.CurrentContext)
	}
	if err := clientcmdapi.MinifyConfig(cfg); err != nil {
		return nil, fmt.Errorf("kubeconfig %s: %w", path, err)
	}
	if err := clientcmdapi.FlattenConfig(cfg); err != nil {
		// The error names a file the kubeconfig refers to, never its content.
		return nil, fmt.Errorf("kubeconfig %s: reading a file it refers to: %w", path, err)
	}
	kctx := cfg.Contexts[cfg.CurrentContext]
	cluster := cfg.Clusters[kctx.Cluster]
	if cluster == nil || cluster.Server == "" {
		return nil, fmt.Errorf("kubeconfig %s: context %q has no cluster with a server URL", path, cfg.CurrentContext)
	}
	creds := &Credentials{
		Context:               cfg.CurrentContext,
		Server:                cluster.Server,
		ProxyURL:              cluster.ProxyURL,
		InsecureSkipTLSVerify: cluster.InsecureSkipTLSVerify,
		CAData:                cluster.CertificateAuthorityData,
	}
	if user := cfg.AuthInfos[kctx.AuthInfo]; user != nil {
		if user.TokenFile != "" {
			token, err := os.ReadFile(clientcmdapi.ResolvePath(user.TokenFile, filepath.Dir(path)))
			if err != nil {
				return nil, fmt.Errorf("kubeconfig %s: reading the token file of user %q: %w", path, kctx.AuthInfo, err)
			}
			user.Token, user.TokenFile = string(trimNewline(token)), ""
		}
		creds.Token = []byte(user.Token)
	}
	if creds.Kubeconfig, err = clientcmd.Write(*cfg); err != nil {
		return nil, errors.New("encoding the minimal kubeconfig failed")
	}
	return creds, nil
}

// quoted matches the spans YAML and JSON decoders quote from their input.
var quoted = regexp.MustCompile("`[^`]*`|\"[^\"]*\"")

// redactQuoted drops the input a decoder quoted in its error: it may be a token or a key.
func redactQuoted(msg string) string {
	return quoted.ReplaceAllString(msg, "<redacted>")
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
