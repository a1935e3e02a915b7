package devcluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// AdminUser is the user of a cluster's kubeconfig and Config: a member of system:masters.
const AdminUser = "gitfleet-admin"

// Client rate limits of Cluster.Config. client-go's default (5 QPS, burst 10) turns a
// 1,000-object sync into minutes (BENCHMARKS.md); a local API server takes a few hundred
// requests per second.
const (
	clientQPS   = 200
	clientBurst = 400
)

// Cluster is one member cluster of a fleet.
type Cluster struct {
	// Name is the cluster's name; its objects live under the etcd prefix /<Name>.
	Name string
	// KubeconfigPath is <Dir>/<Name>.kubeconfig: server, CA and admin client certificate inline,
	// one context named Name.
	KubeconfigPath string
	// Config connects to the API server as AdminUser. It stays valid across StopAPIServer and
	// StartAPIServer.
	Config *rest.Config
	// ServiceCIDR is the cluster's Service IP range, a /16 no other cluster of the fleet uses.
	ServiceCIDR string
	// Dir holds the cluster's certificates, component kubeconfigs and logs.
	Dir string

	fleet     *Fleet
	apiServer *envtest.APIServer

	mu        sync.Mutex // guards the fields below
	apiProc   *Process   // nil while the API server is stopped
	launched  []*launched
	nodeCount int
}

func newCluster(f *Fleet, index int, name string) *Cluster {
	return &Cluster{
		Name:           name,
		KubeconfigPath: filepath.Join(f.Dir, name+".kubeconfig"),
		ServiceCIDR:    serviceCIDR(index),
		Dir:            filepath.Join(f.Dir, "clusters", name),
		fleet:          f,
	}
}

// start brings the cluster up: API server, admin credential, kubeconfig, and with Workloads the
// controller manager, scheduler, kwok and fake nodes.
func (c *Cluster) start(ctx context.Context) error {
	f := c.fleet
	f.addPath(c.KubeconfigPath)
	if err := os.MkdirAll(c.pkiDir(), 0o700); err != nil {
		return err
	}
	c.apiServer = &envtest.APIServer{
		Path:         f.bins.apiServer,
		CertDir:      c.pkiDir(),
		EtcdURL:      f.etcd.URL,
		StartTimeout: f.opts.StartTimeout,
		StopTimeout:  envtestStopTimeout,
	}
	c.apiServer.Configure().
		Set("etcd-prefix", "/"+c.Name).
		Set("service-cluster-ip-range", c.ServiceCIDR).
		// envtest's default turns off ServiceAccount admission, so that pods need no
		// "default" ServiceAccount before the controller manager has made it; and
		// TaintNodesByCondition would give every new node a not-ready taint that only the
		// node lifecycle controller removes (it does not run: kwok owns the fake nodes).
		Set("disable-admission-plugins", "ServiceAccount,TaintNodesByCondition")
	if err := c.StartAPIServer(); err != nil {
		return err
	}

	host := c.apiServer.SecureServing.URL("https", "/").String()
	base := &rest.Config{Host: host, TLSClientConfig: rest.TLSClientConfig{CAData: c.apiServer.SecureServing.CA}}
	admin, err := c.apiServer.SecureServing.Authn.AddUser(envtest.User{Name: AdminUser, Groups: []string{"system:masters"}}, base)
	if err != nil {
		return fmt.Errorf("cluster %s: provisioning the admin credential: %w", c.Name, err)
	}
	admin.QPS, admin.Burst = clientQPS, clientBurst
	c.Config = admin
	if err := writeKubeconfig(c.KubeconfigPath, c.Name, admin); err != nil {
		return fmt.Errorf("cluster %s: %w", c.Name, err)
	}
	if err := f.recordCluster(ClusterState{Name: c.Name, Server: host, Kubeconfig: c.KubeconfigPath, ServiceCIDR: c.ServiceCIDR}); err != nil {
		return err
	}
	cs, err := kubernetes.NewForConfig(c.Config)
	if err != nil {
		return err
	}
	// /healthz answers before the API server has created its "default" namespace; tests that
	// create objects at once would race it.
	if err := c.waitFor(ctx, "the default namespace", func(ctx context.Context) (bool, error) {
		_, err := cs.CoreV1().Namespaces().Get(ctx, metav1.NamespaceDefault, metav1.GetOptions{})
		return err == nil, ignoreNotFound(err)
	}); err != nil {
		return err
	}
	if f.opts.Workloads {
		return c.startWorkloads(ctx, cs)
	}
	return nil
}

