package credentials

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// KubeconfigPath is where a credentials directory holds the kubeconfig of cluster name
// (DESIGN §1.1), as membership.KubeconfigPath writes it.
func KubeconfigPath(dir, name string) string {
	return filepath.Join(dir, name+".kubeconfig")
}

// fromDir reads the cluster's kubeconfig from the credentials directory. The directory is
// the operator's own, so its kubeconfigs may refer to files (relative to the directory) and
// use exec plugins.
func (r *Resolver) fromDir(name string) (*Credentials, error) {
	path := KubeconfigPath(r.Dir, name)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w for cluster %s: %s does not exist; put the cluster's kubeconfig there (--credentials-dir), "+
			"or give the Cluster a spec.secretRef and the hub a cluster to read the Secret from (--hub-kubeconfig)",
			ErrNoCredentials, name, path)
	case err != nil:
		return nil, fmt.Errorf("read the credentials of cluster %s: %w", name, err)
	}
	cfg, err := configFromKubeconfig(data, kubeconfigSource{path: path})
	if err != nil {
		return nil, fmt.Errorf("%w for cluster %s: %s: %w", ErrNoCredentials, name, path, err)
	}
	return &Credentials{Config: cfg, Fingerprint: fingerprint([]byte(SecretKubeconfigKey), data), Source: "file " + path}, nil
}
