package demo

import (
	"context"
	"fmt"
	"math"
	"time"

	"gongjian/internal/indicator"
)

// The district's economic indicators. The articles give the district's
// figures for the first half of 2022 (上半年) and its Jan–Sep budget revenue;
// every peer district's figure, the city's, and the district's figures for
// other months are illustrative, chosen so that the ranks come out as the
// articles say: "列入市级重点调度的12项主要经济指标中，7项排名全市前3".

// demoIndicator is one indicator with the district's first-half figure
// (value, growth in %) and the rank the articles (or, marked, we) give it.
type demoIndicator struct {
	in          indicator.IndicatorInput
	value       float64 // 2022-06, the district
	growth      float64 // % over 2021-06
	rank        int
	fromArticle string // the article's words, "" when illustrative
}

var demoIndicators = []demoIndicator{
	{indicator.IndicatorInput{Code: "GBR", Name: "一般公共预算收入", Unit: "亿元", Cumulative: true, RankBy: "growth", CityRanked: true}, 46, 4.5, 3,
		"完成一般公共预算收入46亿元，增速高于全市平均3.2个百分点"},
	{indicator.IndicatorInput{Code: "RETAIL", Name: "社会消费品零售总额", Unit: "亿元", Cumulative: true, RankBy: "value", CityRanked: true}, 344.4, 2.1, 1,
		"社会消费品零售总额344.4亿元，稳居全市第1"},
	{indicator.IndicatorInput{Code: "TRADE", Name: "外贸进出口", Unit: "亿元", Cumulative: true, RankBy: "growth", CityRanked: true}, 114.8, 32.1, 2,
		"外贸进出口114.8亿元，同比增长32.1%"},
	{indicator.IndicatorInput{Code: "SERVICES", Name: "规上服务业营业收入", Unit: "亿元", Frequency: "quarterly", Cumulative: true, RankBy: "growth", CityRanked: true}, 60.1, 41.5, 2,
		"规上服务业营收增长41.5%，超出市级引导性目标29.5个百分点，排名全市第2"},
	{indicator.IndicatorInput{Code: "CONSTR", Name: "建筑业总产值", Unit: "亿元", Frequency: "quarterly", Cumulative: true, RankBy: "value", CityRanked: true}, 192.57, 9.9, 1,
		"建筑业总产值192.57亿元，位居全市第1"},
	{indicator.IndicatorInput{Code: "HOUSING", Name: "商品房网签备案面积", Unit: "万平方米", Cumulative: true, RankBy: "value", CityRanked: true}, 45.58, -24.3, 2,
		"商品房网签备案面积45.58万平方米，位居全市第2"},
	{indicator.IndicatorInput{Code: "REINV", Name: "房地产开发投资", Unit: "亿元", Cumulative: true, RankBy: "value", CityRanked: true}, 74.26, 5.9, 2,
		"房地产业开发投资74.26亿元，位居全市第2"},
	{indicator.IndicatorInput{Code: "INDREV", Name: "规上工业营业收入", Unit: "亿元", Cumulative: true, RankBy: "growth", CityRanked: true}, 160.2, 3.4, 9, ""},
	{indicator.IndicatorInput{Code: "FAI", Name: "固定资产投资", Unit: "亿元", Cumulative: true, RankBy: "growth", CityRanked: true}, 115, 5.6, 6, ""},
	{indicator.IndicatorInput{Code: "TAX", Name: "税收收入", Unit: "亿元", Cumulative: true, RankBy: "growth", CityRanked: true}, 36.8, 1.9, 5, ""},
	{indicator.IndicatorInput{Code: "INCOME", Name: "城镇居民人均可支配收入", Unit: "元", Frequency: "quarterly", Cumulative: true, RankBy: "growth", CityRanked: true}, 31250, 4.2, 4, ""},
	{indicator.IndicatorInput{Code: "ENERGY", Name: "规上工业单位增加值能耗", Unit: "吨标准煤/万元", Cumulative: false, Direction: "lower", RankBy: "value", CityRanked: true}, 0.42, -3.1, 7, ""},
}

// The city's districts as the city ranks them (烟台市 and its 区市).
var demoRegions = []indicator.RegionInput{
	{Code: "370602", Name: "芝罘区", Kind: "self"},
	{Code: "370611", Name: "福山区", Kind: "peer"}, {Code: "370612", Name: "牟平区", Kind: "peer"},
	{Code: "370613", Name: "莱山区", Kind: "peer"}, {Code: "370614", Name: "蓬莱区", Kind: "peer"},
	{Code: "370681", Name: "龙口市", Kind: "peer"}, {Code: "370682", Name: "莱阳市", Kind: "peer"},
	{Code: "370683", Name: "莱州市", Kind: "peer"}, {Code: "370685", Name: "招远市", Kind: "peer"},
	{Code: "370686", Name: "栖霞市", Kind: "peer"}, {Code: "370687", Name: "海阳市", Kind: "peer"},
	{Code: "YTKFQ", Name: "烟台开发区", Kind: "peer"}, {Code: "YTGXQ", Name: "烟台高新区", Kind: "peer"},
	{Code: "370634", Name: "长岛综合试验区", Kind: "peer"},
	{Code: "370600", Name: "烟台市", Kind: "city"},
}

