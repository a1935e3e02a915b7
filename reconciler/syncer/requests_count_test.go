package syncer

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRequestVerb(t *testing.T) {
	tests := []struct{ method, url, want string }{
		{"GET", "/api", "discovery"},
		{"GET", "/apis", "discovery"},
		{"GET", "/apis/apps/v1", "discovery"},
		{"GET", "/api/v1/namespaces", "list"},
		{"GET", "/api/v1/namespaces/ns1", "get"},
		{"GET", "/api/v1/namespaces/ns1/configmaps", "list"},
		{"GET", "/api/v1/namespaces/ns1/configmaps/c", "get"},
		{"GET", "/apis/apps/v1/deployments?labelSelector=a%3Db", "list"},
		{"GET", "/apis/apps/v1/namespaces/ns1/deployments?watch=true", "watch"},
		{"PATCH", "/apis/apps/v1/namespaces/ns1/deployments/d?fieldManager=gitfleet", "patch"},
		{"PATCH", "/apis/apps/v1/namespaces/ns1/deployments/d?dryRun=All&fieldManager=gitfleet", "patch-dry-run"},
		{"PATCH", "/api/v1/namespaces/ns1", "patch"},
		{"POST", "/api/v1/namespaces/ns1/configmaps", "create"},
		{"PUT", "/api/v1/namespaces/ns1/configmaps/c", "update"},
		{"DELETE", "/api/v1/namespaces/ns1/configmaps/c", "delete"},
		{"DELETE", "/api/v1/namespaces/ns1/configmaps", "deletecollection"},
		{"GET", "/version", "discovery"},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(tt.method, tt.url, nil)
		if got := requestVerb(req); got != tt.want {
			t.Errorf("%s %s: verb %q, want %q", tt.method, tt.url, got, tt.want)
		}
	}
}

func TestRequestCounterSince(t *testing.T) {
	c := newRequestCounter()
	rt := c.wrap(roundTripFunc(func(*http.Request) (*http.Response, error) { return &http.Response{StatusCode: 200}, nil }))
	send := func(method, url string) {
		if _, err := rt.RoundTrip(httptest.NewRequest(method, url, nil)); err != nil {
			t.Fatal(err)
		}
	}
	send("GET", "/api/v1/namespaces")
	before := c.snapshot()
	send("GET", "/api/v1/namespaces/a/configmaps")
	send("PATCH", "/api/v1/namespaces/a/configmaps/b")
	got := c.since(before)
	if len(got) != 2 || got["list"] != 1 || got["patch"] != 1 {
		t.Errorf("since = %v, want one list and one patch", got)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// httpRequest builds a request for requestVerb from a method and URL.
func httpRequest(method, url string) (*http.Request, error) {
	return http.NewRequest(method, url, nil)
}
