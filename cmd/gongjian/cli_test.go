package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/campaign"
	"gongjian/internal/demo"
	"gongjian/internal/org"
	"gongjian/internal/store"
)

// noEnv keeps the developer's own GONGJIAN_* variables out of the tests.
func noEnv(string) string { return "" }

type result struct {
	code           int
	stdout, stderr string
}

// cli runs the binary's entry point as a user would, with stdin as given.
func cli(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, noEnv)
	return result{code, out.String(), errOut.String()}
}

func tempDB(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "gongjian.db")
}

// withDB opens the SQLite file at path (migrating it), runs fn and closes it
// again, so that the command under test has the file to itself.
func withDB(t *testing.T, path string, fn func(db *store.DB)) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	fn(db)
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		r := cli(t, "", arg)
		if r.code != 0 || r.stdout != "gongjian "+version+"\n" {
			t.Errorf("%s: exit %d, stdout %q; want 0 and %q", arg, r.code, r.stdout, "gongjian "+version+"\n")
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no command", nil, "用法"},
		{"unknown command", []string{"frobnicate"}, `未知命令 "frobnicate"`},
		{"user without add", []string{"user", "remove"}, "gongjian user add"},
		{"audit without verify", []string{"audit"}, "gongjian audit verify"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cli(t, "", tt.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2 (usage)", r.code)
			}
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr %q does not contain %q", r.stderr, tt.stderr)
			}
		})
	}
	// Asking for help is not an error.
	if r := cli(t, "", "help"); r.code != 0 || !strings.Contains(r.stdout, "gongjian serve") {
		t.Errorf("help: exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestMigrateCommand(t *testing.T) {
	path := tempDB(t)
	dry := func() result {
		t.Helper()
		r := cli(t, "", "migrate", "--dry-run", "--db", path)
		if r.code != 0 {
			t.Fatalf("migrate --dry-run: exit %d, stderr %q", r.code, r.stderr)
		}
		return r
	}

	r := dry()
	if !strings.Contains(r.stdout, "待执行 0001_core") {
		t.Fatalf("dry run on a fresh database printed %q, want 0001_core listed", r.stdout)
	}
	// A dry run changes nothing: the same steps are still pending.
	if again := dry(); again.stdout != r.stdout {
		t.Fatalf("second dry run printed %q, first %q", again.stdout, r.stdout)
	}

	var last int
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := db.Migrations()
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	last = ms[len(ms)-1].Version
	for _, m := range ms {
		if line := fmt.Sprintf("待执行 %04d_%s", m.Version, m.Name); !strings.Contains(r.stdout, line) {
			t.Errorf("dry run does not list %q", line)
		}
	}

	m := cli(t, "", "migrate", "--db", path)
	if m.code != 0 {
		t.Fatalf("migrate: exit %d, stderr %q", m.code, m.stderr)
	}
	if want := fmt.Sprintf("数据库结构版本：%d（sqlite）", last); !strings.Contains(m.stdout, want) {
		t.Errorf("migrate printed %q, want %q", m.stdout, want)
	}

	r = dry()
	if !strings.Contains(r.stdout, "无待执行迁移") || strings.Contains(r.stdout, "待执行 0") {
		t.Errorf("dry run after migrate printed %q, want nothing pending", r.stdout)
	}
	// Migrating an up-to-date database is harmless.
	if m := cli(t, "", "migrate", "--db", path); m.code != 0 {
		t.Errorf("second migrate: exit %d, stderr %q", m.code, m.stderr)
	}
}

func TestMigrateBadFlag(t *testing.T) {
	r := cli(t, "", "migrate", "--db", tempDB(t), "--log-format", "xml")
	if r.code == 0 || !strings.Contains(r.stderr, "--log-format") {
		t.Errorf("exit %d, stderr %q; want a failure naming --log-format", r.code, r.stderr)
	}
}

var generatedRE = regexp.MustCompile(`初始密码[^：]*：(\S+)`)

func TestUserAdd(t *testing.T) {
	path := tempDB(t)
	ctx := context.Background()
	withDB(t, path, func(db *store.DB) {
		if _, err := org.New(db).CreateUnit(ctx, org.UnitInput{Code: "fgj", Name: "区发展和改革局", Kind: "bureau"}); err != nil {
			t.Fatal(err)
		}
	})
	add := func(stdin string, extra ...string) result {
		t.Helper()
		return cli(t, stdin, append([]string{"user", "add", "--db", path}, extra...)...)
	}
	// canSignIn reports whether username can sign in with pw.
	canSignIn := func(username, pw string) bool {
		t.Helper()
		var ok bool
		withDB(t, path, func(db *store.DB) {
			_, err := auth.New(db, time.Hour, 2*time.Hour).Login(ctx, username, pw, "127.0.0.1", "cli_test")
			ok = err == nil
		})
		return ok
	}
	exists := func(username string) bool {
		t.Helper()
		var n int
		withDB(t, path, func(db *store.DB) {
			if err := db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE username = ?`, username).Scan(&n); err != nil {
				t.Fatal(err)
			}
		})
		return n == 1
	}

	t.Run("generated password printed once", func(t *testing.T) {
		r := add("", "--username", "u1", "--role", "viewer", "--unit", "fgj")
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		m := generatedRE.FindStringSubmatch(r.stdout)
		if m == nil {
			t.Fatalf("stdout %q does not show the generated password", r.stdout)
		}
		pw := m[1]
		if n := strings.Count(r.stdout+r.stderr, pw); n != 1 {
			t.Errorf("the password appears %d times in the output, want exactly once", n)
		}
		if err := auth.CheckStrength(pw); err != nil {
			t.Errorf("generated password %q is weak: %v", pw, err)
		}
		if !strings.Contains(r.stdout, "u1") || !strings.Contains(r.stdout, "区发展和改革局") {
			t.Errorf("stdout %q should name the user and the unit", r.stdout)
		}
		if !canSignIn("u1", pw) {
			t.Error("cannot sign in with the printed password")
		}
	})

	t.Run("password from stdin", func(t *testing.T) {
		const pw = "Zhifu@Reform2022"
		r := add(pw+"\n", "--username", "u2", "--role", "reporter", "--unit", "fgj", "--name", "填报员")
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		if strings.Contains(r.stdout, "初始密码") || strings.Contains(r.stdout+r.stderr, pw) {
			t.Errorf("a password given on stdin must not be printed: %q", r.stdout)
		}
		if !canSignIn("u2", pw) {
			t.Error("cannot sign in with the password given on stdin")
		}
	})

	tests := []struct {
		name, stdin string
		args        []string
		stderr      string // part of the error message
		user        string // must not have been created
	}{
		{"weak password", "weak\n", []string{"--username", "u3", "--role", "viewer", "--unit", "fgj"}, "密码", "u3"},
		{"bad role", "", []string{"--username", "u4", "--role", "god", "--unit", "fgj"}, `"god"`, "u4"},
		{"unknown unit", "", []string{"--username", "u5", "--role", "viewer", "--unit", "nowhere"}, "nowhere", "u5"},
		{"missing unit", "", []string{"--username", "u6", "--role", "viewer"}, "--unit", "u6"},
		{"taken username", "", []string{"--username", "u1", "--role", "admin", "--unit", "fgj"}, "u1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := add(tt.stdin, tt.args...)
			if r.code == 0 {
				t.Fatalf("exit 0, stdout %q; want a failure", r.stdout)
			}
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr %q does not contain %q", r.stderr, tt.stderr)
			}
			if strings.Contains(r.stdout, "初始密码") {
				t.Errorf("a failed add printed a password: %q", r.stdout)
			}
			if tt.user != "" && exists(tt.user) {
				t.Errorf("user %s was created anyway", tt.user)
			}
		})
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	path := tempDB(t)
	ctx := context.Background()
	withDB(t, path, func(db *store.DB) {
		s := demo.Services{DB: db, Org: org.New(db), Auth: auth.New(db, time.Hour, 2*time.Hour), Campaign: campaign.New(db)}
		if _, err := demo.Load(ctx, s, demo.Data()); err != nil {
			t.Fatalf("load demo: %v", err)
		}
	})

	r := cli(t, "", "audit", "verify", "--db", path)
	if r.code != 0 || !strings.Contains(r.stdout, "留痕校验通过") {
		t.Fatalf("verify on the demo database: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	var victim int64
	withDB(t, path, func(db *store.DB) {
		err := db.Tx(ctx, func(q store.Querier) error {
			if err := q.QueryRow(ctx, `SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 10`).Scan(&victim); err != nil {
				return err
			}
			_, err := q.Exec(ctx, `UPDATE audit_log SET after_json = ? WHERE id = ?`, `{"name":"篡改"}`, victim)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	r = cli(t, "", "audit", "verify", "--db", path)
	if r.code != 1 {
		t.Errorf("verify after tampering: exit %d, want 1", r.code)
	}
	if want := fmt.Sprintf("第 %d 条留痕记录", victim); !strings.Contains(r.stdout, want) {
		t.Errorf("stdout %q does not name the tampered record (%q)", r.stdout, want)
	}
	if !strings.Contains(r.stderr, "留痕校验失败") {
		t.Errorf("stderr %q should say the check failed", r.stderr)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's logger and the test to
// use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var urlRE = regexp.MustCompile(`msg=serving url=(http://\S+)`)

func TestServeStartsAndShutsDown(t *testing.T) {
	path := tempDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", path, "--addr", "127.0.0.1:0"}, strings.NewReader(""), &stdout, &stderr, noEnv)
	}()

	var url string
	deadline := time.After(30 * time.Second)
	for url == "" {
		if m := urlRE.FindStringSubmatch(stderr.String()); m != nil {
			url = m[1]
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited early with %d; stderr %q", code, stderr.String())
		case <-deadline:
			t.Fatalf("serve did not log its url; stderr %q", stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}

	client := &http.Client{Timeout: 10 * time.Second}
	for _, p := range []string{"/readyz", "/healthz"} {
		res, err := client.Get(url + p)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", p, res.StatusCode)
		}
	}
	client.CloseIdleConnections()

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited with %d after shutdown, want 0; stderr %q", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("serve did not return after its context ended; stderr %q", stderr.String())
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("stderr %q does not log the shutdown", stderr.String())
	}
	// The port is released.
	if _, err := client.Get(url + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}
