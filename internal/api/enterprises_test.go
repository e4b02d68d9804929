package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

type entBody struct {
	ID                   int64   `json:"id"`
	CreditCode           string  `json:"credit_code"`
	Name                 string  `json:"name"`
	RegisteredCapitalWan float64 `json:"registered_capital_wan"`
	Version              int     `json:"version"`
}

type visitBody struct {
	ID       int64 `json:"id"`
	Version  int   `json:"version"`
	Problems []struct {
		ID       int64  `json:"id"`
		Title    string `json:"title"`
		CaseID   *int64 `json:"case_id"`
		CaseCode string `json:"case_code"`
		Solved   bool   `json:"solved"`
	} `json:"problems"`
}

type idsOf struct {
	Items []struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
	} `json:"items"`
}

// entUnitID finds a demo unit by its code.
func entUnitID(t *testing.T, c *client, code string) int64 {
	t.Helper()
	var l idsOf
	c.do("GET", "/api/v1/units", nil).status(http.StatusOK).json(&l)
	for _, u := range l.Items {
		if u.Code == code {
			return u.ID
		}
	}
	t.Fatalf("no unit %s", code)
	return 0
}

// entPersonID finds a demo person by code.
func entPersonID(t *testing.T, c *client, code string) int64 {
	t.Helper()
	var l idsOf
	c.do("GET", "/api/v1/persons", nil).status(http.StatusOK).json(&l)
	for _, p := range l.Items {
		if p.Code == code {
			return p.ID
		}
	}
	t.Fatalf("no person %s", code)
	return 0
}

// Huawei's published code; its check characters are worked out by hand in
// internal/enterprise/creditcode_test.go.
const validCode = "914403001922038216"

// The registry refuses a code whose check character is wrong and names the
// character; a valid one, typed in full-width, is stored normalised, once.
func TestEnterpriseCreditCode(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		zy := e.login("zhuanyuan")
		p := zy.do("POST", "/api/v1/enterprises", map[string]any{"credit_code": "914403001922038217", "name": "测试企业"}).status(422).problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != "credit_code" || !strings.Contains(p.Errors[0].Message, "第18位校验码应为6") {
			t.Errorf("wrong check character: %+v", p)
		}
		var chk struct {
			Valid   bool   `json:"valid"`
			Message string `json:"message"`
		}
		zy.do("GET", "/api/v1/enterprises/check-code?code=91330100716105853F", nil).status(200).json(&chk)
		if chk.Valid || !strings.Contains(chk.Message, "第17位（组织机构代码校验码）应为2") {
			t.Errorf("check-code: %+v", chk)
		}
		var ent entBody
		zy.do("POST", "/api/v1/enterprises", map[string]any{"credit_code": "９１４４０３００１９２２０３８２１６", "name": "测试企业",
			"registered_capital_wan": 4000, "white_list": true, "top500": "world"}).status(201).json(&ent)
		if ent.CreditCode != validCode || ent.RegisteredCapitalWan != 4000 {
			t.Errorf("created %+v", ent)
		}
		p = zy.do("POST", "/api/v1/enterprises", map[string]any{"credit_code": validCode, "name": "重复"}).status(409).problem()
		if !strings.Contains(p.Detail, validCode) {
			t.Errorf("duplicate: %+v", p)
		}
		e.login("viewer").do("POST", "/api/v1/enterprises", map[string]any{"credit_code": validCode, "name": "x"}).status(403)
		var l struct {
			Total int       `json:"total"`
			Items []entBody `json:"items"`
		}
		e.login("viewer").do("GET", "/api/v1/enterprises?white_list=true&top500=world&q=1922038", nil).status(200).json(&l)
		if l.Total != 1 || l.Items[0].ID != ent.ID {
			t.Errorf("filtered list: %+v", l)
		}
	})
}