// demoZhifuGBR is the district's budget revenue month by month in 2022
// (亿元, Jan–Jun and Jan–Sep from the articles) and the year before.
var demoZhifuGBR = map[string]float64{
	"2022-01": 9.8, "2022-02": 16.1, "2022-03": 23.5, "2022-04": 30.9, "2022-05": 38.2, "2022-06": 46,
	"2022-07": 47.9, "2022-08": 49.6, "2022-09": 51.1,
	"2021-01": 9.5, "2021-02": 15.6, "2021-03": 22.6, "2021-04": 29.7, "2021-05": 36.6, "2021-06": 44.02,
	"2021-07": 45.7, "2021-08": 47.1, "2021-09": 48.25, "2021-10": 53.6, "2021-11": 59, "2021-12": 64.5,
	"2020-10": 51.5, "2020-11": 56.4, "2020-12": 61.8,
}

// The city's budget revenue, so that its growth is 1.3% in the first half
// and the district's 4.5% is "3.2个百分点" above it.
var demoCityGBR = map[string]float64{"2022-06": 320, "2021-06": 315.89}

// LoadIndicators writes the demo indicators through svc; it skips everything
// when the catalogue already holds them. Exported for tests of the API.
func LoadIndicators(ctx context.Context, svc *indicator.Service) error {
	existing, err := svc.Indicators(ctx)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return nil
	}
	at := time.Date(2022, 1, 5, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return at }
	s := svc.WithClock(clock)
	for i, r := range demoRegions {
		r.SortOrder = i
		if _, err := s.CreateRegion(ctx, r); err != nil {
			return fmt.Errorf("region %s: %w", r.Name, err)
		}
	}
	for i, d := range demoIndicators {
		d.in.SortOrder = i + 1
		if d.fromArticle != "" {
			d.in.Note = "文章：" + d.fromArticle
		} else {
			d.in.Note = "示意指标（文章只说12项中7项居全市前3）"
		}
		if _, err := s.CreateIndicator(ctx, d.in); err != nil {
			return fmt.Errorf("indicator %s: %w", d.in.Code, err)
		}
	}
	for _, t := range []indicator.AnnualTargetInput{
		{Indicator: "SERVICES", Year: 2022, Kind: "city_guidance", Measure: "growth", Value: 12, Note: "超出市级引导性目标29.5个百分点 → 引导目标 12%"},
		{Indicator: "GBR", Year: 2022, Kind: "district", Measure: "growth", Value: 5, Note: "示意"},
		{Indicator: "RETAIL", Year: 2022, Kind: "district", Measure: "value", Value: 720, Note: "示意"},
		{Indicator: "REINV", Year: 2022, Kind: "district", Measure: "value", Value: 140, Note: "示意"},
		{Indicator: "CONSTR", Year: 2022, Kind: "district", Measure: "value", Value: 420, Note: "示意"},
	} {
		if _, err := s.SetTarget(ctx, t); err != nil {
			return fmt.Errorf("target %s: %w", t.Indicator, err)
		}
	}
	byPeriod := demoFigures()
	// Each month's figures are published around the 20th of the next month.
	for _, p := range demoPeriods() {
		at = time.Date(p.Year, time.Month(p.Month)+1, 20, 9, 0, 0, 0, time.UTC)
		vals := byPeriod[p.String()]
		if p.String() == "2022-06" {
			// The first estimate of the half-year budget revenue, corrected five days later.
			if _, err := s.RecordValues(ctx, []indicator.ValueInput{{Indicator: "GBR", Region: "芝罘区", Period: "2022-06", Value: 45.8, Note: "快报"}}); err != nil {
				return err
			}
			at = at.AddDate(0, 0, 5)
		}
		if _, err := s.RecordValues(ctx, vals); err != nil {
			return fmt.Errorf("values %s: %w", p, err)
		}
	}
	return nil
}

