package controller_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/controller"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
	"github.com/gitfleet/gitfleet/reconciler/syncer"
	"github.com/gitfleet/gitfleet/renderer"
)

// get requests path from h and returns the status code and body.
func get(h http.Handler, path string) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

func TestHealthAndReadiness(t *testing.T) {
	g := NewWithT(t)
	m := controller.NewMetrics()
	h := controller.NewHandler(controller.ServerOptions{Metrics: m})

	code, _ := get(h, "/healthz")
	g.Expect(code).To(Equal(http.StatusOK), "alive from the start")
	code, _ = get(h, "/readyz")
	g.Expect(code).To(Equal(http.StatusServiceUnavailable), "not ready before a cycle")

	m.ObserveCycle(&controller.CycleResult{SourceCommit: "abc123"}, nil, time.Second)
	code, _ = get(h, "/readyz")
	g.Expect(code).To(Equal(http.StatusOK), "ready after a good cycle")

	invalid := &controller.CycleResult{SourceCommit: "bad456", RenderErr: renderer.Diagnostics{}}
	m.ObserveCycle(invalid, nil, time.Second)
	code, _ = get(h, "/readyz")
	g.Expect(code).To(Equal(http.StatusOK), "an invalid source is not the hub's failure")

	m.ObserveCycle(nil, errors.New("fetch: connection refused"), time.Second)
	code, _ = get(h, "/readyz")
	g.Expect(code).To(Equal(http.StatusServiceUnavailable), "unready after a repository failure")
	code, _ = get(h, "/healthz")
	g.Expect(code).To(Equal(http.StatusOK), "still alive")
}

func TestMetricsAfterCycles(t *testing.T) {
	g := NewWithT(t)
	m := controller.NewMetrics()
	h := controller.NewHandler(controller.ServerOptions{Metrics: m})

	m.ObserveCycle(&controller.CycleResult{SourceCommit: "abc123", RenderDuration: 300 * time.Millisecond, Syncs: map[string]controller.ClusterSync{
		"member1": {Result: &syncer.Result{Applied: 3, Pruned: 1, Failed: 2}},
		"member2": {Err: errors.New("no credentials")},
	}}, nil, 1500*time.Millisecond)
	m.ObserveCycle(&controller.CycleResult{SourceCommit: "def456", RenderErr: renderer.Diagnostics{}}, nil, time.Second)

	code, body := get(h, "/metrics")
	g.Expect(code).To(Equal(http.StatusOK))
	for _, line := range []string{
		`gitfleet_cycle_duration_seconds_count 2`,
		`gitfleet_render_duration_seconds_count 1`,
		`gitfleet_render_duration_seconds_sum 0.3`,
		`gitfleet_render_total{result="success"} 1`,
		`gitfleet_render_total{result="invalid"} 1`,
		`gitfleet_render_total{result="error"} 0`,
		`gitfleet_sync_objects_total{cluster="member1",outcome="applied"} 3`,
		`gitfleet_sync_objects_total{cluster="member1",outcome="pruned"} 1`,
		`gitfleet_sync_objects_total{cluster="member1",outcome="failed"} 2`,
		`gitfleet_sync_errors_total{cluster="member2"} 1`,
		`gitfleet_cluster_ready{cluster="member1"} 1`,
		`gitfleet_cluster_ready{cluster="member2"} 0`,
		`gitfleet_clusters_ready 1`,
		// The invalid source does not move the last successful render.
		`gitfleet_last_successful_render_info{commit="abc123"} 1`,
	} {
		g.Expect(body).To(ContainSubstring(line+"\n"), line)
	}
	g.Expect(body).NotTo(ContainSubstring(`commit="def456"`))
	g.Expect(body).To(ContainSubstring("go_goroutines"), "runtime collectors")
}

func TestPushWebhook(t *testing.T) {
	secret := []byte("s3cret")
	body := []byte(`{"ref":"refs/heads/main"}`)
	cases := []struct {
		name      string
		method    string
		signature string
		wantCode  int
		triggered bool
	}{
		{name: "valid signature", method: http.MethodPost, signature: controller.Sign(secret, body), wantCode: http.StatusAccepted, triggered: true},
		{name: "missing signature", method: http.MethodPost, wantCode: http.StatusUnauthorized},
		{name: "signed with another secret", method: http.MethodPost, signature: controller.Sign([]byte("guess"), body), wantCode: http.StatusUnauthorized},
		{name: "signature of another body", method: http.MethodPost, signature: controller.Sign(secret, []byte("{}")), wantCode: http.StatusUnauthorized},
		{name: "sha1 signature", method: http.MethodPost, signature: "sha1=" + strings.TrimPrefix(controller.Sign(secret, body), "sha256="), wantCode: http.StatusUnauthorized},
		{name: "not hex", method: http.MethodPost, signature: "sha256=zz", wantCode: http.StatusUnauthorized},
		{name: "GET", method: http.MethodGet, signature: controller.Sign(secret, body), wantCode: http.StatusMethodNotAllowed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			trigger := controller.NewTrigger()
			h := controller.NewHandler(controller.ServerOptions{Metrics: controller.NewMetrics(), Trigger: trigger, WebhookSecret: secret})
			req := httptest.NewRequest(tc.method, "/hooks/push", strings.NewReader(string(body)))
			if tc.signature != "" {
				req.Header.Set(controller.SignatureHeader, tc.signature)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			g.Expect(rec.Code).To(Equal(tc.wantCode))
			g.Expect(fired(trigger)).To(Equal(tc.triggered))
		})
	}
}

