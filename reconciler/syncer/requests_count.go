package syncer

import (
	"maps"
	"net/http"
	"strings"
	"sync"
)

// requestCounter counts the API requests made through a transport, by verb, so a sync can
// report what it cost (BENCHMARKS.md asks for request counts by verb).
type requestCounter struct {
	mu     sync.Mutex
	counts map[string]int
}

func newRequestCounter() *requestCounter { return &requestCounter{counts: map[string]int{}} }

// wrap returns rt counting every request; its signature fits rest.Config.Wrap.
func (c *requestCounter) wrap(rt http.RoundTripper) http.RoundTripper {
	return countingTransport{next: rt, counter: c}
}

// add counts one request of verb.
func (c *requestCounter) add(verb string) {
	c.mu.Lock()
	c.counts[verb]++
	c.mu.Unlock()
}

// snapshot returns a copy of the counts.
func (c *requestCounter) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.counts)
}

// since returns the counts added after before was taken.
func (c *requestCounter) since(before map[string]int) map[string]int {
	out := map[string]int{}
	for verb, n := range c.snapshot() {
		if d := n - before[verb]; d > 0 {
			out[verb] = d
		}
	}
	return out
}

// countingTransport counts each request, then sends it on.
type countingTransport struct {
	next    http.RoundTripper
	counter *requestCounter
}

// RoundTrip implements http.RoundTripper.
func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.counter.add(requestVerb(req))
	return t.next.RoundTrip(req)
}

// requestVerb names the Kubernetes verb of an API request, from its method and path:
// /api/v1/[namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE]] or the same under /apis/GROUP/VERSION.
func requestVerb(req *http.Request) string {
	verb := methodVerb(req.Method)
	segs, ok := resourceSegments(req.URL.Path)
	switch {
	case !ok:
		if req.Method == http.MethodGet {
			verb = "discovery"
		}
	case req.URL.Query().Get("watch") == "true":
		verb = "watch"
	case !hasName(segs):
		switch verb {
		case "get":
			verb = "list"
		case "delete":
			verb = "deletecollection"
		}
	}
	if req.URL.Query().Has("dryRun") {
		verb += "-dry-run"
	}
	return verb
}

// methodVerb maps an HTTP method to the verb of a request naming one object.
func methodVerb(method string) string {
	switch method {
	case http.MethodPost:
		return "create"
	case http.MethodPut:
		return "update"
	case http.MethodPatch:
		return "patch"
	case http.MethodDelete:
		return "delete"
	default:
		return strings.ToLower(method)
	}
}

// resourceSegments returns the path segments after the group version; ok is false for
// discovery and other non-resource paths.
func resourceSegments(path string) (segs []string, ok bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	var rest []string
	switch {
	case len(parts) >= 2 && parts[0] == "api":
		rest = parts[2:]
	case len(parts) >= 3 && parts[0] == "apis":
		rest = parts[3:]
	}
	return rest, len(rest) > 0
}

// hasName reports whether resource path segments name one object.
func hasName(segs []string) bool {
	if segs[0] == "namespaces" && len(segs) >= 3 {
		return len(segs) >= 4
	}
	return len(segs) >= 2
}
