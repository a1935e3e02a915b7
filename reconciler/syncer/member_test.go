package syncer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
)

// The member cluster of this package's tests: a real kube-apiserver and etcd started with
// envtest on first use and shared by every test (each test uses its own namespaces and its
// own inventory name, so tests do not see each other's objects).
var member struct {
	once sync.Once
	env  *envtest.Environment
	cfg  *rest.Config
	skip string
}

func TestMain(m *testing.M) {
	ctrllog.SetLogger(logr.Discard())
	code := m.Run()
	if member.env != nil {
		if err := member.env.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the test API server:", err)
		}
	}
	os.Exit(code)
}

// memberConfig returns the admin config of the test member cluster, starting it on first
// use; it skips the test when the binaries are missing.
func memberConfig(tb testing.TB) *rest.Config {
	tb.Helper()
	member.once.Do(startMember)
	if member.skip != "" {
		tb.Skip(member.skip)
	}
	return member.cfg
}

// startMember starts kube-apiserver and etcd from KUBEBUILDER_ASSETS (default: the
// module's bin/, where `make tools` builds them).
func startMember() {
	assets := os.Getenv("KUBEBUILDER_ASSETS")
	if assets == "" {
		assets, _ = filepath.Abs(filepath.Join("..", "..", "bin"))
	}
	for _, bin := range []string{"etcd", "kube-apiserver"} {
		if _, err := os.Stat(filepath.Join(assets, bin)); err != nil {
			member.skip = fmt.Sprintf("%s not found in %s: run `make tools` (or set KUBEBUILDER_ASSETS) to run the tests against a real API server", bin, assets)
			return
		}
	}
	env := &envtest.Environment{BinaryAssetsDirectory: assets}
	// A /24 service range caps Services at 254 (BENCHMARKS.md); the S4 fixture has ~300.
	env.ControlPlane.GetAPIServer().Configure().Set("service-cluster-ip-range", "10.0.0.0/16")
	cfg, err := env.Start()
	if err != nil {
		member.skip = fmt.Sprintf("starting the test API server from %s: %v", assets, err)
		return
	}
	member.env, member.cfg = env, cfg
}

// randomName returns prefix-<8 hex digits>.
func randomName(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

// testSyncer returns a Syncer for the test member cluster with an inventory of its own.
func testSyncer(tb testing.TB, cluster string) *Syncer {
	tb.Helper()
	cfg := memberConfig(tb)
	opts := DefaultOptions()
	opts.Cluster = cluster
	opts.InventoryName = randomName("inventory")
	s, err := New(cfg, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// adminClient is a plain client of the test member cluster, acting as a human would.
func adminClient(tb testing.TB) client.Client {
	tb.Helper()
	c, err := client.New(memberConfig(tb), client.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// testContext is a context that ends with the test or after a minute.
func testContext(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	tb.Cleanup(cancel)
	return ctx
}
