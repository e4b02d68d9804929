package gen_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/gen"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

func count(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestGenerateWritesWhatItSays(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		opt := gen.DefaultOptions(300)
		st, err := gen.Generate(ctx, db, opt)
		if err != nil {
			t.Fatal(err)
		}
		if st.Prefix != "GEN1" || st.Items != 300 || st.Milestones != 1500 || st.Targets != 600 ||
			st.Units != gen.DefaultUnits || st.Persons != gen.DefaultPersons || st.Zones != gen.DefaultZones {
			t.Errorf("stats: %+v", st)
		}
		if st.SubItems == 0 || st.CoUnits == 0 {
			t.Errorf("no sub-items or co-units: %+v", st)
		}
		for q, want := range map[string]int{
			`SELECT COUNT(*) FROM items WHERE campaign_id = ?`:                                                                           st.Items,
			`SELECT COUNT(*) FROM items WHERE campaign_id = ? AND parent_id IS NOT NULL`:                                                 st.SubItems,
			`SELECT COUNT(*) FROM milestones m JOIN items i ON i.id = m.item_id WHERE i.campaign_id = ?`:                                 st.Milestones,
			`SELECT COUNT(*) FROM targets x JOIN items i ON i.id = x.item_id WHERE i.campaign_id = ?`:                                    st.Targets,
			`SELECT COUNT(*) FROM item_units x JOIN items i ON i.id = x.item_id WHERE i.campaign_id = ?`:                                 st.CoUnits,
			`SELECT COUNT(*) FROM zones WHERE campaign_id = ?`:                                                                           st.Zones,
			`SELECT COUNT(*) FROM items WHERE campaign_id = ? AND annual_investment > total_investment`:                                  0,
			`SELECT COUNT(*) FROM items WHERE campaign_id = ? AND end_date < start_date`:                                                 0,
			`SELECT COUNT(*) FROM items c JOIN items p ON p.id = c.parent_id WHERE c.campaign_id = ? AND p.campaign_id <> c.campaign_id`: 0,
		} {
			if got := count(t, db, q, st.CampaignID); got != want {
				t.Errorf("%s: %d, want %d", q, got, want)
			}
		}
		// Bulk generation is not a user action: nothing in the audit trail.
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log`); n != 0 {
			t.Errorf("audit_log has %d records after generation", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM milestones WHERE actual_date > ?`, date.Of(time.Now())); n != 0 {
			t.Errorf("%d milestones done in the future", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM targets WHERE (direction = 'higher' AND target_value <= baseline)
			OR (direction = 'lower' AND target_value >= baseline)`); n != 0 {
			t.Errorf("%d targets do not beat their baseline", n)
		}

		// What was written reads back through the service as a user would see it.
		svc := campaign.New(db)
		l, err := svc.ListItems(ctx, campaign.ItemFilter{CampaignID: st.CampaignID, Type: "key_project", Sort: "-total_investment"})
		if err != nil {
			t.Fatal(err)
		}
		if l.Total == 0 || l.TotalInvestmentWan <= 0 || len(l.Items) == 0 {
			t.Fatalf("key projects: %+v", l)
		}
		first := l.Items[0]
		if first.LeaderName == "" || first.LeadUnitName == "" || first.StartDate.IsZero() || !first.Illustrative {
			t.Errorf("first key project: %+v", first)
		}
		ms, err := svc.ListMilestones(ctx, first.ID)
		if err != nil || len(ms) != opt.MilestonesPerItem {
			t.Errorf("milestones of %d: %d, %v", first.ID, len(ms), err)
		}

		// A second run adds a second district next to the first, with the
		// same work list for the same seed.
		st2, err := gen.Generate(ctx, db, opt)
		if err != nil {
			t.Fatal(err)
		}
		if st2.Prefix != "GEN2" || st2.District == st.District || st2.Items != st.Items {
			t.Errorf("second district: %+v", st2)
		}
		names := func(camp int64) []string {
			rows, err := db.Read().Query(ctx, `SELECT code || ' ' || name FROM items WHERE campaign_id = ? ORDER BY code`, camp)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				out = append(out, s)
			}
			return out
		}
		if a, b := names(st.CampaignID), names(st2.CampaignID); !slices.Equal(a, b) {
			t.Errorf("same seed, different items: %d vs %d names", len(a), len(b))
		}
		st3, err := gen.Generate(ctx, db, gen.Options{Items: 10, Zones: -1, Prefix: "X1"})
		if err != nil || st3.Zones != 0 || st3.Milestones != 0 || st3.Targets != 0 || st3.Items != 10 {
			t.Errorf("district without zones, milestones and targets: %+v, %v", st3, err)
		}
		if _, err := gen.Generate(ctx, db, gen.Options{Items: 1, Prefix: "GEN1"}); err == nil {
			t.Error("a used prefix was accepted")
		}
	})
}

func TestGenerateRejectsBadOptions(t *testing.T) {
	db := testdb.Open(t, store.SQLite)
	for _, o := range []gen.Options{{Items: -1}, {MilestonesPerItem: 101}, {Prefix: "a b"}, {Year: 1999}} {
		if _, err := gen.Generate(context.Background(), db, o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}
