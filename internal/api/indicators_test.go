package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/demo"
	"gongjian/internal/indicator"
)

// indicatorEnv is the demo district with its indicators loaded.
func indicatorEnv(t *testing.T, e *env) {
	t.Helper()
	if err := demo.LoadIndicators(context.Background(), indicator.New(e.db)); err != nil {
		t.Fatalf("load demo indicators: %v", err)
	}
	// A second run changes nothing.
	if err := demo.LoadIndicators(context.Background(), indicator.New(e.db)); err != nil {
		t.Fatalf("reload demo indicators: %v", err)
	}
}

type sentenceList struct {
	Items []struct {
		Code    string   `json:"code"`
		Text    string   `json:"text"`
		Clauses []string `json:"clauses"`
	} `json:"items"`
}

// TestIndicatorsDemoReproducesArticles checks the articles' sentences about
// indicators against what the demo data computes.
func TestIndicatorsDemoReproducesArticles(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		indicatorEnv(t, e)
		c := e.login("quzhang")
		var ss sentenceList
		c.do("GET", "/api/v1/indicator-sentences?period=2022-06", nil).status(http.StatusOK).json(&ss)
		byCode := map[string][]string{}
		for _, s := range ss.Items {
			byCode[s.Code] = s.Clauses
		}
		if ss.Items[0].Text != "上半年，列入市级重点调度的12项主要经济指标中，7项排名全市前3" {
			t.Errorf("headline %q", ss.Items[0].Text)
		}
		// The articles' clauses (wording of ranks normalised to 居全市第N位).
		want := map[string][]string{
			"GBR":      {"一般公共预算收入46亿元", "增速高于全市平均3.2个百分点"},
			"RETAIL":   {"社会消费品零售总额344.4亿元", "居全市第1位"},
			"TRADE":    {"外贸进出口114.8亿元", "同比增长32.1%"},
			"SERVICES": {"同比增长41.5%", "超出市级引导性目标29.5个百分点", "居全市第2位"},
			"CONSTR":   {"建筑业总产值192.57亿元", "居全市第1位"},
			"HOUSING":  {"商品房网签备案面积45.58万平方米", "居全市第2位"},
			"REINV":    {"房地产开发投资74.26亿元", "居全市第2位"},
		}
		for code, clauses := range want {
			for _, cl := range clauses {
				if !slices.Contains(byCode[code], cl) {
					t.Errorf("%s: no clause %q in %v", code, cl, byCode[code])
				}
			}
		}
		c.do("GET", "/api/v1/indicator-sentences?period=2022-09", nil).status(http.StatusOK).json(&ss)
		for _, s := range ss.Items {
			if s.Code == "GBR" && (!slices.Contains(s.Clauses, "一般公共预算收入51.1亿元") || !slices.Contains(s.Clauses, "同比增长5.9%")) {
				t.Errorf("Jan–Sep revenue: %v, want 51.1亿元 and +5.9%%", s.Clauses)
			}
		}

		var sum struct {
			CityRanked int      `json:"city_ranked"`
			Top3       int      `json:"top3"`
			First      int      `json:"first"`
			Top3Names  []string `json:"top3_names"`
		}
		c.do("GET", "/api/v1/indicator-summary?period=2022-06", nil).status(http.StatusOK).json(&sum)
		if sum.CityRanked != 12 || sum.Top3 != 7 || sum.First != 2 {
			t.Errorf("summary: %d ranked, %d in top 3, %d first; want 12, 7, 2 (%v)", sum.CityRanked, sum.Top3, sum.First, sum.Top3Names)
		}
		var tab struct {
			Period string `json:"period"`
			Rows   []struct {
				Indicator  struct{ Code string } `json:"indicator"`
				Rank       int                   `json:"rank"`
				Ranked     int                   `json:"ranked"`
				Growth     *float64              `json:"growth"`
				CityGrowth *float64              `json:"city_growth"`
				GapToCity  *float64              `json:"gap_to_city"`
				Missing    []string              `json:"missing_peers"`
			} `json:"rows"`
		}
		c.do("GET", "/api/v1/indicator-table?period=2022-06", nil).status(http.StatusOK).json(&tab)
		for _, r := range tab.Rows {
			if r.Ranked != 14 || len(r.Missing) != 0 {
				t.Errorf("%s: %d ranked, missing %v; want all 14 districts", r.Indicator.Code, r.Ranked, r.Missing)
			}
			if r.Indicator.Code == "GBR" && (*r.Growth != 4.5 || *r.CityGrowth != 1.3 || *r.GapToCity != 3.2 || r.Rank != 3) {
				t.Errorf("GBR: growth %v city %v gap %v rank %d; want 4.5, 1.3, 3.2, 3rd", *r.Growth, *r.CityGrowth, *r.GapToCity, r.Rank)
			}
		}
		// Without a period: the latest with figures.
		c.do("GET", "/api/v1/indicator-table", nil).status(http.StatusOK).json(&tab)
		if tab.Period != "2022-09" {
			t.Errorf("default period %s, want 2022-09", tab.Period)
		}
	})
}

