package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// TestAmbientTx covers what an import relies on: service calls made with a ctx
// carrying the import's transaction join it, see its uncommitted rows through
// Read(), and are all undone — audit records included — when the import fails.
func TestAmbientTx(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		createConstraintTables(t, db) // t_parent holds (1, 'a')
		// service is what a feature service does: its own Tx with an audit
		// record, and a read through Read() before writing.
		service := func(ctx context.Context, id int, code string) error {
			var n int
			if err := db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM t_parent WHERE code = ?`, code).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return errs.Duplicate("code", code)
			}
			return db.Tx(ctx, func(q store.Querier) error {
				if _, err := q.Exec(ctx, `INSERT INTO t_parent (id, code) VALUES (?, ?)`, id, code); err != nil {
					return err
				}
				return audit.Write(ctx, q, audit.Entry{Action: "create", Entity: "t_parent", EntityID: id})
			})
		}
		auditRows := func() int { return countRows(t, db, "audit_log") }
		before := auditRows()

		t.Run("a failed import applies nothing", func(t *testing.T) {
			boom := errors.New("row 3 is bad")
			err := db.Tx(ctx, func(q store.Querier) error {
				ctx := store.WithTx(ctx, q)
				if !store.InTx(ctx) {
					t.Error("ctx does not carry the transaction")
				}
				for i := 10; i < 13; i++ {
					if err := service(ctx, i, fmt.Sprint("c", i)); err != nil {
						return err
					}
				}
				// Read() with the ambient ctx sees the uncommitted rows; without it, not.
				var inTx, outside int
				if err := db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM t_parent`).Scan(&inTx); err != nil {
					return err
				}
				if db.Engine() == store.SQLite { // on PostgreSQL the pool may wait on nothing; a plain read is fine too
					if err := db.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM t_parent`).Scan(&outside); err != nil {
						return err
					}
					if outside != 1 {
						t.Errorf("a read outside the transaction sees %d rows, want the committed 1", outside)
					}
				}
				if inTx != 4 {
					t.Errorf("Read() inside the import sees %d rows, want 4", inTx)
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("Tx: %v", err)
			}
			if n := countRows(t, db, "t_parent"); n != 1 {
				t.Errorf("after the failed import t_parent has %d rows, want 1", n)
			}
			if n := auditRows(); n != before {
				t.Errorf("audit records %d, want %d: the import's audit records must be rolled back too", n, before)
			}
		})

		t.Run("a failing inner call is undone alone and the import goes on", func(t *testing.T) {
			var problems []string
			err := db.Tx(ctx, func(q store.Querier) error {
				ctx := store.WithTx(ctx, q)
				for i, code := range []string{"x1", "a", "x2"} { // "a" is taken by the unique index
					// Skip the pre-check to hit the database's constraint inside the savepoint.
					err := db.Tx(ctx, func(q store.Querier) error {
						if err := audit.Write(ctx, q, audit.Entry{Action: "create", Entity: "t_parent", EntityID: 100 + i}); err != nil {
							return err
						}
						_, err := q.Exec(ctx, `INSERT INTO t_parent (id, code) VALUES (?, ?)`, 100+i, code)
						return err
					})
					if err != nil {
						problems = append(problems, code)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatalf("Tx: %v", err)
			}
			if len(problems) != 1 || problems[0] != "a" {
				t.Errorf("problems %v, want just the duplicate a", problems)
			}
			if n := countRows(t, db, "t_parent"); n != 3 {
				t.Errorf("t_parent has %d rows, want 3 (1 + x1 + x2)", n)
			}
			if n := auditRows(); n != before+2 {
				t.Errorf("audit records %d, want %d: the failed row's record is undone with it", n, before+2)
			}
			if _, problems, err := audit.Verify(ctx, db.Read()); err != nil || len(problems) != 0 {
				t.Errorf("audit chain: %v %v", problems, err)
			}
		})

		t.Run("a plain ctx still commits on its own", func(t *testing.T) {
			if err := service(ctx, 200, "solo"); err != nil {
				t.Fatal(err)
			}
			if n := countRows(t, db, "t_parent"); n != 4 {
				t.Errorf("t_parent has %d rows, want 4", n)
			}
			if store.InTx(ctx) || store.InTx(store.WithTx(ctx, db.Read())) {
				t.Error("a ctx without a transaction claims one")
			}
		})
	})
}
