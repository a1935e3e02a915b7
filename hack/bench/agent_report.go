package main

import (
	"fmt"
	"strings"
)

// writeAgent writes the agent scenario's table.
func writeAgent(b *strings.Builder, a *agentResult) {
	fmt.Fprintf(b, "\n## Agent — one Pull cluster (`gitfleet dev up`, no workloads), %s objects\n\n", count(a.objects))
	if a.skipped != "" {
		fmt.Fprintf(b, "skipped: %s\n", a.skipped)
		return
	}
	b.WriteString("| scenario | wall | user+sys | mean CPU (one core) | RSS | notes |\n|---|---:|---:|---:|---:|---|\n")
	fmt.Fprintf(b, "| agent: %s-object apply (first cycle) | %s | %s | %.0f %% | %s peak | `agent --once` on an empty cluster: %s |\n",
		count(a.objects), seconds(a.first.wall), seconds(a.first.cpu), 100*ratio(a.first.cpu, a.first.wall), bytesSize(a.first.peakRSS),
		strings.ReplaceAll(a.firstOutput, "|", "/"))
	i := a.idle
	fmt.Fprintf(b, "| agent: idle, interval %s, %.0f s | %s | %s | %.2f %% | %s median, %s max | %s |\n",
		agentIdleInterval, agentIdleWindow.Seconds(), seconds(i.window), seconds(i.cpu), i.cpuPercent,
		bytesValue(float64(i.medianRSS)), bytesValue(float64(i.maxRSS)), idleNotes(i))
}

func idleNotes(i idleRun) string {
	notes := fmt.Sprintf("%d samples; %d cycles in the window: %d applied, %d pruned, %d failed; "+
		"the run's first cycle (everything unchanged: %d applied, %d unchanged) reported after %s; peak RSS of the whole run %s",
		i.samples, i.cycles, i.applied, i.pruned, i.failed, i.convergedSync.Applied, i.convergedSync.Unchanged,
		seconds(i.converged), bytesSize(i.peakRSS))
	if i.applied > 0 || i.convergedSync.Applied > 0 {
		notes += "; **the idle agent applied objects: it did not converge**"
	}
	return notes
}

// agentMethodNotes say how the agent scenario was measured.
var agentMethodNotes = strings.Join([]string{
	"- Agent: `gitfleet dev up` starts one API server (no controller-manager: Deployments are applied, never Ready); the " +
		"fleet source — the cluster in Pull mode, 10 Namespaces each with 89 ConfigMaps and 10 Deployments, one " +
		"ClusterPropagationPolicy — is committed on `main` of a new repository and rendered with `gitfleet render --repo R " +
		"--commit`. The first cycle is `gitfleet agent --once` reading the repository in place (rusage: wall, user+sys, peak RSS).",
	"- Idle: `gitfleet agent --interval 5s` is started afresh; its first cycle (re-applying every object unchanged) is not " +
		"measured. From its first `reported` log line, /proc/<pid>/status VmRSS and /proc/<pid>/stat utime+stime are read " +
		"every second for 60 s: RSS is the samples' median and maximum, mean CPU the window's CPU time over its wall time. " +
		"`dev down` stops the cluster afterwards, also on failure.",
	"",
}, "\n")
