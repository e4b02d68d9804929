package briefing

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// BriefingFigure is a named value in a briefing with its unit, its text as printed
// and the records it was computed from.
type BriefingFigure struct {
	Key       string       `json:"key"`
	Label     string       `json:"label"`
	Value     float64      `json:"value" doc:"数值（以 unit 为单位）"`
	Unit      string       `json:"unit" doc:"单位：个、项、万元、%、分 …"`
	Precision int          `json:"precision"`
	Text      string       `json:"text" doc:"按公文习惯格式化的文字，如 156亿元"`
	Source    FigureSource `json:"source"`
}

// FigureSource is a figure's provenance: the API query that lists its records, and
// the records themselves with the value each contributes. Summing the
// records' values (or counting them, for a count) gives the figure.
type FigureSource struct {
	API     string         `json:"api" doc:"列出这些记录的查询"`
	Sum     string         `json:"sum" enum:"count,sum,ratio,value" doc:"记录如何得出数值：计数、求和、比例（of 两项之比×100）或单值"`
	Of      []string       `json:"of,omitempty" doc:"比例的分子、分母指标键"`
	Records []SourceRecord `json:"records" doc:"计算所用的记录，最多列出前 MaxRecords 条；全部记录由 api 查询列出"`
	Count   int            `json:"count" doc:"记录总数（可多于 records 所列）"`
}

// MaxRecords is how many records a briefing keeps per figure (and per part
// of a unit's score): the first ones, in the figure's order. Count is the
// full number and the figure's value is computed from every record; the
// query in API lists them all. A district's figures count up to tens of
// thousands of records (ledger rows, reports), which kept in full made a
// briefing tens of megabytes to store, send and read back.
const MaxRecords = 100

// capRecords keeps the first MaxRecords of recs in a slice of their own, so
// that the rest can be freed.
func capRecords(recs []SourceRecord) []SourceRecord {
	if len(recs) <= MaxRecords {
		return recs
	}
	return append([]SourceRecord(nil), recs[:MaxRecords]...)
}

// SourceRecord is one record behind a figure.
type SourceRecord struct {
	Kind  string  `json:"kind" doc:"item、milestone、target、report、unit …"`
	ID    int64   `json:"id"`
	Code  string  `json:"code,omitempty"`
	Name  string  `json:"name"`
	Value float64 `json:"value" doc:"该记录对数值的贡献"`
	Note  string  `json:"note,omitempty"`
}

// figures is the set of a briefing's figures and labels being built.
type figures struct {
	lang   string
	list   []BriefingFigure
	byKey  map[string]int
	labels map[string]string
}

func newFigures(lang string) *figures {
	return &figures{lang: lang, byKey: map[string]int{}, labels: map[string]string{}}
}

func (fs *figures) add(f BriefingFigure) {
	if f.Source.Records == nil {
		f.Source.Records = []SourceRecord{}
	}
	if f.Source.Count < len(f.Source.Records) {
		f.Source.Count = len(f.Source.Records)
	}
	f.Source.Records = capRecords(f.Source.Records)
	if f.Text == "" {
		f.Text = formatValue(f.Value, f.Unit, f.Precision, fs.lang)
	}
	if i, ok := fs.byKey[f.Key]; ok {
		fs.list[i] = f
		return
	}
	fs.byKey[f.Key] = len(fs.list)
	fs.list = append(fs.list, f)
}

// count adds a figure that counts records.
func (fs *figures) count(key, label, unit, api string, recs []SourceRecord) {
	fs.countOf(key, label, unit, api, len(recs), recs)
}

// countOf adds a figure that counts n records, of which recs are the first
// (all of them, or at least MaxRecords).
func (fs *figures) countOf(key, label, unit, api string, n int, recs []SourceRecord) {
	for i := range recs {
		recs[i].Value = 1
	}
	fs.add(BriefingFigure{Key: key, Label: label, Value: float64(n), Unit: unit, Text: fmt.Sprint(n),
		Source: FigureSource{API: api, Sum: "count", Records: recs, Count: n}})
}

// sumWan adds an amount in 万元 summed from records, printed as 亿元 or 万元.
func (fs *figures) sumWan(key, label, api string, recs []SourceRecord) {
	var t float64
	for _, r := range recs {
		t += r.Value
	}
	t = math.Round(t*10000) / 10000
	fs.add(BriefingFigure{Key: key, Label: label, Value: t, Unit: "万元", Precision: 2, Text: formatWan(t, fs.lang),
		Source: FigureSource{API: api, Sum: "sum", Records: recs}})
}

func (fs *figures) label(key, text string) { fs.labels[key] = text }

// formatWan prints an amount the way officials write it: 亿元 from one
// hundred million up, with up to two decimals and no trailing zeros
// (858亿元, 15.6亿元, 5.11亿元), 万元 below.
func formatWan(wan float64, lang string) string {
	if lang == "en" {
		if math.Abs(wan) >= 1e5 {
			return trimNum(wan/1e5, 2) + " bn yuan"
		}
		return trimNum(wan/100, 2) + " m yuan"
	}
	if math.Abs(wan) >= 1e4 {
		return trimNum(wan/1e4, 2) + "亿元"
	}
	return trimNum(wan, 2) + "万元"
}

// formatValue prints a value with its unit: counts as whole numbers, large
// counts of households or people in 万 (2.56万户), percentages with one
// decimal at most.
func formatValue(v float64, unit string, prec int, lang string) string {
	switch unit {
	case "万元":
		return formatWan(v, lang)
	case "%":
		return trimNum(v, 1) + "%"
	case "个", "项", "件", "家", "所", "条", "处", "":
		return trimNum(v, prec)
	}
	if lang != "en" && math.Abs(v) >= 1e4 && (unit == "户" || unit == "人" || unit == "平方米") {
		return trimNum(v/1e4, 2) + "万" + unit
	}
	if lang == "en" {
		return trimNum(v, prec) + " " + unit
	}
	return trimNum(v, prec) + unit
}

// trimNum prints v with at most prec decimals and no trailing zeros.
func trimNum(v float64, prec int) string {
	if prec < 0 {
		prec = 0
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// pct is 100·a/b rounded to one decimal, or 0 when b is 0.
func pct(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(a/b*1000) / 10
}

func itemRecord(id int64, code, name string, v float64) SourceRecord {
	return SourceRecord{Kind: "item", ID: id, Code: code, Name: name, Value: v}
}

func apiItems(campaignID int64, extra string) string {
	return fmt.Sprintf("/api/v1/items?campaign_id=%d%s", campaignID, extra)
}

// capLeague caps the records behind each part and deduction of the units'
// scores, in place, for keeping lt in a briefing; the numerators,
// denominators and counts stay whole.
func capLeague(lt *LeagueTable) {
	for _, rows := range [][]LeagueRow{lt.Rows, lt.Honour, lt.Warning} {
		for i := range rows {
			for j := range rows[i].Breakdown {
				rows[i].Breakdown[j].Records = capRecords(rows[i].Breakdown[j].Records)
			}
			for j := range rows[i].Deductions {
				rows[i].Deductions[j].Records = capRecords(rows[i].Deductions[j].Records)
			}
		}
	}
}
