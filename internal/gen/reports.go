package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/progress"
)

// Report history (Options.Weeks): every item reports weekly from the
// campaign's first week, in the tables and states the report path writes
// (internal/progress/report.go) — a report per item and week, its revisions
// (保存草稿, 报送, 审核通过 or 退回), the target and investment actuals
// recorded when it was submitted, and the milestones it reports reached.
//
// Most reports are accepted; some are late, returned, left as drafts or
// missing. Each item keeps a pace against its plan: most are on track, some
// behind (yellow) and some well behind (red), so that the lights of a
// generated district look like a real one's.
//
// What happens to a report is drawn from the item and week alone (fate), not
// from the generator's stream, so that milestones, written before the
// reports, can say which report told them reached.

// initWeeks picks the weeks reported on and moves "today" of the generated
// data to the end of the last of them.
func (g *generator) initWeeks() {
	if g.opt.Weeks == 0 {
		return
	}
	today := date.Of(time.Now())
	for _, p := range progress.Periods("weekly", g.yearStart, g.yearEnd, reportDueDays) {
		if len(g.weeks) == g.opt.Weeks || !p.Due.Before(today) {
			break
		}
		g.weeks = append(g.weeks, p)
	}
	g.asOf = g.yearEnd
	if n := len(g.weeks); n > 0 {
		g.asOf = minDate(g.weeks[n-1].End, g.yearEnd)
	}
}

// reportDueDays is the campaigns' default: a report is due 5 days after its period.
const reportDueDays = 5

// What became of an item's report for a week.
type fate struct {
	state     string // "" for no report at all
	late      bool
	submitted time.Time // zero for a draft
	reviewed  time.Time // zero until accepted or returned
	noise     float64   // of the reported values, around 1
}

// fateOf draws what became of item n's report for week w.
func (g *generator) fateOf(n, w int) fate {
	r := rand.New(rand.NewPCG(g.opt.Seed^uint64(n+1)*0x9e3779b97f4a7c15, uint64(w+1)))
	p := g.weeks[w]
	f := fate{noise: 0.97 + 0.06*r.Float64()}
	switch x := r.IntN(1000); {
	case x < 30:
		return fate{} // missing
	case x < 40:
		f.state = progress.Draft
		return f
	case x < 70:
		f.state = progress.Returned
	case x < 100:
		f.state = progress.Submitted
	default:
		f.state = progress.Accepted
	}
	// Submitted on one of the last days before the due date, in office hours,
	// or late (8%) up to a week after it.
	day := p.Due.Time().AddDate(0, 0, -r.IntN(5))
	if r.IntN(100) < 8 {
		f.late = true
		day = p.Due.Time().AddDate(0, 0, 1+r.IntN(7))
	}
	f.submitted = day.Add(time.Duration(8*3600+r.IntN(9*3600)) * time.Second)
	if f.state != progress.Submitted {
		f.reviewed = f.submitted.Add(time.Duration(3600+r.IntN(48*3600)) * time.Second)
	}
	return f
}

// reportedAt is when the report that tells item n's milestone reached on day
// was submitted: the first submitted report of the week of day or later.
func (g *generator) reportedAt(n int, day date.Date) (time.Time, bool) {
	for w, p := range g.weeks {
		if p.End.Before(day) || !g.owes(n, w) {
			continue
		}
		if f := g.fateOf(n, w); !f.submitted.IsZero() {
			return f.submitted, true
		}
	}
	return time.Time{}, false
}

// owes says whether item n owes a report for week w: from the week it was
// created in, and for a completed item up to the week it was completed in.
func (g *generator) owes(n, w int) bool {
	it, p := g.items[n], g.weeks[w]
	return !p.End.Before(date.Of(it.created)) && !(it.state == "completed" && p.Start.After(it.end))
}

// paceOf is how fast item n moves against its plan: 1 is on plan.
func (g *generator) paceOf(n int) float64 {
	r := rand.New(rand.NewPCG(g.opt.Seed^uint64(n+1)*0xbf58476d1ce4e5b9, 0x94d049bb133111eb))
	switch x := r.IntN(100); {
	case x < 70:
		return 0.95 + 0.25*r.Float64()
	case x < 88:
		return 0.76 + 0.14*r.Float64() // yellow
	}
	return 0.3 + 0.35*r.Float64() // red
}

type genTarget struct {
	id          int64
	base, value float64
	deadline    date.Date
	progress    float64 // reported share of the way, kept monotone
	integer     bool
}

type genReport struct {
	item    int // index into g.items
	week    int
	f       fate
	values  []float64 // per target of the item, in order
	amount  int64     // investment completed, yuan; -1 for none
	reached string    // milestones_json
}

