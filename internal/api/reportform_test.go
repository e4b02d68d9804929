package api_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReportFormRoundTrip: a unit with 100 due items downloads this period's
// offline report form, fills it in, sees a bad cell named in the dry run,
// and, once it is fixed, every filled row becomes that item's report — saved
// or submitted as the 操作 column says; the same file again changes nothing.
func TestReportFormRoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		cid := campaignID(t, sup)
		// 100 items led by 区住建局, each with one target and one milestone.
		tpl := fmt.Sprintf("/api/v1/templates/items.xlsx?campaign_id=%d", cid)
		_, dict := fillTemplate(t, sup, tpl, nil)
		var items, targets, milestones [][]any
		for i := 1; i <= 100; i++ {
			code := fmt.Sprintf("RF-%03d", i)
			items = append(items, []any{code, fmt.Sprintf("离线填报测试事项%d", i), "重点项目", "", "", "", "", dict["责任领导"][0], "区住建局"})
			targets = append(targets, []any{code, "完成投资比例", "%", "0", "100", "2022-12-31", "越大越好"})
			milestones = append(milestones, []any{code, "主体开工", "开工", "2022-06-30"})
		}
		for kind, rows := range map[string][][]any{"items": items} {
			data, _ := fillTemplate(t, sup, fmt.Sprintf("/api/v1/templates/%s.xlsx?campaign_id=%d", kind, cid), rows)
			upload(sup, fmt.Sprintf("/api/v1/%s/import?campaign_id=%d&dry_run=false", kind, cid), data).status(200)
		}
		for kind, rows := range map[string][][]any{"targets": targets, "milestones": milestones} {
			data, _ := fillTemplate(t, sup, fmt.Sprintf("/api/v1/templates/%s.xlsx?campaign_id=%d", kind, cid), rows)
			upload(sup, fmt.Sprintf("/api/v1/%s/import?campaign_id=%d&dry_run=false", kind, cid), data).status(200)
		}

		rep := e.login("zhujianju")
		r := rep.do("GET", fmt.Sprintf("/api/v1/campaigns/%d/report-form.xlsx", cid), nil).status(200)
		f, err := excelize.OpenReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatalf("the form is not a workbook: %v", err)
		}
		rows, _ := f.GetRows("填报")
		head := rows[1] // row 1 is the title
		col := map[string]int{}
		for i, h := range head {
			col[strings.TrimPrefix(h, "*")] = i
		}
		for _, h := range []string{"事项编码", "事项名称", "目标1", "目标1本期累计实际值", "节点1", "节点1实际完成日期", "工作进展", "操作"} {
			if _, ok := col[h]; !ok {
				t.Fatalf("form header %q missing: %v", h, head)
			}
		}
		ours := map[string]int{} // item code -> sheet row
		for i, row := range rows[2:] {
			if len(row) > 0 && strings.HasPrefix(row[0], "RF-") {
				ours[row[0]] = i + 3
				if i := col["目标1"]; row[i] != "完成投资比例：目标 100%，期限 2022-12-31" {
					t.Fatalf("target cell of %s: %q", row[0], row[i])
				}
				if i := col["节点1"]; row[i] != "主体开工：计划 2022-06-30" {
					t.Fatalf("milestone cell of %s: %q", row[0], row[i])
				}
			}
		}
		if len(ours) != 100 {
			t.Fatalf("the form has %d of the unit's 100 new items", len(ours))
		}
		// A supervisor asks for the unit's form; a reporter may not ask for another unit's.
		var units struct {
			Items []struct {
				ID   int    `json:"id"`
				Code string `json:"code"`
			} `json:"items"`
		}
		sup.do("GET", "/api/v1/units", nil).status(200).json(&units)
		ids := map[string]int{}
		for _, u := range units.Items {
			ids[u.Code] = u.ID
		}
		sf, err := excelize.OpenReader(bytes.NewReader(sup.do("GET", fmt.Sprintf("/api/v1/campaigns/%d/report-form.xlsx?unit_id=%d", cid, ids["ZJJ"]), nil).status(200).body))
		if err != nil {
			t.Fatal(err)
		}
		if supRows, _ := sf.GetRows("填报"); len(supRows) != len(rows) {
			t.Errorf("the supervisor's form of 区住建局 has %d rows, the unit's own %d", len(supRows), len(rows))
		}
		rep.do("GET", fmt.Sprintf("/api/v1/campaigns/%d/report-form.xlsx?unit_id=%d", cid, ids["CZJ"]), nil).status(404)
		if e.login("viewer").do("GET", fmt.Sprintf("/api/v1/campaigns/%d/report-form.xlsx", cid), nil).res.StatusCode != 403 {
			t.Error("a viewer downloaded a report form")
		}
		set := func(code, header string, v any) {
			cell, _ := excelize.CoordinatesToCellName(col[header]+1, ours[code])
			if err := f.SetCellValue("填报", cell, v); err != nil {
				t.Fatal(err)
			}
		}
		for i := 1; i <= 100; i++ {
			code := fmt.Sprintf("RF-%03d", i)
			set(code, "目标1本期累计实际值", 60)
			set(code, "工作进展", fmt.Sprintf("第%d项已完成六成", i))
			if i <= 50 {
				set(code, "操作", "报送")
				set(code, "节点1实际完成日期", "2022年6月28日")
			} else {
				set(code, "操作", "保存草稿")
			}
		}
		set("RF-077", "目标1本期累计实际值", "六成")
		var buf bytes.Buffer
		if _, err := f.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/campaigns/%d/report-form?dry_run=", cid)
		var dry importResult
		upload(rep, path+"true", buf.Bytes()).status(200).json(&dry)
		if len(dry.Problems) != 1 || dry.Problems[0].Row != ours["RF-077"] || dry.Problems[0].Value != "六成" ||
			!strings.Contains(dry.Problems[0].Column, "目标1本期累计实际值") {
			t.Fatalf("dry run: %+v", dry)
		}
		pb := upload(rep, path+"false", buf.Bytes()).status(422).problem()
		if len(pb.Errors) != 1 || !strings.Contains(pb.Errors[0].Message, fmt.Sprintf("第 %d 行", ours["RF-077"])) {
			t.Errorf("refused commit: %+v", pb)
		}
		if st := taskStatus(t, rep, cid, "RF-001"); st != "missing" {
			t.Fatalf("a refused form wrote RF-001: %s", st)
		}

		set("RF-077", "目标1本期累计实际值", 60)
		buf.Reset()
		if _, err := f.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		var res importResult
		upload(rep, path+"false", buf.Bytes()).status(200).json(&res)
		if res.Created != 100 || res.Updated != 0 || len(res.Problems) != 0 {
			t.Fatalf("commit: %+v", res)
		}
		if st := taskStatus(t, rep, cid, "RF-001"); st != "submitted" {
			t.Errorf("RF-001 (报送): %s", st)
		}
		if st := taskStatus(t, rep, cid, "RF-100"); st != "draft" {
			t.Errorf("RF-100 (保存草稿): %s", st)
		}
		upload(rep, path+"false", buf.Bytes()).status(200).json(&res)
		if res.Created != 0 || res.Updated != 0 {
			t.Errorf("the same form again: %+v", res)
		}
	})
}

// taskStatus is the reporting status of an item of the current period.
func taskStatus(t *testing.T, c *client, cid int, code string) string {
	t.Helper()
	var tl struct {
		Tasks []struct {
			Code   string `json:"code"`
			Status string `json:"status"`
		} `json:"tasks"`
	}
	c.do("GET", fmt.Sprintf("/api/v1/tasks?campaign_id=%d", cid), nil).status(200).json(&tl)
	for _, tk := range tl.Tasks {
		if tk.Code == code {
			return tk.Status
		}
	}
	t.Fatalf("no task %s", code)
	return ""
}
