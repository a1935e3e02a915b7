package renderer

import (
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// mapFS builds an in-memory tree from path → content.
func mapFS(files map[string]string) fstest.MapFS {
	out := fstest.MapFS{}
	for p, c := range files {
		out[p] = &fstest.MapFile{Data: []byte(c)}
	}
	return out
}

// mustLoad loads a tree that must be valid.
func mustLoad(t *testing.T, files map[string]string) *Source {
	t.Helper()
	src, err := LoadSource(mapFS(files), LoadOptions{})
	if err != nil {
		t.Fatalf("LoadSource: %v", err)
	}
	return src
}

// loadErrors loads a tree that must be invalid and returns its diagnostics as strings.
func loadErrors(t *testing.T, files map[string]string) []string {
	t.Helper()
	_, err := LoadSource(mapFS(files), LoadOptions{})
	var diags Diagnostics
	if !errors.As(err, &diags) {
		t.Fatalf("LoadSource: want Diagnostics, got %v", err)
	}
	out := make([]string, len(diags))
	for i, d := range diags {
		out[i] = d.String()
	}
	return out
}

const clusterMember1 = `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: member1
  labels: {env: prod}
spec:
  syncMode: Push
  apiEndpoint: https://10.0.0.1:6443
  region: eu
`

const deploymentWeb = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`

func TestLoadSourceClassifiesMultiDocumentFiles(t *testing.T) {
	g := NewWithT(t)
	src := mustLoad(t, map[string]string{
		"fleet.yaml": "# the whole fleet in one file\n---\n" + clusterMember1 + "---\n# nothing here\n---\n" + deploymentWeb +
			`---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: web
  namespace: shop
spec:
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    name: web
  placement:
    clusterAffinity:
      clusterNames: [member1]
`,
		"notes.txt": "not yaml, not read",
	})
	g.Expect(src.Clusters).To(HaveLen(1))
	g.Expect(src.Clusters[0].Name).To(Equal("member1"))
	g.Expect(src.PropagationPolicies).To(HaveLen(1))
	g.Expect(src.Templates).To(HaveLen(1))
	g.Expect(src.Templates[0].GetKind()).To(Equal("Deployment"))
	g.Expect(src.FleetConfig).NotTo(BeNil(), "a tree without FleetConfig gets the defaults")

	origin, ok := src.Origin(ObjectKey{Group: "cluster.karmada.io", Kind: "Cluster", Name: "member1"})
	g.Expect(ok).To(BeTrue())
	g.Expect(origin.String()).To(Equal("fleet.yaml:3"))
	origin, ok = src.Origin(ObjectKey{Group: "apps", Kind: "Deployment", Namespace: "shop", Name: "web"})
	g.Expect(ok).To(BeTrue())
	g.Expect(origin.String()).To(Equal("fleet.yaml:15"))
	origin, _ = src.Origin(ObjectKey{Group: "policy.karmada.io", Kind: "PropagationPolicy", Namespace: "shop", Name: "web"})
	g.Expect(origin.String()).To(Equal("fleet.yaml:30"))
}

func TestLoadSourceAppliesWebhookDefaults(t *testing.T) {
	g := NewWithT(t)
	src := mustLoad(t, map[string]string{
		"pp.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: web
spec:
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
  placement:
    replicaScheduling:
      replicaSchedulingType: Divided
    spreadConstraints:
    - maxGroups: 2
`,
	})
	pp := src.PropagationPolicies[0]
	g.Expect(pp.Namespace).To(Equal("default"), "a namespaced object without namespace lands in default")
	g.Expect(pp.Spec.ResourceSelectors[0].Namespace).To(Equal("default"))
	g.Expect(string(pp.Spec.Placement.ReplicaScheduling.ReplicaDivisionPreference)).To(Equal("Weighted"))
	g.Expect(string(pp.Spec.Placement.SpreadConstraints[0].SpreadByField)).To(Equal("cluster"))
	g.Expect(pp.Spec.Placement.SpreadConstraints[0].MinGroups).To(Equal(1))
	g.Expect(pp.Labels).To(HaveKey("propagationpolicy.karmada.io/permanent-id"))

	again := mustLoad(t, map[string]string{"elsewhere/web.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]
`})
	g.Expect(again.PropagationPolicies[0].Labels).To(Equal(pp.Labels), "permanent ids depend on identity, not on file or time")
}

func TestLoadSourceBuildsKustomizationsThroughTheirUsers(t *testing.T) {
	g := NewWithT(t)
	src := mustLoad(t, map[string]string{
		"apps/web/base/kustomization.yaml": "resources:\n- deployment.yaml\n- service.yaml\n",
		"apps/web/base/deployment.yaml":    deploymentWeb,
		"apps/web/base/service.yaml": `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  ports: [{port: 80}]
`,
		"apps/web/overlays/prod/kustomization.yaml": `namespace: shop-prod
resources:
- ../../base
patches:
- path: ../../patches/replicas.yaml
`,
		"apps/web/overlays/staging/kustomization.yaml": "namespace: shop-staging\nnamePrefix: staging-\nresources:\n- ../../base\n",
		"apps/web/patches/replicas.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 6
`,
		"apps/web/overlays/prod/ignored/stray.yaml": "this: is not read, the directory is a kustomization\n",
	})
	var names []string
	for _, tpl := range src.Templates {
		names = append(names, tpl.GetKind()+"/"+tpl.GetNamespace()+"/"+tpl.GetName())
	}
	g.Expect(names).To(Equal([]string{
		"Service/shop-prod/web", "Service/shop-staging/staging-web", // core group first
		"Deployment/shop-prod/web", "Deployment/shop-staging/staging-web",
	}), "the base is built only through its overlays, and the patch file is not read as a template")

	prod := src.Templates[2]
	replicas, found, err := unstructured.NestedInt64(prod.Object, "spec", "replicas")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(found).To(BeTrue())
	g.Expect(replicas).To(Equal(int64(6)), "the patch of the prod overlay applies")
	g.Expect(prod.GetAnnotations()).NotTo(HaveKey("config.kubernetes.io/origin"), "origin tracking is gitfleet's, not the output's")

	origin, ok := src.Origin(ObjectKey{Group: "apps", Kind: "Deployment", Namespace: "shop-staging", Name: "staging-web"})
	g.Expect(ok).To(BeTrue())
	g.Expect(origin.Path).To(Equal("apps/web/base/deployment.yaml"))
	g.Expect(origin.Line).To(Equal(1))
	g.Expect(origin.Kustomization).To(Equal("apps/web/overlays/staging"))
}

