package campaign

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Target is a quantity with a unit and a deadline (目标), e.g. 13 old
// communities finished by 2022-11-30.
type Target struct {
	ID        int64     `json:"id"`
	ItemID    int64     `json:"item_id"`
	Name      string    `json:"name"`
	Unit      string    `json:"unit"`
	Baseline  float64   `json:"baseline"`
	Value     float64   `json:"value" doc:"目标值"`
	Deadline  date.Date `json:"deadline"`
	Direction string    `json:"direction" enum:"higher,lower" doc:"higher：越大越好；lower：越小越好"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TargetInput is what a caller may set on a target.
type TargetInput struct {
	Name      string    `json:"name" maxLength:"200"`
	Unit      string    `json:"unit,omitempty" maxLength:"40"`
	Baseline  float64   `json:"baseline,omitempty"`
	Value     float64   `json:"value"`
	Deadline  date.Date `json:"deadline"`
	Direction string    `json:"direction,omitempty" enum:"higher,lower"`
}

func (in *TargetInput) check() error {
	in.Name, in.Unit = strings.TrimSpace(in.Name), strings.TrimSpace(in.Unit)
	if in.Direction == "" {
		in.Direction = "higher"
	}
	var c errs.Checker
	c.Check(in.Name != "", "name", "required", "目标名称不能为空", nil)
	c.Check(!in.Deadline.IsZero(), "deadline", "required", "目标期限不能为空", nil)
	c.Check(in.Direction == "higher" || in.Direction == "lower", "direction", "enum", "方向应为 higher（越大越好）或 lower（越小越好）", in.Direction)
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && math.Abs(v) < 1e15 }
	c.Check(finite(in.Value), "value", "number.invalid", "目标值无效", in.Value)
	c.Check(finite(in.Baseline), "baseline", "number.invalid", "基数无效", in.Baseline)
	if in.Direction == "higher" {
		c.Check(in.Value > in.Baseline, "value", "target.not_above_baseline", "越大越好的目标值应大于基数", in.Value)
	} else {
		c.Check(in.Value < in.Baseline, "value", "target.not_below_baseline", "越小越好的目标值应小于基数", in.Value)
	}
	return c.Err()
}

const targetCols = `id, item_id, name, unit, baseline, target_value, deadline, direction, version, created_at, updated_at`

func scanTarget(s interface{ Scan(...any) error }) (Target, error) {
	var t Target
	err := s.Scan(&t.ID, &t.ItemID, &t.Name, &t.Unit, &t.Baseline, &t.Value, &t.Deadline, &t.Direction, &t.Version, &t.CreatedAt, &t.UpdatedAt)
	return t, err
}

func getTarget(ctx context.Context, q store.Querier, id int64) (Target, error) {
	t, err := scanTarget(q.QueryRow(ctx, `SELECT `+targetCols+` FROM targets WHERE id = ?`, id))
	if store.IsNoRows(err) {
		return t, errs.NotFound("目标", id)
	}
	if err != nil {
		return t, fmt.Errorf("get target %d: %w", id, err)
	}
	return t, nil
}

var targetKind = audit.Kind[Target]{Entity: "target", Label: "目标", Get: getTarget, Version: func(t Target) int { return t.Version }}

// ListTargets returns an item's targets.
func (s *Service) ListTargets(ctx context.Context, itemID int64) ([]Target, error) {
	q := s.db.Read()
	if err := checkVisible(ctx, q, itemID); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT `+targetCols+` FROM targets WHERE item_id = ? ORDER BY deadline, id`, itemID)
	if err != nil {
		return nil, fmt.Errorf("list targets: %w", err)
	}
	defer rows.Close()
	out := []Target{}
	for rows.Next() {
		t, err := scanTarget(rows)
		if err != nil {
			return nil, fmt.Errorf("scan target: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// GetTarget returns one target of a visible item.
func (s *Service) GetTarget(ctx context.Context, id int64) (Target, error) {
	t, err := getTarget(ctx, s.db.Read(), id)
	if err != nil {
		return t, err
	}
	return t, checkVisible(ctx, s.db.Read(), t.ItemID)
}

// CreateTarget adds a target to an item.
func (s *Service) CreateTarget(ctx context.Context, itemID int64, in TargetInput) (Target, error) {
	if err := in.check(); err != nil {
		return Target{}, err
	}
	if err := checkVisible(ctx, s.db.Read(), itemID); err != nil {
		return Target{}, err
	}
	return audit.Create(ctx, s.db, targetKind, func(q store.Querier) (id int64, err error) {
		now := time.Now().UTC()
		err = q.QueryRow(ctx, `INSERT INTO targets (item_id, name, unit, baseline, target_value, deadline, direction, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, itemID, in.Name, in.Unit, in.Baseline, in.Value, in.Deadline, in.Direction, now, now).Scan(&id)
		return id, writeErr(err, "目标", in.Name)
	})
}

// UpdateTarget changes a target if version is still current.
func (s *Service) UpdateTarget(ctx context.Context, id int64, version int, in TargetInput) (Target, error) {
	if err := in.check(); err != nil {
		return Target{}, err
	}
	if _, err := s.GetTarget(ctx, id); err != nil {
		return Target{}, err
	}
	return audit.Update(ctx, s.db, targetKind, id, version, func(q store.Querier, _ Target) error {
		_, err := q.Exec(ctx, `UPDATE targets SET name = ?, unit = ?, baseline = ?, target_value = ?, deadline = ?, direction = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, in.Name, in.Unit, in.Baseline, in.Value, in.Deadline, in.Direction, time.Now().UTC(), id)
		return writeErr(err, "目标", in.Name)
	})
}

// DeleteTarget removes a target.
func (s *Service) DeleteTarget(ctx context.Context, id int64, version int) error {
	if _, err := s.GetTarget(ctx, id); err != nil {
		return err
	}
	return audit.Delete(ctx, s.db, targetKind, id, version, func(q store.Querier, _ Target) error {
		_, err := q.Exec(ctx, `DELETE FROM targets WHERE id = ?`, id)
		return deleteErr(err, "目标", "")
	})
}
