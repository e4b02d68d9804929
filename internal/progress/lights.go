package progress

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/ledger"
	"gongjian/internal/store"
)

// Rules decide an item's light; a supervisor tunes them per campaign.
type Rules struct {
	YellowRatio      float64 `json:"yellow_ratio" minimum:"0" maximum:"1" doc:"实际/序时计划低于此比例亮黄灯，默认 0.9"`
	RedRatio         float64 `json:"red_ratio" minimum:"0" maximum:"1" doc:"低于此比例亮红灯，默认 0.7"`
	WarnDays         int     `json:"warn_days" minimum:"0" maximum:"365" doc:"节点在此天数内到期且未完成亮黄灯，默认 14"`
	MissingReportRed bool    `json:"missing_report_red" doc:"上一期填报逾期未报亮红灯"`
}

// DefaultRules are the rules until a supervisor sets others.
func DefaultRules() Rules {
	return Rules{YellowRatio: 0.9, RedRatio: 0.7, WarnDays: 14, MissingReportRed: true}
}

func (r Rules) check() error {
	var c errs.Checker
	c.Check(r.RedRatio >= 0 && r.RedRatio <= 1, "red_ratio", "range", "红灯比例应在 0 到 1 之间", r.RedRatio)
	c.Check(r.YellowRatio >= 0 && r.YellowRatio <= 1, "yellow_ratio", "range", "黄灯比例应在 0 到 1 之间", r.YellowRatio)
	c.Check(r.RedRatio <= r.YellowRatio, "red_ratio", "rules.order", "红灯比例不能高于黄灯比例", r.RedRatio)
	c.Check(r.WarnDays >= 0 && r.WarnDays <= 365, "warn_days", "range", "预警天数应在 0 到 365 之间", r.WarnDays)
	return c.Err()
}

// RulesOf returns a campaign's light rules.
func (s *Service) RulesOf(ctx context.Context, campaignID int64) (Rules, error) {
	return rulesOf(ctx, s.db.Read(), campaignID)
}

func rulesOf(ctx context.Context, q store.Querier, campaignID int64) (Rules, error) {
	var raw string
	err := q.QueryRow(ctx, `SELECT light_rules FROM campaigns WHERE id = ?`, campaignID).Scan(&raw)
	if store.IsNoRows(err) {
		return Rules{}, errs.NotFound("攻坚年", campaignID)
	}
	if err != nil {
		return Rules{}, fmt.Errorf("light rules: %w", err)
	}
	r := DefaultRules()
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return DefaultRules(), nil
		}
	}
	return r, nil
}

// SetRules changes a campaign's light rules; the change is audited.
func (s *Service) SetRules(ctx context.Context, campaignID int64, r Rules) (Rules, error) {
	if err := r.check(); err != nil {
		return r, err
	}
	err := s.db.Tx(ctx, func(q store.Querier) error {
		before, err := rulesOf(ctx, q, campaignID)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(r)
		if _, err := q.Exec(ctx, `UPDATE campaigns SET light_rules = ?, updated_at = ? WHERE id = ?`, string(b), s.now().UTC(), campaignID); err != nil {
			return fmt.Errorf("set rules: %w", err)
		}
		return audit.Write(ctx, q, audit.Entry{Action: "update", Entity: "light_rules", EntityID: campaignID, Before: before, After: r})
	})
	return r, err
}

