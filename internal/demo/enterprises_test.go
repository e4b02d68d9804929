package demo

import (
	"context"
	"testing"
	"time"

	"gongjian/internal/casework"
	"gongjian/internal/date"
	"gongjian/internal/enterprise"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// The figures below are typed from the articles ([A1] 齐鲁晚报, [A2] 烟台日报):
// 14 三类五百强 enterprises, 30余 projects, 19 signed of 10亿元 or more,
// 国电投清洁能源研发中心 with 228亿元 registered capital, 120 white-list
// enterprises served, 60 financed with 4.9亿元, 1600余 enterprises visited,
// 400余 problems solved.
func TestDemoEnterpriseFigures(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, sum := loadDemo(t, db)
		ent := enterprise.New(db)
		x := Extras{Enterprises: ent, Cases: casework.New(db)}
		start := time.Now()
		if err := loadEnterprises(ctx, s, x, sum); err != nil {
			t.Fatal(err)
		}
		t.Logf("enterprises loaded in %v", time.Since(start))

		v, err := ent.VisitFigures(ctx, date.Date{}, date.Date{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if v.Total.EnterprisesVisited < 1600 || v.Total.Visits < 1600 {
			t.Errorf("visits: %+v, want 1600余 enterprises visited", v.Total)
		}
		if v.Total.ProblemsSolved < 400 || v.Total.ProblemsSolved >= 500 {
			t.Errorf("problems solved %d, want 400余", v.Total.ProblemsSolved)
		}
		if v.Total.ProblemsRaised < v.Total.ProblemsSolved {
			t.Errorf("problems raised %d < solved %d", v.Total.ProblemsRaised, v.Total.ProblemsSolved)
		}
		var linked int
		if err := db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM visit_problems vp JOIN cases c ON c.id = vp.case_id
			WHERE c.source_kind = 'visit' AND c.source_id = vp.visit_id AND c.type = 'enterprise_request'`).Scan(&linked); err != nil {
			t.Fatal(err)
		}
		if linked != v.Total.ProblemsRaised {
			t.Errorf("%d of %d problems are linked to a case raised from their visit", linked, v.Total.ProblemsRaised)
		}

		f, err := ent.FinancingFigures(ctx, date.Date{}, date.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if f.WhiteListServed != 120 || f.EnterprisesServed != 120 {
			t.Errorf("served %d (white list %d), want 120", f.EnterprisesServed, f.WhiteListServed)
		}
		if f.EnterprisesFinanced != 60 || f.AmountGrantedWan != 49000 {
			t.Errorf("financed %d enterprises with %v万元, want 60 with 49000万元 (4.9亿元)", f.EnterprisesFinanced, f.AmountGrantedWan)
		}

		p, err := ent.PipelineFigures(ctx, date.Date{}, date.Date{}, "", 30)
		if err != nil {
			t.Fatal(err)
		}
		if p.SignedAboveBillion != 19 {
			t.Errorf("signed above 1 bn: %d, want 19", p.SignedAboveBillion)
		}
		if p.Attracted < 30 || p.Attracted >= 40 {
			t.Errorf("attracted %d, want 30余", p.Attracted)
		}
		if p.Top500Investors != 14 {
			t.Errorf("top-500 investors signed: %d, want 14", p.Top500Investors)
		}
		top, err := ent.ListEnterprises(ctx, enterprise.EnterpriseFilter{Top500: "any"})
		if err != nil {
			t.Fatal(err)
		}
		if top.Total != 14 {
			t.Errorf("top-500 enterprises: %d, want 14", top.Total)
		}
		spic, err := ent.ListEnterprises(ctx, enterprise.EnterpriseFilter{Q: "国电投清洁能源研发中心"})
		if err != nil || spic.Total != 1 || spic.Items[0].RegisteredCapitalWan != 2280000 {
			t.Errorf("国电投清洁能源研发中心: %+v, %v; want one with 228亿元 (2280000万元) registered capital", spic.Items, err)
		}
		leads, err := ent.ListLeads(ctx, enterprise.LeadFilter{Q: "国电投"})
		if err != nil || leads.Total != 1 || leads.Items[0].EnterpriseID == nil || leads.Items[0].ItemCode != "XM-005" {
			t.Errorf("国电投 lead: %+v, %v; want linked to the enterprise and key project XM-005", leads.Items, err)
		}

		// Every generated credit code passes both check characters.
		all, err := ent.ListEnterprises(ctx, enterprise.EnterpriseFilter{Page: store.Page{Size: 500}})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range all.Items {
			if msg := enterprise.CheckCreditCode(e.CreditCode); msg != "" {
				t.Errorf("%s %s: %s", e.Name, e.CreditCode, msg)
			}
		}

		// A second run creates nothing.
		var cases, ents int
		count := func() (int, int) {
			var c, e int
			if err := db.Read().QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM enterprises)`).Scan(&c, &e); err != nil {
				t.Fatal(err)
			}
			return c, e
		}
		cases, ents = count()
		if err := loadEnterprises(ctx, s, x, sum); err != nil {
			t.Fatal(err)
		}
		if c, e := count(); c != cases || e != ents {
			t.Errorf("second run: %d cases, %d enterprises; first %d, %d", c, e, cases, ents)
		}
	})
}
