package controller

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"strings"
)

// SignatureHeader carries a GitHub-style webhook signature: "sha256=" and the hex
// HMAC-SHA256 of the body keyed by the shared secret.
const SignatureHeader = "X-Hub-Signature-256"

// maxWebhookBody bounds what a webhook request may send; GitHub caps payloads at 25 MB.
const maxWebhookBody = 25 << 20

// pushWebhook triggers a cycle for each request signed with secret; it rejects unsigned or
// badly signed requests with 401 and triggers nothing for them. Any validly signed event
// triggers: the cycle reads the source ref itself, so the payload needs no parsing.
func pushWebhook(secret []byte, trigger *Trigger, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
		if err != nil {
			http.Error(w, "cannot read body", http.StatusRequestEntityTooLarge)
			return
		}
		if !validSignature(secret, body, r.Header.Get(SignatureHeader)) {
			log.Warn("webhook rejected: bad or missing signature", "remote", r.RemoteAddr,
				"event", r.Header.Get("X-GitHub-Event"))
			http.Error(w, "bad or missing "+SignatureHeader, http.StatusUnauthorized)
			return
		}
		log.Info("webhook accepted: cycle triggered", "event", r.Header.Get("X-GitHub-Event"),
			"delivery", r.Header.Get("X-GitHub-Delivery"))
		trigger.Fire()
		w.WriteHeader(http.StatusAccepted)
	})
}

// validSignature reports whether header is "sha256=<hex HMAC-SHA256 of body keyed by
// secret>", compared in constant time.
func validSignature(secret, body []byte, header string) bool {
	hexSum, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// Sign returns the X-Hub-Signature-256 value of body keyed by secret, as a forge sends it.
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}
