package progress

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Service reads and changes reports, and computes trajectories and lights.
type Service struct {
	db  *store.DB
	now func() time.Time
}

// New returns a Service on db.
func New(db *store.DB) *Service { return &Service{db: db, now: time.Now} }

// WithClock returns a copy whose idea of "now" is now(); the demo uses it to
// file a year of history as it would have happened.
func (s *Service) WithClock(now func() time.Time) *Service { return &Service{db: s.db, now: now} }

// Report states.
const (
	Draft     = "draft"
	Submitted = "submitted"
	Accepted  = "accepted"
	Returned  = "returned"
)

// TargetValue is a target's cumulative actual value in a report.
type TargetValue struct {
	TargetID int64   `json:"target_id"`
	Name     string  `json:"name,omitempty" readOnly:"true"`
	Unit     string  `json:"unit,omitempty" readOnly:"true"`
	Value    float64 `json:"value"`
}

// MilestoneReached records that a milestone was reached on a date.
type MilestoneReached struct {
	MilestoneID int64     `json:"milestone_id"`
	ActualDate  date.Date `json:"actual_date"`
}

// Report is a unit's report on an item for a period (进展填报).
type Report struct {
	ID                     int64              `json:"id"`
	ItemID                 int64              `json:"item_id"`
	ItemCode               string             `json:"item_code"`
	ItemName               string             `json:"item_name"`
	LeadUnitName           string             `json:"lead_unit_name"`
	Period                 string             `json:"period"`
	PeriodEnd              date.Date          `json:"period_end"`
	DueDate                date.Date          `json:"due_date"`
	State                  string             `json:"state" enum:"draft,submitted,accepted,returned"`
	Narrative              string             `json:"narrative"`
	Problems               string             `json:"problems"`
	NextSteps              string             `json:"next_steps"`
	InvestmentCompletedWan *float64           `json:"investment_completed_wan" doc:"本年累计完成投资（万元）"`
	Values                 []TargetValue      `json:"values"`
	Milestones             []MilestoneReached `json:"milestones"`
	Late                   bool               `json:"late" doc:"晚于截止日报送"`
	SubmittedAt            *time.Time         `json:"submitted_at"`
	ReviewedAt             *time.Time         `json:"reviewed_at"`
	ReturnReason           string             `json:"return_reason"`
	Revision               int                `json:"revision"`
	Version                int                `json:"version"`
	UpdatedAt              time.Time          `json:"updated_at"`
	Photos                 []Photo            `json:"photos,omitempty" doc:"现场照片（单条填报与其历史版本中列出）"`
}

// ReportInput is what a reporting unit writes.
type ReportInput struct {
	Narrative              string             `json:"narrative,omitempty" maxLength:"20000" doc:"工作进展"`
	Problems               string             `json:"problems,omitempty" maxLength:"20000" doc:"存在问题"`
	NextSteps              string             `json:"next_steps,omitempty" maxLength:"20000" doc:"下步计划"`
	InvestmentCompletedWan *float64           `json:"investment_completed_wan,omitempty" doc:"本年累计完成投资（万元）"`
	Values                 []TargetValue      `json:"values,omitempty" maxItems:"100"`
	Milestones             []MilestoneReached `json:"milestones,omitempty" maxItems:"100"`
}

const reportSelect = `SELECT r.id, r.item_id, i.code, i.name, u.name, r.period, r.period_end, r.due_date, r.state, r.narrative, r.problems,
	r.next_steps, r.investment_completed, r.milestones_json, r.late, r.submitted_at, r.reviewed_at, r.return_reason, r.revision, r.version, r.updated_at
	FROM reports r JOIN items i ON i.id = r.item_id JOIN units u ON u.id = i.lead_unit_id`

func scanReport(s interface{ Scan(...any) error }) (Report, error) {
	var r Report
	var inv sql.NullInt64
	var ms string
	var sub, rev sql.NullTime
	err := s.Scan(&r.ID, &r.ItemID, &r.ItemCode, &r.ItemName, &r.LeadUnitName, &r.Period, &r.PeriodEnd, &r.DueDate, &r.State,
		&r.Narrative, &r.Problems, &r.NextSteps, &inv, &ms, &r.Late, &sub, &rev, &r.ReturnReason, &r.Revision, &r.Version, &r.UpdatedAt)
	if inv.Valid {
		w := float64(inv.Int64) / 10000
		r.InvestmentCompletedWan = &w
	}
	if sub.Valid {
		r.SubmittedAt = &sub.Time
	}
	if rev.Valid {
		r.ReviewedAt = &rev.Time
	}
	r.Milestones = []MilestoneReached{}
	if ms != "" {
		_ = json.Unmarshal([]byte(ms), &r.Milestones)
	}
	r.Values = []TargetValue{}
	return r, err
}

