package progress_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/gen"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// TestLightsOfOneItemByHand judges one item as of 1 July 2022 from facts
// written by hand, whose figures and reasons were worked out on paper: a
// target with no actual, one with one, one with two recorded at the same
// instant, one with a value recorded after the cutoff; a milestone moved by
// an extension approved after the as-of day, one reached, one close; the
// investment's latest amount before the cutoff.
func TestLightsOfOneItemByHand(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st, err := gen.Generate(ctx, db, gen.Options{Items: 3, Seed: 1, Zones: -1})
		if err != nil {
			t.Fatal(err)
		}
		utc := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }
		day := func(y int, m time.Month, d int) date.Date { return date.Of(utc(y, m, d, 0)) }
		jan1 := utc(2022, 1, 1, 0)
		var item int64
		err = db.Tx(ctx, func(q store.Querier) error {
			exec := func(query string, args ...any) int64 {
				t.Helper()
				var id int64
				if err := q.QueryRow(ctx, query+` RETURNING id`, args...).Scan(&id); err != nil {
					t.Fatalf("%s: %v", query, err)
				}
				return id
			}
			exec(`UPDATE campaigns SET start_date = ?, end_date = ?, cadence = 'monthly', report_due_days = 5,
				light_rules = '{"yellow_ratio":0.9,"red_ratio":0.7,"warn_days":14,"missing_report_red":false}' WHERE id = ?`,
				day(2022, 1, 1), day(2022, 12, 31), st.CampaignID)
			if err := q.QueryRow(ctx, `SELECT id FROM items WHERE campaign_id = ? ORDER BY code LIMIT 1`, st.CampaignID).Scan(&item); err != nil {
				return err
			}
			exec(`UPDATE items SET state = 'in_progress', start_date = NULL, annual_investment = 0, created_at = ? WHERE id = ?`, jan1, item)
			target := func(name string, deadline date.Date) int64 {
				return exec(`INSERT INTO targets (item_id, name, unit, baseline, target_value, deadline, created_at, updated_at)
					VALUES (?, ?, '个', 0, 100, ?, ?, ?)`, item, name, deadline, jan1, jan1)
			}
			actual := func(target int64, v float64, at time.Time) {
				exec(`INSERT INTO target_actuals (target_id, item_id, period, value, recorded_at) VALUES (?, ?, '2022-05', ?, ?)`, target, item, v, at)
			}
			target("无实际", day(2023, 3, 31)) // the latest deadline: listed last
			one := target("一次实际", day(2022, 12, 31))
			actual(one, 30, utc(2022, 5, 31, 10))
			same := target("同日两次", day(2022, 12, 31))
			actual(same, 20, utc(2022, 6, 10, 9))
			actual(same, 40, utc(2022, 6, 10, 9)) // the same instant, a later id: the latest
			late := target("截止后", day(2022, 12, 31))
			actual(late, 10, utc(2022, 4, 30, 8))
			actual(late, 25, utc(2022, 5, 31, 8))
			actual(late, 90, utc(2022, 7, 5, 8)) // after the cutoff: not yet known
			milestone := func(name string, planned date.Date, actual any, recorded any) int64 {
				return exec(`INSERT INTO milestones (item_id, name, planned_date, actual_date, actual_recorded_at, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, item, name, planned, actual, recorded, jan1, jan1)
			}
			moved := milestone("延期节点", day(2022, 8, 31), nil, nil)
			exec(`INSERT INTO deadline_extensions (item_id, milestone_id, old_date, new_date, reason, state, requested_at, decided_at, created_at, updated_at)
				VALUES (?, ?, ?, ?, '拆迁未完成', 'approved', ?, ?, ?, ?)`, item, moved, day(2022, 6, 20), day(2022, 8, 31),
				utc(2022, 6, 15, 9), utc(2022, 7, 10, 9), utc(2022, 6, 15, 9), utc(2022, 7, 10, 9))
			milestone("已完成节点", day(2022, 3, 31), day(2022, 3, 30), utc(2022, 3, 30, 17))
			milestone("临近节点", day(2022, 7, 10), nil, nil)
			exec(`INSERT INTO investment_actuals (item_id, period, amount, recorded_at) VALUES (?, '2022-05', 500000, ?)`, item, utc(2022, 5, 31, 8))
			exec(`INSERT INTO investment_actuals (item_id, period, amount, recorded_at) VALUES (?, '2022-07', 900000, ?)`, item, utc(2022, 7, 5, 8))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		s := progress.New(db)
		lights := func(asOf date.Date, coloursOnly bool) progress.ItemLight {
			t.Helper()
			ls, err := s.Lights(ctx, progress.LightFilter{CampaignID: st.CampaignID, ItemID: item, AsOf: asOf, ColoursOnly: coloursOnly})
			if err != nil {
				t.Fatal(err)
			}
			if len(ls) != 1 {
				t.Fatalf("%d lights, want 1", len(ls))
			}
			return ls[0]
		}

		// 1 July: the last period due is May (June's report is due 5 July),
		// measured at 31 May, day 150 of 364: planned 41.21.
		l := lights(day(2022, 7, 1), false)
		want := []string{
			"节点「临近节点」将于 2022年7月10日 到期，尚未完成",     // 9 days ahead
			"节点「延期节点」计划 2022年6月20日 完成，已逾期 11 天", // its date before the extension approved on 10 July
			"目标「一次实际」实际 30个，序时应达 41.21个（73%）",
			"目标「截止后」实际 25个，序时应达 41.21个（61%）", // 90 was recorded on 5 July
			"2022-05 期进展逾期未报送",
		}
		if l.Light != "red" || !slices.Equal(l.Reasons, want) {
			t.Errorf("light %s, reasons\n%q\nwant red,\n%q", l.Light, l.Reasons, want)
		}
		if l.CompletedWan != 50 {
			t.Errorf("investment completed %v 万元, want 50 (the 90 recorded on 5 July not yet known)", l.CompletedWan)
		}
		type fig struct {
			name     string
			actual   float64 // -1: none
			at       time.Time
			forecast string
		}
		wantT := []fig{
			{"一次实际", 30, utc(2022, 5, 31, 10), ""},         // one reading: no trend
			{"同日两次", 40, utc(2022, 6, 10, 9), ""},          // two at one instant: no trend
			{"截止后", 25, utc(2022, 5, 31, 8), "2022-11-02"}, // +15 in 31 days, 75 to go: 155 days
			{"无实际", -1, time.Time{}, ""},
		}
		if len(l.Targets) != len(wantT) {
			t.Fatalf("%d targets, want %d", len(l.Targets), len(wantT))
		}
		for i, w := range wantT {
			tp := l.Targets[i]
			got := fig{name: tp.Name, actual: -1}
			if tp.Actual != nil {
				got.actual, got.at = *tp.Actual, tp.ActualAt.UTC()
			}
			if tp.Forecast != nil {
				got.forecast = tp.Forecast.String()
			}
			if got != w {
				t.Errorf("target %d: %+v, want %+v", i, got, w)
			}
		}
		// Planned on 1 July, day 181 of 364 of the linear plan.
		if p := l.Targets[0].Planned; math.Abs(p-100*181.0/364) > 1e-9 {
			t.Errorf("planned %v on 1 July, want %v", p, 100*181.0/364)
		}

		// The roll-ups' colours-only computation: the same light, no reasons.
		if c := lights(day(2022, 7, 1), true); c.Light != "red" || len(c.Reasons) != 0 || c.CompletedWan != 50 {
			t.Errorf("colours only: %s %q %v, want red, no reasons, 50", c.Light, c.Reasons, c.CompletedWan)
		}

		// 20 July: the extension is in force (31 August is 42 days ahead).
		l = lights(day(2022, 7, 20), false)
		for _, r := range l.Reasons {
			if strings.Contains(r, "延期节点") {
				t.Errorf("20 July: %q, want no reason about the extended milestone", r)
			}
		}
		if want := "节点「临近节点」计划 2022年7月10日 完成，已逾期 10 天"; len(l.Reasons) == 0 || l.Reasons[0] != want {
			t.Errorf("20 July: reasons %q, want first %q", l.Reasons, want)
		}
	})
}