// TargetProgress is a target's trajectory at a date: planned against actual.
type TargetProgress struct {
	TargetID   int64      `json:"target_id"`
	Name       string     `json:"name"`
	Unit       string     `json:"unit"`
	Baseline   float64    `json:"baseline"`
	Value      float64    `json:"value"`
	Deadline   date.Date  `json:"deadline"`
	Planned    float64    `json:"planned" doc:"截至查看日按计划应达到的值：计划曲线上的值，无计划曲线时按线性轨迹"`
	Actual     *float64   `json:"actual" doc:"截至查看日最近一次报送的累计实际值"`
	ActualAt   *time.Time `json:"actual_at"`
	Completion *float64   `json:"completion" doc:"完成率（0–1）"`
	Elapsed    float64    `json:"elapsed" doc:"序时进度（0–1）：截至查看日计划应完成的比例"`
	Gap        *float64   `json:"gap" doc:"实际与计划之差"`
	Forecast   *date.Date `json:"forecast" doc:"推算的达标日期：有计划曲线时按实际值落后（领先）计划的天数顺延，否则按近两次报送的趋势"`
	Curve      bool       `json:"curve" doc:"按显式计划曲线（如 S 曲线）而非线性计划"`
	from       date.Date  // where the planned line starts
	plan       []PlanPoint
}

// ItemLight is an item's status light at a date, with the reasons for it.
type ItemLight struct {
	ItemID       int64            `json:"item_id"`
	Code         string           `json:"code"`
	Name         string           `json:"name"`
	Type         string           `json:"type"`
	Level        string           `json:"level"`
	State        string           `json:"state"`
	ZoneID       int64            `json:"zone_id"`
	ZoneName     string           `json:"zone_name"`
	LeaderID     int64            `json:"leader_id"`
	LeaderName   string           `json:"leader_name"`
	LeadUnitID   int64            `json:"lead_unit_id"`
	LeadUnitName string           `json:"lead_unit_name"`
	AnnualWan    float64          `json:"annual_investment_wan"`
	CompletedWan float64          `json:"investment_completed_wan" doc:"截至查看日本年累计完成投资（万元）"`
	Light        string           `json:"light" enum:"green,yellow,red"`
	Computed     string           `json:"computed_light" doc:"按规则计算的灯色（人工调整前）"`
	Reasons      []string         `json:"reasons"`
	Override     *Override        `json:"override,omitempty"`
	Targets      []TargetProgress `json:"targets"`
	LastReport   string           `json:"last_report_state" doc:"上一期填报状态：missing/draft/submitted/accepted/returned"`
	start        date.Date        // the item's start date, where its targets' planned lines may start
}

// Override is a supervisor's manual light with its reason.
type Override struct {
	Light    string    `json:"light" enum:"green,yellow,red"`
	Reason   string    `json:"reason"`
	Username string    `json:"username"`
	SetAt    time.Time `json:"set_at"`
}

// LightFilter narrows Lights.
type LightFilter struct {
	CampaignID int64
	ItemID     int64
	TopLevel   bool
	Type       string
	AsOf       date.Date // the day the plan is judged at
	// KnownBy, when set, is how late a record may have been made to count;
	// by default the end of the AsOf day, which replays history exactly. A
	// finished campaign's closing view sets it to now, so that a late report
	// for its last month shows.
	KnownBy time.Time
	// ColoursOnly leaves out the reasons (roll-ups and counts need the
	// colours only, and building 2,000 items' sentences costs more than
	// judging them).
	ColoursOnly bool
}

