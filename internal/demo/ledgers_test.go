package demo

import (
	"context"
	"testing"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/ledger"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// Every ledger figure of the articles comes out of a demo ledger. The
// expected values are typed from the articles ([A1] 齐鲁晚报, [A2] 烟台日报),
// not from the constants of the loader.
func TestDemoLedgerFigures(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, sum := loadDemo(t, db)
		svc := ledger.New(db)
		x := Extras{Ledgers: svc}
		start := time.Now()
		if err := loadLedgers(ctx, s, x, sum); err != nil {
			t.Fatal(err)
		}
		t.Logf("ledgers loaded in %v", time.Since(start))

		fig := func(code string, ff ledger.FigureFilter) ledger.LedgerFigures {
			t.Helper()
			l, err := svc.LedgerByCode(ctx, code)
			if err != nil {
				t.Fatalf("ledger %s: %v", code, err)
			}
			f, err := svc.Figures(ctx, l.ID, ff)
			if err != nil {
				t.Fatalf("figures of %s: %v", code, err)
			}
			return f
		}
		sumOf := func(f ledger.LedgerFigures, key string) float64 {
			for _, s := range f.Sums {
				if s.Key == key {
					return s.Value
				}
			}
			t.Fatalf("no sum %s in %+v", key, f.Sums)
			return 0
		}
		groupOf := func(f ledger.LedgerFigures, key string) (int, map[string]float64) {
			for _, g := range f.Groups {
				if g.Key == key {
					return g.Count, g.Sums
				}
			}
			t.Fatalf("no group %s in %+v", key, f.Groups)
			return 0, nil
		}
		press := date.MustParse("2022-09-08") // the press conference [A2]
		eq := func(k, v string) map[string]string { return map[string]string{k: v} }

		// 累计拆除各类违建6469处、95.78万平方米 [A2]
		if f := fig("WJCC", ledger.FigureFilter{AsOf: press}); f.Count != 6469 || sumOf(f, "area") != 957800 {
			t.Errorf("illegal structures: %d, %v m²; want 6469, 957800", f.Count, sumOf(f, "area"))
		}
		// 整治违规户外广告近1300处，拆除围挡410余处 [A2]
		f := fig("GGWD", ledger.FigureFilter{GroupBy: "kind"})
		if n, _ := groupOf(f, "违规户外广告"); n != 1300 {
			t.Errorf("ads: %d, want 1300", n)
		}
		if n, _ := groupOf(f, "围挡"); n != 410 {
			t.Errorf("hoardings: %d, want 410", n)
		}
		// 新增免费停车位9783个，有偿错时共享停车位3515个 [A2]
		f = fig("TCW", ledger.FigureFilter{GroupBy: "kind"})
		if _, s := groupOf(f, "免费停车位"); s["spaces"] != 9783 {
			t.Errorf("free parking spaces: %v, want 9783", s["spaces"])
		}
		if _, s := groupOf(f, "有偿错时共享停车位"); s["spaces"] != 3515 {
			t.Errorf("shared parking spaces: %v, want 3515", s["spaces"])
		}
		// 已拥有人才公寓2200余套 [A2]
		if f := fig("RCGY", ledger.FigureFilter{}); sumOf(f, "units") != 2200 {
			t.Errorf("talent apartments: %v, want 2200", sumOf(f, "units"))
		}
		// 人才地图共收录各类高层次人才1500余名，今年引进培育省级以上人才34名 [A1]；硕士以上420余人 [A2]
		if f := fig("RCDT", ledger.FigureFilter{}); f.Count != 1500 {
			t.Errorf("talent map: %d, want 1500", f.Count)
		}
		if f := fig("RCDT", ledger.FigureFilter{PeriodFrom: "2022-01", PeriodTo: "2022-12", Equals: eq("level", "省级以上")}); f.Count != 34 {
			t.Errorf("provincial-level talents this year: %d, want 34", f.Count)
		}
		if f := fig("RCDT", ledger.FigureFilter{Equals: eq("degree", "硕士及以上")}); f.Count != 420 {
			t.Errorf("master's or above: %d, want 420", f.Count)
		}
		// 处置批而未供土地、闲置土地880亩 [A1]
		if f := fig("XZTD", ledger.FigureFilter{}); sumOf(f, "area") != 880 {
			t.Errorf("idle land: %v 亩, want 880", sumOf(f, "area"))
		}
		// 11处老旧农贸市场已改造完成 [A1]；按星级标准完成10处 [A2]；5000余万社会资本 [A1]
		f = fig("NMSC", ledger.FigureFilter{GroupBy: "star_done"})
		if n, _ := groupOf(f, "是"); f.Count != 11 || n != 10 || sumOf(f, "capital") != 5000 {
			t.Errorf("markets: %d renovated, %d star-upgraded, %v 万元; want 11, 10, 5000", f.Count, n, sumOf(f, "capital"))
		}
		if len(f.Breakdowns) == 0 || f.Breakdowns[0].Field != "tier" || len(f.Breakdowns[0].Groups) != 4 {
			t.Errorf("markets: want a breakdown by the four tiers, got %+v", f.Breakdowns)
		}
		// 20处口袋公园 [A2]
		if f := fig("KDGY", ledger.FigureFilter{}); f.Count != 20 {
			t.Errorf("pocket parks: %d, want 20", f.Count)
		}
		// 341户危房解危，筹集资金2.7亿元 [A2]
		if f := fig("WFJW", ledger.FigureFilter{}); f.Count != 341 || sumOf(f, "funds") != 27000 {
			t.Errorf("dangerous houses: %d, %v 万元; want 341, 27000", f.Count, sumOf(f, "funds"))
		}
		// 91个小区、9.8万户 [A2]
		if f := fig("BDCZ", ledger.FigureFilter{}); f.Count != 91 || sumOf(f, "households") != 98000 {
			t.Errorf("property certificates: %d communities, %v households; want 91, 98000", f.Count, sumOf(f, "households"))
		}
		// 18家银行，融资授信规模达400亿元 [A2]
		if f := fig("YHXY", ledger.FigureFilter{}); f.Count != 18 || sumOf(f, "credit") != 4000000 {
			t.Errorf("bank agreements: %d, %v 万元; want 18, 4000000", f.Count, sumOf(f, "credit"))
		}

		// Idle factories: the linked 60% target of ZX-01 reads the share, which
		// grows through the year: nothing revitalised in January.
		l, _ := svc.LedgerByCode(ctx, "XZCF")
		links, err := svc.ListLinks(ctx, l.ID, press)
		if err != nil || len(links) != 1 || links[0].ItemCode != "ZX-01" || links[0].TargetValue != 60 {
			t.Fatalf("idle factory link: %+v, %v", links, err)
		}
		if links[0].Actual <= 40 || links[0].Actual >= 60 {
			t.Errorf("idle factories revitalised as of %s: %v%%, want on the way to 60%%", press, links[0].Actual)
		}
		jan, _ := svc.ListLinks(ctx, l.ID, date.MustParse("2022-01-31"))
		if jan[0].Actual != 0 {
			t.Errorf("idle factories revitalised in January: %v%%, want 0", jan[0].Actual)
		}
		// Every article figure with a target is linked, and reads as the article says.
		var targets []int64
		rows, err := db.Read().Query(ctx, `SELECT target_id FROM ledger_target_links`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			_ = rows.Scan(&id)
			targets = append(targets, id)
		}
		rows.Close()
		if len(targets) != 13 {
			t.Errorf("%d targets linked to ledgers, want 13", len(targets))
		}
		acts, err := ledger.TargetActuals(ctx, db.Read(), targets, press.Time().AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		var reached int
		for _, id := range targets {
			var value float64
			_ = db.Read().QueryRow(ctx, `SELECT target_value FROM targets WHERE id = ?`, id).Scan(&value)
			if acts[id].Value == value {
				reached++
			}
		}
		// All but the idle factories' 60% read as their target by the press conference.
		if reached != 12 {
			t.Errorf("%d of 13 linked targets read their article figure, want 12: %+v", reached, acts)
		}

		// A second run creates nothing.
		var before, after int
		_ = db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM ledger_row_revisions`).Scan(&before)
		if err := loadLedgers(ctx, s, x, sum); err != nil {
			t.Fatal(err)
		}
		_ = db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM ledger_row_revisions`).Scan(&after)
		if before != after {
			t.Errorf("second load: revisions %d → %d", before, after)
		}
		var total int
		_ = db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM ledger_rows`).Scan(&total)
		if total >= 20000 {
			t.Errorf("%d demo ledger rows; keep it well under 20,000", total)
		}
	})
}
