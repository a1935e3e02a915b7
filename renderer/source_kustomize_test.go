package renderer

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	. "github.com/onsi/gomega"
)

func TestLoadSourceNeverFetchesWhatKustomizationsName(t *testing.T) {
	g := NewWithT(t)
	var requests atomic.Int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		_, _ = w.Write([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n"))
	}))
	defer server.Close()

	errs := loadErrors(t, map[string]string{
		"app/kustomization.yaml": `resources:
- cm.yaml
- deploy@gitserver:platform/base
patches:
- path: ` + server.URL + `/patch.yaml
configMapGenerator:
- name: settings
  files:
  - secret.txt=` + server.URL + `/secret.txt
  envs: [../../outside.env]
helmCharts:
- name: podinfo
`,
		"app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: shop}\n",
	})
	g.Expect(requests.Load()).To(BeZero(), "a render must not reach the network")
	g.Expect(errs).To(Equal([]string{
		`app/kustomization.yaml:3: resources[1]: "deploy@gitserver:platform/base" does not exist in the repository (remote references are not supported)`,
		`app/kustomization.yaml:5: patches[0].path: remote reference "` + server.URL + `/patch.yaml" is not supported: gitfleet renders only what the repository holds`,
		`app/kustomization.yaml:9: configMapGenerator[0].files[0]: remote reference "` + server.URL + `/secret.txt" is not supported: gitfleet renders only what the repository holds`,
		`app/kustomization.yaml:10: configMapGenerator[0].envs[0]: "../../outside.env" is outside the repository`,
		`app/kustomization.yaml:11: helmCharts: Helm charts are not supported: render the chart into the repository (helm template) instead`,
	}), "every offending reference is reported, not only the first")
}

func TestLoadSourceBuildsARootKustomization(t *testing.T) {
	g := NewWithT(t)
	src := mustLoad(t, map[string]string{
		"kustomization.yaml": "resources: [apps/cm.yaml]\n",
		"apps/cm.yaml":       "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: shop}\n",
	})
	g.Expect(src.Templates).To(HaveLen(1))
	g.Expect(src.Templates[0].GetName()).To(Equal("cm"))
}

func TestLoadSourceReportsKustomizationCycles(t *testing.T) {
	g := NewWithT(t)
	errs := loadErrors(t, map[string]string{
		"a/kustomization.yaml": "resources: [../b]\n",
		"b/kustomization.yaml": "resources: [../a]\n",
	})
	g.Expect(errs).To(Equal([]string{
		"a/kustomization.yaml:1: kustomization cycle: a → b → a",
		"b/kustomization.yaml:1: kustomization cycle: a → b → a",
	}), "objects never vanish silently into a cycle")
}

func TestLoadSourceIgnoresWhatOnlyUnbuiltKustomizationsUse(t *testing.T) {
	g := NewWithT(t)
	src := mustLoad(t, map[string]string{
		"app/kustomization.yaml":                "resources: [cm.yaml]\n",
		"app/cm.yaml":                           "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: shop}\n",
		"component/kustomization.yaml":          "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [../app]\n",
		"karmada-es-member1/kustomization.yaml": "resources: [../app]\n",
	})
	g.Expect(src.Templates).To(HaveLen(1), "a component nobody includes and a rendered directory do not make app a base")
}

func TestLoadSourceLocatesKustomizedObjectsByName(t *testing.T) {
	g := NewWithT(t)
	_, err := LoadSource(mapFS(map[string]string{
		"app/kustomization.yaml": "namePrefix: staging-\nresources: [pps.yaml]\n",
		"app/pps.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: shop}
spec:
  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web-config, namespace: shop}
spec:
  resourceSelectors: []
`,
	}), LoadOptions{})
	var diags Diagnostics
	g.Expect(err).To(BeAssignableToTypeOf(diags))
	diags = err.(Diagnostics)
	g.Expect(diags).To(HaveLen(1))
	g.Expect(diags[0].String()).To(Equal("app/pps.yaml:11: PropagationPolicy/staging-web-config: spec.resourceSelectors: Required value: at least one resource selector is required"),
		"web-config is found in its own document, not in web's, although web is a prefix of its name")
}
