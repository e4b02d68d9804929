package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// openCached opens a fresh SQLite database with a table of three people.
func openCached(t *testing.T, opt Options) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "gj.db"), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	err = db.Tx(ctx, func(q Querier) error {
		if _, err := q.Exec(ctx, `CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`); err != nil {
			return err
		}
		for _, name := range []string{"张三", "李四", "王五"} {
			if _, err := q.Exec(ctx, `INSERT INTO people (name) VALUES (?)`, name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// cacheOf runs fn with the statement cache of c.
func cacheOf(t *testing.T, c *sql.Conn) (prepares, cached int) {
	t.Helper()
	err := c.Raw(func(dc any) error {
		sc, ok := dc.(*stmtCacheConn)
		if !ok {
			return errors.New("not a stmtCacheConn")
		}
		prepares, cached = sc.prepares, sc.lru.Len()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return prepares, cached
}

// writerCache reports the writer connection's cache (the write pool has one
// connection).
func writerCache(t *testing.T, db *DB) (prepares, cached int) {
	t.Helper()
	c, err := db.w.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return cacheOf(t, c)
}

// names returns a reader of one column of text, failing t on an error:
// names(t)(q.Query(…)).
func names(t *testing.T) func(*sql.Rows, error) []string {
	return func(rows *sql.Rows, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
}

func TestStmtCachePreparesOnce(t *testing.T) {
	ctx := context.Background()
	db := openCached(t, Options{})
	// The three INSERTs of openCached share one statement; CREATE TABLE is
	// not cached.
	if p, n := writerCache(t, db); p != 1 || n != 1 {
		t.Fatalf("after 3 inserts: %d prepares, %d cached; want 1, 1", p, n)
	}
	for _, tc := range []struct {
		id   int
		want string
	}{{1, "张三"}, {3, "王五"}, {2, "李四"}} {
		err := db.Tx(ctx, func(q Querier) error {
			var got string
			if err := q.QueryRow(ctx, `SELECT name FROM people WHERE id = ?`, tc.id).Scan(&got); err != nil {
				return err
			}
			if got != tc.want {
				t.Errorf("id %d: %q, want %q", tc.id, got, tc.want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if p, n := writerCache(t, db); p != 2 || n != 2 {
		t.Fatalf("after the SELECT 3 times: %d prepares, %d cached; want 2, 2", p, n)
	}

	// A pinned read connection: the same query twice is one prepare.
	c, err := db.r.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p0, _ := cacheOf(t, c)
	for range 2 {
		got := names(t)(c.QueryContext(ctx, `SELECT name FROM people WHERE id > ? ORDER BY id`, 1))
		if want := []string{"李四", "王五"}; !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if p, _ := cacheOf(t, c); p != p0+1 {
		t.Fatalf("read connection: %d prepares for one query run twice, want 1", p-p0)
	}
}

func TestStmtCacheSameQueryWhileRowsOpen(t *testing.T) {
	ctx := context.Background()
	db := openCached(t, Options{})
	const all = `SELECT name FROM people ORDER BY id`
	var outer []string
	var inner [][]string
	err := db.Tx(ctx, func(q Querier) error {
		rows, err := q.Query(ctx, all)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			outer = append(outer, s)
			// The same text while the first rows are open, and a write.
			inner = append(inner, names(t)(q.Query(ctx, all)))
			if _, err := q.Exec(ctx, `UPDATE people SET name = name || '√' WHERE name = ?`, s); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"张三", "李四", "王五"}; !slices.Equal(outer, want) {
		t.Errorf("outer rows %v, want %v", outer, want)
	}
	wantInner := [][]string{
		{"张三", "李四", "王五"},
		{"张三√", "李四", "王五"},
		{"张三√", "李四√", "王五"},
	}
	for i := range wantInner {
		if i >= len(inner) || !slices.Equal(inner[i], wantInner[i]) {
			t.Fatalf("inner rows %v, want %v", inner, wantInner)
		}
	}
	// INSERT, the outer SELECT and the UPDATE: the inner runs of the busy
	// SELECT were prepared fresh and not cached.
	p, n := writerCache(t, db)
	if p != 3 || n != 3 {
		t.Fatalf("%d prepares, %d cached; want 3, 3", p, n)
	}
	// Idle again: the next run reuses it.
	got := names(t)(db.w.QueryContext(ctx, all))
	if want := []string{"张三√", "李四√", "王五√"}; !slices.Equal(got, want) {
		t.Fatalf("after: %v, want %v", got, want)
	}
	if p2, _ := writerCache(t, db); p2 != p {
		t.Fatalf("rerun prepared again (%d → %d)", p, p2)
	}
}

func TestStmtCacheSchemaChange(t *testing.T) {
	ctx := context.Background()
	db := openCached(t, Options{})
	c, err := db.r.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	shape := func() ([]string, []any) {
		rows, err := c.QueryContext(ctx, `SELECT * FROM people WHERE id = ?`, 2)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		if !rows.Next() {
			t.Fatalf("no row: %v", rows.Err())
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		return cols, vals
	}
	if cols, vals := shape(); !slices.Equal(cols, []string{"id", "name"}) || vals[1] != "李四" {
		t.Fatalf("before: %v %v", cols, vals)
	}
	if _, err := db.w.ExecContext(ctx, `ALTER TABLE people ADD COLUMN unit TEXT NOT NULL DEFAULT '区住建局'`); err != nil {
		t.Fatal(err)
	}
	cols, vals := shape()
	if !slices.Equal(cols, []string{"id", "name", "unit"}) || vals[1] != "李四" || vals[2] != "区住建局" {
		t.Fatalf("after ADD COLUMN: %v %v, want [id name unit] [2 李四 区住建局]", cols, vals)
	}
	// A table that is gone fails as a fresh statement would.
	if _, err := db.w.ExecContext(ctx, `DROP TABLE people`); err != nil {
		t.Fatal(err)
	}
	if _, err := c.QueryContext(ctx, `SELECT * FROM people WHERE id = ?`, 2); err == nil {
		t.Fatal("query of a dropped table succeeded")
	}
}

func TestStmtCacheErrorsUnchanged(t *testing.T) {
	ctx := context.Background()
	db := openCached(t, Options{})
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE reports (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES people(id))`); err != nil {
		t.Fatal(err)
	}
	// Twice each: the second run uses the cached statement the first left.
	for range 2 {
		err := db.Tx(ctx, func(q Querier) error {
			_, err := q.Exec(ctx, `INSERT INTO people (name) VALUES (?)`, "李四")
			return err
		})
		var se *sqlite.Error
		if !IsUnique(err) || !errors.As(err, &se) || se.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE {
			t.Fatalf("duplicate name: %v, want a unique violation", err)
		}
		_, err = db.w.ExecContext(ctx, `INSERT INTO reports (person_id) VALUES (?)`, 99)
		if !IsForeignKey(err) || IsUnique(err) {
			t.Fatalf("missing person: %v, want a foreign-key violation", err)
		}
	}
	// The statements that failed still work.
	if _, err := db.w.ExecContext(ctx, `INSERT INTO people (name) VALUES (?)`, "赵六"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `INSERT INTO reports (person_id) VALUES (?)`, 4); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM people p JOIN reports r ON r.person_id = p.id WHERE p.name = ?`, "赵六").Scan(&n); err != nil || n != 1 {
		t.Fatalf("赵六's reports: %d, %v; want 1", n, err)
	}
	// A cancelled query returns the context's error and leaves the
	// statement usable.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.Read().Query(cctx, `SELECT name FROM people WHERE id = ?`, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if got := names(t)(db.Read().Query(ctx, `SELECT name FROM people WHERE id = ?`, 1)); !slices.Equal(got, []string{"张三"}) {
		t.Fatalf("after cancel: %v", got)
	}
}

func TestStmtCacheBounded(t *testing.T) {
	ctx := context.Background()
	db := openCached(t, Options{StmtCache: 2})
	p0, _ := writerCache(t, db) // the INSERT
	queries := []string{
		`SELECT name FROM people WHERE id = ?`,
		`SELECT name FROM people WHERE id >= ? ORDER BY id`,
		`SELECT name FROM people WHERE id <= ? ORDER BY id DESC`,
	}
	wants := [][]string{{"李四"}, {"李四", "王五"}, {"李四", "张三"}}
	for round := range 2 {
		for i, q := range queries {
			if got := names(t)(db.w.QueryContext(ctx, q, 2)); !slices.Equal(got, wants[i]) {
				t.Fatalf("round %d, query %d: %v, want %v", round, i, got, wants[i])
			}
		}
	}
	p, n := writerCache(t, db)
	if n != 2 {
		t.Fatalf("%d statements cached, want at most 2", n)
	}
	// Round-robin over 3 statements with room for 2: every run misses.
	if p-p0 != 6 {
		t.Fatalf("%d prepares, want 6", p-p0)
	}

	// A statement evicted while its rows are open (a pinned read
	// connection, so two rows can be open) is finalized when they close.
	c, err := db.r.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	open, err := c.QueryContext(ctx, queries[1], 1)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if got := names(t)(c.QueryContext(ctx, queries[2], 3)); !slices.Equal(got, []string{"王五", "李四", "张三"}) {
			t.Fatalf("evicting query: %v", got)
		}
		if got := names(t)(c.QueryContext(ctx, queries[0], 3)); !slices.Equal(got, []string{"王五"}) {
			t.Fatalf("evicting query: %v", got)
		}
	}
	if got := names(t)(open, nil); !slices.Equal(got, []string{"张三", "李四", "王五"}) {
		t.Fatalf("rows of the evicted statement: %v", got)
	}
	if _, n := cacheOf(t, c); n != 2 {
		t.Fatalf("read connection: %d cached, want 2", n)
	}
}

func TestStmtCacheLeavesScriptsAlone(t *testing.T) {
	ctx := context.Background()
	db := openCached(t, Options{})
	p0, n0 := writerCache(t, db)
	for _, q := range []string{
		`INSERT INTO people (name) VALUES ('孙七'); INSERT INTO people (name) VALUES ('周八')`,
		`PRAGMA optimize`,
		`CREATE INDEX people_name ON people(name)`,
		`SAVEPOINT x`,
		`RELEASE SAVEPOINT x`,
	} {
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if got := names(t)(db.Read().Query(ctx, `SELECT name FROM people WHERE id > 3 ORDER BY id;`)); !slices.Equal(got, []string{"孙七", "周八"}) {
		t.Fatalf("script inserted %v, want [孙七 周八]", got)
	}
	if p, n := writerCache(t, db); p != p0 || n != n0 {
		t.Fatalf("scripts, PRAGMA and DDL were cached: %d → %d prepares", p0, p)
	}
	for q, want := range map[string]bool{
		`SELECT 1`:                             true,
		`select id from people where id = ?`:   true,
		` (SELECT 1) UNION SELECT 2`:           true,
		"WITH x AS (SELECT 1) SELECT * FROM x": true,
		`UPDATE people SET name = ?`:           true,
		`DELETE FROM people`:                   true,
		`VACUUM INTO ?`:                        false,
		`SELECT 1; SELECT 2`:                   false,
		`BEGIN IMMEDIATE`:                      false,
		`ALTER TABLE people ADD COLUMN x`:      false,
	} {
		if got := cacheable(q); got != want {
			t.Errorf("cacheable(%q) = %v, want %v", q, got, want)
		}
	}
}
