package renderer

import (
	"errors"
	"testing"
	"testing/fstest"
)

// FuzzLoadSource feeds arbitrary bytes to the loader, as a plain YAML file and as a
// kustomization: it must never panic, and must return either a model or diagnostics.
func FuzzLoadSource(f *testing.F) {
	f.Add([]byte(clusterMember1))
	f.Add([]byte(deploymentWeb + "---\n" + clusterMember1))
	f.Add([]byte("apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p}\nspec:\n  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n  placement: {clusterAffinities: [{affinityName: a}], spreadConstraints: [{spreadByField: region}]}\n"))
	f.Add([]byte("a: &x {b: 1}\nc: *x\n<<: *x\n"))
	f.Add([]byte("resources: [cm.yaml]\nnamePrefix: p-\n"))
	f.Add([]byte("\t- ]["))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, tree := range []fstest.MapFS{
			{"in.yaml": {Data: data}},
			{"k/kustomization.yaml": {Data: data}, "k/cm.yaml": {Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n")}},
		} {
			src, err := LoadSource(tree, LoadOptions{})
			var diags Diagnostics
			switch {
			case err == nil && src == nil:
				t.Fatal("no model and no error")
			case err != nil && !errors.As(err, &diags):
				t.Fatalf("error is not Diagnostics: %v", err)
			case err != nil && len(diags) == 0:
				t.Fatal("empty Diagnostics")
			}
			for _, d := range diags {
				if d.Path == "" || d.Message == "" {
					t.Fatalf("diagnostic without file or message: %+v", d)
				}
			}
		}
	})
}
