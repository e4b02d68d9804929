package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// exportXLSX downloads an export as .xlsx and answers its rows, header first.
func exportXLSX(t *testing.T, c *client, path string) [][]string {
	t.Helper()
	r := c.do("GET", path, nil).status(http.StatusOK)
	if ct := r.res.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("%s: content type %q", path, ct)
	}
	return xlsxRows(t, r.body)
}

// exportCSV downloads an export as CSV, checks it is UTF-8 with a BOM, and
// answers its records, header first.
func exportCSV(t *testing.T, c *client, path string) [][]string {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	r := c.do("GET", path+sep+"format=csv", nil).status(http.StatusOK)
	if ct := r.res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("%s as csv: content type %q", path, ct)
	}
	if cd := r.res.Header.Get("Content-Disposition"); !strings.Contains(cd, ".csv") {
		t.Errorf("%s as csv: file %q", path, cd)
	}
	if !bytes.HasPrefix(r.body, []byte("\xef\xbb\xbf")) {
		t.Fatalf("%s as csv starts %q, want the UTF-8 BOM", path, r.body[:min(len(r.body), 12)])
	}
	rd := csv.NewReader(bytes.NewReader(r.body[3:]))
	rd.FieldsPerRecord = -1
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("%s as csv: %v", path, err)
	}
	return recs
}

// rowWith finds the data row whose first cell is key.
func rowWith(t *testing.T, rows [][]string, key string) []string {
	t.Helper()
	for _, r := range rows[1:] {
		if len(r) > 0 && r[0] == key {
			return r
		}
	}
	t.Fatalf("no row %q in %v", key, rows)
	return nil
}

// sameRows compares a workbook's rows with a CSV's: the workbook leaves
// trailing empty cells out, the CSV writes them.
func sameRows(t *testing.T, what string, x, c [][]string) {
	t.Helper()
	if len(x) != len(c) {
		t.Fatalf("%s: %d rows in .xlsx, %d in CSV", what, len(x), len(c))
	}
	for i := range x {
		cr := c[i]
		for len(cr) > len(x[i]) && cr[len(cr)-1] == "" {
			cr = cr[:len(cr)-1]
		}
		if !slices.Equal(x[i], cr) {
			t.Errorf("%s row %d:\n xlsx %q\n csv  %q", what, i, x[i], cr)
		}
	}
}

// Every new list export answers each role exactly as its list does (the same
// refusal, or the same records), in both formats.
func TestListExportsFollowTheirLists(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		pairs := []struct{ list, export string }{
			{"/api/v1/lights?campaign_id=1&type=key_project", "/api/v1/lights/export?campaign_id=1&type=key_project"},
			{"/api/v1/reports?campaign_id=1&page_size=500", "/api/v1/reports/export?campaign_id=1"},
			{"/api/v1/units?kind=street", "/api/v1/units/export?kind=street"},
			{"/api/v1/persons", "/api/v1/persons/export"},
			{"/api/v1/users", "/api/v1/users/export"},
			{"/api/v1/campaigns", "/api/v1/campaigns/export"},
			{"/api/v1/zones?campaign_id=1", "/api/v1/zones/export?campaign_id=1"},
			{"/api/v1/extensions?campaign_id=1&page_size=500", "/api/v1/extensions/export?campaign_id=1"},
		}
		for _, name := range mxAccounts {
			c := e.login(name)
			for _, p := range pairs {
				lr := c.do("GET", p.list, nil)
				xr := c.do("GET", p.export, nil)
				if lr.res.StatusCode != xr.res.StatusCode {
					t.Errorf("%s: list %s answers %d, export %d", name, p.list, lr.res.StatusCode, xr.res.StatusCode)
					continue
				}
				if lr.res.StatusCode != http.StatusOK {
					continue
				}
				var l struct {
					Total *int              `json:"total"`
					Items []json.RawMessage `json:"items"`
				}
				lr.json(&l)
				n := len(l.Items)
				if l.Total != nil {
					n = *l.Total
				}
				rows := xlsxRows(t, xr.body)
				if len(rows)-1 != n {
					t.Errorf("%s: %s has %d rows, the list %d", name, p.export, len(rows)-1, n)
				}
				if got := exportCSV(t, c, p.export); len(got) != len(rows) {
					t.Errorf("%s: %s as CSV has %d rows, as .xlsx %d", name, p.export, len(got), len(rows))
				}
			}
		}
		// Users are the administrator's alone; a reporter sees only the items its unit leads or co-operates on.
		if s := e.login("duchashi").do("GET", "/api/v1/users/export", nil).res.StatusCode; s != http.StatusForbidden {
			t.Errorf("supervisor exports users: %d", s)
		}
		all := exportXLSX(t, e.login("duchashi"), "/api/v1/lights/export?campaign_id=1")
		own := exportXLSX(t, e.login("zhujianju"), "/api/v1/lights/export?campaign_id=1")
		if len(own) < 2 || len(own) >= len(all) {
			t.Errorf("住建局 exports %d lights of the district's %d", len(own)-1, len(all)-1)
		}
	})
}

