package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

func versions(t *testing.T, db *store.DB) store.Versions {
	t.Helper()
	v, err := db.Versions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A write moves the counter of its table's domain, and of no other, once it
// is committed; a rolled-back write moves nothing.
func TestDataVersionsFollowCommittedWrites(t *testing.T) {
	ctx := context.Background()
	now := time.Now().UTC()
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		v0 := versions(t, db)
		if len(v0) != len(store.Domains()) {
			t.Fatalf("versions %v, want one per domain %v", v0, store.Domains())
		}
		exec := func(q store.Querier, sql string, args ...any) {
			t.Helper()
			if _, err := q.Exec(ctx, sql, args...); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		// A unit (org), then in one transaction a region (indicators) updated twice.
		if err := db.Tx(ctx, func(q store.Querier) error {
			exec(q, `INSERT INTO units (code, name, kind, created_at, updated_at) VALUES ('V1', '版本测试局', 'bureau', ?, ?)`, now, now)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.Tx(ctx, func(q store.Querier) error {
			exec(q, `INSERT INTO regions (code, name, kind, created_at, updated_at) VALUES ('R9', '测试区', 'peer', ?, ?)`, now, now)
			exec(q, `UPDATE regions SET name = '测试区二' WHERE code = 'R9'`)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		v1 := versions(t, db)
		for _, d := range store.Domains() {
			moved := v1[d] > v0[d]
			want := d == store.DomainOrg || d == store.DomainIndicators
			if moved != want {
				t.Errorf("domain %s: %d → %d; moved %v, want %v", d, v0[d], v1[d], moved, want)
			}
		}
		// Rolled back: nothing moves.
		boom := errors.New("undo")
		if err := db.Tx(ctx, func(q store.Querier) error {
			exec(q, `UPDATE units SET name = '改名' WHERE code = 'V1'`)
			return boom
		}); !errors.Is(err, boom) {
			t.Fatalf("Tx = %v, want the fn's error", err)
		}
		if v2 := versions(t, db); v2.Key(store.Domains()...) != v1.Key(store.Domains()...) {
			t.Errorf("a rolled-back write moved the versions: %v → %v", v1, v2)
		}
		// On PostgreSQL a statement outside Tx (an operator's SQL) counts
		// too; on SQLite every write is in a transaction of the one writer.
		if db.Engine() == store.Postgres {
			exec(db.Read(), `DELETE FROM regions WHERE code = 'R9'`)
			if v3 := versions(t, db); v3[store.DomainIndicators] <= v1[store.DomainIndicators] {
				t.Errorf("a DELETE outside Tx left indicators at %d", v3[store.DomainIndicators])
			}
		}
	})
}

// Two writers touching two domains in opposite orders both commit: the
// counters are taken at COMMIT in name order, never in between (on
// PostgreSQL; SQLite has one writer).
func TestDataVersionsDoNotDeadlockWriters(t *testing.T) {
	ctx := context.Background()
	now := time.Now().UTC()
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		v0 := versions(t, db)
		var wg sync.WaitGroup
		errc := make(chan error, 40)
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				stmts := []string{
					`INSERT INTO units (code, name, kind, created_at, updated_at) VALUES (?, ?, 'bureau', ?, ?)`,
					`INSERT INTO regions (code, name, kind, created_at, updated_at) VALUES (?, ?, 'peer', ?, ?)`,
				}
				if i%2 == 1 {
					stmts[0], stmts[1] = stmts[1], stmts[0]
				}
				errc <- db.Tx(ctx, func(q store.Querier) error {
					for j, s := range stmts {
						code := fmt.Sprintf("C%d-%d", i, j)
						if _, err := q.Exec(ctx, s, code, "并发"+code, now, now); err != nil {
							return err
						}
					}
					return nil
				})
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatal(err)
			}
		}
		v1 := versions(t, db)
		for _, d := range []string{store.DomainOrg, store.DomainIndicators} {
			if got := v1[d] - v0[d]; got < 40 {
				t.Errorf("%s moved %d times for 40 committed transactions", d, got)
			}
		}
	})
}
