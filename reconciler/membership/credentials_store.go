package membership

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// SecretKubeconfigKey is the key of the Secret SecretManifest writes that holds the minimal
// kubeconfig, next to Karmada's token and caBundle keys.
const SecretKubeconfigKey = "kubeconfig"

// KubeconfigPath is where a credentials directory holds the kubeconfig of cluster name
// (DESIGN §1.1: <dir>/<cluster>.kubeconfig).
func KubeconfigPath(dir, name string) string {
	return filepath.Join(dir, name+".kubeconfig")
}

// PendingKubeconfig is a kubeconfig written next to its place in a credentials directory,
// not yet in it: Join writes it before committing and moves it into place after, so that a
// failed commit leaves the directory as it was.
type PendingKubeconfig struct {
	tmp, path string
}

// Path is where Commit puts the kubeconfig.
func (p *PendingKubeconfig) Path() string { return p.path }

// StageKubeconfig writes kubeconfig for cluster name into dir (created with mode 0700 if
// missing) under a temporary name, with mode 0600.
func StageKubeconfig(dir, name string, kubeconfig []byte) (*PendingKubeconfig, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("credentials directory: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+name+".kubeconfig-*")
	if err != nil {
		return nil, fmt.Errorf("credentials directory: %w", err)
	}
	tmp := f.Name()
	// CreateTemp makes the file 0600; Chmod guards against an unusual umask or platform.
	err = errors.Join(f.Chmod(0o600), write(f, kubeconfig), f.Sync(), f.Close())
	if err != nil {
		_ = os.Remove(tmp)
		return nil, fmt.Errorf("write the kubeconfig of cluster %s: %w", name, err)
	}
	return &PendingKubeconfig{tmp: tmp, path: KubeconfigPath(dir, name)}, nil
}

func write(f *os.File, data []byte) error {
	_, err := f.Write(data)
	return err
}

// Commit moves the kubeconfig into place, replacing what was there.
func (p *PendingKubeconfig) Commit() error {
	if err := os.Rename(p.tmp, p.path); err != nil {
		return fmt.Errorf("store the kubeconfig: %w", err)
	}
	return nil
}

// Discard removes the staged file; it is a no-op after Commit.
func (p *PendingKubeconfig) Discard() {
	_ = os.Remove(p.tmp)
}

// StoreKubeconfig writes kubeconfig as dir/<name>.kubeconfig with mode 0600, replacing an
// existing file atomically. It returns the file's path.
func StoreKubeconfig(dir, name string, kubeconfig []byte) (string, error) {
	p, err := StageKubeconfig(dir, name, kubeconfig)
	if err != nil {
		return "", err
	}
	if err := p.Commit(); err != nil {
		p.Discard()
		return "", err
	}
	return p.Path(), nil
}

// RemoveKubeconfig deletes dir/<name>.kubeconfig. It reports whether there was one.
func RemoveKubeconfig(dir, name string) (bool, error) {
	err := os.Remove(KubeconfigPath(dir, name))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("remove the credentials of cluster %s: %w", name, err)
	}
	return true, nil
}

// SecretManifest returns the Secret that the hub's cluster must hold for a Cluster whose
// spec.secretRef is ref: the minimal kubeconfig under SecretKubeconfigKey and, when the
// kubeconfig authenticates with a bearer token, Karmada's token and caBundle keys. The
// manifest holds credentials: write it only where the user asked (a 0600 file or stdout).
func SecretManifest(ref v1alpha1.LocalSecretReference, creds *Credentials) ([]byte, error) {
	secret := corev1.Secret{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: metav1.ObjectMeta{Namespace: ref.Namespace, Name: ref.Name},
		Type:       corev1.SecretTypeOpaque,
		Data:       map[string][]byte{SecretKubeconfigKey: creds.Kubeconfig},
	}
	if len(creds.Token) != 0 {
		secret.Data[v1alpha1.SecretTokenKey] = creds.Token
		if len(creds.CAData) != 0 {
			secret.Data[v1alpha1.SecretCADataKey] = creds.CAData
		}
	}
	raw, err := yaml.Marshal(secret)
	if err != nil {
		return nil, errors.New("encoding the Secret manifest failed")
	}
	// metav1.ObjectMeta writes a null creationTimestamp; drop it rather than confuse kubectl
	// diff. It is the only null in the document.
	return removeLine(raw, "  creationTimestamp: null\n"), nil
}

func removeLine(data []byte, line string) []byte {
	out := make([]byte, 0, len(data))
	for len(data) > 0 {
		i := 0
		for i < len(data) && data[i] != '\n' {
			i++
		}
		if i < len(data) {
			i++
		}
		if string(data[:i]) != line {
			out = append(out, data[:i]...)
		}
		data = data[i:]
	}
	return out
}