// demoPeriods are the months with figures: 2020-10 … 2022-09, so that every
// month of the twelve before September 2022 has last year's figure too.
func demoPeriods() []indicator.Period {
	var out []indicator.Period
	for p := (indicator.Period{Year: 2020, Month: 10}); p.String() <= "2022-09"; p = p.Add(1) {
		out = append(out, p)
	}
	return out
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// demoFigures computes every region's figure for every period: the
// district's June figures and growths from the articles, the peers placed
// around them so that the district gets its rank, other months by a smooth
// share of the year, last year's by the growth rate.
func demoFigures() map[string][]indicator.ValueInput {
	out := map[string][]indicator.ValueInput{}
	add := func(code, region string, p indicator.Period, v float64, illus bool) {
		dec := 2.0
		if v >= 1000 {
			dec = 0
		}
		f := math.Pow(10, dec)
		v = math.Round(v*f) / f
		note := ""
		if illus {
			note = "示意数据"
		}
		out[p.String()] = append(out[p.String()], indicator.ValueInput{Indicator: code, Region: region, Period: p.String(), Value: v, Illustrative: illus, Note: note})
	}
	peers := demoRegions[1 : len(demoRegions)-1]
	for k, d := range demoIndicators {
		quarterly := d.in.Frequency == "quarterly"
		lower := d.in.Direction == "lower"
		// June value and growth of each region (district first).
		type fig struct{ v, g float64 }
		june := []fig{{d.value, d.growth}}
		better := d.rank - 1
		for j := range peers {
			pos := (j + k) % len(peers) // rotate who is ahead from indicator to indicator
			var f fig
			switch {
			case d.in.RankBy == "growth" && pos < better:
				f = fig{d.value * (0.4 + 0.05*float64(pos)), d.growth + 1.0 + 0.7*float64(pos)}
			case d.in.RankBy == "growth":
				f = fig{d.value * (0.3 + 0.04*float64(pos)), d.growth - 0.8 - 0.6*float64(pos-better)}
			case pos < better && !lower, pos >= better && lower:
				f = fig{d.value * (1.08 + 0.1*float64(pos)), d.growth - 1 + 0.3*float64(pos)}
			default:
				f = fig{d.value * (0.9 - 0.05*float64(pos-better)), d.growth + 0.5 - 0.4*float64(pos)}
			}
			if lower && pos < better {
				f.v = d.value * (0.9 - 0.05*float64(pos))
			}
			june = append(june, f)
		}
		names := []string{demoRegions[0].Name}
		for _, p := range peers {
			names = append(names, p.Name)
		}
		for ri, f := range june {
			illus := ri > 0 || d.fromArticle == "" || d.in.Code == "SERVICES"
			for _, p := range demoPeriods() {
				if quarterly && !p.QuarterEnd() {
					continue
				}
				// Share of the first half reached by the month (cumulative figures), with a little wobble.
				wob := 1 + 0.01*float64((p.Month*7+ri*3+k)%5-2)
				share := 1.0
				if d.in.Cumulative {
					share = float64(p.Month) / 6 * wob
				} else {
					share = wob
				}
				g := f.g + 0.2*float64((p.Month+ri+k)%3-1)
				switch {
				case p.Year == 2022:
					v := f.v * share
					if p.Month == 6 {
						v = f.v
					}
					add(d.in.Code, names[ri], p, v, illus)
				case p.Year == 2021:
					v2022 := f.v * share
					if p.Month == 6 {
						v2022, g = f.v, f.g
					}
					add(d.in.Code, names[ri], p, v2022/(1+g/100), illus)
				default: // 2020, for the growth of late 2021
					v2021 := f.v * share / (1 + g/100)
					add(d.in.Code, names[ri], p, v2021/(1+(g+1.5)/100), true)
				}
			}
		}
	}
	// The district's budget revenue from the articles, and the city's.
	for per, v := range demoZhifuGBR {
		replace(out, "GBR", "芝罘区", per, v, per != "2022-06" && per != "2022-09" && per != "2021-06" && per != "2021-09")
	}
	for per, v := range demoCityGBR {
		p, _ := indicator.ParsePeriod(per)
		add("GBR", "烟台市", p, v, true)
	}
	// The city's other figures: the sum of its districts (per capita income and
	// energy intensity are not sums: the mean, illustratively).
	for per, vals := range out {
		sums, counts := map[string]float64{}, map[string]int{}
		hasCity := map[string]bool{}
		for _, v := range vals {
			if v.Region == "烟台市" {
				hasCity[v.Indicator] = true
				continue
			}
			sums[v.Indicator] += v.Value
			counts[v.Indicator]++
		}
		p, _ := indicator.ParsePeriod(per)
		for code, sum := range sums {
			if hasCity[code] || code == "GBR" {
				continue
			}
			if code == "INCOME" || code == "ENERGY" {
				sum /= float64(counts[code])
			}
			add(code, "烟台市", p, sum, true)
		}
	}
	return out
}

// replace sets one figure of out, adding it when missing.
func replace(out map[string][]indicator.ValueInput, code, region, per string, v float64, illus bool) {
	for i, x := range out[per] {
		if x.Indicator == code && x.Region == region {
			out[per][i].Value, out[per][i].Illustrative = round2(v), illus
			if !illus {
				out[per][i].Note = "文章"
			}
			return
		}
	}
	note := "文章"
	if illus {
		note = "示意数据"
	}
	out[per] = append(out[per], indicator.ValueInput{Indicator: code, Region: region, Period: per, Value: round2(v), Illustrative: illus, Note: note})
}

// loadIndicators writes this part of the demo district.
func loadIndicators(ctx context.Context, s Services, x Extras, sum Summary) error {
	svc := x.Indicators
	if svc == nil {
		svc = indicator.New(s.DB)
	}
	return LoadIndicators(ctx, svc)
}
