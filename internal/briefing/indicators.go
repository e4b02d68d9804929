package briefing

import (
	"context"
	"fmt"
	"strings"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/indicator"
)

// Main economic indicators (主要经济指标) in a briefing: how many of the
// city-ranked indicators rank in the city's top 3, then a sentence per
// indicator with its value, growth, gap to the city and rank.
//
// A briefing's period maps to the latest indicator period (month) at or
// before its end: the first half of 2022 to 2022-06, January–September to
// 2022-09. Indicator figures are published some weeks after the month they
// describe (the demo's around the 20th of the next month), so they are read
// as published by the day the briefing is generated, not by its period's
// end; the figures' query names that day (as_of), so the text can be
// reproduced from it. The indicators describe the whole district: a briefing
// narrowed to a zone or unit leaves them out.

// indicatorPlaceholders are the plain figures the indicators source adds.
var indicatorPlaceholders = []string{"indicators.period", "indicators.city_ranked", "indicators.top3", "indicators.first"}

// indicatorFields are the fields of an indicator row ("indicators" row set).
var indicatorFields = []string{"name", "code", "value", "growth", "gap_to_city", "gap_to_guidance", "rank", "sentence"}

var indicatorSentencesZH = []TemplateSentence{
	{Key: "indicators.title", Section: "indicators", Text: "六、主要经济指标"},
	{Key: "indicators.summary", Section: "indicators", Text: "{{indicators.period}}，列入市级重点调度的{{indicators.city_ranked}}项主要经济指标中，{{indicators.top3}}项排名全市前3。"},
	{Key: "indicators.row", Section: "indicators", Repeat: "indicators", Text: "{{sentence}}。"},
}

var indicatorSentencesEN = []TemplateSentence{
	{Key: "indicators.title", Section: "indicators", Text: "6. Main economic indicators"},
	{Key: "indicators.summary", Section: "indicators", Text: "{{indicators.period}}: of the {{indicators.city_ranked}} main economic indicators ranked by the city, {{indicators.top3}} rank in the city's top 3."},
	{Key: "indicators.row", Section: "indicators", Repeat: "indicators", Text: "{{sentence}}."},
}

func init() {
	extraPlain = append(extraPlain, indicatorPlaceholders...)
	rowFields["indicators"] = indicatorFields
	defaultZH = append(defaultZH, indicatorSentencesZH...)
	defaultEN = append(defaultEN, indicatorSentencesEN...)
}

// indicatorPeriod is the latest indicator period at or before the day.
func indicatorPeriod(d date.Date) indicator.Period {
	t := d.Time()
	p := indicator.Period{Year: t.Year(), Month: int(t.Month())}
	if !monthEnd(d) {
		p = p.Add(-1)
	}
	return p
}

