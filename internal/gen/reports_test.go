package gen_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/gen"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// A year of weekly reports is read by the progress service as the real
// report path's records are: the lights of the generated district are a mix,
// an item generated well behind its plan is red, and the replay of a past
// day sees only what had been reported by then.
func TestGeneratedReportsDriveTheLights(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		opt := gen.DefaultOptions(200)
		opt.Weeks = 52
		st, err := gen.Generate(ctx, db, opt)
		if err != nil {
			t.Fatal(err)
		}
		// 200 items × 52 weeks, less the weeks before an item was created,
		// after it was completed, and the reports never made (about 3%).
		if st.Reports < 200*40 || st.Reports > 200*52 || st.Revisions < 2*st.Reports || st.Actuals == 0 || st.Values == 0 {
			t.Fatalf("stats: reports %d, revisions %d, actuals %d, values %d", st.Reports, st.Revisions, st.Actuals, st.Values)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM reports r JOIN items i ON i.id = r.item_id WHERE i.campaign_id = ?`, st.CampaignID); n != st.Reports {
			t.Errorf("%d reports in the table, stats say %d", n, st.Reports)
		}
		var cadence string
		if err := db.Read().QueryRow(ctx, `SELECT cadence FROM campaigns WHERE id = ?`, st.CampaignID).Scan(&cadence); err != nil || cadence != "weekly" {
			t.Errorf("cadence %q, %v", cadence, err)
		}
		// Mostly accepted; some returned, some still submitted, some drafts, some late.
		for state, share := range map[string][2]float64{
			progress.Accepted: {0.85, 0.97}, progress.Returned: {0.01, 0.06}, progress.Submitted: {0.01, 0.06}, progress.Draft: {0.002, 0.03},
		} {
			n := count(t, db, `SELECT COUNT(*) FROM reports r JOIN items i ON i.id = r.item_id WHERE i.campaign_id = ? AND r.state = ?`, st.CampaignID, state)
			if f := float64(n) / float64(st.Reports); f < share[0] || f > share[1] {
				t.Errorf("%s: %d reports (%.3f), want %.3f–%.3f", state, n, f, share[0], share[1])
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM reports WHERE late = ? AND submitted_at <= due_date`, true); n != 0 {
			t.Errorf("%d reports marked late were on time", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM reports WHERE late = ?`, true); n == 0 {
			t.Error("no late reports")
		}
		// Every submission recorded its actuals at the moment it was submitted.
		if n := count(t, db, `SELECT COUNT(*) FROM target_actuals a JOIN reports r ON r.id = a.report_id
			WHERE a.recorded_at <> r.submitted_at OR r.state = 'draft'`); n != 0 {
			t.Errorf("%d actuals not recorded on submission", n)
		}
		// Milestones are reached by a report, never later than "today" of the data.
		if n := count(t, db, `SELECT COUNT(*) FROM milestones WHERE actual_date IS NOT NULL AND actual_recorded_at IS NULL`); n != 0 {
			t.Errorf("%d milestones reached without a report telling so", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM reports WHERE milestones_json LIKE '%milestone_id%'`); n == 0 {
			t.Error("no report tells a milestone reached")
		}

		p := progress.New(db)
		end := date.New(2022, time.December, 31)
		ls, err := p.Lights(ctx, progress.LightFilter{CampaignID: st.CampaignID, AsOf: end})
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		light := map[string]string{}
		for _, l := range ls {
			counts[l.Light]++
			light[l.Code] = l.Light
		}
		if counts["green"] == 0 || counts["yellow"] == 0 || counts["red"] == 0 || counts["green"] < counts["red"] {
			t.Errorf("lights at year end: %v", counts)
		}
		if len(st.Behind) == 0 {
			t.Fatal("no item generated behind its plan")
		}
		for _, code := range st.Behind {
			if light[code] != "red" {
				t.Errorf("item %s, well behind its plan, is %s", code, light[code])
			}
		}
		// The replay of 30 June sees the reports made by then only.
		mid := date.New(2022, time.June, 30)
		past, err := p.Lights(ctx, progress.LightFilter{CampaignID: st.CampaignID, AsOf: mid})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(past, func(l progress.ItemLight) bool { return l.Code == st.Behind[0] })
		if i < 0 {
			t.Fatalf("item %s not in the lights of %s", st.Behind[0], mid)
		}
		for _, tp := range past[i].Targets {
			if tp.ActualAt != nil && !tp.ActualAt.Before(mid.Time().AddDate(0, 0, 1)) {
				t.Errorf("as of %s, target %d shows an actual recorded %s", mid, tp.TargetID, tp.ActualAt)
			}
		}
	})
}
