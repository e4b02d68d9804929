package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// The demo district's key projects add up to the articles' figures: "总投资858亿元、
// 年度计划投资156亿元的81个省市三级重点项目".
func TestDemoTotalsMatchTheArticles(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		c := e.login("duchashi")
		var l struct {
			Total  int     `json:"total"`
			Sum    float64 `json:"total_investment_wan"`
			Annual float64 `json:"annual_investment_wan"`
		}
		c.do("GET", "/api/v1/items?type=key_project&top_level=true&page_size=1", nil).status(200).json(&l)
		if l.Total != 81 || l.Sum != 858e4 || l.Annual != 156e4 {
			t.Errorf("key projects: %d items, %.0f 万元 total, %.0f 万元 this year; the articles say 81, 858亿, 156亿", l.Total, l.Sum, l.Annual)
		}
		c.do("GET", "/api/v1/items?type=reform_task", nil).status(200).json(&l)
		if l.Total != 15 {
			t.Errorf("reform tasks: %d, the article says 15", l.Total)
		}
		// "列入年度计划的13个老旧小区11月底前基本完工"
		var items struct {
			Items []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"items"`
		}
		c.do("GET", "/api/v1/items?q="+url.QueryEscape("老旧小区"), nil).status(200).json(&items)
		found := false
		for _, it := range items.Items {
			var ts struct {
				Items []struct {
					Value    float64 `json:"value"`
					Deadline string  `json:"deadline"`
				} `json:"items"`
			}
			c.do("GET", fmt.Sprintf("/api/v1/items/%d/targets", it.ID), nil).status(200).json(&ts)
			for _, tg := range ts.Items {
				found = found || (tg.Value == 13 && tg.Deadline == "2022-11-30")
			}
		}
		if !found {
			t.Error("no target of 13 old communities by 2022-11-30")
		}
	})
}

func TestEveryAPIRouteNeedsASession(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		anon := e.anon()
		for path, item := range e.srv.OpenAPI().Paths {
			for method, op := range map[string]any{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "DELETE": item.Delete} {
				if op == nil || (path == "/api/v1/auth/login") {
					continue
				}
				if reflectNil(op) {
					continue
				}
				p := replaceParams(path)
				r := anon.do(method, p, nil)
				if r.res.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s %s without a session: %d, want 401", method, p, r.res.StatusCode)
				}
			}
		}
	})
}

func TestItemLifecycle(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		c := e.login("duchashi")
		var camp struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		c.do("GET", "/api/v1/campaigns", nil).status(200).json(&camp)
		var unit, person struct {
			Items []named `json:"items"`
		}
		c.do("GET", "/api/v1/units?q="+url.QueryEscape("住建局"), nil).status(200).json(&unit)
		c.do("GET", "/api/v1/persons?q="+url.QueryEscape("区长"), nil).status(200).json(&person)
		person.Items = slices.DeleteFunc(person.Items, func(p named) bool { return p.Name != "区长" })
		if len(camp.Items) == 0 || len(unit.Items) == 0 || len(person.Items) == 0 {
			t.Fatal("demo campaign, 住建局 or 区长 missing")
		}
		body := map[string]any{"campaign_id": camp.Items[0].ID, "code": "T-001", "name": "测试项目", "type": "key_project",
			"level": "district", "leader_id": person.Items[0].ID, "lead_unit_id": unit.Items[0].ID,
			"total_investment_wan": 12345.67, "annual_investment_wan": 2000, "start_date": "2022-03-01", "end_date": "2023-06-30"}
		r := c.do("POST", "/api/v1/items", body).status(http.StatusCreated)
		if r.res.Header.Get("ETag") != `"1"` {
			t.Errorf("ETag of a new item: %q", r.res.Header.Get("ETag"))
		}
		it := r.obj()
		id := int64(it["id"].(float64))
		if it["total_investment_wan"] != 12345.67 || it["leader_name"] != "区长" {
			t.Errorf("created item: %v", it)
		}
		// The same code again in the same campaign is a conflict naming the field.
		p := c.do("POST", "/api/v1/items", body).status(http.StatusConflict).problem()
		if !slices.Contains(p.fields(), "code") {
			t.Errorf("duplicate code: fields %v", p.fields())
		}
		path := fmt.Sprintf("/api/v1/items/%d", id)
		body["name"] = "测试项目（改）"
		c.do("PUT", path, body, "If-Match", `"1"`).status(200)
		// A second writer still holding version 1 must not overwrite silently.
		c.do("PUT", path, body, "If-Match", `"1"`).status(http.StatusPreconditionFailed).problem()
		c.do("PUT", path, body).status(http.StatusUnprocessableEntity)
		got := c.do("GET", path, nil).status(200).obj()
		if got["name"] != "测试项目（改）" || got["version"] != float64(2) {
			t.Errorf("after update: %v", got)
		}
		// Milestones and targets hang off the item.
		m := c.do("POST", path+"/milestones", map[string]any{"name": "开工", "kind": "construction_started", "planned_date": "2022-04-01"}).
			status(http.StatusCreated).obj()
		if m["state"] != "overdue" {
			t.Errorf("a milestone planned in the past and not reached is overdue, got %v", m["state"])
		}
		c.do("POST", path+"/targets", map[string]any{"name": "完成投资", "unit": "万元", "value": 2000, "deadline": "2022-12-31"}).status(http.StatusCreated)
		c.do("POST", path+"/targets", map[string]any{"name": "坏目标", "value": 0, "deadline": "2022-12-31"}).status(http.StatusUnprocessableEntity)
		c.do("DELETE", path, nil, "If-Match", `"1"`).status(http.StatusPreconditionFailed)
		c.do("DELETE", path, nil, "If-Match", `"2"`).status(http.StatusNoContent)
		c.do("GET", path, nil).status(http.StatusNotFound).problem()
		// Every step is on the audit trail, and the chain verifies.
		var trail struct {
			Total int `json:"total"`
		}
		c.do("GET", fmt.Sprintf("/api/v1/audit?entity=item&entity_id=%d", id), nil).status(200).json(&trail)
		if trail.Total != 3 {
			t.Errorf("audit records for the item: %d, want create, update, delete", trail.Total)
		}
		v := c.do("GET", "/api/v1/audit/verify", nil).status(200).obj()
		if v["ok"] != true {
			t.Errorf("audit chain: %v", v)
		}
	})
}

func TestValidationNamesEachBadField(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		c := e.login("duchashi")
		cases := []struct {
			name   string
			body   any
			fields []string
		}{
			{"no accountability", map[string]any{"campaign_id": 1, "code": "V1", "name": "无责任人", "type": "reform_task"},
				[]string{"leader_id", "lead_unit_id"}},
			{"negative amount and dates reversed", map[string]any{"campaign_id": 1, "code": "V2", "name": "x", "type": "key_project",
				"leader_id": 1, "lead_unit_id": 1, "total_investment_wan": -5, "start_date": "2022-05-01", "end_date": "2022-01-01"},
				[]string{"total_investment_wan", "end_date"}},
			{"unknown field", map[string]any{"campaign_id": 1, "code": "V3", "name": "x", "type": "key_project", "leader": 1},
				[]string{"leader"}},
			{"wrong type", map[string]any{"campaign_id": "one", "code": "V4", "name": "x", "type": "key_project"},
				[]string{"campaign_id"}},
			{"missing references", map[string]any{"campaign_id": 1, "code": "V5", "name": "x", "type": "key_project",
				"leader_id": 999999, "lead_unit_id": 999999}, []string{"leader_id", "lead_unit_id"}},
		}
		for _, tc := range cases {
			p := c.do("POST", "/api/v1/items", tc.body).status(http.StatusUnprocessableEntity).problem()
			for _, f := range tc.fields {
				if !slices.Contains(p.fields(), f) {
					t.Errorf("%s: problem does not name %q: %+v", tc.name, f, p)
				}
			}
			if p.RequestID == "" || p.Detail == "" {
				t.Errorf("%s: problem without detail or request id: %+v", tc.name, p)
			}
		}
		c.do("POST", "/api/v1/items", "{not json").status(http.StatusBadRequest).problem()
		c.do("GET", "/api/v1/items?sort=password", nil).status(http.StatusUnprocessableEntity).problem()
	})
}

func TestRolesAndDataScope(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		viewer := e.login("viewer")
		viewer.do("GET", "/api/v1/items", nil).status(200)
		viewer.do("POST", "/api/v1/units", map[string]any{"code": "X", "name": "x", "kind": "bureau"}).status(http.StatusForbidden).problem()
		viewer.do("GET", "/api/v1/users", nil).status(http.StatusForbidden)

		all := e.login("duchashi")
		var everything, own struct {
			Total int `json:"total"`
			Items []struct {
				ID           int64   `json:"id"`
				LeadUnitName string  `json:"lead_unit_name"`
				CoUnitIDs    []int64 `json:"co_unit_ids"`
			} `json:"items"`
		}
		all.do("GET", "/api/v1/items?page_size=500", nil).status(200).json(&everything)
		rep := e.login("zhujianju")
		rep.do("GET", "/api/v1/items?page_size=500", nil).status(200).json(&own)
		if own.Total == 0 || own.Total >= everything.Total {
			t.Fatalf("reporter of 住建局 sees %d of %d items", own.Total, everything.Total)
		}
		var me struct {
			User struct {
				UnitID int64 `json:"unit_id"`
			} `json:"user"`
		}
		rep.do("GET", "/api/v1/auth/me", nil).status(200).json(&me)
		visible := map[int64]bool{}
		for _, it := range own.Items {
			visible[it.ID] = true
			if it.LeadUnitName != "区住建局" && !slices.Contains(it.CoUnitIDs, me.User.UnitID) {
				t.Errorf("reporter sees item %d led by %s and not co-operated on", it.ID, it.LeadUnitName)
			}
		}
		for _, it := range everything.Items {
			if !visible[it.ID] {
				// Outside the scope an item does not exist for the reporter.
				rep.do("GET", fmt.Sprintf("/api/v1/items/%d", it.ID), nil).status(http.StatusNotFound)
				break
			}
		}
		rep.do("POST", "/api/v1/items", map[string]any{}).status(http.StatusForbidden)

		leader := e.login("quzhang")
		var led struct {
			Total int `json:"total"`
		}
		leader.do("GET", "/api/v1/items", nil).status(200).json(&led)
		if led.Total == 0 || led.Total >= everything.Total {
			t.Errorf("区长 sees %d of %d items; want the items led or commanded only", led.Total, everything.Total)
		}
	})
}

func TestLoginLockoutAndLogout(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		anon := e.anon()
		for i := 0; i < 5; i++ {
			p := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "viewer", "password": "wrong"}).
				status(http.StatusUnauthorized).problem()
			if p.Key != "login.failed" {
				t.Fatalf("attempt %d: key %q", i+1, p.Key)
			}
		}
		// Now even the right password is refused until the lock ends.
		p := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "viewer", "password": demoPassword}).
			status(http.StatusUnauthorized).problem()
		if p.Key != "login.locked" {
			t.Errorf("after 5 failures: key %q, want login.locked", p.Key)
		}
		c := e.login("admin")
		c.do("GET", "/api/v1/auth/me", nil).status(200)
		c.do("POST", "/api/v1/auth/logout", nil).status(http.StatusNoContent)
		c.do("GET", "/api/v1/auth/me", nil).status(http.StatusUnauthorized)
	})
}

func TestHealthAndOpenAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a := e.anon()
		a.do("GET", "/healthz", nil).status(200)
		if r := a.do("GET", "/readyz", nil).status(200).obj(); r["status"] != "ready" {
			t.Errorf("readyz: %v", r)
		}
		doc := a.do("GET", "/api/openapi.json", nil).status(200).obj()
		if doc["openapi"] != "3.1.0" {
			t.Errorf("openapi version %v", doc["openapi"])
		}
	})
}

type named struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// The cockpit's figures are the articles' figures, and shrink to the caller's scope.
func TestCockpitFigures(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		type cockpit struct {
			ByType []struct {
				Key      string  `json:"key"`
				Count    int     `json:"count"`
				TotalWan float64 `json:"total_investment_wan"`
			} `json:"by_type"`
			ByZone []struct {
				Key   string `json:"key"`
				Count int    `json:"count"`
			} `json:"key_projects_by_zone"`
			Overdue []struct {
				ItemName string `json:"item_name"`
				DaysLate int    `json:"days_late"`
			} `json:"overdue_milestones"`
		}
		var all, mine cockpit
		e.login("duchashi").do("GET", "/api/v1/cockpit?campaign_id=1&as_of=2022-10-08", nil).status(200).json(&all)
		byType := map[string]int{}
		zoned := 0
		for _, f := range all.ByType {
			byType[f.Key] = f.Count
			if f.Key == "key_project" && f.TotalWan != 858e4 {
				t.Errorf("key project total %.0f 万元, the article says 858亿", f.TotalWan)
			}
		}
		for _, z := range all.ByZone {
			zoned += z.Count
		}
		if byType["key_project"] != 81 || byType["reform_task"] != 15 || zoned != 81 {
			t.Errorf("cockpit counts %v, zones add to %d; want 81 key projects in all zones, 15 reform tasks", byType, zoned)
		}
		// "9个总投资345亿元产业项目…月底前集中开工": on 8 October their start is late.
		late := 0
		for _, m := range all.Overdue {
			if m.ItemName == "上实国际智云城" && m.DaysLate == 8 {
				late++
			}
		}
		if late == 0 {
			t.Errorf("上实国际智云城's start (planned 2022-09-30) is not 8 days late on 2022-10-08: %+v", all.Overdue)
		}
		e.login("zhujianju").do("GET", "/api/v1/cockpit?campaign_id=1&as_of=2022-10-08", nil).status(200).json(&mine)
		mineKey := 0
		for _, f := range mine.ByType {
			if f.Key == "key_project" {
				mineKey = f.Count
			}
		}
		if mineKey >= 81 {
			t.Errorf("住建局's cockpit shows %d key projects, the whole district's", mineKey)
		}
		e.login("duchashi").do("GET", "/api/v1/cockpit?campaign_id=999", nil).status(404)
	})
}
