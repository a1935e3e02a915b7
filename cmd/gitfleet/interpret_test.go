package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	. "github.com/onsi/gomega"
)

// interpretFiles are the inputs of the interpret tests, written to a temporary directory.
var interpretFiles = fstest.MapFS{
	"deployment.yaml": {Data: []byte(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  generation: 3
  labels: {resourcetemplate.karmada.io/retain-replicas: "true"}
spec:
  replicas: 4
  template:
    spec:
      serviceAccountName: web
      containers:
      - name: web
        image: nginx
        resources: {requests: {cpu: 500m}}
        envFrom: [{secretRef: {name: web-env}}]
status:
  observedGeneration: 3
  replicas: 4
  updatedReplicas: 4
  availableReplicas: 3
`)},
	"member.yaml": {Data: []byte(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, generation: 9, annotations: {resourcetemplate.karmada.io/generation: "3"}}
spec: {replicas: 2}
status: {observedGeneration: 9, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2}
`)},
	"items.yaml": {Data: []byte(`clusterName: east
applied: true
health: Healthy
status: {replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2, observedGeneration: 9, generation: 9, resourceTemplateGeneration: 3}
---
clusterName: west
applied: true
health: Unhealthy
status: {replicas: 2, readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1, unavailableReplicas: 1, observedGeneration: 4, generation: 4, resourceTemplateGeneration: 3}
`)},
	"widget.yaml": {Data: []byte(`apiVersion: example.io/v1
kind: Widget
metadata: {name: w, namespace: shop}
spec: {size: 3, secret: creds, cpu: 250m}
status: {ready: 2}
`)},
	"widget-member.yaml": {Data: []byte(`apiVersion: example.io/v1
kind: Widget
metadata: {name: w, namespace: shop}
spec: {size: 3, node: node-7}
status: {ready: 3}
`)},
	"widget-items.yaml": {Data: []byte(`- {clusterName: east, applied: true, status: {ready: 2}}
- {clusterName: west, applied: true, status: {ready: 1}}
- {clusterName: north, applied: false, appliedMessage: quota exceeded}
`)},
	// customizations/ holds a good customization of every rule, as a user would write one.
	"customizations/widget.yaml": {Data: []byte(`apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata:
  name: widget
spec:
  target:
    apiVersion: example.io/v1
    kind: Widget
  customizations:
    retention:
      luaScript: |
        function Retain(desiredObj, observedObj)
          desiredObj.spec.node = observedObj.spec.node
          return desiredObj
        end
    replicaResource:
      luaScript: |
        function GetReplicas(desiredObj)
          return desiredObj.spec.size, {resourceRequest = {cpu = desiredObj.spec.cpu}}
        end
    componentResource:
      luaScript: |
        function GetComponents(desiredObj)
          return {{name = "main", replicas = desiredObj.spec.size}}
        end
    replicaRevision:
      luaScript: |
        function ReviseReplica(desiredObj, desiredReplica)
          desiredObj.spec.size = desiredReplica
          return desiredObj
        end
    statusReflection:
      luaScript: |
        function ReflectStatus(observedObj)
          return {ready = observedObj.status.ready}
        end
    statusAggregation:
      luaScript: |
        function AggregateStatus(desiredObj, statusItems)
          local ready = 0
          for i = 1, #statusItems do
            if statusItems[i].status ~= nil then
              ready = ready + statusItems[i].status.ready
            end
          end
          desiredObj.status = {ready = ready, clusters = #statusItems}
          return desiredObj
        end
    healthInterpretation:
      luaScript: |
        function InterpretHealth(observedObj)
          return observedObj.status.ready == observedObj.spec.size
        end
    dependencyInterpretation:
      luaScript: |
        function GetDependencies(desiredObj)
          return {{apiVersion = "v1", kind = "Secret", namespace = desiredObj.metadata.namespace, name = desiredObj.spec.secret}}
        end
`)},
	"broken.yaml": {Data: []byte(`apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata:
  name: broken
spec:
  target:
    apiVersion: example.io/v1
    kind: Gadget
  customizations:
    replicaResource:
      luaScript: |
        function GetReplicas(desiredObj)
          return desiredObj.spec.size +
        end
    statusReflection:
      luaScript: |
        function Reflect(observedObj)
          return observedObj.status
        end
    healthInterpretation:
      luaScript: |
        function InterpretHealth(observedObj)
          return true
        end
`)},
	"runtime-error.yaml": {Data: []byte(`apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata:
  name: strict
spec:
  target:
    apiVersion: apps/v1
    kind: Deployment
  customizations:
    healthInterpretation:
      luaScript: |
        function InterpretHealth(observedObj)
          local ready = observedObj.status.conditions[1].status
          return ready == "True"
        end
`)},
	"mixed.yaml": {Data: []byte(`apiVersion: v1
kind: ConfigMap
metadata: {name: not-a-customization}
---
apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata: {name: typo}
spec:
  target: {apiVersion: apps/v1, kind: Deployment}
  customizations:
    healthInterpretation:
      luaScrip: "function InterpretHealth(o) return true end"
`)},
	"bad.yaml": {Data: []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n   namespace: shop\n")},
}

// interpretDir writes interpretFiles to a temporary directory.
func interpretDir(t *testing.T) string {
	t.Helper()
	return writeTree(t, interpretFiles)
}

func TestInterpretBuiltInRules(t *testing.T) {
	dir := interpretDir(t)
	file := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name string
		args []string
		want string
	}{{
		name: "interpretHealth",
		args: []string{"--operation", "interpretHealth", "--observed-file", file("deployment.yaml")},
		want: `{"healthy": false}`,
	}, {
		name: "interpretReplica",
		args: []string{"--operation", "interpretReplica", "--desired-file", file("deployment.yaml")},
		want: `{"replicas": 4, "requirements": {"resourceRequest": {"cpu": "500m"}}}`,
	}, {
		name: "reviseReplica",
		args: []string{"--operation", "reviseReplica", "--desired-file", file("member.yaml"), "--desired-replica", "6"},
		want: `{"object": {"apiVersion": "apps/v1", "kind": "Deployment",
			"metadata": {"name": "web", "namespace": "shop", "generation": 9, "annotations": {"resourcetemplate.karmada.io/generation": "3"}},
			"spec": {"replicas": 6},
			"status": {"observedGeneration": 9, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2}}}`,
	}, {
		name: "interpretStatus",
		args: []string{"--operation", "interpretStatus", "--observed-file", file("member.yaml")},
		want: `{"status": {"generation": 9, "resourceTemplateGeneration": 3, "observedGeneration": 9, "replicas": 2,
			"updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2}}`,
	}, {
		name: "interpretDependency",
		args: []string{"--operation", "interpretDependency", "--desired-file", file("deployment.yaml")},
		want: `{"dependencies": [{"apiVersion": "v1", "kind": "Secret", "namespace": "shop", "name": "web-env"},
			{"apiVersion": "v1", "kind": "ServiceAccount", "namespace": "shop", "name": "web"}]}`,
	}, {
		name: "retain",
		args: []string{"--operation", "retain", "--desired-file", file("deployment.yaml"), "--observed-file", file("member.yaml")},
		want: `{"object": {"apiVersion": "apps/v1", "kind": "Deployment",
			"metadata": {"name": "web", "namespace": "shop", "generation": 3, "labels": {"resourcetemplate.karmada.io/retain-replicas": "true"}},
			"spec": {"replicas": 2, "template": {"spec": {"serviceAccountName": "web", "containers": [{"name": "web", "image": "nginx",
				"resources": {"requests": {"cpu": "500m"}}, "envFrom": [{"secretRef": {"name": "web-env"}}]}]}}},
			"status": {"observedGeneration": 3, "replicas": 4, "updatedReplicas": 4, "availableReplicas": 3}}}`,
	}, {
		name: "aggregateStatus",
		args: []string{"--operation", "aggregateStatus", "--desired-file", file("deployment.yaml"), "--status-file", file("items.yaml")},
		want: `{"object": {"apiVersion": "apps/v1", "kind": "Deployment",
			"metadata": {"name": "web", "namespace": "shop", "generation": 3, "labels": {"resourcetemplate.karmada.io/retain-replicas": "true"}},
			"spec": {"replicas": 4, "template": {"spec": {"serviceAccountName": "web", "containers": [{"name": "web", "image": "nginx",
				"resources": {"requests": {"cpu": "500m"}}, "envFrom": [{"secretRef": {"name": "web-env"}}]}]}}},
			"status": {"observedGeneration": 3, "replicas": 4, "updatedReplicas": 4, "readyReplicas": 3, "availableReplicas": 3, "unavailableReplicas": 1}}}`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			out, code := runGitfleet(t, append([]string{"interpret", "-o", "json"}, tt.args...)...)
			g.Expect(code).To(Equal(0), out)
			g.Expect(out).To(MatchJSON(tt.want))
		})
	}
}

