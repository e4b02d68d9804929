package progress

import (
	"context"
	"database/sql"
	"fmt"

	"gongjian/internal/access"
	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/org"
	"gongjian/internal/store"
)

// Task is an item whose report the actor's unit owes for a period.
type Task struct {
	ItemID       int64  `json:"item_id"`
	Code         string `json:"code"`
	Name         string `json:"name"`
	Type         string `json:"type"`
	LeadUnitName string `json:"lead_unit_name"`
	Status       string `json:"status" enum:"missing,draft,submitted,accepted,returned"`
	Overdue      bool   `json:"overdue" doc:"已过截止日仍未报送"`
	Late         bool   `json:"late" doc:"报送晚于截止日"`
	ReportID     int64  `json:"report_id,omitempty"`
	Version      int    `json:"version,omitempty"`
	ReturnReason string `json:"return_reason,omitempty"`
}

// TaskList is the reporting to-do list of a period.
type TaskList struct {
	Period Period `json:"period"`
	Tasks  []Task `json:"tasks"`
}

// CurrentPeriod is the period whose report is due next: the previous period
// while its due day has not passed, else the running one.
func CurrentPeriod(cadence string, today date.Date, dueDays int) Period {
	cur := PeriodOf(cadence, today, dueDays)
	prev := PeriodOf(cadence, date.Of(cur.Start.Time().AddDate(0, 0, -1)), dueDays)
	if !today.After(prev.Due) {
		return prev
	}
	return cur
}

// Tasks lists, for the period (the current one when empty), every active
// item the actor's unit leads (the district for supervisors) with the state
// of its report.
func (s *Service) Tasks(ctx context.Context, campaignID int64, periodKey string) (TaskList, error) {
	q := s.db.Read()
	var cadence string
	var due int
	var start, end date.Date
	err := q.QueryRow(ctx, `SELECT cadence, report_due_days, start_date, end_date FROM campaigns WHERE id = ?`, campaignID).Scan(&cadence, &due, &start, &end)
	if store.IsNoRows(err) {
		return TaskList{}, errs.NotFound("攻坚年", campaignID)
	}
	if err != nil {
		return TaskList{}, fmt.Errorf("tasks campaign: %w", err)
	}
	today := date.Of(s.now())
	var p Period
	if periodKey == "" {
		if today.After(end) {
			today = end
		}
		p = CurrentPeriod(cadence, today, due)
	} else if p, err = ParsePeriod(periodKey, due); err != nil {
		return TaskList{}, err
	}
	w, err := campaign.ScopeWhere(ctx, q)
	if err != nil {
		return TaskList{}, err
	}
	if a := access.From(ctx); a != nil && a.Scope() == access.ScopeUnit {
		cond, args := org.InSubtree(`i.lead_unit_id`, a.UnitID)
		w.Add(cond, args...)
	}
	w.Add(`i.campaign_id = ?`, campaignID)
	w.Add(`i.state IN ('planned', 'in_progress')`)
	rows, err := q.Query(ctx, `SELECT i.id, i.code, i.name, i.type, u.name, r.id, r.state, r.version, r.late, r.return_reason
		FROM items i JOIN units u ON u.id = i.lead_unit_id LEFT JOIN reports r ON r.item_id = i.id AND r.period = ?`+w.SQL()+` ORDER BY i.code`,
		append([]any{p.Key}, w.Args...)...)
	if err != nil {
		return TaskList{}, fmt.Errorf("tasks: %w", err)
	}
	defer rows.Close()
	out := TaskList{Period: p, Tasks: []Task{}}
	for rows.Next() {
		var t Task
		var rid sql.NullInt64
		var state, reason sql.NullString
		var ver sql.NullInt64
		var late sql.NullBool
		if err := rows.Scan(&t.ItemID, &t.Code, &t.Name, &t.Type, &t.LeadUnitName, &rid, &state, &ver, &late, &reason); err != nil {
			return out, err
		}
		t.Status = "missing"
		if rid.Valid {
			t.ReportID, t.Status, t.Version, t.Late, t.ReturnReason = rid.Int64, state.String, int(ver.Int64), late.Bool, reason.String
		}
		t.Overdue = (t.Status == "missing" || t.Status == Draft || t.Status == Returned) && date.Of(s.now()).After(p.Due)
		out.Tasks = append(out.Tasks, t)
	}
	return out, rows.Err()
}
