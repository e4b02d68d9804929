package indicator_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/indicator"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// world is a small city: our district A, peers B, C, D and the city X, with
// figures chosen so that every expected number below can be checked by hand.
func world(t *testing.T, db *store.DB) *indicator.Service {
	t.Helper()
	ctx := context.Background()
	clock := time.Date(2022, 7, 10, 9, 0, 0, 0, time.UTC)
	s := indicator.New(db).WithClock(func() time.Time { return clock })
	for i, r := range []indicator.RegionInput{{Code: "A", Name: "甲区", Kind: "self"}, {Code: "B", Name: "乙区", Kind: "peer"},
		{Code: "C", Name: "丙区", Kind: "peer"}, {Code: "D", Name: "丁区", Kind: "peer"}, {Code: "X", Name: "全市", Kind: "city"}} {
		r.SortOrder = i
		if _, err := s.CreateRegion(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, x := range []indicator.IndicatorInput{
		{Code: "REV", Name: "一般公共预算收入", Unit: "亿元", Cumulative: true, RankBy: "growth", CityRanked: true, SortOrder: 1},
		{Code: "RET", Name: "社会消费品零售总额", Unit: "亿元", Cumulative: true, RankBy: "value", CityRanked: true, SortOrder: 2},
		{Code: "NRG", Name: "单位增加值能耗", Unit: "吨标准煤/万元", Cumulative: false, Direction: "lower", RankBy: "value", CityRanked: true, SortOrder: 3},
	} {
		if _, err := s.CreateIndicator(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	v := func(ind, reg, per string, val float64) indicator.ValueInput {
		return indicator.ValueInput{Indicator: ind, Region: reg, Period: per, Value: val}
	}
	batch := []indicator.ValueInput{
		// REV: A 46/44 = +4.5%, B 30/29 = +3.4%, C 20/19 = +5.3%, D has no 2022 figure, city 330/325.77 = +1.3%.
		v("REV", "A", "2022-06", 46), v("REV", "A", "2021-06", 44), v("REV", "B", "2022-06", 30), v("REV", "B", "2021-06", 29),
		v("REV", "C", "2022-06", 20), v("REV", "C", "2021-06", 19), v("REV", "D", "2021-06", 10),
		v("REV", "X", "2022-06", 330), v("REV", "X", "2021-06", 325.77),
		// May: A 38/37 = +2.7% (3rd), B 25/24 = +4.2% (1st), C 16/15.5 = +3.2% (2nd).
		v("REV", "A", "2022-05", 38), v("REV", "A", "2021-05", 37), v("REV", "B", "2022-05", 25), v("REV", "B", "2021-05", 24),
		v("REV", "C", "2022-05", 16), v("REV", "C", "2021-05", 15.5),
		// RET first filed as 300 for A; corrected below.
		v("RET", "甲区", "2022-06", 300), v("RET", "乙区", "2022-06", 344.4), v("RET", "丙区", "2022-06", 100), v("RET", "丁区", "2022-06", 50),
		// NRG, lower is better: B 0.4 first, A and C tie at 0.5 (2nd), D 0.6 is 4th.
		v("NRG", "A", "2022-06", 0.5), v("NRG", "B", "2022-06", 0.4), v("NRG", "C", "2022-06", 0.5), v("NRG", "D", "2022-06", 0.6),
	}
	res, err := s.RecordValues(ctx, batch)
	if err != nil || res.Created != len(batch) {
		t.Fatalf("record: %+v %v", res, err)
	}
	clock = time.Date(2022, 7, 20, 9, 0, 0, 0, time.UTC)
	res, err = s.RecordValues(ctx, []indicator.ValueInput{v("RET", "A", "2022-06", 344.4), v("RET", "B", "2022-06", 344.4)})
	if err != nil || res.Updated != 1 || res.Unchanged != 1 {
		t.Fatalf("correction: %+v %v", res, err)
	}
	for _, tg := range []indicator.AnnualTargetInput{{Indicator: "REV", Year: 2022, Kind: "district", Measure: "value", Value: 100},
		{Indicator: "REV", Year: 2022, Kind: "city_guidance", Measure: "growth", Value: 3}} {
		if _, err := s.SetTarget(ctx, tg); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func rowOf(t *testing.T, rows []indicator.TableRow, code string) indicator.TableRow {
	t.Helper()
	for _, r := range rows {
		if r.Indicator.Code == code {
			return r
		}
	}
	t.Fatalf("no row %s", code)
	return indicator.TableRow{}
}

func f(p *float64) float64 {
	if p == nil {
		return -999
	}
	return *p
}

func TestTableRanksGrowthGapsTargets(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		s := world(t, db)
		ctx := context.Background()
		rows, err := s.Table(ctx, "2022-06", date.Date{})
		if err != nil {
			t.Fatal(err)
		}
		rev := rowOf(t, rows, "REV")
		if f(rev.Growth) != 4.5 || f(rev.CityGrowth) != 1.3 || f(rev.GapToCity) != 3.2 {
			t.Errorf("REV growth %v city %v gap %v, want 4.5, 1.3, 3.2", f(rev.Growth), f(rev.CityGrowth), f(rev.GapToCity))
		}
		if rev.Rank != 2 || rev.Ranked != 3 || !slices.Equal(rev.MissingPeers, []string{"丁区"}) {
			t.Errorf("REV rank %d of %d, missing %v; want 2nd of 3, 丁区 missing", rev.Rank, rev.Ranked, rev.MissingPeers)
		}
		if rev.PrevRank != 3 || rev.RankChange != 1 {
			t.Errorf("REV was %d, change %d; want 3rd in May, up 1", rev.PrevRank, rev.RankChange)
		}
		dt, gt := rev.DistrictTarget, rev.GuidanceTarget
		if dt == nil || f(dt.Progress) != 46 || f(dt.Gap) != -4 || !dt.Behind || rev.Elapsed != 50 || !rev.BehindTime {
			t.Errorf("REV district target %+v elapsed %v behind %v; want 46%% done, 4 points behind 50%%", dt, rev.Elapsed, rev.BehindTime)
		}
		if gt == nil || f(gt.Gap) != 1.5 || gt.Behind {
			t.Errorf("REV guidance %+v; want 1.5 points above 3%%", gt)
		}
		ret := rowOf(t, rows, "RET")
		if ret.Rank != 1 || ret.Standings[0].Rank != 1 || ret.Standings[1].Rank != 1 || ret.Standings[2].Rank != 3 || ret.Standings[3].Rank != 4 {
			t.Errorf("RET tie: rank %d, standings %+v; want 1,1,3,4", ret.Rank, ret.Standings)
		}
		nrg := rowOf(t, rows, "NRG")
		var ranks []int
		for _, st := range nrg.Standings {
			ranks = append(ranks, st.Rank)
		}
		if nrg.Rank != 2 || !slices.Equal(ranks, []int{1, 2, 2, 4, 0}) || nrg.Standings[0].Region != "乙区" {
			t.Errorf("NRG lower is better: rank %d, standings %v", nrg.Rank, ranks)
		}
		// As of 15 July the correction of RET was not yet known: A had 300 and ranked 2nd.
		old, err := s.Table(ctx, "2022-06", date.MustParse("2022-07-15"))
		if err != nil {
			t.Fatal(err)
		}
		if r := rowOf(t, old, "RET"); f(r.Value) != 300 || r.Rank != 2 {
			t.Errorf("RET as of 15 July = %v, rank %d; want 300, 2nd", f(r.Value), r.Rank)
		}
		if r := rowOf(t, old, "REV"); r.DistrictTarget != nil && f(r.Value) != 46 {
			t.Errorf("REV as of 15 July = %v", f(r.Value))
		}
		h, err := s.History(ctx, ret.Indicator.ID, ret.Standings[0].RegionID, "2022-06")
		if err != nil || len(h) == 0 {
			t.Fatalf("history %v %v", h, err)
		}

		sum, err := s.Summary(ctx, "2022-06", date.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if sum.CityRanked != 3 || sum.Top3 != 3 || sum.First != 1 || len(sum.Rose) != 1 || sum.Rose[0].Code != "REV" ||
			!slices.Equal(sum.Behind, []string{"一般公共预算收入"}) || sum.Headline != "上半年，列入市级重点调度的3项主要经济指标中，3项排名全市前3" {
			t.Errorf("summary %+v", sum)
		}
		ss, err := s.Sentences(ctx, "2022-06", date.Date{})
		if err != nil {
			t.Fatal(err)
		}
		want := "一般公共预算收入46亿元，同比增长4.5%，增速高于全市平均3.2个百分点，超出市级引导性目标1.5个百分点，完成年度目标的46.0%，低于序时进度4个百分点，居全市第2位"
		if len(ss) != 4 || ss[1].Text != want {
			t.Errorf("sentences %d; REV = %q\nwant %q", len(ss), ss[1].Text, want)
		}
	})
}

func TestValuesAllOrNothingAndQuarterly(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		s := world(t, db)
		ctx := context.Background()
		if _, err := s.CreateIndicator(ctx, indicator.IndicatorInput{Code: "CON", Name: "建筑业总产值", Unit: "亿元", Frequency: "quarterly", Cumulative: true}); err != nil {
			t.Fatal(err)
		}
		_, err := s.RecordValues(ctx, []indicator.ValueInput{
			{Indicator: "CON", Region: "A", Period: "2022-06", Value: 192.57},
			{Indicator: "CON", Region: "A", Period: "2022-05", Value: 150},
			{Indicator: "NOPE", Region: "A", Period: "2022-06", Value: 1},
			{Indicator: "REV", Region: "Z", Period: "2022-06", Value: 1},
			{Indicator: "REV", Region: "A", Period: "2022-13", Value: 1},
		})
		var e *errs.Error
		if !errorsAs(err, &e) || len(e.Fields) != 4 {
			t.Fatalf("want 4 field errors, got %v", err)
		}
		for i, want := range []string{"values[1].period", "values[2].indicator", "values[3].region", "values[4].period"} {
			if e.Fields[i].Field != want {
				t.Errorf("error %d on %s, want %s (%s)", i, e.Fields[i].Field, want, e.Fields[i].Message)
			}
		}
		if !strings.Contains(e.Fields[0].Message, "季度指标") {
			t.Errorf("quarterly message: %s", e.Fields[0].Message)
		}
		rows, _ := s.Table(ctx, "2022-06", date.Date{})
		if r := rowOf(t, rows, "CON"); r.Value != nil {
			t.Errorf("nothing should be written from a bad batch, got %v", *r.Value)
		}
		rows, _ = s.Table(ctx, "2022-05", date.Date{})
		if r := rowOf(t, rows, "CON"); r.Due {
			t.Error("a quarterly indicator is not due in May")
		}
	})
}

func errorsAs(err error, target **errs.Error) bool {
	e, ok := err.(*errs.Error)
	if ok {
		*target = e
	}
	return ok
}