// A commissioner logs a visit raising two problems; each becomes an
// enterprise-request case assigned to the named unit, with the visit as its
// source, and the figures count them.
func TestEnterpriseVisitRaisesCases(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		zy := e.login("zhuanyuan")
		var ent entBody
		zy.do("POST", "/api/v1/enterprises", map[string]any{"credit_code": validCode, "name": "走访测试企业"}).status(201).json(&ent)
		zjj, swj := entUnitID(t, zy, "ZJJ"), entUnitID(t, zy, "SWJ")
		today := time.Now().Format("2006-01-02")

		// A problem without a unit cannot become a case: nothing is saved.
		p := zy.do("POST", "/api/v1/visits", map[string]any{"enterprise_id": ent.ID, "visit_date": today,
			"problems": []map[string]any{{"title": "道路破损", "unit_id": zjj}, {"title": "用工难"}}}).status(422).problem()
		if !slices.Contains(p.fields(), "problems[1].unit_id") {
			t.Errorf("missing unit: %+v", p)
		}
		var v visitBody
		zy.do("POST", "/api/v1/visits", map[string]any{"enterprise_id": ent.ID, "visit_date": today, "notes": "了解生产经营情况",
			"problems": []map[string]any{{"title": "厂区门前道路破损", "unit_id": zjj}, {"title": "招工难", "unit_id": swj, "description": "需要对接招聘会"}}}).
			status(201).json(&v)
		if len(v.Problems) != 2 {
			t.Fatalf("visit problems: %+v", v)
		}
		for i, pr := range v.Problems {
			if pr.CaseID == nil || pr.CaseCode == "" {
				t.Fatalf("problem %d has no case: %+v", i, pr)
			}
			var c struct {
				Type         string `json:"type"`
				Title        string `json:"title"`
				SourceKind   string `json:"source_kind"`
				SourceID     int64  `json:"source_id"`
				EnterpriseID *int64 `json:"enterprise_id"`
				Tasks        []struct {
					UnitID int64 `json:"unit_id"`
				} `json:"tasks"`
			}
			e.login("duchashi").do("GET", fmt.Sprintf("/api/v1/cases/%d", *pr.CaseID), nil).status(200).json(&c)
			want := []int64{zjj, swj}[i]
			if c.Type != "enterprise_request" || c.SourceKind != "visit" || c.SourceID != v.ID || c.EnterpriseID == nil ||
				*c.EnterpriseID != ent.ID || c.Title != pr.Title || len(c.Tasks) != 1 || c.Tasks[0].UnitID != want {
				t.Errorf("case of problem %d: %+v", i, c)
			}
		}
		var fig struct {
			Total struct {
				EnterprisesVisited int `json:"enterprises_visited"`
				Visits             int `json:"visits"`
				ProblemsRaised     int `json:"problems_raised"`
				ProblemsSolved     int `json:"problems_solved"`
			} `json:"total"`
			ByCommissioner []struct {
				Name   string `json:"name"`
				Visits int    `json:"visits"`
			} `json:"by_commissioner"`
		}
		zy.do("GET", "/api/v1/visits/figures?from="+today, nil).status(200).json(&fig)
		if fig.Total.Visits != 1 || fig.Total.EnterprisesVisited != 1 || fig.Total.ProblemsRaised != 2 || fig.Total.ProblemsSolved != 0 {
			t.Errorf("figures: %+v", fig.Total)
		}
		if len(fig.ByCommissioner) != 1 || fig.ByCommissioner[0].Name != "服务企业专员" {
			t.Errorf("by commissioner: %+v", fig.ByCommissioner)
		}
		// Another commissioner's visit is not the reporter's to change; the list and export show it.
		e.login("zhujianju").do("DELETE", fmt.Sprintf("/api/v1/visits/%d", v.ID), nil, ver(v.Version)...).status(403)
		res := zy.do("GET", "/api/v1/visits/export?lang=en&has_problems=true", nil).status(200)
		rows := xlsxRows(t, res.body)
		if len(rows) != 2 || rows[0][0] != "Date" || !strings.Contains(rows[1][7], "厂区门前道路破损") {
			t.Errorf("export rows: %v", rows)
		}
	})
}

