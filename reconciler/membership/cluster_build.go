package membership

import (
	"encoding/json"
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kubevalidation "k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/api/v1alpha1/validation"
)

// ClusterOptions describe the Cluster that NewCluster builds.
type ClusterOptions struct {
	// Name is the cluster's name: a DNS-1123 label of at most 48 characters.
	Name string
	// SyncMode says who applies the cluster's manifests; empty means Push.
	SyncMode v1alpha1.ClusterSyncMode
	// Credentials give the API endpoint, proxy and TLS setting (from LoadKubeconfig).
	Credentials *Credentials
	// SecretNamespace, when set, makes spec.secretRef name the Secret <SecretNamespace>/<Name>
	// in the hub's cluster. Empty means no secretRef: the hub reads the credentials from its
	// --credentials-dir.
	SecretNamespace string
	// Provider, Region and Zones locate the cluster for placement field selectors.
	Provider string
	Region   string
	Zones    []string
	// Labels are the Cluster's labels, matched by placement label selectors.
	Labels map[string]string
}

// NewCluster builds the Cluster that opts describe and validates it as Karmada's cluster
// API would (name rules, endpoint, location, labels).
func NewCluster(opts ClusterOptions) (*v1alpha1.Cluster, error) {
	mode := opts.SyncMode
	if mode == "" {
		mode = v1alpha1.Push
	}
	c := &v1alpha1.Cluster{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.ClusterGroupVersion.String(), Kind: "Cluster"},
		ObjectMeta: metav1.ObjectMeta{Name: opts.Name, Labels: opts.Labels},
		Spec: v1alpha1.ClusterSpec{
			SyncMode: mode,
			Provider: opts.Provider,
			Region:   opts.Region,
			Zones:    opts.Zones,
		},
	}
	if creds := opts.Credentials; creds != nil {
		c.Spec.APIEndpoint = creds.Server
		c.Spec.ProxyURL = creds.ProxyURL
		c.Spec.InsecureSkipTLSVerification = creds.InsecureSkipTLSVerify
	}
	if mode == v1alpha1.Push && c.Spec.APIEndpoint == "" {
		return nil, fmt.Errorf("cluster %s: a Push cluster needs an API endpoint", opts.Name)
	}
	if opts.SecretNamespace != "" {
		if errs := kubevalidation.IsDNS1123Label(opts.SecretNamespace); len(errs) != 0 {
			return nil, fmt.Errorf("cluster %s: secret namespace %q: %s", opts.Name, opts.SecretNamespace, strings.Join(errs, "; "))
		}
		c.Spec.SecretRef = &v1alpha1.LocalSecretReference{Namespace: opts.SecretNamespace, Name: opts.Name}
	}
	if errs := validation.ValidateCluster(c); len(errs) != 0 {
		return nil, fmt.Errorf("cluster %s is not valid: %w", opts.Name, errs.ToAggregate())
	}
	return c, nil
}

// MarshalCluster writes c as the YAML file `gitfleet join` commits: keys sorted as kubectl
// writes them, no status, and a header saying where the credentials are — never the
// credentials themselves.
func MarshalCluster(c *v1alpha1.Cluster) ([]byte, error) {
	raw, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode cluster %s: %w", c.Name, err)
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("encode cluster %s: %w", c.Name, err)
	}
	// A Cluster in the source has no status, and metav1.ObjectMeta writes a null
	// creationTimestamp that means nothing in Git.
	delete(obj, "status")
	if meta, ok := obj["metadata"].(map[string]any); ok {
		delete(meta, "creationTimestamp")
	}
	body, err := yaml.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("encode cluster %s: %w", c.Name, err)
	}
	where := fmt.Sprintf("%s.kubeconfig from its --credentials-dir", c.Name)
	if ref := c.Spec.SecretRef; ref != nil {
		where = fmt.Sprintf("the Secret %s/%s in its own cluster", ref.Namespace, ref.Name)
	}
	header := fmt.Sprintf("# Member cluster %s, joined with `gitfleet join`.\n", c.Name)
	if c.Spec.SyncMode == v1alpha1.Push {
		header += fmt.Sprintf("# Credentials never live in Git: the hub reads %s.\n", where)
	}
	return append([]byte(header), body...), nil
}
