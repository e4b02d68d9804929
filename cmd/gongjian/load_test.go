package main

import (
	"context"
	"strings"
	"testing"

	"gongjian/internal/gen"
	"gongjian/internal/loadtest"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// openMigrated opens dsn, migrated, until the test ends.
func openMigrated(t *testing.T, dsn string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// smallScale writes a small district of every kind of data issue 12 loads,
// with its two accounts; change adjusts the sizes.
func smallScale(t *testing.T, db *store.DB, change func(*gen.ScaleOptions)) gen.ScaleStats {
	t.Helper()
	opt := gen.DefaultScaleOptions("district")
	opt.Base = gen.DefaultOptions(60)
	opt.Base.Weeks = 3
	opt.Cases, opt.Ledgers, opt.LedgerRows, opt.Regions, opt.Months = 80, 1, 40, 4, 13
	if change != nil {
		change(&opt)
	}
	st, err := gen.GenerateScale(context.Background(), db, opt)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// `gongjian load` runs every scenario against a real server, reads and
// writes, with the raw SQL twin of each read, and none fails: the reports are
// saved and submitted, the cases go round their cycle, briefings generate.
func TestLoadRunsEveryScenario(t *testing.T) {
	for _, e := range testdb.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			dsn := testdb.DSN(t, e)
			db := openMigrated(t, dsn)
			st := smallScale(t, db, nil)
			base, _ := serveInBackground(t, noEnv, "--db", dsn, "--addr", "127.0.0.1:0", "--job-interval", "0")
			r := cli(t, "", "load", "--url", base, "--user", st.Districts[0].Supervisor, "--clients", "3", "--requests", "12",
				"--duration", "2m", "--db", dsn, "--raw")
			if r.code != 0 {
				t.Fatalf("load: %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			for _, name := range loadtest.Names() {
				if !strings.Contains(r.stdout, "| "+name+" |") {
					t.Errorf("no row for %s in\n%s", name, r.stdout)
				}
			}
			if !strings.Contains(r.stdout, "| cockpit | read | 3 | 12 | 0 |") || !strings.Contains(r.stdout, "| report_submit | write | 3 | 12 | 0 |") {
				t.Errorf("table:\n%s", r.stdout)
			}
			// The submits reached the database: 12 reports of the last period submitted.
			var n int
			if err := db.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM reports WHERE period = '2022-W52' AND state = 'submitted'`).Scan(&n); err != nil || n < 12 {
				t.Errorf("submitted reports of the last week: %d, %v", n, err)
			}
		})
	}
}

// It loads only this machine.
func TestLoadRefusesOtherHosts(t *testing.T) {
	for _, u := range []string{"http://10.0.0.8:8080", "http://example.com", "https://gongjian.gov.cn/", "ftp://127.0.0.1/"} {
		r := cli(t, "", "load", "--url", u, "--requests", "1")
		if r.code == 0 || !strings.Contains(r.stderr, "127.0.0.1") {
			t.Errorf("%s: code %d, stderr %q", u, r.code, r.stderr)
		}
	}
	for _, u := range []string{"http://127.0.0.1:1", "http://localhost:8080", "http://[::1]:80"} {
		if err := loadtest.CheckLocal(u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
}
