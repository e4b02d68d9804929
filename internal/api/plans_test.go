package api_test

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"slices"
	"testing"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/progress"
)

type targetPlan struct {
	TargetID int64  `json:"target_id"`
	From     string `json:"from"`
	Plan     []struct {
		Date  string  `json:"date"`
		Value float64 `json:"value"`
	} `json:"plan"`
	SetBy string `json:"set_by"`
}

type planLights struct {
	Counts map[string]int `json:"counts"`
	Total  int            `json:"total"`
	Items  []struct {
		Code    string   `json:"code"`
		Light   string   `json:"light"`
		Reasons []string `json:"reasons"`
		Targets []struct {
			TargetID int64    `json:"target_id"`
			Planned  float64  `json:"planned"`
			Elapsed  float64  `json:"elapsed"`
			Gap      *float64 `json:"gap"`
			Forecast *string  `json:"forecast"`
			Curve    bool     `json:"curve"`
		} `json:"targets"`
	} `json:"items"`
}

// An explicit S-curve plan: the planned value between two points is on the
// straight line between them; a light green on the linear plan turns red on
// an S-curve that expects more by then; a day before the plan was set is
// judged on the plan then in force (linear); rows are checked one by one.
func TestTargetPlanSCurve(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup, rep := e.login("duchashi"), e.login("zhujianju")
		today := time.Now().UTC()
		day := func(d time.Time) string { return d.Format("2006-01-02") }
		// A campaign of the current year, begun 200 days ago, reporting monthly.
		start := today.AddDate(0, 0, -200)
		end := start.AddDate(1, 0, -1)
		c := sup.do("POST", "/api/v1/campaigns", map[string]any{"code": "PLAN", "name": "计划曲线测试", "year": start.Year(),
			"start_date": day(start), "end_date": day(end), "cadence": "monthly"}).status(201).obj()
		var unit struct {
			Items []named `json:"items"`
		}
		sup.do("GET", "/api/v1/units?q="+url.QueryEscape("住建局"), nil).status(200).json(&unit)
		it := sup.do("POST", "/api/v1/items", map[string]any{"campaign_id": c["id"], "code": "P-1", "name": "片区建设项目", "type": "key_project",
			"leader_id": 1, "lead_unit_id": unit.Items[0].ID, "start_date": day(start), "end_date": day(end)}).status(201).obj()
		itemPath := fmt.Sprintf("/api/v1/items/%.0f", it["id"])
		tg := sup.do("POST", itemPath+"/targets", map[string]any{"name": "完成投资", "unit": "万元", "value": 100, "deadline": day(end)}).status(201).obj()
		planPath := fmt.Sprintf("/api/v1/targets/%.0f/plan", tg["id"])

		var p targetPlan
		sup.do("GET", planPath, nil).status(200).json(&p)
		if len(p.Plan) != 0 || p.From != day(start) {
			t.Fatalf("a new target's plan: %+v", p)
		}

		// Validation names the row and the field.
		after := func(days int) string { return day(start.AddDate(0, 0, days)) }
		bad := sup.do("PUT", planPath, map[string]any{"plan": []map[string]any{
			{"date": after(30), "value": 10},
			{"date": after(20), "value": 20},                 // before the row above
			{"date": after(90), "value": 5},                  // lower than the row above
			{"date": day(end.AddDate(0, 1, 0)), "value": 50}, // after the campaign
			{"date": after(120), "value": 120},               // beyond the target
		}}).status(422).problem()
		for _, f := range []string{"plan[1].date", "plan[2].value", "plan[3].date", "plan[4].value"} {
			if !slices.Contains(bad.fields(), f) {
				t.Errorf("errors %v do not name %s", bad.fields(), f)
			}
		}
		if slices.Contains(bad.fields(), "plan[0].date") || slices.Contains(bad.fields(), "plan[0].value") {
			t.Errorf("the good row is blamed: %v", bad.fields())
		}
		// A reporter may not plan; nothing was written.
		rep.do("PUT", planPath, map[string]any{"plan": []map[string]any{{"date": after(30), "value": 10}}}).status(403)
		sup.do("GET", planPath, nil).status(200).json(&p)
		if len(p.Plan) != 0 {
			t.Fatalf("a refused plan was written: %+v", p)
		}

		// Report 30 (of 100) for every period so far. The light is measured
		// at the end of the last period due (day 170 to 200), where the
		// linear plan expects 47 to 55.
		var periods struct {
			Items []struct {
				Key   string `json:"key"`
				Start string `json:"start"`
			} `json:"items"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/periods?campaign_id=%.0f", c["id"]), nil).status(200).json(&periods)
		lightsPath := fmt.Sprintf("/api/v1/lights?campaign_id=%.0f&item_id=%.0f", c["id"], it["id"])
		for _, per := range periods.Items {
			if per.Start > day(today) {
				break
			}
			var r reportBody
			rep.do("PUT", fmt.Sprintf("%s/reports/%s", itemPath, per.Key), map[string]any{"narrative": "推进中",
				"values": []map[string]any{{"target_id": tg["id"], "value": 30}}}, ver(0)...).status(200).json(&r)
			rep.do("POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), nil, ver(r.Version)...).status(200)
		}

		// A slow start: 10 by day 90, 50 by day 180, 90 by day 270 (on day
		// 135 the plan is halfway from 10 to 50: 30 exactly).
		sup.do("PUT", planPath, map[string]any{"plan": []map[string]any{
			{"date": after(90), "value": 10}, {"date": after(180), "value": 50}, {"date": after(270), "value": 90},
		}}).status(200).json(&p)
		if len(p.Plan) != 3 || p.Plan[1].Value != 50 || p.SetBy != "duchashi" {
			t.Fatalf("plan set: %+v", p)
		}
		// Today (day 200): between (180, 50) and (270, 90): 50 + 40 × 20/90.
		var l planLights
		sup.do("GET", lightsPath, nil).status(200).json(&l)
		tp := l.Items[0].Targets[0]
		if want := 50 + 40*20.0/90; !tp.Curve || math.Abs(tp.Planned-want) > 0.01 || math.Abs(tp.Elapsed-want/100) > 0.0001 {
			t.Errorf("today: planned %.4f, elapsed %.4f, curve %v; want %.4f", tp.Planned, tp.Elapsed, tp.Curve, want)
		}
		if tp.Gap == nil || math.Abs(*tp.Gap-(30-(50+40*20.0/90))) > 0.01 {
			t.Errorf("gap %v", tp.Gap)
		}
		// 30 was the plan's level on day 135: 65 days behind a plan ending
		// on the deadline, forecast 65 days after it.
		if want := day(end.AddDate(0, 0, 65)); tp.Forecast == nil || *tp.Forecast != want {
			t.Errorf("forecast %v, want %s", tp.Forecast, want)
		}
		if l.Items[0].Light != "red" {
			t.Errorf("30 against an S-curve expecting about 55–60: %s %v", l.Items[0].Light, l.Items[0].Reasons)
		}

		// A plan that expects little so far: 5 by day 150, 20 by day 250.
		// The last period due ended before today; on the S-curve 30 is
		// ahead of plan: green, where the linear plan (about 40–50) is red.
		sup.do("PUT", planPath, map[string]any{"plan": []map[string]any{
			{"date": after(150), "value": 5}, {"date": after(250), "value": 20},
		}}).status(200)
		sup.do("GET", lightsPath, nil).status(200).json(&l)
		if l.Items[0].Light != "green" {
			t.Errorf("30 against a slow S-curve: %s %v", l.Items[0].Light, l.Items[0].Reasons)
		}
		sup.do("PUT", planPath, map[string]any{"plan": []map[string]any{}}).status(200).json(&p)
		sup.do("GET", lightsPath, nil).status(200).json(&l)
		if len(p.Plan) != 0 || l.Items[0].Light != "red" || l.Items[0].Targets[0].Curve {
			t.Errorf("back on the linear plan: %+v, light %s", p, l.Items[0].Light)
		}
		// Every change is in the audit trail.
		var trail struct {
			Total int `json:"total"`
		}
		e.login("admin").do("GET", fmt.Sprintf("/api/v1/audit?entity=target_plan&entity_id=%.0f", tg["id"]), nil).status(200).json(&trail)
		if trail.Total != 3 {
			t.Errorf("%d audit records of the plan, want 3", trail.Total)
		}
	})
}

// As of a day before a plan changed, lights, 序时 and gap answer from the plan
// then in force: a demo target (the campaign of 2022) planned in March 2022
// and replanned today.
func TestTargetPlanAsOf(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		sup := e.login("duchashi")
		var id, item, camp int64
		if err := e.db.Read().QueryRow(ctx, `SELECT t.id, t.item_id, i.campaign_id FROM targets t JOIN items i ON i.id = t.item_id
			WHERE t.name = ?`, "老旧小区改造完工").Scan(&id, &item, &camp); err != nil {
			t.Fatal(err)
		}
		planPath := fmt.Sprintf("/api/v1/targets/%d/plan", id)
		var p targetPlan
		sup.do("GET", planPath, nil).status(200).json(&p)
		if p.From > "2022-04-30" {
			t.Fatalf("the item starts %s", p.From)
		}
		// Set on 1 March 2022, as system work: 1 by 30 April, 8 by 31 August.
		march := progress.New(e.db).WithClock(func() time.Time { return time.Date(2022, 3, 1, 9, 0, 0, 0, time.UTC) })
		if _, err := march.SetTargetPlan(ctx, id, progress.PlanInput{Plan: []progress.PlanPoint{
			{Date: date.New(2022, time.April, 30), Value: 1}, {Date: date.New(2022, time.August, 31), Value: 8},
		}}); err != nil {
			t.Fatal(err)
		}
		// Replanned today: 6 by 30 June.
		sup.do("PUT", planPath, map[string]any{"plan": []map[string]any{{"date": "2022-06-30", "value": 6}}}).status(200)

		planned := func(asOf string) (float64, bool) {
			t.Helper()
			var l planLights
			sup.do("GET", fmt.Sprintf("/api/v1/lights?campaign_id=%d&item_id=%d&as_of=%s", camp, item, asOf), nil).status(200).json(&l)
			for _, it := range l.Items {
				for _, tp := range it.Targets {
					if tp.TargetID == id {
						return tp.Planned, tp.Curve
					}
				}
			}
			t.Fatalf("target %d not in the lights as of %s", id, asOf)
			return 0, false
		}
		// 30 June 2022 under the March plan: 1 + 7 × 61/123 (30 April to 30
		// June is 61 days, to 31 August 123).
		if got, curve := planned("2022-06-30"); !curve || math.Abs(got-(1+7*61.0/123)) > 1e-6 {
			t.Errorf("as of 2022-06-30: planned %.6f (curve %v), want %.6f", got, curve, 1+7*61.0/123)
		}
		// 28 February 2022, before any plan: linear from the item's start.
		if _, curve := planned("2022-02-28"); curve {
			t.Error("as of 2022-02-28 the plan of March is in force")
		}
		// As of today's records, the plan set today: 6 on 30 June.
		var now planLights
		sup.do("GET", fmt.Sprintf("/api/v1/lights?campaign_id=%d&item_id=%d", camp, item), nil).status(200).json(&now)
		sup.do("GET", planPath, nil).status(200).json(&p)
		if len(p.Plan) != 1 || p.Plan[0].Value != 6 || len(now.Items) != 1 || !now.Items[0].Targets[0].Curve {
			t.Errorf("the plan in force now: %+v", p)
		}
	})
}
