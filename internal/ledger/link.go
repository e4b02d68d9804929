package ledger

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// TargetLink makes a ledger figure the actual of an item's target, so progress
// updates itself as rows are added: a count of rows, a sum of a field, or
// the share (in %) of rows with FilterField = FilterValue.
type TargetLink struct {
	ID          int64     `json:"id"`
	LedgerID    int64     `json:"ledger_id"`
	LedgerName  string    `json:"ledger_name"`
	TargetID    int64     `json:"target_id"`
	TargetName  string    `json:"target_name"`
	TargetUnit  string    `json:"target_unit"`
	TargetValue float64   `json:"target_value"`
	Baseline    float64   `json:"baseline"`
	Deadline    date.Date `json:"deadline"`
	ItemID      int64     `json:"item_id"`
	ItemCode    string    `json:"item_code"`
	ItemName    string    `json:"item_name"`
	Measure     string    `json:"measure" enum:"count,sum,share" doc:"count：行数；sum：字段合计；share：符合筛选条件的行占比（%）"`
	Field       string    `json:"field" doc:"sum 的求和字段"`
	FilterField string    `json:"filter_field" doc:"筛选字段：count、sum 只计符合的行；share 为分子"`
	FilterValue string    `json:"filter_value"`
	Actual      float64   `json:"actual" doc:"查看日的台账数字，即目标的实际值"`
	Completion  *float64  `json:"completion" doc:"完成率（0–1）"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
}

// TargetLinkInput links a target to a figure of the ledger.
type TargetLinkInput struct {
	TargetID    int64  `json:"target_id" minimum:"1"`
	Measure     string `json:"measure" enum:"count,sum,share"`
	Field       string `json:"field,omitempty" maxLength:"40"`
	FilterField string `json:"filter_field,omitempty" maxLength:"40"`
	FilterValue string `json:"filter_value,omitempty" maxLength:"200"`
}

func (in *TargetLinkInput) check(l Ledger) error {
	in.Field, in.FilterField, in.FilterValue = strings.TrimSpace(in.Field), strings.TrimSpace(in.FilterField), strings.TrimSpace(in.FilterValue)
	var c errs.Checker
	c.Check(in.TargetID > 0, "target_id", "required", "请选择目标", nil)
	switch in.Measure {
	case "count", "share":
		in.Field = ""
	case "sum":
		f, ok := fieldByKey(Active(l.Fields), in.Field)
		c.Check(ok && f.Numeric(), "field", "ledger.sum_field", fmt.Sprintf("求和字段 %q 应为台账的数量、金额或面积字段", in.Field), in.Field)
	default:
		c.Add("measure", "enum", "口径应为 count（行数）、sum（合计）或 share（占比）", in.Measure)
	}
	if in.FilterField != "" {
		f, ok := fieldByKey(Active(l.Fields), in.FilterField)
		switch {
		case !ok:
			c.Add("filter_field", "ledger.unknown_field", fmt.Sprintf("台账没有字段 %q", in.FilterField), in.FilterField)
		case f.Type == TypeChoice && !containsStr(f.Options, in.FilterValue):
			c.Add("filter_value", "ledger.value_invalid", fmt.Sprintf("%q 不是“%s”的可选值，可选：%s", in.FilterValue, f.Label, strings.Join(f.Options, "、")), in.FilterValue)
		}
	}
	c.Check(in.Measure != "share" || in.FilterField != "", "filter_field", "required", "占比口径须指定筛选字段和值（如 状态 = 已盘活）", nil)
	return c.Err()
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

const linkSelect = `SELECT k.id, k.ledger_id, l.name, k.target_id, t.name, t.unit, t.target_value, t.baseline, t.deadline, i.id, i.code, i.name,
	k.measure, k.field, k.filter_field, k.filter_value, k.version, k.created_at
	FROM ledger_target_links k JOIN ledgers l ON l.id = k.ledger_id JOIN targets t ON t.id = k.target_id JOIN items i ON i.id = t.item_id`

func scanLink(s interface{ Scan(...any) error }) (TargetLink, error) {
	var k TargetLink
	err := s.Scan(&k.ID, &k.LedgerID, &k.LedgerName, &k.TargetID, &k.TargetName, &k.TargetUnit, &k.TargetValue, &k.Baseline, &k.Deadline,
		&k.ItemID, &k.ItemCode, &k.ItemName, &k.Measure, &k.Field, &k.FilterField, &k.FilterValue, &k.Version, &k.CreatedAt)
	return k, err
}

func getLink(ctx context.Context, q store.Querier, id int64) (TargetLink, error) {
	k, err := scanLink(q.QueryRow(ctx, linkSelect+` WHERE k.id = ?`, id))
	if store.IsNoRows(err) {
		return k, errs.NotFound("目标关联", id)
	}
	if err != nil {
		return k, fmt.Errorf("get ledger link %d: %w", id, err)
	}
	return k, nil
}

var linkKind = audit.Kind[TargetLink]{Entity: "ledger_target_link", Label: "目标关联", Get: getLink, Version: func(k TargetLink) int { return k.Version }}

// measure computes a link's figure over rows.
func measure(l Ledger, k TargetLink, rows []snap) float64 {
	f, _ := fieldByKey(l.Fields, k.FilterField)
	hit := func(r snap) bool {
		return k.FilterField == "" || groupKey(r.values[k.FilterField]) == k.FilterValue || text(f, r.values[k.FilterField], nil) == k.FilterValue
	}
	var n int
	var picked []snap
	for _, r := range rows {
		if hit(r) {
			n++
			picked = append(picked, r)
		}
	}
	switch k.Measure {
	case "share":
		if len(rows) == 0 {
			return 0
		}
		return round2(100 * float64(n) / float64(len(rows)))
	case "sum":
		sf, ok := fieldByKey(l.Fields, k.Field)
		if !ok {
			return 0
		}
		return sums([]LedgerField{sf}, picked)[sf.Key]
	}
	return float64(n)
}

// ListLinks returns the targets linked to a ledger, with the figure as of asOf (zero: now).
func (s *Service) ListLinks(ctx context.Context, ledgerID int64, asOf date.Date) ([]TargetLink, error) {
	q := s.db.Read()
	l, err := getLedger(ctx, q, ledgerID)
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, linkSelect+` WHERE k.ledger_id = ? ORDER BY k.id`, ledgerID)
	if err != nil {
		return nil, fmt.Errorf("list ledger links: %w", err)
	}
	var out []TargetLink
	for rows.Next() {
		k, err := scanLink(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return []TargetLink{}, nil
	}
	snaps, err := snapshot(ctx, q, l, cutoffOf(asOf))
	if err != nil {
		return nil, err
	}
	for i := range out {
		fill(l, &out[i], snaps)
	}
	return out, nil
}

func fill(l Ledger, k *TargetLink, snaps []snap) {
	k.Actual = measure(l, *k, snaps)
	if k.TargetValue != k.Baseline {
		c := (k.Actual - k.Baseline) / (k.TargetValue - k.Baseline)
		k.Completion = &c
	}
}

// CreateLink links an item's target to a figure of the ledger; a target
// has at most one link.
func (s *Service) CreateLink(ctx context.Context, ledgerID int64, in TargetLinkInput) (TargetLink, error) {
	q := s.db.Read()
	l, err := getLedger(ctx, q, ledgerID)
	if err != nil {
		return TargetLink{}, err
	}
	if err := in.check(l); err != nil {
		return TargetLink{}, err
	}
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM targets WHERE id = ?`, in.TargetID).Scan(&n); err != nil {
		return TargetLink{}, fmt.Errorf("link target: %w", err)
	}
	if n == 0 {
		return TargetLink{}, errs.Invalid([]errs.FieldError{{Field: "target_id", Key: "reference.missing", Message: fmt.Sprintf("目标 %d 不存在", in.TargetID), Value: in.TargetID}})
	}
	k, err := audit.Create(ctx, s.db, linkKind, func(q store.Querier) (id int64, err error) {
		now := s.now().UTC()
		err = q.QueryRow(ctx, `INSERT INTO ledger_target_links (ledger_id, target_id, measure, field, filter_field, filter_value, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, ledgerID, in.TargetID, in.Measure, in.Field, in.FilterField, in.FilterValue, now, now).Scan(&id)
		if store.IsUnique(err) {
			return 0, &errs.Error{Kind: errs.KindConflict, Key: "ledger.target_linked", Message: "该目标已关联台账数字，请先解除原关联",
				Fields: []errs.FieldError{{Field: "target_id", Key: "duplicate", Message: "该目标已关联台账数字", Value: in.TargetID}}}
		}
		return id, err
	})
	if err != nil {
		return k, err
	}
	snaps, err := snapshot(ctx, s.db.Read(), l, time.Time{})
	if err != nil {
		return k, err
	}
	fill(l, &k, snaps)
	return k, nil
}

// DeleteLink unlinks a target; its actual comes from reports again.
func (s *Service) DeleteLink(ctx context.Context, id int64, version int) error {
	return audit.Delete(ctx, s.db, linkKind, id, version, func(q store.Querier, _ TargetLink) error {
		_, err := q.Exec(ctx, `DELETE FROM ledger_target_links WHERE id = ?`, id)
		return err
	})
}

// Actual is a linked target's figure at a moment.
type Actual struct {
	Value    float64   `json:"value"`
	LedgerID int64     `json:"ledger_id"`
	At       time.Time `json:"at" doc:"台账最近一次变动的时间"`
}

// TargetActuals returns, for those of targetIDs that are linked to a ledger,
// the ledger figure as it stood just before cutoff (zero: now), with the time
// of the ledger's last change before it. Progress reads it so that a linked
// target shows the ledger figure as its current actual, in the item page and
// in the lights. Targets that are not linked are absent from the map.
func TargetActuals(ctx context.Context, q store.Querier, targetIDs []int64, cutoff time.Time) (map[int64]Actual, error) {
	out := map[int64]Actual{}
	if len(targetIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(targetIDs))
	for i, id := range targetIDs {
		args[i] = id
	}
	rows, err := q.Query(ctx, linkSelect+` WHERE k.target_id IN (`+store.Placeholders(len(args))+`) ORDER BY k.ledger_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("linked targets: %w", err)
	}
	byLedger := map[int64][]TargetLink{}
	for rows.Next() {
		k, err := scanLink(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		byLedger[k.LedgerID] = append(byLedger[k.LedgerID], k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for ledgerID, links := range byLedger {
		l, err := getLedger(ctx, q, ledgerID)
		if err != nil {
			return nil, err
		}
		snaps, err := snapshot(ctx, q, l, cutoff)
		if err != nil {
			return nil, err
		}
		at, err := lastChange(ctx, q, ledgerID, cutoff)
		if err != nil {
			return nil, err
		}
		for _, k := range links {
			if at.IsZero() {
				continue // nothing recorded yet: no actual
			}
			out[k.TargetID] = Actual{Value: measure(l, k, snaps), LedgerID: ledgerID, At: at}
		}
	}
	return out, nil
}

// lastChange is when the ledger's rows last changed before cutoff (zero: ever).
func lastChange(ctx context.Context, q store.Querier, ledgerID int64, cutoff time.Time) (time.Time, error) {
	query, args := `SELECT valid_from FROM ledger_row_revisions WHERE ledger_id = ?`, []any{ledgerID}
	if !cutoff.IsZero() {
		query += ` AND valid_from < ?`
		args = append(args, cutoff)
	}
	var at time.Time
	err := q.QueryRow(ctx, query+` ORDER BY valid_from DESC LIMIT 1`, args...).Scan(&at)
	if store.IsNoRows(err) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("ledger last change: %w", err)
	}
	return at, nil
}
