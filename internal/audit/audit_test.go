package audit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

const chainLen = 5

// writeChain records chainLen changes, each in its own transaction, as a mix of
// system work and a signed-in user, and returns their ids in order.
func writeChain(t *testing.T, db *store.DB) []int64 {
	t.Helper()
	ctx := context.Background()
	user := access.With(ctx, &access.Actor{UserID: 7, Username: "duchashi", IP: "10.0.0.8"})
	entries := []struct {
		ctx context.Context
		e   audit.Entry
	}{
		{ctx, audit.Entry{Action: "create", Entity: "unit", EntityID: 1, After: map[string]any{"name": "区发改局", "code": "fgj"}}},
		{user, audit.Entry{Action: "update", Entity: "item", EntityID: int64(42),
			Before: map[string]any{"progress": "滞后", "percent": 40}, After: map[string]any{"progress": "正常推进", "percent": 55}}},
		{user, audit.Entry{Action: "login", Entity: "user", EntityID: 7}},
		{ctx, audit.Entry{Action: "delete", Entity: "milestone", EntityID: "m-3", Before: map[string]any{"note": "含\"引号\"与\x1f分隔符"}}},
		{user, audit.Entry{Action: "update", Entity: "item", EntityID: 42, Before: map[string]any{"percent": 55}, After: map[string]any{"percent": 70}}},
	}
	if len(entries) != chainLen {
		t.Fatalf("fixture has %d entries, want %d", len(entries), chainLen)
	}
	for _, x := range entries {
		err := db.Tx(ctx, func(q store.Querier) error { return audit.Write(x.ctx, q, x.e) })
		if err != nil {
			t.Fatalf("write %+v: %v", x.e, err)
		}
	}
	recs, total, err := audit.List(ctx, db.Read(), audit.Filter{PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if total != chainLen || len(recs) != chainLen {
		t.Fatalf("List: %d records (total %d), want %d", len(recs), total, chainLen)
	}
	ids := make([]int64, len(recs))
	for i, r := range recs { // newest first
		ids[len(recs)-1-i] = r.ID
	}
	return ids
}

func exec(t *testing.T, db *store.DB, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	err := db.Tx(ctx, func(q store.Querier) error {
		for _, s := range stmts {
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

func TestCleanChainVerifies(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		n, problems, err := audit.Verify(ctx, db.Read())
		if err != nil || n != 0 || len(problems) != 0 {
			t.Fatalf("empty trail: Verify = %d, %v, %v; want 0 records, no problems", n, problems, err)
		}
		ids := writeChain(t, db)
		n, problems, err = audit.Verify(ctx, db.Read())
		if err != nil {
			t.Fatal(err)
		}
		if n != chainLen || len(problems) != 0 {
			t.Fatalf("clean chain: checked %d, problems %+v; want %d checked and none", n, problems, chainLen)
		}

		// The records say who did what, and each links to the one before.
		recs, _, err := audit.List(ctx, db.Read(), audit.Filter{PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		slices.Reverse(recs)
		for i, r := range recs {
			if r.ID != ids[i] {
				t.Fatalf("record %d has id %d, want %d", i, r.ID, ids[i])
			}
			if i > 0 && r.PrevHash != recs[i-1].Hash {
				t.Errorf("record %d prev_hash %s does not link to record %d hash %s", r.ID, r.PrevHash, recs[i-1].ID, recs[i-1].Hash)
			}
		}
		if recs[0].Username != "system" || recs[0].UserID != 0 {
			t.Errorf("system record actor = %q/%d, want system/0", recs[0].Username, recs[0].UserID)
		}
		if recs[1].Username != "duchashi" || recs[1].UserID != 7 || recs[1].IP != "10.0.0.8" {
			t.Errorf("user record actor = %q/%d/%q, want duchashi/7/10.0.0.8", recs[1].Username, recs[1].UserID, recs[1].IP)
		}
		if recs[1].EntityID != "42" || recs[1].Before == "" || recs[1].After == "" {
			t.Errorf("update record = %+v, want entity_id 42 with before and after", recs[1])
		}
	})
}

func TestVerifyDetectsTampering(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// tamper changes the trail behind the application's back, given the
		// ids in write order, and returns the ids Verify must name.
		tamper func(t *testing.T, db *store.DB, ids []int64) []int64
	}{
		{"after_json edited", func(t *testing.T, db *store.DB, ids []int64) []int64 {
			exec(t, db, fmt.Sprintf(`UPDATE audit_log SET after_json = '{"progress":"已完成","percent":100}' WHERE id = %d`, ids[1]))
			return []int64{ids[1]}
		}},
		{"actor rewritten", func(t *testing.T, db *store.DB, ids []int64) []int64 {
			exec(t, db, fmt.Sprintf(`UPDATE audit_log SET username = 'someone_else' WHERE id = %d`, ids[2]))
			return []int64{ids[2]}
		}},
		{"middle record deleted", func(t *testing.T, db *store.DB, ids []int64) []int64 {
			exec(t, db, fmt.Sprintf(`DELETE FROM audit_log WHERE id = %d`, ids[2]))
			return []int64{ids[3]} // the record after the gap no longer links
		}},
		{"two records' ids swapped", func(t *testing.T, db *store.DB, ids []int64) []int64 {
			a, b := ids[1], ids[3]
			exec(t, db,
				fmt.Sprintf(`UPDATE audit_log SET id = -1 WHERE id = %d`, a),
				fmt.Sprintf(`UPDATE audit_log SET id = %d WHERE id = %d`, a, b),
				fmt.Sprintf(`UPDATE audit_log SET id = %d WHERE id = -1`, b))
			return []int64{a, b}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, db *store.DB) {
				ids := writeChain(t, db)
				if _, problems, err := audit.Verify(ctx, db.Read()); err != nil || len(problems) != 0 {
					t.Fatalf("before tampering: %v, %v", problems, err)
				}
				want := tt.tamper(t, db, ids)
				_, problems, err := audit.Verify(ctx, db.Read())
				if err != nil {
					t.Fatal(err)
				}
				if len(problems) == 0 {
					t.Fatal("tampering not detected")
				}
				named := map[int64]bool{}
				for _, p := range problems {
					if p.Reason == "" {
						t.Errorf("problem at %d has no reason", p.ID)
					}
					named[p.ID] = true
				}
				for _, id := range want {
					if !named[id] {
						t.Errorf("Verify problems %+v do not name record %d", problems, id)
					}
				}
				// Untouched records before the change are not blamed.
				if named[ids[0]] {
					t.Errorf("Verify blamed the untouched first record %d: %+v", ids[0], problems)
				}
			})
		})
	}
}

// A record whose before or after the caller has already encoded with
// json.Marshal (json.RawMessage) is stored with the same text as the value
// itself would be, so the trail reads and verifies the same either way.
func TestEncodedRecordIsStoredAsTheValue(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		type report struct {
			ID        int64    `json:"id"`
			Narrative string   `json:"narrative"`
			Values    []string `json:"values"`
		}
		v := report{ID: 9, Narrative: "完成<主体>施工 & 验收", Values: []string{"a"}}
		enc, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, after := range []any{v, json.RawMessage(enc)} {
			err := db.Tx(ctx, func(q store.Querier) error {
				return audit.Write(ctx, q, audit.Entry{Action: "update", Entity: "report", EntityID: 9, Before: v, After: after})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		recs, _, err := audit.List(ctx, db.Read(), audit.Filter{PageSize: 10})
		if err != nil {
			t.Fatal(err)
		}
		// Hand-written: json.Marshal escapes <, > and & in strings.
		want := `{"id":9,"narrative":"完成\u003c主体\u003e施工 \u0026 验收","values":["a"]}`
		if len(recs) != 2 || recs[0].After != want || recs[1].After != want || recs[0].Before != want {
			t.Fatalf("stored after_json %q and %q, want both %q", recs[0].After, recs[1].After, want)
		}
		if n, problems, err := audit.Verify(ctx, db.Read()); err != nil || n != 2 || len(problems) != 0 {
			t.Fatalf("Verify = %d, %v, %v; want 2 records, no problems", n, problems, err)
		}
	})
}

// Appends to two databases in turn, and after a transaction that wrote a
// record and then rolled back, each chain onto their own database's newest
// record: both trails verify whole.
func TestChainsOfTwoDatabasesStayApart(t *testing.T) {
	ctx := context.Background()
	for _, e := range testdb.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			a, b := testdb.Open(t, e), testdb.Open(t, e)
			write := func(db *store.DB, id int, fail bool) {
				t.Helper()
				err := db.Tx(ctx, func(q store.Querier) error {
					if err := audit.Write(ctx, q, audit.Entry{Action: "update", Entity: "item", EntityID: id, After: map[string]any{"n": id}}); err != nil {
						return err
					}
					if fail {
						return errRollback
					}
					return nil
				})
				if err != nil && !(fail && err == errRollback) {
					t.Fatalf("write %d: %v", id, err)
				}
			}
			write(a, 1, false)
			write(b, 2, false)
			write(a, 3, false)
			write(a, 4, true) // rolled back: its record is not the end of a's chain
			write(a, 5, false)
			write(b, 6, false)
			write(b, 7, false)
			for name, c := range map[string]struct {
				db   *store.DB
				want int
			}{"a": {a, 3}, "b": {b, 3}} {
				n, problems, err := audit.Verify(ctx, c.db.Read())
				if err != nil || n != c.want || len(problems) != 0 {
					t.Errorf("database %s: Verify = %d, %+v, %v; want %d records, no problems", name, n, problems, err, c.want)
				}
			}
		})
	}
}

var errRollback = fmt.Errorf("roll back")
