package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

type lgLedger struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Rows     int    `json:"rows"`
	CanWrite bool   `json:"can_write"`
	Version  int    `json:"version"`
	Revision int    `json:"revision"`
	Fields   []struct {
		Key      string   `json:"key"`
		Label    string   `json:"label"`
		Type     string   `json:"type"`
		Unit     string   `json:"unit"`
		Options  []string `json:"options"`
		Archived bool     `json:"archived"`
	} `json:"fields"`
}

type lgRow struct {
	ID      int64             `json:"id"`
	Key     string            `json:"key"`
	Period  string            `json:"period"`
	Values  map[string]any    `json:"values"`
	Labels  map[string]string `json:"labels"`
	Version int               `json:"version"`
}

type lgFigures struct {
	Count int `json:"count"`
	Sums  []struct {
		Key   string  `json:"key"`
		Unit  string  `json:"unit"`
		Value float64 `json:"value"`
	} `json:"sums"`
	Groups []struct {
		Key   string             `json:"key"`
		Label string             `json:"label"`
		Count int                `json:"count"`
		Sums  map[string]float64 `json:"sums"`
	} `json:"groups"`
	Breakdowns []struct {
		Field  string `json:"field"`
		Groups []struct {
			Key   string `json:"key"`
			Count int    `json:"count"`
		} `json:"groups"`
	} `json:"breakdowns"`
}

func (f lgFigures) sum(key string) float64 {
	for _, s := range f.Sums {
		if s.Key == key {
			return s.Value
		}
	}
	return -1
}

func (f lgFigures) group(key string) int {
	for _, g := range f.Groups {
		if g.Key == key || g.Label == key {
			return g.Count
		}
	}
	return -1
}

