package devcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/utils/ptr"
)

// TestFleet runs every check against one fleet of two workloads clusters: starting clusters is
// the expensive part, and the checks do not disturb each other.
func TestFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real clusters")
	}
	started := time.Now()
	f := StartForTest(t, Options{Clusters: []string{"east", "west"}, Workloads: true, Nodes: 2})
	t.Logf("two workloads clusters started in %v", time.Since(started).Round(time.Millisecond))
	logResidentSizes(t, f)
	east, west := f.Cluster("east"), f.Cluster("west")

	t.Run("clusters share one etcd and are isolated", func(t *testing.T) {
		g := NewWithT(t)
		procs := f.Processes()
		g.Expect(countComponent(procs, ComponentEtcd)).To(Equal(1))
		g.Expect(countComponent(procs, ComponentAPIServer)).To(Equal(2))
		g.Expect(east.ServiceCIDR).NotTo(Equal(west.ServiceCIDR))
		g.Expect(east.ServiceCIDR).To(HaveSuffix("/16"))

		ctx := context.Background()
		ns := randomName("iso")
		_, err := clientset(t, east).CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		_, err = clientset(t, west).CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		g.Expect(apierrors.IsNotFound(err)).To(BeTrue(), "namespace %s of east must not exist in west: %v", ns, err)
	})

	t.Run("kubeconfig files reach their cluster", func(t *testing.T) {
		g := NewWithT(t)
		for _, c := range f.Clusters {
			g.Expect(c.KubeconfigPath).To(Equal(filepath.Join(f.Dir, c.Name+".kubeconfig")))
			cfg, err := clientcmd.BuildConfigFromFlags("", c.KubeconfigPath)
			g.Expect(err).NotTo(HaveOccurred())
			cs, err := kubernetes.NewForConfig(cfg)
			g.Expect(err).NotTo(HaveOccurred())
			svc, err := cs.CoreV1().Services(metav1.NamespaceDefault).Get(context.Background(), "kubernetes", metav1.GetOptions{})
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(svc.Spec.ClusterIP).To(HavePrefix(strings.TrimSuffix(c.ServiceCIDR, "0.0/16")))
		}
	})

	t.Run("a Deployment becomes ready on fake nodes", func(t *testing.T) {
		g := NewWithT(t)
		ctx := context.Background()
		cs := clientset(t, east)
		ns := randomName("deploy")
		_, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		begin := time.Now()
		_, err = cs.AppsV1().Deployments(ns).Create(ctx, deployment("web", 3), metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		g.Eventually(func() int32 {
			d, err := cs.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
			if err != nil {
				return -1
			}
			return d.Status.ReadyReplicas
		}).WithTimeout(60 * time.Second).WithPolling(100 * time.Millisecond).Should(Equal(int32(3)))
		t.Logf("Deployment with 3 replicas ready in %v", time.Since(begin).Round(time.Millisecond))

		pods, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		for _, p := range pods.Items {
			g.Expect(p.Spec.NodeName).To(HavePrefix("kwok-node-"))
			g.Expect(p.Status.Phase).To(Equal(corev1.PodRunning))
		}
	})

	t.Run("an API server stops and starts again", func(t *testing.T) {
		g := NewWithT(t)
		ctx := context.Background()
		cs := clientset(t, west)
		ns := randomName("restart")
		_, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())

		begin := time.Now()
		g.Expect(west.StopAPIServer()).To(Succeed())
		t.Logf("API server stopped in %v", time.Since(begin).Round(time.Millisecond))
		g.Expect(west.APIServerRunning()).To(BeFalse())
		g.Expect(countComponent(west.Processes(), ComponentAPIServer)).To(Equal(0))
		short, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err = cs.CoreV1().Namespaces().Get(short, ns, metav1.GetOptions{})
		cancel()
		g.Expect(err).To(HaveOccurred(), "the stopped API server still answers")
		// The other cluster is unaffected.
		_, err = clientset(t, east).CoreV1().Namespaces().Get(ctx, metav1.NamespaceDefault, metav1.GetOptions{})
		g.Expect(err).NotTo(HaveOccurred())

		begin = time.Now()
		g.Expect(west.StartAPIServer()).To(Succeed())
		t.Logf("API server started again in %v", time.Since(begin).Round(time.Millisecond))
		_, err = cs.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		g.Expect(err).NotTo(HaveOccurred(), "the data survives a restart and the old credentials still work")
	})

	t.Run("Stop leaves no process behind", func(t *testing.T) {
		g := NewWithT(t)
		procs := f.Processes()
		g.Expect(procs).To(HaveLen(1 + 2*4))
		g.Expect(f.Stop()).To(Succeed())
		for _, p := range procs {
			g.Expect(p.Running()).To(BeFalse(), "%s still runs", p)
			_, err := os.Stat(fmt.Sprintf("/proc/%d", p.PID))
			g.Expect(os.IsNotExist(err)).To(BeTrue(), "%s has not been reaped", p)
		}
		g.Expect(childrenOf(t, os.Getpid())).To(BeEmpty())
		_, err := os.Stat(f.Dir)
		g.Expect(os.IsNotExist(err)).To(BeTrue(), "the fleet's temporary directory is removed")
	})
}

func deployment(name string, replicas int32) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name:  name,
					Image: "nginx:1.27",
					Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
						corev1.ResourceCPU: resource.MustParse("100m"),
					}},
				}}},
			},
		},
	}
}

func clientset(t testing.TB, c *Cluster) kubernetes.Interface {
	t.Helper()
	cs, err := kubernetes.NewForConfig(c.Config)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func randomName(prefix string) string { return prefix + "-" + rand.String(6) }

func countComponent(procs []Process, c Component) int {
	n := 0
	for _, p := range procs {
		if p.Component == c {
			n++
		}
	}
	return n
}

// logResidentSizes logs the memory each cluster takes (its processes) and the shared etcd.
func logResidentSizes(t *testing.T, f *Fleet) {
	t.Helper()
	perCluster := map[string]int64{}
	var parts []string
	for _, p := range f.Processes() {
		rss, err := p.ResidentBytes()
		if err != nil {
			t.Logf("RSS of %s: %v", p, err)
			continue
		}
		key := p.Cluster
		if key == "" {
			key = "(shared)"
		}
		perCluster[key] += rss
		parts = append(parts, fmt.Sprintf("%s/%s %d MiB", key, p.Component, rss>>20))
	}
	t.Logf("resident sizes: %s", strings.Join(parts, ", "))
	for name, rss := range perCluster {
		t.Logf("RSS of %s: %d MiB", name, rss>>20)
	}
}

// childrenOf returns the processes whose parent is pid, zombies included: a process that was
// killed but not reaped is left behind too.
func childrenOf(t *testing.T, pid int) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := readProcStat(child)
		if err != nil || st.ppid != pid {
			continue
		}
		argv, _ := readCmdline(child)
		out = append(out, fmt.Sprintf("%d %c %s", child, st.state, strings.Join(argv, " ")))
	}
	return out
}
