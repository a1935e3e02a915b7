package devcluster

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

func TestOptionsDefaults(t *testing.T) {
	g := NewWithT(t)
	o, err := Options{NodeCapacity: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("4")}}.withDefaults()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(o.Clusters).To(Equal([]string{"member1"}))
	g.Expect(o.Nodes).To(Equal(1))
	g.Expect(o.Controllers).To(Equal(DefaultControllers))
	g.Expect(o.NodeCapacity.Cpu().String()).To(Equal("4"))
	g.Expect(o.NodeCapacity.Memory().String()).To(Equal("256Gi"), "resources left out keep their default")
	g.Expect(o.NodeCapacity.Pods().String()).To(Equal("110"))
}

func TestOptionsInvalid(t *testing.T) {
	tooMany := make([]string, maxClusters+1)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("c%d", i)
	}
	for _, tc := range []struct {
		name     string
		clusters []string
		want     string
	}{
		{"not a DNS label", []string{"Upper_Case"}, `cluster name "Upper_Case"`},
		{"a path", []string{"../x"}, `cluster name "../x"`},
		{"twice", []string{"a", "b", "a"}, `cluster name "a" given twice`},
		{"more than the Service ranges allow", tooMany, "at most 128 fit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Options{Clusters: tc.clusters}.withDefaults()
			NewWithT(t).Expect(err).To(MatchError(ContainSubstring(tc.want)))
		})
	}
}

func TestServiceCIDRsAreDistinctSixteens(t *testing.T) {
	g := NewWithT(t)
	seen := map[string]bool{}
	for i := range maxClusters {
		cidr := serviceCIDR(i)
		g.Expect(cidr).To(HaveSuffix(".0.0/16"))
		g.Expect(seen[cidr]).To(BeFalse(), "%s used twice", cidr)
		g.Expect(cidr).NotTo(Equal(podCIDR))
		seen[cidr] = true
	}
}

func TestMissingBinaries(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	// An etcd that is there but not executable counts as missing, too.
	g.Expect(os.WriteFile(filepath.Join(dir, "etcd"), []byte("not a binary"), 0o644)).To(Succeed())

	_, err := Start(t.Context(), Options{BinDir: dir, Workloads: true})
	g.Expect(errors.Is(err, ErrBinaryMissing)).To(BeTrue())
	g.Expect(err.Error()).To(HavePrefix("etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok, kwok-stages/*.yaml not found in " + dir + ": run `make tools`"))
	g.Expect(CheckBinaries(Options{BinDir: dir})).To(MatchError(ErrBinaryMissing))
}

func TestDefaultBinDir(t *testing.T) {
	g := NewWithT(t)
	t.Setenv(assetsEnv, "/somewhere/assets")
	dir, err := DefaultBinDir()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(dir).To(Equal("/somewhere/assets"))

	t.Setenv(assetsEnv, "")
	dir, err = DefaultBinDir()
	g.Expect(err).NotTo(HaveOccurred())
	// Tests run in reconciler/devcluster: the module root is two levels up.
	wd, _ := os.Getwd()
	g.Expect(dir).To(Equal(filepath.Join(filepath.Dir(filepath.Dir(wd)), "bin")))
}