// The lights export: the list's filters (the light, as_of), the item's
// completion and 序时进度 as % cells, the reasons joined, an override shown;
// the reports and deadline extensions of the same item export with it.
func TestListExportsLightsReportsExtensions(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup, rep := e.login("duchashi"), e.login("zhujianju")

		// The demo campaign: exporting the red lights exports exactly the list's red items.
		var red lightList
		sup.do("GET", "/api/v1/lights?campaign_id=1&light=red&as_of=2022-09-08", nil).status(200).json(&red)
		rows := exportXLSX(t, sup, "/api/v1/lights/export?campaign_id=1&light=red&as_of=2022-09-08")
		if want := []string{"事项编码", "事项名称", "灯色", "亮灯原因", "完成率", "序时进度", "牵头单位", "责任领导", "人工调整", "战区"}; !slices.Equal(rows[0], want) {
			t.Errorf("header %q", rows[0])
		}
		if len(red.Items) == 0 || len(rows)-1 != len(red.Items) {
			t.Fatalf("red export has %d rows, the list %d red items", len(rows)-1, len(red.Items))
		}
		for _, it := range red.Items {
			if r := rowWith(t, rows, it.Code); r[2] != "红灯" || r[3] != strings.Join(it.Reasons, "；") {
				t.Errorf("row %q, list item %s %v", r, it.Code, it.Reasons)
			}
		}
		if !slices.IsSortedFunc(rows[1:], func(a, b []string) int { return strings.Compare(a[0], b[0]) }) {
			t.Error("red lights are not in code order")
		}

		// The lights page's zone filter takes the zone's grids with it.
		var zones struct {
			Items []struct {
				ID       int64  `json:"id"`
				Code     string `json:"code"`
				Name     string `json:"name"`
				ParentID *int64 `json:"parent_id"`
			} `json:"items"`
		}
		sup.do("GET", "/api/v1/zones?campaign_id=1", nil).status(200).json(&zones)
		var all struct {
			Items []struct {
				Code   string `json:"code"`
				ZoneID int64  `json:"zone_id"`
			} `json:"items"`
		}
		sup.do("GET", "/api/v1/lights?campaign_id=1&as_of=2022-09-08", nil).status(200).json(&all)
		var xfxc int64
		inZone := map[int64]bool{}
		for _, z := range zones.Items {
			if z.Code == "XFXC" {
				xfxc = z.ID
				inZone[z.ID] = true
			}
		}
		for _, z := range zones.Items {
			if z.ParentID != nil && *z.ParentID == xfxc {
				inZone[z.ID] = true
			}
		}
		want := 0
		for _, it := range all.Items {
			if inZone[it.ZoneID] {
				want++
			}
		}
		if got := exportXLSX(t, sup, fmt.Sprintf("/api/v1/lights/export?campaign_id=1&as_of=2022-09-08&zone_id=%d", xfxc)); xfxc == 0 || want < 2 || len(got)-1 != want {
			t.Errorf("zone XFXC (%d): %d rows, the list has %d items in it and its grids", xfxc, len(got)-1, want)
		}
		sameRows(t, "red lights", rows, exportCSV(t, sup, "/api/v1/lights/export?campaign_id=1&light=red&as_of=2022-09-08"))

		// A campaign running now: started 100 days ago, ends in 265 days.
		today := time.Now()
		start, end := today.AddDate(0, 0, -100).Format("2006-01-02"), today.AddDate(0, 0, 265).Format("2006-01-02")
		c := sup.do("POST", "/api/v1/campaigns", map[string]any{"code": "EXP", "name": "导出测试攻坚年", "year": today.Year(),
			"start_date": start, "end_date": end, "cadence": "monthly"}).status(201).obj()
		zjj := lgUnit(t, sup, "ZJJ")
		it := sup.do("POST", "/api/v1/items", map[string]any{"campaign_id": c["id"], "code": "EXP-1", "name": "=SUM(A1:A9) 旧城改造",
			"type": "livelihood_project", "leader_id": 1, "lead_unit_id": zjj, "start_date": start, "end_date": end}).status(201).obj()
		itemPath := fmt.Sprintf("/api/v1/items/%.0f", it["id"])
		tg := sup.do("POST", itemPath+"/targets", map[string]any{"name": "改造户数", "unit": "户", "value": 100, "deadline": end}).status(201).obj()
		ms := sup.do("POST", itemPath+"/milestones", map[string]any{"name": "完成征迁", "planned_date": end}).status(201).obj()
		var periods struct {
			Items []struct {
				Key   string `json:"key"`
				Start string `json:"start"`
			} `json:"items"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/periods?campaign_id=%.0f", c["id"]), nil).status(200).json(&periods)
		last := ""
		for _, p := range periods.Items {
			if p.Start <= today.Format("2006-01-02") {
				last = p.Key
			}
		}
		// The unit files 40 of 100 households for the latest period.
		var r reportBody
		rep.do("PUT", fmt.Sprintf("%s/reports/%s", itemPath, last), map[string]any{"narrative": "+86 热线反映的问题已解决",
			"values": []map[string]any{{"target_id": tg["id"], "value": 40}}}, ver(0)...).status(200).json(&r)
		rep.do("POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), nil, ver(r.Version)...).status(200)

		q := fmt.Sprintf("?campaign_id=%.0f", c["id"])
		var l lightList
		sup.do("GET", "/api/v1/lights"+q, nil).status(200).json(&l)
		var leader struct {
			Items []struct {
				LeaderName string `json:"leader_name"`
			} `json:"items"`
		}
		sup.do("GET", "/api/v1/lights"+q, nil).status(200).json(&leader)
		rows = exportXLSX(t, sup, "/api/v1/lights/export"+q)
		// 40 of 100 is 40.0%; 100 of 365 days gone is 27.4%.
		want1 := []string{"EXP-1", "'=SUM(A1:A9) 旧城改造", lightZh[l.Items[0].Light], strings.Join(l.Items[0].Reasons, "；"), "40.0%", "27.4%",
			"区住建局", leader.Items[0].LeaderName, "否"}
		if len(rows) != 2 || !slices.Equal(rows[1], want1) {
			t.Errorf("lights export %q, want row %q", rows, want1)
		}
		if got := exportXLSX(t, sup, "/api/v1/lights/export"+q+"&q=sum(a1"); len(got) != 2 {
			t.Errorf("keyword of the name: %q", got)
		}
		if got := exportXLSX(t, sup, "/api/v1/lights/export"+q+"&q="+url.QueryEscape("不存在的事项")); len(got) != 1 {
			t.Errorf("keyword matching nothing: %q", got)
		}
		csvRows := exportCSV(t, sup, "/api/v1/lights/export"+q)
		sameRows(t, "lights", rows, csvRows)
		if csvRows[1][1] != "'=SUM(A1:A9) 旧城改造" {
			t.Errorf("csv name %q is not neutralised", csvRows[1][1])
		}
		sup.do("PUT", itemPath+"/light-override", map[string]any{"light": "yellow", "reason": "征迁存在信访风险"}).status(204)
		en := exportXLSX(t, sup, "/api/v1/lights/export"+q+"&lang=en")
		if en[0][0] != "Item code" || en[0][5] != "Time elapsed" || en[1][2] != "Yellow" || en[1][8] != "yes" || !strings.Contains(en[1][3], "征迁存在信访风险") {
			t.Errorf("english export after the override: %q", en)
		}
		if got := exportXLSX(t, sup, "/api/v1/lights/export"+q+"&light=red"); len(got) != 1 {
			t.Errorf("no red item after the override, but the red export has %d rows", len(got)-1)
		}

		// Reports: the list's filters, the narrative neutralised, the state in words.
		rows = exportXLSX(t, rep, "/api/v1/reports/export"+q)
		if len(rows) != 2 || rows[1][0] != "EXP-1" || rows[1][3] != last || rows[1][6] != "已报送" || rows[1][9] != "'+86 热线反映的问题已解决" {
			t.Errorf("reports export %q", rows)
		}
		if got := exportXLSX(t, rep, "/api/v1/reports/export"+q+"&state=draft"); len(got) != 1 {
			t.Errorf("no draft, but the draft export has %d rows", len(got)-1)
		}
		if got := exportCSV(t, rep, "/api/v1/reports/export"+q); len(got) != 2 || got[1][9] != "'+86 热线反映的问题已解决" {
			t.Errorf("reports csv %q", got)
		}

		// Extensions: original and requested dates as date cells, the state in words.
		newDate := later(t, end, 30)
		rep.do("POST", "/api/v1/extensions", map[string]any{"milestone_id": ms["id"], "new_date": newDate, "reason": "征迁协议签订滞后"}).status(201)
		rows = exportXLSX(t, sup, "/api/v1/extensions/export"+q+"&state=requested")
		if len(rows) != 2 || !slices.Equal(rows[1][:9], []string{"EXP-1", "'=SUM(A1:A9) 旧城改造", "节点", "完成征迁", end, newDate, "征迁协议签订滞后", "待审批", "区住建局填报员"}) {
			t.Errorf("extensions export %q", rows)
		}
		if got := exportXLSX(t, sup, "/api/v1/extensions/export"+q+"&state=approved"); len(got) != 1 {
			t.Errorf("nothing approved, but the export has %d rows", len(got)-1)
		}
		sameRows(t, "extensions", rows, exportCSV(t, sup, "/api/v1/extensions/export"+q+"&state=requested"))
	})
}

var lightZh = map[string]string{"green": "绿灯", "yellow": "黄灯", "red": "红灯"}

// Units, persons, users, campaigns and zones export with the list's filters;
// text that would start a formula is neutralised in both formats; users
// export without any password.
func TestListExportsOrgAndCampaigns(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup, admin := e.login("duchashi"), e.login("admin")
		zjj := lgUnit(t, sup, "ZJJ")
		u := sup.do("POST", "/api/v1/units", map[string]any{"code": "EXP-U1", "name": "=HYPERLINK(\"http://x\")", "kind": "other",
			"parent_id": zjj}).status(201).obj()
		sup.do("POST", "/api/v1/persons", map[string]any{"code": "EXP-P1", "name": "@张三", "title": "科长", "unit_id": u["id"],
			"phone": "13800000000"}).status(201)

		rows := exportXLSX(t, sup, "/api/v1/units/export?q=EXP-U")
		if want := [][]string{{"编码", "名称", "类型", "上级单位", "排序"}, {"EXP-U1", "'=HYPERLINK(\"http://x\")", "其他", "区住建局", "0"}}; !slices.EqualFunc(rows, want, slices.Equal) {
			t.Errorf("units export %q, want %q", rows, want)
		}
		sameRows(t, "units", rows, exportCSV(t, sup, "/api/v1/units/export?q=EXP-U"))
		if en := exportXLSX(t, sup, "/api/v1/units/export?q=EXP-U&lang=en"); en[0][2] != "Kind" || en[1][2] != "Other" {
			t.Errorf("english units export %q", en)
		}
		// The demo's 区督查室 is a bureau under the district government.
		if r := rowWith(t, exportXLSX(t, sup, "/api/v1/units/export?kind=bureau"), "DCS"); r[1] != "区督查室" || r[2] != "部门" || r[3] != "芝罘区委区政府" {
			t.Errorf("区督查室 row %q", r)
		}

		rows = exportXLSX(t, sup, "/api/v1/persons/export?q=EXP-P")
		if want := [][]string{{"编码", "姓名", "职务", "单位", "电话"}, {"EXP-P1", "'@张三", "科长", "'=HYPERLINK(\"http://x\")", "13800000000"}}; !slices.EqualFunc(rows, want, slices.Equal) {
			t.Errorf("persons export %q, want %q", rows, want)
		}
		sameRows(t, "persons", rows, exportCSV(t, sup, "/api/v1/persons/export?q=EXP-P"))
		if got := exportXLSX(t, sup, fmt.Sprintf("/api/v1/persons/export?unit_id=%.0f", u["id"])); len(got) != 2 {
			t.Errorf("persons of the new unit: %q", got)
		}

		// Users: the administrator's export; no column or cell holds a password hash.
		rows = exportXLSX(t, admin, "/api/v1/users/export")
		if want := []string{"用户名", "姓名", "角色", "单位", "须修改密码", "已停用", "创建时间"}; !slices.Equal(rows[0], want) {
			t.Errorf("users header %q", rows[0])
		}
		if r := rowWith(t, rows, "duchashi"); !slices.Equal(r[:6], []string{"duchashi", "区督查室", "督查人员", "区督查室", "否", "否"}) ||
			!regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`).MatchString(r[6]) {
			t.Errorf("duchashi row %q", r)
		}
		csvUsers := exportCSV(t, admin, "/api/v1/users/export")
		sameRows(t, "users", rows, csvUsers)
		for _, r := range csvUsers {
			for _, cell := range r {
				if strings.Contains(cell, "argon2") || strings.Contains(strings.ToLower(cell), "$2a$") {
					t.Errorf("users export holds a password hash: %q", r)
				}
			}
		}
		if got := exportXLSX(t, admin, "/api/v1/users/export?lang=en"); got[0][2] != "Role" || rowWith(t, got, "duchashi")[2] != "Supervisor" {
			t.Errorf("english users export %q", got[0])
		}

		// Campaigns: the demo's with its dates as date cells.
		rows = exportXLSX(t, sup, "/api/v1/campaigns/export")
		if r := rowWith(t, rows, "2022-GJN"); !slices.Equal(r[:7], []string{"2022-GJN", "2022年重点工作攻坚年", "2022", "2022-01-01", "2022-12-31", "每月", r[6]}) {
			t.Errorf("campaign row %q", r)
		}
		sameRows(t, "campaigns", rows, exportCSV(t, sup, "/api/v1/campaigns/export"))

		// Zones of the demo campaign, with a new one whose name starts with "-".
		sup.do("POST", "/api/v1/zones", map[string]any{"campaign_id": 1, "code": "EXP-Z1", "name": "-负一战区", "kind": "zone"}).status(201)
		rows = exportXLSX(t, sup, "/api/v1/zones/export?campaign_id=1")
		if r := rowWith(t, rows, "EXP-Z1"); r[1] != "'-负一战区" || r[2] != "战区" {
			t.Errorf("zone row %q", r)
		}
		if r := rowWith(t, rows, "XFXC-WG01"); r[1] != "幸福新城第一网格（示意）" || r[2] != "网格" {
			t.Errorf("grid row %q", r)
		}
		sameRows(t, "zones", rows, exportCSV(t, sup, "/api/v1/zones/export?campaign_id=1"))
		other := sup.do("POST", "/api/v1/campaigns", map[string]any{"code": "EXP-C2", "name": "空攻坚年", "year": 2023,
			"start_date": "2023-01-01", "end_date": "2023-12-31", "cadence": "monthly"}).status(201).obj()
		if got := exportXLSX(t, sup, fmt.Sprintf("/api/v1/zones/export?campaign_id=%.0f", other["id"])); len(got) != 1 {
			t.Errorf("a campaign without zones exports %d zones", len(got)-1)
		}

		// An unknown format is refused, naming the field.
		p := sup.do("GET", "/api/v1/units/export?format=pdf", nil).status(http.StatusUnprocessableEntity).problem()
		if !slices.Contains(p.fields(), "format") {
			t.Errorf("format=pdf: %+v", p)
		}
	})
}