func xlsxRows(t *testing.T, b []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("open export: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// A finance advisor matches a need with a bank and records the grant; a
// grant before matching is refused.
func TestEnterpriseFinancingNeed(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		zy := e.login("zhuanyuan")
		var ent entBody
		zy.do("POST", "/api/v1/enterprises", map[string]any{"credit_code": validCode, "name": "融资测试企业", "white_list": true}).status(201).json(&ent)
		type need struct {
			ID               int64   `json:"id"`
			State            string  `json:"state"`
			Bank             string  `json:"bank"`
			AmountGrantedWan float64 `json:"amount_granted_wan"`
			Version          int     `json:"version"`
		}
		var n need
		zy.do("POST", "/api/v1/financing-needs", map[string]any{"enterprise_id": ent.ID, "amount_requested_wan": 500, "purpose": "流动资金"}).
			status(201).json(&n)
		p := zy.do("POST", fmt.Sprintf("/api/v1/financing-needs/%d/grant", n.ID), map[string]any{"amount_granted_wan": 300}, ver(n.Version)...).
			status(409).problem()
		if !strings.Contains(p.Detail, "须先对接银行") {
			t.Errorf("grant before match: %+v", p)
		}
		zy.do("POST", fmt.Sprintf("/api/v1/financing-needs/%d/match", n.ID), map[string]any{}, ver(n.Version)...).status(422)
		zy.do("POST", fmt.Sprintf("/api/v1/financing-needs/%d/match", n.ID), map[string]any{"bank": "烟台银行"}, ver(n.Version)...).status(200).json(&n)
		if n.State != "matched" || n.Bank != "烟台银行" {
			t.Errorf("matched: %+v", n)
		}
		zy.do("POST", fmt.Sprintf("/api/v1/financing-needs/%d/grant", n.ID), map[string]any{"amount_granted_wan": 300}, ver(n.Version-1)...).status(412)
		zy.do("POST", fmt.Sprintf("/api/v1/financing-needs/%d/grant", n.ID), map[string]any{"amount_granted_wan": 300}, ver(n.Version)...).status(200).json(&n)
		if n.State != "granted" || n.AmountGrantedWan != 300 {
			t.Errorf("granted: %+v", n)
		}
		var fig struct {
			EnterprisesServed   int     `json:"enterprises_served"`
			NeedsMet            int     `json:"needs_met"`
			EnterprisesFinanced int     `json:"enterprises_financed"`
			AmountGrantedWan    float64 `json:"amount_granted_wan"`
			ByBank              []struct {
				Bank string `json:"bank"`
			} `json:"by_bank"`
		}
		e.login("viewer").do("GET", "/api/v1/financing-needs/figures", nil).status(200).json(&fig)
		if fig.EnterprisesServed != 1 || fig.NeedsMet != 1 || fig.EnterprisesFinanced != 1 || fig.AmountGrantedWan != 300 ||
			len(fig.ByBank) != 1 || fig.ByBank[0].Bank != "烟台银行" {
			t.Errorf("figures: %+v", fig)
		}
	})
}

type leadBody struct {
	ID           int64  `json:"id"`
	Stage        string `json:"stage"`
	ItemID       *int64 `json:"item_id"`
	ItemCode     string `json:"item_code"`
	AboveBillion bool   `json:"above_billion"`
	Version      int    `json:"version"`
}

