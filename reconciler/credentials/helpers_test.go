package credentials

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// testToken is a credential no error message may contain.
const testToken = "s3cr3t-t0ken-value"

// testCA is a PEM CA certificate, made for this test binary, that client-go can load.
var testCA = selfSignedCA()

func selfSignedCA() string {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test-ca"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// kubeconfig returns a stand-alone kubeconfig for server that authenticates with token.
func kubeconfig(t testing.TB, server, token string) []byte {
	t.Helper()
	return writeKubeconfig(t, server, &clientcmdapi.AuthInfo{Token: token})
}

func writeKubeconfig(t testing.TB, server string, user *clientcmdapi.AuthInfo) []byte {
	t.Helper()
	kc := clientcmdapi.NewConfig()
	kc.Clusters["c"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: []byte(testCA)}
	kc.AuthInfos["u"] = user
	kc.Contexts["ctx"] = &clientcmdapi.Context{Cluster: "c", AuthInfo: "u"}
	kc.CurrentContext = "ctx"
	data, err := clientcmd.Write(*kc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// cluster returns a Cluster named eu-1; with a Secret name it refers to fleet/<secret>.
func cluster(secret, endpoint string) *v1alpha1.Cluster {
	c := &v1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: "eu-1"}}
	c.Spec.APIEndpoint = endpoint
	if secret != "" {
		c.Spec.SecretRef = &v1alpha1.LocalSecretReference{Namespace: "fleet", Name: secret}
	}
	return c
}

func secret(name string, data map[string][]byte) *corev1.Secret {
	return &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "fleet", Name: name}, Data: data}
}

func isNoCredentials(err error) bool { return errors.Is(err, ErrNoCredentials) }

var updateOptions = metav1.UpdateOptions{}
