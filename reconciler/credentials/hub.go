package credentials

import (
	"fmt"
	"os"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// HubClientFromKubeconfig returns a client of the hub's own cluster, for Resolver.Hub: from
// the kubeconfig file at path (--hub-kubeconfig) when path is set, else from the pod's
// service account when the hub runs in a cluster (KUBERNETES_SERVICE_HOST is set). It
// returns nil and no error when neither applies: the hub then has no cluster, and only a
// credentials directory can hold member credentials.
func HubClientFromKubeconfig(path string) (kubernetes.Interface, error) {
	var cfg *rest.Config
	var err error
	switch {
	case path != "":
		cfg, err = clientcmd.BuildConfigFromFlags("", path)
		if err != nil {
			return nil, fmt.Errorf("hub kubeconfig %s: %s", path, redactQuoted(err))
		}
	case os.Getenv("KUBERNETES_SERVICE_HOST") != "":
		cfg, err = rest.InClusterConfig()
		if err != nil {
			return nil, fmt.Errorf("hub cluster: in-cluster configuration: %w", err)
		}
	default:
		return nil, nil
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("hub cluster client: %w", err)
	}
	return client, nil
}