func (g *generator) insertReports(st *Stats) error {
	if len(g.weeks) == 0 {
		return nil
	}
	targets, err := g.loadTargets()
	if err != nil {
		return err
	}
	reached, err := g.loadReached()
	if err != nil {
		return err
	}
	var reports []genReport
	for n, it := range g.items {
		pace := g.paceOf(n)
		if pace < 0.7 && it.state == "in_progress" {
			st.Behind = append(st.Behind, it.code)
		}
		from := maxDate(it.start, g.yearStart)
		ts := targets[it.id]
		fates := make([]fate, len(g.weeks))
		for w := range g.weeks {
			fates[w] = g.fateOf(n, w)
		}
		told := g.toldIn(n, fates, reached[it.id])
		done := 0.0 // investment share, monotone
		for w, p := range g.weeks {
			if !g.owes(n, w) {
				continue
			}
			f := fates[w]
			if f.state == "" {
				continue
			}
			rp := genReport{item: n, week: w, f: f, amount: -1, reached: "[]"}
			for i := range ts {
				t := &ts[i]
				want := 1.0
				if span := t.deadline.Time().Sub(from.Time()).Hours(); span > 0 {
					want = clampf(p.End.Time().Sub(from.Time()).Hours()/span, 0, 1)
				}
				if it.state == "completed" {
					want = 1
				}
				t.progress = math.Max(t.progress, math.Min(1, want*pace*f.noise))
				rp.values = append(rp.values, t.round(t.base+(t.value-t.base)*t.progress))
			}
			if it.annual > 0 {
				el := clampf(p.End.Time().Sub(g.yearStart.Time()).Hours()/g.yearEnd.Time().Sub(g.yearStart.Time()).Hours(), 0, 1)
				done = math.Max(done, math.Min(1, el*pace*f.noise))
				rp.amount = int64(math.Round(float64(it.annual)*done)) * 10000
			}
			if told[w] != "" {
				rp.reached = "[" + told[w] + "]"
			}
			reports = append(reports, rp)
		}
	}
	return g.writeReports(st, reports, targets)
}

func (t genTarget) round(v float64) float64 {
	if t.integer {
		return math.Round(v)
	}
	return math.Round(v*10) / 10
}

func clampf(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// loadTargets reads the district's targets back, per item in id order.
func (g *generator) loadTargets() (map[int64][]genTarget, error) {
	rows, err := g.q.Query(g.ctx, `SELECT t.id, t.item_id, t.baseline, t.target_value, t.deadline, t.unit FROM targets t
		JOIN items i ON i.id = t.item_id JOIN campaigns c ON c.id = i.campaign_id WHERE c.code = ? ORDER BY t.id`, g.prefix+"-GJN")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]genTarget{}
	for rows.Next() {
		var t genTarget
		var item int64
		var unit string
		if err := rows.Scan(&t.id, &item, &t.base, &t.value, &t.deadline, &unit); err != nil {
			return nil, err
		}
		t.integer = unit != "%" && t.value == math.Round(t.value) && math.Abs(t.value-t.base) >= 20
		out[item] = append(out[item], t)
	}
	return out, rows.Err()
}

type genMilestone struct {
	id     int64
	actual date.Date
}

// loadReached reads back the milestones reached, per item.
func (g *generator) loadReached() (map[int64][]genMilestone, error) {
	rows, err := g.q.Query(g.ctx, `SELECT m.id, m.item_id, m.actual_date FROM milestones m JOIN items i ON i.id = m.item_id
		JOIN campaigns c ON c.id = i.campaign_id WHERE c.code = ? AND m.actual_date IS NOT NULL ORDER BY m.id`, g.prefix+"-GJN")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]genMilestone{}
	for rows.Next() {
		var m genMilestone
		var item int64
		if err := rows.Scan(&m.id, &item, &m.actual); err != nil {
			return nil, err
		}
		out[item] = append(out[item], m)
	}
	return out, rows.Err()
}

// toldIn lists, per week, the milestones (as JSON objects) that the item's
// report of that week tells reached: as reportedAt, the first submitted
// report of the week of the actual date or later.
func (g *generator) toldIn(n int, fates []fate, ms []genMilestone) []string {
	out := make([]string, len(fates))
	for _, m := range ms {
		for w, p := range g.weeks {
			if p.End.Before(m.actual) || !g.owes(n, w) || fates[w].submitted.IsZero() {
				continue
			}
			if out[w] != "" {
				out[w] += ","
			}
			out[w] += fmt.Sprintf(`{"milestone_id":%d,"actual_date":"%s"}`, m.id, m.actual)
			break
		}
	}
	return out
}

var narratives = []string{
	"按周调度推进，本周完成计划工作量。",
	"施工（实施）单位加班加点，关键工序按节点推进。",
	"协调配合单位解决用地、资金等问题，进展总体平稳。",
	"受天气和材料供应影响，部分工作略有滞后，已制定追赶措施。",
	"分包领导现场调度一次，问题随报随办。",
}