func (c *Cluster) pkiDir() string { return filepath.Join(c.Dir, "pki") }

func (c *Cluster) logPath(component Component) string {
	return filepath.Join(c.Dir, string(component)+".log")
}

// StopAPIServer kills the cluster's API server, as if it had crashed or become unreachable,
// and waits until it is gone; everything else of the fleet keeps running. (A graceful stop
// would take a minute: the API server waits for its clients' watches to end.) Stopping a
// stopped API server does nothing.
func (c *Cluster) StopAPIServer() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.apiProc == nil {
		return nil
	}
	if err := kill(*c.apiProc); err != nil {
		return err
	}
	p := *c.apiProc
	c.apiProc = nil
	return c.fleet.forgetProcess(p)
}

// StartAPIServer starts the cluster's API server again after StopAPIServer, on the same address
// with the same certificates and etcd data, and returns once it is healthy. Config and the
// kubeconfig stay valid. Starting a running API server does nothing.
func (c *Cluster) StartAPIServer() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.apiProc != nil {
		return nil
	}
	if c.fleet.isStopped() {
		return fmt.Errorf("cluster %s: the fleet was stopped", c.Name)
	}
	log := c.logPath(ComponentAPIServer)
	out, err := openLog(log)
	if err != nil {
		return err
	}
	defer out.Close()
	c.apiServer.Out, c.apiServer.Err = out, out
	startErr := c.apiServer.Start()
	p, err := adopt(ComponentAPIServer, c.Name, c.fleet.bins.apiServer, log,
		"--secure-port="+c.apiServer.SecureServing.Port, "--etcd-prefix=/"+c.Name)
	if startErr != nil || err != nil {
		if err == nil {
			// envtest gave up on an API server that may still be shutting down: kill it
			// rather than leave it behind.
			_ = kill(p)
		}
		_ = c.apiServer.Stop()
		if startErr != nil {
			return startError(fmt.Sprintf("cluster %s: starting kube-apiserver", c.Name), log, startErr)
		}
		return fmt.Errorf("cluster %s: finding the kube-apiserver process: %w", c.Name, err)
	}
	c.apiProc = &p
	return c.fleet.recordProcess(p)
}

// APIServerRunning reports whether the cluster's API server runs.
func (c *Cluster) APIServerRunning() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.apiProc != nil && c.apiProc.Running()
}

// Processes returns the cluster's running processes.
func (c *Cluster) Processes() []Process {
	var out []Process
	for _, p := range c.fleet.Processes() {
		if p.Cluster == c.Name {
			out = append(out, p)
		}
	}
	return out
}

// waitFor polls cond every 100ms until it holds, the start timeout passes or ctx ends, and
// names what it waited for when it gives up.
func (c *Cluster) waitFor(ctx context.Context, what string, cond wait.ConditionWithContextFunc) error {
	ctx, cancel := context.WithTimeout(ctx, c.fleet.opts.StartTimeout)
	defer cancel()
	var last error
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		ok, err := cond(ctx)
		if err != nil {
			last = err
		}
		return ok, nil
	})
	if err != nil {
		if last != nil {
			err = fmt.Errorf("%w (last error: %w)", err, last)
		}
		return fmt.Errorf("cluster %s: waiting for %s: %w", c.Name, what, err)
	}
	return nil
}

func ignoreNotFound(err error) error {
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

func (f *Fleet) isStopped() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stopped
}

// errExited reports a process that ended while the cluster waited for it.
var errExited = errors.New("the process exited")
