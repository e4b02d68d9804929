package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongjian/internal/config"
	"gongjian/internal/store"
)

// serveInBackground runs `gongjian serve args…` until the test ends and
// returns the URLs it logged: the main one and, when asked for, the metrics one.
func serveInBackground(t *testing.T, getenv func(string) string, args ...string) (main, metrics string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), strings.NewReader(""), &stdout, &stderr, getenv)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	})
	metricsRE := regexp.MustCompile(`msg="serving metrics" url=(http://\S+)`)
	deadline := time.After(30 * time.Second)
	for {
		if m := urlRE.FindStringSubmatch(stderr.String()); m != nil {
			main = m[1]
			if mm := metricsRE.FindStringSubmatch(stderr.String()); mm != nil {
				metrics = mm[1]
			}
			return main, metrics
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited early with %d; stderr %q", code, stderr.String())
		case <-deadline:
			t.Fatalf("serve did not log its url; stderr %q", stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// A scraper with the token reads request counts by route pattern (not raw
// path), latency histograms and the database pools; without it, 401.
func TestMetricsScrapedWithToken(t *testing.T) {
	base, _ := serveInBackground(t, noEnv, "--db", tempDB(t), "--addr", "127.0.0.1:0", "--metrics-token", "s3cret", "--job-interval", "0")
	for range 3 {
		if code, _ := get(t, base+"/healthz", ""); code != 200 {
			t.Fatalf("healthz = %d", code)
		}
	}
	// Two different ids count under one route.
	get(t, base+"/api/v1/items/1", "")
	get(t, base+"/api/v1/items/2", "")

	if code, _ := get(t, base+"/metrics", ""); code != http.StatusUnauthorized {
		t.Errorf("/metrics without token = %d, want 401", code)
	}
	if code, _ := get(t, base+"/metrics", "wrong"); code != http.StatusUnauthorized {
		t.Errorf("/metrics with a wrong token = %d, want 401", code)
	}
	code, body := get(t, base+"/metrics", "s3cret")
	if code != 200 {
		t.Fatalf("/metrics = %d: %s", code, body)
	}
	for _, want := range []string{
		`gongjian_http_requests_total{method="GET",route="GET /healthz",status="200"} 3`,
		`gongjian_http_request_duration_seconds_count{route="GET /healthz"} 3`,
		`gongjian_http_request_duration_seconds_bucket{route="GET /healthz",le="+Inf"} 3`,
		`gongjian_db_max_open_connections{pool="write"} 1`,
		`# TYPE gongjian_http_request_duration_seconds histogram`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "/api/v1/items/1") {
		t.Errorf("metrics carry a raw path with an id:\n%s", body)
	}
	if !regexp.MustCompile(`gongjian_http_requests_total\{method="GET",route="GET /api/v1/items/\{id\}",status="401"\} 2`).MatchString(body) {
		t.Errorf("two unauthenticated item reads should count under the route pattern:\n%s", body)
	}
}

// On a listener of its own, /metrics needs no token, and the main address
// does not serve it.
func TestMetricsOnSeparateAddress(t *testing.T) {
	base, murl := serveInBackground(t, noEnv, "--db", tempDB(t), "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--job-interval", "0")
	if murl == "" {
		t.Fatal("no metrics listener was logged")
	}
	if code, body := get(t, murl, ""); code != 200 || !strings.Contains(body, "gongjian_uptime_seconds") {
		t.Errorf("metrics listener = %d: %s", code, body)
	}
	// (The web UI answers unknown paths with its page, so look at the body.)
	if _, body := get(t, base+"/metrics", ""); strings.Contains(body, "gongjian_uptime_seconds") {
		t.Error("the main address serves /metrics without a token being configured")
	}
}

// A config file sets what flags and environment do not, below both; `config`
// shows each value's source and masks secrets.
func TestConfigFileAndConfigCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "gongjian.conf")
	if err := os.WriteFile(file, []byte("# 攻坚\naddr = 127.0.0.1:9001\nlog-format = json\nmetrics-token = topsecret\njob-interval = 5m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		return map[string]string{"GONGJIAN_CONFIG": file, "GONGJIAN_LOG_FORMAT": "text",
			"GONGJIAN_DB": "postgres://gj:pa55word@db.example:5432/gongjian"}[k]
	}
	var out, errb syncBuffer
	code := run(context.Background(), []string{"config", "--job-interval", "2m"}, strings.NewReader(""), &out, &errb, env)
	if code != 0 {
		t.Fatalf("config exited %d: %s", code, errb.String())
	}
	got := out.String()
	lines := map[string]string{}
	for _, l := range strings.Split(got, "\n") {
		if name, rest, ok := strings.Cut(l, "="); ok && !strings.HasPrefix(l, "#") {
			lines[strings.TrimSpace(name)] = strings.TrimSpace(rest)
		}
	}
	for name, want := range map[string]string{
		"addr":          "127.0.0.1:9001",                                // file
		"log-format":    "text",                                          // env beats file
		"job-interval":  "2m0s",                                          // flag beats file
		"metrics-token": "******",                                        // secret
		"db":            "postgres://gj:xxxxxx@db.example:5432/gongjian", // password masked
		"log-level":     "info",                                          // default
	} {
		if !strings.HasPrefix(lines[name], want+" ") {
			t.Errorf("%s = %q, want value %q", name, lines[name], want)
		}
	}
	for name, src := range map[string]string{"addr": "# file", "log-format": "# env", "job-interval": "# flag", "log-level": "# default"} {
		if !strings.Contains(lines[name], src) {
			t.Errorf("%s line %q should say %q", name, lines[name], src)
		}
	}
	if strings.Contains(got, "topsecret") || strings.Contains(got, "pa55word") {
		t.Errorf("config printed a secret:\n%s", got)
	}

	// A misspelt name is refused with its line number.
	if err := os.WriteFile(file, []byte("addr = 127.0.0.1:9001\nlisten = :80\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := cli(t, "", "config", "--config", file)
	if r.code == 0 || !strings.Contains(r.stderr, "第 2 行") || !strings.Contains(r.stderr, `"listen"`) {
		t.Errorf("bad config file: code %d, stderr %q", r.code, r.stderr)
	}
}

// Before a SQLite database with data is upgraded, a snapshot is written next
// to it; a fresh or up-to-date database gets none.
func TestBackupBeforeMigrating(t *testing.T) {
	path := tempDB(t)
	cfg := config.Default()
	cfg.DB = path
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	db, err := openDB(ctx, cfg, log) // fresh: migrates, nothing to back up
	if err != nil {
		t.Fatal(err)
	}
	snapshots := func() []string {
		m, _ := filepath.Glob(path + ".before-*.db")
		return m
	}
	if s := snapshots(); len(s) != 0 {
		t.Fatalf("a fresh database was backed up: %v", s)
	}
	// Pretend the last step is not applied yet, as after installing a newer binary.
	ms, _ := db.Migrations()
	last := ms[len(ms)-1]
	if err := db.Tx(ctx, func(q store.Querier) error {
		_, err := q.Exec(ctx, `DELETE FROM schema_migrations WHERE version = ?`, last.Version)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := backupBeforeMigrating(ctx, db, cfg, log); err != nil {
		t.Fatalf("backup before migrating: %v", err)
	}
	db.Close()
	s := snapshots()
	if len(s) != 1 || !strings.Contains(s[0], fmt.Sprintf(".before-%04d-", last.Version)) {
		t.Fatalf("snapshots = %v, want one named for step %04d", s, last.Version)
	}
	if err := store.CheckSQLiteFile(ctx, s[0]); err != nil {
		t.Errorf("snapshot is not a sound SQLite database: %v", err)
	}
}
