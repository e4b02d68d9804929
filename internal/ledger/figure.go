package ledger

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// snap is a row as it stood at a moment.
type snap struct {
	values map[string]any
	period string
}

// snapshot loads the rows of a ledger as they stood just before cutoff, or
// as they stand now when cutoff is zero: the revision of each row valid then.
func snapshot(ctx context.Context, q store.Querier, l Ledger, cutoff time.Time) ([]snap, error) {
	query := `SELECT values_json, period FROM ledger_row_revisions WHERE ledger_id = ? AND deleted = FALSE AND valid_to IS NULL`
	args := []any{l.ID}
	if !cutoff.IsZero() {
		query = `SELECT values_json, period FROM ledger_row_revisions WHERE ledger_id = ? AND deleted = FALSE AND valid_from < ?
			AND (valid_to IS NULL OR valid_to >= ?)`
		args = append(args, cutoff, cutoff)
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("ledger snapshot: %w", err)
	}
	defer rows.Close()
	var out []snap
	for rows.Next() {
		var vj string
		var s snap
		if err := rows.Scan(&vj, &s.period); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(vj), &s.values); err != nil {
			return nil, fmt.Errorf("ledger snapshot values: %w", err)
		}
		// The period follows the definition in force now, so a date field
		// chosen later groups the history too.
		if l.DateField != "" {
			if d, ok := s.values[l.DateField].(string); ok && len(d) >= 7 {
				s.period = d[:7]
			}
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// cutoffOf is the end of the as-of day, or zero for "now".
func cutoffOf(asOf date.Date) time.Time {
	if asOf.IsZero() {
		return time.Time{}
	}
	return asOf.Time().AddDate(0, 0, 1)
}

// FigureFilter selects the rows a figure counts and how it groups them.
type FigureFilter struct {
	AsOf       date.Date // zero: now
	GroupBy    string    // a choice, unit, zone, item or enterprise field; "period" (month) or "year"
	PeriodFrom string    // YYYY-MM
	PeriodTo   string
	Equals     map[string]string
}

// FigureSum is the total of a summed field.
type FigureSum struct {
	Key   string  `json:"key"`
	Label string  `json:"label"`
	Unit  string  `json:"unit"`
	Value float64 `json:"value"`
}

// FigureGroup is the count and sums of the rows sharing one value.
type FigureGroup struct {
	Key   string             `json:"key"`
	Label string             `json:"label"`
	Count int                `json:"count"`
	Sums  map[string]float64 `json:"sums"`
}

// FigureBreakdown is the rows counted by one counted field.
type FigureBreakdown struct {
	Field  string        `json:"field"`
	Label  string        `json:"label"`
	Groups []FigureGroup `json:"groups"`
}

// LedgerFigures are a ledger's count and sums, grouped as asked, and a breakdown
// by every counted field.
type LedgerFigures struct {
	LedgerID   int64             `json:"ledger_id"`
	AsOf       *date.Date        `json:"as_of" doc:"查看日期；为空表示当前"`
	Count      int               `json:"count"`
	Sums       []FigureSum       `json:"sums"`
	GroupBy    string            `json:"group_by,omitempty"`
	Groups     []FigureGroup     `json:"groups"`
	Breakdowns []FigureBreakdown `json:"breakdowns"`
}

// LedgerFigures counts and sums a ledger's rows as they stood at f.AsOf.
func (s *Service) Figures(ctx context.Context, ledgerID int64, f FigureFilter) (LedgerFigures, error) {
	q := s.db.Read()
	l, err := getLedger(ctx, q, ledgerID)
	if err != nil {
		return LedgerFigures{}, err
	}
	var fe []errs.FieldError
	for k := range f.Equals {
		if _, ok := fieldByKey(l.Fields, k); !ok {
			fe = append(fe, errs.FieldError{Field: "filter", Key: "ledger.unknown_field", Message: fmt.Sprintf("台账没有字段 %q", k), Value: k})
		}
	}
	var groupField LedgerField
	switch f.GroupBy {
	case "", "period", "year":
	default:
		gf, ok := fieldByKey(l.Fields, f.GroupBy)
		if !ok || !gf.Groupable() {
			fe = append(fe, errs.FieldError{Field: "group_by", Key: "ledger.group_by", Value: f.GroupBy,
				Message: fmt.Sprintf("不能按 %q 分组：应为 period、year 或选项、单位、战区、事项、企业字段", f.GroupBy)})
		}
		groupField = gf
	}
	if err := errs.Invalid(fe); err != nil {
		return LedgerFigures{}, err
	}
	rf, err := loadRefs(ctx, q, l.Fields)
	if err != nil {
		return LedgerFigures{}, err
	}
	snaps, err := snapshot(ctx, q, l, cutoffOf(f.AsOf))
	if err != nil {
		return LedgerFigures{}, err
	}
	var rows []snap
	for _, sn := range snaps {
		if (f.PeriodFrom != "" && sn.period < f.PeriodFrom) || (f.PeriodTo != "" && sn.period > f.PeriodTo) {
			continue
		}
		if matches(l, sn.values, f.Equals, rf) {
			rows = append(rows, sn)
		}
	}
	out := LedgerFigures{LedgerID: l.ID, Count: len(rows), Sums: []FigureSum{}, GroupBy: f.GroupBy, Groups: []FigureGroup{}, Breakdowns: []FigureBreakdown{}}
	if !f.AsOf.IsZero() {
		d := f.AsOf
		out.AsOf = &d
	}
	summed := summedFields(l)
	totals := sums(summed, rows)
	for _, sf := range summed {
		out.Sums = append(out.Sums, FigureSum{Key: sf.Key, Label: sf.Label, Unit: sf.UnitLabel(), Value: totals[sf.Key]})
	}
	switch f.GroupBy {
	case "":
	case "period", "year":
		n := 7
		if f.GroupBy == "year" {
			n = 4
		}
		out.Groups = group(rows, summed, func(sn snap) (string, string) {
			p := sn.period
			if len(p) >= n {
				p = p[:n]
			}
			return p, p
		}, nil, true)
	default:
		out.Groups = groupByField(groupField, rows, summed, rf)
	}
	for _, cf := range Active(l.Fields) {
		if cf.Counted {
			out.Breakdowns = append(out.Breakdowns, FigureBreakdown{Field: cf.Key, Label: cf.Label, Groups: groupByField(cf, rows, summed, rf)})
		}
	}
	return out, nil
}

func summedFields(l Ledger) []LedgerField {
	var out []LedgerField
	for _, f := range Active(l.Fields) {
		if f.Summed {
			out = append(out, f)
		}
	}
	return out
}

// sums adds the summed fields exactly (as scaled integers).
func sums(summed []LedgerField, rows []snap) map[string]float64 {
	out := map[string]float64{}
	for _, f := range summed {
		var t int64
		for _, r := range rows {
			if v, ok := scaled(f, r.values[f.Key]); ok {
				t += v
			}
		}
		out[f.Key] = unscale(f, t)
	}
	return out
}

func groupByField(f LedgerField, rows []snap, summed []LedgerField, rf *refs) []FigureGroup {
	return group(rows, summed, func(sn snap) (string, string) {
		v := sn.values[f.Key]
		k := groupKey(v)
		if l := rf.label(f, v); l != "" {
			return k, l
		}
		if k == "" {
			return "", "（未填）"
		}
		return k, k
	}, f.Options, false)
}

// group counts and sums rows by key; known keys (a choice's options) come
// first in their order, even when no row has them, then the others by count
// (or by key, for periods).
func group(rows []snap, summed []LedgerField, keyOf func(snap) (string, string), known []string, inKeyOrder bool) []FigureGroup {
	byKey := map[string][]snap{}
	labels := map[string]string{}
	for _, r := range rows {
		k, lbl := keyOf(r)
		byKey[k] = append(byKey[k], r)
		labels[k] = lbl
	}
	var out []FigureGroup
	for _, k := range known {
		out = append(out, FigureGroup{Key: k, Label: k, Count: len(byKey[k]), Sums: sums(summed, byKey[k])})
		delete(byKey, k)
	}
	var rest []FigureGroup
	for k, rs := range byKey {
		rest = append(rest, FigureGroup{Key: k, Label: labels[k], Count: len(rs), Sums: sums(summed, rs)})
	}
	slices.SortFunc(rest, func(a, b FigureGroup) int {
		if inKeyOrder {
			return cmp.Compare(a.Key, b.Key)
		}
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Label, b.Label)
	})
	if out == nil {
		out = []FigureGroup{}
	}
	return append(out, rest...)
}

// round2 keeps a share to two decimals.
func round2(v float64) float64 { return math.Round(v*100) / 100 }
