package syncer

import (
	"context"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// createAsHuman creates an object gitfleet has nothing to do with.
func createAsHuman(t *testing.T, obj map[string]any) {
	t.Helper()
	u := &unstructured.Unstructured{Object: obj}
	if err := adminClient(t).Create(context.Background(), u); err != nil {
		t.Fatalf("creating %s %s: %v", u.GetKind(), u.GetName(), err)
	}
}

func TestSyncPrunesWhatLeftTheRender(t *testing.T) {
	g := NewWithT(t)
	s := testSyncer(t, "member-1")
	c := adminClient(t)
	ns, gone := randomName("prune"), randomName("prune-ns")
	tree := newFixtureTree("member-1", namespaceObj(ns), namespaceObj(gone),
		configMapObj(ns, "keep", map[string]any{"k": "v"}),
		configMapObj(ns, "drop", map[string]any{"k": "v"}),
		configMapObj(ns, "unlabelled", map[string]any{"k": "v"}),
		deploymentObj(ns, "web", "registry.example/web:1.0.0", 1))
	syncTree(t, s, tree, "c1")
	createAsHuman(t, configMapObj(ns, "theirs", map[string]any{"k": "v"}))
	// Someone claims an object gitfleet created by removing the label: it is theirs now.
	editAsHuman(t, c, "v1", "ConfigMap", ns, "unlabelled", `{"metadata":{"labels":{"`+ManagedLabel+`":null}}}`)

	tree.remove(ns + "/core.configmap.drop.yaml").remove(ns + "/core.configmap.unlabelled.yaml").
		remove(ns + "/apps.deployment.web.yaml").remove("_cluster/core.namespace." + gone + ".yaml")
	res := syncTree(t, s, tree, "c2")
	g.Expect(res.Pruned).To(Equal(3), "%+v", res.Objects)
	g.Expect(res.Skipped).To(Equal(1))
	g.Expect(res.Unchanged).To(Equal(2))
	g.Expect(objectResult(t, res, ns+"/apps.deployment.web.yaml")).To(Equal(ObjectResult{
		Path: ns + "/apps.deployment.web.yaml", APIVersion: "apps/v1", Kind: "Deployment", Namespace: ns, Name: "web",
		Action: ActionPruned, Reason: ReasonPruned,
	}))
	g.Expect(objectResult(t, res, ns+"/core.configmap.unlabelled.yaml").Action).To(Equal(ActionSkipped))

	g.Expect(getLive(t, c, "v1", "ConfigMap", ns, "drop")).To(BeNil())
	g.Expect(getLive(t, c, "apps/v1", "Deployment", ns, "web")).To(BeNil())
	// Without a namespace controller, a deleted namespace stays Terminating.
	if live := getLive(t, c, "v1", "Namespace", "", gone); live != nil {
		g.Expect(live.GetDeletionTimestamp()).NotTo(BeNil())
	}
	g.Expect(getLive(t, c, "v1", "ConfigMap", ns, "keep")).NotTo(BeNil())
	g.Expect(getLive(t, c, "v1", "ConfigMap", ns, "theirs")).NotTo(BeNil(), "never created by gitfleet, never pruned")
	g.Expect(getLive(t, c, "v1", "ConfigMap", ns, "unlabelled")).NotTo(BeNil(), "no longer gitfleet's, not pruned")

	// Pruned and skipped objects are forgotten: the next sync has nothing to prune.
	again := syncTree(t, s, tree, "c2")
	g.Expect(again.Pruned+again.Skipped+again.Failed).To(BeZero(), "%+v", again.Objects)
	g.Expect(again.Unchanged).To(Equal(2))
}
