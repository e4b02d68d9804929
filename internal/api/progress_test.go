package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/internal/demo"
	"gongjian/internal/progress"
	"gongjian/internal/testdb"
)

type lightList struct {
	AsOf   string         `json:"as_of"`
	Counts map[string]int `json:"counts"`
	Items  []struct {
		ItemID  int64    `json:"item_id"`
		Code    string   `json:"code"`
		Light   string   `json:"light"`
		Reasons []string `json:"reasons"`
		Targets []struct {
			Name   string   `json:"name"`
			Actual *float64 `json:"actual"`
		} `json:"targets"`
	} `json:"items"`
}

type reportBody struct {
	ID           int64  `json:"id"`
	State        string `json:"state"`
	Version      int    `json:"version"`
	ReturnReason string `json:"return_reason"`
	Late         bool   `json:"late"`
}

func ver(v int) []string { return []string{"If-Match", fmt.Sprintf(`"%d"`, v)} }

// A unit files, is returned, corrects and is accepted; every step is a
// revision; lights of the past do not move when new reports arrive.
func TestReportWorkflow(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		rep, sup := e.login("zhujianju"), e.login("duchashi")
		var tasks struct {
			Tasks []struct {
				ItemID       int64  `json:"item_id"`
				Code         string `json:"code"`
				LeadUnitName string `json:"lead_unit_name"`
				Status       string `json:"status"`
			} `json:"tasks"`
		}
		rep.do("GET", "/api/v1/tasks?campaign_id=1&period=2022-12", nil).status(200).json(&tasks)
		if len(tasks.Tasks) == 0 {
			t.Fatal("住建局 has no reporting tasks")
		}
		for _, tk := range tasks.Tasks {
			if tk.LeadUnitName != "区住建局" || tk.Status != "missing" {
				t.Fatalf("task %+v: want 住建局's own item with no report yet", tk)
			}
		}
		item := tasks.Tasks[0].ItemID
		before := sup.do("GET", "/api/v1/lights?campaign_id=1&as_of=2022-09-08", nil).status(200).body

		path := fmt.Sprintf("/api/v1/items/%d/reports/2022-12", item)
		var r reportBody
		rep.do("PUT", path, map[string]any{"narrative": ""}, ver(0)...).status(200).json(&r)
		// Submitting without a narrative names the field.
		p := rep.do("POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), nil, ver(r.Version)...).status(422).problem()
		if !slices.Contains(p.fields(), "narrative") {
			t.Errorf("empty narrative: %+v", p)
		}
		rep.do("PUT", path, map[string]any{"narrative": "12月完成主体施工。"}, ver(r.Version)...).status(200).json(&r)
		rep.do("PUT", path, map[string]any{"narrative": "stale"}, ver(r.Version-1)...).status(http.StatusPreconditionFailed)
		rep.do("POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), nil, ver(r.Version)...).status(200).json(&r)
		if r.State != "submitted" || !r.Late {
			t.Errorf("after submit: %+v; a December 2022 report filed today is late", r)
		}
		// The reporter cannot review, and the reviewer must give a reason to return.
		rep.do("POST", fmt.Sprintf("/api/v1/reports/%d/accept", r.ID), nil, ver(r.Version)...).status(403)
		sup.do("POST", fmt.Sprintf("/api/v1/reports/%d/return", r.ID), map[string]string{"reason": " "}, ver(r.Version)...).status(422)
		sup.do("POST", fmt.Sprintf("/api/v1/reports/%d/return", r.ID), map[string]string{"reason": "请补充完成投资"}, ver(r.Version)...).status(200).json(&r)
		if r.State != "returned" || r.ReturnReason != "请补充完成投资" {
			t.Errorf("after return: %+v", r)
		}
		sup.do("POST", fmt.Sprintf("/api/v1/reports/%d/accept", r.ID), nil, ver(r.Version)...).status(http.StatusConflict)
		rep.do("PUT", path, map[string]any{"narrative": "12月完成主体施工，完成投资已补充。"}, ver(r.Version)...).status(200).json(&r)
		rep.do("POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), nil, ver(r.Version)...).status(200).json(&r)
		sup.do("POST", fmt.Sprintf("/api/v1/reports/%d/accept", r.ID), nil, ver(r.Version)...).status(200).json(&r)
		if r.State != "accepted" {
			t.Errorf("after accept: %+v", r)
		}
		var revs struct {
			Items []struct {
				State    string `json:"state"`
				Username string `json:"username"`
			} `json:"items"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/reports/%d/revisions", r.ID), nil).status(200).json(&revs)
		var states []string
		for _, v := range revs.Items {
			states = append(states, v.State+"/"+v.Username)
		}
		want := []string{"draft/zhujianju", "draft/zhujianju", "submitted/zhujianju", "returned/duchashi", "draft/zhujianju", "submitted/zhujianju", "accepted/duchashi"}
		if !slices.Equal(states, want) {
			t.Errorf("revisions %v, want %v", states, want)
		}
		after := sup.do("GET", "/api/v1/lights?campaign_id=1&as_of=2022-09-08", nil).status(200).body
		if string(before) != string(after) {
			t.Error("lights as of 2022-09-08 changed when a December report was filed later")
		}
		if v := sup.do("GET", "/api/v1/audit/verify", nil).status(200).obj(); v["ok"] != true {
			t.Errorf("audit: %v", v)
		}
	})
}

func TestOnlyTheLeadUnitReports(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		rep := e.login("zhujianju")
		var items struct {
			Items []struct {
				ID           int64  `json:"id"`
				LeadUnitName string `json:"lead_unit_name"`
			} `json:"items"`
		}
		rep.do("GET", "/api/v1/items?page_size=500", nil).status(200).json(&items)
		var coop int64
		for _, it := range items.Items {
			if it.LeadUnitName != "区住建局" {
				coop = it.ID
			}
		}
		if coop == 0 {
			t.Fatal("住建局 co-operates on no item in the demo")
		}
		// Co-operating units read but do not report.
		p := rep.do("PUT", fmt.Sprintf("/api/v1/items/%d/reports/2022-12", coop), map[string]any{"narrative": "x"}, ver(0)...).status(403).problem()
		if !strings.Contains(p.Detail, "配合单位") {
			t.Errorf("co-operating unit's report: %q", p.Detail)
		}
		e.login("quzhang").do("PUT", fmt.Sprintf("/api/v1/items/%d/reports/2022-12", coop), map[string]any{"narrative": "x"}, ver(0)...).status(403)
		e.login("duchashi").do("PUT", fmt.Sprintf("/api/v1/items/%d/reports/2099-01", coop), map[string]any{"narrative": "x"}, ver(0)...).status(422)
		e.login("duchashi").do("PUT", fmt.Sprintf("/api/v1/items/%d/reports/2022-13", coop), map[string]any{"narrative": "x"}, ver(0)...).status(422)
	})
}

// A campaign running now: the light is red while a due report is missing,
// turns green when the unit files on plan, and a supervisor's override shows
// with its reason.
func TestLightsChangeAsReportsArrive(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup, rep := e.login("duchashi"), e.login("zhujianju")
		today := time.Now()
		start, end := today.AddDate(0, 0, -100).Format("2006-01-02"), today.AddDate(0, 0, 265).Format("2006-01-02")
		c := sup.do("POST", "/api/v1/campaigns", map[string]any{"code": "NOW", "name": "当年攻坚", "year": today.Year(),
			"start_date": start, "end_date": end, "cadence": "monthly"}).status(201).obj()
		var unit struct {
			Items []named `json:"items"`
		}
		sup.do("GET", "/api/v1/units?q="+url.QueryEscape("住建局"), nil).status(200).json(&unit)
		it := sup.do("POST", "/api/v1/items", map[string]any{"campaign_id": c["id"], "code": "N-1", "name": "当年测试项目", "type": "livelihood_project",
			"leader_id": 1, "lead_unit_id": unit.Items[0].ID, "start_date": start, "end_date": end}).status(201).obj()
		itemPath := fmt.Sprintf("/api/v1/items/%.0f", it["id"])
		tg := sup.do("POST", itemPath+"/targets", map[string]any{"name": "完成户数", "unit": "户", "value": 100, "deadline": end}).status(201).obj()
		lightsPath := fmt.Sprintf("/api/v1/lights?campaign_id=%.0f&item_id=%.0f", c["id"], it["id"])
		var l lightList
		sup.do("GET", lightsPath, nil).status(200).json(&l)
		if len(l.Items) != 1 || l.Items[0].Light != "red" || !strings.Contains(strings.Join(l.Items[0].Reasons, ";"), "逾期未报送") {
			t.Fatalf("before any report: %+v", l.Items)
		}
		var periods struct {
			Items []struct {
				Key   string `json:"key"`
				Start string `json:"start"`
			} `json:"items"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/periods?campaign_id=%.0f", c["id"]), nil).status(200).json(&periods)
		for _, p := range periods.Items {
			if p.Start > today.Format("2006-01-02") {
				break
			}
			var r reportBody
			rep.do("PUT", fmt.Sprintf("%s/reports/%s", itemPath, p.Key), map[string]any{"narrative": "按计划推进",
				"values": []map[string]any{{"target_id": tg["id"], "value": 100}}}, ver(0)...).status(200).json(&r)
			rep.do("POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), nil, ver(r.Version)...).status(200)
		}
		sup.do("GET", lightsPath, nil).status(200).json(&l)
		if l.Items[0].Light != "green" {
			t.Errorf("after filing on plan: %s %v", l.Items[0].Light, l.Items[0].Reasons)
		}
		// Yesterday the item did not exist yet: the past answers as it would have then.
		var past lightList
		sup.do("GET", lightsPath+"&as_of="+today.AddDate(0, 0, -1).Format("2006-01-02"), nil).status(200).json(&past)
		if len(past.Items) != 0 {
			t.Errorf("as of yesterday the item created today shows: %+v", past.Items)
		}
		sup.do("PUT", itemPath+"/light-override", map[string]any{"light": "yellow", "reason": ""}).status(422)
		sup.do("PUT", itemPath+"/light-override", map[string]any{"light": "yellow", "reason": "征迁存在信访风险"}).status(204)
		rep.do("PUT", itemPath+"/light-override", map[string]any{"light": "green", "reason": "x"}).status(403)
		sup.do("GET", lightsPath, nil).status(200).json(&l)
		if l.Items[0].Light != "yellow" || !strings.Contains(l.Items[0].Reasons[0], "征迁存在信访风险") {
			t.Errorf("after override: %s %v", l.Items[0].Light, l.Items[0].Reasons)
		}
		// Rules are the supervisor's and are checked.
		sup.do("PUT", fmt.Sprintf("/api/v1/campaigns/%.0f/light-rules", c["id"]), map[string]any{"yellow_ratio": 0.5, "red_ratio": 0.8, "warn_days": 7, "missing_report_red": true}).status(422)
		sup.do("PUT", fmt.Sprintf("/api/v1/campaigns/%.0f/light-rules", c["id"]), map[string]any{"yellow_ratio": 0.95, "red_ratio": 0.8, "warn_days": 7, "missing_report_red": false}).status(200)
	})
}

// The demo's reports reproduce the articles' mid-year figures.
func TestDemoReportsTellTheArticlesFigures(t *testing.T) {
	for _, eng := range testdb.Engines(t) {
		t.Run(string(eng), func(t *testing.T) {
			db := testdb.Open(t, eng)
			e := newEnv(t, db)
			ctx := context.Background()
			var campaignID int64
			if err := db.Read().QueryRow(ctx, `SELECT id FROM campaigns WHERE code = '2022-GJN'`).Scan(&campaignID); err != nil {
				t.Fatal(err)
			}
			if _, err := demo.LoadReports(ctx, db, progress.New(db), campaignID); err != nil {
				t.Fatal(err)
			}
			if n, _ := demo.LoadReports(ctx, db, progress.New(db), campaignID); n != 0 {
				t.Errorf("loading the reports twice filed %d more", n)
			}
			sup := e.login("duchashi")
			var l lightList
			// 9月8日新闻发布会: "对21个小区、约2.56万户进行老旧小区改造，已完成总工程量的70%".
			sup.do("GET", "/api/v1/lights?campaign_id=1&as_of=2022-09-08&top_level=true", nil).status(200).json(&l)
			found := false
			for _, it := range l.Items {
				for _, tg := range it.Targets {
					if it.Code == "MS-02" && tg.Name == "总工程量完成比例" && tg.Actual != nil && *tg.Actual == 70 {
						found = true
					}
				}
			}
			if !found {
				t.Error("as of 2022-09-08 the old-community renovation is not at 70%")
			}
			if l.Counts["green"]+l.Counts["yellow"]+l.Counts["red"] != len(l.Items) || l.Counts["red"] == 0 || l.Counts["green"] == 0 {
				t.Errorf("lights as of 2022-09-08: %v", l.Counts)
			}
			var shanty struct {
				Items []struct {
					State string `json:"state"`
				} `json:"items"`
			}
			var parent struct {
				Items []struct {
					ID int64 `json:"id"`
				} `json:"items"`
			}
			sup.do("GET", "/api/v1/items?q="+url.QueryEscape("棚户区改造")+"&top_level=true", nil).status(200).json(&parent)
			sup.do("GET", fmt.Sprintf("/api/v1/items?parent_id=%d&page_size=500", parent.Items[0].ID), nil).status(200).json(&shanty)
			done := 0
			for _, s := range shanty.Items {
				if s.State == "completed" {
					done++
				}
			}
			// "目前已全面完成棚改项目27个，正在全速推进27个"
			if done != 27 || len(shanty.Items)-done != 27 {
				t.Errorf("shanty-town projects: %d done of %d", done, len(shanty.Items))
			}
			var roll struct {
				Items []struct {
					Items     int     `json:"items"`
					AnnualWan float64 `json:"annual_investment_wan"`
				} `json:"items"`
			}
			sup.do("GET", "/api/v1/rollups?campaign_id=1&by=campaign&type=key_project&top_level=true", nil).status(200).json(&roll)
			if len(roll.Items) != 1 || roll.Items[0].Items != 81 || roll.Items[0].AnnualWan != 156e4 {
				t.Errorf("key-project roll-up: %+v, the article says 81 projects, 156亿 planned this year", roll.Items)
			}
		})
	}
}