func getReport(ctx context.Context, q store.Querier, id int64) (Report, error) {
	r, err := scanReport(q.QueryRow(ctx, reportSelect+` WHERE r.id = ?`, id))
	if store.IsNoRows(err) {
		return r, errs.NotFound("填报", id)
	}
	if err != nil {
		return r, fmt.Errorf("get report %d: %w", id, err)
	}
	rows, err := q.Query(ctx, `SELECT v.target_id, t.name, t.unit, v.value FROM report_values v JOIN targets t ON t.id = v.target_id
		WHERE v.report_id = ? ORDER BY t.deadline, t.id`, id)
	if err != nil {
		return r, fmt.Errorf("report values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v TargetValue
		if err := rows.Scan(&v.TargetID, &v.Name, &v.Unit, &v.Value); err != nil {
			return r, err
		}
		r.Values = append(r.Values, v)
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	r.Photos, err = reportPhotos(ctx, q, r.ItemID, r.Period)
	return r, err
}

// GetReport returns a report on an item the actor may see.
func (s *Service) GetReport(ctx context.Context, id int64) (Report, error) {
	q := s.db.Read()
	r, err := getReport(ctx, q, id)
	if err != nil {
		return r, err
	}
	if err := campaignVisible(ctx, q, r.ItemID); err != nil {
		return Report{}, err
	}
	return r, nil
}

func campaignVisible(ctx context.Context, q store.Querier, itemID int64) error {
	w, err := campaign.ScopeWhere(ctx, q)
	if err != nil {
		return err
	}
	w.Add(`i.id = ?`, itemID)
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM items i`+w.SQL(), w.Args...).Scan(&n); err != nil {
		return fmt.Errorf("report visible: %w", err)
	}
	if n == 0 {
		return errs.NotFound("填报", itemID)
	}
	return nil
}

// itemPeriod loads what a report needs to know about its item and period.
type itemInfo struct {
	campaignID int64
	cadence    string
	dueDays    int
	state      string
	start, end date.Date
}

func loadItemInfo(ctx context.Context, q store.Querier, itemID int64) (itemInfo, error) {
	var in itemInfo
	err := q.QueryRow(ctx, `SELECT i.campaign_id, c.cadence, c.report_due_days, i.state, c.start_date, c.end_date
		FROM items i JOIN campaigns c ON c.id = i.campaign_id WHERE i.id = ?`, itemID).
		Scan(&in.campaignID, &in.cadence, &in.dueDays, &in.state, &in.start, &in.end)
	if store.IsNoRows(err) {
		return in, errs.NotFound("事项", itemID)
	}
	if err != nil {
		return in, fmt.Errorf("item info: %w", err)
	}
	return in, nil
}

// SaveReport writes the report of an item for a period as a draft: it
// creates it (version 0) or edits it (the current version). Editing a
// submitted or accepted report withdraws it to draft — a correction, kept as
// a new revision beside the old one.
func (s *Service) SaveReport(ctx context.Context, itemID int64, periodKey string, version int, in ReportInput) (Report, error) {
	if err := campaign.CheckLead(ctx, s.db.Read(), itemID); err != nil {
		return Report{}, err
	}
	info, err := loadItemInfo(ctx, s.db.Read(), itemID)
	if err != nil {
		return Report{}, err
	}
	p, err := ParsePeriod(periodKey, info.dueDays)
	if err != nil {
		return Report{}, err
	}
	if isWeekly := strings.Contains(p.Key, "-W"); isWeekly != (info.cadence == "weekly") {
		return Report{}, errs.Invalid([]errs.FieldError{{Field: "period", Key: "period.cadence", Message: "填报期与攻坚年的填报周期不符", Value: periodKey}})
	}
	if p.End.Before(info.start) || p.Start.After(info.end) {
		return Report{}, errs.Invalid([]errs.FieldError{{Field: "period", Key: "period.outside", Message: "填报期不在攻坚年起止日期内", Value: periodKey}})
	}
	if p.Start.After(date.Of(s.now())) {
		return Report{}, errs.Invalid([]errs.FieldError{{Field: "period", Key: "period.future", Message: "不能填报尚未开始的填报期", Value: periodKey}})
	}
	var out Report
	err = s.db.Tx(ctx, func(q store.Querier) error {
		if err := checkInput(ctx, q, itemID, in, s.now()); err != nil {
			return err
		}
		var id, cur int64
		var before *Report
		err := q.QueryRow(ctx, `SELECT id, version FROM reports WHERE item_id = ? AND period = ?`, itemID, p.Key).Scan(&id, &cur)
		now := s.now().UTC()
		switch {
		case store.IsNoRows(err):
			if version != 0 {
				return errs.Stale("填报")
			}
			if err := q.QueryRow(ctx, `INSERT INTO reports (item_id, period, period_end, due_date, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, itemID, p.Key, p.End, p.Due, now, now).Scan(&id); err != nil {
				return fmt.Errorf("insert report: %w", err)
			}
		case err != nil:
			return fmt.Errorf("find report: %w", err)
		default:
			if int(cur) != version {
				return errs.Stale("填报")
			}
			b, err := getReport(ctx, q, id)
			if err != nil {
				return err
			}
			before = &b
		}
		ms, _ := json.Marshal(orEmpty(in.Milestones))
		if _, err := q.Exec(ctx, `UPDATE reports SET state = ?, narrative = ?, problems = ?, next_steps = ?, investment_completed = ?,
			milestones_json = ?, revision = revision + 1, version = version + 1, updated_at = ? WHERE id = ?`,
			Draft, strings.TrimSpace(in.Narrative), strings.TrimSpace(in.Problems), strings.TrimSpace(in.NextSteps),
			wanPtr(in.InvestmentCompletedWan), string(ms), now, id); err != nil {
			return fmt.Errorf("update report: %w", err)
		}
		if _, err := q.Exec(ctx, `DELETE FROM report_values WHERE report_id = ?`, id); err != nil {
			return fmt.Errorf("clear values: %w", err)
		}
		for _, v := range in.Values {
			if _, err := q.Exec(ctx, `INSERT INTO report_values (report_id, target_id, value) VALUES (?, ?, ?)`, id, v.TargetID, v.Value); err != nil {
				return fmt.Errorf("insert value: %w", err)
			}
		}
		var err2 error
		if out, err2 = s.revise(ctx, q, id, "保存草稿"); err2 != nil {
			return err2
		}
		action := "update"
		if before == nil {
			action = "create"
		}
		var bv any
		if before != nil {
			bv = before
		}
		return audit.Write(ctx, q, audit.Entry{Action: action, Entity: "report", EntityID: id, Before: bv, After: out})
	})
	return out, err
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func wanPtr(w *float64) any {
	if w == nil {
		return nil
	}
	return int64(math.Round(*w * 10000))
}

