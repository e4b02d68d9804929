package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/progress"
	"gongjian/internal/store"
)

// The demo district lives in 2022: its records are dated as if entered when
// the campaign began, and its monthly reports are filed on the days they
// would have been, so that every as-of view of 2022 answers from history.
var (
	campaignStart = time.Date(2022, 1, 1, 9, 0, 0, 0, time.UTC)
	lastPeriod    = time.Date(2022, 11, 30, 0, 0, 0, 0, time.UTC) // reports are filed up to November 2022
)

// backdate moves the creation time of the campaign's records to its start,
// and records pre-set milestone dates as known on the day they happened.
func backdate(ctx context.Context, db *store.DB, campaignID int64) error {
	return db.Tx(ctx, func(q store.Querier) error {
		for _, stmt := range []string{
			`UPDATE items SET created_at = ?, updated_at = ? WHERE campaign_id = ? AND created_at > ?`,
			`UPDATE targets SET created_at = ?, updated_at = ? WHERE item_id IN (SELECT id FROM items WHERE campaign_id = ?) AND created_at > ?`,
			`UPDATE milestones SET created_at = ?, updated_at = ? WHERE item_id IN (SELECT id FROM items WHERE campaign_id = ?) AND created_at > ?`,
		} {
			if _, err := q.Exec(ctx, stmt, campaignStart, campaignStart, campaignID, campaignStart); err != nil {
				return fmt.Errorf("backdate: %w", err)
			}
		}
		rows, err := q.Query(ctx, `SELECT m.id, m.actual_date FROM milestones m JOIN items i ON i.id = m.item_id
			WHERE i.campaign_id = ? AND m.actual_date IS NOT NULL AND m.actual_recorded_at IS NULL`, campaignID)
		if err != nil {
			return fmt.Errorf("backdate milestones: %w", err)
		}
		type reached struct {
			id int64
			at date.Date
		}
		var rs []reached
		for rows.Next() {
			var r reached
			if err := rows.Scan(&r.id, &r.at); err != nil {
				rows.Close()
				return err
			}
			rs = append(rs, r)
		}
		rows.Close()
		for _, r := range rs {
			if _, err := q.Exec(ctx, `UPDATE milestones SET actual_recorded_at = ? WHERE id = ?`, r.at.Time().Add(18*time.Hour), r.id); err != nil {
				return fmt.Errorf("backdate milestone: %w", err)
			}
		}
		return nil
	})
}

// pace is how an item keeps to its plan in the demo: most on track, some
// behind, a few far behind; fixed per item code so every load is the same.
func pace(code string) float64 {
	if code == "MS-01" {
		return 1.02 // "列入年度计划的13个老旧小区11月底前基本完工": on plan
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(code))
	switch n := h.Sum32() % 20; {
	case n < 14:
		return 1.0 + float64(n%3)*0.03
	case n < 18:
		return 0.8 + float64(n%3)*0.03
	default:
		return 0.55
	}
}

type demoTarget struct {
	id                  int64
	name                string
	baseline, value     float64
	deadline            date.Date
	itemStart, itemEnd  date.Date
	itemCode, itemState string
	itemID              int64
}

type demoItem struct {
	id           int64
	code, state  string
	start, end   date.Date
	annualYuan   int64
	targets      []demoTarget
	milestones   []demoMilestone
	isKeyProject bool
}

type demoMilestone struct {
	id      int64
	planned date.Date
	actual  date.Date
}