func TestInterpretPrintsYAMLByDefault(t *testing.T) {
	g := NewWithT(t)
	dir := interpretDir(t)
	out, code := runGitfleet(t, "interpret", "--operation", "InterpretHealth", "--observed-file", filepath.Join(dir, "member.yaml"))
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(Equal("# InterpretHealth of apps/v1 Deployment shop/web: built-in rule\nhealthy: true\n"))

	out, code = runGitfleet(t, "interpret", "--operation", "interpretreplica", "--desired-file", filepath.Join(dir, "deployment.yaml"))
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(Equal(`# InterpretReplica of apps/v1 Deployment shop/web: built-in rule
replicas: 4
requirements:
  resourceRequest:
    cpu: 500m
`))
}

func TestInterpretReadsStandardInput(t *testing.T) {
	g := NewWithT(t)
	dir := interpretDir(t)
	cmd := newRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetIn(strings.NewReader(string(interpretFiles["items.yaml"].Data)))
	cmd.SetArgs([]string{"interpret", "--operation", "aggregateStatus", "-o", "json",
		"--desired-file", filepath.Join(dir, "deployment.yaml"), "--status-file", "-"})
	g.Expect(cmd.ExecuteContext(context.Background())).To(Succeed(), out.String())
	g.Expect(out.String()).To(ContainSubstring(`"readyReplicas": 3`))
}

