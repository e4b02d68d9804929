package gen_test

import (
	"context"
	"math"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/casework"
	"gongjian/internal/date"
	"gongjian/internal/gen"
	"gongjian/internal/indicator"
	"gongjian/internal/ledger"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

func smallDistrict(t *testing.T, db *store.DB) gen.Stats {
	t.Helper()
	st, err := gen.Generate(context.Background(), db, gen.DefaultOptions(120))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The generated cases are what the casework service reads: every one
// listed, in valid states, each with its tasks; the overdue filter finds
// exactly the open ones past their deadline, and closing left a rating.
func TestGenerateCasesAsCaseworkReadsThem(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := smallDistrict(t, db)
		cs, err := gen.GenerateCases(ctx, db, st, 600, 7)
		if err != nil {
			t.Fatal(err)
		}
		if cs.Cases != 600 || cs.Tasks < 600 || cs.Events < 2*600 {
			t.Fatalf("stats: %+v", cs)
		}
		svc := casework.New(db)
		_, total, err := svc.List(ctx, casework.Filter{})
		if err != nil || total != 600 {
			t.Fatalf("list: %d, %v", total, err)
		}
		sum := 0
		for _, s := range []string{"open", "in_progress", "resolved", "closed"} {
			_, n, err := svc.List(ctx, casework.Filter{State: s})
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 || n != cs.ByState[s] {
				t.Errorf("state %s: %d listed, %d generated", s, n, cs.ByState[s])
			}
			sum += n
		}
		if sum != 600 {
			t.Errorf("states add up to %d, want 600", sum)
		}
		// All generated cases lie in 2022, so every open one is overdue today.
		_, overdue, err := svc.List(ctx, casework.Filter{Overdue: true})
		if err != nil {
			t.Fatal(err)
		}
		if overdue != cs.ByState["open"]+cs.ByState["in_progress"] || overdue != cs.Overdue {
			t.Errorf("overdue %d, open+in progress %d, generated overdue %d", overdue, cs.ByState["open"]+cs.ByState["in_progress"], cs.Overdue)
		}
		_, escalated, err := svc.List(ctx, casework.Filter{Escalated: true})
		if err != nil || escalated != cs.Escalated || escalated == 0 {
			t.Errorf("escalated %d, generated %d (%v)", escalated, cs.Escalated, err)
		}
		for q, want := range map[string]int{
			`SELECT COUNT(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_tasks t WHERE t.case_id = c.id)`:                                    0,
			`SELECT COUNT(*) FROM cases WHERE state = 'closed' AND (closed_at IS NULL OR rating IS NULL OR resolved_at IS NULL)`:                   0,
			`SELECT COUNT(*) FROM cases WHERE state IN ('open', 'in_progress') AND (resolved_at IS NOT NULL OR closed_at IS NOT NULL)`:             0,
			`SELECT COUNT(*) FROM cases c JOIN case_tasks t ON t.case_id = c.id WHERE c.state IN ('resolved', 'closed') AND t.state <> 'answered'`: 0,
			`SELECT COUNT(*) FROM cases c JOIN case_tasks t ON t.case_id = c.id WHERE c.state = 'open' AND t.state <> 'pending'`:                   0,
			`SELECT COUNT(*) FROM cases WHERE closed_at < resolved_at OR deadline < CAST(created_at AS DATE)`:                                      0,
			`SELECT COUNT(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.action = 'close' AND c.state <> 'closed'`:                 0,
		} {
			if got := count(t, db, q); got != want {
				t.Errorf("%s: %d, want %d", q, got, want)
			}
		}
		// One-window cases go to several units in parallel.
		if n := count(t, db, `SELECT COUNT(*) FROM cases c WHERE c.type = 'one_window' AND (SELECT COUNT(*) FROM case_tasks t WHERE t.case_id = c.id) < 2`); n != 0 {
			t.Errorf("%d one-window cases with a single unit", n)
		}
		// A case created through the service numbers on from the generated ones.
		c, err := svc.Get(ctx, int64(count(t, db, `SELECT MAX(id) FROM cases`)))
		if err != nil || c.Code != "DB-2022-0600" {
			t.Errorf("last generated case: %q, %v", c.Code, err)
		}
	})
}

// A generated ledger answers the figures API: its rows counted and summed,
// each choice counted, as of today and as of a day in the year.
func TestGenerateLedgersAnswerFigures(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := smallDistrict(t, db)
		ls, err := gen.GenerateLedgers(ctx, db, st, 3, 250, 3)
		if err != nil {
			t.Fatal(err)
		}
		if ls.Ledgers != 3 || ls.Rows != 750 || ls.Revisions != 750 || len(ls.IDs) != 3 {
			t.Fatalf("stats: %+v", ls)
		}
		svc := ledger.New(db)
		l, err := svc.GetLedger(ctx, ls.IDs[0])
		if err != nil {
			t.Fatal(err)
		}
		if l.Code != st.Prefix+"-TZ01" || l.Name != "闲置厂房盘活台账" || l.KeyField != "name" || l.DateField != "date" {
			t.Errorf("ledger: %s %s key %s date %s", l.Code, l.Name, l.KeyField, l.DateField)
		}
		f, err := svc.Figures(ctx, ls.IDs[0], ledger.FigureFilter{GroupBy: "state"})
		if err != nil {
			t.Fatal(err)
		}
		if f.Count != 250 {
			t.Errorf("count %d, want 250", f.Count)
		}
		n := 0
		for _, g := range f.Groups {
			n += g.Count
		}
		if n != 250 || len(f.Groups) != 3 {
			t.Errorf("groups by state: %+v", f.Groups)
		}
		if len(f.Sums) != 1 || f.Sums[0].Key != "area" || f.Sums[0].Value < 250 || f.Sums[0].Value > 250*1000 {
			t.Errorf("sum of area (1–1000 亩 a row): %+v", f.Sums)
		}
		// As of 1 July only the rows recorded by then count.
		mid, err := svc.Figures(ctx, ls.IDs[0], ledger.FigureFilter{AsOf: date.New(2022, time.July, 1)})
		if err != nil {
			t.Fatal(err)
		}
		want := count(t, db, `SELECT COUNT(*) FROM ledger_rows WHERE ledger_id = ? AND created_at < ?`, ls.IDs[0], date.New(2022, time.July, 2).Time())
		if mid.Count != want || want == 0 || want == 250 {
			t.Errorf("as of 1 July: %d rows, %d recorded by then", mid.Count, want)
		}
		rows, err := svc.ListRows(ctx, ls.IDs[1], ledger.RowFilter{})
		if err != nil || rows.Total != 250 || len(rows.Items) == 0 || rows.Items[0].Labels["street"] == "" {
			t.Errorf("rows of the second ledger: %+v, %v", rows, err)
		}
	})
}

