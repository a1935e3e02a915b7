package fleetgen

import (
	"fmt"
	"strings"
)

// genOverrides writes the override rules, about one per app (~200 at F100):
//   - overrides/regional-registries.yaml: a regional image registry and region label per region;
//   - overrides/tier-replicas.yaml: a plaintext replica count per tier for Duplicated workloads;
//   - overrides/cluster-labels.yaml: a per-cluster label for half of the remaining rules;
//   - overrides/<namespace>/<group>.yaml: env, annotation and image-tag tuning per cluster
//     label for the rest.
func (g *generator) genOverrides(apps, groups int) {
	g.genRegionalRegistries()
	g.genTierReplicas()
	rest := max(0, apps-len(regions)-len(tiers))
	perCluster := min(rest/2, len(g.clusters))
	g.genClusterLabels(perCluster)
	g.genTuning(rest-perCluster, groups)
}

// deploymentSelector selects every Deployment, or those with label key=value.
func deploymentSelector(key, value string) string {
	s := "  resourceSelectors:\n  - apiVersion: apps/v1\n    kind: Deployment\n"
	if key != "" {
		s += fmt.Sprintf("    labelSelector:\n      matchLabels:\n        %s: %s\n", key, value)
	}
	return s
}

func clusterOverridePolicy(name, selector string) *strings.Builder {
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: policy.karmada.io/v1alpha1\nkind: ClusterOverridePolicy\nmetadata:\n  name: %s\nspec:\n%s  overrideRules:\n", name, selector)
	return &b
}

func (g *generator) genRegionalRegistries() {
	b := clusterOverridePolicy("regional-registries", deploymentSelector("", ""))
	for _, r := range regions {
		fmt.Fprintf(b, `  - targetCluster:
      fieldSelector:
        matchExpressions:
        - key: region
          operator: In
          values:
          - %s
    overriders:
`, r)
		if r != "us-east" { // us-east pulls from registry.example.com itself
			fmt.Fprintf(b, "      imageOverrider:\n      - component: Registry\n        operator: replace\n        value: registry.%s.example.com\n", r)
		}
		fmt.Fprintf(b, "      labelsOverrider:\n      - operator: add\n        value:\n          fleet.example.com/region: %s\n", r)
	}
	g.source.Put("overrides/regional-registries.yaml", []byte(b.String()))
}

func (g *generator) genTierReplicas() {
	b := clusterOverridePolicy("tier-replicas", deploymentSelector(labelPlacement, duplicated.String()))
	for i, t := range tiers {
		fmt.Fprintf(b, `  - targetCluster:
      labelSelector:
        matchLabels:
          tier: %s
    overriders:
      plaintext:
      - path: /spec/replicas
        operator: replace
        value: %d
`, t, 1+(len(tiers)-i)*g.rng.IntN(3)+i)
	}
	g.source.Put("overrides/tier-replicas.yaml", []byte(b.String()))
}

func (g *generator) genClusterLabels(n int) {
	if n == 0 {
		return
	}
	b := clusterOverridePolicy("cluster-labels", deploymentSelector("", ""))
	picked := g.rng.Perm(len(g.clusters))[:n]
	for _, i := range picked {
		c := g.clusters[i].name
		fmt.Fprintf(b, `  - targetCluster:
      clusterNames:
      - %s
    overriders:
      labelsOverrider:
      - operator: add
        value:
          fleet.example.com/cluster: %s
`, c, c)
	}
	g.source.Put("overrides/cluster-labels.yaml", []byte(b.String()))
}

// genTuning spreads n rules over the groups' OverridePolicies, each targeting clusters by
// one label and changing env (plaintext), annotations or the image tag (imageOverrider).
func (g *generator) genTuning(n, groups int) {
	rules := make([][]string, groups)
	for k := range n {
		var target string
		switch g.rng.IntN(3) {
		case 0:
			target = "tier: " + tiers[g.rng.IntN(len(tiers))]
		case 1:
			target = "provider: " + providers[g.rng.IntN(len(providers))]
		default:
			target = "env: staging"
		}
		var over string
		switch k % 3 {
		case 0:
			over = fmt.Sprintf(`      plaintext:
      - path: /spec/template/spec/containers/0/env/-
        operator: add
        value:
          name: TUNING_%d
          value: "%d"
`, k, g.rng.IntN(1000))
		case 1:
			over = fmt.Sprintf(`      annotationsOverrider:
      - operator: add
        value:
          fleet.example.com/tuning-%d: "%d"
`, k, g.rng.IntN(1000))
		default:
			over = fmt.Sprintf(`      imageOverrider:
      - component: Tag
        operator: replace
        value: 2.%d.%d
`, g.rng.IntN(10), g.rng.IntN(30))
		}
		grp := k % groups
		rules[grp] = append(rules[grp], fmt.Sprintf("  - targetCluster:\n      labelSelector:\n        matchLabels:\n          %s\n    overriders:\n%s", target, over))
	}
	for grp, rs := range rules {
		if len(rs) == 0 {
			continue
		}
		ns, name := namespaceOf(grp), groupName(grp)
		var b strings.Builder
		fmt.Fprintf(&b, "apiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata:\n  name: %s-tuning\n  namespace: %s\nspec:\n%s  overrideRules:\n",
			name, ns, deploymentSelector(labelGroup, name))
		for _, r := range rs {
			b.WriteString(r)
		}
		g.source.Put(fmt.Sprintf("overrides/%s/%s.yaml", ns, name), []byte(b.String()))
	}
}
