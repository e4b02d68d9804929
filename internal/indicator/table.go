package indicator

import (
	"context"
	"sort"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Standing is one region's figure and place among the district and its peers.
type Standing struct {
	RegionID     int64    `json:"region_id"`
	Region       string   `json:"region"`
	Kind         string   `json:"kind" enum:"self,peer,city"`
	Value        *float64 `json:"value"`
	LastYear     *float64 `json:"last_year"`
	Growth       *float64 `json:"growth"`
	Rank         int      `json:"rank" doc:"名次，0 表示无数据未参与排名（全市一行也为 0）"`
	Illustrative bool     `json:"illustrative"`
}

// TargetStatus is a figure measured against an annual target.
type TargetStatus struct {
	Kind     string   `json:"kind" enum:"district,city_guidance"`
	Measure  string   `json:"measure" enum:"value,growth"`
	Target   float64  `json:"target"`
	Progress *float64 `json:"progress" doc:"总量目标：已完成全年目标的百分比"`
	Gap      *float64 `json:"gap" doc:"总量目标：完成进度减序时进度；增速目标：增速减目标增速（百分点）"`
	Behind   bool     `json:"behind" doc:"落后于序时进度（或低于目标增速）"`
}

// TableRow is one indicator in one period: the district's figure, its growth,
// its place among the peers, its gap to the city and to its targets.
type TableRow struct {
	Indicator      Indicator     `json:"indicator"`
	Period         string        `json:"period"`
	PeriodLabel    string        `json:"period_label" doc:"如 上半年、1-9月"`
	Due            bool          `json:"due" doc:"本期是否有数（季度指标只在季末有数）"`
	Value          *float64      `json:"value"`
	ValueText      string        `json:"value_text" doc:"如 46亿元"`
	LastYear       *float64      `json:"last_year" doc:"上年同期"`
	Growth         *float64      `json:"growth" doc:"同比增长（%）；计量单位为 % 的指标为同比增减的百分点"`
	GrowthUnit     string        `json:"growth_unit" enum:"%,个百分点"`
	CityValue      *float64      `json:"city_value"`
	CityGrowth     *float64      `json:"city_growth"`
	GapToCity      *float64      `json:"gap_to_city" doc:"增速高于（负数为低于）全市的百分点"`
	Rank           int           `json:"rank" doc:"本区在全市的名次（并列同名次，下一名次顺延），0 表示无法排名"`
	Ranked         int           `json:"ranked" doc:"参与排名的区市数"`
	PrevRank       int           `json:"prev_rank" doc:"上期名次，0 表示上期无法排名"`
	RankChange     int           `json:"rank_change" doc:"名次变化：正数为上升"`
	MissingPeers   []string      `json:"missing_peers" doc:"本期无数据、未参与排名的区市"`
	Standings      []Standing    `json:"standings" doc:"各区市数值与名次，按名次排列，全市在最后"`
	DistrictTarget *TargetStatus `json:"district_target"`
	GuidanceTarget *TargetStatus `json:"guidance_target"`
	Elapsed        float64       `json:"elapsed" doc:"序时进度（%），如 6 月为 50.0"`
	BehindTime     bool          `json:"behind_time" doc:"落后于序时进度"`
	Illustrative   bool          `json:"illustrative" doc:"所用数据含示意数据"`
}

// data is what the computations read: the catalogue, the regions, the
// figures known at the cutoff, and the targets of the years concerned.
type data struct {
	inds    []Indicator
	regions []Region
	vals    map[vkey]stored
	targets map[int64]map[string]AnnualTarget // by indicator, kind (for one year)
}

func ptr[T any](v T) *T { return &v }

// step is the distance between two periods of an indicator.
func step(x Indicator) int {
	if x.Frequency == "quarterly" {
		return 3
	}
	return 1
}

// compute works out one indicator's row for period p from d.
func compute(x Indicator, p Period, d data) TableRow {
	r := TableRow{Indicator: x, Period: p.String(), PeriodLabel: p.Label(x.Cumulative), Due: x.Frequency != "quarterly" || p.QuarterEnd(),
		GrowthUnit: "%", MissingPeers: []string{}, Standings: []Standing{}}
	if x.Unit == "%" {
		r.GrowthUnit = "个百分点"
	}
	lower := x.Direction == "lower"
	type fig struct {
		v, ly     *E4
		g         *Tenths
		illus     bool
		regionIdx int
	}
	figs := make([]fig, len(d.regions))
	for i, reg := range d.regions {
		f := fig{regionIdx: i}
		if s, ok := d.vals[vkey{x.ID, reg.ID, p.String()}]; ok {
			f.v, f.illus = ptr(s.value), s.illustrative
		}
		if s, ok := d.vals[vkey{x.ID, reg.ID, p.LastYear().String()}]; ok {
			f.ly = ptr(s.value)
			f.illus = f.illus || (f.v != nil && s.illustrative)
		}
		if f.v != nil && f.ly != nil {
			if x.Unit == "%" {
				f.g = ptr(PointChange(*f.v, *f.ly))
			} else if g, ok := Growth(*f.v, *f.ly); ok {
				f.g = &g
			}
		}
		figs[i] = f
	}
	// Rank the district and its peers; the city is not a competitor.
	var scores []*int64
	var who []int
	for i, reg := range d.regions {
		if reg.Kind == RegionCity {
			continue
		}
		s := figs[i].v
		if x.RankBy == "growth" {
			s = figs[i].g
		}
		scores = append(scores, s)
		who = append(who, i)
	}
	ranks := RankScores(scores, lower)
	rankOf := map[int]int{}
	for j, i := range who {
		rankOf[i] = ranks[j]
		if ranks[j] > 0 {
			r.Ranked++
		} else if d.regions[i].Kind == RegionPeer {
			r.MissingPeers = append(r.MissingPeers, d.regions[i].Name)
		}
	}
	for i, reg := range d.regions {
		f := figs[i]
		st := Standing{RegionID: reg.ID, Region: reg.Name, Kind: reg.Kind, Rank: rankOf[i], Illustrative: f.illus || reg.Illustrative && f.v != nil}
		if f.v != nil {
			st.Value = ptr(FromE4(*f.v))
		}
		if f.ly != nil {
			st.LastYear = ptr(FromE4(*f.ly))
		}
		if f.g != nil {
			st.Growth = ptr(FromTenths(*f.g))
		}
		r.Standings = append(r.Standings, st)
		switch reg.Kind {
		case RegionSelf:
			r.Value, r.LastYear, r.Growth, r.Rank = st.Value, st.LastYear, st.Growth, st.Rank
			if f.v != nil {
				r.ValueText = FormatE4(*f.v) + x.Unit
			}
			r.Illustrative = r.Illustrative || f.illus
		case RegionCity:
			r.CityValue, r.CityGrowth = st.Value, st.Growth
		}
	}
	sort.SliceStable(r.Standings, func(i, j int) bool {
		a, b := r.Standings[i], r.Standings[j]
		ka, kb := a.Rank, b.Rank
		if a.Kind == RegionCity {
			ka = 1 << 30
		} else if ka == 0 {
			ka = 1 << 29
		}
		if b.Kind == RegionCity {
			kb = 1 << 30
		} else if kb == 0 {
			kb = 1 << 29
		}
		return ka < kb
	})
	var self, city *fig
	for i, reg := range d.regions {
		switch reg.Kind {
		case RegionSelf:
			self = &figs[i]
		case RegionCity:
			city = &figs[i]
		}
	}
	if self != nil && city != nil && self.g != nil && city.g != nil {
		r.GapToCity = ptr(FromTenths(Gap(*self.g, *city.g)))
	}
	el := Elapsed(p.Month)
	if !x.Cumulative {
		el = 1000
	}
	r.Elapsed = FromTenths(el)
	if self != nil {
		for _, kind := range []string{TargetDistrict, TargetGuidance} {
			t, ok := d.targets[x.ID][kind]
			if !ok || t.Year != p.Year {
				continue
			}
			tp := &TargetStatus{Kind: kind, Measure: t.Measure, Target: t.Value}
			switch {
			case t.Measure == "value" && self.v != nil:
				if pr, ok := Progress(*self.v, ToE4(t.Value)); ok {
					tp.Progress = ptr(FromTenths(pr))
					tp.Gap = ptr(FromTenths(pr - el))
				}
				tp.Behind = BehindValue(*self.v, ToE4(t.Value), p.Month, x.Cumulative, lower)
			case t.Measure == "growth" && self.g != nil:
				tg := divRound(ToE4(t.Value), 1000)
				tp.Gap = ptr(FromTenths(Gap(*self.g, tg)))
				tp.Behind = BehindGrowth(*self.g, tg, lower)
			default:
				tp.Behind = false
			}
			if kind == TargetDistrict {
				r.DistrictTarget = tp
			} else {
				r.GuidanceTarget = tp
			}
		}
	}
	// The district's own target decides whether it is behind; without one,
	// the city's guidance target does.
	switch {
	case r.DistrictTarget != nil && (r.DistrictTarget.Progress != nil || r.DistrictTarget.Gap != nil):
		r.BehindTime = r.DistrictTarget.Behind
	case r.GuidanceTarget != nil:
		r.BehindTime = r.GuidanceTarget.Behind
	}
	return r
}

// prevPeriod is the period before p for indicator x (a month, or a quarter).
func prevPeriod(x Indicator, p Period) Period { return p.Add(-step(x)) }

// load reads what the rows of the given periods need, as of the day.
// Targets are read for targetYear (0: none).
func (s *Service) load(ctx context.Context, q store.Querier, periods []Period, targetYear int, asOf date.Date) (data, error) {
	_, inds, regs, err := loadLookup(ctx, q)
	if err != nil {
		return data{}, err
	}
	want := map[string]bool{}
	for _, p := range periods {
		want[p.String()], want[p.LastYear().String()] = true, true
	}
	vals, err := latest(ctx, q, keys(want), cutoff(asOf))
	if err != nil {
		return data{}, err
	}
	d := data{inds: inds, regions: regs, vals: vals, targets: map[int64]map[string]AnnualTarget{}}
	if targetYear != 0 {
		ts, err := listTargets(ctx, q, targetYear)
		if err != nil {
			return data{}, err
		}
		for _, t := range ts {
			if d.targets[t.IndicatorID] == nil {
				d.targets[t.IndicatorID] = map[string]AnnualTarget{}
			}
			d.targets[t.IndicatorID][t.Kind] = t
		}
	}
	return d, nil
}

func parsePeriodField(period string) (Period, error) {
	p, err := ParsePeriod(period)
	if err != nil {
		return p, errs.Invalid([]errs.FieldError{{Field: "period", Key: "period.invalid", Message: err.Error(), Value: period}})
	}
	return p, nil
}

// Table returns every indicator of the catalogue for the period, as of the
// day (zero: everything on record), with growth, rank, gaps and targets.
func (s *Service) Table(ctx context.Context, period string, asOf date.Date) ([]TableRow, error) {
	if err := need(ctx, access.IndicatorRead); err != nil {
		return nil, err
	}
	p, err := parsePeriodField(period)
	if err != nil {
		return nil, err
	}
	return s.table(ctx, s.db.Read(), p, asOf)
}

func (s *Service) table(ctx context.Context, q store.Querier, p Period, asOf date.Date) ([]TableRow, error) {
	d, err := s.load(ctx, q, []Period{p, p.Add(-1), p.Add(-3)}, p.Year, asOf)
	if err != nil {
		return nil, err
	}
	out := make([]TableRow, 0, len(d.inds))
	for _, x := range d.inds {
		r := compute(x, p, d)
		if prev := compute(x, prevPeriod(x, p), d); prev.Rank > 0 && r.Rank > 0 {
			r.PrevRank, r.RankChange = prev.Rank, prev.Rank-r.Rank
		} else {
			r.PrevRank = prev.Rank
		}
		out = append(out, r)
	}
	return out, nil
}

// TrendPoint is one period of an indicator's trend.
type TrendPoint struct {
	Period     string   `json:"period"`
	Value      *float64 `json:"value"`
	Growth     *float64 `json:"growth"`
	CityGrowth *float64 `json:"city_growth"`
	GapToCity  *float64 `json:"gap_to_city"`
	Rank       int      `json:"rank"`
	Ranked     int      `json:"ranked"`
}

// Trend returns an indicator over the 12 periods (months, or quarters for a
// quarterly indicator) ending with period, oldest first.
func (s *Service) Trend(ctx context.Context, indicatorID int64, period string, asOf date.Date) ([]TrendPoint, error) {
	if err := need(ctx, access.IndicatorRead); err != nil {
		return nil, err
	}
	p, err := parsePeriodField(period)
	if err != nil {
		return nil, err
	}
	q := s.db.Read()
	x, err := getIndicator(ctx, q, indicatorID)
	if err != nil {
		return nil, err
	}
	periods := make([]Period, 12)
	for i := range periods {
		periods[i] = p.Add(-step(x) * (11 - i))
	}
	d, err := s.load(ctx, q, periods, 0, asOf)
	if err != nil {
		return nil, err
	}
	out := make([]TrendPoint, 0, 12)
	for _, pp := range periods {
		r := compute(x, pp, d)
		out = append(out, TrendPoint{Period: pp.String(), Value: r.Value, Growth: r.Growth, CityGrowth: r.CityGrowth, GapToCity: r.GapToCity, Rank: r.Rank, Ranked: r.Ranked})
	}
	return out, nil
}