// lgUnit finds a unit's id by code.
func lgUnit(t *testing.T, c *client, code string) int64 {
	t.Helper()
	var l struct {
		Items []struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"items"`
	}
	c.do("GET", "/api/v1/units?page_size=500", nil).status(http.StatusOK).json(&l)
	for _, u := range l.Items {
		if u.Code == code {
			return u.ID
		}
	}
	t.Fatalf("no unit %s", code)
	return 0
}

// lgFactories is the idle-factory register of the article (闲置厂房台账) as a
// supervisor would define it, owned by the given unit.
func lgFactories(owner int64) map[string]any {
	return map[string]any{
		"code": "XZCF", "name": "闲置厂房台账", "owner_unit_id": owner, "key_field": "name", "date_field": "found_on",
		"fields": []map[string]any{
			{"key": "name", "label": "厂房名称", "type": "text", "required": true},
			{"key": "street", "label": "所在街道", "type": "unit"},
			{"key": "area", "label": "建筑面积", "type": "area", "unit": "m²", "summed": true},
			{"key": "state", "label": "盘活状态", "type": "choice", "options": []string{"未盘活", "洽谈中", "已盘活"}, "required": true, "counted": true},
			{"key": "invest", "label": "引入投资", "type": "amount_wan", "summed": true},
			{"key": "found_on", "label": "登记日期", "type": "date", "required": true},
			{"key": "note", "label": "备注", "type": "text"},
		},
	}
}

func lgAddRow(t *testing.T, c *client, ledgerID int64, values map[string]any) lgRow {
	t.Helper()
	var r lgRow
	c.do("POST", fmt.Sprintf("/api/v1/ledgers/%d/rows", ledgerID), map[string]any{"values": values}).status(http.StatusCreated).json(&r)
	return r
}

func lgFig(t *testing.T, c *client, ledgerID int64, query string) lgFigures {
	t.Helper()
	var f lgFigures
	c.do("GET", fmt.Sprintf("/api/v1/ledgers/%d/figures?%s", ledgerID, query), nil).status(http.StatusOK).json(&f)
	return f
}

// A supervisor defines a ledger; rows are added and edited; counts and sums
// come out exact, grouped by a choice, a unit and the month; edits keep
// their history; bad values are named in Chinese.
func TestLedgerDefineRowsAndFigures(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup, view := e.login("duchashi"), e.login("viewer")
		gxj := lgUnit(t, sup, "GXJ")
		var l lgLedger
		sup.do("POST", "/api/v1/ledgers", lgFactories(gxj)).status(http.StatusCreated).json(&l)
		if l.Revision != 1 || len(l.Fields) != 7 || !l.CanWrite {
			t.Fatalf("created ledger: %+v", l)
		}
		r1 := lgAddRow(t, sup, l.ID, map[string]any{"name": "只楚路1号厂房", "street": "只楚街道", "area": 1200.5, "state": "已盘活",
			"invest": "1.5亿元", "found_on": "2022年3月8日"})
		lgAddRow(t, sup, l.ID, map[string]any{"name": "卧龙园区3号车间", "street": "黄务街道", "area": "800.25", "state": "洽谈中",
			"invest": 2500, "found_on": "2022-03-20"})
		lgAddRow(t, sup, l.ID, map[string]any{"name": "世回尧仓库", "street": "世回尧街道", "area": "３,０００", "state": "未盘活", "found_on": "2022/4/1"})
		if r1.Period != "2022-03" || r1.Values["invest"] != 15000.0 || r1.Labels["street"] != "只楚街道" {
			t.Errorf("row 1: period %q, invest %v 万元 (want 15000), street label %q", r1.Period, r1.Values["invest"], r1.Labels["street"])
		}

		// 1200.5 + 800.25 + 3000 = 5000.75 m²; 1.5亿元 + 2500万元 = 17500 万元.
		f := lgFig(t, view, l.ID, "group_by=state")
		if f.Count != 3 || f.sum("area") != 5000.75 || f.sum("invest") != 17500 {
			t.Errorf("figures: count %d, area %v, invest %v; want 3, 5000.75, 17500", f.Count, f.sum("area"), f.sum("invest"))
		}
		if f.group("已盘活") != 1 || f.group("洽谈中") != 1 || f.group("未盘活") != 1 {
			t.Errorf("by state: %+v", f.Groups)
		}
		if f := lgFig(t, view, l.ID, "group_by=period"); f.group("2022-03") != 2 || f.group("2022-04") != 1 {
			t.Errorf("by month: %+v", f.Groups)
		}
		if f := lgFig(t, view, l.ID, "group_by=street"); f.group("只楚街道") != 1 || len(f.Groups) != 3 {
			t.Errorf("by street: %+v", f.Groups)
		}
		if f := lgFig(t, view, l.ID, "filter="+url.QueryEscape("state:已盘活")); f.Count != 1 || f.sum("area") != 1200.5 {
			t.Errorf("filtered to 已盘活: count %d, area %v", f.Count, f.sum("area"))
		}

		// Bad values are refused, each named.
		p := sup.do("POST", fmt.Sprintf("/api/v1/ledgers/%d/rows", l.ID), map[string]any{"values": map[string]any{
			"name": "新厂房", "state": "已完成", "area": "很大", "found_on": "2022-13-01", "color": "red"}}).status(http.StatusUnprocessableEntity).problem()
		got := p.fields()
		for _, want := range []string{"values.state", "values.area", "values.found_on", "values.color"} {
			if !slices.Contains(got, want) {
				t.Errorf("bad row: errors %v lack %s", got, want)
			}
		}
		if !strings.Contains(p.Detail, "盘活状态") && !strings.Contains(p.Detail, "建筑面积") && !strings.Contains(p.Detail, "color") {
			t.Errorf("detail %q does not name the field", p.Detail)
		}
		// The key field names one row.
		sup.do("POST", fmt.Sprintf("/api/v1/ledgers/%d/rows", l.ID), map[string]any{"values": map[string]any{
			"name": "只楚路1号厂房", "state": "未盘活", "found_on": "2022-05-01"}}).status(http.StatusConflict)

		// An edit keeps the old values as a revision.
		var r1b lgRow
		sup.do("PUT", fmt.Sprintf("/api/v1/ledger-rows/%d", r1.ID), map[string]any{"values": map[string]any{
			"name": "只楚路1号厂房", "street": "只楚街道", "area": 1200.5, "state": "洽谈中", "found_on": "2022-03-08"}}, ver(r1.Version)...).
			status(http.StatusOK).json(&r1b)
		sup.do("PUT", fmt.Sprintf("/api/v1/ledger-rows/%d", r1.ID), map[string]any{"values": map[string]any{
			"name": "只楚路1号厂房", "state": "未盘活", "found_on": "2022-03-08"}}, ver(r1.Version)...).status(http.StatusPreconditionFailed)
		var hist struct {
			Items []struct {
				Revision int            `json:"revision"`
				Values   map[string]any `json:"values"`
				Username string         `json:"username"`
			} `json:"items"`
		}
		view.do("GET", fmt.Sprintf("/api/v1/ledger-rows/%d/history", r1.ID), nil).status(http.StatusOK).json(&hist)
		if len(hist.Items) != 2 || hist.Items[0].Values["state"] != "洽谈中" || hist.Items[1].Values["state"] != "已盘活" || hist.Items[0].Username != "duchashi" {
			t.Errorf("history: %+v", hist.Items)
		}
		if f := lgFig(t, view, l.ID, ""); f.sum("invest") != 2500 {
			t.Errorf("after the edit dropped row 1's investment: invest %v, want 2500", f.sum("invest"))
		}

		// Delete is soft: gone from the list and the figures, kept in the history.
		sup.do("DELETE", fmt.Sprintf("/api/v1/ledger-rows/%d", r1.ID), nil, ver(r1b.Version)...).status(http.StatusNoContent)
		var rows struct {
			Items []lgRow `json:"items"`
			Total int     `json:"total"`
		}
		view.do("GET", fmt.Sprintf("/api/v1/ledgers/%d/rows?sort=-area", l.ID), nil).status(http.StatusOK).json(&rows)
		if rows.Total != 2 || rows.Items[0].Key != "世回尧仓库" {
			t.Errorf("rows after delete, by area descending: %+v", rows)
		}
		view.do("GET", fmt.Sprintf("/api/v1/ledger-rows/%d/history", r1.ID), nil).status(http.StatusOK).json(&hist)
		if len(hist.Items) != 3 {
			t.Errorf("history after delete has %d revisions, want 3", len(hist.Items))
		}
		// The key is free again.
		lgAddRow(t, sup, l.ID, map[string]any{"name": "只楚路1号厂房", "state": "未盘活", "found_on": "2022-05-01"})
	})
}

// A unit reporter writes the rows of ledgers its unit owns, and only reads the others.
func TestLedgerReporterWritesOwnUnitsLedgers(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup, rep := e.login("duchashi"), e.login("zhujianju")
		own, other := lgFactories(lgUnit(t, sup, "ZJJ")), lgFactories(lgUnit(t, sup, "GXJ"))
		other["code"], other["name"] = "XZCF-GXJ", "工信局闲置厂房"
		var a, b lgLedger
		sup.do("POST", "/api/v1/ledgers", own).status(http.StatusCreated).json(&a)
		sup.do("POST", "/api/v1/ledgers", other).status(http.StatusCreated).json(&b)
		row := map[string]any{"values": map[string]any{"name": "A", "state": "未盘活", "found_on": "2022-06-01"}}
		rep.do("POST", fmt.Sprintf("/api/v1/ledgers/%d/rows", a.ID), row).status(http.StatusCreated)
		p := rep.do("POST", fmt.Sprintf("/api/v1/ledgers/%d/rows", b.ID), row).status(http.StatusForbidden).problem()
		if !strings.Contains(p.Detail, "区工信局") {
			t.Errorf("refusal %q does not name the owner unit", p.Detail)
		}
		var list struct {
			Items []lgLedger `json:"items"`
		}
		rep.do("GET", "/api/v1/ledgers", nil).status(http.StatusOK).json(&list)
		for _, l := range list.Items {
			if l.CanWrite != (l.ID == a.ID) {
				t.Errorf("reporter: ledger %s can_write = %v", l.Code, l.CanWrite)
			}
		}
		rep.do("GET", fmt.Sprintf("/api/v1/ledgers/%d/rows", b.ID), nil).status(http.StatusOK)
		rep.do("POST", "/api/v1/ledgers", own).status(http.StatusForbidden)
	})
}

// Changing the definition never loses data: a removed field is archived
// with its values; a type change the values do not fit is refused, naming
// the rows; once they fit, the change converts them.
func TestLedgerDefinitionChanges(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		def := lgFactories(lgUnit(t, sup, "GXJ"))
		var l lgLedger
		sup.do("POST", "/api/v1/ledgers", def).status(http.StatusCreated).json(&l)
		lgAddRow(t, sup, l.ID, map[string]any{"name": "甲厂", "state": "未盘活", "found_on": "2022-06-01", "note": "120"})
		bad := lgAddRow(t, sup, l.ID, map[string]any{"name": "乙厂", "state": "未盘活", "found_on": "2022-06-02", "note": "约两千"})

		fields := def["fields"].([]map[string]any)
		// note (text) → number: 乙厂's "约两千" blocks it.
		fields[6] = map[string]any{"key": "note", "label": "工人数", "type": "number", "unit": "人", "summed": true}
		p := sup.do("PUT", fmt.Sprintf("/api/v1/ledgers/%d", l.ID), def, ver(l.Version)...).status(http.StatusUnprocessableEntity).problem()
		if p.Key != "ledger.change_blocked" || len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, "乙厂") || !strings.Contains(p.Errors[0].Message, "约两千") {
			t.Fatalf("blocked change: key %q, errors %+v", p.Key, p.Errors)
		}
		sup.do("PUT", fmt.Sprintf("/api/v1/ledger-rows/%d", bad.ID), map[string]any{"values": map[string]any{
			"name": "乙厂", "state": "未盘活", "found_on": "2022-06-02", "note": "2,000"}}, ver(bad.Version)...).status(http.StatusOK)
		sup.do("PUT", fmt.Sprintf("/api/v1/ledgers/%d", l.ID), def, ver(l.Version)...).status(http.StatusOK).json(&l)
		if f := lgFig(t, sup, l.ID, ""); f.sum("note") != 2120 {
			t.Errorf("after text → number: sum of 工人数 %v, want 2120", f.sum("note"))
		}

		// Remove the 引入投资 field: archived, and the rows keep their values.
		r := lgAddRow(t, sup, l.ID, map[string]any{"name": "丙厂", "state": "已盘活", "found_on": "2022-07-01", "invest": 300})
		def["fields"] = slices.Delete(slices.Clone(fields), 4, 5)
		sup.do("PUT", fmt.Sprintf("/api/v1/ledgers/%d", l.ID), def, ver(l.Version)...).status(http.StatusOK).json(&l)
		archived := false
		for _, f := range l.Fields {
			archived = archived || (f.Key == "invest" && f.Archived)
		}
		if !archived || l.Revision != 3 {
			t.Errorf("after removing invest: revision %d, fields %+v", l.Revision, l.Fields)
		}
		var got lgRow
		sup.do("GET", fmt.Sprintf("/api/v1/ledger-rows/%d", r.ID), nil).status(http.StatusOK).json(&got)
		if got.Values["invest"] != 300.0 {
			t.Errorf("archived value: %v, want 300", got.Values["invest"])
		}
		// An archived field cannot be written…
		sup.do("PUT", fmt.Sprintf("/api/v1/ledger-rows/%d", r.ID), map[string]any{"values": map[string]any{
			"name": "丙厂", "state": "已盘活", "found_on": "2022-07-01", "invest": 5}}, ver(got.Version)...).status(http.StatusUnprocessableEntity)
		// …and an edit without it keeps it.
		sup.do("PUT", fmt.Sprintf("/api/v1/ledger-rows/%d", r.ID), map[string]any{"values": map[string]any{
			"name": "丙厂", "state": "洽谈中", "found_on": "2022-07-01"}}, ver(got.Version)...).status(http.StatusOK).json(&got)
		if got.Values["invest"] != 300.0 {
			t.Errorf("archived value after an edit: %v, want 300", got.Values["invest"])
		}
		// Bringing it back brings its values back.
		def["fields"] = fields
		sup.do("PUT", fmt.Sprintf("/api/v1/ledgers/%d", l.ID), def, ver(l.Version)...).status(http.StatusOK).json(&l)
		if f := lgFig(t, sup, l.ID, ""); f.sum("invest") != 300 {
			t.Errorf("restored invest: sum %v, want 300", f.sum("invest"))
		}
		// Making 所在街道 required is refused: no row has it.
		fields[1]["required"] = true
		p = sup.do("PUT", fmt.Sprintf("/api/v1/ledgers/%d", l.ID), def, ver(l.Version)...).status(http.StatusUnprocessableEntity).problem()
		if len(p.Errors) != 3 {
			t.Errorf("required 所在街道: %d blocking rows, want 3: %+v", len(p.Errors), p.Errors)
		}
		var defs struct {
			Total int `json:"total"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/ledgers/%d/definitions", l.ID), nil).status(http.StatusOK).json(&defs)
		if defs.Total != 4 {
			t.Errorf("definition history has %d versions, want 4", defs.Total)
		}
		// A ledger with data is not deleted.
		sup.do("DELETE", fmt.Sprintf("/api/v1/ledgers/%d", l.ID), nil, ver(l.Version)...).status(http.StatusConflict)
	})
}

