package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gongjian/internal/api"
	"gongjian/internal/auth"
	"gongjian/internal/briefing"
	"gongjian/internal/campaign"
	"gongjian/internal/casework"
	"gongjian/internal/demo"
	"gongjian/internal/enterprise"
	"gongjian/internal/indicator"
	"gongjian/internal/ledger"
	"gongjian/internal/notify"
	"gongjian/internal/org"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// env is a running API over a database holding the demo district.
type env struct {
	t   *testing.T
	db  *store.DB
	srv *api.Server
}

// demoPassword is the demo accounts' password, as printed by `gongjian demo`.
const demoPassword = "Gongjian@2022"

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	srv, _ := demoServer(t, db)
	return &env{t: t, db: db, srv: srv}
}

// demoServer loads the demo district into db and returns the API over it,
// with the auth service for tests that sign in without HTTP; opts adjust
// the dependencies (a clock, the cache) before the server is built.
func demoServer(tb testing.TB, db *store.DB, opts ...func(*api.Deps)) (*api.Server, *auth.Service) {
	tb.Helper()
	o, a, c := org.New(db), auth.New(db, time.Hour, 2*time.Hour), campaign.New(db)
	if _, err := demo.Load(context.Background(), demo.Services{DB: db, Org: o, Auth: a, Campaign: c}, demo.Data()); err != nil {
		tb.Fatalf("load demo: %v", err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d := api.Deps{DB: db, Log: log, Auth: a, Org: o, Campaign: c, Progress: progress.New(db),
		Notify: notify.New(db, nil, nil), Cases: casework.New(db), Indicators: indicator.New(db), Ledgers: ledger.New(db),
		Enterprises: enterprise.New(db), Briefings: briefing.New(db), Version: "test"}
	for _, o := range opts {
		o(&d)
	}
	return api.New(d), a
}

// eachEngine runs fn on every engine with the demo district loaded.
func eachEngine(t *testing.T, fn func(t *testing.T, e *env)) {
	testdb.Each(t, func(t *testing.T, db *store.DB) { fn(t, newEnv(t, db)) })
}

// client is a signed-in (or anonymous) caller.
type client struct {
	e      *env
	cookie *http.Cookie
}

func (e *env) anon() *client { return &client{e: e} }

// login signs in as a demo account and fails the test if that does not work.
func (e *env) login(username string) *client {
	e.t.Helper()
	c := &client{e: e}
	r := c.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": demoPassword})
	r.status(http.StatusOK)
	for _, ck := range r.res.Cookies() {
		if ck.Name == auth.CookieName {
			c.cookie = ck
		}
	}
	if c.cookie == nil || !c.cookie.HttpOnly {
		e.t.Fatalf("login %s: no HttpOnly session cookie", username)
	}
	return c
}

type response struct {
	t    *testing.T
	res  *http.Response
	body []byte
	req  string
}

// do sends a request with an optional JSON body and headers as key, value pairs.
func (c *client) do(method, path string, body any, headers ...string) *response {
	c.e.t.Helper()
	var rd io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			rd = strings.NewReader(s)
		} else {
			b, err := json.Marshal(body)
			if err != nil {
				c.e.t.Fatal(err)
			}
			rd = bytes.NewReader(b)
		}
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	w := httptest.NewRecorder()
	c.e.srv.ServeHTTP(w, req)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	return &response{t: c.e.t, res: res, body: b, req: method + " " + path}
}

func (r *response) status(want int) *response {
	r.t.Helper()
	if r.res.StatusCode != want {
		r.t.Fatalf("%s: status %d, want %d; body: %s", r.req, r.res.StatusCode, want, r.body)
	}
	return r
}

// json decodes the body into v.
func (r *response) json(v any) *response {
	r.t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		r.t.Fatalf("%s: decode %T: %v; body: %s", r.req, v, err, r.body)
	}
	return r
}

// obj decodes the body as a JSON object.
func (r *response) obj() map[string]any {
	r.t.Helper()
	var m map[string]any
	r.json(&m)
	return m
}

// problem decodes a problem+json body and checks its content type.
func (r *response) problem() problemBody {
	r.t.Helper()
	if ct := r.res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		r.t.Fatalf("%s: content type %q, want application/problem+json; body %s", r.req, ct, r.body)
	}
	var p problemBody
	r.json(&p)
	return p
}

type problemBody struct {
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Key    string `json:"key"`
	Errors []struct {
		Field   string `json:"field"`
		Key     string `json:"key"`
		Message string `json:"message"`
	} `json:"errors"`
	RequestID string `json:"request_id"`
}

// fields lists the names of the fields a problem complains about.
func (p problemBody) fields() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}