func TestPushWebhookNeedsASecret(t *testing.T) {
	g := NewWithT(t)
	trigger := controller.NewTrigger()
	h := controller.NewHandler(controller.ServerOptions{Metrics: controller.NewMetrics(), Trigger: trigger})
	req := httptest.NewRequest(http.MethodPost, "/hooks/push", strings.NewReader("{}"))
	req.Header.Set(controller.SignatureHeader, controller.Sign(nil, []byte("{}")))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	g.Expect(rec.Code).To(Equal(http.StatusNotFound))
	g.Expect(fired(trigger)).To(BeFalse())
}

func TestTriggersCoalesce(t *testing.T) {
	g := NewWithT(t)
	trigger := controller.NewTrigger()
	for range 5 {
		trigger.Fire()
	}
	g.Expect(fired(trigger)).To(BeTrue())
	g.Expect(fired(trigger)).To(BeFalse(), "five requests, one pending cycle")
}

// fired reports whether the trigger holds a pending request, consuming it.
func fired(t *controller.Trigger) bool {
	select {
	case <-t.C():
		return true
	default:
		return false
	}
}

// TestRunCyclesOnTrigger runs the loop on a fleet whose only cluster is a Pull cluster (the
// hub syncs nothing, so no API server is needed) with an interval too long to tick: a push
// and a webhook must make it render the new commit.
func TestRunCyclesOnTrigger(t *testing.T) {
	g := NewWithT(t)
	server := gitstoretest.NewServer(t)
	when := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	files := fstest.MapFS{
		"clusters/member1.yaml": {Data: []byte(`apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: member1}
spec:
  syncMode: Pull
`)},
		"shop/policy.yaml": {Data: []byte(policy)},
		"shop/config.yaml": {Data: []byte(configMaps)},
	}
	_, first := server.PushDir(t, "fleet.git", "main", files, "Fleet", when)
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: server.URL("fleet.git"), Auth: server.Auth()})
	g.Expect(err).NotTo(HaveOccurred())

	metrics, trigger := controller.NewMetrics(), controller.NewTrigger()
	secret := []byte("s3cret")
	srv := httptest.NewServer(controller.NewHandler(controller.ServerOptions{Metrics: metrics, Trigger: trigger, WebhookSecret: secret}))
	defer srv.Close()
	ctrl := controller.New(controller.Options{Repo: repo, Metrics: metrics, Trigger: trigger})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ctrl.Run(ctx, time.Hour) }()
	defer func() {
		cancel()
		g.Expect(<-done).To(MatchError(context.Canceled))
	}()

	status := func(path string) func() int {
		return func() int {
			resp, err := http.Get(srv.URL + path)
			if err != nil {
				return 0
			}
			resp.Body.Close()
			return resp.StatusCode
		}
	}
	scrape := func() string {
		resp, err := http.Get(srv.URL + "/metrics")
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	g.Eventually(status("/readyz"), 30*time.Second, 50*time.Millisecond).Should(Equal(http.StatusOK))
	g.Expect(scrape()).To(ContainSubstring(`gitfleet_last_successful_render_info{commit="` + first.String() + `"} 1`))

	files["shop/config.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(configMaps, "blue", "green", 1))}
	_, second := server.PushDir(t, "fleet.git", "main", files, "Green", when.Add(time.Minute))
	payload := []byte(`{"ref":"refs/heads/main","after":"` + second.String() + `"}`)

	unsigned, err := http.Post(srv.URL+"/hooks/push", "application/json", strings.NewReader(string(payload)))
	g.Expect(err).NotTo(HaveOccurred())
	unsigned.Body.Close()
	g.Expect(unsigned.StatusCode).To(Equal(http.StatusUnauthorized))
	g.Consistently(scrape, 300*time.Millisecond, 50*time.Millisecond).Should(ContainSubstring(`gitfleet_render_total{result="success"} 1` + "\n"))

	req, err := http.NewRequest(http.MethodPost, srv.URL+"/hooks/push", strings.NewReader(string(payload)))
	g.Expect(err).NotTo(HaveOccurred())
	req.Header.Set(controller.SignatureHeader, controller.Sign(secret, payload))
	signed, err := http.DefaultClient.Do(req)
	g.Expect(err).NotTo(HaveOccurred())
	signed.Body.Close()
	g.Expect(signed.StatusCode).To(Equal(http.StatusAccepted))
	g.Eventually(scrape, 30*time.Second, 50*time.Millisecond).Should(
		ContainSubstring(`gitfleet_last_successful_render_info{commit="` + second.String() + `"} 1`))
	g.Expect(scrape()).To(ContainSubstring(`gitfleet_render_total{result="success"} 2` + "\n"))
}
