// Package fleetgen generates synthetic fleets of the shape BENCHMARKS.md calls F100: member
// clusters spread over regions with env/tier/provider labels and some tainted, a status tree
// with capacity for dynamic weights, applications of Deployments, ConfigMaps and Services,
// propagation policies of every scheduling flavour and a mix of override rules.
//
// Generation is pure: the same Options always give byte-identical trees, so a benchmark
// fixture is a seed and a size, never a committed directory.
package fleetgen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/gitfleet/gitfleet/renderer"
)

// Options size and seed a generated fleet.
type Options struct {
	// Seed drives every random choice (labels, taints, replicas, weights, images); two
	// generations with the same Options are byte-identical.
	Seed uint64
	// Clusters is the number of member clusters, spread round-robin over five regions.
	Clusters int
	// Templates is the number of resource templates: Templates/10 apps of 4 Deployments,
	// 3 ConfigMaps and 3 Services each. Namespaces come on top of these.
	Templates int
	// MaxWidth caps how many clusters one policy may place a template on, by listing that
	// many cluster names in its affinity. It models fleets that are wide but not deep
	// (F1000 uses 10); 0 leaves placement width unlimited.
	MaxWidth int
}

// Fixed vocabulary of the fixture. Regions are assigned round-robin so that any run of
// consecutive clusters covers every region.
var (
	regions   = []string{"us-east", "us-west", "eu-west", "eu-central", "ap-southeast"}
	tiers     = []string{"t0", "t1", "t2", "t3"}
	providers = []string{"p0", "p1", "p2"}
)

const (
	appsPerGroup   = 4
	templatesApp   = 10
	namespaceCount = 20
	labelApp       = "fleet.example.com/app"
	labelGroup     = "fleet.example.com/group"
	labelPlacement = "fleet.example.com/placement"
)

// placement is the scheduling flavour of one policy.
type placement int

const (
	duplicated placement = iota
	staticWeights
	dynamicWeights
	spread
)

func (p placement) String() string {
	return [...]string{"duplicated", "static", "dynamic", "spread"}[p]
}

// placementOf spreads the flavours 40/30/20/10 over policy groups.
func placementOf(group int) placement {
	switch g := group % 10; {
	case g < 4:
		return duplicated
	case g < 7:
		return staticWeights
	case g < 9:
		return dynamicWeights
	default:
		return spread
	}
}

// cluster is one generated member cluster.
type cluster struct {
	name, region, env, tier, provider string
	tainted                           bool
}

// generator holds one generation's state.
type generator struct {
	opts     Options
	rng      *rand.Rand
	clusters []cluster
	source   *renderer.Tree
	status   *renderer.Tree
}

// Generate builds a fleet's source tree (clusters, namespaces, apps, policies, overrides)
// and its status tree (clusters/<cluster>.yaml with Ready, apiEnablements and
// resourceSummary), both loadable by renderer.LoadSource and renderer.LoadStatusView.
func Generate(opts Options) (source, status *renderer.Tree, err error) {
	switch {
	case opts.Clusters < 1:
		return nil, nil, errors.New("fleetgen: clusters must be at least 1")
	case opts.Templates < templatesApp:
		return nil, nil, fmt.Errorf("fleetgen: templates must be at least %d (one app)", templatesApp)
	case opts.MaxWidth < 0:
		return nil, nil, errors.New("fleetgen: max width must not be negative")
	}
	g := &generator{
		opts:   opts,
		rng:    rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		source: renderer.NewTree(),
		status: renderer.NewTree(),
	}
	g.genClusters()
	apps := opts.Templates / templatesApp
	groups := (apps + appsPerGroup - 1) / appsPerGroup
	g.genNamespaces(min(groups, namespaceCount))
	for a := range apps {
		g.genApp(a)
	}
	for grp := range groups {
		g.genPolicy(grp)
	}
	g.genOverrides(apps, groups)
	return g.source, g.status, nil
}

func clusterName(i int, region string) string { return fmt.Sprintf("%s-%04d", region, i) }
func namespaceOf(group int) string            { return fmt.Sprintf("ns-%02d", group%namespaceCount) }
func appName(a int) string                    { return fmt.Sprintf("app-%04d", a) }
func groupName(grp int) string                { return fmt.Sprintf("group-%03d", grp) }

