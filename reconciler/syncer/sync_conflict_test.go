package syncer

import (
	"testing"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func TestSyncLeavesUnmanagedObjectsAlone(t *testing.T) {
	g := NewWithT(t)
	s := testSyncer(t, "member-1")
	c := adminClient(t)
	ns := randomName("conflict")
	createAsHuman(t, namespaceObj(ns))
	createAsHuman(t, configMapObj(ns, "settings", map[string]any{"level": "theirs"}))

	tree := newFixtureTree("member-1",
		configMapObj(ns, "settings", map[string]any{"level": "ours"}),
		configMapObj(ns, "other", map[string]any{"level": "ours"}))
	res := syncTree(t, s, tree, "c1")
	o := objectResult(t, res, ns+"/core.configmap.settings.yaml")
	g.Expect(o.Action).To(Equal(ActionConflict))
	g.Expect(o.Reason).To(Equal(ReasonNotManaged))
	g.Expect(o.Message).To(ContainSubstring("not created by gitfleet"))
	g.Expect(res.Conflicts).To(Equal(1))
	g.Expect(res.Applied).To(Equal(1), "the conflict does not stop the other objects")
	g.Expect(res.Succeeded()).To(BeFalse())

	live := getLive(t, c, "v1", "ConfigMap", ns, "settings")
	g.Expect(live.Object["data"]).To(Equal(map[string]any{"level": "theirs"}))
	g.Expect(live.GetLabels()).NotTo(HaveKey(ManagedLabel))
	g.Expect(ownsFields(live, FieldManager)).To(BeFalse())

	// Still a conflict next time; and never pruned when it leaves the render.
	g.Expect(syncTree(t, s, tree, "c1").Conflicts).To(Equal(1))
	tree.remove(ns + "/core.configmap.settings.yaml")
	res = syncTree(t, s, tree, "c2")
	g.Expect(res.Pruned).To(BeZero(), "%+v", res.Objects)
	g.Expect(getLive(t, c, "v1", "ConfigMap", ns, "settings")).NotTo(BeNil())

	// With conflict-resolution overwrite the manifest takes the object over.
	takeover := configMapObj(ns, "settings", map[string]any{"level": "ours"})
	takeover["metadata"].(map[string]any)["annotations"] = map[string]any{
		v1alpha1.ResourceConflictResolutionAnnotation: v1alpha1.ResourceConflictResolutionOverwrite,
	}
	tree.add(takeover)
	res = syncTree(t, s, tree, "c3")
	o = objectResult(t, res, ns+"/core.configmap.settings.yaml")
	g.Expect(o.Action).To(Equal(ActionApplied), "%+v", o)
	g.Expect(o.Reason).To(Equal(ReasonOverwritten))
	live = getLive(t, c, "v1", "ConfigMap", ns, "settings")
	g.Expect(live.Object["data"]).To(Equal(map[string]any{"level": "ours"}))
	g.Expect(live.GetLabels()).To(HaveKeyWithValue(ManagedLabel, ManagedLabelValue))

	// Taken over, it is gitfleet's: in sync next time, and pruned when it leaves.
	g.Expect(objectResult(t, syncTree(t, s, tree, "c3"), ns+"/core.configmap.settings.yaml").Action).To(Equal(ActionUnchanged))
	tree.remove(ns + "/core.configmap.settings.yaml")
	g.Expect(syncTree(t, s, tree, "c4").Pruned).To(Equal(1))
	g.Expect(getLive(t, c, "v1", "ConfigMap", ns, "settings")).To(BeNil())
}
