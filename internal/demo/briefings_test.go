package demo

import (
	"context"
	"strings"
	"testing"

	"gongjian/internal/briefing"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// A new user opens the briefings page of the demo and finds the first half
// of 2022 published and January–September as a draft; loading the demo
// again generates no third one.
func TestDemoBriefingsOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, sum := loadDemo(t, db)
		if _, err := LoadReports(ctx, db, progress.New(db), sum.CampaignID); err != nil {
			t.Fatal(err)
		}
		x := Extras{Briefings: briefing.New(db)}
		for range 2 {
			if err := loadBriefings(ctx, s, x, sum); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := db.Read().Query(ctx, `SELECT title, state, as_of FROM briefings WHERE campaign_id = ? ORDER BY as_of`, sum.CampaignID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		type row struct{ title, state string }
		var got []row
		for rows.Next() {
			var r row
			var asOf any
			if err := rows.Scan(&r.title, &r.state, &asOf); err != nil {
				t.Fatal(err)
			}
			got = append(got, r)
		}
		if len(got) != 2 {
			t.Fatalf("%d briefings after loading twice, want 2: %+v", len(got), got)
		}
		if !strings.Contains(got[0].title, "上半年") || got[0].state != "published" {
			t.Errorf("first briefing %+v, want the first half of 2022, published", got[0])
		}
		if !strings.Contains(got[1].title, "1—9月") || got[1].state != "draft" {
			t.Errorf("second briefing %+v, want January–September 2022, a draft", got[1])
		}
	})
}