// genClusters writes clusters/<name>.yaml to both trees: the spec in the source, the
// observed status in the status tree.
func (g *generator) genClusters() {
	n := g.opts.Clusters
	tainted := make([]bool, n)
	for _, i := range g.rng.Perm(n)[:n/10] {
		tainted[i] = true
	}
	for i := range n {
		c := cluster{
			region:   regions[i%len(regions)],
			env:      "prod",
			tier:     tiers[g.rng.IntN(len(tiers))],
			provider: providers[g.rng.IntN(len(providers))],
			tainted:  tainted[i],
		}
		if g.rng.IntN(3) == 2 {
			c.env = "staging"
		}
		c.name = clusterName(i, c.region)
		g.clusters = append(g.clusters, c)

		var b strings.Builder
		fmt.Fprintf(&b, `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: %s
  labels:
    env: %s
    tier: %s
    provider: %s
spec:
  syncMode: Push
  apiEndpoint: https://%s.clusters.example.com:6443
  secretRef:
    namespace: gitfleet-system
    name: %s
  region: %s
  zones:
  - %s-a
  - %s-b
`, c.name, c.env, c.tier, c.provider, c.name, c.name, c.region, c.region, c.region)
		if c.tainted {
			b.WriteString("  taints:\n  - key: maintenance\n    value: \"true\"\n    effect: NoSchedule\n")
		}
		g.source.Put("clusters/"+c.name+".yaml", []byte(b.String()))

		cpu := 32 + 16*g.rng.IntN(5)
		mem := cpu * 4
		usedCPU := cpu * (10 + g.rng.IntN(70)) / 100
		usedMem := mem * (10 + g.rng.IntN(70)) / 100
		usedPods := 10 + g.rng.IntN(150)
		g.status.Put("clusters/"+c.name+".yaml", fmt.Appendf(nil, `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: %s
spec:
  syncMode: Push
status:
  kubernetesVersion: v1.33.1
  conditions:
  - type: Ready
    status: "True"
    reason: ClusterReady
    message: cluster is healthy and ready to accept workloads
    lastTransitionTime: "2026-01-01T00:00:00Z"
  apiEnablements:
  - groupVersion: apps/v1
    resources:
    - name: deployments
      kind: Deployment
  - groupVersion: v1
    resources:
    - name: configmaps
      kind: ConfigMap
    - name: namespaces
      kind: Namespace
    - name: services
      kind: Service
  resourceSummary:
    allocatable:
      cpu: "%d"
      memory: %dGi
      pods: "220"
    allocated:
      cpu: "%d"
      memory: %dGi
      pods: "%d"
`, c.name, cpu, mem, usedCPU, usedMem, usedPods))
	}
}

func (g *generator) genNamespaces(n int) {
	for i := range n {
		ns := namespaceOf(i)
		g.source.Put("namespaces/"+ns+".yaml", fmt.Appendf(nil, `apiVersion: v1
kind: Namespace
metadata:
  name: %s
  labels:
    team: team-%02d
`, ns, i))
	}
}