func TestLoadSourceSkipsDotAndExecutionSpaceDirectories(t *testing.T) {
	g := NewWithT(t)
	src := mustLoad(t, map[string]string{
		"clusters/member1.yaml":                 clusterMember1,
		".github/workflows/ci.yaml":             "on: push\n",
		"karmada-es-member1/shop/apps.web.yaml": deploymentWeb,
		"apps/.hidden/ignored.yaml":             "garbage: [",
		"apps/web.yml":                          deploymentWeb,
		"apps/README.md":                        "# not read",
		"apps/empty.yaml":                       "# only a comment\n",
		"apps/only-separators.yaml":             "---\n---\n",
	})
	g.Expect(src.Clusters).To(HaveLen(1))
	g.Expect(src.Templates).To(HaveLen(1))
}

func TestLoadSourceIsDeterministic(t *testing.T) {
	g := NewWithT(t)
	files := map[string]string{
		"b.yaml":               deploymentWeb,
		"a.yaml":               clusterMember1,
		"k/kustomization.yaml": "resources: [cm.yaml]\nconfigMapGenerator:\n- name: gen\n  literals: [a=b]\n",
		"k/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: shop}\ndata: {k: v}\n",
	}
	first := mustLoad(t, files)
	for range 5 {
		g.Expect(mustLoad(t, files)).To(Equal(first))
	}
}

func TestLoadSourceRejectsRemoteKustomizeResources(t *testing.T) {
	g := NewWithT(t)
	errs := loadErrors(t, map[string]string{
		"base/kustomization.yaml":    "resources:\n- deploy.yaml\n- github.com/example/fleet//base?ref=v1\n",
		"base/deploy.yaml":           deploymentWeb,
		"overlay/kustomization.yaml": "resources:\n- ../base\n",
	})
	g.Expect(errs).To(Equal([]string{
		`base/kustomization.yaml:3: resources[1]: "github.com/example/fleet//base?ref=v1" does not exist in the repository (remote references are not supported)`,
		`overlay/kustomization.yaml:1: cannot be built: it uses base, which has an error (base/kustomization.yaml:3)`,
	}))
}

func TestLoadSourceReportsKustomizeBuildFailures(t *testing.T) {
	g := NewWithT(t)
	errs := loadErrors(t, map[string]string{
		"app/kustomization.yaml": "resources: [cm.yaml]\npatches:\n- path: patch.yaml\n",
		"app/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: shop}\n",
		"app/patch.yaml":         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: shop}\ndata: {a: b}\n",
	})
	g.Expect(errs).To(HaveLen(1))
	g.Expect(errs[0]).To(HavePrefix("app/kustomization.yaml:1: kustomize build failed: "))
	g.Expect(errs[0]).To(ContainSubstring("no resource matches strategic merge patch"))
	g.Expect(errs[0]).NotTo(ContainSubstring("'/app"), "paths are shown relative to the repository")
}

