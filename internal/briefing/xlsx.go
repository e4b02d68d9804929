package briefing

import (
	"io"

	"gongjian/internal/xlsx"
)

// WriteXLSX writes the briefing's tables as one sheet: every figure with its
// value and the query behind it, the items behind plan, and the league table.
func WriteXLSX(b Briefing, w io.Writer) error {
	en := b.Lang == "en"
	h := func(zh, e string) string {
		if en {
			return e
		}
		return zh
	}
	x, err := xlsx.New(h("简报数据", "Briefing"), []xlsx.Column{{Header: h("部分", "ScorePart"), Width: 12}, {Header: h("名称", "Name"), Width: 36},
		{Header: h("数值", "Value"), Width: 14}, {Header: h("单位", "Unit"), Width: 8}, {Header: h("文字", "Text"), Width: 16},
		{Header: h("记录数", "Records"), Width: 8}, {Header: h("来源查询/说明", "Source / note"), Width: 60}})
	if err != nil {
		return err
	}
	for _, f := range b.Content.Figures {
		if err := x.Row(h("数据", "Figure"), f.Label+" ("+f.Key+")", f.Value, f.Unit, f.Text, f.Source.Count, f.Source.API); err != nil {
			return err
		}
	}
	for _, r := range b.Content.Behind {
		light := map[string]string{"red": h("红灯", "red"), "yellow": h("黄灯", "yellow")}[r.Light]
		if err := x.Row(h("滞后事项", "Behind"), r.Code+" "+r.Name, light, "", r.Leader, r.Unit, joinReasons(r.Reasons)); err != nil {
			return err
		}
	}
	for _, r := range b.Content.League.Rows {
		_, rows := leagueTable(Briefing{Lang: b.Lang, Content: &BriefingContent{League: LeagueTable{Rows: []LeagueRow{r}}}})
		if err := x.Row(h("考核排名", "League"), r.UnitName, r.Score, h("分", "points"), r.Rank, len(r.Breakdown), rows[0][3]); err != nil {
			return err
		}
	}
	_, err = x.WriteTo(w)
	return err
}

func joinReasons(rs []string) string {
	out := ""
	for i, r := range rs {
		if i > 0 {
			out += "；"
		}
		out += r
	}
	return out
}
