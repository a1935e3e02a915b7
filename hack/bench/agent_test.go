package main

import (
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func TestAgentFleetFilesHoldAThousandObjects(t *testing.T) {
	g := NewWithT(t)
	kinds := map[string]int{}
	for _, data := range agentFleetFiles() {
		for doc := range strings.SplitSeq(data, "---\n") {
			for line := range strings.Lines(doc) {
				if kind, ok := strings.CutPrefix(line, "kind: "); ok {
					kinds[strings.TrimSpace(kind)]++
				}
			}
		}
	}
	g.Expect(kinds).To(Equal(map[string]int{
		"Cluster": 1, "ClusterPropagationPolicy": 1,
		"Namespace": 10, "ConfigMap": 890, "Deployment": 100,
	}))
}

func TestParseVmRSS(t *testing.T) {
	g := NewWithT(t)
	rss, err := parseVmRSS("Name:\tgitfleet\nVmPeak:\t  900000 kB\nVmRSS:\t   51200 kB\nRssAnon:\t 40000 kB\n")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(rss).To(Equal(int64(51200 * 1024)))

	_, err = parseVmRSS("Name:\tzombie\n")
	g.Expect(err).To(MatchError(ContainSubstring("no VmRSS")))
}

func TestParseStatCPU(t *testing.T) {
	tests := []struct {
		name, stat string
		want       int64
		wantErr    bool
	}{
		{name: "utime and stime are fields 14 and 15",
			stat: "4242 (gitfleet) S 1 4242 4242 0 -1 4194560 9000 0 0 0 250 37 0 0 20 0 12 0 100 1000000 12800 ...\n", want: 287},
		{name: "a command name with spaces and parentheses",
			stat: "7 (a (b) c) R 1 7 7 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 0 0\n", want: 11},
		{name: "truncated", stat: "7 (x) R 1 7", wantErr: true},
		{name: "no command name", stat: "garbage", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			got, err := parseStatCPU(tt.stat)
			if tt.wantErr {
				g.Expect(err).To(HaveOccurred())
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(got).To(Equal(tt.want))
		})
	}
}

func TestSummarizeIdle(t *testing.T) {
	g := NewWithT(t)
	const mib = 1 << 20
	samples := []procSample{
		{at: 0, rss: 40 * mib, cpuTicks: 1000},
		{at: 10 * time.Second, rss: 44 * mib, cpuTicks: 1010},
		{at: 20 * time.Second, rss: 41 * mib, cpuTicks: 1030},
		{at: 30 * time.Second, rss: 50 * mib, cpuTicks: 1060},
	}
	s, err := summarizeIdle(samples, 100)
	g.Expect(err).NotTo(HaveOccurred())
	// 60 ticks of 10 ms over 30 s: 0.6 s of CPU, 2 % of one core.
	g.Expect(s.cpu).To(Equal(600 * time.Millisecond))
	g.Expect(s.cpuPercent).To(BeNumerically("~", 2.0, 1e-9))
	g.Expect(s.window).To(Equal(30 * time.Second))
	g.Expect(s.medianRSS).To(Equal(int64(42*mib + mib/2)))
	g.Expect(s.maxRSS).To(Equal(int64(50 * mib)))
	g.Expect(s.samples).To(Equal(4))

	_, err = summarizeIdle(samples[:1], 100)
	g.Expect(err).To(HaveOccurred())
}

func TestParseAgentLogLine(t *testing.T) {
	g := NewWithT(t)
	ev, ok := parseAgentLogLine([]byte(`{"time":"2026-01-01T00:00:00Z","level":"INFO","msg":"synced","cluster":"c","applied":3,"unchanged":997,"pruned":1,"failed":0}`))
	g.Expect(ok).To(BeTrue())
	g.Expect(ev).To(Equal(agentLogEvent{Msg: "synced", Applied: 3, Unchanged: 997, Pruned: 1}))

	_, ok = parseAgentLogLine([]byte("panic: not JSON"))
	g.Expect(ok).To(BeFalse())
}

func TestParseSizesNone(t *testing.T) {
	g := NewWithT(t)
	for _, s := range []string{"", "none", " None "} {
		sizes, err := parseSizes(s)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(sizes).To(BeEmpty())
	}
}