func TestIndicatorsRevisionsAsOfAndPermissions(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		indicatorEnv(t, e)
		tj, viewer := e.login("tongjiju"), e.login("viewer")
		type tableRow struct {
			Indicator struct {
				ID   int64  `json:"id"`
				Code string `json:"code"`
			} `json:"indicator"`
			Value   *float64 `json:"value"`
			Rank    int      `json:"rank"`
			Ranked  int      `json:"ranked"`
			Missing []string `json:"missing_peers"`
		}
		get := func(url string) map[string]tableRow {
			var tab struct{ Rows []tableRow }
			viewer.do("GET", url, nil).status(http.StatusOK).json(&tab)
			out := map[string]tableRow{}
			for _, r := range tab.Rows {
				out[r.Indicator.Code] = r
			}
			return out
		}
		// The half-year revenue was first reported as 45.8 (20 July), corrected to 46 (25 July).
		if v := *get("/api/v1/indicator-table?period=2022-06&as_of=2022-07-22")["GBR"].Value; v != 45.8 {
			t.Errorf("GBR as of 22 July = %v, want 45.8", v)
		}
		gbr := get("/api/v1/indicator-table?period=2022-06")["GBR"]
		if *gbr.Value != 46 {
			t.Errorf("GBR now = %v, want 46", *gbr.Value)
		}
		var hist struct {
			Items []struct {
				ValueRevision int     `json:"revision"`
				Value         float64 `json:"value"`
			} `json:"items"`
		}
		viewer.do("GET", fmt.Sprintf("/api/v1/indicators/%d/history", gbr.Indicator.ID)+"?period=2022-06", nil).status(http.StatusOK).json(&hist)
		if len(hist.Items) != 2 || hist.Items[0].Value != 45.8 || hist.Items[1].Value != 46 {
			t.Errorf("history %+v", hist.Items)
		}
		// Figures are the statistics office's to write.
		body := map[string]any{"values": []map[string]any{{"indicator": "RETAIL", "region": "福山区", "period": "2022-06", "value": 400}}}
		viewer.do("POST", "/api/v1/indicator-values", body).status(http.StatusForbidden)
		e.login("zhujianju").do("POST", "/api/v1/indicator-values", body).status(http.StatusForbidden)
		// A peer overtakes the district: retail sales fall to 2nd.
		var res struct{ Created, Updated, Unchanged int }
		tj.do("POST", "/api/v1/indicator-values", body).status(http.StatusOK).json(&res)
		if res.Updated != 1 {
			t.Errorf("correction: %+v", res)
		}
		if r := get("/api/v1/indicator-table?period=2022-06")["RETAIL"]; r.Rank != 2 {
			t.Errorf("retail after a peer's 400亿: rank %d, want 2", r.Rank)
		}
		// Bad input is named, and nothing of the batch is written.
		p := tj.do("POST", "/api/v1/indicator-values", map[string]any{"values": []map[string]any{
			{"indicator": "TRADE", "region": "福山区", "period": "2022-07", "value": 1},
			{"indicator": "TRADE", "region": "不存在区", "period": "2022-07", "value": 1},
			{"indicator": "CONSTR", "region": "福山区", "period": "2022-07", "value": 1},
		}}).status(http.StatusUnprocessableEntity).problem()
		if got := p.fields(); !slices.Equal(got, []string{"values[1].region", "values[2].period"}) {
			t.Errorf("fields %v", got)
		}
		tj.do("GET", "/api/v1/indicator-table?period=2022-13", nil).status(http.StatusUnprocessableEntity)
		// Targets: the supervisor and the statistician set them, others read.
		tgt := map[string]any{"indicator": "TRADE", "year": 2022, "kind": "district", "measure": "growth", "value": 20}
		viewer.do("PUT", "/api/v1/indicator-targets", tgt).status(http.StatusForbidden)
		tj.do("PUT", "/api/v1/indicator-targets", tgt).status(http.StatusOK)
		var tl struct{ Total int }
		viewer.do("GET", "/api/v1/indicator-targets?year=2022", nil).status(http.StatusOK).json(&tl)
		if tl.Total != 6 {
			t.Errorf("targets of 2022: %d, want 6", tl.Total)
		}
	})
}

func TestIndicatorsExcelRoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		indicatorEnv(t, e)
		tj := e.login("tongjiju")
		const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		file := tj.do("GET", "/api/v1/indicator-table/export?periods=2022-06,2022-09", nil).status(http.StatusOK).body
		f, err := excelize.OpenReader(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.GetSheetList(); !slices.Equal(got, []string{"2022-06", "2022-09"}) {
			t.Fatalf("sheets %v", got)
		}
		rows, _ := f.GetRows("2022-06")
		if rows[0][3] != "芝罘区" || rows[0][4] != "芝罘区上年同期" || rows[1][0] != "GBR" || rows[1][3] != "46" || rows[1][4] != "44.02" {
			t.Fatalf("layout: %v / %v", rows[0][:5], rows[1][:5])
		}
		var res struct {
			DryRun                      bool `json:"dry_run"`
			Created, Updated, Unchanged int
			Problems                    []struct {
				Sheet, Column, Value, Message string
				Row                           int
			}
		}
		tj.do("POST", "/api/v1/indicator-values/import?dry_run=true", string(file), "Content-Type", xlsxType).status(http.StatusOK).json(&res)
		if res.Created != 0 || res.Updated != 0 || res.Unchanged == 0 || len(res.Problems) != 0 {
			t.Fatalf("re-import of an export must change nothing: %+v", res)
		}
		n := res.Unchanged
		tj.do("POST", "/api/v1/indicator-values/import?dry_run=false", string(file), "Content-Type", xlsxType).status(http.StatusOK).json(&res)
		if res.Unchanged != n || res.Created+res.Updated != 0 {
			t.Fatalf("commit of the same file: %+v", res)
		}
		again := tj.do("GET", "/api/v1/indicator-table/export?periods=2022-06,2022-09", nil).status(http.StatusOK).body
		g, _ := excelize.OpenReader(bytes.NewReader(again))
		for _, sh := range []string{"2022-06", "2022-09"} {
			a, _ := f.GetRows(sh)
			b, _ := g.GetRows(sh)
			if !slices.EqualFunc(a, b, slices.Equal) {
				t.Errorf("sheet %s differs after the round trip", sh)
			}
		}
		// A corrected cell and a bad one: the dry run names the bad cell, the commit writes nothing.
		_ = f.SetCellValue("2022-06", "F2", 33.3) // 福山区 revenue, a correction
		_ = f.SetCellValue("2022-06", "H3", "三百") // 牟平区 retail, not a number
		var buf bytes.Buffer
		_ = f.Write(&buf)
		tj.do("POST", "/api/v1/indicator-values/import?dry_run=true", buf.String(), "Content-Type", xlsxType).status(http.StatusOK).json(&res)
		if res.Updated != 1 || len(res.Problems) != 1 || res.Problems[0].Sheet != "2022-06" || res.Problems[0].Row != 3 ||
			res.Problems[0].Column != "H" || res.Problems[0].Value != "三百" {
			t.Fatalf("dry run: %+v", res)
		}
		p := tj.do("POST", "/api/v1/indicator-values/import", buf.String(), "Content-Type", xlsxType).status(http.StatusUnprocessableEntity).problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != "2022-06!H3" || !strings.Contains(p.Errors[0].Message, "三百") {
			t.Errorf("commit problem: %+v", p)
		}
		tj.do("POST", "/api/v1/indicator-values/import?dry_run=true", string(file), "Content-Type", xlsxType).status(http.StatusOK).json(&res)
		if res.Unchanged != n {
			t.Errorf("a failed commit changed data: %+v", res)
		}
		e.login("viewer").do("POST", "/api/v1/indicator-values/import?dry_run=true", string(file), "Content-Type", xlsxType).status(http.StatusForbidden)
	})
}
