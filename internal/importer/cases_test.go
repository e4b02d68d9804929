package importer_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"gongjian/internal/date"
)

// caseRow is a row of the cases template: code, external ref, type, title,
// requirement, priority, source, item code, enterprise code, requester,
// units, deadline.
func caseRow(code, ref, typ, title, units, deadline string) []any {
	return []any{code, ref, typ, title, "", "", "", "", "", "", units, deadline}
}

func TestImportCasesAssignsUnitsInParallel(t *testing.T) {
	eachEngine(t, func(t *testing.T, x *fx) {
		_, dict := x.template("cases")
		requester := dict["交办人"][0]
		due := date.Of(time.Now().AddDate(0, 1, 0)).String()
		r1 := caseRow("", "LW-T1", "问题", "厂区周边道路积水整改", "区住建局、区综合执法局", due)
		r1[4], r1[5], r1[9] = "雨季前完成", "紧急", requester
		rows := [][]any{r1, caseRow("", "LW-T2", "会议议定事项", "幸福新城征迁收尾", "区住建局", due)}
		data := x.fill("cases", rows)
		before := x.count("cases")
		res, err := x.imp.ImportCases(x.ctx, 0, bytes.NewReader(data), true)
		counts(t, "dry run", res, err, 2, 0, 0)
		if x.count("cases") != before {
			t.Fatal("the dry run raised cases")
		}
		res, err = x.imp.ImportCases(x.ctx, 0, bytes.NewReader(data), false)
		counts(t, "commit", res, err, 2, 0, 0)
		c1, err := x.cases.ByKey(x.ctx, "", "LW-T1")
		if err != nil || c1.State != "open" || c1.Type != "problem" || c1.Priority != "urgent" || c1.Description != "雨季前完成" ||
			c1.RequesterName != requester || c1.Deadline != date.MustParse(due) || c1.ExternalRef != "LW-T1" {
			t.Fatalf("LW-T1 %+v %v", c1, err)
		}
		// Two units: two tasks handled in parallel (并联), each due by the deadline.
		if len(c1.Tasks) != 2 || c1.Tasks[0].Role != "parallel" || c1.Tasks[1].Role != "parallel" || c1.Units != "区住建局、区综合执法局" && c1.Units != "区综合执法局、区住建局" ||
			c1.Tasks[0].Due != date.MustParse(due) {
			t.Fatalf("tasks %+v", c1.Tasks)
		}
		if c2, _ := x.cases.ByKey(x.ctx, "", "LW-T2"); len(c2.Tasks) != 1 || c2.Tasks[0].Role != "lead" || c2.Type != "meeting_decision" {
			t.Fatalf("LW-T2 %+v", c2)
		}

		res, err = x.imp.ImportCases(x.ctx, 0, bytes.NewReader(data), false)
		counts(t, "re-import", res, err, 0, 0, 2)
		// By code, the way the case list exports them: unchanged too.
		byCode := [][]any{caseRow(c1.Code, "", "问题", c1.Title, "区综合执法局、区住建局", due)}
		res, err = x.imp.ImportCases(x.ctx, 0, bytes.NewReader(x.fill("cases", byCode)), false)
		counts(t, "by code", res, err, 0, 0, 1)

		// A unit may be added while the case is open.
		rows[1][10] = "区住建局、区财政局"
		res, err = x.imp.ImportCases(x.ctx, 0, bytes.NewReader(x.fill("cases", rows)), false)
		counts(t, "one more unit", res, err, 0, 1, 1)
		if c2, _ := x.cases.ByKey(x.ctx, "", "LW-T2"); len(c2.Tasks) != 2 || c2.Tasks[0].Role != "parallel" {
			t.Errorf("LW-T2 after adding a unit %+v", c2.Tasks)
		}

		// What may not change once raised, and a new case without a key.
		later := date.Of(time.Now().AddDate(0, 2, 0)).String()
		bad := [][]any{
			caseRow("", "LW-T1", "问题", "改了标题", "区住建局、区综合执法局", due),
			caseRow("", "LW-T2", "会议议定事项", "幸福新城征迁收尾", "区住建局、区财政局", later),
			caseRow("", "LW-T3", "问题", "已过期限", "区住建局", "2022-01-01"),
		}
		before = x.count("cases")
		res, err = x.imp.ImportCases(x.ctx, 0, bytes.NewReader(x.fill("cases", bad)), false)
		refused(t, res, err, map[int]string{
			3: "标题（D列）|已立案（当前为“待办理”），标题不能通过导入修改",
			4: "办理期限（L列）|请申请延期",
			5: "办理期限（L列）|早于今天",
		})
		noKey := [][]any{caseRow("", "", "问题", "没有外部编号", "区住建局", due)}
		res, err = x.imp.ImportCases(x.ctx, 0, bytes.NewReader(x.fill("cases", noKey)), true)
		if err != nil || len(res.Problems) != 1 || res.Problems[0].Column != "外部编号（B列）" || !strings.Contains(res.Problems[0].Message, "新督办件须填写外部编号") {
			t.Errorf("no key: %+v %v", res, err)
		}
		if x.count("cases") != before {
			t.Error("a refused import raised a case")
		}
	})
}
