// Package githubtest is a local stand-in for the part of GitHub's REST API a pull-request
// review uses, as GitHub documents it: GET /repos/{owner}/{repo}/pulls/{number}, GET and
// POST /repos/{owner}/{repo}/issues/{number}/comments (paginated with Link headers), PATCH
// /repos/{owner}/{repo}/issues/comments/{id} and POST /repos/{owner}/{repo}/statuses/{sha}.
// Faults (rate limits, server errors, …) can be queued per route.
package githubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Server is a fake GitHub API. Its zero value is not usable: call NewServer.
type Server struct {
	// URL is the API's base URL, ending in "/", for GitHubOptions.APIURL.
	URL string
	// Token is the only token the server accepts (401 otherwise).
	Token string

	mu       sync.Mutex
	pulls    map[string]PullRequest // "owner/repo#n"
	comments map[string][]*Comment  // "owner/repo#n"
	nextID   int64
	statuses []Status
	faults   map[string][]Fault // "METHOD route"
	requests []string
}

// PullRequest is a pull request the server knows.
type PullRequest struct {
	BaseSHA, HeadSHA string
}

// Comment is an issue comment.
type Comment struct {
	ID   int64
	Body string
	// Repo and Number are where it was posted ("owner/repo#n").
	Issue string
}

// Status is a commit status that was set.
type Status struct {
	Repo, SHA                              string
	State, Context, Description, TargetURL string
}

// Fault is a canned error response.
type Fault struct {
	// Status is the HTTP status.
	Status int
	// Header is added to the response.
	Header map[string]string
	// Body is the JSON body; empty is {"message": <status text>}.
	Body string
}

// Routes that faults are queued on.
const (
	RoutePull          = "GET pull"
	RouteListComments  = "GET comments"
	RouteCreateComment = "POST comments"
	RouteEditComment   = "PATCH comment"
	RouteStatus        = "POST status"
)

// NewServer starts a fake GitHub that accepts token, closed when t ends.
func NewServer(t testing.TB, token string) *Server {
	s := &Server{
		Token: token, pulls: map[string]PullRequest{}, comments: map[string][]*Comment{},
		nextID: 1000, faults: map[string][]Fault{},
	}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL + "/"
	return s
}

// AddPullRequest makes a pull request known: owner/repo#number with the two commits.
func (s *Server) AddPullRequest(repo string, number int, pr PullRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pulls[fmt.Sprintf("%s#%d", repo, number)] = pr
}

// AddComment posts a comment on owner/repo#number as someone else would, and returns its id.
func (s *Server) AddComment(repo string, number int, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addComment(fmt.Sprintf("%s#%d", repo, number), body).ID
}

func (s *Server) addComment(issue, body string) *Comment {
	s.nextID++
	c := &Comment{ID: s.nextID, Body: body, Issue: issue}
	s.comments[issue] = append(s.comments[issue], c)
	return c
}

// Comments returns the comments on owner/repo#number, oldest first.
func (s *Server) Comments(repo string, number int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.comments[fmt.Sprintf("%s#%d", repo, number)] {
		out = append(out, *c)
	}
	return out
}

// Statuses returns the statuses set, in order.
func (s *Server) Statuses() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.statuses)
}

// Requests returns "METHOD /path?query" of every request served, in order.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Fail queues faults on a route (RoutePull, …): its next requests get them, in order.
func (s *Server) Fail(route string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[route] = append(s.faults[route], faults...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Method+" "+r.URL.RequestURI())
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeError(w, http.StatusUnauthorized, "Bad credentials")
		return
	}
	// /repos/{owner}/{repo}/...
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if len(parts) < 5 || parts[0] != "repos" {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	repo, rest := parts[1]+"/"+parts[2], parts[3:]
	var route string
	switch {
	case r.Method == http.MethodGet && len(rest) == 2 && rest[0] == "pulls":
		route = RoutePull
	case len(rest) == 3 && rest[0] == "issues" && rest[2] == "comments" && r.Method == http.MethodGet:
		route = RouteListComments
	case len(rest) == 3 && rest[0] == "issues" && rest[2] == "comments" && r.Method == http.MethodPost:
		route = RouteCreateComment
	case len(rest) == 3 && rest[0] == "issues" && rest[1] == "comments" && r.Method == http.MethodPatch:
		route = RouteEditComment
	case len(rest) == 2 && rest[0] == "statuses" && r.Method == http.MethodPost:
		route = RouteStatus
	default:
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	if q := s.faults[route]; len(q) > 0 {
		s.faults[route] = q[1:]
		f := q[0]
		for k, v := range f.Header {
			w.Header().Set(k, v)
		}
		body := f.Body
		if body == "" {
			body = fmt.Sprintf(`{"message": %q}`, http.StatusText(f.Status))
		}
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(body))
		return
	}
	switch route {
	case RoutePull:
		s.getPull(w, repo, rest[1])
	case RouteListComments:
		s.listComments(w, r, repo, rest[1])
	case RouteCreateComment:
		s.createComment(w, r, repo, rest[1])
	case RouteEditComment:
		s.editComment(w, r, repo, rest[2])
	case RouteStatus:
		s.createStatus(w, r, repo, rest[1])
	}
}