// Indicators: 12 × 15 regions × 24 months; the table of the last month has
// a value, a growth on last year and a rank among the 14 districts for each.
func TestGenerateIndicatorsRankAndGrow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		asOf := time.Date(2022, time.September, 30, 0, 0, 0, 0, time.UTC)
		is, err := gen.GenerateIndicators(ctx, db, "海川区", 15, 24, asOf, 1)
		if err != nil {
			t.Fatal(err)
		}
		if is.Indicators != 12 || is.Regions != 15 || is.Values != 12*15*24 || is.FirstPeriod != "2020-09" || is.LastPeriod != "2022-08" {
			t.Fatalf("stats: %+v", is)
		}
		rows, err := indicator.New(db).Table(ctx, "2022-08", date.New(2022, time.September, 30))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 12 {
			t.Fatalf("%d table rows, want 12", len(rows))
		}
		for _, r := range rows {
			if r.Value == nil || r.Growth == nil || r.CityGrowth == nil || r.Rank < 1 || r.Rank > 14 || r.Ranked != 14 {
				t.Errorf("%s: value %v growth %v city %v rank %d of %d", r.Indicator.Name, r.Value, r.Growth, r.CityGrowth, r.Rank, r.Ranked)
			}
			if r.Growth != nil && math.Abs(*r.Growth) > 60 {
				t.Errorf("%s: growth %.1f is not realistic", r.Indicator.Name, *r.Growth)
			}
		}
		again, err := gen.GenerateIndicators(ctx, db, "海川区", 15, 24, asOf, 1)
		if err != nil || !again.Skipped || count(t, db, `SELECT COUNT(*) FROM indicator_values`) != 12*15*24 {
			t.Errorf("second run: %+v, %v", again, err)
		}
	})
}

// A small "city" of two districts: each with its own prefix, cases numbered
// on, ledgers, accounts that can sign in, and the indicators once.
func TestGenerateScaleTwoDistricts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		opt := gen.DefaultScaleOptions("city")
		opt.Districts = 2
		opt.Base = gen.DefaultOptions(40)
		opt.Base.Weeks = 4
		opt.Cases, opt.Ledgers, opt.LedgerRows, opt.Regions, opt.Months = 50, 2, 30, 4, 13
		st, err := gen.GenerateScale(ctx, db, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Districts) != 2 || st.Districts[0].Prefix != "GEN1" || st.Districts[1].Prefix != "GEN2" {
			t.Fatalf("districts: %+v", st.Districts)
		}
		for q, want := range map[string]int{
			`SELECT COUNT(*) FROM cases`:                                  100,
			`SELECT COUNT(DISTINCT code) FROM cases`:                      100,
			`SELECT COUNT(*) FROM ledgers`:                                4,
			`SELECT COUNT(*) FROM ledger_rows`:                            120,
			`SELECT COUNT(*) FROM indicator_values`:                       12 * 4 * 13,
			`SELECT COUNT(*) FROM reports`:                                st.Districts[0].Reports + st.Districts[1].Reports,
			`SELECT COUNT(*) FROM users WHERE username LIKE 'gen%'`:       4,
			`SELECT COUNT(*) FROM cases WHERE code = 'DB-2022-0100'`:      1,
			`SELECT COUNT(*) FROM ledgers WHERE code = 'GEN2-TZ02'`:       1,
			`SELECT COUNT(*) FROM campaigns WHERE cadence = 'weekly'`:     2,
			`SELECT COUNT(*) FROM regions WHERE kind IN ('self', 'city')`: 2,
		} {
			if got := count(t, db, q); got != want {
				t.Errorf("%s: %d, want %d", q, got, want)
			}
		}
		if st.Districts[1].Reports == 0 || st.Rows() < 100+120+12*4*13 {
			t.Errorf("rows: %d", st.Rows())
		}
		a := auth.New(db, time.Hour, time.Hour)
		for _, u := range []string{st.Districts[1].Supervisor, st.Districts[1].Reporter} {
			if _, err := a.Login(ctx, u, gen.ScalePassword, "127.0.0.1", "test"); err != nil {
				t.Errorf("sign in as %s: %v", u, err)
			}
		}
		if _, err := gen.Districts("county"); err == nil {
			t.Error("scale county accepted")
		}
	})
}