// indicatorsSource adds the indicator figures of the period. A briefing of a
// zone or unit, or a period without indicator figures, adds none, so the
// section is left out.
func (s *Service) indicatorsSource(ctx context.Context, sc Scope, col *collected) error {
	if sc.ZoneID != 0 || sc.UnitID != 0 {
		return nil
	}
	p := indicatorPeriod(sc.AsOf)
	asOf := date.Of(s.now())
	if asOf.Before(sc.AsOf) {
		asOf = sc.AsOf
	}
	// The briefing is the district's; whoever may write it may state the
	// published indicators in it, as the other sections state items and cases.
	rows, err := indicator.New(s.db).Table(access.With(ctx, nil), p.String(), asOf)
	if err != nil {
		return fmt.Errorf("briefing indicators: %w", err)
	}
	en := sc.Lang == "en"
	lbl := func(zh, e string) string {
		if en {
			return e
		}
		return zh
	}
	api := fmt.Sprintf("/api/v1/indicator-table?period=%s&as_of=%s", p, asOf)
	fs := col.figs
	var ranked, top3, first []SourceRecord
	n := 0
	for _, r := range rows {
		if !r.Due || r.Value == nil {
			continue
		}
		n++
		x := r.Indicator
		rec := func(v float64, note string) []SourceRecord {
			return []SourceRecord{{Kind: "indicator", ID: x.ID, Code: x.Code, Name: x.Name, Value: v, Note: note}}
		}
		if x.CityRanked {
			note := ""
			if r.Rank > 0 {
				note = fmt.Sprintf("第%d位", r.Rank)
			}
			ranked = append(ranked, rec(1, note)[0])
			if r.Rank > 0 && r.Rank <= 3 {
				top3 = append(top3, rec(1, note)[0])
			}
			if r.Rank == 1 {
				first = append(first, rec(1, note)[0])
			}
		}
		pfx := "indicators." + x.Code
		if !placeholderRE.MatchString("{{" + pfx + "}}") {
			pfx = fmt.Sprintf("indicators.%d", x.ID)
		}
		xapi := api
		fs.add(BriefingFigure{Key: pfx + ".value", Label: x.Name, Value: *r.Value, Unit: x.Unit, Precision: 4,
			Text:   indicatorQty(*r.Value, x.Unit, en),
			Source: FigureSource{API: xapi, Sum: "value", Records: rec(*r.Value, r.PeriodLabel)}})
		gu := map[bool]string{true: "%", false: "个百分点"}[r.GrowthUnit == "%" || r.GrowthUnit == ""]
		if r.Growth != nil {
			fs.add(BriefingFigure{Key: pfx + ".growth", Label: lbl(x.Name+"同比增长", x.Name+", growth"), Value: *r.Growth, Unit: gu, Precision: 1,
				Text: pointsText(*r.Growth, gu, en), Source: FigureSource{API: xapi, Sum: "value", Records: rec(*r.Growth, "同比")}})
		}
		if r.GapToCity != nil {
			fs.add(BriefingFigure{Key: pfx + ".gap_to_city", Label: lbl(x.Name+"增速与全市平均之差", x.Name+", growth against the city"), Value: *r.GapToCity,
				Unit: "个百分点", Precision: 1, Text: pointsText(*r.GapToCity, "个百分点", en),
				Source: FigureSource{API: xapi, Sum: "value", Records: rec(*r.GapToCity, "全市平均")}})
		}
		if t := r.GuidanceTarget; t != nil && t.Measure == "growth" && t.Gap != nil {
			fs.add(BriefingFigure{Key: pfx + ".gap_to_guidance", Label: lbl(x.Name+"增速与市级引导性目标之差", x.Name+", growth against the city's guidance target"),
				Value: *t.Gap, Unit: "个百分点", Precision: 1, Text: pointsText(*t.Gap, "个百分点", en),
				Source: FigureSource{API: xapi, Sum: "value", Records: rec(*t.Gap, "市级引导性目标")}})
		}
		if x.CityRanked && r.Rank > 0 {
			fs.add(BriefingFigure{Key: pfx + ".rank", Label: lbl(x.Name+"全市排名", x.Name+", rank in the city"), Value: float64(r.Rank), Unit: "",
				Text: fmt.Sprint(r.Rank), Source: FigureSource{API: xapi, Sum: "value", Records: rec(float64(r.Rank), fmt.Sprintf("%d个区市参与排名", r.Ranked))}})
		}
		fs.label(pfx+".name", x.Name)
		fs.label(pfx+".code", x.Code)
		if en {
			fs.label(pfx+".sentence", indicatorSentenceEN(r))
		} else {
			fs.label(pfx+".sentence", indicator.SentenceOf(r).Text)
		}
		col.rows["indicators"] = append(col.rows["indicators"], row{prefix: pfx, id: x.ID})
	}
	if n == 0 {
		return nil
	}
	ranked3 := api + "&city_ranked=true"
	fs.count("indicators.city_ranked", lbl("列入市级重点调度的主要经济指标", "Main indicators ranked by the city"), "项", ranked3, ranked)
	fs.count("indicators.top3", lbl("排名全市前3的指标", "Indicators in the city's top 3"), "项", ranked3, top3)
	fs.count("indicators.first", lbl("排名全市第1的指标", "Indicators ranked first"), "项", ranked3, first)
	if en {
		months := enMonths[p.Month]
		if p.Month > 1 {
			months = "January–" + months
		}
		fs.label("indicators.period", fmt.Sprintf("%s %d", months, p.Year))
	} else {
		fs.label("indicators.period", fmt.Sprintf("%d年%s", p.Year, p.Label(true)))
	}
	return nil
}

// indicatorQty prints an indicator's value with its unit: 46亿元, 45.58万平方米.
func indicatorQty(v float64, unit string, en bool) string {
	e4 := indicator.ToE4(v)
	if !en {
		return indicator.FormatE4(e4) + unit
	}
	switch unit {
	case "亿元":
		return trimNum(v/10, 3) + " bn yuan"
	case "万元":
		return formatWan(v, "en")
	case "万平方米":
		return trimNum(v*1e4, 0) + " m²"
	case "%":
		return trimNum(v, 2) + "%"
	}
	return strings.TrimSpace(indicator.FormatE4(e4) + " " + unit)
}

// pointsText prints a growth rate or a gap: 3.2个百分点, 41.5%.
func pointsText(v float64, unit string, en bool) string {
	s := trimNum(v, 1)
	switch {
	case unit == "%":
		return s + "%"
	case en:
		return s + " points"
	}
	return s + unit
}

// indicatorSentenceEN words one indicator row in English.
func indicatorSentenceEN(r indicator.TableRow) string {
	x := r.Indicator
	cl := []string{fmt.Sprintf("%s: %s", x.Name, indicatorQty(*r.Value, x.Unit, true))}
	if r.Growth != nil {
		g := *r.Growth
		unit := "%"
		if r.GrowthUnit != "%" && r.GrowthUnit != "" {
			unit = " points"
		}
		switch {
		case g > 0:
			cl = append(cl, "up "+trimNum(g, 1)+unit+" year on year")
		case g < 0:
			cl = append(cl, "down "+trimNum(-g, 1)+unit+" year on year")
		default:
			cl = append(cl, "level with last year")
		}
	}
	if r.GapToCity != nil {
		cl = append(cl, enGap("growth", "the city average", *r.GapToCity))
	}
	if t := r.GuidanceTarget; t != nil && t.Measure == "growth" && t.Gap != nil {
		cl = append(cl, enGap("growth", "the city's guidance target", *t.Gap))
	}
	if x.CityRanked && r.Rank > 0 {
		cl = append(cl, fmt.Sprintf("ranking %s in the city", ordinal(r.Rank)))
	}
	return strings.Join(cl, ", ")
}

func enGap(subject, than string, g float64) string {
	switch {
	case g > 0:
		return fmt.Sprintf("%s %s points above %s", subject, trimNum(g, 1), than)
	case g < 0:
		return fmt.Sprintf("%s %s points below %s", subject, trimNum(-g, 1), than)
	}
	return subject + " level with " + than
}

func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprint(n) + suffix
}
