package treedir

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	. "github.com/onsi/gomega"
)

type files map[string]string

func (f files) Paths() []string {
	var out []string
	for p := range f {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func (f files) Get(p string) ([]byte, bool) { v, ok := f[p]; return []byte(v), ok }

func TestReplace(t *testing.T) {
	g := NewWithT(t)
	dir := filepath.Join(t.TempDir(), "out")
	g.Expect(Replace(dir, files{"a/one.yaml": "1", "two.yaml": "2"})).To(Succeed())
	g.Expect(os.ReadFile(filepath.Join(dir, "a/one.yaml"))).To(Equal([]byte("1")))

	g.Expect(Replace(dir, files{"three.yaml": "3"})).To(Succeed())
	entries, err := os.ReadDir(dir)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(entries).To(HaveLen(1), "stale files never linger")
	g.Expect(os.ReadFile(filepath.Join(dir, "three.yaml"))).To(Equal([]byte("3")))

	g.Expect(Replace(dir, files{"../escape.yaml": "x"})).To(MatchError(ContainSubstring("outside")))
	g.Expect(os.ReadFile(filepath.Join(dir, "three.yaml"))).To(Equal([]byte("3")), "a failed write leaves the old tree")
	siblings, _ := os.ReadDir(filepath.Dir(dir))
	g.Expect(siblings).To(HaveLen(1), "no staging directories are left behind")
}