// exportRequired fills in the parameters the export routes require;
// a new export route with another required parameter fails the walk below
// until it is added here.
var exportRequired = map[string]string{"campaign_id": "1", "as_of": "2022-09-30"}

// Every export route answers format=csv with a UTF-8 CSV, so no list is left
// with .xlsx alone. Briefings are documents (Word, PDF), not lists.
func TestListExportsEveryExportHasCSV(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup, admin := e.login("duchashi"), e.login("admin")
		var lg lgLedger
		sup.do("POST", "/api/v1/ledgers", lgFactories(lgUnit(t, sup, "GXJ"))).status(http.StatusCreated).json(&lg)
		ids := map[string]string{"/api/v1/ledgers/{id}/export": fmt.Sprint(lg.ID)}
		documents := map[string]bool{"/api/v1/briefings/{id}/export": true}
		n, english := 0, 0
		for _, r := range mxRoutes(t, e) {
			if r.method != http.MethodGet || !strings.HasSuffix(r.path, "/export") || documents[r.path] {
				continue
			}
			n++
			path := r.path
			if strings.Contains(path, "{id}") {
				id, ok := ids[path]
				if !ok {
					t.Errorf("%s: no id to export; add one to the test", path)
					continue
				}
				path = strings.Replace(path, "{id}", id, 1)
			}
			v := url.Values{}
			for _, req := range r.required {
				name := strings.TrimPrefix(req, "query ")
				val, ok := exportRequired[name]
				if !ok {
					t.Errorf("%s requires %s; add it to exportRequired", r.path, req)
				}
				v.Set(name, val)
			}
			c := sup
			if r.perm == "user:manage" || r.perm == "audit:read" {
				c = admin
			}
			q := ""
			if len(v) > 0 {
				q = "?" + v.Encode()
			}
			recs := exportCSV(t, c, path+q)
			if len(recs) == 0 || len(recs[0]) < 2 {
				t.Errorf("%s as csv has no header: %q", r.path, recs)
			}
			// Where the export takes lang, lang=en heads the file in English.
			for _, p := range e.srv.OpenAPI().Paths[r.path].Get.Parameters {
				if p.Name != "lang" {
					continue
				}
				english++
				v.Set("lang", "en")
				head := exportCSV(t, c, path+"?"+v.Encode())[0]
				if !regexp.MustCompile(`^[A-Za-z][ -~]*$`).MatchString(strings.Join(head, " ")) {
					t.Errorf("%s?lang=en has the header %q", r.path, head)
				}
			}
		}
		if n < 19 || english < 15 {
			t.Errorf("walked %d export routes (%d in English), want at least the 19 lists that export (15 with lang)", n, english)
		}
	})
}
