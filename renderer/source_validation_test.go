package renderer

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"
)

// Messages of Kubernetes' shared name and label validators, which many diagnostics quote.
const (
	labelNameMsg  = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
	labelValueMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
	dnsLabelMsg   = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)

// The first lines of the objects the cases below complete. Each case's own YAML starts on the
// line after its prefix, so lines in expectations count the prefix too.
const (
	// ppWeb is lines 1-10 of a valid PropagationPolicy shop/web.
	ppWeb = `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: web
  namespace: shop
spec:
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    name: web
`
	// ppHead is lines 1-6 of a PropagationPolicy shop/web, up to `spec:`.
	ppHead = `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: web
  namespace: shop
spec:
`
	// opWeb is lines 1-10 of a valid OverridePolicy shop/web.
	opWeb = `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata:
  name: web
  namespace: shop
spec:
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    name: web
`
	// opRuleWeb is lines 1-14 of an OverridePolicy shop/web whose first rule's overriders
	// start on line 15.
	opRuleWeb = opWeb + `  overrideRules:
  - targetCluster:
      clusterNames: [member1]
    overriders:
`
	// clusterHead is lines 1-5 of a Cluster member1, up to `spec:`.
	clusterHead = `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: member1
spec:
`
	// frqHead is lines 1-6 of a FederatedResourceQuota shop/team-a, up to `spec:`.
	frqHead = `apiVersion: policy.karmada.io/v1alpha1
kind: FederatedResourceQuota
metadata:
  name: team-a
  namespace: shop
spec:
`
	// ctpHead is lines 1-5 of a ClusterTaintPolicy not-ready, up to `spec:`.
	ctpHead = `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterTaintPolicy
metadata:
  name: not-ready
spec:
`
	// fleetHead is lines 1-5 of a FleetConfig fleet, up to `spec:`.
	fleetHead = `apiVersion: gitfleet.io/v1alpha1
kind: FleetConfig
metadata:
  name: fleet
spec:
`
	// cronTabHealth is a ResourceInterpreterCustomization of CronTab health; its
	// healthInterpretation is on line 10.
	cronTabHealth = `apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata:
  name: crontab-health
spec:
  target:
    apiVersion: example.io/v1
    kind: CronTab
  customizations:
    healthInterpretation:
      luaScript: |
        function InterpretHealth(observedObj)
          return observedObj.status.ready
        end
`
	// noExecuteTaintPolicy is a ClusterTaintPolicy adding a NoExecute taint (effect on line 12).
	noExecuteTaintPolicy = `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterTaintPolicy
metadata:
  name: evict-unreachable
spec:
  addOnConditions:
  - conditionType: Ready
    operator: In
    statusValues: ["Unknown"]
  taints:
  - key: cluster.example.io/unreachable
    effect: NoExecute
`
)

// validationCase is a source tree that breaks one rule, and every diagnostic it must get.
type validationCase struct {
	name  string
	files map[string]string
	// want lists the diagnostics in reporting order; nil means the tree must load.
	want []string
}

