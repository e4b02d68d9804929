package demo

import (
	"context"
	"fmt"
	"math"
	"time"

	campaignsvc "gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/progress"
	"gongjian/internal/store"
)

// bigProject is the size from which a key project under construction gets
// an investment target with an S-curve plan (计划曲线): 10亿元 in total.
const bigProject = 100000 // 万元

// sCurve is the share of a year's planned investment done by the end of a
// month of 2022 on a construction project: a slow start (permits, site
// clearing), a fast middle and a slow end (winter). The linear plan would
// expect 25%, 50%, 75% and 92% on these days.
var sCurve = []struct {
	month time.Month
	share float64
}{{time.March, 0.08}, {time.June, 0.40}, {time.September, 0.82}, {time.November, 0.95}}

// loadPlans gives each big key project under construction an investment
// target for the year (年度计划投资, 万元) planned on the S-curve, once: a
// project that has the target already is skipped. Called before the
// campaign's records are backdated, so the target counts from the campaign's
// start, and the plan is in force from then on too. These targets carry no
// reported values (the reports report investment on the item), so no light
// or figure of the articles changes.
func loadPlans(ctx context.Context, s Services, d District, campaignID int64) error {
	plans := map[int64][]progress.PlanPoint{}
	for _, it := range d.Items {
		if it.Type != "key_project" || it.State != "in_progress" || it.TotalWan < bigProject || it.AnnualWan <= 0 {
			continue
		}
		var itemID int64
		if err := s.DB.Read().QueryRow(ctx, `SELECT id FROM items WHERE campaign_id = ? AND code = ?`, campaignID, it.Code).Scan(&itemID); err != nil {
			return fmt.Errorf("plan of %s: %w", it.Code, err)
		}
		var n int
		if err := s.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM targets WHERE item_id = ? AND name = ?`, itemID, investmentTarget).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		deadline := date.New(2022, time.December, 31)
		if end, err := time.Parse("2006-01-02", it.End); err == nil && end.Before(deadline.Time()) {
			deadline = date.Of(end)
		}
		t, err := s.Campaign.CreateTarget(ctx, itemID, campaignsvc.TargetInput{Name: investmentTarget, Unit: "万元",
			Value: it.AnnualWan, Deadline: deadline, Direction: "higher"})
		if err != nil {
			return fmt.Errorf("investment target of %s: %w", it.Code, err)
		}
		var points []progress.PlanPoint
		for _, p := range sCurve {
			day := date.Of(time.Date(2022, p.month+1, 0, 0, 0, 0, 0, time.UTC)) // the month's last day
			if day.After(deadline) {
				break
			}
			points = append(points, progress.PlanPoint{Date: day, Value: math.Round(it.AnnualWan * p.share)})
		}
		plans[t.ID] = points
	}
	if len(plans) == 0 {
		return nil
	}
	return s.DB.Tx(ctx, func(q store.Querier) error {
		_, err := progress.SetPlansForDemo(ctx, q, plans, campaignStart)
		return err
	})
}

// investmentTarget is the name of the big projects' investment target.
const investmentTarget = "年度计划投资"
