package campaign

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

var milestoneKinds = []string{"relocation_cleared", "construction_started", "completed", "opened", "delivered", "other"}

// Milestone is a dated step of an item (节点).
type Milestone struct {
	ID          int64     `json:"id"`
	ItemID      int64     `json:"item_id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind" enum:"relocation_cleared,construction_started,completed,opened,delivered,other"`
	PlannedDate date.Date `json:"planned_date"`
	ActualDate  date.Date `json:"actual_date,omitzero"`
	State       string    `json:"state" enum:"pending,done,overdue" doc:"由计划日期、实际日期与今天推算"`
	SortOrder   int       `json:"sort_order"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// MilestoneInput is what a caller may set on a milestone.
type MilestoneInput struct {
	Name        string    `json:"name" maxLength:"200"`
	Kind        string    `json:"kind,omitempty" enum:"relocation_cleared,construction_started,completed,opened,delivered,other"`
	PlannedDate date.Date `json:"planned_date"`
	ActualDate  date.Date `json:"actual_date,omitzero"`
	SortOrder   int       `json:"sort_order,omitempty"`
}

func (in *MilestoneInput) check() error {
	in.Name = strings.TrimSpace(in.Name)
	if in.Kind == "" {
		in.Kind = "other"
	}
	var c errs.Checker
	c.Check(in.Name != "", "name", "required", "节点名称不能为空", nil)
	c.Check(slices.Contains(milestoneKinds, in.Kind), "kind", "enum", "节点类型无效", in.Kind)
	c.Check(!in.PlannedDate.IsZero(), "planned_date", "required", "计划日期不能为空", nil)
	c.Check(in.ActualDate.IsZero() || !in.ActualDate.After(date.LatestToday(time.Now())), "actual_date", "date.future", "实际完成日期不能晚于今天", in.ActualDate.String())
	return c.Err()
}

// milestoneState derives the state so it can never disagree with the dates.
func milestoneState(m Milestone, today date.Date) string {
	switch {
	case !m.ActualDate.IsZero():
		return "done"
	case m.PlannedDate.Before(today):
		return "overdue"
	}
	return "pending"
}

const milestoneCols = `id, item_id, name, kind, planned_date, actual_date, sort_order, version, created_at, updated_at`

func scanMilestone(s interface{ Scan(...any) error }) (Milestone, error) {
	var m Milestone
	err := s.Scan(&m.ID, &m.ItemID, &m.Name, &m.Kind, &m.PlannedDate, &m.ActualDate, &m.SortOrder, &m.Version, &m.CreatedAt, &m.UpdatedAt)
	m.State = milestoneState(m, date.Of(time.Now()))
	return m, err
}

func getMilestone(ctx context.Context, q store.Querier, id int64) (Milestone, error) {
	m, err := scanMilestone(q.QueryRow(ctx, `SELECT `+milestoneCols+` FROM milestones WHERE id = ?`, id))
	if store.IsNoRows(err) {
		return m, errs.NotFound("节点", id)
	}
	if err != nil {
		return m, fmt.Errorf("get milestone %d: %w", id, err)
	}
	return m, nil
}

var milestoneKind = audit.Kind[Milestone]{Entity: "milestone", Label: "节点", Get: getMilestone, Version: func(m Milestone) int { return m.Version }}

// ListMilestones returns an item's milestones in planned order.
func (s *Service) ListMilestones(ctx context.Context, itemID int64) ([]Milestone, error) {
	q := s.db.Read()
	if err := checkVisible(ctx, q, itemID); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT `+milestoneCols+` FROM milestones WHERE item_id = ? ORDER BY planned_date, sort_order, id`, itemID)
	if err != nil {
		return nil, fmt.Errorf("list milestones: %w", err)
	}
	defer rows.Close()
	out := []Milestone{}
	for rows.Next() {
		m, err := scanMilestone(rows)
		if err != nil {
			return nil, fmt.Errorf("scan milestone: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// GetMilestone returns one milestone of a visible item.
func (s *Service) GetMilestone(ctx context.Context, id int64) (Milestone, error) {
	m, err := getMilestone(ctx, s.db.Read(), id)
	if err != nil {
		return m, err
	}
	return m, checkVisible(ctx, s.db.Read(), m.ItemID)
}

// CreateMilestone adds a milestone to an item.
func (s *Service) CreateMilestone(ctx context.Context, itemID int64, in MilestoneInput) (Milestone, error) {
	if err := in.check(); err != nil {
		return Milestone{}, err
	}
	if err := checkVisible(ctx, s.db.Read(), itemID); err != nil {
		return Milestone{}, err
	}
	return audit.Create(ctx, s.db, milestoneKind, func(q store.Querier) (id int64, err error) {
		now := time.Now().UTC()
		err = q.QueryRow(ctx, `INSERT INTO milestones (item_id, name, kind, planned_date, actual_date, sort_order, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, itemID, in.Name, in.Kind, in.PlannedDate, in.ActualDate, in.SortOrder, now, now).Scan(&id)
		return id, writeErr(err, "节点", in.Name)
	})
}

// UpdateMilestone changes a milestone if version is still current.
func (s *Service) UpdateMilestone(ctx context.Context, id int64, version int, in MilestoneInput) (Milestone, error) {
	if err := in.check(); err != nil {
		return Milestone{}, err
	}
	if _, err := s.GetMilestone(ctx, id); err != nil {
		return Milestone{}, err
	}
	return audit.Update(ctx, s.db, milestoneKind, id, version, func(q store.Querier, _ Milestone) error {
		_, err := q.Exec(ctx, `UPDATE milestones SET name = ?, kind = ?, planned_date = ?, actual_date = ?, sort_order = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, in.Name, in.Kind, in.PlannedDate, in.ActualDate, in.SortOrder, time.Now().UTC(), id)
		return writeErr(err, "节点", in.Name)
	})
}

// DeleteMilestone removes a milestone.
func (s *Service) DeleteMilestone(ctx context.Context, id int64, version int) error {
	if _, err := s.GetMilestone(ctx, id); err != nil {
		return err
	}
	return audit.Delete(ctx, s.db, milestoneKind, id, version, func(q store.Querier, _ Milestone) error {
		_, err := q.Exec(ctx, `DELETE FROM milestones WHERE id = ?`, id)
		return deleteErr(err, "节点", "")
	})
}
