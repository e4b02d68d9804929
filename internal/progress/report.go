package progress

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
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

// loadReport reads the report matching cond (on alias r) with its values but
// not its photos; found is false when there is none.
func loadReport(ctx context.Context, q store.Querier, cond string, args ...any) (r Report, found bool, err error) {
	r, err = scanReport(q.QueryRow(ctx, reportSelect+` WHERE `+cond, args...))
	if store.IsNoRows(err) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("get report: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT v.target_id, t.name, t.unit, v.value FROM report_values v JOIN targets t ON t.id = v.target_id
		WHERE v.report_id = ? ORDER BY t.deadline, t.id`, r.ID)
	if err != nil {
		return r, true, fmt.Errorf("report values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v TargetValue
		if err := rows.Scan(&v.TargetID, &v.Name, &v.Unit, &v.Value); err != nil {
			return r, true, err
		}
		r.Values = append(r.Values, v)
	}
	return r, true, rows.Err()
}

// getReportRow is loadReport by id, "not found" when there is none.
func getReportRow(ctx context.Context, q store.Querier, id int64) (Report, error) {
	r, found, err := loadReport(ctx, q, `r.id = ?`, id)
	if err == nil && !found {
		err = errs.NotFound("填报", id)
	}
	return r, err
}

func getReport(ctx context.Context, q store.Querier, id int64) (Report, error) {
	r, err := getReportRow(ctx, q, id)
	if err != nil {
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

// itemInfo is what a report needs to know about its item and campaign.
type itemInfo struct {
	campaignID         int64
	cadence            string
	dueDays            int
	state              string
	start, end         date.Date
	code, name, leadBy string // the item's code, name and lead unit's name
}

func loadItemInfo(ctx context.Context, q store.Querier, itemID int64) (itemInfo, error) {
	var in itemInfo
	err := q.QueryRow(ctx, `SELECT i.campaign_id, c.cadence, c.report_due_days, i.state, c.start_date, c.end_date, i.code, i.name, u.name
		FROM items i JOIN campaigns c ON c.id = i.campaign_id JOIN units u ON u.id = i.lead_unit_id WHERE i.id = ?`, itemID).
		Scan(&in.campaignID, &in.cadence, &in.dueDays, &in.state, &in.start, &in.end, &in.code, &in.name, &in.leadBy)
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
	return s.writeReport(ctx, itemID, periodKey, version, in, false)
}

// SubmitReport is 报送 of a changed form: it writes the report as SaveReport
// does and submits it as Submit does, in one transaction, so that either
// both happen or nothing is written. Both sets of checks apply (the input's,
// and a narrative to submit); it is one revision (报送) and one audit record
// (submitted, before: the report as it was, or none for a new one). Like a
// save it may start from any state: a submitted or accepted report so
// corrected is submitted again at once.
func (s *Service) SubmitReport(ctx context.Context, itemID int64, periodKey string, version int, in ReportInput) (Report, error) {
	return s.writeReport(ctx, itemID, periodKey, version, in, true)
}

// writeReport is SaveReport, and with submit SubmitReport.
//
// Everything that can be read and checked without the write lock is, on the
// read pool, before the transaction: the item, the period, the input against
// the item's targets and milestones, and the report as it is. Inside, the
// write itself re-checks the version (UPDATE … WHERE version = ?, or an
// INSERT that finds the report already there), so If-Match stays exact; the
// report as written is then built from what was read and written rather
// than read back.
func (s *Service) writeReport(ctx context.Context, itemID int64, periodKey string, version int, in ReportInput, submit bool) (Report, error) {
	read := s.db.Read()
	if err := campaign.CheckLead(ctx, read, itemID); err != nil {
		return Report{}, err
	}
	info, err := loadItemInfo(ctx, read, itemID)
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
	targets, err := checkInput(ctx, read, itemID, in, s.now(), submit)
	if err != nil {
		return Report{}, err
	}
	find := func(q store.Querier) (*Report, error) {
		r, found, err := loadReport(ctx, q, `r.item_id = ? AND r.period = ?`, itemID, p.Key)
		if err != nil || !found {
			return nil, err
		}
		return &r, nil
	}
	seen, err := find(read)
	if err != nil {
		return Report{}, err
	}
	narrative, problems, nextSteps := strings.TrimSpace(in.Narrative), strings.TrimSpace(in.Problems), strings.TrimSpace(in.NextSteps)
	invest := wanPtr(in.InvestmentCompletedWan)
	ms, _ := json.Marshal(orEmpty(in.Milestones))
	state, note, actor := Draft, "保存草稿", actorID(ctx)
	if submit {
		state, note = Submitted, "报送"
	}
	var out Report
	err = s.db.Tx(ctx, func(q store.Querier) error {
		before := seen
		if versionOf(before) != version {
			// Changed since it was read, or the caller knows a newer version:
			// judge the If-Match against the report as it is now.
			var err error
			if before, err = find(q); err != nil {
				return err
			}
			if versionOf(before) != version {
				return errs.Stale("填报")
			}
		}
		now := s.now().UTC().Truncate(time.Microsecond) // PostgreSQL keeps microseconds
		if before == nil {
			// A new report: written at once as the draft or the submitted
			// report (revision 1; a report starts at version 1 and this write
			// makes it 2).
			out = Report{ItemID: itemID, ItemCode: info.code, ItemName: info.name, LeadUnitName: info.leadBy,
				Period: p.Key, PeriodEnd: p.End, DueDate: p.Due}
			var submittedAt, submittedBy any
			if submit {
				markSubmitted(&out, now, actor)
				submittedAt, submittedBy = now, actor
			}
			err := q.QueryRow(ctx, `INSERT INTO reports (item_id, period, period_end, due_date, state, narrative, problems, next_steps,
				investment_completed, milestones_json, late, submitted_at, submitted_by, revision, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 2, ?, ?) ON CONFLICT (item_id, period) DO NOTHING RETURNING id`,
				itemID, p.Key, p.End, p.Due, state, narrative, problems, nextSteps, invest, string(ms), out.Late, submittedAt, submittedBy,
				now, now).Scan(&out.ID)
			if store.IsNoRows(err) {
				return errs.Stale("填报") // created meanwhile
			}
			if err != nil {
				return fmt.Errorf("insert report: %w", err)
			}
			out.Revision, out.Version = 1, 2
		} else {
			out = *before
			var set string
			var args []any
			if submit {
				set, args = markSubmitted(&out, now, actor)
			}
			res, err := q.Exec(ctx, `UPDATE reports SET state = ?, narrative = ?, problems = ?, next_steps = ?, investment_completed = ?,
				milestones_json = ?, revision = revision + 1, version = version + 1, updated_at = ?`+set+` WHERE id = ? AND version = ?`,
				append(append([]any{state, narrative, problems, nextSteps, invest, string(ms), now}, args...), before.ID, version)...)
			if err != nil {
				return fmt.Errorf("update report: %w", err)
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return errs.Stale("填报")
			}
			out.Revision, out.Version = before.Revision+1, before.Version+1
			if len(before.Values) > 0 {
				if _, err := q.Exec(ctx, `DELETE FROM report_values WHERE report_id = ?`, out.ID); err != nil {
					return fmt.Errorf("clear values: %w", err)
				}
			}
		}
		if len(in.Values) > 0 {
			rows := make([][]any, len(in.Values))
			for i, v := range in.Values {
				rows[i] = []any{out.ID, v.TargetID, v.Value}
			}
			if err := insertRows(ctx, q, `INSERT INTO report_values (report_id, target_id, value) VALUES `, rows); err != nil {
				return fmt.Errorf("insert values: %w", err)
			}
		}
		out.State, out.Narrative, out.Problems, out.NextSteps, out.UpdatedAt = state, narrative, problems, nextSteps, now
		out.InvestmentCompletedWan = nil
		if invest != nil {
			w := float64(invest.(int64)) / 10000
			out.InvestmentCompletedWan = &w
		}
		out.Milestones = []MilestoneReached{}
		_ = json.Unmarshal(ms, &out.Milestones)
		out.Values = valuesOf(in.Values, targets)
		if submit {
			if err := recordSubmission(ctx, q, out, now); err != nil {
				return err
			}
		}
		photos, err := reportPhotos(ctx, q, itemID, p.Key)
		if err != nil {
			return err
		}
		out.Photos = photos
		snap, err := s.revise(ctx, q, out, note, now)
		if err != nil {
			return err
		}
		e := audit.Entry{Action: "create", Entity: "report", EntityID: out.ID, After: snap}
		if before != nil {
			b := *before
			b.Photos = photos
			e.Action, e.Before = "update", &b
		}
		if submit {
			e.Action = Submitted
		}
		return audit.Write(ctx, q, e)
	})
	return out, err
}

// versionOf is the version of a report, 0 for none.
func versionOf(r *Report) int {
	if r == nil {
		return 0
	}
	return r.Version
}

// insertRows runs one multi-row INSERT: head ends with VALUES, and each row
// adds a tuple of its arguments.
func insertRows(ctx context.Context, q store.Querier, head string, rows [][]any) error {
	var b strings.Builder
	b.WriteString(head)
	args := make([]any, 0, len(rows)*len(rows[0]))
	tuple := "(?" + strings.Repeat(", ?", len(rows[0])-1) + ")"
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
		args = append(args, r...)
	}
	_, err := q.Exec(ctx, b.String(), args...)
	return err
}

// valuesOf is a report's values as reading them back gives them: with their
// targets' names and units, in the targets' order (deadline, then id).
func valuesOf(in []TargetValue, targets map[int64]targetInfo) []TargetValue {
	out := make([]TargetValue, len(in))
	for i, v := range in {
		t := targets[v.TargetID]
		out[i] = TargetValue{TargetID: v.TargetID, Name: t.name, Unit: t.unit, Value: v.Value}
	}
	slices.SortFunc(out, func(a, b TargetValue) int {
		da, db := targets[a.TargetID].deadline, targets[b.TargetID].deadline
		switch {
		case da.Before(db):
			return -1
		case db.Before(da):
			return 1
		}
		return cmp.Compare(a.TargetID, b.TargetID)
	})
	return out
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

// targetInfo is what a report shows of a target beside its value.
type targetInfo struct {
	name, unit string
	deadline   date.Date
}

// checkInput names each value that does not belong to the item or cannot be
// right, reading the item's targets and milestones once each; it returns the
// targets. With submit it also checks what submitting needs.
func checkInput(ctx context.Context, q store.Querier, itemID int64, in ReportInput, now time.Time, submit bool) (map[int64]targetInfo, error) {
	var c errs.Checker
	if submit {
		requireNarrative(&c, in.Narrative)
	}
	if in.InvestmentCompletedWan != nil {
		v := *in.InvestmentCompletedWan
		c.Check(v >= 0 && v < 1e10 && !math.IsNaN(v), "investment_completed_wan", "amount.invalid", "完成投资应为不小于 0 的金额（万元）", v)
	}
	targets := map[int64]targetInfo{}
	if len(in.Values) > 0 {
		rows, err := q.Query(ctx, `SELECT id, name, unit, deadline FROM targets WHERE item_id = ?`, itemID)
		if err != nil {
			return nil, fmt.Errorf("check targets: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var t targetInfo
			if err := rows.Scan(&id, &t.name, &t.unit, &t.deadline); err != nil {
				return nil, fmt.Errorf("check targets: %w", err)
			}
			targets[id] = t
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("check targets: %w", err)
		}
	}
	seen := map[int64]bool{}
	for i, v := range in.Values {
		field := fmt.Sprintf("values[%d].value", i)
		c.Check(!math.IsNaN(v.Value) && !math.IsInf(v.Value, 0) && math.Abs(v.Value) < 1e15, field, "number.invalid", "实际值无效", v.Value)
		_, ok := targets[v.TargetID]
		c.Check(ok, fmt.Sprintf("values[%d].target_id", i), "target.not_of_item", fmt.Sprintf("目标 %d 不属于该事项", v.TargetID), v.TargetID)
		c.Check(!seen[v.TargetID], fmt.Sprintf("values[%d].target_id", i), "duplicate", "同一目标填了两次", v.TargetID)
		seen[v.TargetID] = true
	}
	milestones := map[int64]bool{}
	if len(in.Milestones) > 0 {
		rows, err := q.Query(ctx, `SELECT id FROM milestones WHERE item_id = ?`, itemID)
		if err != nil {
			return nil, fmt.Errorf("check milestones: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, fmt.Errorf("check milestones: %w", err)
			}
			milestones[id] = true
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("check milestones: %w", err)
		}
	}
	today := date.LatestToday(now)
	for i, m := range in.Milestones {
		c.Check(milestones[m.MilestoneID], fmt.Sprintf("milestones[%d].milestone_id", i), "milestone.not_of_item", fmt.Sprintf("节点 %d 不属于该事项", m.MilestoneID), m.MilestoneID)
		c.Check(!m.ActualDate.IsZero(), fmt.Sprintf("milestones[%d].actual_date", i), "required", "请填写节点实际完成日期", nil)
		c.Check(!m.ActualDate.After(today), fmt.Sprintf("milestones[%d].actual_date", i), "date.future", "实际完成日期不能晚于今天", m.ActualDate.String())
	}
	return targets, c.Err()
}

// revise records r, the report as it now is, as a new revision, and returns
// its JSON (which the audit record reuses).
func (s *Service) revise(ctx context.Context, q store.Querier, r Report, note string, at time.Time) (json.RawMessage, error) {
	snap, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("revision snapshot: %w", err)
	}
	var uid any
	name := "system"
	if a := access.From(ctx); a != nil {
		uid, name = a.UserID, a.Username
	}
	if _, err := q.Exec(ctx, `INSERT INTO report_revisions (report_id, revision, state, at, user_id, username, note, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Revision, r.State, at, uid, name, note, string(snap)); err != nil {
		return nil, fmt.Errorf("insert revision: %w", err)
	}
	return snap, nil
}

// step is what a transition changes besides the state: more columns to set
// (", col = ?" …) with their arguments, made to the report out as well, and
// then anything else to write (apply, may be nil).
type step struct {
	set   func(out *Report, now time.Time) (string, []any)
	apply func(q store.Querier, r Report, now time.Time) error
}

// transition moves a report between states after checking who may and
// whether the state allows it. The report is read and checked on the read
// pool first; inside the transaction one UPDATE … WHERE version = ? makes
// the change and confirms that nothing changed since. Should something have
// changed, the report is read again inside the transaction and judged as it
// is now, as if it had been read there in the first place.
func (s *Service) transition(ctx context.Context, id int64, version int, from []string, to, note string,
	check func(q store.Querier, r Report) error, st step) (Report, error) {
	allowed := func(r Report) error {
		if r.Version != version {
			return errs.Stale("填报")
		}
		if !slices.Contains(from, r.State) {
			return &errs.Error{Kind: errs.KindConflict, Key: "report.state",
				Message: fmt.Sprintf("填报当前为「%s」，不能%s", stateLabel(r.State), note)}
		}
		return nil
	}
	read := s.db.Read()
	seen, err := getReportRow(ctx, read, id)
	fast := err == nil && check(read, seen) == nil && allowed(seen) == nil
	var out Report
	err = s.db.Tx(ctx, func(q store.Querier) error {
		now := s.now().UTC().Truncate(time.Microsecond) // PostgreSQL keeps microseconds
		r := seen
		out = r
		set, args := st.set(&out, now)
		update := func() (bool, error) {
			res, err := q.Exec(ctx, `UPDATE reports SET state = ?, revision = revision + 1, version = version + 1, updated_at = ?`+set+
				` WHERE id = ? AND version = ?`, append(append([]any{to, now}, args...), id, version)...)
			if err != nil {
				return false, fmt.Errorf("report state: %w", err)
			}
			n, err := res.RowsAffected()
			return n == 1, err
		}
		done := false
		if fast {
			if done, err = update(); err != nil {
				return err
			}
		}
		if !done {
			if r, err = getReportRow(ctx, q, id); err != nil {
				return err
			}
			if err := check(q, r); err != nil {
				return err
			}
			if err := allowed(r); err != nil {
				return err
			}
			out = r
			set, args = st.set(&out, now)
			if done, err = update(); err != nil {
				return err
			}
			if !done {
				return errs.Stale("填报")
			}
		}
		if st.apply != nil {
			if err := st.apply(q, r, now); err != nil {
				return err
			}
		}
		photos, err := reportPhotos(ctx, q, r.ItemID, r.Period)
		if err != nil {
			return err
		}
		r.Photos, out.Photos = photos, photos
		out.State, out.Revision, out.Version, out.UpdatedAt = to, r.Revision+1, r.Version+1, now
		snap, err := s.revise(ctx, q, out, note, now)
		if err != nil {
			return err
		}
		return audit.Write(ctx, q, audit.Entry{Action: to, Entity: "report", EntityID: id, Before: r, After: snap})
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
	actor := actorID(ctx)
	return s.transition(ctx, id, version, []string{Draft, Returned}, Submitted, "报送",
		func(q store.Querier, r Report) error {
			if err := campaign.CheckLead(ctx, q, r.ItemID); err != nil {
				return err
			}
			var c errs.Checker
			requireNarrative(&c, r.Narrative)
			return c.Err()
		},
		step{
			set:   func(out *Report, now time.Time) (string, []any) { return markSubmitted(out, now, actor) },
			apply: func(q store.Querier, r Report, now time.Time) error { return recordSubmission(ctx, q, r, now) },
		})
}

// requireNarrative is what submitting needs beyond a save: a narrative.
func requireNarrative(c *errs.Checker, narrative string) {
	c.Check(strings.TrimSpace(narrative) != "", "narrative", "required", "报送前请填写工作进展", nil)
}

// markSubmitted sets on out what submitting sets besides the state, and
// returns the same as SQL (", col = ?" …) with its arguments.
func markSubmitted(out *Report, now time.Time, actor any) (string, []any) {
	late := date.Of(now).After(out.DueDate)
	at := now
	out.SubmittedAt, out.Late, out.ReturnReason = &at, late, ""
	return `, submitted_at = ?, submitted_by = ?, late = ?, return_reason = ''`, []any{now, actor, late}
}

// recordSubmission makes a submitted report's content the item's record:
// its values become the targets' actuals, its investment the item's, and
// the milestones it reports are marked reached.
func recordSubmission(ctx context.Context, q store.Querier, r Report, now time.Time) error {
	if len(r.Values) > 0 {
		rows := make([][]any, len(r.Values))
		for i, v := range r.Values {
			rows[i] = []any{v.TargetID, r.ItemID, r.ID, r.Period, v.Value, now}
		}
		if err := insertRows(ctx, q, `INSERT INTO target_actuals (target_id, item_id, report_id, period, value, recorded_at) VALUES `, rows); err != nil {
			return fmt.Errorf("record actuals: %w", err)
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
}

// reviewed sets who reviewed a report and when, and with return, why it
// went back.
func reviewed(ctx context.Context, returned bool, reason string) step {
	actor := actorID(ctx)
	return step{set: func(out *Report, now time.Time) (string, []any) {
		at := now
		out.ReviewedAt = &at
		if returned {
			out.ReturnReason = reason
			return `, reviewed_at = ?, reviewed_by = ?, return_reason = ?`, []any{now, actor, reason}
		}
		return `, reviewed_at = ?, reviewed_by = ?`, []any{now, actor}
	}}
}

// Accept closes the review of a submitted report.
func (s *Service) Accept(ctx context.Context, id int64, version int) (Report, error) {
	return s.transition(ctx, id, version, []string{Submitted}, Accepted, "审核通过",
		func(q store.Querier, r Report) error { return campaignVisible(ctx, q, r.ItemID) },
		reviewed(ctx, false, ""))
}

// Return sends a submitted report back to its unit with a reason.
func (s *Service) Return(ctx context.Context, id int64, version int, reason string) (Report, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Report{}, errs.Invalid([]errs.FieldError{{Field: "reason", Key: "required", Message: "退回须写明原因"}})
	}
	return s.transition(ctx, id, version, []string{Submitted}, Returned, "退回",
		func(q store.Querier, r Report) error { return campaignVisible(ctx, q, r.ItemID) },
		reviewed(ctx, true, reason))
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
