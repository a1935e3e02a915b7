package agent_test

import (
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/agent"
	"github.com/gitfleet/gitfleet/reconciler/clusterstatus"
	"github.com/gitfleet/gitfleet/reconciler/controller"
)

// A hub and two agents: a change pushed to the source reaches both Pull clusters, and their
// status reaches gitfleet/status, read only from each cluster's own report ref.
func TestHubAndTwoAgents(t *testing.T) {
	g := NewWithT(t)
	p := newPullFleet(t)

	first := p.hubCycle()
	g.Expect(first.Syncs).To(BeEmpty(), "the hub applies nothing to Pull clusters")
	for _, name := range pullClusters {
		res := p.agentCycle(name)
		g.Expect(res.SyncErr).NotTo(HaveOccurred())
		g.Expect(res.RenderedCommit).To(Equal(first.Rendered.Commit.String()))
		g.Expect(res.Sync.Applied).To(Equal(2), "the namespace and the ConfigMap")
		g.Expect(res.Report.Changed).To(BeTrue())
		g.Expect(p.configMap(name, "settings")).To(Equal("blue"))
	}
	folded := p.hubCycle()
	g.Expect(folded.Status.Changed).To(BeTrue())
	for _, name := range pullClusters {
		var c v1alpha1.Cluster
		p.statusFile("clusters/"+name+".yaml", &c)
		ready := apimeta.FindStatusCondition(c.Status.Conditions, v1alpha1.ClusterConditionReady)
		g.Expect(ready).NotTo(BeNil())
		g.Expect(ready.Status).To(Equal(metav1.ConditionTrue), name)
		var sync v1alpha1.ClusterSyncStatus
		p.statusFile("clusters/"+name+"/sync.yaml", &sync)
		g.Expect(sync.AppliedCommit).To(Equal(first.Rendered.Commit.String()), name)
		g.Expect(sync.Objects).To(Equal(2))
		g.Expect(sync.HeartbeatTime).NotTo(BeNil())
	}
	var settings clusterstatus.ResourceStatus
	p.statusFile("resources/shop/core.configmap.settings.yaml", &settings)
	g.Expect(settings.AggregatedStatus).To(HaveLen(2))
	for _, item := range settings.AggregatedStatus {
		g.Expect(item.Applied).To(BeTrue(), item.ClusterName)
		g.Expect(item.Health).To(Equal(v1alpha1.ResourceHealthy), item.ClusterName)
	}

	// A change to the source travels hub → agents → hub.
	p.files["shop/settings.yaml"] = &fstest.MapFile{Data: []byte(configMapYAML("settings", "green") + "---\n" + configMapYAML("extra", "x"))}
	p.push("Green settings and an extra ConfigMap")
	second := p.hubCycle()
	g.Expect(second.Rendered.Changed).To(BeTrue())
	for _, name := range pullClusters {
		g.Expect(p.agentCycle(name).SyncErr).NotTo(HaveOccurred())
		g.Expect(p.configMap(name, "settings")).To(Equal("green"))
		g.Expect(p.configMap(name, "extra")).To(Equal("x"))
	}
	g.Expect(p.hubCycle().Status.Changed).To(BeTrue())
	for _, name := range pullClusters {
		var sync v1alpha1.ClusterSyncStatus
		p.statusFile("clusters/"+name+"/sync.yaml", &sync)
		g.Expect(sync.AppliedCommit).To(Equal(second.Rendered.Commit.String()), name)
		g.Expect(sync.Objects).To(Equal(3))
	}
	var extra clusterstatus.ResourceStatus
	p.statusFile("resources/shop/core.configmap.extra.yaml", &extra)
	g.Expect(extra.AggregatedStatus).To(HaveLen(2))

	// A converged fleet stops committing status: the agents' heartbeats are coarse there.
	for _, name := range pullClusters {
		g.Expect(p.agentCycle(name).SyncErr).NotTo(HaveOccurred())
	}
	g.Expect(p.hubCycle().Status.Changed).To(BeFalse(), "heartbeats are coarse: nothing meaningful changed")
}

