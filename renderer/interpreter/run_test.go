package interpreter

import (
	"errors"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func TestParseOperation(t *testing.T) {
	g := NewWithT(t)
	for name, want := range map[string]Operation{
		"interpretReplica":    v1alpha1.InterpreterOperationInterpretReplica,
		"InterpretReplica":    v1alpha1.InterpreterOperationInterpretReplica,
		"retain":              v1alpha1.InterpreterOperationRetain,
		"REVISEREPLICA":       v1alpha1.InterpreterOperationReviseReplica,
		"interpretStatus":     v1alpha1.InterpreterOperationInterpretStatus,
		"interpretHealth":     v1alpha1.InterpreterOperationInterpretHealth,
		"interpretDependency": v1alpha1.InterpreterOperationInterpretDependency,
		"aggregateStatus":     v1alpha1.InterpreterOperationAggregateStatus,
		"interpretComponent":  v1alpha1.InterpreterOperationInterpretComponent,
	} {
		op, err := ParseOperation(name)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(op).To(Equal(want), name)
	}
	_, err := ParseOperation("prune")
	g.Expect(err).To(MatchError(`unknown operation "prune": use one of retain, interpretReplica, interpretComponent, ` +
		`reviseReplica, interpretStatus, aggregateStatus, interpretHealth, interpretDependency`))
	g.Expect(Operations()).To(HaveLen(8))
}

func TestRequestValidate(t *testing.T) {
	obj := decodeObject(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}")
	tests := []struct {
		name string
		req  Request
		want string
	}{
		{"retain without the observed object", Request{Operation: v1alpha1.InterpreterOperationRetain, Desired: obj},
			"Retain needs both the desired and the observed object"},
		{"an operation without an object", Request{Operation: v1alpha1.InterpreterOperationInterpretHealth},
			"InterpretHealth needs an object"},
		{"an operation with two objects", Request{Operation: v1alpha1.InterpreterOperationInterpretReplica, Desired: obj, Observed: obj},
			"InterpretReplica takes one object"},
		{"an unknown operation", Request{Operation: "Prune", Desired: obj}, `unknown operation "Prune"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			_, err := newInterpreter(t).Run(tt.req)
			g.Expect(errors.Is(err, ErrBadRequest)).To(BeTrue(), "%v", err)
			g.Expect(err).To(MatchError(ContainSubstring(tt.want)))
		})
	}
}

// widgetCustomization scripts every operation for a custom kind, the way a user would test
// it with `gitfleet interpret -f`.
const widgetCustomization = `
retention:
  luaScript: |
    function Retain(desiredObj, observedObj)
      desiredObj.spec.nodeName = observedObj.spec.nodeName
      return desiredObj
    end
replicaResource:
  luaScript: |
    local kube = require("kube")
    function GetReplicas(obj)
      return obj.spec.size, kube.accuratePodRequirements(obj.spec.template)
    end
componentResource:
  luaScript: |
    function GetComponents(obj)
      return {{name = "leader", replicas = 1}, {name = "worker", replicas = obj.spec.size}}
    end
replicaRevision:
  luaScript: |
    function ReviseReplica(obj, desiredReplica)
      obj.spec.size = desiredReplica
      return obj
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
      desiredObj.status = {ready = ready}
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
    end`

const widget = `
apiVersion: example.io/v1
kind: Widget
metadata: {name: w, namespace: shop}
spec:
  size: 3
  secret: creds
  template: {spec: {containers: [{name: a, resources: {requests: {cpu: 250m}}}]}}
status: {ready: 2}`

func TestRunCustomizationEveryOperation(t *testing.T) {
	i := newInterpreter(t, newRIC(t, "widget", "example.io/v1", "Widget", widgetCustomization))
	member := `
apiVersion: example.io/v1
kind: Widget
metadata: {name: w, namespace: shop}
spec: {size: 3, nodeName: node-7}
status: {ready: 3}`
	tests := []struct {
		req  Request
		want string
	}{
		{Request{Operation: v1alpha1.InterpreterOperationInterpretReplica},
			`{"replicas": 3, "requirements": {"resourceRequest": {"cpu": "250m"}}}`},
		{Request{Operation: v1alpha1.InterpreterOperationInterpretComponent},
			`{"components": [{"name": "leader", "replicas": 1}, {"name": "worker", "replicas": 3}]}`},
		{Request{Operation: v1alpha1.InterpreterOperationReviseReplica, DesiredReplica: 7},
			`{"object": {"apiVersion": "example.io/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "shop"},
			  "spec": {"size": 7, "secret": "creds", "template": {"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "250m"}}}]}}},
			  "status": {"ready": 2}}}`},
		{Request{Operation: v1alpha1.InterpreterOperationInterpretStatus}, `{"status": {"ready": 2}}`},
		{Request{Operation: v1alpha1.InterpreterOperationInterpretHealth}, `{"healthy": false}`},
		{Request{Operation: v1alpha1.InterpreterOperationInterpretDependency},
			`{"dependencies": [{"apiVersion": "v1", "kind": "Secret", "namespace": "shop", "name": "creds"}]}`},
		{Request{Operation: v1alpha1.InterpreterOperationAggregateStatus, StatusItems: decodeItems(t, `
- {clusterName: east, status: {ready: 2}}
- {clusterName: west, status: {ready: 1}}
- {clusterName: north}`)},
			`{"object": {"apiVersion": "example.io/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "shop"},
			  "spec": {"size": 3, "secret": "creds", "template": {"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "250m"}}}]}}},
			  "status": {"ready": 3}}}`},
		{Request{Operation: v1alpha1.InterpreterOperationRetain, Observed: decodeObject(t, member)},
			`{"object": {"apiVersion": "example.io/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "shop"},
			  "spec": {"size": 3, "secret": "creds", "nodeName": "node-7", "template": {"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "250m"}}}]}}},
			  "status": {"ready": 2}}}`},
	}
	for _, tt := range tests {
		t.Run(string(tt.req.Operation), func(t *testing.T) {
			g := NewWithT(t)
			tt.req.Desired = decodeObject(t, widget)
			res := runOp(t, i, tt.req)
			g.Expect(res.Rule).To(Equal(`customization "widget"`))
			out, err := res.MarshalJSON()
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(out).To(MatchJSON(tt.want))
		})
	}
}

func TestResultFieldsOfEmptyAnswers(t *testing.T) {
	g := NewWithT(t)
	i := newInterpreter(t)
	res := runOp(t, i, Request{Operation: v1alpha1.InterpreterOperationInterpretDependency,
		Desired: decodeObject(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}")})
	out, _ := res.MarshalJSON()
	g.Expect(out).To(MatchJSON(`{"dependencies": []}`), "none is an empty list, not null")

	res = runOp(t, i, Request{Operation: v1alpha1.InterpreterOperationInterpretReplica,
		Desired: decodeObject(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}")})
	out, _ = res.MarshalJSON()
	g.Expect(out).To(MatchJSON(`{"replicas": 2, "requirements": null}`))

	res = runOp(t, i, Request{Operation: v1alpha1.InterpreterOperationReviseReplica, DesiredReplica: 4,
		Desired: decodeObject(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}")})
	g.Expect(res.Object.Object["spec"]).To(Equal(map[string]any{"replicas": int64(4)}))
}

func TestCheckRules(t *testing.T) {
	g := NewWithT(t)
	good := newRIC(t, "widget", "example.io/v1", "Widget", widgetCustomization)
	for _, r := range CheckRules(good) {
		g.Expect(r.Verdict).To(Equal(RulePass), "%s: %s", r.Field, r.Message)
	}

	broken := newRIC(t, "broken", "example.io/v1", "Widget", `
retention: {luaScript: "function Retain(d, o) return d end"}
replicaResource:
  luaScript: |
    function GetReplicas(obj)
      return obj.spec.size,
    end
replicaRevision: {luaScript: "function Revise(obj, n) return obj end"}
statusReflection: {luaScript: "ReflectStatus = 3"}
healthInterpretation: {luaScript: "error('boom')"}
dependencyInterpretation: {luaScript: "  "}`)
	verdicts := map[string]RuleCheck{}
	for _, r := range CheckRules(broken) {
		verdicts[r.Field] = r
	}
	g.Expect(verdicts).To(HaveLen(8))
	g.Expect(verdicts["retention"].Verdict).To(Equal(RulePass))
	g.Expect(verdicts["componentResource"].Verdict).To(Equal(RuleUnset))
	g.Expect(verdicts["statusAggregation"].Verdict).To(Equal(RuleUnset))
	g.Expect(verdicts["replicaResource"]).To(Equal(RuleCheck{Field: "replicaResource", Operation: v1alpha1.InterpreterOperationInterpretReplica,
		Verdict: RuleError, Message: "Lua script error: broken/replicaResource line:3(column:3) near 'end': syntax error"}))
	g.Expect(verdicts["replicaRevision"].Message).To(Equal("the script defines no function ReviseReplica"))
	g.Expect(verdicts["statusReflection"].Message).To(Equal("ReflectStatus is a number, not a function"))
	g.Expect(verdicts["healthInterpretation"].Message).To(Equal("running the script: broken/healthInterpretation:1: boom"))
	g.Expect(verdicts["dependencyInterpretation"].Message).To(Equal("luaScript is empty: a present rule needs a script"))

	customization, field, line, ok := ScriptLocation(errors.New(verdicts["replicaResource"].Message))
	g.Expect([]any{customization, field, line, ok}).To(Equal([]any{"broken", "replicaResource", 3, true}))
	customization, field, line, ok = ScriptLocation(errors.New(`InterpretHealth of v1 Pod p: ResourceInterpreterCustomization "x": x/healthInterpretation:12: attempt to index`))
	g.Expect([]any{customization, field, line, ok}).To(Equal([]any{"x", "healthInterpretation", 12, true}))
	_, _, _, ok = ScriptLocation(errors.New("no interpreter hook: InterpretHealth for v1 ConfigMap c"))
	g.Expect(ok).To(BeFalse())
}

func TestDecodeInputs(t *testing.T) {
	g := NewWithT(t)
	obj, err := DecodeObject("o.json", []byte(`{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"priority": 3}}`))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(obj.Object["spec"]).To(Equal(map[string]any{"priority": int64(3)}), "JSON is YAML; numbers are int64")

	obj, err = DecodeObject("o.yaml", []byte("# a comment\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nstatus: {startTime: 2024-05-01T10:00:00Z}\n"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(obj.Object["status"]).To(Equal(map[string]any{"startTime": "2024-05-01T10:00:00Z"}), "timestamps stay strings")

	for _, tt := range []struct{ data, want string }{
		{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n   labels: {}\n", "o.yaml:5: mapping values are not allowed in this context"},
		{"", "o.yaml: no object in the file"},
		{"apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Pod\n", "o.yaml:4: the file holds 2 objects; give one object per file"},
		{"- a\n- b\n", "o.yaml:1: not an object: a Kubernetes object is a mapping with apiVersion and kind"},
		{"metadata: {name: x}\nkind: Pod\n", "o.yaml:1: the object has no apiVersion"},
	} {
		_, err := DecodeObject("o.yaml", []byte(tt.data))
		g.Expect(err).To(MatchError(tt.want))
	}

	items, err := DecodeStatusItems("s.yaml", []byte(`
clusterName: east
applied: true
health: Healthy
status: {readyReplicas: 2}
---
- {clusterName: west, applied: false, appliedMessage: forbidden, health: Unknown}
- {clusterName: north}`))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(items).To(HaveLen(3))
	g.Expect(items[0].ClusterName).To(Equal("east"))
	g.Expect(string(items[0].Status.Raw)).To(MatchJSON(`{"readyReplicas": 2}`))
	g.Expect(items[1]).To(Equal(v1alpha1.AggregatedStatusItem{ClusterName: "west", AppliedMessage: "forbidden", Health: v1alpha1.ResourceUnknown}))

	_, err = DecodeStatusItems("s.yaml", []byte("clusterName: east\n---\nclusterName: west\nstatuss: {}\n"))
	g.Expect(err).To(MatchError(`s.yaml:3: status item 2: unknown field "statuss"`))
	_, err = DecodeStatusItems("s.yaml", []byte("- {clusterName: east, health: Fine}\n"))
	g.Expect(err).To(MatchError(`s.yaml:1: status item 1: health "Fine": use Healthy, Unhealthy or Unknown`))
	_, err = DecodeStatusItems("s.yaml", []byte("- east\n"))
	g.Expect(err).To(MatchError(`s.yaml:1: status item 1: not an object with clusterName, status, applied and health`))
}

func TestDocumentLines(t *testing.T) {
	g := NewWithT(t)
	docs, err := DecodeDocuments("ric.yaml", []byte(`apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata: {name: x}
spec:
  customizations:
    healthInterpretation:
      luaScript: |
        function InterpretHealth(o)
          return o.status.x.y
        end
    replicaResource:
      luaScript: >
        function GetReplicas(o) return 1 end
`))
	g.Expect(err).NotTo(HaveOccurred())
	doc := docs[0]
	g.Expect(doc.Line).To(Equal(1))
	g.Expect(doc.LineOf("spec", "customizations", "replicaResource")).To(Equal(12))
	g.Expect(doc.TextLine(2, "spec", "customizations", "healthInterpretation", "luaScript")).To(Equal(9), "a literal block maps line for line")
	g.Expect(doc.TextLine(1, "spec", "customizations", "replicaResource", "luaScript")).To(Equal(12), "a folded block does not: the script's line")
	g.Expect(doc.TextLine(1, "spec", "customizations", "retention", "luaScript")).To(Equal(6), "absent: where the deepest part that is there starts")
}