// checkInput names each value that does not belong to the item or cannot be right.
func checkInput(ctx context.Context, q store.Querier, itemID int64, in ReportInput, now time.Time) error {
	var c errs.Checker
	if in.InvestmentCompletedWan != nil {
		v := *in.InvestmentCompletedWan
		c.Check(v >= 0 && v < 1e10 && !math.IsNaN(v), "investment_completed_wan", "amount.invalid", "完成投资应为不小于 0 的金额（万元）", v)
	}
	seen := map[int64]bool{}
	for i, v := range in.Values {
		field := fmt.Sprintf("values[%d].value", i)
		c.Check(!math.IsNaN(v.Value) && !math.IsInf(v.Value, 0) && math.Abs(v.Value) < 1e15, field, "number.invalid", "实际值无效", v.Value)
		var n int
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM targets WHERE id = ? AND item_id = ?`, v.TargetID, itemID).Scan(&n); err != nil {
			return fmt.Errorf("check target: %w", err)
		}
		c.Check(n == 1, fmt.Sprintf("values[%d].target_id", i), "target.not_of_item", fmt.Sprintf("目标 %d 不属于该事项", v.TargetID), v.TargetID)
		c.Check(!seen[v.TargetID], fmt.Sprintf("values[%d].target_id", i), "duplicate", "同一目标填了两次", v.TargetID)
		seen[v.TargetID] = true
	}
	today := date.LatestToday(now)
	for i, m := range in.Milestones {
		var n int
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM milestones WHERE id = ? AND item_id = ?`, m.MilestoneID, itemID).Scan(&n); err != nil {
			return fmt.Errorf("check milestone: %w", err)
		}
		c.Check(n == 1, fmt.Sprintf("milestones[%d].milestone_id", i), "milestone.not_of_item", fmt.Sprintf("节点 %d 不属于该事项", m.MilestoneID), m.MilestoneID)
		c.Check(!m.ActualDate.IsZero(), fmt.Sprintf("milestones[%d].actual_date", i), "required", "请填写节点实际完成日期", nil)
		c.Check(!m.ActualDate.After(today), fmt.Sprintf("milestones[%d].actual_date", i), "date.future", "实际完成日期不能晚于今天", m.ActualDate.String())
	}
	return c.Err()
}

