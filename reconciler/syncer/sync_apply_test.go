package syncer

import (
	"context"
	"testing"

	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// syncTree syncs tree as commit and fails the test on error.
func syncTree(t *testing.T, s *Syncer, tree *fixtureTree, commit string) *Result {
	t.Helper()
	res, err := s.Sync(testContext(t), Request{Dir: tree.fs(t), Commit: commit})
	if err != nil {
		t.Fatalf("sync %s: %v", commit, err)
	}
	return res
}

// objectResult returns the result of the object at path.
func objectResult(t *testing.T, res *Result, path string) ObjectResult {
	t.Helper()
	for _, o := range res.Objects {
		if o.Path == path {
			return o
		}
	}
	t.Fatalf("no result for %s in %+v", path, res.Objects)
	return ObjectResult{}
}

// getLive reads an object from the member cluster; nil when it does not exist.
func getLive(t *testing.T, c client.Client, apiVersion, kind, ns, name string) *unstructured.Unstructured {
	t.Helper()
	obj := &unstructured.Unstructured{}
	obj.SetAPIVersion(apiVersion)
	obj.SetKind(kind)
	err := c.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, obj)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		t.Fatalf("get %s %s/%s: %v", kind, ns, name, err)
	}
	return obj
}

// smallTree is a directory with one of each kind the syncer stages: a Namespace, a
// ConfigMap, a Deployment, a Service, a CRD and an instance of it.
func smallTree(cluster, ns, group string) *fixtureTree {
	return newFixtureTree(cluster,
		namespaceObj(ns),
		configMapObj(ns, "settings", map[string]any{"level": "info"}),
		deploymentObj(ns, "web", "registry.example/web:1.0.0", 2),
		serviceObj(ns, "web"),
		crdObj(group, "Widget", "widgets"),
		customObj(group, "Widget", ns, "first", map[string]any{"size": 3}),
	)
}

func TestSyncFirstApplyThenNoop(t *testing.T) {
	g := NewWithT(t)
	s := testSyncer(t, "member-1")
	c := adminClient(t)
	ns, group := randomName("apply"), randomName("g")+".gitfleet.test"
	tree := smallTree("member-1", ns, group)

	first := syncTree(t, s, tree, "c1")
	g.Expect(first.Failed).To(BeZero(), "%+v", first.Objects)
	g.Expect(first.Applied).To(Equal(6))
	g.Expect(first.Cluster).To(Equal("member-1"))
	t.Logf("first sync: %v in %v", first.Requests, first.Duration)
	for _, o := range first.Objects {
		g.Expect(o.Reason).To(Equal(ReasonCreated), o.Path)
	}

	for _, id := range [][4]string{
		{"v1", "Namespace", "", ns},
		{"v1", "ConfigMap", ns, "settings"},
		{"apps/v1", "Deployment", ns, "web"},
		{"v1", "Service", ns, "web"},
		{"apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "widgets." + group},
		{group + "/v1", "Widget", ns, "first"},
	} {
		live := getLive(t, c, id[0], id[1], id[2], id[3])
		g.Expect(live).NotTo(BeNil(), "%v", id)
		g.Expect(live.GetLabels()).To(HaveKeyWithValue(ManagedLabel, ManagedLabelValue), "%v", id)
		g.Expect(ownsFields(live, FieldManager)).To(BeTrue(), "%v is applied by the gitfleet field manager", id)
	}
	g.Expect(s.LastAppliedCommit(testContext(t))).To(Equal("c1"))

	// Nothing changed: every object is unchanged, nothing is written, and the sync costs
	// the inventory read plus one LIST per type.
	second := syncTree(t, s, tree, "c1")
	g.Expect(second.Unchanged).To(Equal(6), "%+v", second.Objects)
	g.Expect(second.Applied + second.Failed + second.Pruned + second.Conflicts).To(BeZero())
	g.Expect(second.Requests).To(Equal(map[string]int{"get": 1, "list": 6}), "one GET of the inventory, one LIST per type")

	// A new rendered commit that changes nothing for this cluster only records the commit.
	third := syncTree(t, s, tree, "c2")
	g.Expect(third.Unchanged).To(Equal(6))
	g.Expect(third.Requests).To(Equal(map[string]int{"get": 1, "list": 6, "patch": 1}))
	g.Expect(third.PreviousCommit).To(Equal("c1"))
}

func TestSyncAppliesChangedManifests(t *testing.T) {
	g := NewWithT(t)
	s := testSyncer(t, "member-1")
	c := adminClient(t)
	ns := randomName("change")
	tree := newFixtureTree("member-1", namespaceObj(ns),
		configMapObj(ns, "a", map[string]any{"k": "1"}),
		configMapObj(ns, "b", map[string]any{"k": "1", "gone": "soon"}),
		deploymentObj(ns, "web", "registry.example/web:1.0.0", 2))
	syncTree(t, s, tree, "c1")

	// b drops a key: only the manifest digest tells, since the live object still holds
	// every field the new manifest sets.
	tree.add(configMapObj(ns, "b", map[string]any{"k": "1"}),
		deploymentObj(ns, "web", "registry.example/web:1.1.0", 2))
	res := syncTree(t, s, tree, "c2")
	g.Expect(res.Applied).To(Equal(2), "%+v", res.Objects)
	g.Expect(objectResult(t, res, ns+"/core.configmap.b.yaml").Reason).To(Equal(ReasonManifestChanged))
	g.Expect(objectResult(t, res, ns+"/apps.deployment.web.yaml").Reason).To(Equal(ReasonManifestChanged))
	g.Expect(objectResult(t, res, ns+"/core.configmap.a.yaml").Action).To(Equal(ActionUnchanged))

	b := getLive(t, c, "v1", "ConfigMap", ns, "b")
	g.Expect(b.Object["data"]).To(Equal(map[string]any{"k": "1"}))
	web := getLive(t, c, "apps/v1", "Deployment", ns, "web")
	containers, _, _ := unstructured.NestedSlice(web.Object, "spec", "template", "spec", "containers")
	g.Expect(containers[0].(map[string]any)["image"]).To(Equal("registry.example/web:1.1.0"))

	// Changes from the Git diff, relative to the last applied commit, are applied without a
	// comparison; relative to another commit they are ignored.
	res, err := s.Sync(testContext(t), Request{Dir: tree.fs(t), Commit: "c3",
		Changes: &Changes{Since: "c2", Paths: []string{ns + "/core.configmap.a.yaml"}}})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Unchanged).To(Equal(4), "ssa finds the hinted object unchanged")
	g.Expect(res.Requests["patch-dry-run"]).To(Equal(1), "the hinted object went to ssa")
}