// The template comes from the definition; a filled-in template imports all
// or nothing, bad cells named; importing the same file again changes nothing.
func TestLedgerTemplateImportExport(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		var l lgLedger
		sup.do("POST", "/api/v1/ledgers", lgFactories(lgUnit(t, sup, "GXJ"))).status(http.StatusCreated).json(&l)
		tpl := sup.do("GET", fmt.Sprintf("/api/v1/ledgers/%d/template", l.ID), nil).status(http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader(tpl.body))
		if err != nil {
			t.Fatal(err)
		}
		sheet := "闲置厂房台账"
		head, _ := f.GetRows(sheet)
		if len(head) < 2 || !slices.Contains(head[1], "*厂房名称") || !slices.Contains(head[1], "建筑面积（m²）") || !slices.Contains(head[1], "引入投资（万元）") {
			t.Fatalf("template header: %v", head)
		}
		dv, _ := f.GetDataValidations(sheet)
		if len(dv) == 0 {
			t.Error("template has no dropdowns")
		}
		// Columns: 厂房名称 所在街道 建筑面积 盘活状态 引入投资 登记日期 备注.
		fill := func(rows [][]any) []byte {
			for i, r := range rows {
				cell, _ := excelize.CoordinatesToCellName(1, 3+i)
				if err := f.SetSheetRow(sheet, cell, &r); err != nil {
					t.Fatal(err)
				}
			}
			var b bytes.Buffer
			if err := f.Write(&b); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
		good := [][]any{
			{"一号厂房", "只楚街道", 1000, "已盘活", "1.2亿元", "2022-03-01", ""},
			{"二号厂房", "黄务街道", 2000.5, "未盘活", 300, "2022年4月2日", "待招商"},
			{"三号厂房", "", "", "洽谈中", "", 44713, ""}, // 44713 is 2022-06-01 as Excel keeps it
		}
		bad := append(slices.Clone(good), []any{"四号厂房", "不存在街道", "abc", "已完成", "", "", ""})
		importFile := func(body []byte, dry bool) *response {
			return sup.do("POST", fmt.Sprintf("/api/v1/ledgers/%d/import?dry_run=%v", l.ID, dry), string(body),
				"Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		}
		badFile := fill(bad)
		var res struct {
			DryRun    bool `json:"dry_run"`
			Created   int  `json:"created"`
			Updated   int  `json:"updated"`
			Unchanged int  `json:"unchanged"`
			Problems  []struct {
				Row     int    `json:"row"`
				Column  string `json:"column"`
				Value   string `json:"value"`
				Message string `json:"message"`
			} `json:"problems"`
		}
		importFile(badFile, true).status(http.StatusOK).json(&res)
		if res.Created != 3 || len(res.Problems) != 4 {
			t.Fatalf("dry run of the bad file: %+v", res)
		}
		// Row 6 of the sheet (title, header, 3 good rows): street B, area C, state D, date F.
		cols := map[string]bool{}
		for _, p := range res.Problems {
			if p.Row != 6 {
				t.Errorf("problem on row %d, want 6: %+v", p.Row, p)
			}
			cols[p.Column] = true
		}
		if !cols["B"] || !cols["C"] || !cols["D"] || !cols["F"] {
			t.Errorf("problem columns %v, want B, C, D, F", cols)
		}
		r := importFile(badFile, false).status(http.StatusUnprocessableEntity)
		if ct := r.res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("refused import: content type %q", ct)
		}
		r.json(&res)
		if len(res.Problems) != 4 {
			t.Errorf("refused import lists %d problems, want 4", len(res.Problems))
		}
		if f := lgFig(t, sup, l.ID, ""); f.Count != 0 {
			t.Fatalf("a refused import wrote %d rows", f.Count)
		}

		f.RemoveRow(sheet, 6)
		goodFile := fill(good)
		importFile(goodFile, false).status(http.StatusOK).json(&res)
		if res.Created != 3 || res.Updated != 0 || len(res.Problems) != 0 {
			t.Fatalf("import: %+v", res)
		}
		fig := lgFig(t, sup, l.ID, "group_by=period")
		if fig.Count != 3 || fig.sum("area") != 3000.5 || fig.sum("invest") != 12300 || fig.group("2022-06") != 1 {
			t.Errorf("imported figures: %+v", fig)
		}
		importFile(goodFile, false).status(http.StatusOK).json(&res)
		if res.Created != 0 || res.Updated != 0 || res.Unchanged != 3 {
			t.Errorf("second import of the same file: %+v", res)
		}

		// Export with a filter in force, edit, import back: one update.
		ex := sup.do("GET", fmt.Sprintf("/api/v1/ledgers/%d/export?filter=%s", l.ID, url.QueryEscape("state:未盘活")), nil).status(http.StatusOK)
		xf, err := excelize.OpenReader(bytes.NewReader(ex.body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := xf.GetRows(sheet)
		if len(rows) != 2 || rows[1][1] != "二号厂房" || rows[1][2] != "黄务街道" {
			t.Fatalf("export of 未盘活: %v", rows)
		}
		_ = xf.SetCellValue(sheet, "E2", "已盘活")
		var b bytes.Buffer
		_ = xf.Write(&b)
		importFile(b.Bytes(), false).status(http.StatusOK).json(&res)
		if res.Updated != 1 || res.Created != 0 {
			t.Errorf("import of the edited export: %+v", res)
		}
		if fig := lgFig(t, sup, l.ID, "group_by=state"); fig.group("已盘活") != 2 {
			t.Errorf("after the re-import: %+v", fig.Groups)
		}
		// Not a spreadsheet at all.
		importFile([]byte("%PDF-1.4"), true).status(http.StatusUnprocessableEntity)
	})
}

// A target linked to a ledger figure takes it as its actual: the share of
// idle factories revitalised moves as rows change.
func TestLedgerTargetLink(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		var items struct {
			Items []struct {
				ID   int64  `json:"id"`
				Code string `json:"code"`
			} `json:"items"`
		}
		sup.do("GET", "/api/v1/items?q=ZX-01", nil).status(http.StatusOK).json(&items)
		var targets struct {
			Items []struct {
				ID    int64   `json:"id"`
				Name  string  `json:"name"`
				Value float64 `json:"value"`
			} `json:"items"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/items/%d/targets", items.Items[0].ID), nil).status(http.StatusOK).json(&targets)
		if len(targets.Items) != 1 || targets.Items[0].Value != 60 {
			t.Fatalf("ZX-01 targets: %+v", targets.Items)
		}
		var l lgLedger
		sup.do("POST", "/api/v1/ledgers", lgFactories(lgUnit(t, sup, "GXJ"))).status(http.StatusCreated).json(&l)
		link := map[string]any{"target_id": targets.Items[0].ID, "measure": "share", "filter_field": "state", "filter_value": "已盘活"}
		sup.do("POST", fmt.Sprintf("/api/v1/ledgers/%d/links", l.ID), map[string]any{"target_id": targets.Items[0].ID, "measure": "share",
			"filter_field": "state", "filter_value": "已完成"}).status(http.StatusUnprocessableEntity)
		sup.do("POST", fmt.Sprintf("/api/v1/ledgers/%d/links", l.ID), link).status(http.StatusCreated)
		sup.do("POST", fmt.Sprintf("/api/v1/ledgers/%d/links", l.ID), link).status(http.StatusConflict)
		states := []string{"已盘活", "已盘活", "已盘活", "未盘活", "洽谈中"}
		for i, st := range states {
			lgAddRow(t, sup, l.ID, map[string]any{"name": fmt.Sprintf("厂房%d", i+1), "state": st, "found_on": "2022-06-01"})
		}
		var links struct {
			Items []struct {
				ID         int64    `json:"id"`
				Actual     float64  `json:"actual"`
				Completion *float64 `json:"completion"`
				ItemCode   string   `json:"item_code"`
				Version    int      `json:"version"`
			} `json:"items"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/ledgers/%d/links", l.ID), nil).status(http.StatusOK).json(&links)
		// 3 of 5 revitalised: 60%, the whole target.
		if len(links.Items) != 1 || links.Items[0].Actual != 60 || links.Items[0].Completion == nil || *links.Items[0].Completion != 1 || links.Items[0].ItemCode != "ZX-01" {
			t.Fatalf("link: %+v", links.Items)
		}
		lgAddRow(t, sup, l.ID, map[string]any{"name": "厂房6", "state": "未盘活", "found_on": "2022-06-02"})
		sup.do("GET", fmt.Sprintf("/api/v1/ledgers/%d/links", l.ID), nil).status(http.StatusOK).json(&links)
		if links.Items[0].Actual != 50 {
			t.Errorf("3 of 6: actual %v, want 50", links.Items[0].Actual)
		}
		// The item's status lights read the same figure as the target's actual.
		var lights struct {
			Items []struct {
				Targets []struct {
					TargetID int64    `json:"target_id"`
					Actual   *float64 `json:"actual"`
				} `json:"targets"`
			} `json:"items"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/lights?campaign_id=1&item_id=%d", items.Items[0].ID), nil).status(http.StatusOK).json(&lights)
		if len(lights.Items) != 1 || len(lights.Items[0].Targets) != 1 || lights.Items[0].Targets[0].Actual == nil || *lights.Items[0].Targets[0].Actual != 50 {
			t.Errorf("lights of ZX-01 do not show the ledger's 50%%: %+v", lights.Items)
		}
		// Before any row existed, nothing was revitalised.
		sup.do("GET", fmt.Sprintf("/api/v1/ledgers/%d/links?as_of=2020-01-01", l.ID), nil).status(http.StatusOK).json(&links)
		if links.Items[0].Actual != 0 {
			t.Errorf("as of 2020: actual %v, want 0", links.Items[0].Actual)
		}
		sup.do("DELETE", fmt.Sprintf("/api/v1/ledger-links/%d", links.Items[0].ID), nil, ver(links.Items[0].Version)...).status(http.StatusNoContent)
	})
}
