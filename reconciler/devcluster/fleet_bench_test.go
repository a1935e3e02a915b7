package devcluster

import (
	"context"
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
)

// BenchmarkStart measures how long a fleet takes to start (ns/op; stopping is not timed) and
// how much memory each cluster takes once started (MiB-RSS/cluster: its API server and, with
// workloads, controller manager, scheduler and kwok; the shared etcd is MiB-RSS-etcd), and the
// user+sys CPU time its processes used to get there (cpu-s/start: less sensitive to a busy
// machine than the wall time).
func BenchmarkStart(b *testing.B) {
	for _, tc := range []struct {
		clusters  int
		workloads bool
	}{{1, false}, {3, false}, {1, true}, {3, true}} {
		b.Run(fmt.Sprintf("clusters=%d/workloads=%t", tc.clusters, tc.workloads), func(b *testing.B) {
			opts := Options{Workloads: tc.workloads}
			for i := range tc.clusters {
				opts.Clusters = append(opts.Clusters, fmt.Sprintf("c%d", i))
			}
			if err := CheckBinaries(opts); err != nil {
				b.Skip(err)
			}
			var clusterRSS, etcdRSS int64
			var cpu time.Duration
			for range b.N {
				f, err := Start(context.Background(), opts)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				for _, p := range f.Processes() {
					rss, err := p.ResidentBytes()
					if err != nil {
						b.Fatal(err)
					}
					cpu += cpuTime(b, p.PID)
					if p.Component == ComponentEtcd {
						etcdRSS += rss
					} else {
						clusterRSS += rss
					}
				}
				if err := f.Stop(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(clusterRSS>>20)/float64(b.N*tc.clusters), "MiB-RSS/cluster")
			b.ReportMetric(float64(etcdRSS>>20)/float64(b.N), "MiB-RSS-etcd")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/start")
		})
	}
}

// BenchmarkDeploymentReady measures the time from creating a Deployment of 3 replicas to all
// of them Ready on fake nodes.
func BenchmarkDeploymentReady(b *testing.B) {
	opts := Options{Workloads: true, Nodes: 2}
	if err := CheckBinaries(opts); err != nil {
		b.Skip(err)
	}
	f, err := Start(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = f.Stop() })
	cs := clientset(b, f.Clusters[0])
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		ns := fmt.Sprintf("bench-%d", i)
		if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
			b.Fatal(err)
		}
		if _, err := cs.AppsV1().Deployments(ns).Create(ctx, deployment("web", 3), metav1.CreateOptions{}); err != nil {
			b.Fatal(err)
		}
		err := wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
			d, err := cs.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
			return err == nil && d.Status.ReadyReplicas == 3, nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