// Lights computes the light of every item the actor may see, as Gongjian
// would have on AsOf: only values, milestones, reports and overrides recorded
// by the end of that day count.
//
// The facts are read one statement after another on the read pool: reading
// them at once on several connections was measured (session 5) to cost a
// fifth more CPU, each connection missing pages of its own page cache, and
// on two busy cores that made a computation slower, not faster.
func (s *Service) Lights(ctx context.Context, f LightFilter) ([]ItemLight, error) {
	q := s.db.Read()
	if f.AsOf.IsZero() {
		f.AsOf = date.Of(s.now())
	}
	cutoff := f.AsOf.Time().AddDate(0, 0, 1) // end of the as-of day
	if !f.KnownBy.IsZero() {
		cutoff = f.KnownBy
	}
	w, err := campaign.ScopeWhere(ctx, q)
	if err != nil {
		return nil, err
	}
	w.Add(`i.campaign_id = ?`, f.CampaignID)
	w.Add(`i.created_at < ?`, cutoff)
	if f.ItemID != 0 {
		w.Add(`i.id = ?`, f.ItemID)
	}
	if f.TopLevel {
		w.Add(`i.parent_id IS NULL`)
	}
	if f.Type != "" {
		w.Add(`i.type = ?`, f.Type)
	}
	rules, err := rulesOf(ctx, q, f.CampaignID)
	if err != nil {
		return nil, err
	}
	var camp struct {
		start, end date.Date
		cadence    string
		due        int
	}
	if err := q.QueryRow(ctx, `SELECT start_date, end_date, cadence, report_due_days FROM campaigns WHERE id = ?`, f.CampaignID).
		Scan(&camp.start, &camp.end, &camp.cadence, &camp.due); err != nil {
		return nil, fmt.Errorf("campaign: %w", err)
	}
	// The last period whose report is due by the as-of day.
	ref := f.AsOf
	if ref.After(camp.end) {
		ref = camp.end // no periods after the campaign's end
	}
	last := PeriodOf(camp.cadence, ref, camp.due)
	for !last.Due.Before(f.AsOf) {
		last = PeriodOf(camp.cadence, date.Of(last.Start.Time().AddDate(0, 0, -1)), camp.due)
	}
	sub := `SELECT i.id FROM items i` + w.SQL()
	var (
		items        []ItemLight
		idx          map[int64]int
		targets      []targetRow
		linked       map[int64]ledger.Actual
		milestones   []milestoneRow
		reportStates map[int64]string
		plan         PlanAsOf // dates moved by extensions approved after the cutoff were not yet in force
		plans        map[int64][]PlanPoint
		overrides    map[int64]Override
	)
	if items, idx, err = loadLightItems(ctx, q, w, cutoff); err != nil || len(items) == 0 {
		return items, err
	}
	if targets, linked, err = loadTargetRows(ctx, q, sub, w.Args, cutoff, !f.ColoursOnly); err != nil {
		return nil, err
	}
	if milestones, err = loadMilestoneFacts(ctx, q, sub, w.Args, cutoff); err != nil {
		return nil, err
	}
	if reportStates, err = lastReportStates(ctx, q, sub, w.Args, last.Key, cutoff); err != nil {
		return nil, err
	}
	if plan, err = LoadPlanAsOf(ctx, q, sub, w.Args, cutoff); err != nil {
		return nil, err
	}
	if plans, err = loadPlans(ctx, q, sub, w.Args, cutoff); err != nil {
		return nil, err
	}
	if overrides, err = loadOverrides(ctx, q, sub, w.Args, cutoff); err != nil {
		return nil, err
	}
	fillTargets(items, idx, targets, linked, camp.start, f.AsOf, plan, plans)
	ms := make([][]milestoneFact, len(items))
	for _, m := range milestones {
		if i, ok := idx[m.item]; ok {
			m.fact.planned = plan.Milestone(m.id, m.fact.planned)
			ms[i] = append(ms[i], m.fact)
		}
	}
	for i := range items {
		it := &items[i]
		it.LastReport = reportStates[it.ItemID]
		if it.LastReport == "" {
			it.LastReport = "missing"
		}
		judge(it, rules, ms[i], f.AsOf, last, camp.start, camp.end, !f.ColoursOnly)
		if o, ok := overrides[it.ItemID]; ok {
			it.Override = &o
			it.Light = o.Light
			if !f.ColoursOnly {
				it.Reasons = append([]string{"人工调整：" + o.Reason}, it.Reasons...)
			}
		}
	}
	return items, nil
}