func TestInterpretCustomizationEveryOperation(t *testing.T) {
	dir := interpretDir(t)
	file := func(name string) string { return filepath.Join(dir, name) }
	widget := `"apiVersion": "example.io/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "shop"}`
	tests := []struct {
		op   string
		args []string
		want string
	}{
		{"retain", []string{"--desired-file", file("widget.yaml"), "--observed-file", file("widget-member.yaml")},
			`{"object": {` + widget + `, "spec": {"size": 3, "secret": "creds", "cpu": "250m", "node": "node-7"}, "status": {"ready": 2}}}`},
		{"interpretReplica", []string{"--desired-file", file("widget.yaml")},
			`{"replicas": 3, "requirements": {"resourceRequest": {"cpu": "250m"}}}`},
		{"interpretComponent", []string{"--desired-file", file("widget.yaml")},
			`{"components": [{"name": "main", "replicas": 3}]}`},
		{"reviseReplica", []string{"--desired-file", file("widget.yaml"), "--desired-replica", "5"},
			`{"object": {` + widget + `, "spec": {"size": 5, "secret": "creds", "cpu": "250m"}, "status": {"ready": 2}}}`},
		{"interpretStatus", []string{"--observed-file", file("widget-member.yaml")}, `{"status": {"ready": 3}}`},
		{"aggregateStatus", []string{"--desired-file", file("widget.yaml"), "--status-file", file("widget-items.yaml")},
			`{"object": {` + widget + `, "spec": {"size": 3, "secret": "creds", "cpu": "250m"}, "status": {"ready": 3, "clusters": 3}}}`},
		{"interpretHealth", []string{"--observed-file", file("widget-member.yaml")}, `{"healthy": true}`},
		{"interpretDependency", []string{"--desired-file", file("widget.yaml")},
			`{"dependencies": [{"apiVersion": "v1", "kind": "Secret", "namespace": "shop", "name": "creds"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			g := NewWithT(t)
			args := append([]string{"interpret", "-f", file("customizations/widget.yaml"), "--operation", tt.op, "-o", "json"}, tt.args...)
			out, code := runGitfleet(t, args...)
			g.Expect(code).To(Equal(0), out)
			g.Expect(out).To(MatchJSON(tt.want))

			// The YAML output names the customization that answered.
			out, code = runGitfleet(t, append(args[:len(args):len(args)], "-o", "yaml")...)
			g.Expect(code).To(Equal(0), out)
			g.Expect(out).To(MatchRegexp(`^# \w+ of example.io/v1 Widget shop/w: customization "widget" rule\n`))
		})
	}

	// A directory is read whole; kinds no customization targets keep the built-in rules.
	g := NewWithT(t)
	out, code := runGitfleet(t, "interpret", "-f", file("customizations"), "--operation", "interpretHealth",
		"--observed-file", file("member.yaml"))
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(Equal("# InterpretHealth of apps/v1 Deployment shop/web: built-in rule\nhealthy: true\n"))
}

