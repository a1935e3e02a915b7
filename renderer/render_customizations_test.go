package renderer

import (
	"testing"

	. "github.com/onsi/gomega"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// The source's interpreter customizations are rendered into every cluster's directory, the
// same bytes in each and outside the inventory, for pull agents; a source without them
// renders no such file.
func TestRenderCarriesInterpreterCustomizations(t *testing.T) {
	g := NewWithT(t)
	files := map[string]string{
		"clusters.yaml": `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: m1}
spec: {syncMode: Pull}
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
  placement: {clusterAffinity: {clusterNames: [m1]}}
`,
	}
	plain := renderTree(t, mapFS(files), nil, nil)
	for _, c := range []string{"m1", "m2"} {
		_, ok := plain.Tree.Get("karmada-es-" + c + "/" + v1alpha1.ClusterInterpreterFileName)
		g.Expect(ok).To(BeFalse(), "no customizations, no file in %s", c)
	}

	files["interpreter.yaml"] = `apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata: {name: configmap-health}
spec:
  target: {apiVersion: v1, kind: ConfigMap}
  customizations:
    healthInterpretation:
      luaScript: |
        function InterpretHealth(observedObj)
          return true
        end
`
	res := renderTree(t, mapFS(files), nil, nil)
	m1, ok := res.Tree.Get("karmada-es-m1/" + v1alpha1.ClusterInterpreterFileName)
	g.Expect(ok).To(BeTrue())
	m2, ok := res.Tree.Get("karmada-es-m2/" + v1alpha1.ClusterInterpreterFileName)
	g.Expect(ok).To(BeTrue(), "every cluster gets it, whatever it receives")
	g.Expect(m2).To(Equal(m1))
	var list v1alpha1.ResourceInterpreterCustomizationList
	g.Expect(yaml.Unmarshal(m1, &list)).To(Succeed())
	g.Expect(list.Kind).To(Equal("ResourceInterpreterCustomizationList"))
	g.Expect(list.Items).To(HaveLen(1))
	g.Expect(list.Items[0].Name).To(Equal("configmap-health"))
	g.Expect(list.Items[0].Spec.Customizations.HealthInterpretation.LuaScript).To(ContainSubstring("function InterpretHealth"))

	inventory, ok := res.Tree.Get("karmada-es-m1/" + v1alpha1.ClusterInventoryFileName)
	g.Expect(ok).To(BeTrue())
	g.Expect(string(inventory)).NotTo(ContainSubstring(v1alpha1.ClusterInterpreterFileName), "never applied")
	_, withSettings := res.Tree.Get("karmada-es-m1/default/core.configmap.settings.yaml")
	g.Expect(withSettings).To(BeTrue())
}
