package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/auth"
	"gongjian/internal/campaign"
	"gongjian/internal/config"
	"gongjian/internal/demo"
	"gongjian/internal/org"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// fingerprint reads every table of dsn (but the two each database keeps for
// itself: its migrations and data versions) in primary-key order and returns its
// row count and a checksum of its values, written the same way whichever
// engine they came from (times in UTC, booleans and integers as numbers).
func fingerprint(t *testing.T, dsn string) map[string]string {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('schema_migrations', 'data_versions')`
	if db.Engine() == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT IN ('schema_migrations', 'data_versions')`
	}
	rows, err := db.Read().Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, table := range tables {
		rows, err := db.Read().Query(ctx, `SELECT * FROM `+table+` ORDER BY 1, 2`)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		h := sha256.New()
		n := 0
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				fmt.Fprintf(h, "%s=%s;", cols[i], canonical(v))
			}
			h.Write([]byte{'\n'})
			n++
		}
		rows.Close()
		out[table] = fmt.Sprintf("%d rows %s", n, hex.EncodeToString(h.Sum(nil))[:16])
	}
	return out
}

func canonical(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return canonical(string(x))
	case bool:
		if x {
			return "1"
		}
		return "0"
	case time.Time: // to the microsecond, PostgreSQL's precision
		return x.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02"} {
			if tm, err := time.Parse(layout, x); err == nil {
				return canonical(tm)
			}
		}
		return x
	case float64:
		return fmt.Sprintf("%g", x)
	}
	return fmt.Sprint(v)
}

// The demo district copied from SQLite to PostgreSQL and back keeps every
// row of every table: counts and checksums match, the audit chain still
// verifies, and new rows get fresh ids after the copied ones.
func TestCopySQLiteToPostgresAndBack(t *testing.T) {
	if len(testdb.Engines(t)) < 2 {
		return // PostgreSQL absent outside CI; Engines fails the run in CI
	}
	ctx := context.Background()
	src := tempDB(t)
	func() {
		db, err := store.Open(ctx, src, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		s := demo.Services{DB: db, Org: org.New(db), Auth: auth.New(db, time.Hour, time.Hour), Campaign: campaign.New(db)}
		sum, err := demo.Load(ctx, s, demo.Data())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.LoadReports(ctx, db, progress.New(db), sum.CampaignID); err != nil {
			t.Fatal(err)
		}
		if err := demo.LoadExtras(ctx, s, newServices(db, config.Default()).extras, sum); err != nil {
			t.Fatal(err)
		}
	}()
	want := fingerprint(t, src)
	if strings.HasPrefix(want["reports"], "0 ") {
		t.Fatalf("demo has no reports to copy: %v", want["reports"])
	}

	pg := testdb.DSN(t, store.Postgres)
	r := cli(t, "", "copy", "--from", src, "--to", pg)
	if r.code != 0 {
		t.Fatalf("copy to postgres: exit %d, stderr %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "目标库行数已核对一致") {
		t.Errorf("copy output %q lacks the check line", r.stdout)
	}
	got := fingerprint(t, pg)
	compare(t, "sqlite → postgres", want, got)

	db, err := store.Open(ctx, pg, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n, breaks, err := audit.Verify(ctx, db.Read()); err != nil || len(breaks) > 0 || n == 0 {
		t.Errorf("audit chain on the copy: checked %d, breaks %v, err %v", n, breaks, err)
	}
	// The identity sequences moved past the copied ids.
	u, err := org.New(db).CreateUnit(ctx, org.UnitInput{Code: "COPY-NEW", Name: "复制后新建单位", Kind: "other"})
	if err != nil {
		t.Fatalf("insert after copy: %v", err)
	}
	var maxID int64
	_ = db.Read().QueryRow(ctx, `SELECT MAX(id) FROM units WHERE code <> 'COPY-NEW'`).Scan(&maxID)
	if u.ID <= maxID {
		t.Errorf("new unit got id %d, not after the copied ones (max %d)", u.ID, maxID)
	}
	db.Close()

	// A second copy into a database with data is refused and changes nothing.
	r = cli(t, "", "copy", "--from", src, "--to", pg)
	if r.code == 0 || !strings.Contains(r.stderr, "目标库已有数据") {
		t.Errorf("copy into a non-empty database: exit %d, stderr %q", r.code, r.stderr)
	}

	// And back to a fresh SQLite file: identical to where it started (plus the new unit).
	back := tempDB(t)
	if r := cli(t, "", "copy", "--from", pg, "--to", back); r.code != 0 {
		t.Fatalf("copy back to sqlite: exit %d, stderr %s", r.code, r.stderr)
	}
	again := fingerprint(t, back)
	delete(again, "units")
	delete(again, "audit_log")
	w2 := maps(want, "units", "audit_log")
	compare(t, "postgres → sqlite", w2, again)
}

func maps(m map[string]string, drop ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for _, d := range drop {
		delete(out, d)
	}
	return out
}

func compare(t *testing.T, what string, want, got map[string]string) {
	t.Helper()
	for table, w := range want {
		if got[table] != w {
			t.Errorf("%s: table %s = %q, want %q", what, table, got[table], w)
		}
	}
	for table := range got {
		if _, ok := want[table]; !ok {
			t.Errorf("%s: extra table %s", what, table)
		}
	}
}