// revise records the report as it now is as a new revision.
func (s *Service) revise(ctx context.Context, q store.Querier, id int64, note string) (Report, error) {
	r, err := getReport(ctx, q, id)
	if err != nil {
		return r, err
	}
	snap, _ := json.Marshal(r)
	var uid any
	name := "system"
	if a := access.From(ctx); a != nil {
		uid, name = a.UserID, a.Username
	}
	if _, err := q.Exec(ctx, `INSERT INTO report_revisions (report_id, revision, state, at, user_id, username, note, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		id, r.Revision, r.State, s.now().UTC(), uid, name, note, string(snap)); err != nil {
		return r, fmt.Errorf("insert revision: %w", err)
	}
	return r, nil
}

// transition moves a report between states after checking who may and
// whether the state allows it; apply does the rest inside the transaction.
func (s *Service) transition(ctx context.Context, id int64, version int, from []string, to, note string,
	check func(q store.Querier, r Report) error, apply func(q store.Querier, r Report, now time.Time) error) (Report, error) {
	var out Report
	err := s.db.Tx(ctx, func(q store.Querier) error {
		r, err := getReport(ctx, q, id)
		if err != nil {
			return err
		}
		if err := check(q, r); err != nil {
			return err
		}
		if r.Version != version {
			return errs.Stale("填报")
		}
		ok := false
		for _, f := range from {
			ok = ok || r.State == f
		}
		if !ok {
			return &errs.Error{Kind: errs.KindConflict, Key: "report.state",
				Message: fmt.Sprintf("填报当前为「%s」，不能%s", stateLabel(r.State), note)}
		}
		now := s.now().UTC()
		if _, err := q.Exec(ctx, `UPDATE reports SET state = ?, revision = revision + 1, version = version + 1, updated_at = ? WHERE id = ?`,
			to, now, id); err != nil {
			return fmt.Errorf("report state: %w", err)
		}
		if err := apply(q, r, now); err != nil {
			return err
		}
		if out, err = s.revise(ctx, q, id, note); err != nil {
			return err
		}
		return audit.Write(ctx, q, audit.Entry{Action: to, Entity: "report", EntityID: id, Before: r, After: out})
	})
	return out, err
}

func stateLabel(s string) string {
	return map[string]string{Draft: "草稿", Submitted: "已报送", Accepted: "已审核通过", Returned: "已退回"}[s]
}

// Submit sends a draft (or a returned report, corrected) to the supervisor.
// Its values become the item's actuals from now on, and the milestones it
// reports are marked reached.
func (s *Service) Submit(ctx context.Context, id int64, version int) (Report, error) {
	return s.transition(ctx, id, version, []string{Draft, Returned}, Submitted, "报送",
		func(q store.Querier, r Report) error {
			if err := campaign.CheckLead(ctx, q, r.ItemID); err != nil {
				return err
			}
			if strings.TrimSpace(r.Narrative) == "" {
				return errs.Invalid([]errs.FieldError{{Field: "narrative", Key: "required", Message: "报送前请填写工作进展"}})
			}
			return nil
		},
		func(q store.Querier, r Report, now time.Time) error {
			late := date.Of(now).After(r.DueDate)
			if _, err := q.Exec(ctx, `UPDATE reports SET submitted_at = ?, submitted_by = ?, late = ?, return_reason = '' WHERE id = ?`,
				now, actorID(ctx), late, r.ID); err != nil {
				return fmt.Errorf("submit: %w", err)
			}
			for _, v := range r.Values {
				if _, err := q.Exec(ctx, `INSERT INTO target_actuals (target_id, item_id, report_id, period, value, recorded_at) VALUES (?, ?, ?, ?, ?, ?)`,
					v.TargetID, r.ItemID, r.ID, r.Period, v.Value, now); err != nil {
					return fmt.Errorf("record actual: %w", err)
				}
			}
			if r.InvestmentCompletedWan != nil {
				if _, err := q.Exec(ctx, `INSERT INTO investment_actuals (item_id, report_id, period, amount, recorded_at) VALUES (?, ?, ?, ?, ?)`,
					r.ItemID, r.ID, r.Period, wanPtr(r.InvestmentCompletedWan), now); err != nil {
					return fmt.Errorf("record investment: %w", err)
				}
			}
			for _, m := range r.Milestones {
				if _, err := q.Exec(ctx, `UPDATE milestones SET actual_date = ?, actual_recorded_at = ?, version = version + 1, updated_at = ?
					WHERE id = ? AND item_id = ? AND (actual_date IS NULL OR actual_date <> ?)`,
					m.ActualDate, now, now, m.MilestoneID, r.ItemID, m.ActualDate); err != nil {
					return fmt.Errorf("reach milestone: %w", err)
				}
			}
			return nil
		})
}

// Accept closes the review of a submitted report.
func (s *Service) Accept(ctx context.Context, id int64, version int) (Report, error) {
	return s.transition(ctx, id, version, []string{Submitted}, Accepted, "审核通过",
		func(q store.Querier, r Report) error { return campaignVisible(ctx, q, r.ItemID) },
		func(q store.Querier, r Report, now time.Time) error {
			_, err := q.Exec(ctx, `UPDATE reports SET reviewed_at = ?, reviewed_by = ? WHERE id = ?`, now, actorID(ctx), r.ID)
			return err
		})
}

// Return sends a submitted report back to its unit with a reason.
func (s *Service) Return(ctx context.Context, id int64, version int, reason string) (Report, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Report{}, errs.Invalid([]errs.FieldError{{Field: "reason", Key: "required", Message: "退回须写明原因"}})
	}
	return s.transition(ctx, id, version, []string{Submitted}, Returned, "退回",
		func(q store.Querier, r Report) error { return campaignVisible(ctx, q, r.ItemID) },
		func(q store.Querier, r Report, now time.Time) error {
			_, err := q.Exec(ctx, `UPDATE reports SET reviewed_at = ?, reviewed_by = ?, return_reason = ? WHERE id = ?`, now, actorID(ctx), reason, r.ID)
			return err
		})
}

func actorID(ctx context.Context) any {
	if a := access.From(ctx); a != nil {
		return a.UserID
	}
	return nil
}

// Revision is one recorded state of a report.
type Revision struct {
	Revision int       `json:"revision"`
	State    string    `json:"state"`
	At       time.Time `json:"at"`
	Username string    `json:"username"`
	Note     string    `json:"note"`
	Report   Report    `json:"report"`
}

// Revisions returns every recorded state of a report, oldest first.
func (s *Service) Revisions(ctx context.Context, id int64) ([]Revision, error) {
	if _, err := s.GetReport(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().Query(ctx, `SELECT revision, state, at, username, note, snapshot FROM report_revisions WHERE report_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("revisions: %w", err)
	}
	defer rows.Close()
	out := []Revision{}
	for rows.Next() {
		var r Revision
		var snap string
		if err := rows.Scan(&r.Revision, &r.State, &r.At, &r.Username, &r.Note, &snap); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(snap), &r.Report)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReportFilter narrows ListReports.
type ReportFilter struct {
	CampaignID int64
	ItemID     int64
	Period     string
	State      string
	Page       store.Page
}

// ListReports returns reports on items the actor may see, newest period first.
func (s *Service) ListReports(ctx context.Context, f ReportFilter) ([]Report, int, error) {
	q := s.db.Read()
	w, err := campaign.ScopeWhere(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	if f.CampaignID != 0 {
		w.Add(`i.campaign_id = ?`, f.CampaignID)
	}
	if f.ItemID != 0 {
		w.Add(`r.item_id = ?`, f.ItemID)
	}
	if f.Period != "" {
		w.Add(`r.period = ?`, f.Period)
	}
	if f.State != "" {
		w.Add(`r.state = ?`, f.State)
	}
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM reports r JOIN items i ON i.id = r.item_id`+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count reports: %w", err)
	}
	rows, err := q.Query(ctx, reportSelect+w.SQL()+` ORDER BY r.period DESC, i.code`+f.Page.LimitOffset(), w.Args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list reports: %w", err)
	}
	defer rows.Close()
	out := []Report{}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan report: %w", err)
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}
