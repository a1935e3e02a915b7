package overrides

import (
	"testing"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// benchPolicies is a typical set: 2 ClusterOverridePolicies and 2 OverridePolicies with 5
// rules between them, all applying to the Deployment of deploymentYAML on member1.
func benchPolicies(b *testing.B) Policies {
	return Policies{
		Cluster: []*v1alpha1.ClusterOverridePolicy{
			clusterOverridePolicy(b, `
metadata: {name: regional-registries}
spec:
  overrideRules:
  - targetCluster: {fieldSelector: {matchExpressions: [{key: region, operator: In, values: [eu-west-1]}]}}
    overriders:
      imageOverrider: [{component: Registry, operator: replace, value: eu.mirror.example}]
`),
			clusterOverridePolicy(b, `
metadata: {name: cluster-metadata}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]
  overrideRules:
  - overriders:
      labelsOverrider: [{operator: add, value: {fleet.example/cluster: member1}}]
      annotationsOverrider: [{operator: add, value: {fleet.example/owner: platform}}]
`),
		},
		Namespaced: []*v1alpha1.OverridePolicy{
			overridePolicy(b, `
metadata: {name: web-sizing, namespace: shop}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  overrideRules:
  - targetCluster: {clusterNames: [member1]}
    overriders:
      plaintext: [{path: /spec/replicas, operator: replace, value: 5}]
  - targetCluster: {labelSelector: {matchLabels: {env: prod}}}
    overriders:
      argsOverrider: [{containerName: web, operator: add, value: [--log-level=warn]}]
`),
			overridePolicy(b, `
metadata: {name: web-tags, namespace: shop}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {app: web}}}]
  overrideRules:
  - overriders:
      imageOverrider: [{predicate: {path: /spec/template/spec/containers/0/image}, component: Tag, operator: replace, value: v1.0.1}]
      commandOverrider: [{containerName: web, operator: remove, value: [-t]}]
`),
		},
	}
}

// BenchmarkApply applies the typical set to a fresh copy of a Deployment, as the renderer
// does once per template and cluster; the copy is part of the measured cost.
func BenchmarkApply(b *testing.B) {
	policies := benchPolicies(b)
	template := manifest(b, deploymentYAML)
	cluster := memberCluster("member1", "eu-west-1", map[string]string{"env": "prod"})

	applied, err := Apply(template.DeepCopy(), cluster, policies)
	if err != nil || len(applied.ClusterOverrides) != 2 || len(applied.Overrides) != 3 {
		b.Fatalf("unexpected result: %v %+v", err, applied)
	}

	b.ReportAllocs()
	for b.Loop() {
		if _, err := Apply(template.DeepCopy(), cluster, policies); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeepCopy is the copy alone, to read BenchmarkApply against.
func BenchmarkDeepCopy(b *testing.B) {
	template := manifest(b, deploymentYAML)
	b.ReportAllocs()
	for b.Loop() {
		_ = template.DeepCopy()
	}
}
