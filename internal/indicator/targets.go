package indicator

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Target kinds: the district's own annual target, and the city's guidance target (市级引导性目标).
const (
	TargetDistrict = "district"
	TargetGuidance = "city_guidance"
)

// Target is an annual target of an indicator: a value to reach by year end
// (measure value, e.g. 100亿元) or a growth rate (measure growth, e.g. 12%).
type AnnualTarget struct {
	ID            int64     `json:"id"`
	IndicatorID   int64     `json:"indicator_id"`
	IndicatorCode string    `json:"indicator_code"`
	Year          int       `json:"year"`
	Kind          string    `json:"kind" enum:"district,city_guidance" doc:"district：本区年度目标；city_guidance：市级引导性目标"`
	Measure       string    `json:"measure" enum:"value,growth" doc:"value：全年总量；growth：全年增速（%）"`
	Value         float64   `json:"value"`
	Note          string    `json:"note"`
	Version       int       `json:"version"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// AnnualTargetInput sets one annual target; setting it again replaces it (audited).
type AnnualTargetInput struct {
	Indicator string  `json:"indicator" minLength:"1" maxLength:"100" doc:"指标代码或名称"`
	Year      int     `json:"year" minimum:"2000" maximum:"2200"`
	Kind      string  `json:"kind" enum:"district,city_guidance"`
	Measure   string  `json:"measure" enum:"value,growth"`
	Value     float64 `json:"value"`
	Note      string  `json:"note,omitempty" maxLength:"500"`
}

const targetSelect = `SELECT t.id, t.indicator_id, i.code, t.year, t.kind, t.measure, t.value_e4, t.note, t.version, t.updated_at
	FROM indicator_targets t JOIN indicators i ON i.id = t.indicator_id`

func scanTarget(s interface{ Scan(...any) error }) (AnnualTarget, error) {
	var t AnnualTarget
	var v E4
	err := s.Scan(&t.ID, &t.IndicatorID, &t.IndicatorCode, &t.Year, &t.Kind, &t.Measure, &v, &t.Note, &t.Version, &t.UpdatedAt)
	t.Value = FromE4(v)
	return t, err
}

func getTarget(ctx context.Context, q store.Querier, id int64) (AnnualTarget, error) {
	t, err := scanTarget(q.QueryRow(ctx, targetSelect+` WHERE t.id = ?`, id))
	if store.IsNoRows(err) {
		return t, errs.NotFound("指标目标", id)
	}
	if err != nil {
		return t, fmt.Errorf("get target %d: %w", id, err)
	}
	return t, nil
}

func listTargets(ctx context.Context, q store.Querier, year int) ([]AnnualTarget, error) {
	rows, err := q.Query(ctx, targetSelect+` WHERE t.year = ? ORDER BY i.sort_order, i.code, t.kind`, year)
	if err != nil {
		return nil, fmt.Errorf("list targets: %w", err)
	}
	defer rows.Close()
	out := []AnnualTarget{}
	for rows.Next() {
		t, err := scanTarget(rows)
		if err != nil {
			return nil, fmt.Errorf("scan target: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Targets lists the targets of a year.
func (s *Service) Targets(ctx context.Context, year int) ([]AnnualTarget, error) {
	if err := need(ctx, access.IndicatorRead); err != nil {
		return nil, err
	}
	return listTargets(ctx, s.db.Read(), year)
}

// SetTarget creates or replaces an annual target; an equal one changes nothing.
func (s *Service) SetTarget(ctx context.Context, in AnnualTargetInput) (AnnualTarget, error) {
	if err := need(ctx, access.IndicatorWrite); err != nil {
		return AnnualTarget{}, err
	}
	var c errs.Checker
	c.Check(slices.Contains([]string{TargetDistrict, TargetGuidance}, in.Kind), "kind", "target.kind_invalid", "目标类别应为 district（本区目标）或 city_guidance（市级引导性目标）", in.Kind)
	c.Check(slices.Contains([]string{"value", "growth"}, in.Measure), "measure", "target.measure_invalid", "目标口径应为 value（总量）或 growth（增速）", in.Measure)
	c.Check(in.Year >= 2000 && in.Year <= 2200, "year", "target.year_invalid", "年度无效", in.Year)
	if err := c.Err(); err != nil {
		return AnnualTarget{}, err
	}
	var out AnnualTarget
	err := s.db.Tx(ctx, func(q store.Querier) error {
		l, _, _, err := loadLookup(ctx, q)
		if err != nil {
			return err
		}
		x, ok := l.inds[norm(in.Indicator)]
		if !ok {
			return errs.Invalid([]errs.FieldError{{Field: "indicator", Key: "indicator.unknown", Message: "没有指标“" + in.Indicator + "”", Value: in.Indicator}})
		}
		now := s.now().UTC()
		var id int64
		err = q.QueryRow(ctx, `SELECT id FROM indicator_targets WHERE indicator_id = ? AND year = ? AND kind = ?`, x.ID, in.Year, in.Kind).Scan(&id)
		if store.IsNoRows(err) {
			if err := q.QueryRow(ctx, `INSERT INTO indicator_targets (indicator_id, year, kind, measure, value_e4, note, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, x.ID, in.Year, in.Kind, in.Measure, ToE4(in.Value), in.Note, now, now).Scan(&id); err != nil {
				return fmt.Errorf("insert target: %w", err)
			}
			if out, err = getTarget(ctx, q, id); err != nil {
				return err
			}
			return audit.Write(ctx, q, audit.Entry{Action: "create", Entity: "indicator_target", EntityID: id, After: out})
		}
		if err != nil {
			return fmt.Errorf("find target: %w", err)
		}
		before, err := getTarget(ctx, q, id)
		if err != nil {
			return err
		}
		if before.Measure == in.Measure && ToE4(before.Value) == ToE4(in.Value) && before.Note == in.Note {
			out = before
			return nil
		}
		if _, err := q.Exec(ctx, `UPDATE indicator_targets SET measure = ?, value_e4 = ?, note = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			in.Measure, ToE4(in.Value), in.Note, now, id); err != nil {
			return fmt.Errorf("update target: %w", err)
		}
		if out, err = getTarget(ctx, q, id); err != nil {
			return err
		}
		return audit.Write(ctx, q, audit.Entry{Action: "update", Entity: "indicator_target", EntityID: id, Before: before, After: out})
	})
	return out, err
}
