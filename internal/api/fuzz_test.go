package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gongjian/internal/api"
	"gongjian/internal/auth"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// fuzzServer is a demo server on SQLite with a supervisor's session, shared
// by the fuzz inputs of one run.
func fuzzServer(f *testing.F) (*api.Server, *http.Cookie) {
	srv, a := demoServer(f, testdb.Open(f, store.SQLite))
	s, err := a.Login(context.Background(), "duchashi", demoPassword, "127.0.0.1", "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	return srv, &http.Cookie{Name: auth.CookieName, Value: s.Token}
}

func serve(srv *api.Server, ck *http.Cookie, method, target, body string) *http.Response {
	req := httptest.NewRequest(method, "/", strings.NewReader(body))
	req.URL.RawQuery = ""
	if u, err := req.URL.Parse(target); err == nil {
		req.URL = u
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("If-Match", `"1"`)
	req.AddCookie(ck)
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	return w.Result()
}

// No JSON body, however malformed, gets a 5xx from the main write endpoints.
func FuzzWriteBodies(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"campaign_id":1,"code":"F","name":"x","type":"key_project","leader_id":1,"lead_unit_id":1}`,
		`{"total_investment_wan":1e308}`, `{"total_investment_wan":-0}`, `{"start_date":"2022-02-30"}`,
		`{"co_unit_ids":[1,1,1,999999999999]}`, `{"name":"\u0000\ud800"}`, "\xff\xfe", `[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]`,
		`{"campaign_id":9223372036854775807}`, `{"values":[{"target_id":1,"value":"NaN"}]}`, `{"narrative":"<script>alert(1)</script>"}`,
		`{"milestones":[{"milestone_id":1,"actual_date":"0001-01-01"}]}`, `{"light":"red","reason":"x"}`,
	} {
		f.Add(s)
	}
	srv, ck := fuzzServer(f)
	targets := []struct{ method, path string }{
		{"POST", "/api/v1/items"}, {"PUT", "/api/v1/items/1"}, {"POST", "/api/v1/units"}, {"POST", "/api/v1/campaigns"},
		{"POST", "/api/v1/items/1/milestones"}, {"POST", "/api/v1/items/1/targets"}, {"PUT", "/api/v1/items/1/reports/2022-12"},
		{"PUT", "/api/v1/items/1/light-override"}, {"PUT", "/api/v1/campaigns/1/light-rules"}, {"POST", "/api/v1/auth/tokens"},
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, tg := range targets {
			if res := serve(srv, ck, tg.method, tg.path, body); res.StatusCode >= 500 {
				t.Errorf("%s %s with %q: %d", tg.method, tg.path, body, res.StatusCode)
			}
		}
	})
}

// No query string gets a 5xx from the list endpoints.
func FuzzListQueries(f *testing.F) {
	for _, s := range []string{
		"sort=-total_investment,name", "sort=password", "q=%25_%5C", "page=-1&page_size=100000", "zone_id=abc",
		"campaign_id=1&as_of=2022-02-30", "as_of=0001-01-01&campaign_id=1", "type=%00", "q=" + strings.Repeat("长", 200),
		"by=zone&campaign_id=1", "period=2022-W54&campaign_id=1",
	} {
		f.Add(s)
	}
	srv, ck := fuzzServer(f)
	paths := []string{"/api/v1/items", "/api/v1/units", "/api/v1/persons", "/api/v1/zones", "/api/v1/audit", "/api/v1/cockpit",
		"/api/v1/lights", "/api/v1/rollups", "/api/v1/reports", "/api/v1/tasks", "/api/v1/periods"}
	f.Fuzz(func(t *testing.T, query string) {
		for _, p := range paths {
			if res := serve(srv, ck, "GET", p+"?"+query, ""); res.StatusCode >= 500 {
				t.Errorf("GET %s?%s: %d", p, query, res.StatusCode)
			}
		}
	})
}