var validationCases = []validationCase{
	// The loader: YAML, identity, decoding, kinds, duplicates, kustomize.
	{
		name: "invalid YAML is reported at the parser's line",
		files: map[string]string{"apps/config.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
data:
  url: http://example.com: 8080
`},
		want: []string{`apps/config.yaml:7: invalid YAML: mapping values are not allowed in this context`},
	},
	{
		name: "a mis-indented key is reported at its own line",
		files: map[string]string{"apps/config.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  labels:
    app: web
   tier: frontend
`},
		want: []string{`apps/config.yaml:7: invalid YAML: did not find expected key`},
	},
	{
		name: "a document that is not a mapping",
		files: map[string]string{"apps/config.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
---
- web
- api
`},
		want: []string{`apps/config.yaml:7: a YAML document must be a mapping (an object with apiVersion and kind)`},
	},
	{
		name: "a key written twice in one mapping",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    clusterAffinity:
      clusterNames: [member1]
    clusterAffinity:
      clusterNames: [member2]
`},
		want: []string{`pp.yaml:14: duplicate key "clusterAffinity" (first defined at line 12)`},
	},
	{
		name: "an object without apiVersion",
		files: map[string]string{"cm.yaml": `kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
`},
		want: []string{`cm.yaml:1: ConfigMap/web-config: apiVersion: Required value: every object needs apiVersion`},
	},
	{
		name: "an object without kind",
		files: map[string]string{"cm.yaml": `apiVersion: v1
metadata:
  name: web-config
  namespace: shop
`},
		want: []string{`cm.yaml:1: web-config: kind: Required value: every object needs kind`},
	},
	{
		name: "an object without metadata.name",
		files: map[string]string{"cm.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  namespace: shop
data:
  greeting: hello
`},
		want: []string{`cm.yaml:3: ConfigMap: metadata.name: Required value: every object needs metadata.name`},
	},
	{
		name: "an apiVersion that is not a string",
		files: map[string]string{"cm.yaml": `apiVersion: 1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
`},
		want: []string{`cm.yaml:1: ConfigMap/web-config: apiVersion: Invalid value: must be a string`},
	},
	{
		name: "an unknown top-level field in a Karmada kind",
		files: map[string]string{"pp.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: web
  namespace: shop
labels:
  team: shop
spec:
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    name: web
`},
		want: []string{`pp.yaml:6: PropagationPolicy/web: unknown field "labels"`},
	},
	{
		name: "an unknown field nested in the placement",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    clusterAffinity:
      clusterNames: [member1]
      foo: bar
`},
		want: []string{`pp.yaml:14: PropagationPolicy/web: unknown field "spec.placement.clusterAffinity.foo"`},
	},
	{
		name: "an unknown field in a list item",
		files: map[string]string{"pp.yaml": ppHead + `  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    names: [web]
`},
		want: []string{`pp.yaml:10: PropagationPolicy/web: unknown field "spec.resourceSelectors[0].names"`},
	},
	{
		name: "a string where an integer is expected",
		files: map[string]string{"pp.yaml": ppHead + `  priority: high
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    name: web
`},
		want: []string{`pp.yaml:7: PropagationPolicy/web: spec.priority: Invalid value: expected an integer (int32), found a string`},
	},
	{
		name: "an unsupported kind in a Karmada group",
		files: map[string]string{"foo.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: Foo
metadata:
  name: web
  namespace: shop
`},
		want: []string{`foo.yaml:2: Foo/web: kind: unsupported kind "Foo" in apiVersion "policy.karmada.io/v1alpha1" (gitfleet reads ClusterOverridePolicy, ClusterPropagationPolicy, ClusterTaintPolicy, FederatedResourceQuota, OverridePolicy, PropagationPolicy from policy.karmada.io/v1alpha1)`},
	},
	{
		name: "a known Karmada kind in a version gitfleet does not read",
		files: map[string]string{"pp.yaml": `apiVersion: policy.karmada.io/v1beta1
kind: PropagationPolicy
metadata:
  name: web
  namespace: shop
`},
		want: []string{`pp.yaml:1: PropagationPolicy/web: apiVersion: unsupported version "policy.karmada.io/v1beta1" of PropagationPolicy (gitfleet reads PropagationPolicy from policy.karmada.io/v1alpha1)`},
	},
	{
		name: "an apiVersion that does not parse",
		files: map[string]string{"thing.yaml": `apiVersion: example.io/v1/beta
kind: Thing
metadata:
  name: web
`},
		want: []string{`thing.yaml:1: Thing/web: apiVersion: invalid value "example.io/v1/beta": unexpected GroupVersion string: example.io/v1/beta`},
	},
	{
		name: "a ResourceBinding written into the source",
		files: map[string]string{"rb.yaml": `apiVersion: work.karmada.io/v1alpha2
kind: ResourceBinding
metadata:
  name: web-deployment
  namespace: shop
`},
		want: []string{`rb.yaml:2: ResourceBinding/web-deployment: kind: work.karmada.io/v1alpha2 ResourceBinding is written by gitfleet's renderer, not read from the source tree`},
	},
	{
		name: "the same object defined in two files",
		files: map[string]string{
			"apps/web/pp.yaml":   "# how web spreads\n" + ppWeb,
			"teams/shop/pp.yaml": ppWeb,
		},
		want: []string{`teams/shop/pp.yaml:1: PropagationPolicy/web: duplicate object: policy.karmada.io/PropagationPolicy/shop/web is already defined at apps/web/pp.yaml:2`},
	},
	{
		name: "an object without namespace duplicating one in the default namespace",
		files: map[string]string{
			"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n",
			"b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  namespace: default\n",
		},
		want: []string{`b.yaml:1: ConfigMap/web-config: duplicate object: ConfigMap/default/web-config is already defined at a.yaml:1`},
	},
	{
		name: "two FleetConfigs",
		files: map[string]string{
			"gitfleet.yaml":       fleetHead + "  failover:\n    enabled: true\n",
			"teams/gitfleet.yaml": "apiVersion: gitfleet.io/v1alpha1\nkind: FleetConfig\nmetadata:\n  name: shop-fleet\n",
		},
		want: []string{`teams/gitfleet.yaml:1: FleetConfig/shop-fleet: only one FleetConfig is allowed per repository; another is defined at gitfleet.yaml:1`},
	},
	{
		name: "a kustomization that names a file the repository does not have",
		files: map[string]string{
			"apps/web/kustomization.yaml": "resources:\n- deployment.yaml\n",
		},
		want: []string{`apps/web/kustomization.yaml:2: resources[0]: "deployment.yaml" does not exist in the repository (remote references are not supported)`},
	},
	{
		name: "a kustomization that fails to build",
		files: map[string]string{
			"apps/web/kustomization.yaml": "resources:\n- deployment.yaml\npatches:\n- target: {kind: Deployment}\n  patch: '[{\"op\": \"replace\", \"path\": \"/spec/nothing/here\", \"value\": 1}]'\n",
			"apps/web/deployment.yaml":    deploymentWeb,
		},
		want: []string{`apps/web/kustomization.yaml:1: kustomize build failed: replace operation does not apply: doc is missing path: /spec/nothing/here: missing value`},
	},
	{
		name: "a kustomization with a remote resource",
		files: map[string]string{
			"apps/web/kustomization.yaml": "resources:\n- deployment.yaml\n- https://github.com/example/fleet//web?ref=v1\n",
			"apps/web/deployment.yaml":    deploymentWeb,
		},
		want: []string{`apps/web/kustomization.yaml:3: resources[1]: remote reference "https://github.com/example/fleet//web?ref=v1" is not supported: gitfleet renders only what the repository holds`},
	},
	{
		name: "a policy built by a kustomization is reported in its own file",
		files: map[string]string{
			"apps/web/kustomization.yaml": "namespace: shop\nresources:\n- policy.yaml\n",
			"apps/web/policy.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: web
spec:
  resourceSelectors: []
`,
		},
		want: []string{`apps/web/policy.yaml:6: PropagationPolicy/web: spec.resourceSelectors: Required value: at least one resource selector is required`},
	},
	{
		name:  "a NoExecute taint policy without the FleetConfig switch",
		files: map[string]string{"cluster-taints.yaml": noExecuteTaintPolicy},
		want:  []string{`cluster-taints.yaml:12: ClusterTaintPolicy/evict-unreachable: spec.taints[0].effect: Forbidden: Configuring taint with NoExecute effect is not allowed, this capability must be explicitly enabled by setting spec.failover.allowNoExecuteTaintPolicy: true in the FleetConfig`},
	},
	{
		name: "a NoExecute taint policy with the FleetConfig switch loads",
		files: map[string]string{
			"cluster-taints.yaml": noExecuteTaintPolicy,
			"gitfleet.yaml":       fleetHead + "  failover:\n    allowNoExecuteTaintPolicy: true\n",
		},
	},
	{
		name: "a propagation policy selecting another namespace",
		files: map[string]string{"pp.yaml": ppHead + `  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    namespace: payments
    name: web
`},
		want: []string{`pp.yaml:10: PropagationPolicy/web: spec.resourceSelectors[0].namespace: Invalid value: "payments": namespace of resource selector must be the same as the namespace of the policy`},
	},
	{
		name: "problems in several files are reported together, by file and line",
		files: map[string]string{
			"clusters/member1.yaml": clusterHead + "  region: eu west\n  syncMode: push\n",
			"apps/web/pp.yaml":      ppHead + "  resourceSelectors: []\n",
		},
		want: []string{
			`apps/web/pp.yaml:7: PropagationPolicy/web: spec.resourceSelectors: Required value: at least one resource selector is required`,
			`clusters/member1.yaml:6: Cluster/member1: spec.region: Invalid value: "eu west": ` + labelValueMsg,
			`clusters/member1.yaml:7: Cluster/member1: spec.syncMode: Unsupported value: "push": supported values: "Pull", "Push"`,
		},
	},

	// PropagationPolicy and ClusterPropagationPolicy (karmada-semantics §1.1).
	{
		name:  "propagation policy without resource selectors",
		files: map[string]string{"pp.yaml": ppHead + "  resourceSelectors: []\n"},
		want:  []string{`pp.yaml:7: PropagationPolicy/web: spec.resourceSelectors: Required value: at least one resource selector is required`},
	},
	{
		name:  "resource selector without apiVersion and kind",
		files: map[string]string{"pp.yaml": ppHead + "  resourceSelectors:\n  - name: web\n"},
		want: []string{
			`pp.yaml:8: PropagationPolicy/web: spec.resourceSelectors[0].apiVersion: Required value`,
			`pp.yaml:8: PropagationPolicy/web: spec.resourceSelectors[0].kind: Required value`,
		},
	},
	{
		name: "cluster propagation policy selecting an invalid namespace",
		files: map[string]string{"cpp.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata:
  name: web
spec:
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    namespace: Shop
`},
		want: []string{`cpp.yaml:9: ClusterPropagationPolicy/web: spec.resourceSelectors[0].namespace: Invalid value: "Shop": ` + dnsLabelMsg},
	},
	{
		name: "policy label with an invalid value",
		files: map[string]string{"pp.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: web
  namespace: shop
  labels:
    team: shop team
spec:
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
`},
		want: []string{`pp.yaml:7: PropagationPolicy/web: metadata.labels[team]: Invalid value: "shop team": ` + labelValueMsg},
	},
	{
		name: "clusterAffinity and clusterAffinities together",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    clusterAffinity:
      clusterNames: [member1]
    clusterAffinities:
    - affinityName: primary
      clusterNames: [member1]
`},
		want: []string{`pp.yaml:14: PropagationPolicy/web: spec.placement.clusterAffinities: Forbidden: clusterAffinities cannot co-exist with clusterAffinity`},
	},
	{
		name: "field selector on a key other than provider, region or zone",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    clusterAffinity:
      fieldSelector:
        matchExpressions:
        - key: metadata.name
          operator: In
          values: [member1]
`},
		want: []string{`pp.yaml:15: PropagationPolicy/web: spec.placement.clusterAffinity.fieldSelector.matchExpressions[0].key: Invalid value: "metadata.name": unsupported key "metadata.name", must be provider, region, or zone`},
	},
	{
		name: "field selector with an operator other than In or NotIn",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    clusterAffinity:
      fieldSelector:
        matchExpressions:
        - key: region
          operator: Exists
`},
		want: []string{`pp.yaml:16: PropagationPolicy/web: spec.placement.clusterAffinity.fieldSelector.matchExpressions[0].operator: Invalid value: "Exists": unsupported operator "Exists", must be In or NotIn`},
	},
	{
		name: "affinity name longer than 32 characters",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    clusterAffinities:
    - affinityName: primary-group-in-the-eu-region-aa
      clusterNames: [member1]
`},
		want: []string{`pp.yaml:13: PropagationPolicy/web: spec.placement.clusterAffinities[0].affinityName: Too long: may not be more than 32 bytes`},
	},
	{
		name: "two affinity groups with the same name",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    clusterAffinities:
    - affinityName: primary
      clusterNames: [member1]
    - affinityName: primary
      clusterNames: [member2]
`},
		want: []string{`pp.yaml:15: PropagationPolicy/web: spec.placement.clusterAffinities[1].affinityName: Duplicate value: "primary": each affinity term in a policy must have a unique name`},
	},
	{
		name: "affinity name that is not a label key",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    clusterAffinities:
    - affinityName: eu primary
      clusterNames: [member1]
`},
		want: []string{`pp.yaml:13: PropagationPolicy/web: spec.placement.clusterAffinities[0].affinityName: Invalid value: "eu primary": ` + labelNameMsg},
	},
	{
		name: "overflow affinities with static weights",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    clusterAffinities:
    - affinityName: primary
      clusterNames: [member1]
      overflowAffinities:
      - affinityName: burst
        clusterNames: [member2]
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
`},
		want: []string{`pp.yaml:15: PropagationPolicy/web: spec.placement.clusterAffinities[0].overflowAffinities: Invalid value: overflowAffinities can only be used together with dynamic weight or aggregated scheduling`},
	},
	{
		name: "overflow affinities under a primary group that selects every cluster",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    clusterAffinities:
    - affinityName: primary
      overflowAffinities:
      - affinityName: burst
        clusterNames: [member2]
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Aggregated
`},
		want: []string{`pp.yaml:14: PropagationPolicy/web: spec.placement.clusterAffinities[0].overflowAffinities: Invalid value: overflowAffinities can only be used together with the inline ClusterAffinity`},
	},
	{
		name: "two overflow groups with the same name",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    clusterAffinities:
    - affinityName: primary
      clusterNames: [member1]
      overflowAffinities:
      - affinityName: burst
        clusterNames: [member2]
      - affinityName: burst
        clusterNames: [member3]
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Aggregated
`},
		want: []string{`pp.yaml:18: PropagationPolicy/web: spec.placement.clusterAffinities[0].overflowAffinities[1].affinityName: Duplicate value: "burst": overflow affinity name must be unique and must not duplicate the primary group's affinityName`},
	},
	{
		name: "overflow group named like its primary group",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    clusterAffinities:
    - affinityName: primary
      clusterNames: [member1]
      overflowAffinities:
      - affinityName: primary
        clusterNames: [member2]
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Aggregated
`},
		want: []string{`pp.yaml:16: PropagationPolicy/web: spec.placement.clusterAffinities[0].overflowAffinities[0].affinityName: Duplicate value: "primary": overflow affinity name must be unique and must not duplicate the primary group's affinityName`},
	},
	{
		name: "cluster toleration with the node-only operator Lt",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    clusterTolerations:
    - key: cluster.karmada.io/not-ready
      operator: Lt
      value: "300"
      effect: NoExecute
`},
		want: []string{`pp.yaml:14: PropagationPolicy/web: spec.placement.clusterTolerations[0].operator: Unsupported value: "Lt": supported values: "Exists", "Equal"`},
	},
	{
		name: "spreadByField and spreadByLabel in one constraint",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    spreadConstraints:
    - spreadByField: cluster
      spreadByLabel: team
      maxGroups: 2
`},
		want: []string{`pp.yaml:14: PropagationPolicy/web: spec.placement.spreadConstraints[0].spreadByLabel: Invalid value: "team": spreadByLabel should not co-exist with spreadByField`},
	},
	{
		name: "minGroups above maxGroups",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    spreadConstraints:
    - spreadByField: cluster
      minGroups: 3
      maxGroups: 2
`},
		want: []string{`pp.yaml:15: PropagationPolicy/web: spec.placement.spreadConstraints[0].maxGroups: Invalid value: 2: maxGroups lower than minGroups is not allowed`},
	},
	{
		name: "negative maxGroups",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    spreadConstraints:
    - spreadByField: cluster
      maxGroups: -1
`},
		want: []string{`pp.yaml:14: PropagationPolicy/web: spec.placement.spreadConstraints[0].maxGroups: Invalid value: -1: maxGroups lower than 0 is not allowed`},
	},
	{
		name: "two spread constraints on the same field",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    spreadConstraints:
    - spreadByField: cluster
      maxGroups: 2
    - spreadByField: cluster
      maxGroups: 3
`},
		want: []string{`pp.yaml:15: PropagationPolicy/web: spec.placement.spreadConstraints[1].spreadByField: Duplicate value: "cluster": multiple cluster spread constraints are not allowed`},
	},
	{
		name: "spreading by region without a cluster constraint",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    spreadConstraints:
    - spreadByField: region
      maxGroups: 2
`},
		want: []string{`pp.yaml:12: PropagationPolicy/web: spec.placement.spreadConstraints: Invalid value: the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled`},
	},
	{
		name: "preemption Always with a selector that has no name",
		files: map[string]string{"pp.yaml": ppHead + `  preemption: Always
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    labelSelector:
      matchLabels:
        app: web
`},
		want: []string{`pp.yaml:9: PropagationPolicy/web: spec.resourceSelectors[0].name: Required value: name cannot be empty if preemption is Always, the empty name may cause unexpected resources preemption`},
	},
	{
		name: "application failover without propagateDeps",
		files: map[string]string{"pp.yaml": ppWeb + `  failover:
    application:
      decisionConditions:
        tolerationSeconds: 120
      purgeMode: Directly
`},
		want: []string{`pp.yaml:6: PropagationPolicy/web: spec.propagateDeps: Invalid value: false: application failover is set, propagateDeps must be true`},
	},
	{
		name: "grace period without graceful purging",
		files: map[string]string{"pp.yaml": ppWeb + `  propagateDeps: true
  failover:
    application:
      purgeMode: Directly
      gracePeriodSeconds: 30
`},
		want: []string{`pp.yaml:15: PropagationPolicy/web: spec.failover.application.gracePeriodSeconds: Invalid value: 30: only takes effect when purgeMode is gracefully`},
	},
	{
		name: "grace period of zero seconds",
		files: map[string]string{"pp.yaml": ppWeb + `  propagateDeps: true
  failover:
    application:
      purgeMode: Gracefully
      gracePeriodSeconds: 0
`},
		want: []string{`pp.yaml:15: PropagationPolicy/web: spec.failover.application.gracePeriodSeconds: Invalid value: 0: must be greater than 0`},
	},
	{
		name: "negative toleration seconds",
		files: map[string]string{"pp.yaml": ppWeb + `  propagateDeps: true
  failover:
    application:
      decisionConditions:
        tolerationSeconds: -1
`},
		want: []string{`pp.yaml:15: PropagationPolicy/web: spec.failover.application.decisionConditions.tolerationSeconds: Invalid value: -1: must be greater than or equal to 0`},
	},
	{
		name: "state preservation alias that is not a label name",
		files: map[string]string{"pp.yaml": ppWeb + `  propagateDeps: true
  failover:
    application:
      purgeMode: Directly
      statePreservation:
        rules:
        - aliasLabelName: bad label!
          jsonPath: "{ .updateRevision }"
`},
		want: []string{`pp.yaml:17: PropagationPolicy/web: spec.failover.application.statePreservation.rules[0].aliasLabelName: Invalid value: "bad label!": ` + labelNameMsg},
	},
	{
		name: "suspended dispatching together with clusters to suspend",
		files: map[string]string{"pp.yaml": ppWeb + `  suspension:
    dispatching: true
    dispatchingOnClusters:
      clusterNames: [member1]
`},
		want: []string{`pp.yaml:11: PropagationPolicy/web: spec.suspension: Invalid value: suspension dispatching cannot co-exist with dispatchingOnClusters.clusterNames`},
	},
	{
		name: "replicaSchedulingType other than Duplicated or Divided",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    replicaScheduling:
      replicaSchedulingType: Split
`},
		want: []string{`pp.yaml:13: PropagationPolicy/web: spec.placement.replicaScheduling.replicaSchedulingType: Unsupported value: "Split": supported values: "Duplicated", "Divided"`},
	},
	{
		name: "replicaDivisionPreference other than Aggregated or Weighted",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Balanced
`},
		want: []string{`pp.yaml:14: PropagationPolicy/web: spec.placement.replicaScheduling.replicaDivisionPreference: Unsupported value: "Balanced": supported values: "Aggregated", "Weighted"`},
	},
	{
		name: "dynamic weight by anything but available replicas",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        dynamicWeight: AvailableCPU
`},
		want: []string{`pp.yaml:16: PropagationPolicy/web: spec.placement.replicaScheduling.weightPreference.dynamicWeight: Unsupported value: "AvailableCPU": supported values: "AvailableReplicas"`},
	},
	{
		name: "static weight below 1",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
        - targetCluster:
            clusterNames: [member1]
          weight: 0
`},
		want: []string{`pp.yaml:19: PropagationPolicy/web: spec.placement.replicaScheduling.weightPreference.staticWeightList[0].weight: Invalid value: 0: must be greater than or equal to 1`},
	},
	{
		name: "application failover purge mode that does not exist",
		files: map[string]string{"pp.yaml": ppWeb + `  propagateDeps: true
  failover:
    application:
      purgeMode: Immediately
`},
		want: []string{`pp.yaml:14: PropagationPolicy/web: spec.failover.application.purgeMode: Unsupported value: "Immediately": supported values: "Directly", "Gracefully", "Never"`},
	},
	{
		name: "cluster failover purge mode Never",
		files: map[string]string{"pp.yaml": ppWeb + `  failover:
    cluster:
      purgeMode: Never
`},
		want: []string{`pp.yaml:13: PropagationPolicy/web: spec.failover.cluster.purgeMode: Unsupported value: "Never": supported values: "Directly", "Gracefully"`},
	},
	{
		name:  "conflictResolution other than Abort or Overwrite",
		files: map[string]string{"pp.yaml": ppWeb + "  conflictResolution: Replace\n"},
		want:  []string{`pp.yaml:11: PropagationPolicy/web: spec.conflictResolution: Unsupported value: "Replace": supported values: "Abort", "Overwrite"`},
	},
	{
		name:  "activationPreference other than Lazy",
		files: map[string]string{"pp.yaml": ppWeb + "  activationPreference: Eager\n"},
		want:  []string{`pp.yaml:11: PropagationPolicy/web: spec.activationPreference: Unsupported value: "Eager": supported values: "Lazy"`},
	},
	{
		name:  "preemption other than Always or Never",
		files: map[string]string{"pp.yaml": ppWeb + "  preemption: Sometimes\n"},
		want:  []string{`pp.yaml:11: PropagationPolicy/web: spec.preemption: Unsupported value: "Sometimes": supported values: "Always", "Never"`},
	},
	{
		name: "schedule priority from a source other than KubePriorityClass",
		files: map[string]string{"pp.yaml": ppWeb + `  schedulePriority:
    priorityClassSource: PodPriorityClass
    priorityClassName: high
`},
		want: []string{`pp.yaml:12: PropagationPolicy/web: spec.schedulePriority.priorityClassSource: Unsupported value: "PodPriorityClass": supported values: "KubePriorityClass"`},
	},
	{
		name: "workload affinity and anti-affinity grouping by the same label",
		files: map[string]string{"pp.yaml": ppWeb + `  placement:
    workloadAffinity:
      affinity:
        groupByLabelKey: app.example.io/group
      antiAffinity:
        groupByLabelKey: app.example.io/group
`},
		want: []string{`pp.yaml:16: PropagationPolicy/web: spec.placement.workloadAffinity.antiAffinity.groupByLabelKey: Invalid value: "app.example.io/group": affinity and antiAffinity must not use the same groupByLabelKey`},
	},

	// OverridePolicy and ClusterOverridePolicy (karmada-semantics §1.2).
	{
		name: "legacy targetCluster next to overrideRules",
		files: map[string]string{"op.yaml": opWeb + `  targetCluster:
    clusterNames: [member1]
  overrideRules:
  - overriders:
      labelsOverrider:
      - operator: add
        value:
          tier: web
`},
		want: []string{`op.yaml:11: OverridePolicy/web: spec.targetCluster: Forbidden: overrideRules and targetCluster can't co-exist`},
	},
	{
		name: "legacy overriders next to overrideRules",
		files: map[string]string{"cop.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata:
  name: web
spec:
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    namespace: shop
    name: web
  overriders:
    labelsOverrider:
    - operator: add
      value:
        tier: web
  overrideRules:
  - targetCluster:
      clusterNames: [member1]
    overriders:
      labelsOverrider:
      - operator: add
        value:
          region: eu
`},
		want: []string{`cop.yaml:11: ClusterOverridePolicy/web: spec.overriders: Forbidden: overrideRules and overriders can't co-exist`},
	},
	{
		name: "label override with an invalid value",
		files: map[string]string{"op.yaml": opRuleWeb + `      labelsOverrider:
      - operator: add
        value:
          tier: web tier
`},
		want: []string{`op.yaml:18: OverridePolicy/web: spec.overrideRules[0].overriders.labelsOverrider[0].value[tier]: Invalid value: "web tier": ` + labelValueMsg},
	},
	{
		name: "annotation override with an invalid key",
		files: map[string]string{"op.yaml": opRuleWeb + `      annotationsOverrider:
      - operator: add
        value:
          example.io/owner team: shop
`},
		want: []string{`op.yaml:18: OverridePolicy/web: spec.overrideRules[0].overriders.annotationsOverrider[0].value[example.io/owner team]: Invalid value: "example.io/owner team": ` + labelNameMsg},
	},
	{
		name: "image predicate path that is not a JSON pointer",
		files: map[string]string{"op.yaml": opRuleWeb + `      imageOverrider:
      - predicate:
          path: spec/template/spec/containers/0/image
        component: Registry
        operator: replace
        value: registry.example.io
`},
		want: []string{`op.yaml:17: OverridePolicy/web: spec.overrideRules[0].overriders.imageOverrider[0].predicate.path: Invalid value: "spec/template/spec/containers/0/image": JSON pointer must be empty or start with a "/"`},
	},
	{
		name: "field overrider with both json and yaml patches",
		files: map[string]string{"op.yaml": opRuleWeb + `      fieldOverrider:
      - fieldPath: /data/config.yaml
        json:
        - subPath: /log/level
          operator: remove
        yaml:
        - subPath: /log/level
          operator: remove
`},
		want: []string{`op.yaml:16: OverridePolicy/web: spec.overrideRules[0].overriders.fieldOverrider[0]: Invalid value: FieldOverrider has both YAML and JSON set. Only one is allowed`},
	},
	{
		name: "field overrider without json or yaml patches",
		files: map[string]string{"op.yaml": opRuleWeb + `      fieldOverrider:
      - fieldPath: /data/config.yaml
`},
		want: []string{`op.yaml:16: OverridePolicy/web: spec.overrideRules[0].overriders.fieldOverrider[0]: Required value: FieldOverrider must have either JSON or YAML set`},
	},
	{
		name: "json patch add without a value",
		files: map[string]string{"op.yaml": opRuleWeb + `      fieldOverrider:
      - fieldPath: /data/config.yaml
        json:
        - subPath: /log/level
          operator: add
`},
		want: []string{`op.yaml:18: OverridePolicy/web: spec.overrideRules[0].overriders.fieldOverrider[0].json[0].value: Required value: value is required for add or replace operation`},
	},
	{
		name: "json patch remove with a value",
		files: map[string]string{"op.yaml": opRuleWeb + `      fieldOverrider:
      - fieldPath: /data/config.yaml
        json:
        - subPath: /log/level
          operator: remove
          value: debug
`},
		want: []string{`op.yaml:20: OverridePolicy/web: spec.overrideRules[0].overriders.fieldOverrider[0].json[0].value: Forbidden: value is not allowed for remove operation`},
	},
	{
		name: "override policy selecting another namespace",
		files: map[string]string{"op.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata:
  name: web
  namespace: shop
spec:
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    namespace: payments
    name: web
  overrideRules:
  - overriders:
      labelsOverrider:
      - operator: add
        value:
          tier: web
`},
		want: []string{`op.yaml:10: OverridePolicy/web: spec.resourceSelectors[0].namespace: Invalid value: "payments": namespace of resource selector must be the same as the namespace of the policy`},
	},
	{
		name: "plaintext override with an unknown operator",
		files: map[string]string{"op.yaml": opRuleWeb + `      plaintext:
      - path: /spec/replicas
        operator: set
        value: 2
`},
		want: []string{`op.yaml:17: OverridePolicy/web: spec.overrideRules[0].overriders.plaintext[0].operator: Unsupported value: "set": supported values: "add", "remove", "replace"`},
	},

	// Cluster (karmada-semantics §1.3).
	{
		name: "cluster name longer than 48 characters",
		files: map[string]string{"cluster.yaml": `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: member-in-a-region-whose-name-is-far-too-long-xyz
spec:
  syncMode: Push
`},
		want: []string{`cluster.yaml:4: Cluster/member-in-a-region-whose-name-is-far-too-long-xyz: metadata.name: Invalid value: "member-in-a-region-whose-name-is-far-too-long-xyz": must be no more than 48 characters`},
	},
	{
		name: "cluster name that is not a DNS label",
		files: map[string]string{"cluster.yaml": `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: Member_1
spec:
  syncMode: Push
`},
		want: []string{`cluster.yaml:4: Cluster/Member_1: metadata.name: Invalid value: "Member_1": ` + dnsLabelMsg},
	},
	{
		name:  "cluster without syncMode",
		files: map[string]string{"cluster.yaml": clusterHead + "  apiEndpoint: https://10.0.0.1:6443\n"},
		want: []string{
			`cluster.yaml:5: Cluster/member1: spec.syncMode: Required value`,
			`cluster.yaml:5: Cluster/member1: spec.syncMode: Unsupported value: "": supported values: "Pull", "Push"`,
		},
	},
	{
		name:  "cluster syncMode other than Push or Pull",
		files: map[string]string{"cluster.yaml": clusterHead + "  syncMode: Pushed\n"},
		want:  []string{`cluster.yaml:6: Cluster/member1: spec.syncMode: Unsupported value: "Pushed": supported values: "Pull", "Push"`},
	},
	{
		name:  "cluster apiEndpoint that is not a URL",
		files: map[string]string{"cluster.yaml": clusterHead + "  syncMode: Push\n  apiEndpoint: https://member1 .example.io\n"},
		want:  []string{`cluster.yaml:7: Cluster/member1: spec.apiEndpoint: Invalid value: "https://member1 .example.io": apiEndpoint must be a valid URL: parse "https://member1 .example.io": invalid character " " in host name; desired format: hostname, hostname:port, IP or IP:port`},
	},
	{
		name:  "cluster region that is not a label value",
		files: map[string]string{"cluster.yaml": clusterHead + "  syncMode: Push\n  region: eu west\n"},
		want:  []string{`cluster.yaml:7: Cluster/member1: spec.region: Invalid value: "eu west": ` + labelValueMsg},
	},
	{
		name:  "deprecated cluster zone that is not a label value",
		files: map[string]string{"cluster.yaml": clusterHead + "  syncMode: Push\n  zone: eu west 1a\n"},
		want:  []string{`cluster.yaml:7: Cluster/member1: spec.zone: Invalid value: "eu west 1a": ` + labelValueMsg},
	},
	{
		name:  "cluster with both zone and zones",
		files: map[string]string{"cluster.yaml": clusterHead + "  syncMode: Push\n  zone: eu-west-1a\n  zones: [eu-west-1b]\n"},
		want:  []string{`cluster.yaml:7: Cluster/member1: spec.zone: Forbidden: Zone and Zones cannot co-exist`},
	},
	{
		name: "cluster taint with effect PreferNoSchedule",
		files: map[string]string{"cluster.yaml": clusterHead + `  syncMode: Push
  taints:
  - key: dedicated
    value: gpu
    effect: PreferNoSchedule
`},
		want: []string{`cluster.yaml:10: Cluster/member1: spec.taints[0].effect: Unsupported value: "PreferNoSchedule": supported values: "NoSchedule", "NoExecute"`},
	},
	{
		name: "two cluster taints with the same key and effect",
		files: map[string]string{"cluster.yaml": clusterHead + `  syncMode: Push
  taints:
  - key: dedicated
    value: gpu
    effect: NoSchedule
  - key: dedicated
    value: batch
    effect: NoSchedule
`},
		want: []string{`cluster.yaml:11: Cluster/member1: spec.taints[1]: Duplicate value: {"key":"dedicated","value":"batch","effect":"NoSchedule"}: taints must be unique by key and effect pair`},
	},
	{
		name: "two resource models with the same grade",
		files: map[string]string{"cluster.yaml": clusterHead + `  syncMode: Push
  resourceModels:
  - grade: 0
    ranges:
    - name: cpu
      min: "0"
      max: "1"
  - grade: 0
    ranges:
    - name: cpu
      min: "1"
      max: "2"
`},
		want: []string{`cluster.yaml:13: Cluster/member1: spec.resourceModels[1].grade: Invalid value: 0: The grade of each models should not be the same`},
	},
	{
		name: "resource models written in descending grade order are sorted, not rejected",
		files: map[string]string{"cluster.yaml": clusterHead + `  syncMode: Push
  resourceModels:
  - grade: 1
    ranges:
    - name: cpu
      min: "1"
      max: "2"
  - grade: 0
    ranges:
    - name: cpu
      min: "0"
      max: "1"
`},
	},
	{
		name: "resource model ranges with a gap between grades",
		files: map[string]string{"cluster.yaml": clusterHead + `  syncMode: Push
  resourceModels:
  - grade: 0
    ranges:
    - name: cpu
      min: "0"
      max: "1"
  - grade: 1
    ranges:
    - name: cpu
      min: "2"
      max: "4"
`},
		want: []string{`cluster.yaml:16: Cluster/member1: spec.resourceModels[1].ranges[0].min: Invalid value: "2": Model intervals for resources must be contiguous and non-overlapping`},
	},
	{
		name: "resource model gap is reported where it is written, whatever the grade order",
		files: map[string]string{"cluster.yaml": clusterHead + `  syncMode: Push
  resourceModels:
  - grade: 1
    ranges:
    - name: cpu
      min: "2"
      max: "4"
  - grade: 0
    ranges:
    - name: cpu
      min: "0"
      max: "1"
`},
		want: []string{`cluster.yaml:11: Cluster/member1: spec.resourceModels[0].ranges[0].min: Invalid value: "2": Model intervals for resources must be contiguous and non-overlapping`},
	},
	{
		name: "resource models over different resources",
		files: map[string]string{"cluster.yaml": clusterHead + `  syncMode: Push
  resourceModels:
  - grade: 0
    ranges:
    - name: cpu
      min: "0"
      max: "1"
  - grade: 1
    ranges:
    - name: memory
      min: "1"
      max: "2"
`},
		want: []string{`cluster.yaml:15: Cluster/member1: spec.resourceModels[1].ranges[0].name: Invalid value: "memory": The resource types of each models should be the same`},
	},
	{
		name: "resource model range whose max is not above its min",
		files: map[string]string{"cluster.yaml": clusterHead + `  syncMode: Push
  resourceModels:
  - grade: 0
    ranges:
    - name: cpu
      min: "0"
      max: "1"
  - grade: 1
    ranges:
    - name: cpu
      min: "1"
      max: "1"
  - grade: 2
    ranges:
    - name: cpu
      min: "1"
      max: "4"
`},
		want: []string{`cluster.yaml:17: Cluster/member1: spec.resourceModels[1].ranges[0].max: Invalid value: "1": The max value of each resource must be greater than the min value`},
	},

	// FederatedResourceQuota (karmada-semantics §1.6).
	{
		name: "quota overall below the sum of its static assignments",
		files: map[string]string{"frq.yaml": frqHead + `  overall:
    cpu: "10"
  staticAssignments:
  - clusterName: member1
    hard:
      cpu: "6"
  - clusterName: member2
    hard:
      cpu: "6"
`},
		want: []string{`frq.yaml:8: FederatedResourceQuota/team-a: spec.overall[cpu]: Invalid value: "10": overall is less than assignments`},
	},
	{
		name: "quota assignment of a resource missing from overall",
		files: map[string]string{"frq.yaml": frqHead + `  overall:
    cpu: "10"
  staticAssignments:
  - clusterName: member1
    hard:
      cpu: "6"
      memory: 8Gi
`},
		want: []string{`frq.yaml:13: FederatedResourceQuota/team-a: spec.staticAssignments[0].hard[memory]: Invalid value: "memory": assignment resourceName is not exist in overall`},
	},
	{
		name: "quota assignment to an invalid cluster name",
		files: map[string]string{"frq.yaml": frqHead + `  overall:
    cpu: "10"
  staticAssignments:
  - clusterName: Member_1
    hard:
      cpu: "6"
`},
		want: []string{`frq.yaml:10: FederatedResourceQuota/team-a: spec.staticAssignments[0].clusterName: Invalid value: "Member_1": ` + dnsLabelMsg},
	},

	// ClusterTaintPolicy (karmada-semantics §1.7).
	{
		name: "taint policy without taints",
		files: map[string]string{"ctp.yaml": ctpHead + `  addOnConditions:
  - conditionType: Ready
    operator: In
    statusValues: ["False"]
  taints: []
`},
		want: []string{`ctp.yaml:10: ClusterTaintPolicy/not-ready: spec.taints: Required value: at least one taint is required`},
	},
	{
		name: "taint policy condition with an operator other than In or NotIn",
		files: map[string]string{"ctp.yaml": ctpHead + `  addOnConditions:
  - conditionType: Ready
    operator: Equals
    statusValues: ["False"]
  taints:
  - key: cluster.example.io/not-ready
    effect: NoSchedule
`},
		want: []string{`ctp.yaml:8: ClusterTaintPolicy/not-ready: spec.addOnConditions[0].operator: Unsupported value: "Equals": supported values: "In", "NotIn"`},
	},
	{
		name: "taint policy condition with a status other than True, False or Unknown",
		files: map[string]string{"ctp.yaml": ctpHead + `  addOnConditions:
  - conditionType: Ready
    operator: In
    statusValues:
    - Maybe
  taints:
  - key: cluster.example.io/not-ready
    effect: NoSchedule
`},
		want: []string{`ctp.yaml:10: ClusterTaintPolicy/not-ready: spec.addOnConditions[0].statusValues[0]: Unsupported value: "Maybe": supported values: "True", "False", "Unknown"`},
	},

	// FleetConfig.
	{
		name:  "FleetConfig duration of zero",
		files: map[string]string{"gitfleet.yaml": fleetHead + "  health:\n    clusterMonitorPeriod: 0s\n"},
		want:  []string{`gitfleet.yaml:7: FleetConfig/fleet: spec.health.clusterMonitorPeriod: Invalid value: "0s": must be greater than 0`},
	},
	{
		name:  "FleetConfig negative duration",
		files: map[string]string{"gitfleet.yaml": fleetHead + "  failover:\n    gracefulEvictionTimeout: -5m\n"},
		want:  []string{`gitfleet.yaml:7: FleetConfig/fleet: spec.failover.gracefulEvictionTimeout: Invalid value: "-5m0s": must be greater than 0`},
	},
	{
		name: "FleetConfig skipped namespace that is not a regular expression",
		files: map[string]string{"gitfleet.yaml": fleetHead + `  propagation:
    skippedPropagatingNamespaces:
    - kube-.*
    - team-(a|b
`},
		want: []string{"gitfleet.yaml:9: FleetConfig/fleet: spec.propagation.skippedPropagatingNamespaces[1]: Invalid value: \"team-(a|b\": Invalid namespace regular expression: error parsing regexp: missing closing ): `^team-(a|b$`"},
	},
	{
		name:  "FleetConfig eviction purge mode other than Gracefully or Directly",
		files: map[string]string{"gitfleet.yaml": fleetHead + "  failover:\n    noExecuteTaintEvictionPurgeMode: Never\n"},
		want:  []string{`gitfleet.yaml:7: FleetConfig/fleet: spec.failover.noExecuteTaintEvictionPurgeMode: Unsupported value: "Never": supported values: "Gracefully", "Directly"`},
	},
	{
		name:  "FleetConfig eviction rate that is not a number",
		files: map[string]string{"gitfleet.yaml": fleetHead + "  failover:\n    resourceEvictionRate: fast\n"},
		want:  []string{`gitfleet.yaml:7: FleetConfig/fleet: spec.failover.resourceEvictionRate: Invalid value: "fast": must be a decimal number of evictions per second`},
	},

	// MultiClusterService, WorkloadRebalancer, ResourceInterpreterCustomization.
	{
		name: "multi-cluster service without types",
		files: map[string]string{"mcs.yaml": `apiVersion: networking.karmada.io/v1alpha1
kind: MultiClusterService
metadata:
  name: web
  namespace: shop
spec:
  types: []
`},
		want: []string{`mcs.yaml:7: MultiClusterService/web: spec.types: Required value: one of CrossCluster or LoadBalancer is required`},
	},
	{
		name: "multi-cluster service type other than CrossCluster or LoadBalancer",
		files: map[string]string{"mcs.yaml": `apiVersion: networking.karmada.io/v1alpha1
kind: MultiClusterService
metadata:
  name: web
  namespace: shop
spec:
  types:
  - NodePort
`},
		want: []string{`mcs.yaml:8: MultiClusterService/web: spec.types[0]: Unsupported value: "NodePort": supported values: "CrossCluster", "LoadBalancer"`},
	},
	{
		name: "workload rebalancer without workloads",
		files: map[string]string{"rebalance.yaml": `apiVersion: apps.karmada.io/v1alpha1
kind: WorkloadRebalancer
metadata:
  name: rebalance-web
spec:
  workloads: []
`},
		want: []string{`rebalance.yaml:6: WorkloadRebalancer/rebalance-web: spec.workloads: Required value: at least one workload is required`},
	},
	{
		name: "interpreter customization without a target kind",
		files: map[string]string{"ric.yaml": `apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata:
  name: crontab-health
spec:
  target:
    apiVersion: example.io/v1
  customizations:
    healthInterpretation:
      luaScript: |
        function InterpretHealth(observedObj)
          return true
        end
`},
		want: []string{`ric.yaml:6: ResourceInterpreterCustomization/crontab-health: spec.target.kind: Required value`},
	},
	{
		name: "interpreter customization rule without a Lua script",
		files: map[string]string{"ric.yaml": `apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata:
  name: crontab-retention
spec:
  target:
    apiVersion: example.io/v1
    kind: CronTab
  customizations:
    retention:
      luaScript: ""
`},
		want: []string{`ric.yaml:11: ResourceInterpreterCustomization/crontab-retention: spec.customizations.retention.luaScript: Required value: a Lua script defining the Retain operation is required`},
	},
	{
		name: "two interpreter customizations scripting the same operation of one kind",
		files: map[string]string{
			"interpreters/crontab.yaml":    cronTabHealth,
			"interpreters/crontab-v2.yaml": "# a second attempt\n" + strings.Replace(cronTabHealth, "name: crontab-health", "name: crontab-health-v2", 1),
		},
		want: []string{
			`interpreters/crontab-v2.yaml:11: ResourceInterpreterCustomization/crontab-health-v2: spec.customizations.healthInterpretation: Forbidden: conflicting with InterpreterOperation(InterpretHealth) of existing ResourceInterpreterCustomization(crontab-health)`,
			`interpreters/crontab.yaml:10: ResourceInterpreterCustomization/crontab-health: spec.customizations.healthInterpretation: Forbidden: conflicting with InterpreterOperation(InterpretHealth) of existing ResourceInterpreterCustomization(crontab-health-v2)`,
		},
	},
}

// TestLoadSourceValidation loads one small tree per rule of the loader and of Karmada's
// validation and checks every diagnostic: file, line and message.
func TestLoadSourceValidation(t *testing.T) {
	for _, tc := range validationCases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == nil {
				mustLoad(t, tc.files)
				return
			}
			g := NewWithT(t)
			g.Expect(loadErrors(t, tc.files)).To(Equal(tc.want))
		})
	}
}