var problems = []string{"", "", "", "要素保障仍有缺口，需协调解决。", "手续办理进度偏慢。"}

// writeReports inserts the reports, reads their ids back, and writes what
// hangs off them.
func (g *generator) writeReports(st *Stats, reports []genReport, targets map[int64][]genTarget) error {
	ins := newInserter(g.ctx, g.q, "reports", "item_id", "period", "period_end", "due_date", "state", "narrative", "problems", "next_steps",
		"investment_completed", "milestones_json", "late", "submitted_at", "reviewed_at", "return_reason", "revision", "version",
		"created_at", "updated_at")
	for _, rp := range reports {
		it, p, f := g.items[rp.item], g.weeks[rp.week], rp.f
		var amount, submitted, reviewed any
		if rp.amount >= 0 {
			amount = rp.amount
		}
		rev, created := 1, p.End.Time().Add(16*time.Hour)
		updated := created
		if !f.submitted.IsZero() {
			submitted, rev, updated = f.submitted, 2, f.submitted
			created = minTime(created, f.submitted.Add(-time.Hour))
		}
		if !f.reviewed.IsZero() {
			reviewed, rev, updated = f.reviewed, 3, f.reviewed
		}
		reason := ""
		if f.state == progress.Returned {
			reason = "数据与现场核查不符，请核实后重新报送。"
		}
		if err := ins.add(it.id, p.Key, p.End, p.Due, f.state, narratives[(rp.item+rp.week)%len(narratives)],
			problems[(rp.item*7+rp.week)%len(problems)], "按计划推进下周工作。", amount, rp.reached, f.late,
			submitted, reviewed, reason, rev, rev+1, created, updated); err != nil {
			return err
		}
	}
	if err := ins.flush(); err != nil {
		return err
	}
	st.Reports = ins.total
	ids, err := g.reportIDs()
	if err != nil {
		return err
	}
	values := newInserter(g.ctx, g.q, "report_values", "report_id", "target_id", "value")
	revs := newInserter(g.ctx, g.q, "report_revisions", "report_id", "revision", "state", "at", "username", "note", "snapshot")
	actuals := newInserter(g.ctx, g.q, "target_actuals", "target_id", "item_id", "report_id", "period", "value", "recorded_at")
	invest := newInserter(g.ctx, g.q, "investment_actuals", "item_id", "report_id", "period", "amount", "recorded_at")
	for _, rp := range reports {
		it, p, f := g.items[rp.item], g.weeks[rp.week], rp.f
		id, ok := ids[reportKey{it.id, p.Key}]
		if !ok {
			return fmt.Errorf("report of item %s for %s not read back", it.code, p.Key)
		}
		ts := targets[it.id]
		for i, v := range rp.values {
			if err := values.add(id, ts[i].id, v); err != nil {
				return err
			}
		}
		revision := func(n int, state string, at time.Time, note string) error {
			snap := fmt.Sprintf(`{"id":%d,"item_id":%d,"period":"%s","state":"%s","revision":%d}`, id, it.id, p.Key, state, n)
			return revs.add(id, n, state, at, "system", note, snap)
		}
		if err := revision(1, progress.Draft, p.End.Time().Add(16*time.Hour), "保存草稿"); err != nil {
			return err
		}
		if f.submitted.IsZero() {
			continue
		}
		if err := revision(2, progress.Submitted, f.submitted, "报送"); err != nil {
			return err
		}
		switch f.state {
		case progress.Accepted:
			err = revision(3, progress.Accepted, f.reviewed, "审核通过")
		case progress.Returned:
			err = revision(3, progress.Returned, f.reviewed, "退回")
		}
		if err != nil {
			return err
		}
		for i, v := range rp.values {
			if err := actuals.add(ts[i].id, it.id, id, p.Key, v, f.submitted); err != nil {
				return err
			}
		}
		if rp.amount >= 0 {
			if err := invest.add(it.id, id, p.Key, rp.amount, f.submitted); err != nil {
				return err
			}
		}
	}
	for _, in := range []*inserter{values, revs, actuals, invest} {
		if err := in.flush(); err != nil {
			return err
		}
	}
	st.Revisions = revs.total
	st.Actuals = actuals.total + invest.total
	st.Values = values.total
	return nil
}

type reportKey struct {
	item   int64
	period string
}

func (g *generator) reportIDs() (map[reportKey]int64, error) {
	rows, err := g.q.Query(g.ctx, `SELECT r.id, r.item_id, r.period FROM reports r JOIN items i ON i.id = r.item_id
		JOIN campaigns c ON c.id = i.campaign_id WHERE c.code = ?`, g.prefix+"-GJN")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[reportKey]int64{}
	for rows.Next() {
		var id int64
		var k reportKey
		if err := rows.Scan(&id, &k.item, &k.period); err != nil {
			return nil, err
		}
		out[k] = id
	}
	return out, rows.Err()
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