func TestLineOfField(t *testing.T) {
	docs, errs := splitDocuments([]byte(`apiVersion: v1
kind: Thing
metadata:
  name: x
  labels:
    app.kubernetes.io/name: x
spec:
  list:
  - name: a
  - name: b
    deep:
      value: 1
`))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	root := docs[0].node
	for path, want := range map[string]int{
		"":     4 - 3, // the document itself
		"kind": 2,
		"metadata.labels[app.kubernetes.io/name]": 6,
		"spec.list[1]":              10,
		"spec.list[1].deep.value":   12,
		"spec.list[1].deep.missing": 11, // a missing field points at its parent
		"spec.list[7].name":         8,
		"spec.nothing.at.all":       7,
	} {
		if got := lineOfField(root, path); got != want {
			t.Errorf("lineOfField(%q) = %d, want %d", path, got, want)
		}
	}
}

func TestLoadSourceRejectsAliasBombs(t *testing.T) {
	g := NewWithT(t)
	bomb := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n" +
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n" +
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n" +
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n" +
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n" +
		"h: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
	errs := loadErrors(t, map[string]string{"bomb.yaml": bomb})
	g.Expect(errs).To(HaveLen(1))
	g.Expect(errs[0]).To(MatchRegexp(`^bomb\.yaml:\d+: document expands to more than 1048576 values`))
}

func TestLoadSourceStampsTaintsWithTheEpoch(t *testing.T) {
	g := NewWithT(t)
	files := mapFS(map[string]string{"c.yaml": clusterMember1 + `  taints:
  - {key: maintenance, value: "true", effect: NoExecute}
  - {key: dedicated, effect: NoSchedule}
`})
	epoch := metav1.NewTime(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	src, err := LoadSource(files, LoadOptions{Epoch: epoch})
	g.Expect(err).NotTo(HaveOccurred())
	taints := src.Clusters[0].Spec.Taints
	g.Expect(taints[0].TimeAdded).NotTo(BeNil())
	g.Expect(taints[0].TimeAdded.Time).To(BeTemporally("==", epoch.Time), "NoExecute taints get the source commit's time, never the clock's")
	g.Expect(taints[1].TimeAdded).To(BeNil())

	src, err = LoadSource(files, LoadOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(src.Clusters[0].Spec.Taints[0].TimeAdded).To(BeNil(), "without an epoch the time stays unset")
}

func TestLoadSourceReportsEveryDocumentOfAFile(t *testing.T) {
	g := NewWithT(t)
	errs := loadErrors(t, map[string]string{"a.yaml": `apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: shop}
data: {k: 1, k: 2}
---
- a list, not an object
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: shop}
spec:
  resourceSelectors: []
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
  labels:
    app: web
   tier: frontend
`})
	g.Expect(errs).To(Equal([]string{
		`a.yaml:4: duplicate key "k" (first defined at line 4)`,
		"a.yaml:6: a YAML document must be a mapping (an object with apiVersion and kind)",
		"a.yaml:12: PropagationPolicy/web: spec.resourceSelectors: Required value: at least one resource selector is required",
		"a.yaml:20: invalid YAML: did not find expected key",
	}), "one broken document does not hide the problems of the others")
}

func TestLoadSourceRefusesSymbolicLinks(t *testing.T) {
	g := NewWithT(t)
	tree := mapFS(map[string]string{"shared/cm.txt": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n"})
	tree["apps/cm.yaml"] = &fstest.MapFile{Data: []byte("../shared/cm.txt"), Mode: fs.ModeSymlink}
	tree["apps/notes.md"] = &fstest.MapFile{Data: []byte("README.md"), Mode: fs.ModeSymlink}
	_, err := LoadSource(tree, LoadOptions{})
	g.Expect(err).To(MatchError("apps/cm.yaml: symbolic links are not followed: replace the link with the file or directory it points to"))
}

func TestLoadSourceCompilesLuaCustomizations(t *testing.T) {
	g := NewWithT(t)
	errs := loadErrors(t, map[string]string{"ric.yaml": `apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata: {name: workload}
spec:
  target: {apiVersion: example.io/v1, kind: Workload}
  customizations:
    replicaResource:
      luaScript: |
        function GetReplicas(obj)
          return obj.spec.replicas,
        end
`})
	g.Expect(errs).To(HaveLen(1))
	g.Expect(errs[0]).To(HavePrefix("ric.yaml:8: ResourceInterpreterCustomization/workload: spec.customizations.replicaResource.luaScript: "))
}
