package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/internal/errs"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// openEmpty returns an opened but not yet migrated database on engine e.
func openEmpty(t *testing.T, e store.Engine) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), testdb.DSN(t, e), store.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrateAppliesOnce(t *testing.T) {
	ctx := context.Background()
	for _, e := range testdb.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			db := openEmpty(t, e)
			all, err := db.Migrations()
			if err != nil {
				t.Fatal(err)
			}
			if len(all) == 0 || all[0].Version != 1 || all[0].Name != "core" {
				t.Fatalf("embedded migrations start with %+v, want 0001_core", all)
			}
			if v, err := db.SchemaVersion(ctx); err != nil || v != 0 {
				t.Fatalf("fresh SchemaVersion = %d, %v; want 0", v, err)
			}
			pending, err := db.Pending(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(pending) != len(all) {
				t.Fatalf("fresh database: %d pending, want all %d", len(pending), len(all))
			}

			applied, err := db.Migrate(ctx)
			if err != nil {
				t.Fatalf("first Migrate: %v", err)
			}
			if len(applied) != len(all) {
				t.Fatalf("first Migrate applied %d steps, want %d", len(applied), len(all))
			}
			last := all[len(all)-1].Version
			if v, err := db.SchemaVersion(ctx); err != nil || v != last {
				t.Fatalf("SchemaVersion after Migrate = %d, %v; want %d", v, err, last)
			}
			// The schema is really there.
			var n int
			if err := db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM units`).Scan(&n); err != nil {
				t.Fatalf("units table after Migrate: %v", err)
			}

			again, err := db.Migrate(ctx)
			if err != nil {
				t.Fatalf("second Migrate: %v", err)
			}
			if len(again) != 0 {
				t.Errorf("second Migrate applied %v, want nothing", again)
			}
			if pending, err := db.Pending(ctx); err != nil || len(pending) != 0 {
				t.Errorf("Pending after Migrate = %v, %v; want none", pending, err)
			}
			var rows int
			if err := db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&rows); err != nil {
				t.Fatal(err)
			}
			if rows != len(all) {
				t.Errorf("schema_migrations holds %d rows, want %d (one per step)", rows, len(all))
			}
		})
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		const future = 9999
		err := db.Tx(ctx, func(q store.Querier) error {
			_, err := q.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				future, "from_the_future", "2099-01-01T00:00:00Z")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, err error) {
			t.Helper()
			if err == nil {
				t.Fatalf("%s on a schema newer than the binary: no error", what)
			}
			msg := err.Error()
			if !strings.Contains(msg, fmt.Sprint(future)) || !strings.Contains(msg, "高于本程序支持的版本") {
				t.Errorf("%s error %q should name version %d and say it is newer than this binary supports", what, msg, future)
			}
		}
		_, err = db.Pending(ctx)
		check("Pending", err)
		applied, err := db.Migrate(ctx)
		check("Migrate", err)
		if len(applied) != 0 {
			t.Errorf("Migrate applied %v on a newer schema", applied)
		}
	})
}

func createConstraintTables(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	err := db.Tx(ctx, func(q store.Querier) error {
		for _, s := range []string{
			`CREATE TABLE t_parent (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE)`,
			`CREATE TABLE t_child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES t_parent(id))`,
			`INSERT INTO t_parent (id, code) VALUES (1, 'a')`,
			`INSERT INTO t_child (id, parent_id) VALUES (1, 1)`,
		} {
			if _, err := q.Exec(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestConstraintErrors(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		createConstraintTables(t, db)
		tests := []struct {
			name        string
			sql         string
			args        []any
			unique, fk  bool
			wantFailure bool
		}{
			{"duplicate unique column", `INSERT INTO t_parent (id, code) VALUES (?, ?)`, []any{2, "a"}, true, false, true},
			{"duplicate primary key", `INSERT INTO t_parent (id, code) VALUES (?, ?)`, []any{1, "b"}, true, false, true},
			{"reference to missing row", `INSERT INTO t_child (id, parent_id) VALUES (?, ?)`, []any{2, 42}, false, true, true},
			{"delete of referenced row", `DELETE FROM t_parent WHERE id = ?`, []any{1}, false, true, true},
			{"not null is neither", `INSERT INTO t_parent (id, code) VALUES (?, NULL)`, []any{3}, false, false, true},
			{"valid insert", `INSERT INTO t_parent (id, code) VALUES (?, ?)`, []any{4, "d"}, false, false, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := db.Tx(ctx, func(q store.Querier) error {
					_, err := q.Exec(ctx, tt.sql, tt.args...)
					return err
				})
				if (err != nil) != tt.wantFailure {
					t.Fatalf("err = %v, want failure %v", err, tt.wantFailure)
				}
				// Callers wrap errors before classifying them; both forms must work.
				for _, e := range []error{err, fmt.Errorf("context: %w", err)} {
					if got := store.IsUnique(e); got != tt.unique {
						t.Errorf("IsUnique(%v) = %v, want %v", e, got, tt.unique)
					}
					if got := store.IsForeignKey(e); got != tt.fk {
						t.Errorf("IsForeignKey(%v) = %v, want %v", e, got, tt.fk)
					}
				}
			})
		}
	})
}

func TestOrderBy(t *testing.T) {
	allowed := map[string]string{"name": "u.name", "total": "i.total_investment", "code": "u.code"}
	tests := []struct {
		sort string
		want string
	}{
		{"", " ORDER BY u.code ASC, u.id"},
		{"name", " ORDER BY u.name ASC, u.id"},
		{"-total", " ORDER BY i.total_investment DESC, u.id"},
		{"-total,name", " ORDER BY i.total_investment DESC, u.name ASC, u.id"},
	}
	for _, tt := range tests {
		got, err := store.OrderBy(tt.sort, allowed, "code", "u.id")
		if err != nil || got != tt.want {
			t.Errorf("OrderBy(%q) = %q, %v; want %q", tt.sort, got, err, tt.want)
		}
	}

	for _, bad := range []string{"password_hash", "-secret", "name; DROP TABLE users", "name,", "Name", "--name"} {
		got, err := store.OrderBy(bad, allowed, "code", "u.id")
		if err == nil {
			t.Errorf("OrderBy(%q) = %q, want an error", bad, got)
			continue
		}
		if got != "" {
			t.Errorf("OrderBy(%q) returned SQL %q along with its error", bad, got)
		}
		if k := errs.KindOf(err); k != errs.KindInvalid {
			t.Errorf("OrderBy(%q) error kind %v, want KindInvalid", bad, k)
		}
		var e *errs.Error
		if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "sort" {
			t.Errorf("OrderBy(%q) error %v should carry one field error on \"sort\"", bad, err)
			continue
		}
		// The message lists what may be used instead.
		for _, k := range []string{"code", "name", "total"} {
			if !strings.Contains(e.Fields[0].Message, k) {
				t.Errorf("OrderBy(%q) message %q does not list allowed field %q", bad, e.Fields[0].Message, k)
			}
		}
	}
}

func TestContainsEscapesWildcards(t *testing.T) {
	ctx := context.Background()
	values := []string{"500", "50%", "5000", "a_b", "axb", `back\slash`, "backslash", "报告100%完成"}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		err := db.Tx(ctx, func(q store.Querier) error {
			if _, err := q.Exec(ctx, `CREATE TABLE t_like (s TEXT NOT NULL)`); err != nil {
				return err
			}
			for _, v := range values {
				if _, err := q.Exec(ctx, `INSERT INTO t_like (s) VALUES (?)`, v); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			search string
			want   []string
		}{
			{"50%", []string{"50%"}},
			{"0%", []string{"50%", "报告100%完成"}},
			{"a_b", []string{"a_b"}},
			{"_", []string{"a_b"}},
			{`\`, []string{`back\slash`}},
			{`k\s`, []string{`back\slash`}},
			{"50", []string{"500", "5000", "50%"}},
			{"%", []string{"50%", "报告100%完成"}},
			{"完成", []string{"报告100%完成"}},
		}
		for _, tt := range tests {
			rows, err := db.Read().Query(ctx, `SELECT s FROM t_like WHERE s LIKE ? ESCAPE '\' ORDER BY s`, store.Contains(tt.search))
			if err != nil {
				t.Fatalf("search %q: %v", tt.search, err)
			}
			var got []string
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				got = append(got, s)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			rows.Close()
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("search %q matched %q, want %q", tt.search, got, want)
			}
		}
	})
}