func (s *Server) getPull(w http.ResponseWriter, repo, number string) {
	pr, ok := s.pulls[repo+"#"+number]
	if !ok {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	n, _ := strconv.Atoi(number)
	writeJSON(w, http.StatusOK, map[string]any{
		"number": n, "state": "open",
		"base": map[string]any{"sha": pr.BaseSHA, "ref": "main"},
		"head": map[string]any{"sha": pr.HeadSHA, "ref": "change"},
	})
}

// listComments pages as GitHub does: per_page (default 30, at most 100), page from 1, and a
// Link header with rel="next" while there are more.
func (s *Server) listComments(w http.ResponseWriter, r *http.Request, repo, number string) {
	if _, ok := s.pulls[repo+"#"+number]; !ok {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	perPage, page := 30, 1
	if v, err := strconv.Atoi(r.URL.Query().Get("per_page")); err == nil && v > 0 {
		perPage = min(v, 100)
	}
	if v, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && v > 0 {
		page = v
	}
	all := s.comments[repo+"#"+number]
	start, end := min((page-1)*perPage, len(all)), min(page*perPage, len(all))
	if end < len(all) {
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?per_page=%d&page=%d>; rel="next"`, r.Host, r.URL.Path, perPage, page+1))
	}
	out := []map[string]any{}
	for _, c := range all[start:end] {
		out = append(out, commentJSON(repo, number, c))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) createComment(w http.ResponseWriter, r *http.Request, repo, number string) {
	if _, ok := s.pulls[repo+"#"+number]; !ok {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	var in struct {
		Body *string `json:"body"`
	}
	if !readBody(w, r, &in) {
		return
	}
	if in.Body == nil || len([]rune(*in.Body)) > 65536 {
		writeValidation(w, "IssueComment", "body", "invalid", "body is too long (maximum is 65536 characters)")
		return
	}
	c := s.addComment(repo+"#"+number, *in.Body)
	writeJSON(w, http.StatusCreated, commentJSON(repo, number, c))
}

func (s *Server) editComment(w http.ResponseWriter, r *http.Request, repo, id string) {
	var in struct {
		Body *string `json:"body"`
	}
	if !readBody(w, r, &in) {
		return
	}
	for issue, cs := range s.comments {
		if !strings.HasPrefix(issue, repo+"#") {
			continue
		}
		for _, c := range cs {
			if strconv.FormatInt(c.ID, 10) != id {
				continue
			}
			if in.Body == nil || len([]rune(*in.Body)) > 65536 {
				writeValidation(w, "IssueComment", "body", "invalid", "body is too long (maximum is 65536 characters)")
				return
			}
			c.Body = *in.Body
			writeJSON(w, http.StatusOK, commentJSON(repo, strings.TrimPrefix(issue, repo+"#"), c))
			return
		}
	}
	writeError(w, http.StatusNotFound, "Not Found")
}

func (s *Server) createStatus(w http.ResponseWriter, r *http.Request, repo, sha string) {
	var in struct {
		State       string `json:"state"`
		Context     string `json:"context"`
		Description string `json:"description"`
		TargetURL   string `json:"target_url"`
	}
	if !readBody(w, r, &in) {
		return
	}
	if !slices.Contains([]string{"error", "failure", "pending", "success"}, in.State) {
		writeValidation(w, "Status", "state", "custom", "state is not included in the list")
		return
	}
	if len([]rune(in.Description)) > 140 {
		writeValidation(w, "Status", "description", "custom", "description is too long (maximum is 140 characters)")
		return
	}
	s.statuses = append(s.statuses, Status{Repo: repo, SHA: sha, State: in.State, Context: in.Context, Description: in.Description, TargetURL: in.TargetURL})
	writeJSON(w, http.StatusCreated, in)
}

func commentJSON(repo, number string, c *Comment) map[string]any {
	return map[string]any{
		"id": c.ID, "body": c.Body,
		"html_url": fmt.Sprintf("https://github.example/%s/pull/%s#issuecomment-%d", repo, number, c.ID),
	}
}

func readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"})
}

func writeValidation(w http.ResponseWriter, resource, field, code, msg string) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
		"message": "Validation Failed",
		"errors":  []map[string]string{{"resource": resource, "field": field, "code": code, "message": msg}},
	})
}
