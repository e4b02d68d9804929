package progress

import (
	"context"
	"database/sql"
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

// PlanPoint is a target's planned cumulative value at the end of a period,
// one point of its explicit plan (计划曲线).
type PlanPoint struct {
	Date  date.Date `json:"date" doc:"期末日期，须在攻坚年起止日期内"`
	Value float64   `json:"value" doc:"截至该日计划累计值"`
}

// TargetPlan is a target's planned trajectory: explicit points, or the
// linear plan from its baseline to its value when there are none. Between
// points the plan is linear; it starts at the baseline on From and, after the
// last point, runs on to the value at the deadline.
type TargetPlan struct {
	TargetID      int64       `json:"target_id"`
	ItemID        int64       `json:"item_id"`
	Name          string      `json:"name"`
	Unit          string      `json:"unit"`
	Direction     string      `json:"direction" enum:"higher,lower"`
	Baseline      float64     `json:"baseline"`
	Value         float64     `json:"value"`
	From          date.Date   `json:"from" doc:"计划起点：攻坚年开始日或事项开工日（取较晚者），其值为基期值"`
	Deadline      date.Date   `json:"deadline"`
	CampaignStart date.Date   `json:"campaign_start"`
	CampaignEnd   date.Date   `json:"campaign_end"`
	Plan          []PlanPoint `json:"plan" doc:"显式计划点，按日期排列；为空时按线性计划"`
	SetAt         *time.Time  `json:"set_at" doc:"计划曲线设定时间"`
	SetBy         string      `json:"set_by"`
}

// PlanInput replaces a target's explicit plan; an empty plan returns the
// target to the linear plan.
type PlanInput struct {
	Plan []PlanPoint `json:"plan" maxItems:"120" doc:"计划点（期末日期、计划累计值），日期递增"`
}

// plannedAt is the value the plan expects on d: piecewise linear through the
// explicit points from the baseline on the plan's start, then on to the
// value at the deadline; the straight line from baseline to value without
// points.
func (t TargetProgress) plannedAt(d date.Date) float64 {
	// The knots are (from, baseline), the points after from, and (deadline,
	// value) when the deadline is later than the last of them; walked in
	// place, as this runs for every target several times per computation.
	at, from := d.Time(), t.from.Time()
	if !at.After(from) {
		return t.Baseline
	}
	prevAt, prevV := from, t.Baseline
	between := func(nextAt time.Time, nextV float64) float64 {
		return prevV + (nextV-prevV)*at.Sub(prevAt).Hours()/nextAt.Sub(prevAt).Hours()
	}
	for _, p := range t.plan {
		if !p.Date.After(t.from) {
			continue
		}
		pt := p.Date.Time()
		if !at.After(pt) {
			return between(pt, p.Value)
		}
		prevAt, prevV = pt, p.Value
	}
	if dl := t.Deadline.Time(); dl.After(prevAt) {
		if !at.After(dl) {
			return between(dl, t.Value)
		}
		return t.Value
	}
	return prevV
}

// elapsedAt is the 序时进度 on d: the share of the way from baseline to value
// the plan expects by then (for the linear plan, the share of time elapsed).
func (t TargetProgress) elapsedAt(d date.Date) float64 {
	if len(t.plan) == 0 || t.Value == t.Baseline {
		span := t.Deadline.Time().Sub(t.from.Time()).Hours()
		if span <= 0 {
			return 1
		}
		return clamp(d.Time().Sub(t.from.Time()).Hours()/span, 0, 1)
	}
	return clamp((t.plannedAt(d)-t.Baseline)/(t.Value-t.Baseline), 0, 1)
}

// planForecast is when a target on an explicit plan should reach its value:
// the deadline moved by as many days as the actual (reported on day at) lags
// behind the plan — the plan reached the actual's level that many days
// earlier — or is ahead of it.
func (t TargetProgress) planForecast(actual float64, at date.Date) *date.Date {
	sign := 1.0
	if t.Value < t.Baseline {
		sign = -1
	}
	// The first day the plan reaches the actual's level (the plan is monotone).
	lo, hi := t.from.Time(), maxTime(t.Deadline.Time(), t.from.Time())
	if sign*(actual-t.Baseline) <= 0 {
		return nil // no progress to extrapolate from
	}
	reached := func(at time.Time) bool { return sign*(t.plannedAt(date.Of(at))-actual) >= -1e-9 }
	if !reached(hi) {
		return nil
	}
	for hi.Sub(lo) > 24*time.Hour {
		mid := lo.Add(hi.Sub(lo) / 2).Truncate(24 * time.Hour)
		if reached(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	lag := at.Time().Sub(hi)
	d := date.Of(t.Deadline.Time().Add(lag))
	return &d
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// planInForce is the condition on target_plan_points p for the plan in force
// at a cutoff (two parameters: the cutoff twice).
const planInForce = `p.set_at < ? AND (p.replaced_at IS NULL OR p.replaced_at >= ?)`

// loadPlans reads the explicit plans in force at cutoff of the targets of
// the items itemSub selects.
func loadPlans(ctx context.Context, q store.Querier, itemSub string, args []any, cutoff time.Time) (map[int64][]PlanPoint, error) {
	rows, err := q.Query(ctx, `SELECT p.target_id, p.period_end, p.value FROM target_plan_points p
		WHERE p.item_id IN (`+itemSub+`) AND `+planInForce+` ORDER BY p.target_id, p.period_end`,
		append(append([]any{}, args...), cutoff, cutoff)...)
	if err != nil {
		return nil, fmt.Errorf("target plans: %w", err)
	}
	defer rows.Close()
	out := map[int64][]PlanPoint{}
	for rows.Next() {
		var id int64
		var p PlanPoint
		if err := rows.Scan(&id, &p.Date, &p.Value); err != nil {
			return nil, err
		}
		out[id] = append(out[id], p)
	}
	return out, rows.Err()
}

// getPlan reads a target with the plan in force at cutoff.
func getPlan(ctx context.Context, q store.Querier, targetID int64, cutoff time.Time) (TargetPlan, error) {
	var p TargetPlan
	var start date.Date
	err := q.QueryRow(ctx, `SELECT t.id, t.item_id, t.name, t.unit, t.direction, t.baseline, t.target_value, t.deadline,
		c.start_date, c.end_date, i.start_date FROM targets t JOIN items i ON i.id = t.item_id JOIN campaigns c ON c.id = i.campaign_id
		WHERE t.id = ?`, targetID).Scan(&p.TargetID, &p.ItemID, &p.Name, &p.Unit, &p.Direction, &p.Baseline, &p.Value, &p.Deadline,
		&p.CampaignStart, &p.CampaignEnd, &start)
	if store.IsNoRows(err) {
		return p, errs.NotFound("目标", targetID)
	}
	if err != nil {
		return p, fmt.Errorf("target plan: %w", err)
	}
	p.From = p.CampaignStart
	if !start.IsZero() && start.After(p.From) {
		p.From = start
	}
	rows, err := q.Query(ctx, `SELECT p.period_end, p.value, p.set_at, p.username FROM target_plan_points p
		WHERE p.target_id = ? AND `+planInForce+` ORDER BY p.period_end`, targetID, cutoff, cutoff)
	if err != nil {
		return p, fmt.Errorf("target plan points: %w", err)
	}
	defer rows.Close()
	p.Plan = []PlanPoint{}
	for rows.Next() {
		var pt PlanPoint
		var at time.Time
		if err := rows.Scan(&pt.Date, &pt.Value, &at, &p.SetBy); err != nil {
			return p, err
		}
		p.SetAt = &at
		p.Plan = append(p.Plan, pt)
	}
	return p, rows.Err()
}

// targetVisible fails with "not found" when the actor may not see the
// target's item, so that its existence is not confirmed.
func targetVisible(ctx context.Context, q store.Querier, targetID int64) error {
	w, err := campaign.ScopeWhere(ctx, q)
	if err != nil {
		return err
	}
	w.Add(`i.id = (SELECT item_id FROM targets WHERE id = ?)`, targetID)
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM items i`+w.SQL(), w.Args...).Scan(&n); err != nil {
		return fmt.Errorf("target visible: %w", err)
	}
	if n == 0 {
		return errs.NotFound("目标", targetID)
	}
	return nil
}

// TargetPlan returns a target's plan in force now.
func (s *Service) TargetPlan(ctx context.Context, targetID int64) (TargetPlan, error) {
	q := s.db.Read()
	if err := targetVisible(ctx, q, targetID); err != nil {
		return TargetPlan{}, err
	}
	return getPlan(ctx, q, targetID, s.now().UTC().Add(time.Second))
}

// check names each row of a plan that cannot be right for the target.
func (p TargetPlan) check(in PlanInput) error {
	var c errs.Checker
	higher := p.Direction != "lower"
	prev := PlanPoint{Date: p.From, Value: p.Baseline}
	for i, pt := range in.Plan {
		df, vf := fmt.Sprintf("plan[%d].date", i), fmt.Sprintf("plan[%d].value", i)
		switch {
		case pt.Date.IsZero():
			c.Add(df, "required", "请填写期末日期", nil)
		case pt.Date.Before(p.CampaignStart) || pt.Date.After(p.CampaignEnd):
			c.Add(df, "date.outside_campaign", fmt.Sprintf("日期应在攻坚年 %s 至 %s 之内", p.CampaignStart.Chinese(), p.CampaignEnd.Chinese()), pt.Date.String())
		case !pt.Date.After(prev.Date) && i > 0:
			c.Add(df, "plan.order", "日期应晚于上一行", pt.Date.String())
		case pt.Date.After(p.Deadline):
			c.Add(df, "plan.after_deadline", fmt.Sprintf("日期不能晚于目标期限 %s", p.Deadline.Chinese()), pt.Date.String())
		}
		v := pt.Value
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= 1e15:
			c.Add(vf, "number.invalid", "计划值无效", nil)
		case higher && v < prev.Value:
			c.Add(vf, "plan.monotone", fmt.Sprintf("计划累计值不能低于上一行（%s）：目标越高越好", num(prev.Value)), v)
		case !higher && v > prev.Value:
			c.Add(vf, "plan.monotone", fmt.Sprintf("计划累计值不能高于上一行（%s）：目标越低越好", num(prev.Value)), v)
		case higher && v > p.Value || !higher && v < p.Value:
			c.Add(vf, "plan.beyond_target", fmt.Sprintf("计划值不能超过目标值 %s", num(p.Value)), v)
		}
		if !pt.Date.IsZero() {
			prev.Date = pt.Date
		}
		if !math.IsNaN(v) {
			prev.Value = v
		}
	}
	return c.Err()
}

// SetTargetPlan replaces a target's explicit plan; the plan it replaces stays
// on record for as-of views, and the change is audited.
func (s *Service) SetTargetPlan(ctx context.Context, targetID int64, in PlanInput) (TargetPlan, error) {
	if err := targetVisible(ctx, s.db.Read(), targetID); err != nil {
		return TargetPlan{}, err
	}
	in.Plan = orEmpty(in.Plan)
	var out TargetPlan
	err := s.db.Tx(ctx, func(q store.Querier) error {
		now := s.now().UTC()
		before, err := getPlan(ctx, q, targetID, now.Add(time.Second))
		if err != nil {
			return err
		}
		if err := before.check(in); err != nil {
			return err
		}
		if err := writePlan(ctx, q, before, in.Plan, now); err != nil {
			return err
		}
		if out, err = getPlan(ctx, q, targetID, now.Add(time.Second)); err != nil {
			return err
		}
		return audit.Write(ctx, q, audit.Entry{Action: "update", Entity: "target_plan", EntityID: targetID,
			Before: before.Plan, After: out.Plan})
	})
	return out, err
}

// writePlan marks the plan in force replaced at now and inserts points.
func writePlan(ctx context.Context, q store.Querier, t TargetPlan, points []PlanPoint, now time.Time) error {
	if _, err := q.Exec(ctx, `UPDATE target_plan_points SET replaced_at = ? WHERE target_id = ? AND replaced_at IS NULL`, now, t.TargetID); err != nil {
		return fmt.Errorf("replace plan: %w", err)
	}
	var uid any
	name := "system"
	if a := access.From(ctx); a != nil {
		uid, name = a.UserID, a.Username
	}
	if len(points) == 0 {
		return nil
	}
	args := make([]any, 0, len(points)*7)
	for _, p := range points {
		args = append(args, t.TargetID, t.ItemID, p.Date, p.Value, now, uid, name)
	}
	_, err := q.Exec(ctx, `INSERT INTO target_plan_points (target_id, item_id, period_end, value, set_at, user_id, username) VALUES `+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", len(points)), ", "), args...)
	if err != nil {
		return fmt.Errorf("insert plan: %w", err)
	}
	return nil
}

// SetPlansForDemo gives targets explicit plans as system work (the demo
// loader), skipping targets that already have one.
func SetPlansForDemo(ctx context.Context, q store.Querier, plans map[int64][]PlanPoint, at time.Time) (int, error) {
	n := 0
	for id, points := range plans {
		var have sql.NullInt64
		if err := q.QueryRow(ctx, `SELECT MAX(id) FROM target_plan_points WHERE target_id = ?`, id).Scan(&have); err != nil {
			return n, fmt.Errorf("demo plan: %w", err)
		}
		if have.Valid {
			continue
		}
		t, err := getPlan(ctx, q, id, at)
		if err != nil {
			return n, err
		}
		if err := t.check(PlanInput{Plan: points}); err != nil {
			return n, fmt.Errorf("demo plan of target %d: %w", id, err)
		}
		if err := writePlan(ctx, q, t, points, at); err != nil {
			return n, err
		}
		if err := audit.Write(ctx, q, audit.Entry{Action: "update", Entity: "target_plan", EntityID: id, Before: t.Plan, After: points}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
