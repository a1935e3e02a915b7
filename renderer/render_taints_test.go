package renderer

import (
	"testing"

	. "github.com/onsi/gomega"
)

// Taints the hub decided (decisions/taints.yaml) keep new placements off a cluster, as its
// own NoSchedule taints would, while a template already placed there stays (Karmada's
// TaintToleration filter passes the clusters a binding already has).
func TestRenderHonoursDecidedTaints(t *testing.T) {
	g := NewWithT(t)
	source := mapFS(map[string]string{
		"clusters.yaml": `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: m1}
spec: {syncMode: Push, apiEndpoint: "https://m1"}
---
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: m2}
spec: {syncMode: Push, apiEndpoint: "https://m2"}
`,
		"app.yaml": `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: default}
data: {k: v}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: settings, namespace: default}
spec:
  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]
  placement: {clusterAffinity: {clusterNames: [m1, m2]}}
`,
	})
	view, err := LoadStatusView(mapFS(map[string]string{
		"decisions/taints.yaml": `apiVersion: gitfleet.io/v1alpha1
kind: TaintDecisions
clusters:
- cluster: m2
  taints:
  - {key: cluster.karmada.io/unreachable, effect: NoSchedule, timeAdded: "2026-11-27T10:00:00Z", reason: ReadyUnknown}
`,
	}))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(view.Taints["m2"]).To(HaveLen(1))

	fresh := renderTree(t, source, view, nil)
	_, onM1 := fresh.Tree.Get("karmada-es-m1/default/core.configmap.settings.yaml")
	g.Expect(onM1).To(BeTrue())
	_, onM2 := fresh.Tree.Get("karmada-es-m2/default/core.configmap.settings.yaml")
	g.Expect(onM2).To(BeFalse(), "a new placement avoids the tainted cluster")

	placed := renderTree(t, source, nil, nil)
	prev, err := LoadPrevious(placed.Tree.FS())
	g.Expect(err).NotTo(HaveOccurred())
	again := renderTree(t, source, view, prev)
	_, onM2 = again.Tree.Get("karmada-es-m2/default/core.configmap.settings.yaml")
	g.Expect(onM2).To(BeTrue(), "what is already placed there stays")
}