// A lead moves through every stage in order; entering construction makes it
// a key project in the same step (by a supervisor: the commissioner may not
// create items), and the funnel counts it.
func TestEnterpriseLeadPipeline(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		zy, sup := e.login("zhuanyuan"), e.login("duchashi")
		tczx, leader := entUnitID(t, zy, "TCZX"), entPersonID(t, zy, "P-JJ")
		var l leadBody
		zy.do("POST", "/api/v1/leads", map[string]any{"code": "ZS-T01", "investor": "测试投资集团", "project": "测试产业园", "sector": "先进制造",
			"amount_wan": 150000, "owner_unit_id": tczx, "top500": true, "negotiating_on": "2022-03-01"}).status(201).json(&l)
		if l.Stage != "negotiating" || !l.AboveBillion {
			t.Fatalf("new lead: %+v", l)
		}
		adv := func(c *client, stage, on string, extra map[string]any, want int) *response {
			body := map[string]any{"stage": stage, "on": on}
			for k, v := range extra {
				body[k] = v
			}
			r := c.do("POST", fmt.Sprintf("/api/v1/leads/%d/advance", l.ID), body, ver(l.Version)...).status(want)
			if want == 200 {
				r.json(&l)
			}
			return r
		}
		// Stages cannot be skipped, nor dated before the previous one.
		if p := adv(zy, "registered", "2022-04-01", nil, 409).problem(); !strings.Contains(p.Detail, "下一阶段是“签约”") {
			t.Errorf("skip: %+v", p)
		}
		adv(zy, "signed", "2022-02-01", nil, 422)
		adv(zy, "signed", "2022-04-01", nil, 200)
		adv(zy, "registered", "2022-05-01", nil, 200)
		item := map[string]any{"item": map[string]any{"campaign_id": 1, "leader_id": leader}}
		adv(zy, "started", "2022-06-01", item, 403)
		adv(sup, "started", "2022-06-01", nil, 422)
		// A key project that cannot be made (no such leader) leaves the lead as it was and no item behind.
		if p := adv(sup, "started", "2022-06-01", map[string]any{"item": map[string]any{"campaign_id": 1, "leader_id": 99999999}}, 422).problem(); !slices.Contains(p.fields(), "item.leader_id") {
			t.Errorf("bad leader: %+v", p)
		}
		var none struct {
			Total int `json:"total"`
		}
		sup.do("GET", "/api/v1/items?q=ZS-T01", nil).status(200).json(&none)
		if none.Total != 0 {
			t.Errorf("a failed start left %d items", none.Total)
		}
		adv(sup, "started", "2022-06-01", item, 200)
		if l.Stage != "started" || l.ItemID == nil || l.ItemCode != "ZS-T01" {
			t.Fatalf("started: %+v", l)
		}
		var it struct {
			Type               string  `json:"type"`
			Name               string  `json:"name"`
			LeadUnitID         int64   `json:"lead_unit_id"`
			TotalInvestmentWan float64 `json:"total_investment_wan"`
			StartDate          string  `json:"start_date"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/items/%d", *l.ItemID), nil).status(200).json(&it)
		if it.Type != "key_project" || it.Name != "测试产业园" || it.LeadUnitID != tczx || it.TotalInvestmentWan != 150000 || it.StartDate != "2022-06-01" {
			t.Errorf("key project: %+v", it)
		}
		adv(zy, "operating", "2022-09-01", nil, 200)
		zy.do("POST", fmt.Sprintf("/api/v1/leads/%d/drop", l.ID), map[string]any{"reason": "x"}, ver(l.Version)...).status(409)

		var other leadBody
		zy.do("POST", "/api/v1/leads", map[string]any{"code": "ZS-T02", "investor": "另一投资方", "project": "小项目", "sector": "先进制造",
			"amount_wan": 5000, "owner_unit_id": tczx, "negotiating_on": "2022-03-15"}).status(201).json(&other)
		zy.do("POST", fmt.Sprintf("/api/v1/leads/%d/drop", other.ID), map[string]any{}, ver(other.Version)...).status(422)

		var fig struct {
			Leads              int `json:"leads"`
			Attracted          int `json:"attracted"`
			SignedAboveBillion int `json:"signed_above_billion"`
			Top500Investors    int `json:"top500_investors"`
			Funnel             []struct {
				Stage      string   `json:"stage"`
				Count      int      `json:"count"`
				Conversion *float64 `json:"conversion"`
				MedianDays *float64 `json:"median_days"`
			} `json:"funnel"`
			Stalled []struct {
				Code string `json:"code"`
				Days int    `json:"days"`
			} `json:"stalled"`
		}
		zy.do("GET", "/api/v1/leads/figures?"+url.Values{"from": {"2022-01-01"}, "to": {"2022-12-31"}, "sector": {"先进制造"},
			"stalled_days": {"60"}}.Encode(), nil).status(200).json(&fig)
		if fig.Leads != 2 || fig.Attracted != 1 || fig.SignedAboveBillion != 1 || fig.Top500Investors != 1 {
			t.Errorf("pipeline figures: %+v", fig)
		}
		// negotiating: 2 entered, 1 went on (50%), after 31 days (2022-03-01 → 04-01).
		n := fig.Funnel[0]
		if n.Stage != "negotiating" || n.Count != 2 || n.Conversion == nil || *n.Conversion != 50 || n.MedianDays == nil || *n.MedianDays != 31 {
			t.Errorf("negotiating bar: %+v", n)
		}
		// ZS-T02 has been negotiating since 2022-03-15: 291 days by 2022-12-31.
		if len(fig.Stalled) != 1 || fig.Stalled[0].Code != "ZS-T02" || fig.Stalled[0].Days != 291 {
			t.Errorf("stalled: %+v", fig.Stalled)
		}
		rows := xlsxRows(t, zy.do("GET", "/api/v1/leads/export?stage=operating", nil).status(200).body)
		if len(rows) != 2 || rows[0][0] != "项目编号" || rows[1][0] != "ZS-T01" || rows[1][16] != "ZS-T01" {
			t.Errorf("lead export: %v", rows)
		}
	})
}
