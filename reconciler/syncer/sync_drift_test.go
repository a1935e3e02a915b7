package syncer

import (
	"context"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// editAsHuman merge-patches an object with another field manager, as `kubectl edit` does.
func editAsHuman(t *testing.T, c client.Client, apiVersion, kind, ns, name, patch string) {
	t.Helper()
	obj := &unstructured.Unstructured{}
	obj.SetAPIVersion(apiVersion)
	obj.SetKind(kind)
	obj.SetNamespace(ns)
	obj.SetName(name)
	err := c.Patch(context.Background(), obj, client.RawPatch(types.MergePatchType, []byte(patch)), client.FieldOwner("kubectl-edit"))
	if err != nil {
		t.Fatalf("editing %s %s/%s: %v", kind, ns, name, err)
	}
}

func TestSyncCorrectsDrift(t *testing.T) {
	g := NewWithT(t)
	s := testSyncer(t, "member-1")
	c := adminClient(t)
	ns := randomName("drift")
	tree := newFixtureTree("member-1", namespaceObj(ns),
		configMapObj(ns, "settings", map[string]any{"level": "info"}),
		configMapObj(ns, "deleted", map[string]any{"level": "info"}),
		configMapObj(ns, "annotated", map[string]any{"level": "info"}),
		deploymentObj(ns, "web", "registry.example/web:1.0.0", 2),
		serviceObj(ns, "web"))
	first := syncTree(t, s, tree, "c1")
	g.Expect(first.Applied).To(Equal(6), "%+v", first.Objects)

	// Fields gitfleet set are edited, an object is deleted, and a field gitfleet does not
	// set is added by someone else.
	editAsHuman(t, c, "v1", "ConfigMap", ns, "settings", `{"data":{"level":"debug"}}`)
	editAsHuman(t, c, "apps/v1", "Deployment", ns, "web", `{"spec":{"replicas":5}}`)
	editAsHuman(t, c, "v1", "ConfigMap", ns, "annotated", `{"metadata":{"annotations":{"owner":"team-a"}}}`)
	g.Expect(c.Delete(context.Background(), getLive(t, c, "v1", "ConfigMap", ns, "deleted"))).To(Succeed())

	res := syncTree(t, s, tree, "c1")
	g.Expect(res.Applied).To(Equal(3), "%+v", res.Objects)
	g.Expect(res.Unchanged).To(Equal(3))
	for _, p := range []string{ns + "/core.configmap.settings.yaml", ns + "/apps.deployment.web.yaml", ns + "/core.configmap.deleted.yaml"} {
		o := objectResult(t, res, p)
		g.Expect(o.Action).To(Equal(ActionApplied), p)
		g.Expect(o.Reason).To(Equal(ReasonDriftCorrected), p)
	}
	g.Expect(objectResult(t, res, ns+"/core.configmap.annotated.yaml").Action).To(Equal(ActionUnchanged),
		"a field gitfleet does not set is not drift")

	g.Expect(getLive(t, c, "v1", "ConfigMap", ns, "settings").Object["data"]).To(Equal(map[string]any{"level": "info"}))
	replicas, _, _ := unstructured.NestedInt64(getLive(t, c, "apps/v1", "Deployment", ns, "web").Object, "spec", "replicas")
	g.Expect(replicas).To(Equal(int64(2)))
	g.Expect(getLive(t, c, "v1", "ConfigMap", ns, "deleted")).NotTo(BeNil())
	g.Expect(getLive(t, c, "v1", "ConfigMap", ns, "annotated").GetAnnotations()).To(HaveKeyWithValue("owner", "team-a"))

	// Once restored, the next sync finds nothing to do.
	again := syncTree(t, s, tree, "c1")
	g.Expect(again.Unchanged).To(Equal(6), "%+v", again.Objects)
}

func TestSyncRestoresRemovedManagedLabel(t *testing.T) {
	g := NewWithT(t)
	s := testSyncer(t, "member-1")
	c := adminClient(t)
	ns := randomName("label")
	tree := newFixtureTree("member-1", namespaceObj(ns), configMapObj(ns, "settings", map[string]any{"level": "info"}))
	syncTree(t, s, tree, "c1")

	// The label goes and a field gitfleet set changes in the same edit: the object is
	// hidden from the LIST selecting gitfleet's objects, and the edit's manager now owns
	// the field. The inventory still says it is gitfleet's, so it is taken back.
	editAsHuman(t, c, "v1", "ConfigMap", ns, "settings", `{"metadata":{"labels":{"`+ManagedLabel+`":null}},"data":{"level":"debug"}}`)
	res := syncTree(t, s, tree, "c1")
	o := objectResult(t, res, ns+"/core.configmap.settings.yaml")
	g.Expect(o.Action).To(Equal(ActionApplied), "%+v", res.Objects)
	g.Expect(o.Reason).To(Equal(ReasonDriftCorrected))
	live := getLive(t, c, "v1", "ConfigMap", ns, "settings")
	g.Expect(live.GetLabels()).To(HaveKeyWithValue(ManagedLabel, ManagedLabelValue))
	g.Expect(live.Object["data"]).To(Equal(map[string]any{"level": "info"}))
}