// A Pull cluster whose agent falls silent keeps its last status for the monitor grace
// period, counted from when the hub last saw its report ref change, and is Ready=Unknown
// after it; its next report makes it Ready again.
func TestSilentAgentTurnsUnknown(t *testing.T) {
	g := NewWithT(t)
	p := newPullFleet(t)
	fake := clocktesting.NewFakeClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	clock, advance := fake.Now, fake.Step
	p.hub = controller.New(controller.Options{Repo: p.clone(), Now: clock})
	// The agents share the clock: a report identical to the previous one, made in the same
	// second, is the same commit — no news for the hub.
	for _, name := range pullClusters {
		a, err := agent.New(agent.Options{Repo: p.clone(), Cluster: name, Config: p.fleet.Cluster(name).Config, Now: clock})
		g.Expect(err).NotTo(HaveOccurred())
		p.agents[name] = a
	}
	ready := func(cluster string) *metav1.Condition {
		var c v1alpha1.Cluster
		p.statusFile("clusters/"+cluster+".yaml", &c)
		return apimeta.FindStatusCondition(c.Status.Conditions, v1alpha1.ClusterConditionReady)
	}

	p.hubCycle()
	for _, name := range pullClusters {
		p.agentCycle(name)
	}
	p.hubCycle()
	g.Expect(ready("edge1").Status).To(Equal(metav1.ConditionTrue))

	// edge2 keeps reporting, edge1 stops.
	advance(39 * time.Second)
	p.agentCycle("edge2")
	p.hubCycle()
	g.Expect(ready("edge1").Status).To(Equal(metav1.ConditionTrue), "within the grace period")
	advance(time.Second)
	p.agentCycle("edge2")
	p.hubCycle()
	g.Expect(ready("edge1").Status).To(Equal(metav1.ConditionUnknown))
	g.Expect(ready("edge1").Reason).To(Equal(v1alpha1.ClusterReasonStatusUnknown))
	g.Expect(ready("edge2").Status).To(Equal(metav1.ConditionTrue))

	advance(5 * time.Second)
	p.agentCycle("edge1")
	p.hubCycle()
	g.Expect(ready("edge1").Status).To(Equal(metav1.ConditionTrue), "a new report: Ready again")
}

// The source's interpreter customizations reach the agents with the render: a Lua health rule
// that the built-in rules would not apply (a ConfigMap is always Healthy to them) decides the
// health an agent reports, and a render without the rule brings the built-in rules back.
func TestAgentInterpretsWithTheSourcesCustomizations(t *testing.T) {
	g := NewWithT(t)
	p := newPullFleet(t)
	p.files["fleet/interpreter.yaml"] = &fstest.MapFile{Data: []byte(`apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata: {name: configmap-health}
spec:
  target: {apiVersion: v1, kind: ConfigMap}
  customizations:
    healthInterpretation:
      luaScript: |
        function InterpretHealth(observedObj)
          return observedObj.data ~= nil and observedObj.data.value == "green"
        end
`)}
	p.push("ConfigMaps are healthy only when green")
	rendered := p.hubCycle()
	g.Expect(p.refFile("gitfleet/rendered", "karmada-es-edge1/"+v1alpha1.ClusterInterpreterFileName)).To(ContainSubstring("configmap-health"))
	health := func() map[string]v1alpha1.ResourceHealth {
		for _, name := range pullClusters {
			g.Expect(p.agentCycle(name).RenderedCommit).To(Equal(rendered.Rendered.Commit.String()))
		}
		p.hubCycle()
		var settings clusterstatus.ResourceStatus
		p.statusFile("resources/shop/core.configmap.settings.yaml", &settings)
		out := map[string]v1alpha1.ResourceHealth{}
		for _, item := range settings.AggregatedStatus {
			out[item.ClusterName] = item.Health
		}
		return out
	}
	g.Expect(health()).To(Equal(map[string]v1alpha1.ResourceHealth{"edge1": v1alpha1.ResourceUnhealthy, "edge2": v1alpha1.ResourceUnhealthy}),
		"the settings are blue: unhealthy by the source's rule")

	delete(p.files, "fleet/interpreter.yaml")
	p.push("No health rule for ConfigMaps")
	rendered = p.hubCycle()
	g.Expect(p.refFile("gitfleet/rendered", "karmada-es-edge1/"+v1alpha1.ClusterInterpreterFileName)).To(BeNil())
	g.Expect(health()).To(Equal(map[string]v1alpha1.ResourceHealth{"edge1": v1alpha1.ResourceHealthy, "edge2": v1alpha1.ResourceHealthy}),
		"the built-in rules again")
}
