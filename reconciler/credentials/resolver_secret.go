package credentials

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// SecretKubeconfigKey is the key of a credentials Secret that holds a kubeconfig. It is
// membership.SecretKubeconfigKey (what `gitfleet join` writes), repeated here so that the
// controller's credentials do not depend on the join command's Git and rendering code; a
// test keeps the two equal.
const SecretKubeconfigKey = "kubeconfig"

// fromSecret builds the cluster's credentials from the Secret its spec.secretRef names: a
// kubeconfig if the Secret has one, else Karmada's token and CA bundle.
func (r *Resolver) fromSecret(ctx context.Context, cluster *v1alpha1.Cluster) (*Credentials, error) {
	ref := cluster.Spec.SecretRef
	if ref.Namespace == "" || ref.Name == "" {
		return nil, fmt.Errorf("%w for cluster %s: its spec.secretRef needs both a namespace and a name", ErrNoCredentials, cluster.Name)
	}
	source := "Secret " + ref.Namespace + "/" + ref.Name
	secret, err := r.Hub.CoreV1().Secrets(ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return nil, fmt.Errorf("%w for cluster %s: %s, named by its spec.secretRef, does not exist in the hub's cluster",
			ErrNoCredentials, cluster.Name, source)
	case err != nil:
		return nil, fmt.Errorf("read the credentials of cluster %s from %s: %w", cluster.Name, source, err)
	}
	if kubeconfig, ok := secret.Data[SecretKubeconfigKey]; ok {
		cfg, err := configFromKubeconfig(kubeconfig, kubeconfigSource{selfContained: true})
		if err != nil {
			return nil, fmt.Errorf("%w for cluster %s: %s, key %q: %w", ErrNoCredentials, cluster.Name, source, SecretKubeconfigKey, err)
		}
		return &Credentials{Config: cfg, Fingerprint: fingerprint([]byte(SecretKubeconfigKey), kubeconfig), Source: source}, nil
	}
	cfg, fp, err := configFromToken(cluster, secret.Data)
	if err != nil {
		return nil, fmt.Errorf("%w for cluster %s: %s: %w", ErrNoCredentials, cluster.Name, source, err)
	}
	return &Credentials{Config: cfg, Fingerprint: fp, Source: source}, nil
}

// configFromToken combines Karmada's token and caBundle keys with the Cluster's endpoint,
// proxy and TLS setting, as Karmada's cluster client does. With
// spec.insecureSkipTLSVerification the CA bundle is not used: client-go refuses a Config
// that both skips verification and names roots. Without a CA bundle the system's roots
// verify the server.
func configFromToken(cluster *v1alpha1.Cluster, data map[string][]byte) (*rest.Config, string, error) {
	spec := cluster.Spec
	// `kubectl create secret --from-file=token` keeps the file's final newline, which is
	// not valid in an Authorization header.
	token := bytes.TrimSpace(data[v1alpha1.SecretTokenKey])
	if len(token) == 0 {
		return nil, "", fmt.Errorf("it has neither key %q nor key %q", SecretKubeconfigKey, v1alpha1.SecretTokenKey)
	}
	if spec.APIEndpoint == "" {
		return nil, "", fmt.Errorf("it holds a token (key %q), which needs the Cluster's spec.apiEndpoint, and that is empty", v1alpha1.SecretTokenKey)
	}
	ca := data[v1alpha1.SecretCADataKey]
	cfg := &rest.Config{Host: spec.APIEndpoint, BearerToken: string(token)}
	if spec.InsecureSkipTLSVerification {
		cfg.TLSClientConfig.Insecure = true
	} else {
		cfg.TLSClientConfig.CAData = ca
	}
	if spec.ProxyURL != "" {
		proxy, err := parseProxyURL(spec.ProxyURL)
		if err != nil {
			return nil, "", err
		}
		cfg.Proxy = http.ProxyURL(proxy)
	}
	fp := fingerprint([]byte(v1alpha1.SecretTokenKey), token, ca, []byte(spec.APIEndpoint), []byte(spec.ProxyURL),
		[]byte(strconv.FormatBool(spec.InsecureSkipTLSVerification)))
	return cfg, fp, nil
}

// parseProxyURL accepts the proxies client-go can dial. The URL may hold a password, so
// errors do not repeat it.
func parseProxyURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("the Cluster's spec.proxyURL is not a valid URL")
	}
	switch u.Scheme {
	case "http", "https", "socks5":
	default:
		return nil, fmt.Errorf("the Cluster's spec.proxyURL has scheme %q; want http, https or socks5", u.Scheme)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("the Cluster's spec.proxyURL has no host")
	}
	return u, nil
}