// genApp writes apps/<namespace>/<app>.yaml: 4 Deployments, 3 ConfigMaps and 3 Services,
// all labelled with the app and its policy group.
func (g *generator) genApp(a int) {
	grp := a / appsPerGroup
	ns, app := namespaceOf(grp), appName(a)
	labels := fmt.Sprintf("    %s: %s\n    %s: %s\n    %s: %s\n", labelApp, app, labelGroup, groupName(grp), labelPlacement, placementOf(grp))
	var b strings.Builder
	for _, comp := range []string{"api", "web", "worker", "cron"} {
		name := app + "-" + comp
		fmt.Fprintf(&b, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: %s
  namespace: %s
  labels:
%sspec:
  replicas: %d
  selector:
    matchLabels:
      app.kubernetes.io/name: %s
  template:
    metadata:
      labels:
        app.kubernetes.io/name: %s
    spec:
      containers:
      - name: %s
        image: registry.example.com/fleet/%s:1.%d.%d
        ports:
        - name: http
          containerPort: 8080
        envFrom:
        - configMapRef:
            name: %s-config
        env:
        - name: APP_COMPONENT
          value: %s
        resources:
          requests:
            cpu: %dm
            memory: %dMi
          limits:
            memory: %dMi
---
`, name, ns, labels, 1+g.rng.IntN(20), name, name, comp, app+"-"+comp, g.rng.IntN(10), g.rng.IntN(30),
			app, comp, 100*(1+g.rng.IntN(5)), 128*(1+g.rng.IntN(4)), 512*(1+g.rng.IntN(2)))
	}
	for _, suffix := range []string{"config", "features", "env"} {
		fmt.Fprintf(&b, `apiVersion: v1
kind: ConfigMap
metadata:
  name: %s-%s
  namespace: %s
  labels:
%sdata:
  LOG_LEVEL: info
  CACHE_TTL: %dm
  FEATURE_SEED: "%d"
---
`, app, suffix, ns, labels, 1+g.rng.IntN(30), g.rng.IntN(1000000))
	}
	for i, comp := range []string{"api", "web", "worker"} {
		fmt.Fprintf(&b, `apiVersion: v1
kind: Service
metadata:
  name: %s-%s
  namespace: %s
  labels:
%sspec:
  selector:
    app.kubernetes.io/name: %s-%s
  ports:
  - name: http
    port: %d
    targetPort: http
`, app, comp, ns, labels, app, comp, 8080+i)
		if i < 2 {
			b.WriteString("---\n")
		}
	}
	g.source.Put(fmt.Sprintf("apps/%s/%s.yaml", ns, app), []byte(b.String()))
}

// widthNames lists MaxWidth consecutive clusters (from candidates) from a random start, or
// nil when width is unlimited or not binding. Consecutive clusters cover every region.
func (g *generator) widthNames(candidates []cluster) []string {
	w := g.opts.MaxWidth
	if w == 0 || w >= len(candidates) {
		return nil
	}
	start := g.rng.IntN(len(candidates))
	names := make([]string, 0, w)
	for i := range w {
		names = append(names, candidates[(start+i)%len(candidates)].name)
	}
	return names
}

const maintenanceToleration = `    clusterTolerations:
    - key: maintenance
      operator: Equal
      value: "true"
      effect: NoSchedule
`

// genPolicy writes policies/<namespace>/<group>.yaml: one PropagationPolicy selecting the
// group's four apps by label, of the flavour placementOf gives it.
func (g *generator) genPolicy(grp int) {
	ns, name, kind := namespaceOf(grp), groupName(grp), placementOf(grp)
	var b strings.Builder
	fmt.Fprintf(&b, `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: %s
  namespace: %s
spec:
  resourceSelectors:
`, name, ns)
	for _, sel := range [][2]string{{"apps/v1", "Deployment"}, {"v1", "ConfigMap"}, {"v1", "Service"}} {
		fmt.Fprintf(&b, "  - apiVersion: %s\n    kind: %s\n    labelSelector:\n      matchLabels:\n        %s: %s\n", sel[0], sel[1], labelGroup, name)
	}
	b.WriteString("  placement:\n")
	candidates := g.clusters
	if kind == duplicated {
		candidates = nil
		for _, c := range g.clusters {
			if c.env == "prod" {
				candidates = append(candidates, c)
			}
		}
	}
	names := g.widthNames(candidates)
	if kind == duplicated || names != nil {
		b.WriteString("    clusterAffinity:\n")
		if kind == duplicated {
			b.WriteString("      labelSelector:\n        matchLabels:\n          env: prod\n")
		}
		if names != nil {
			b.WriteString("      clusterNames:\n")
			for _, n := range names {
				fmt.Fprintf(&b, "      - %s\n", n)
			}
		}
	}
	switch kind {
	case duplicated:
		b.WriteString(maintenanceToleration)
		b.WriteString("    replicaScheduling:\n      replicaSchedulingType: Duplicated\n")
	case staticWeights:
		b.WriteString(`    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
`)
		for _, r := range regions {
			fmt.Fprintf(&b, `        - targetCluster:
            fieldSelector:
              matchExpressions:
              - key: region
                operator: In
                values:
                - %s
          weight: %d
`, r, 1+g.rng.IntN(5))
		}
	case dynamicWeights:
		b.WriteString(`    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        dynamicWeight: AvailableReplicas
`)
	case spread:
		// Tolerating maintenance keeps the constraints satisfiable in small fleets.
		b.WriteString(maintenanceToleration)
		b.WriteString(`    spreadConstraints:
    - spreadByField: region
      minGroups: 3
      maxGroups: 3
    - spreadByField: cluster
      minGroups: 6
      maxGroups: 9
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        dynamicWeight: AvailableReplicas
`)
	}
	g.source.Put(fmt.Sprintf("policies/%s/%s.yaml", ns, name), []byte(b.String()))
}
