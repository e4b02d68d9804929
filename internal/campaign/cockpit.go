package campaign

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/store"
)

// Figure is a count with investment sums; the numbers of the cockpit.
type Figure struct {
	Key       string  `json:"key" doc:"分组键：类型、级别、状态或战区编号"`
	Label     string  `json:"label"`
	Count     int     `json:"count"`
	TotalWan  float64 `json:"total_investment_wan"`
	AnnualWan float64 `json:"annual_investment_wan"`
}

// MilestoneRow is a milestone with the item and accountability it belongs to.
type MilestoneRow struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	PlannedDate  date.Date `json:"planned_date"`
	ActualDate   date.Date `json:"actual_date,omitzero"`
	DaysLate     int       `json:"days_late,omitempty"`
	ItemID       int64     `json:"item_id"`
	ItemCode     string    `json:"item_code"`
	ItemName     string    `json:"item_name"`
	ItemType     string    `json:"item_type"`
	LeaderName   string    `json:"leader_name"`
	LeadUnitName string    `json:"lead_unit_name"`
}

// Cockpit is the at-a-glance view of a campaign within the caller's scope.
type Cockpit struct {
	CampaignID int64     `json:"campaign_id"`
	AsOf       date.Date `json:"as_of"`
	// Top-level items by type (a programme counts once; its sub-items are in AllItems).
	ByType   []Figure `json:"by_type"`
	AllItems int      `json:"all_items" doc:"含子项目的事项总数"`
	// Key projects (top level) grouped three ways.
	KeyByZone  []Figure `json:"key_projects_by_zone"`
	KeyByLevel []Figure `json:"key_projects_by_level"`
	KeyByState []Figure `json:"key_projects_by_state"`
	// Milestones: late as of AsOf, due in the next 30 days, reached in the last 30.
	Overdue  []MilestoneRow `json:"overdue_milestones"`
	DueSoon  []MilestoneRow `json:"due_soon_milestones"`
	Recently []MilestoneRow `json:"recent_milestones"`
}

var (
	typeLabels  = map[string]string{"reform_task": "改革任务", "key_project": "重点项目", "livelihood_project": "为民实事", "special_action": "专项行动"}
	levelLabels = map[string]string{"province": "省级", "city": "市级", "district": "区级", "": "未定级"}
	stateLabels = map[string]string{"planned": "未开工", "in_progress": "推进中", "completed": "已完成", "suspended": "暂停"}
)

