package credentials

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// kubeconfigSource says how far a kubeconfig is trusted.
type kubeconfigSource struct {
	// path is the file the kubeconfig was read from; relative file references resolve
	// against its directory. Empty for a kubeconfig from a Secret.
	path string
	// selfContained rejects kubeconfigs that run commands or read files on the hub. Anyone
	// who can write a Secret in the hub's namespace could otherwise make the hub run an exec
	// plugin or send one of its own files (its service account token, say) to a server of
	// their choosing.
	selfContained bool
}

// configFromKubeconfig builds the Config of data's current context. Its errors describe
// the kubeconfig's shape, never its values.
func configFromKubeconfig(data []byte, src kubeconfigSource) (*rest.Config, error) {
	kc, err := clientcmd.Load(data)
	if err != nil {
		return nil, fmt.Errorf("not a valid kubeconfig: %s", redactQuoted(err))
	}
	if kc.CurrentContext == "" {
		return nil, errors.New("the kubeconfig has no current-context")
	}
	if src.selfContained {
		if err := checkSelfContained(kc); err != nil {
			return nil, err
		}
	}
	if src.path != "" {
		// clientcmd.Load does not record where entries came from.
		for _, a := range kc.AuthInfos {
			a.LocationOfOrigin = src.path
		}
		for _, c := range kc.Clusters {
			c.LocationOfOrigin = src.path
		}
		if err := clientcmd.ResolveLocalPaths(kc); err != nil {
			return nil, fmt.Errorf("the kubeconfig's file references: %s", redactQuoted(err))
		}
	}
	cfg, err := clientcmd.NewNonInteractiveClientConfig(*kc, kc.CurrentContext, &clientcmd.ConfigOverrides{}, nil).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("the kubeconfig is not usable: %s", redactQuoted(err))
	}
	return cfg, nil
}

// checkSelfContained rejects exec plugins, auth providers and file references, naming the
// user or cluster entry and the field.
func checkSelfContained(kc *clientcmdapi.Config) error {
	var found []string
	for name, a := range kc.AuthInfos {
		for field, set := range map[string]bool{
			"exec":               a.Exec != nil,
			"auth-provider":      a.AuthProvider != nil,
			"tokenFile":          a.TokenFile != "",
			"client-certificate": a.ClientCertificate != "",
			"client-key":         a.ClientKey != "",
		} {
			if set {
				found = append(found, fmt.Sprintf("user %s: %s", name, field))
			}
		}
	}
	for name, c := range kc.Clusters {
		if c.CertificateAuthority != "" {
			found = append(found, fmt.Sprintf("cluster %s: certificate-authority", name))
		}
	}
	if len(found) == 0 {
		return nil
	}
	slices.Sort(found)
	return fmt.Errorf("a kubeconfig in a Secret must stand alone, with certificates and tokens inline and no exec plugin or auth provider; "+
		"it has %s", strings.Join(found, ", "))
}