func TestSyncRefusesTreeWithoutInventory(t *testing.T) {
	g := NewWithT(t)
	s := testSyncer(t, "member-1")
	ns := randomName("refuse")
	dir := smallTree("member-1", ns, "x.gitfleet.test").fs(t)
	delete(dir, ".gitfleet-cluster.yaml")

	before := s.requests.snapshot()
	res, err := s.Sync(testContext(t), Request{Dir: dir, Commit: "c1"})
	g.Expect(err).To(MatchError(ErrInvalidTree))
	g.Expect(res).To(BeNil())
	g.Expect(s.requests.since(before)).To(BeEmpty(), "nothing is sent to the cluster")
	g.Expect(getLive(t, adminClient(t), "v1", "Namespace", "", ns)).To(BeNil())

	// Another cluster's directory is refused the same way.
	other := smallTree("member-2", ns, "x.gitfleet.test").fs(t)
	_, err = s.Sync(testContext(t), Request{Dir: other, Commit: "c1"})
	g.Expect(err).To(MatchError(ErrInvalidTree))
	g.Expect(err.Error()).To(ContainSubstring(`is for cluster "member-2"`))
}

func TestSyncReportsFailuresPerObject(t *testing.T) {
	g := NewWithT(t)
	s := testSyncer(t, "member-1")
	ns := randomName("fail")
	tree := newFixtureTree("member-1", namespaceObj(ns),
		configMapObj(ns, "fine", map[string]any{"k": "v"}),
		customObj("nowhere.gitfleet.test", "Gadget", ns, "g", map[string]any{"a": 1}),
		configMapObj(ns, "Invalid_Name", map[string]any{"k": "v"}))
	res := syncTree(t, s, tree, "c1")
	g.Expect(res.Applied).To(Equal(2), "%+v", res.Objects)
	g.Expect(res.Failed).To(Equal(2))
	gadget := objectResult(t, res, ns+"/nowhere.gitfleet.test.gadget.g.yaml")
	g.Expect(gadget.Action).To(Equal(ActionFailed))
	g.Expect(gadget.Message).To(ContainSubstring("is not served"))
	invalid := objectResult(t, res, ns+"/core.configmap.Invalid_Name.yaml")
	g.Expect(invalid.Reason).To(Equal(ReasonApplyFailed))
	g.Expect(invalid.Message).To(ContainSubstring("Invalid"))

	// Failed objects are tried again; what succeeded is in sync.
	again := syncTree(t, s, tree, "c1")
	g.Expect(again.Failed).To(Equal(2))
	g.Expect(again.Unchanged).To(Equal(2))
}
