package devcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// Fake nodes carry the annotation kwok manages nodes by and the label users select them by.
const (
	// FakeNodeAnnotation marks a node kwok manages (its value is FakeNodeAnnotationValue).
	FakeNodeAnnotation      = "kwok.x-k8s.io/node"
	FakeNodeAnnotationValue = "fake"
	// FakeNodeLabel is set to FakeNodeLabelValue on every fake node.
	FakeNodeLabel      = "type"
	FakeNodeLabelValue = "kwok"
)

// startWorkloads starts the controller manager, scheduler and kwok of the cluster, creates its
// fake nodes and waits until the nodes are Ready and the controller manager acts.
func (c *Cluster) startWorkloads(ctx context.Context, cs kubernetes.Interface) error {
	f := c.fleet
	caFile := filepath.Join(c.pkiDir(), "ca.crt")
	if err := os.WriteFile(caFile, c.Config.CAData, 0o644); err != nil {
		return err
	}
	kcmConfig, err := c.componentKubeconfig("system:kube-controller-manager")
	if err != nil {
		return err
	}
	schedConfig, err := c.componentKubeconfig("system:kube-scheduler")
	if err != nil {
		return err
	}
	kwokConfig, err := c.componentKubeconfig("kwok")
	if err != nil {
		return err
	}

	// Both serve nothing (--secure-port=0): nothing reads their health endpoints, and free
	// ports would have to be found for every cluster.
	if err := c.launch(ComponentControllerManager, f.bins.controllerManager,
		"--kubeconfig="+kcmConfig,
		"--leader-elect=false",
		"--secure-port=0",
		"--controllers="+strings.Join(f.opts.Controllers, ","),
		// The key the API server verifies service account tokens with (envtest's sa-signer),
		// and the CA published in every namespace's kube-root-ca.crt.
		"--service-account-private-key-file="+filepath.Join(c.pkiDir(), "sa-signer.key"),
		"--root-ca-file="+caFile,
		"--kube-api-qps=100",
		"--kube-api-burst=200",
	); err != nil {
		return err
	}
	if err := c.launch(ComponentScheduler, f.bins.scheduler,
		"--kubeconfig="+schedConfig,
		"--leader-elect=false",
		"--secure-port=0",
	); err != nil {
		return err
	}
	kwokArgs := []string{
		"--kubeconfig=" + kwokConfig,
		"--manage-all-nodes=false",
		"--manage-nodes-with-annotation-selector=" + FakeNodeAnnotation + "=" + FakeNodeAnnotationValue,
		"--cidr=" + podCIDR,
		"--node-ip=127.0.0.1",
	}
	for _, stage := range f.bins.kwokStages {
		kwokArgs = append(kwokArgs, "--config="+stage)
	}
	if err := c.launch(ComponentKwok, f.bins.kwok, kwokArgs...); err != nil {
		return err
	}

	if f.opts.Nodes > 0 {
		if _, err := c.AddFakeNodes(ctx, f.opts.Nodes, f.opts.NodeCapacity); err != nil {
			return err
		}
	}
	// The serviceaccount controller creates "default" in every namespace: once it exists the
	// controller manager is connected and running its controllers.
	return c.waitForWorkloads(ctx, "the controller manager (the default ServiceAccount)", func(ctx context.Context) (bool, error) {
		_, err := cs.CoreV1().ServiceAccounts(metav1.NamespaceDefault).Get(ctx, "default", metav1.GetOptions{})
		return err == nil, ignoreNotFound(err)
	})
}

// componentKubeconfig provisions a credential for a component (a member of system:masters: a
// dev cluster needs no finer authorization) and writes its kubeconfig.
func (c *Cluster) componentKubeconfig(user string) (string, error) {
	cfg, err := c.apiServer.SecureServing.Authn.AddUser(envtest.User{Name: user, Groups: []string{"system:masters"}}, c.Config)
	if err != nil {
		return "", fmt.Errorf("cluster %s: provisioning a credential for %s: %w", c.Name, user, err)
	}
	path := filepath.Join(c.Dir, strings.ReplaceAll(user, ":", "-")+".kubeconfig")
	if err := writeKubeconfig(path, c.Name, cfg); err != nil {
		return "", fmt.Errorf("cluster %s: %w", c.Name, err)
	}
	return path, nil
}

// launch starts one workload component of the cluster and records it.
func (c *Cluster) launch(component Component, binary string, args ...string) error {
	l, err := launch(component, c.Name, binary, c.logPath(component), args)
	if err != nil {
		return fmt.Errorf("cluster %s: %w", c.Name, err)
	}
	c.mu.Lock()
	c.launched = append(c.launched, l)
	c.mu.Unlock()
	return c.fleet.recordProcess(l.Process)
}

// waitForWorkloads is waitFor that also gives up, with the component's log, as soon as a
// workload component exits.
func (c *Cluster) waitForWorkloads(ctx context.Context, what string, cond func(context.Context) (bool, error)) error {
	return c.waitFor(ctx, what, func(ctx context.Context) (bool, error) {
		c.mu.Lock()
		launched := c.launched
		c.mu.Unlock()
		for _, l := range launched {
			select {
			case <-l.exited:
				return false, startError(fmt.Sprintf("cluster %s: %s", c.Name, l.Component), l.Log, errExited)
			default:
			}
		}
		return cond(ctx)
	})
}

// AddFakeNodes creates count fake nodes of this capacity (missing resources take the defaults)
// in a workloads cluster, waits until kwok has made them Ready, and returns their names.
// Nodes are named kwok-node-0, kwok-node-1, … in creation order.
func (c *Cluster) AddFakeNodes(ctx context.Context, count int, capacity corev1.ResourceList) ([]string, error) {
	if !c.fleet.opts.Workloads {
		return nil, fmt.Errorf("cluster %s: fake nodes need Options.Workloads (kwok)", c.Name)
	}
	full := DefaultNodeCapacity()
	for name, q := range capacity {
		full[name] = q
	}
	cs, err := kubernetes.NewForConfig(c.Config)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	first := c.nodeCount
	c.nodeCount += count
	c.mu.Unlock()
	names := make([]string, 0, count)
	for i := first; i < first+count; i++ {
		node := fakeNode(fmt.Sprintf("kwok-node-%d", i), full)
		if _, err := cs.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{}); err != nil {
			return nil, fmt.Errorf("cluster %s: creating node %s: %w", c.Name, node.Name, err)
		}
		names = append(names, node.Name)
	}
	err = c.waitForWorkloads(ctx, fmt.Sprintf("fake nodes %s to be Ready", strings.Join(names, ", ")), func(ctx context.Context) (bool, error) {
		for _, name := range names {
			node, err := cs.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
			if err != nil || !nodeReady(node) {
				return false, err
			}
		}
		return true, nil
	})
	return names, err
}

func fakeNode(name string, capacity corev1.ResourceList) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: name,
			Labels: map[string]string{
				FakeNodeLabel:                   FakeNodeLabelValue,
				corev1.LabelHostname:            name,
				corev1.LabelOSStable:            "linux",
				corev1.LabelArchStable:          "amd64",
				"node-role.kubernetes.io/agent": "",
			},
			Annotations: map[string]string{FakeNodeAnnotation: FakeNodeAnnotationValue},
		},
		Status: corev1.NodeStatus{
			Capacity:    capacity.DeepCopy(),
			Allocatable: capacity.DeepCopy(),
		},
	}
}

func nodeReady(node *corev1.Node) bool {
	for _, cond := range node.Status.Conditions {
		if cond.Type == corev1.NodeReady {
			return cond.Status == corev1.ConditionTrue
		}
	}
	return false
}