func countRows(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTx(t *testing.T) {
	// A transaction that is never ended keeps the single SQLite write
	// connection; the deadline turns that into a failure instead of a hang.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		createConstraintTables(t, db) // t_parent holds 1 row
		insert := func(q store.Querier, id int) error {
			_, err := q.Exec(ctx, `INSERT INTO t_parent (id, code) VALUES (?, ?)`, id, fmt.Sprint("c", id))
			return err
		}

		t.Run("commits on nil", func(t *testing.T) {
			if err := db.Tx(ctx, func(q store.Querier) error { return insert(q, 10) }); err != nil {
				t.Fatal(err)
			}
			if n := countRows(t, db, "t_parent"); n != 2 {
				t.Fatalf("after commit t_parent has %d rows, want 2", n)
			}
		})

		t.Run("rolls back on error", func(t *testing.T) {
			boom := errors.New("boom")
			err := db.Tx(ctx, func(q store.Querier) error {
				if err := insert(q, 20); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("Tx returned %v, want fn's error", err)
			}
			if n := countRows(t, db, "t_parent"); n != 2 {
				t.Errorf("after failed fn t_parent has %d rows, want 2 (insert rolled back)", n)
			}
			// The transaction was ended, not left holding the write
			// connection: the next one can begin.
			if err := db.Tx(ctx, func(q store.Querier) error { return nil }); err != nil {
				t.Fatalf("Tx after a failed one: %v", err)
			}
		})

		t.Run("rolls back on panic", func(t *testing.T) {
			var recovered any
			func() {
				defer func() { recovered = recover() }()
				_ = db.Tx(ctx, func(q store.Querier) error {
					if err := insert(q, 30); err != nil {
						t.Errorf("insert: %v", err)
					}
					panic("kaboom")
				})
			}()
			if recovered != "kaboom" {
				t.Fatalf("panic value %v, want the original panic re-raised", recovered)
			}
			if n := countRows(t, db, "t_parent"); n != 2 {
				t.Errorf("after panicking fn t_parent has %d rows, want 2 (insert rolled back)", n)
			}
			// The write connection was released: another transaction still works.
			if err := db.Tx(ctx, func(q store.Querier) error { return insert(q, 31) }); err != nil {
				t.Fatalf("Tx after a panic: %v", err)
			}
			if n := countRows(t, db, "t_parent"); n != 3 {
				t.Errorf("t_parent has %d rows, want 3", n)
			}
		})
	})
}

func TestSQLiteReadPoolIsQueryOnly(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, store.SQLite)
	createConstraintTables(t, db)
	if _, err := db.Read().Exec(ctx, `INSERT INTO t_parent (id, code) VALUES (?, ?)`, 5, "e"); err == nil {
		t.Fatal("write through db.Read() succeeded; the SQLite read pool must be query_only")
	}
	if _, err := db.Read().Exec(ctx, `DELETE FROM t_parent`); err == nil {
		t.Fatal("delete through db.Read() succeeded; the SQLite read pool must be query_only")
	}
	if n := countRows(t, db, "t_parent"); n != 1 {
		t.Errorf("t_parent has %d rows after refused writes, want 1", n)
	}
}