// LoadReports files the monthly reports of 2022 for the demo campaign, once:
// when the campaign already has reports it does nothing.
func LoadReports(ctx context.Context, db *store.DB, prog *progress.Service, campaignID int64) (int, error) {
	var n int
	if err := db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM reports r JOIN items i ON i.id = r.item_id WHERE i.campaign_id = ?`, campaignID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count demo reports: %w", err)
	}
	if n > 0 {
		return 0, nil
	}
	items, err := loadDemoItems(ctx, db.Read(), campaignID)
	if err != nil {
		return 0, err
	}
	var now time.Time
	clock := prog.WithClock(func() time.Time { return now })
	filed := 0
	for month := campaignStart; !month.After(lastPeriod); month = month.AddDate(0, 1, 0) {
		period := month.Format("2006-01")
		end := date.Of(month.AddDate(0, 1, -1))
		for _, it := range items {
			if (!it.start.IsZero() && it.start.After(end)) || (it.state == "completed" && !it.end.IsZero() && it.end.Before(date.Of(month))) {
				continue
			}
			p := pace(it.code)
			// Filed a few days after the month ends; the slowest items file late now and then.
			day := 1 + int(math.Mod(float64(len(it.code))+float64(month.Month()), 5))
			if p < 0.6 && month.Month()%3 == 0 {
				day = 8
			}
			now = end.Time().AddDate(0, 0, day).Add(10 * time.Hour)
			in := progress.ReportInput{
				Narrative: fmt.Sprintf("%s月工作进展：按工作方案推进，本月完成既定节点任务。", fmt.Sprint(int(month.Month()))),
				NextSteps: "下月继续按计划推进，加强调度。",
			}
			if p < 0.9 {
				in.Narrative = fmt.Sprintf("%d月工作进展：受征迁、手续等因素影响，进度滞后于计划。", int(month.Month()))
				in.Problems = "要素保障和手续办理进度偏慢，需协调解决。"
			}
			asOf := end
			for _, t := range it.targets {
				in.Values = append(in.Values, progress.TargetValue{TargetID: t.id, Value: demoValue(t, asOf, p)})
			}
			if it.isKeyProject && it.annualYuan > 0 {
				frac := math.Min(1, float64(month.Month())/12*p)
				w := math.Round(float64(it.annualYuan)*frac/10000/10) * 10
				in.InvestmentCompletedWan = &w
			}
			for _, m := range it.milestones {
				if m.actual.IsZero() && !m.planned.After(end) && p >= 0.9 {
					in.Milestones = append(in.Milestones, progress.MilestoneReached{MilestoneID: m.id, ActualDate: m.planned})
				}
			}
			r, err := clock.SaveReport(ctx, it.id, period, 0, in)
			if err != nil {
				return filed, fmt.Errorf("demo report %s %s: %w", it.code, period, err)
			}
			if r, err = clock.Submit(ctx, r.ID, r.Version); err != nil {
				return filed, fmt.Errorf("demo submit %s %s: %w", it.code, period, err)
			}
			now = now.Add(26 * time.Hour)
			if p < 0.6 && month.Month() == 6 {
				// One returned and corrected report shows the whole loop.
				if r, err = clock.Return(ctx, r.ID, r.Version, "进展描述过于笼统，请补充征迁户数和资金到位情况。"); err != nil {
					return filed, err
				}
				now = now.Add(24 * time.Hour)
				in.Narrative += "已完成征迁户数与资金到位情况补充。"
				if r, err = clock.SaveReport(ctx, it.id, period, r.Version, in); err != nil {
					return filed, err
				}
				if r, err = clock.Submit(ctx, r.ID, r.Version); err != nil {
					return filed, err
				}
				now = now.Add(24 * time.Hour)
			}
			if _, err := clock.Accept(ctx, r.ID, r.Version); err != nil {
				return filed, fmt.Errorf("demo accept %s %s: %w", it.code, period, err)
			}
			// Milestones reached once are not reported again.
			for i := range it.milestones {
				for _, m := range in.Milestones {
					if m.MilestoneID == it.milestones[i].id {
						it.milestones[i].actual = m.ActualDate
					}
				}
			}
			filed++
		}
	}
	return filed, nil
}

// demoValue is a target's cumulative actual at the end of a month: the
// linear plan scaled by the item's pace. The articles' mid-year figure for
// the old-community renovation ("已完成总工程量的70%") holds at August's end.
func demoValue(t demoTarget, at date.Date, pace float64) float64 {
	if t.itemState == "completed" {
		return t.value
	}
	from := t.itemStart
	if from.IsZero() || from.Before(date.Of(campaignStart)) {
		from = date.Of(campaignStart)
	}
	span := t.deadline.Time().Sub(from.Time()).Hours()
	el := 1.0
	if span > 0 {
		el = math.Max(0, math.Min(1, at.Time().Sub(from.Time()).Hours()/span))
	}
	if t.itemCode == "MS-02" {
		// March to December, 70% done by the end of August.
		el = math.Min(1, math.Max(0, float64(at.Time().Month()-2)*0.7/6))
		pace = 1
	}
	v := t.baseline + (t.value-t.baseline)*math.Min(1, el*pace)
	if t.value-t.baseline >= 20 {
		v = math.Round(v)
	} else {
		v = math.Round(v*10) / 10
	}
	return v
}

func loadDemoItems(ctx context.Context, q store.Querier, campaignID int64) ([]*demoItem, error) {
	rows, err := q.Query(ctx, `SELECT id, code, state, start_date, end_date, annual_investment, type FROM items WHERE campaign_id = ? ORDER BY code`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("demo items: %w", err)
	}
	var items []*demoItem
	byID := map[int64]*demoItem{}
	for rows.Next() {
		it := &demoItem{}
		var typ string
		if err := rows.Scan(&it.id, &it.code, &it.state, &it.start, &it.end, &it.annualYuan, &typ); err != nil {
			rows.Close()
			return nil, err
		}
		it.isKeyProject = typ == "key_project"
		items = append(items, it)
		byID[it.id] = it
	}
	rows.Close()
	trows, err := q.Query(ctx, `SELECT t.id, t.item_id, t.name, t.baseline, t.target_value, t.deadline FROM targets t
		JOIN items i ON i.id = t.item_id WHERE i.campaign_id = ? ORDER BY t.id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("demo targets: %w", err)
	}
	for trows.Next() {
		var t demoTarget
		if err := trows.Scan(&t.id, &t.itemID, &t.name, &t.baseline, &t.value, &t.deadline); err != nil {
			trows.Close()
			return nil, err
		}
		it := byID[t.itemID]
		t.itemStart, t.itemEnd, t.itemCode, t.itemState = it.start, it.end, it.code, it.state
		it.targets = append(it.targets, t)
	}
	trows.Close()
	mrows, err := q.Query(ctx, `SELECT m.id, m.item_id, m.planned_date, m.actual_date FROM milestones m
		JOIN items i ON i.id = m.item_id WHERE i.campaign_id = ? ORDER BY m.planned_date`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("demo milestones: %w", err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var m demoMilestone
		var item int64
		if err := mrows.Scan(&m.id, &item, &m.planned, &m.actual); err != nil {
			return nil, err
		}
		byID[item].milestones = append(byID[item].milestones, m)
	}
	return items, mrows.Err()
}
