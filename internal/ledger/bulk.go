package ledger

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// BulkRow is a row for Bulk: its values as a caller would type them, and
// when it was recorded (zero: now).
type BulkRow struct {
	Values map[string]any
	At     time.Time
}

// bulkBatch rows go in one INSERT; 6 parameters a row stays far below both
// engines' limits.
const bulkBatch = 500

// Bulk adds many rows to a ledger at once, in one transaction with
// multi-row inserts, each row with its first revision dated At, and one
// audit record counting them. It is for loading data (the demo district,
// a register carried over from old spreadsheets); every row is validated
// like any other, and a bad row fails the whole load, named by its index.
func (s *Service) Bulk(ctx context.Context, ledgerID int64, rows []BulkRow) (int, error) {
	l, rf, err := s.writable(ctx, ledgerID)
	if err != nil {
		return 0, err
	}
	type prepared struct {
		key, period, values string
		at                  time.Time
	}
	ps := make([]prepared, 0, len(rows))
	var fe []errs.FieldError
	now := s.now().UTC()
	for i, r := range rows {
		values, bad := check(l, r.Values, rf, fmt.Sprintf("rows[%d].", i))
		if len(bad) > 0 {
			fe = append(fe, bad...)
			if len(fe) >= maxBlockers {
				break
			}
			continue
		}
		at := r.At.UTC()
		if r.At.IsZero() {
			at = now
		}
		ps = append(ps, prepared{keyOf(l, values), periodOf(l, values, at), valuesJSON(values), at})
	}
	if err := errs.Invalid(fe); err != nil {
		return 0, err
	}
	err = s.db.Tx(ctx, func(q store.Querier) error {
		var last int64
		if err := q.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM ledger_rows`).Scan(&last); err != nil {
			return fmt.Errorf("ledger bulk: %w", err)
		}
		for start := 0; start < len(ps); start += bulkBatch {
			batch := ps[start:min(start+bulkBatch, len(ps))]
			args := make([]any, 0, len(batch)*6)
			for _, p := range batch {
				args = append(args, l.ID, p.key, p.period, p.values, p.at, p.at)
			}
			vals := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?),", len(batch)), ",")
			if _, err := q.Exec(ctx, `INSERT INTO ledger_rows (ledger_id, row_key, period, values_json, created_at, updated_at) VALUES `+vals, args...); err != nil {
				return rowWriteErr(err, l, "")
			}
		}
		_, username := actorOf(ctx)
		if _, err := q.Exec(ctx, `INSERT INTO ledger_row_revisions (row_id, ledger_id, revision, period, values_json, valid_from, username)
			SELECT id, ledger_id, 1, period, values_json, created_at, ? FROM ledger_rows WHERE ledger_id = ? AND id > ?`, username, l.ID, last); err != nil {
			return fmt.Errorf("ledger bulk revisions: %w", err)
		}
		return audit.Write(ctx, q, audit.Entry{Action: "bulk_create", Entity: "ledger", EntityID: l.ID,
			After: map[string]any{"ledger": l.Code, "rows": len(ps)}})
	})
	if err != nil {
		return 0, err
	}
	return len(ps), nil
}