// loadLightItems reads the items with their latest investment amount
// recorded by the cutoff, by the index on (item_id, recorded_at, id, amount)
// (a scalar subquery: see latestActual).
func loadLightItems(ctx context.Context, q store.Querier, w store.Where, cutoff time.Time) ([]ItemLight, map[int64]int, error) {
	rows, err := q.Query(ctx, `SELECT i.id, i.code, i.name, i.type, i.level, i.state, COALESCE(i.zone_id, 0), COALESCE(z.name, ''),
		i.leader_id, p.name, i.lead_unit_id, u.name, i.annual_investment, i.start_date,
		(SELECT x.amount FROM investment_actuals x WHERE x.item_id = i.id AND x.recorded_at < ? ORDER BY x.recorded_at DESC, x.id DESC LIMIT 1)
		FROM items i JOIN persons p ON p.id = i.leader_id JOIN units u ON u.id = i.lead_unit_id LEFT JOIN zones z ON z.id = i.zone_id`+
		w.SQL()+` ORDER BY i.code`, append([]any{cutoff}, w.Args...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("light items: %w", err)
	}
	defer rows.Close()
	items := []ItemLight{}
	idx := map[int64]int{}
	for rows.Next() {
		var it ItemLight
		var annual int64
		var amount sql.NullInt64
		if err := rows.Scan(&it.ItemID, &it.Code, &it.Name, &it.Type, &it.Level, &it.State, &it.ZoneID, &it.ZoneName,
			&it.LeaderID, &it.LeaderName, &it.LeadUnitID, &it.LeadUnitName, &annual, &it.start, &amount); err != nil {
			return nil, nil, err
		}
		it.AnnualWan = float64(annual) / 10000
		if amount.Valid {
			it.CompletedWan = float64(amount.Int64) / 10000
		}
		it.Targets, it.Reasons = []TargetProgress{}, []string{}
		idx[it.ItemID] = len(items)
		items = append(items, it)
	}
	return items, idx, rows.Err()
}

// latestActual selects a column of target t's latest actual recorded before
// the cutoff (OFFSET 1: the one before it), by the index on (target_id,
// recorded_at, id, value): a few index steps per target, whatever the
// history. Scalar subqueries rather than a join on the latest id: PostgreSQL
// hashes such a join over every actual of the table (1 s at 2,000 items ×
// 52 weeks), and evaluates the subquery twice.
func latestActual(col string, offset int) string {
	return fmt.Sprintf(`(SELECT x.%s FROM target_actuals x WHERE x.target_id = t.id AND x.recorded_at < ?
	ORDER BY x.recorded_at DESC, x.id DESC LIMIT 1 OFFSET %d)`, col, offset)
}

// anyTime scans a time that SQLite hands over as text when it comes from an
// expression (a subquery has no declared column type).
type anyTime struct {
	t     time.Time
	Valid bool
}

func (a *anyTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		a.Valid = false
		return nil
	case time.Time:
		a.t, a.Valid = x, true
		return nil
	case []byte:
		v = string(x)
	}
	str, ok := v.(string)
	if !ok {
		return fmt.Errorf("time: cannot scan %T", v)
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00"} {
		if t, err := time.Parse(layout, str); err == nil {
			a.t, a.Valid = t, true
			return nil
		}
	}
	return fmt.Errorf("time: cannot parse %q", str)
}

// targetRow is a target as read, with its latest actuals (hist[:n], the
// latest first) recorded by the cutoff.
type targetRow struct {
	item     int64
	deadline date.Date // as it is now, before extensions approved after the cutoff
	tp       TargetProgress
	hist     [2]point
	n        int
}

type point struct {
	v  float64
	at time.Time
}