func TestInterpretCheck(t *testing.T) {
	g := NewWithT(t)
	dir := interpretDir(t)
	good := filepath.Join(dir, "customizations", "widget.yaml")
	out, code := runGitfleet(t, "interpret", "-f", good, "--check")
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(Equal(good + `:1: ResourceInterpreterCustomization/widget (target example.io/v1 Widget)
  Retain               PASS
  InterpretReplica     PASS
  InterpretComponent   PASS
  ReviseReplica        PASS
  InterpretStatus      PASS
  AggregateStatus      PASS
  InterpretHealth      PASS
  InterpretDependency  PASS
1 customization(s): valid
`))

	broken := filepath.Join(dir, "broken.yaml")
	out, code = runGitfleet(t, "interpret", "-f", broken, "--check")
	g.Expect(code).To(Equal(1), out)
	g.Expect(out).To(Equal(broken + `:1: ResourceInterpreterCustomization/broken (target example.io/v1 Gadget)
  Retain               UNSET
  InterpretReplica     ERROR: ` + broken + `:14: Lua script error: broken/replicaResource line:3(column:3) near 'end': syntax error
  InterpretComponent   UNSET
  ReviseReplica        UNSET
  InterpretStatus      ERROR: ` + broken + `:16: the script defines no function ReflectStatus
  AggregateStatus      UNSET
  InterpretHealth      PASS
  InterpretDependency  UNSET
1 customization(s): 2 error(s)
`))

	out, code = runGitfleet(t, "interpret", "-f", good, "-f", broken, "--check", "-o", "json")
	g.Expect(code).To(Equal(1), out)
	g.Expect(out).To(ContainSubstring(`"valid": false`))
	g.Expect(out).To(ContainSubstring(`"verdict": "Error"`))
	g.Expect(out).To(ContainSubstring(`"message": "` + broken + `:16: the script defines no function ReflectStatus"`))

	// Problems that are not about a script: an object that is not a customization, and an
	// unknown field, each with its line.
	mixed := filepath.Join(dir, "mixed.yaml")
	out, code = runGitfleet(t, "interpret", "-f", mixed, "--check")
	g.Expect(code).To(Equal(1), out)
	g.Expect(out).To(ContainSubstring(mixed + `:5: ResourceInterpreterCustomization/typo (target apps/v1 Deployment)`))
	g.Expect(out).To(ContainSubstring("  InterpretHealth      ERROR: " + mixed + `:12: unknown field "spec.customizations.healthInterpretation.luaScrip"`))
	g.Expect(out).To(ContainSubstring(mixed + ":1: ConfigMap/not-a-customization: not a ResourceInterpreterCustomization"))
}

