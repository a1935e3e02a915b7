package renderer

import (
	"testing"

	. "github.com/onsi/gomega"
)

func TestLoadStatusView(t *testing.T) {
	g := NewWithT(t)
	view, err := LoadStatusView(mapFS(map[string]string{
		"clusters/member1.yaml": `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: member1}
spec: {syncMode: Push}
status:
  conditions:
  - {type: Ready, status: "True", reason: ClusterReady, message: ok, lastTransitionTime: "2026-01-01T00:00:00Z"}
  resourceSummary:
    allocatable: {cpu: "4", pods: "110"}
`,
		"clusters/member1/nodes.yaml": "ignored: true\n",
		"render.yaml":                 "ignored: true\n",
	}))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(view.Clusters).To(HaveLen(1))
	status := view.Clusters["member1"]
	g.Expect(status.Conditions).To(HaveLen(1))
	g.Expect(status.ResourceSummary.Allocatable.Cpu().String()).To(Equal("4"))

	empty, err := LoadStatusView(nil)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(empty.Clusters).To(BeEmpty())
	empty, err = LoadStatusView(mapFS(map[string]string{"README.md": "x"}))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(empty.Clusters).To(BeEmpty())
}

func TestLoadPrevious(t *testing.T) {
	g := NewWithT(t)
	prev, err := LoadPrevious(mapFS(map[string]string{
		"bindings/shop/apps.deployment.web.yaml": `apiVersion: work.karmada.io/v1alpha2
kind: ResourceBinding
metadata: {name: web-deployment, namespace: shop}
spec:
  resource: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web}
  replicas: 12
  clusters: [{name: m1, replicas: 4}, {name: m2, replicas: 8}]
`,
		"bindings/_cluster/core.namespace.shop.yaml": `apiVersion: work.karmada.io/v1alpha2
kind: ClusterResourceBinding
metadata: {name: shop-namespace}
spec:
  resource: {apiVersion: v1, kind: Namespace, name: shop}
`,
		"karmada-es-m1/shop/apps.deployment.web.yaml": "not: a binding\n",
	}))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(prev.Bindings).To(HaveLen(2))
	web := prev.Bindings[ObjectKey{Group: "apps", Kind: "Deployment", Namespace: "shop", Name: "web"}]
	g.Expect(web).NotTo(BeNil())
	g.Expect(web.Spec.Clusters).To(HaveLen(2))
	g.Expect(prev.Bindings).To(HaveKey(ObjectKey{Kind: "Namespace", Name: "shop"}))

	first, err := LoadPrevious(mapFS(map[string]string{"README.md": "x"}))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(first.Bindings).To(BeEmpty())
}