// loadTargetRows reads the targets of the items sub selects, each with its
// two latest actuals recorded by the cutoff (for the value and the trend;
// without trend, the colours need the latest only), and the actuals of the
// targets linked to a ledger.
func loadTargetRows(ctx context.Context, q store.Querier, sub string, args []any, cutoff time.Time, trend bool) ([]targetRow, map[int64]ledger.Actual, error) {
	cols, pre := latestActual("value", 0)+", "+latestActual("recorded_at", 0)+", NULL, NULL", []any{cutoff, cutoff}
	if trend {
		cols = latestActual("value", 0) + ", " + latestActual("recorded_at", 0) + ", " + latestActual("value", 1) + ", " + latestActual("recorded_at", 1)
		pre = append(pre, cutoff, cutoff)
	}
	// Unordered: fillTargets sorts (SQLite would sort in a temporary b-tree).
	rows, err := q.Query(ctx, `SELECT t.id, t.item_id, t.name, t.unit, t.baseline, t.target_value, t.deadline, `+cols+`
		FROM targets t WHERE t.item_id IN (`+sub+`) AND t.created_at < ?`, append(append(pre, args...), cutoff)...)
	if err != nil {
		return nil, nil, fmt.Errorf("light targets: %w", err)
	}
	var ts []targetRow
	for rows.Next() {
		var r targetRow
		var v1, v2 sql.NullFloat64
		var at1, at2 anyTime
		if err := rows.Scan(&r.tp.TargetID, &r.item, &r.tp.Name, &r.tp.Unit, &r.tp.Baseline, &r.tp.Value, &r.deadline,
			&v1, &at1, &v2, &at2); err != nil {
			rows.Close()
			return nil, nil, err
		}
		if v1.Valid {
			r.hist[0], r.n = point{v1.Float64, at1.t}, 1
			if v2.Valid {
				r.hist[1], r.n = point{v2.Float64, at2.t}, 2
			}
		}
		ts = append(ts, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	// A target linked to a ledger takes the ledger's figure as its actual
	// (e.g. the share of idle factories revitalised), as it stood at the cutoff.
	ids := make([]int64, len(ts))
	for i, r := range ts {
		ids[i] = r.tp.TargetID
	}
	linked, err := ledger.TargetActuals(ctx, q, ids, cutoff)
	if err != nil {
		return nil, nil, err
	}
	return ts, linked, nil
}

// fillTargets gives each item its targets, by deadline (as it is now) and
// id, with their trajectory at asOf.
func fillTargets(items []ItemLight, idx map[int64]int, ts []targetRow, linked map[int64]ledger.Actual,
	campStart, asOf date.Date, plan PlanAsOf, plans map[int64][]PlanPoint) {
	slices.SortFunc(ts, func(a, b targetRow) int {
		if c := a.deadline.Time().Compare(b.deadline.Time()); c != 0 {
			return c
		}
		return cmp.Compare(a.tp.TargetID, b.tp.TargetID)
	})
	for _, r := range ts {
		i, ok := idx[r.item]
		if !ok {
			continue // an item created after the items were read
		}
		it := &items[i]
		tp, h := r.tp, r.hist[:r.n]
		tp.Deadline = plan.Target(tp.TargetID, r.deadline)
		tp.from = campStart
		if !it.start.IsZero() && it.start.After(campStart) {
			tp.from = it.start
		}
		tp.plan = plans[tp.TargetID]
		tp.Curve = len(tp.plan) > 0
		if a, ok := linked[tp.TargetID]; ok {
			h = []point{{v: a.Value, at: a.At}}
		}
		tp.Planned = tp.plannedAt(asOf)
		tp.Elapsed = tp.elapsedAt(asOf)
		if len(h) > 0 {
			a, at := h[0].v, h[0].at
			tp.Actual, tp.ActualAt = &a, &at
			comp := 0.0
			if tp.Value != tp.Baseline {
				comp = (a - tp.Baseline) / (tp.Value - tp.Baseline)
			}
			gap := a - tp.Planned
			tp.Completion, tp.Gap = &comp, &gap
			switch {
			case comp >= 1:
			case len(tp.plan) > 0:
				tp.Forecast = tp.planForecast(a, date.Of(at))
			case len(h) == 2:
				tp.Forecast = forecast(h[1].v, h[1].at, a, at, tp.Value)
			}
		}
		it.Targets = append(it.Targets, tp)
	}
}

// forecast extrapolates the line through two readings to the target value.
func forecast(v0 float64, t0 time.Time, v1 float64, t1 time.Time, target float64) *date.Date {
	dt := t1.Sub(t0).Hours()
	dv := v1 - v0
	if dt <= 0 || dv == 0 || (target-v1)/dv < 0 {
		return nil
	}
	hours := (target - v1) / dv * dt
	if hours > 24*365*20 {
		return nil
	}
	d := date.Of(t1.Add(time.Duration(hours) * time.Hour))
	return &d
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// lastReportStates gives each item's report state for period as it stood at cutoff.
func lastReportStates(ctx context.Context, q store.Querier, sub string, args []any, period string, cutoff time.Time) (map[int64]string, error) {
	// A report last changed before the cutoff is in its current state (every
	// change writes a revision at updated_at); otherwise its latest revision
	// before the cutoff tells, if any.
	rows, err := q.Query(ctx, `SELECT r.item_id, CASE WHEN r.updated_at < ? THEN r.state ELSE
		(SELECT v.state FROM report_revisions v WHERE v.report_id = r.id AND v.at < ? ORDER BY v.at DESC, v.id DESC LIMIT 1) END
		FROM reports r WHERE r.item_id IN (`+sub+`) AND r.period = ?`,
		append(append([]any{cutoff, cutoff}, args...), period)...)
	if err != nil {
		return nil, fmt.Errorf("report states: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var st sql.NullString
		if err := rows.Scan(&id, &st); err != nil {
			return nil, err
		}
		if st.Valid {
			out[id] = st.String
		}
	}
	return out, rows.Err()
}

type milestoneFact struct {
	name    string
	planned date.Date
	reached bool
}

// milestoneRow is a milestone fact with its ids; its planned date is the
// one in the milestones table, before extensions approved after the cutoff.
type milestoneRow struct {
	id, item int64
	fact     milestoneFact
}

func loadMilestoneFacts(ctx context.Context, q store.Querier, sub string, args []any, cutoff time.Time) ([]milestoneRow, error) {
	// Milestones reached by the cutoff (and known to be by then) do not
	// change a light: only the others are read, most of a year's milestones
	// being reached by its end.
	day := date.Of(cutoff.Add(-time.Nanosecond)) // the last day that began before the cutoff
	rows, err := q.Query(ctx, `SELECT m.id, m.item_id, m.name, m.planned_date, m.actual_date, m.actual_recorded_at, m.created_at FROM milestones m
		WHERE m.item_id IN (`+sub+`) AND m.created_at < ?
		AND NOT (m.actual_date IS NOT NULL AND m.actual_date <= ? AND COALESCE(m.actual_recorded_at, m.created_at) < ?)
		ORDER BY m.planned_date`, append(append([]any{}, args...), cutoff, day, cutoff)...)
	if err != nil {
		return nil, fmt.Errorf("milestone facts: %w", err)
	}
	defer rows.Close()
	var out []milestoneRow
	for rows.Next() {
		var m milestoneRow
		var actual date.Date
		var recorded sql.NullTime
		var created time.Time
		if err := rows.Scan(&m.id, &m.item, &m.fact.name, &m.fact.planned, &actual, &recorded, &created); err != nil {
			return nil, err
		}
		// Reached as of the cutoff if it happened by then and Gongjian knew by then
		// (a date set when the milestone was created counts from its creation).
		known := created
		if recorded.Valid {
			known = recorded.Time
		}
		m.fact.reached = !actual.IsZero() && actual.Time().Before(cutoff) && known.Before(cutoff)
		out = append(out, m)
	}
	return out, rows.Err()
}
func loadOverrides(ctx context.Context, q store.Querier, sub string, args []any, cutoff time.Time) (map[int64]Override, error) {
	rows, err := q.Query(ctx, `SELECT o.item_id, o.light, o.reason, o.username, o.set_at, o.cleared_at FROM light_overrides o
		WHERE o.item_id IN (`+sub+`) AND o.set_at < ? ORDER BY o.item_id, o.set_at, o.id`, append(append([]any{}, args...), cutoff)...)
	if err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	defer rows.Close()
	out := map[int64]Override{}
	for rows.Next() {
		var id int64
		var o Override
		var cleared sql.NullTime
		if err := rows.Scan(&id, &o.Light, &o.Reason, &o.Username, &o.SetAt, &cleared); err != nil {
			return nil, err
		}
		if cleared.Valid && cleared.Time.Before(cutoff) {
			delete(out, id)
			continue
		}
		out[id] = o
	}
	return out, rows.Err()
}

// judge applies the rules; every condition that lowers the light adds its reason.
// Reported values cover up to the end of the last period due, so they are
// measured against the plan at that day, not at the as-of day.
// Without why (roll-ups, counts) it computes the colour only.
func judge(it *ItemLight, r Rules, ms []milestoneFact, asOf date.Date, last Period, campStart, campEnd date.Date, why bool) {
	level := 0 // 0 green, 1 yellow, 2 red
	raise := func(l int, reason func() string) {
		if l > level {
			level = l
		}
		if why {
			it.Reasons = append(it.Reasons, reason())
		}
	}
	if it.State == "completed" {
		it.Light, it.Computed = "green", "green"
		if why {
			it.Reasons = append(it.Reasons, "已完成")
		}
		return
	}
	for _, m := range ms {
		switch {
		case m.reached:
		case m.planned.Before(asOf):
			raise(2, func() string {
				return fmt.Sprintf("节点「%s」计划 %s 完成，已逾期 %d 天", m.name, m.planned.Chinese(), days(m.planned, asOf))
			})
		case days(asOf, m.planned) <= r.WarnDays:
			raise(1, func() string {
				return fmt.Sprintf("节点「%s」将于 %s 到期，尚未完成", m.name, m.planned.Chinese())
			})
		}
	}
	measured := last.End
	if measured.Before(campStart) {
		measured = campStart
	}
	grade := func(ratio float64, desc func() string) {
		switch {
		case ratio < r.RedRatio:
			raise(2, desc)
		case ratio < r.YellowRatio:
			raise(1, desc)
		}
	}
	for _, t := range it.Targets {
		planned := t.plannedAt(measured)
		if t.Actual == nil || planned == t.Baseline {
			continue
		}
		ratio := (*t.Actual - t.Baseline) / (planned - t.Baseline)
		grade(ratio, func() string {
			return fmt.Sprintf("目标「%s」实际 %s%s，序时应达 %s%s（%.0f%%）", t.Name, num(*t.Actual), t.Unit, num(planned), t.Unit, ratio*100)
		})
	}
	if it.AnnualWan > 0 && it.CompletedWan > 0 {
		span := campEnd.Time().Sub(campStart.Time()).Hours()
		if el := clamp(measured.Time().Sub(campStart.Time()).Hours()/span, 0, 1); span > 0 && el > 0 {
			planned := it.AnnualWan * el
			ratio := it.CompletedWan / planned
			grade(ratio, func() string {
				return fmt.Sprintf("完成投资 %s万元，序时应完成 %s万元（%.0f%%）", num(it.CompletedWan), num(planned), ratio*100)
			})
		}
	}
	if !last.End.Before(campStart) {
		switch it.LastReport {
		case "missing", Draft:
			if r.MissingReportRed {
				raise(2, func() string {
					return fmt.Sprintf("%s 期进展逾期未报送（截止 %s）", last.Key, last.Due.Chinese())
				})
			} else {
				raise(1, func() string { return fmt.Sprintf("%s 期进展逾期未报送", last.Key) })
			}
		case Returned:
			raise(1, func() string { return fmt.Sprintf("%s 期填报被退回，尚未重新报送", last.Key) })
		}
	}
	it.Light = []string{"green", "yellow", "red"}[level]
	it.Computed = it.Light
	if level == 0 && why {
		it.Reasons = append(it.Reasons, "按计划推进")
	}
}

func days(a, b date.Date) int { return int(math.Round(b.Time().Sub(a.Time()).Hours() / 24)) }

func num(v float64) string {
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// SetOverride sets (or with light "" clears) a manual light for an item.
func (s *Service) SetOverride(ctx context.Context, itemID int64, light, reason string) error {
	if err := campaignVisible(ctx, s.db.Read(), itemID); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	var c errs.Checker
	c.Check(light == "" || light == "green" || light == "yellow" || light == "red", "light", "enum", "灯色应为 green、yellow、red，或留空以取消人工调整", light)
	c.Check(reason != "", "reason", "required", "人工调整灯色须写明理由", nil)
	if err := c.Err(); err != nil {
		return err
	}
	a := access.From(ctx)
	var uid any
	name := "system"
	if a != nil {
		uid, name = a.UserID, a.Username
	}
	return s.db.Tx(ctx, func(q store.Querier) error {
		now := s.now().UTC()
		if _, err := q.Exec(ctx, `UPDATE light_overrides SET cleared_at = ? WHERE item_id = ? AND cleared_at IS NULL`, now, itemID); err != nil {
			return fmt.Errorf("clear override: %w", err)
		}
		if light != "" {
			if _, err := q.Exec(ctx, `INSERT INTO light_overrides (item_id, light, reason, user_id, username, set_at) VALUES (?, ?, ?, ?, ?, ?)`,
				itemID, light, reason, uid, name, now); err != nil {
				return fmt.Errorf("set override: %w", err)
			}
		}
		return audit.Write(ctx, q, audit.Entry{Action: "light_override", Entity: "item", EntityID: itemID,
			After: map[string]string{"light": light, "reason": reason}})
	})
}

// Rollup counts lights and sums investment for one group of items.
type Rollup struct {
	Key          string  `json:"key"`
	Label        string  `json:"label"`
	Items        int     `json:"items"`
	Green        int     `json:"green"`
	Yellow       int     `json:"yellow"`
	Red          int     `json:"red"`
	Completed    int     `json:"completed" doc:"状态为已完成的事项"`
	AnnualWan    float64 `json:"annual_investment_wan"`
	CompletedWan float64 `json:"investment_completed_wan"`
}

// Rollups groups lights by "zone", "unit", "leader", "type", "level" or "campaign".
func Rollups(lights []ItemLight, by string) ([]Rollup, error) {
	key := map[string]func(ItemLight) (string, string){
		"zone": func(l ItemLight) (string, string) {
			return fmt.Sprint(l.ZoneID), orLabel(l.ZoneName, "未划入战区")
		},
		"unit":     func(l ItemLight) (string, string) { return fmt.Sprint(l.LeadUnitID), l.LeadUnitName },
		"leader":   func(l ItemLight) (string, string) { return fmt.Sprint(l.LeaderID), l.LeaderName },
		"type":     func(l ItemLight) (string, string) { return l.Type, l.Type },
		"level":    func(l ItemLight) (string, string) { return l.Level, l.Level },
		"campaign": func(ItemLight) (string, string) { return "all", "全部" },
	}[by]
	if key == nil {
		return nil, errs.Invalid([]errs.FieldError{{Field: "by", Key: "enum", Message: "分组应为 zone、unit、leader、type、level 或 campaign", Value: by}})
	}
	groups := map[string]*Rollup{}
	for _, l := range lights {
		k, label := key(l)
		g := groups[k]
		if g == nil {
			g = &Rollup{Key: k, Label: label}
			groups[k] = g
		}
		g.Items++
		switch l.Light {
		case "green":
			g.Green++
		case "yellow":
			g.Yellow++
		case "red":
			g.Red++
		}
		if l.State == "completed" {
			g.Completed++
		}
		g.AnnualWan += l.AnnualWan
		g.CompletedWan += l.CompletedWan
	}
	out := make([]Rollup, 0, len(groups))
	for _, g := range groups {
		g.AnnualWan, g.CompletedWan = math.Round(g.AnnualWan*10000)/10000, math.Round(g.CompletedWan*10000)/10000
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Red != out[j].Red {
			return out[i].Red > out[j].Red
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}

func orLabel(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