func TestInterpretBadInput(t *testing.T) {
	dir := interpretDir(t)
	file := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name string
		args []string
		want string
	}{{
		name: "an object file that is not YAML",
		args: []string{"--operation", "interpretHealth", "--observed-file", file("bad.yaml")},
		want: "error: " + file("bad.yaml") + ":5: mapping values are not allowed in this context",
	}, {
		name: "a script that fails, located in its file",
		args: []string{"-f", file("runtime-error.yaml"), "--operation", "interpretHealth", "--observed-file", file("member.yaml")},
		want: "error: " + file("runtime-error.yaml") + `:13: InterpretHealth of apps/v1 Deployment shop/web: ResourceInterpreterCustomization "strict": strict/healthInterpretation:2: attempt to index a non-table object(nil) with key '1'`,
	}, {
		name: "a customization that does not compile",
		args: []string{"-f", file("broken.yaml"), "--operation", "interpretHealth", "--observed-file", file("member.yaml")},
		want: file("broken.yaml") + `:11: ResourceInterpreterCustomization/broken: spec.customizations.replicaResource.luaScript: ` +
			`Invalid value: "(Lua script)": InterpreterOperation(InterpretReplica) Lua script error: broken/replicaResource line:3(column:3) near 'end': syntax error` +
			"\n1 error(s) in the customizations\n",
	}, {
		name: "a file given with -f that holds other objects",
		args: []string{"-f", file("mixed.yaml"), "--operation", "interpretHealth", "--observed-file", file("member.yaml")},
		want: file("mixed.yaml") + ":1: ConfigMap/not-a-customization: not a ResourceInterpreterCustomization",
	}, {
		name: "a kind no rule covers",
		args: []string{"--operation", "interpretHealth", "--observed-file", file("widget.yaml")},
		want: "error: no interpreter hook: InterpretHealth for example.io/v1 Widget shop/w: no customization given with -f targets this kind, " +
			"and there is no built-in rule for it (gitfleet counts such objects as Healthy, as Karmada does)",
	}, {
		name: "status items with a misspelt key",
		args: []string{"--operation", "aggregateStatus", "--desired-file", file("deployment.yaml"), "--status-file", file("widget.yaml")},
		want: "error: " + file("widget.yaml") + `:1: status item 1: unknown field "apiVersion"`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			out, code := runGitfleet(t, append([]string{"interpret"}, tt.args...)...)
			g.Expect(code).To(Equal(1), out)
			g.Expect(out).To(ContainSubstring(tt.want))
		})
	}
}

func TestInterpretUsage(t *testing.T) {
	dir := interpretDir(t)
	file := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"nothing to do", nil, "say what to run: --operation OPERATION, or --check"},
		{"an unknown operation", []string{"--operation", "prune", "--observed-file", file("member.yaml")}, `unknown operation "prune": use one of retain, interpretReplica`},
		{"no object", []string{"--operation", "interpretHealth"}, "InterpretHealth needs an object"},
		{"two objects", []string{"--operation", "interpretHealth", "--observed-file", file("member.yaml"), "--desired-file", file("member.yaml")},
			"takes one object: the desired or the observed one, not both"},
		{"retain without the observed object", []string{"--operation", "retain", "--desired-file", file("member.yaml")},
			"Retain needs both the desired and the observed object"},
		{"reviseReplica without replicas", []string{"--operation", "reviseReplica", "--desired-file", file("member.yaml")},
			"reviseReplica needs --desired-replica N"},
		{"replicas for another operation", []string{"--operation", "interpretReplica", "--desired-file", file("member.yaml"), "--desired-replica", "2"},
			"--desired-replica is read by reviseReplica only"},
		{"status items for another operation", []string{"--operation", "interpretHealth", "--observed-file", file("member.yaml"), "--status-file", file("items.yaml")},
			"--status-file is read by aggregateStatus only"},
		{"a file that does not exist", []string{"--operation", "interpretHealth", "--observed-file", file("nope.yaml")}, "--observed-file: open"},
		{"a customization that does not exist", []string{"-f", file("nope.yaml"), "--check"}, "-f: stat"},
		{"check and an operation", []string{"-f", file("broken.yaml"), "--check", "--operation", "interpretHealth"}, "use either --check or --operation"},
		{"check without customizations", []string{"--check"}, "--check needs the customizations to check"},
		{"an unknown output format", []string{"--operation", "interpretHealth", "--observed-file", file("member.yaml"), "-o", "xml"}, `unsupported output format "xml"`},
		{"two files on standard input", []string{"--operation", "aggregateStatus", "--desired-file", "-", "--status-file", "-"}, "only one file can be read from standard input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			out, code := runGitfleet(t, append([]string{"interpret"}, tt.args...)...)
			g.Expect(code).To(Equal(2), out)
			g.Expect(out).To(ContainSubstring(tt.want))
		})
	}
}
