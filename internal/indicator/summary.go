package indicator

import (
	"context"
	"fmt"
	"strings"

	"gongjian/internal/access"
	"gongjian/internal/date"
)

// RankMove is an indicator whose rank changed since the previous period.
type RankMove struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	PrevRank int    `json:"prev_rank"`
	Rank     int    `json:"rank"`
}

// PeriodSummary is the period at a glance: how many of the city-ranked indicators
// rank in the top 3, which moved, which are behind the time-elapsed line.
type PeriodSummary struct {
	Period      string     `json:"period"`
	PeriodLabel string     `json:"period_label"`
	CityRanked  int        `json:"city_ranked" doc:"列入市级重点调度（全市排名）的指标数"`
	Ranked      int        `json:"ranked" doc:"其中本期有名次的指标数"`
	Top3        int        `json:"top3" doc:"排名全市前3的指标数"`
	Top3Names   []string   `json:"top3_names"`
	First       int        `json:"first" doc:"排名全市第1的指标数"`
	Rose        []RankMove `json:"rose" doc:"名次比上期上升的指标"`
	Fell        []RankMove `json:"fell" doc:"名次比上期下降的指标"`
	Behind      []string   `json:"behind" doc:"落后于序时进度（或低于目标增速）的指标"`
	Headline    string     `json:"headline" doc:"如 上半年，列入市级重点调度的12项主要经济指标中，7项排名全市前3"`
}

// PeriodSummary sums up the period's table.
func (s *Service) Summary(ctx context.Context, period string, asOf date.Date) (PeriodSummary, error) {
	rows, err := s.Table(ctx, period, asOf)
	if err != nil {
		return PeriodSummary{}, err
	}
	return summarise(rows), nil
}

func summarise(rows []TableRow) PeriodSummary {
	sum := PeriodSummary{Top3Names: []string{}, Rose: []RankMove{}, Fell: []RankMove{}, Behind: []string{}}
	label := ""
	for _, r := range rows {
		sum.Period = r.Period
		if !r.Due {
			continue
		}
		if label == "" && r.Indicator.Cumulative {
			label = r.PeriodLabel
		}
		if r.BehindTime {
			sum.Behind = append(sum.Behind, r.Indicator.Name)
		}
		if !r.Indicator.CityRanked {
			continue
		}
		sum.CityRanked++
		if r.Rank == 0 {
			continue
		}
		sum.Ranked++
		if r.Rank <= 3 {
			sum.Top3++
			sum.Top3Names = append(sum.Top3Names, r.Indicator.Name)
		}
		if r.Rank == 1 {
			sum.First++
		}
		m := RankMove{Code: r.Indicator.Code, Name: r.Indicator.Name, PrevRank: r.PrevRank, Rank: r.Rank}
		switch {
		case r.RankChange > 0:
			sum.Rose = append(sum.Rose, m)
		case r.RankChange < 0:
			sum.Fell = append(sum.Fell, m)
		}
	}
	if label == "" && len(rows) > 0 {
		label = rows[0].PeriodLabel
	}
	sum.PeriodLabel = label
	sum.Headline = fmt.Sprintf("%s，列入市级重点调度的%d项主要经济指标中，%d项排名全市前3", label, sum.CityRanked, sum.Top3)
	return sum
}

// Sentence is a briefing sentence about one indicator (or, with an empty
// code, the headline), with the figures it states.
type Sentence struct {
	Code          string   `json:"code" doc:"指标代码；总述句为空"`
	Text          string   `json:"text"`
	Clauses       []string `json:"clauses" doc:"分句，如 一般公共预算收入46亿元、增速高于全市平均3.2个百分点"`
	Value         *float64 `json:"value"`
	Unit          string   `json:"unit"`
	Growth        *float64 `json:"growth"`
	GapToCity     *float64 `json:"gap_to_city"`
	GapToGuidance *float64 `json:"gap_to_guidance"`
	Rank          int      `json:"rank"`
	Illustrative  bool     `json:"illustrative"`
}

// Sentences writes the period's indicator sentences the way the district's
// briefings do: a headline ("上半年，列入市级重点调度的12项主要经济指标中，7项
// 排名全市前3"), then one sentence per indicator with a value.
func (s *Service) Sentences(ctx context.Context, period string, asOf date.Date) ([]Sentence, error) {
	if err := need(ctx, access.IndicatorRead); err != nil {
		return nil, err
	}
	rows, err := s.Table(ctx, period, asOf)
	if err != nil {
		return nil, err
	}
	sum := summarise(rows)
	out := []Sentence{}
	if sum.CityRanked > 0 {
		out = append(out, Sentence{Text: sum.Headline, Clauses: strings.Split(sum.Headline, "，")})
	}
	for _, r := range rows {
		if r.Due && r.Value != nil {
			out = append(out, SentenceOf(r))
		}
	}
	return out, nil
}

// SentenceOf words one row: value, growth, gap to the city, gap to the
// guidance target, progress against the district's target, rank.
func SentenceOf(r TableRow) Sentence {
	x := r.Indicator
	st := Sentence{Code: x.Code, Value: r.Value, Unit: x.Unit, Growth: r.Growth, GapToCity: r.GapToCity, Rank: r.Rank, Illustrative: r.Illustrative}
	var cl []string
	if r.Value != nil {
		cl = append(cl, x.Name+FormatE4(ToE4(*r.Value))+x.Unit)
	}
	if r.Growth != nil {
		g := ToE4(*r.Growth) / 1000 // tenths
		unit := "%"
		if r.GrowthUnit != "%" {
			unit = "个百分点"
		}
		switch {
		case g > 0:
			cl = append(cl, "同比增长"+FormatTenths(g)+unit)
		case g < 0:
			cl = append(cl, "同比下降"+FormatTenths(-g)+unit)
		default:
			cl = append(cl, "与上年同期持平")
		}
	}
	if r.GapToCity != nil {
		cl = append(cl, gapClause("增速", "全市平均", ToE4(*r.GapToCity)/1000))
	}
	if t := r.GuidanceTarget; t != nil && t.Measure == "growth" && t.Gap != nil {
		g := ToE4(*t.Gap) / 1000
		st.GapToGuidance = t.Gap
		switch {
		case g > 0:
			cl = append(cl, "超出市级引导性目标"+FormatPoints(g)+"个百分点")
		case g < 0:
			cl = append(cl, "低于市级引导性目标"+FormatPoints(-g)+"个百分点")
		default:
			cl = append(cl, "与市级引导性目标持平")
		}
	}
	if t := r.DistrictTarget; t != nil && t.Measure == "value" && t.Progress != nil {
		c := "完成年度目标的" + FormatTenths(ToE4(*t.Progress)/1000) + "%"
		if r.Indicator.Cumulative {
			c += "，" + gapClause("", "序时进度", ToE4(*t.Gap)/1000)
		}
		cl = append(cl, c)
	}
	if x.CityRanked && r.Rank > 0 {
		cl = append(cl, fmt.Sprintf("居全市第%d位", r.Rank))
	}
	st.Clauses = cl
	st.Text = strings.Join(cl, "，")
	return st
}

func gapClause(subject, than string, g Tenths) string {
	switch {
	case g > 0:
		return subject + "高于" + than + FormatPoints(g) + "个百分点"
	case g < 0:
		return subject + "低于" + than + FormatPoints(-g) + "个百分点"
	}
	return subject + "与" + than + "持平"
}