// Cockpit computes the cockpit of a campaign for the actor, with milestone
// states as of asOf (today when zero).
func (s *Service) Cockpit(ctx context.Context, campaignID int64, asOf date.Date) (Cockpit, error) {
	if asOf.IsZero() {
		asOf = date.Of(time.Now())
	}
	q := s.db.Read()
	if _, err := getCampaign(ctx, q, campaignID); err != nil {
		return Cockpit{}, err
	}
	out := Cockpit{CampaignID: campaignID, AsOf: asOf}
	base, err := scopeWhere(ctx, q, access.From(ctx))
	if err != nil {
		return out, err
	}
	base.Add(`i.campaign_id = ?`, campaignID)
	cutoff := asOf.Time().AddDate(0, 0, 1) // items created later did not exist yet
	base.Add(`i.created_at < ?`, cutoff)

	top := base.With(`i.parent_id IS NULL`)
	if out.ByType, err = figures(ctx, q, `i.type`, ``, top, typeLabels); err != nil {
		return out, err
	}
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM items i`+base.SQL(), base.Args...).Scan(&out.AllItems); err != nil {
		return out, fmt.Errorf("count items: %w", err)
	}
	key := top.With(`i.type = 'key_project'`)
	if out.KeyByLevel, err = figures(ctx, q, `i.level`, ``, key, levelLabels); err != nil {
		return out, err
	}
	if out.KeyByState, err = figures(ctx, q, `i.state`, ``, key, stateLabels); err != nil {
		return out, err
	}
	if out.KeyByZone, err = figures(ctx, q, `COALESCE(i.zone_id, 0)`, `COALESCE(z.name, '未划入战区')`, key, nil); err != nil {
		return out, err
	}
	// A milestone counts as reached on asOf only if it was reached by then and
	// on record by the end of that day, so past views replay history.
	notReached := `NOT (m.actual_date IS NOT NULL AND m.actual_date <= ? AND COALESCE(m.actual_recorded_at, m.created_at) < ?)`
	late := base.With(`m.planned_date < ? AND `+notReached, asOf, asOf, cutoff)
	if out.Overdue, err = milestoneRows(ctx, q, late, `m.planned_date`, asOf); err != nil {
		return out, err
	}
	soon := base.With(`m.planned_date >= ? AND m.planned_date <= ? AND `+notReached,
		asOf, date.Of(asOf.Time().AddDate(0, 0, 30)), asOf, cutoff)
	if out.DueSoon, err = milestoneRows(ctx, q, soon, `m.planned_date`, asOf); err != nil {
		return out, err
	}
	recent := base.With(`m.actual_date <= ? AND m.actual_date > ? AND COALESCE(m.actual_recorded_at, m.created_at) < ?`,
		asOf, date.Of(asOf.Time().AddDate(0, 0, -30)), cutoff)
	if out.Recently, err = milestoneRows(ctx, q, recent, `m.actual_date DESC`, date.Date{}); err != nil {
		return out, err
	}
	return out, nil
}

// figures groups the items matching w by the SQL expression group; label is
// an SQL expression for the label, or "" to look the key up in labels.
func figures(ctx context.Context, q store.Querier, group, label string, w store.Where, labels map[string]string) ([]Figure, error) {
	sel := group
	if label != "" {
		sel += ", " + label
	} else {
		sel += ", ''"
	}
	groupBy := group
	if label != "" {
		groupBy += ", " + label
	}
	rows, err := q.Query(ctx, `SELECT `+sel+`, COUNT(*), COALESCE(SUM(i.total_investment), 0), COALESCE(SUM(i.annual_investment), 0)
		FROM items i LEFT JOIN zones z ON z.id = i.zone_id`+w.SQL()+` GROUP BY `+groupBy+` ORDER BY 4 DESC, 1`, w.Args...)
	if err != nil {
		return nil, fmt.Errorf("cockpit figures: %w", err)
	}
	defer rows.Close()
	out := []Figure{}
	for rows.Next() {
		var f Figure
		var key any
		var total, annual int64
		if err := rows.Scan(&key, &f.Label, &f.Count, &total, &annual); err != nil {
			return nil, fmt.Errorf("scan figure: %w", err)
		}
		f.Key = fmt.Sprint(key)
		if b, ok := key.([]byte); ok {
			f.Key = string(b)
		}
		if labels != nil {
			f.Label = labels[f.Key]
		}
		f.TotalWan, f.AnnualWan = yuanToWan(total), yuanToWan(annual)
		out = append(out, f)
	}
	return out, rows.Err()
}

// milestoneRows lists up to 200 milestones of visible items matching w.
func milestoneRows(ctx context.Context, q store.Querier, w store.Where, order string, asOf date.Date) ([]MilestoneRow, error) {
	from := `FROM milestones m JOIN items i ON i.id = m.item_id`
	if q.Engine() == store.Postgres {
		// PostgreSQL hash-joins by scanning every campaign's milestones (a
		// city's 150,000 for one district's 10,000); walking this campaign's
		// items through milestones_item keeps the cost to its own. OFFSET 0
		// stops the planner from flattening the subquery back into a join.
		from = `FROM items i CROSS JOIN LATERAL (SELECT * FROM milestones lm WHERE lm.item_id = i.id OFFSET 0) m`
	}
	rows, err := q.Query(ctx, `SELECT m.id, m.name, m.planned_date, m.actual_date, i.id, i.code, i.name, i.type, p.name, u.name
		`+from+` JOIN persons p ON p.id = i.leader_id JOIN units u ON u.id = i.lead_unit_id`+
		w.SQL()+` ORDER BY `+order+`, m.id LIMIT 200`, w.Args...)
	if err != nil {
		return nil, fmt.Errorf("cockpit milestones: %w", err)
	}
	defer rows.Close()
	out := []MilestoneRow{}
	for rows.Next() {
		var m MilestoneRow
		if err := rows.Scan(&m.ID, &m.Name, &m.PlannedDate, &m.ActualDate, &m.ItemID, &m.ItemCode, &m.ItemName, &m.ItemType,
			&m.LeaderName, &m.LeadUnitName); err != nil {
			return nil, fmt.Errorf("scan milestone row: %w", err)
		}
		if !asOf.IsZero() && m.PlannedDate.Before(asOf) {
			m.DaysLate = int(asOf.Time().Sub(m.PlannedDate.Time()).Hours() / 24)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
