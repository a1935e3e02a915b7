package controller

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ServerOptions configure the hub's HTTP endpoints.
type ServerOptions struct {
	// Metrics is served on /metrics and decides /readyz.
	Metrics *Metrics
	// Trigger is fired by valid push webhooks.
	Trigger *Trigger
	// WebhookSecret is the shared secret push webhooks are signed with. Empty leaves
	// /hooks/push unregistered: an endpoint that cannot tell forged requests from real
	// ones would let anyone make the hub cycle.
	WebhookSecret []byte
	// Reviews, when set, reviews the pull requests that pull_request webhooks on /hooks/push
	// announce (opened, synchronize, reopened); Run must be working it off. Without it those
	// events are acknowledged and ignored.
	Reviews *Reviews
	// Log receives structured logs; nil discards them.
	Log *slog.Logger
}

// NewHandler returns the hub's HTTP endpoints: /healthz (the process is alive), /readyz
// (the last cycle completed without a repository error), /metrics and, with a webhook
// secret, /hooks/push.
func NewHandler(opts ServerOptions) http.Handler {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !opts.Metrics.Ready() {
			http.Error(w, "no cycle has completed without a repository error", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	if opts.Metrics != nil {
		mux.Handle("GET /metrics", opts.Metrics.Handler())
	}
	if len(opts.WebhookSecret) > 0 {
		mux.Handle("/hooks/push", pushWebhook(opts.WebhookSecret, opts.Trigger, opts.Reviews, log))
	}
	return mux
}

// Serve listens on addr and serves h until ctx ends, then shuts down gracefully. It returns
// nil after a shutdown and the listener's error otherwise (a busy port, say).
func Serve(ctx context.Context, addr string, h http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
