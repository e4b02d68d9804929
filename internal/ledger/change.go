package ledger

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// maxBlockers bounds how many blocking rows a refused change lists.
const maxBlockers = 50

// sameShape reports whether values valid for old are valid for f as they are.
func sameShape(old, f LedgerField) bool {
	return old.Type == f.Type && old.Unit == f.Unit && slices.Equal(old.Options, f.Options) && !old.Archived
}

// refit checks that every live row fits the new definition and converts the
// values whose type changed, as new revisions (the old values stay in the
// history). A row that does not fit blocks the change, and is named.
func refit(ctx context.Context, q store.Querier, before, after Ledger, at time.Time) error {
	rows, err := q.Query(ctx, `SELECT `+rowCols+` FROM ledger_rows WHERE ledger_id = ? AND deleted_at IS NULL ORDER BY id`, before.ID)
	if err != nil {
		return fmt.Errorf("ledger rows: %w", err)
	}
	var live []stored
	for rows.Next() {
		r, err := scanStored(rows)
		if err != nil {
			rows.Close()
			return err
		}
		live = append(live, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(live) == 0 {
		return nil
	}
	rf, err := loadRefs(ctx, q, append(slices.Clone(before.Fields), after.Fields...))
	if err != nil {
		return err
	}
	var fe []errs.FieldError
	blocked := 0
	block := func(field, msg string, value any) {
		blocked++
		if len(fe) < maxBlockers {
			fe = append(fe, errs.FieldError{Field: field, Key: "ledger.change_blocked", Message: msg, Value: value})
		}
	}
	type change struct {
		r      stored
		values map[string]any
	}
	var changes []change
	keys := map[string]stored{}
	for _, r := range live {
		values := maps.Clone(r.values)
		changed := false
		for _, f := range Active(after.Fields) {
			old, existed := fieldByKey(before.Fields, f.Key)
			v := r.values[f.Key]
			if v != nil && existed && !sameShape(old, f) {
				n, msg := convert(old, f, v, rf)
				if msg != "" {
					block("fields."+f.Key, fmt.Sprintf("字段“%s”改为%s后，行%s的值“%s”不符合：%s", f.Label, TypeLabel(f.Type), rowName(r), text(old, v, rf), msg), text(old, v, rf))
					continue
				}
				values[f.Key], changed = n, true
				v = n
			}
			if v == nil && f.Required {
				block("fields."+f.Key, fmt.Sprintf("字段“%s”设为必填后，行%s没有值", f.Label, rowName(r)), nil)
			}
		}
		if after.KeyField != "" {
			k, _ := values[after.KeyField].(string)
			if other, dup := keys[k]; dup && k != "" {
				block("key_field", fmt.Sprintf("行标识“%s”在行%s和行%s中重复", k, rowName(other), rowName(r)), k)
			}
			keys[k] = r
		}
		if changed {
			changes = append(changes, change{r, values})
		}
	}
	if blocked > 0 {
		if blocked > len(fe) {
			fe = append(fe, errs.FieldError{Field: "fields", Key: "ledger.change_blocked", Message: fmt.Sprintf("另有 %d 处不符合，未逐一列出", blocked-len(fe))})
		}
		return &errs.Error{Kind: errs.KindInvalid, Key: "ledger.change_blocked",
			Message: fmt.Sprintf("已有数据不符合新的定义（%d 处），定义未修改：%s", blocked, fe[0].Message), Fields: fe}
	}
	if after.KeyField != before.KeyField {
		if _, err := q.Exec(ctx, `UPDATE ledger_rows SET row_key = '' WHERE ledger_id = ? AND deleted_at IS NULL`, before.ID); err != nil {
			return fmt.Errorf("clear ledger row keys: %w", err)
		}
	}
	converted := map[int64]bool{}
	for _, c := range changes {
		converted[c.r.id] = true
		if err := reviseRow(ctx, q, after, c.r, c.values, at); err != nil {
			return err
		}
	}
	for _, r := range live {
		if converted[r.id] {
			continue
		}
		key, period := keyOf(after, r.values), periodOf(after, r.values, r.createdAt)
		if key == r.key && period == r.period && after.KeyField == before.KeyField {
			continue
		}
		if _, err := q.Exec(ctx, `UPDATE ledger_rows SET row_key = ?, period = ? WHERE id = ?`, key, period, r.id); err != nil {
			return rowWriteErr(err, after, key)
		}
	}
	return nil
}

// convert re-reads a stored value under a changed field; an area changing
// between m² and 亩 is converted, not relabelled.
func convert(old, f LedgerField, v any, rf *refs) (any, string) {
	if old.Type == TypeArea && f.Type == TypeArea && old.Unit != f.Unit {
		x, ok := v.(float64)
		if !ok {
			return nil, "不是面积"
		}
		const m2PerMu = 2000.0 / 3
		if f.Unit == AreaMu {
			return math.Round(x/m2PerMu*1e4) / 1e4, ""
		}
		return math.Round(x*m2PerMu*1e4) / 1e4, ""
	}
	return normalize(f, text(old, v, rf), rf)
}
