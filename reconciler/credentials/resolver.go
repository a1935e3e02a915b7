package credentials

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ErrNoCredentials is wrapped by every error that says a cluster's credentials are missing,
// incomplete or unusable: the Secret or file is absent, a key is missing, a kubeconfig does
// not parse. Retrying does not help until someone changes the Secret, the file or the
// Cluster. Errors that do not wrap it (the hub's API server did not answer, say) are worth
// retrying.
var ErrNoCredentials = errors.New("no credentials")

// Resolver finds the credentials of member clusters. Its zero value finds none.
type Resolver struct {
	// Dir is the credentials directory (--credentials-dir), holding <cluster>.kubeconfig for
	// hubs that run outside a cluster. Empty means there is none.
	Dir string
	// Hub is a client of the hub's own cluster, where the Secrets that Clusters name in
	// spec.secretRef live. Nil means the hub has no cluster: spec.secretRef is then ignored
	// in favour of Dir.
	Hub kubernetes.Interface
}

// Credentials are a member cluster's resolved client configuration.
type Credentials struct {
	// Config reaches the member's API server. Resolve returns a new Config each time; the
	// caller may set QPS, Burst and UserAgent on it.
	Config *rest.Config
	// Fingerprint is the hex SHA-256 of the inputs the Config was built from: the kubeconfig's
	// bytes, or the token, CA bundle, API endpoint, proxy URL and TLS setting. It changes when
	// the credentials rotate and only then, so a caller keeps its clients while it is
	// unchanged. Files that a credentials-directory kubeconfig refers to are not covered.
	Fingerprint string
	// Source says where the credentials came from, for logs and status messages:
	// "Secret <namespace>/<name>" or "file <path>".
	Source string
}

// Resolve returns the credentials of cluster. With a Hub client, a cluster whose
// spec.secretRef is set gets them from that Secret, and from nowhere else; otherwise they
// come from <Dir>/<cluster>.kubeconfig.
func (r *Resolver) Resolve(ctx context.Context, cluster *v1alpha1.Cluster) (*Credentials, error) {
	if cluster == nil {
		return nil, errors.New("resolve credentials: no cluster given")
	}
	name, ref := cluster.Name, cluster.Spec.SecretRef
	switch {
	case ref != nil && r.Hub != nil:
		return r.fromSecret(ctx, cluster)
	case r.Dir != "":
		return r.fromDir(name)
	case ref != nil:
		return nil, fmt.Errorf("%w for cluster %s: its spec.secretRef names Secret %s/%s, but the hub has no cluster to read it from "+
			"(give it --hub-kubeconfig or run it in a cluster), and there is no --credentials-dir holding %s.kubeconfig",
			ErrNoCredentials, name, ref.Namespace, ref.Name, name)
	default:
		return nil, fmt.Errorf("%w for cluster %s: give the hub a --credentials-dir holding %s.kubeconfig, "+
			"or give the Cluster a spec.secretRef and the hub a cluster to read the Secret from (--hub-kubeconfig)",
			ErrNoCredentials, name, name)
	}
}

// fingerprint hashes fields, each prefixed with its length so that no two different lists
// of fields hash alike.
func fingerprint(fields ...[]byte) string {
	h := sha256.New()
	for _, f := range fields {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write(f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// quoted matches what decoders quote from their input: yaml uses backticks, JSON double
// quotes. yaml's single quotes surround one expected character ("did not find expected ','").
var quoted = regexp.MustCompile("`[^`]*`|\"[^\"]*\"")

// redactQuoted drops what a decoder quoted from its input in an error message: it may be a
// token or a key.
func redactQuoted(err error) string {
	return quoted.ReplaceAllString(err.Error(), "<redacted>")
}
