package api_test

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/enterprise"
)

// creditCode is a valid unified social credit code for test n (0–7).
func creditCode(t *testing.T, n int) string {
	t.Helper()
	c, err := enterprise.MakeCreditCode("91370602", fmt.Sprintf("MA4K%c00%d", 'A'+n, n))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func enterpriseTotal(t *testing.T, c *client, q string) int {
	t.Helper()
	var l struct {
		Total int `json:"total"`
	}
	c.do("GET", "/api/v1/enterprises?q="+url.QueryEscape(q), nil).status(200).json(&l)
	return l.Total
}

func TestImportMoreEnterprisesBadCodeThenFixed(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		const tpl = "/api/v1/templates/enterprises.xlsx"
		_, dict := fillTemplate(t, sup, tpl, nil)
		if len(dict["街道"]) != 12 || !slices.Contains(dict["街道"], "向阳街道") || len(dict["服务专员"]) == 0 {
			t.Fatalf("dictionary %v", dict)
		}
		good, fixed := creditCode(t, 1), creditCode(t, 2)
		bad := fixed[:17] + "0" // the 18th (check) character is wrong
		if bad == fixed {
			bad = fixed[:17] + "1"
		}
		rows := [][]any{
			{good, "导入接口甲公司", "2.5亿元", "文旅", "东山街道", "", "是", "中国500强", "是", dict["服务专员"][0], "", ""},
			{bad, "导入接口乙公司", "800", "", "", "", "", "", "", "", "", ""},
		}
		data, _ := fillTemplate(t, sup, tpl, rows)
		before := enterpriseTotal(t, sup, "导入接口")
		var dry importResult
		upload(sup, "/api/v1/enterprises/import?dry_run=true", data).status(200).json(&dry)
		if len(dry.Problems) != 1 || dry.Problems[0].Row != 4 || dry.Problems[0].Column != "统一社会信用代码（A列）" || dry.Problems[0].Value != bad ||
			dry.Problems[0].Message != "统一社会信用代码有误：第18位校验码应为"+fixed[17:] {
			t.Fatalf("dry run %+v", dry)
		}
		var p importProblem
		upload(sup, "/api/v1/enterprises/import", data).status(422).json(&p)
		if len(p.Problems) != 1 || p.Problems[0].Row != 4 {
			t.Fatalf("commit with a bad row %+v", p)
		}
		if n := enterpriseTotal(t, sup, "导入接口"); n != before {
			t.Fatalf("a refused import registered %d enterprises", n-before)
		}
		rows[1][0] = fixed
		data, _ = fillTemplate(t, sup, tpl, rows)
		var res importResult
		upload(sup, "/api/v1/enterprises/import?dry_run=false", data).status(200).json(&res)
		if res.Created != 2 || len(res.Problems) != 0 {
			t.Fatalf("commit %+v", res)
		}
		var l struct {
			Items []map[string]any `json:"items"`
		}
		sup.do("GET", "/api/v1/enterprises?q="+good, nil).status(200).json(&l)
		if len(l.Items) != 1 || l.Items[0]["registered_capital_wan"] != 25000.0 || l.Items[0]["top500"] != "china" || l.Items[0]["street"] != "东山街道" {
			t.Fatalf("imported enterprise %v", l.Items)
		}
		upload(sup, "/api/v1/enterprises/import?dry_run=false", data).status(200).json(&res)
		if res.Created != 0 || res.Updated != 0 || res.Unchanged != 2 {
			t.Errorf("re-import %+v", res)
		}
		// The list's export imports back as unchanged.
		exp := sup.do("GET", "/api/v1/enterprises/export?q="+url.QueryEscape("导入接口"), nil).status(200)
		upload(sup, "/api/v1/enterprises/import?dry_run=true", exp.body).status(200).json(&res)
		if res.Created != 0 || res.Updated != 0 || res.Unchanged != 2 || len(res.Problems) != 0 {
			t.Errorf("export re-imported %+v", res)
		}
		// A unit reporter may not write enterprises.
		upload(e.login("zhujianju"), "/api/v1/enterprises/import", data).status(403)
		e.login("zhujianju").do("GET", tpl, nil).status(403)
	})
}

func TestImportMoreLeadsInYiAndTheStageRule(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		const tpl = "/api/v1/templates/leads.xlsx"
		row := func(code, amount, stage string, dates ...any) []any {
			r := []any{code, "接口投资方", "接口项目" + code, "新材料", amount, "", "区商务局", "是", stage, "", "", "", "", "", "", "", "", ""}
			copy(r[9:], dates)
			return r
		}
		rows := [][]any{row("ZS-API-1", "1.5亿元", "签约", "2022年3月1日", "2022/6/18"), row("ZS-API-2", "30,000", "", 44805)} // 44805: 2022-09-01
		data, dict := fillTemplate(t, sup, tpl, rows)
		if !slices.Equal(dict["阶段"], []string{"洽谈", "签约", "注册落地", "开工", "投产", "终止"}) {
			t.Fatalf("stages %v", dict["阶段"])
		}
		var res importResult
		upload(sup, "/api/v1/leads/import?dry_run=false", data).status(200).json(&res)
		if res.Created != 2 {
			t.Fatalf("commit %+v", res)
		}
		var l struct {
			Items     []map[string]any `json:"items"`
			AmountWan float64          `json:"amount_wan"`
		}
		sup.do("GET", "/api/v1/leads?q=ZS-API&sort=code", nil).status(200).json(&l)
		if len(l.Items) != 2 || l.AmountWan != 45000 || l.Items[0]["stage"] != "signed" || l.Items[0]["signed_on"] != "2022-06-18" ||
			l.Items[1]["negotiating_on"] != "2022-09-01" || l.Items[1]["top500"] != true {
			t.Fatalf("leads %+v", l)
		}
		// From negotiation to operating in one go, without the dates between: refused, row by row.
		rows[1] = row("ZS-API-2", "30,000", "投产", 44805)
		data, _ = fillTemplate(t, sup, tpl, rows)
		var p importProblem
		upload(sup, "/api/v1/leads/import", data).status(422).json(&p)
		if len(p.Problems) != 1 || p.Problems[0].Row != 4 || p.Problems[0].Column != "签约日期（K列）" ||
			!strings.Contains(p.Problems[0].Message, "不能跳过“签约”直接进入“投产”") {
			t.Fatalf("stage jump %+v", p)
		}
		sup.do("GET", "/api/v1/leads?q=ZS-API-2", nil).status(200).json(&l)
		if l.Items[0]["stage"] != "negotiating" {
			t.Errorf("refused import moved the lead: %v", l.Items[0]["stage"])
		}
		// The list's export imports back as unchanged.
		exp := sup.do("GET", "/api/v1/leads/export?q=ZS-API", nil).status(200)
		upload(sup, "/api/v1/leads/import?dry_run=true", exp.body).status(200).json(&res)
		if res.Unchanged != 2 || res.Created+res.Updated != 0 || len(res.Problems) != 0 {
			t.Errorf("export re-imported %+v", res)
		}
	})
}

func TestImportMoreCasesWithTwoUnits(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		const tpl = "/api/v1/templates/cases.xlsx"
		due := date.Of(time.Now().AddDate(0, 0, 20)).String()
		rows := [][]any{{"", "API-LW-1", "批示", "关于背街小巷整治的批示", "年底前完成", "紧急", "", "", "", "", "区住建局、区综合执法局", due}}
		data, dict := fillTemplate(t, sup, tpl, rows)
		if len(dict["类型"]) != 5 || !slices.Contains(dict["承办单位"], "区住建局") {
			t.Fatalf("dictionary %v", dict)
		}
		var res importResult
		upload(sup, "/api/v1/cases/import?dry_run=true", data).status(200).json(&res)
		if res.Created != 1 || res.DryRun != true {
			t.Fatalf("dry run %+v", res)
		}
		upload(sup, "/api/v1/cases/import", data).status(200).json(&res)
		if res.Created != 1 {
			t.Fatalf("commit %+v", res)
		}
		var l struct {
			Items []struct {
				ID    int    `json:"id"`
				Code  string `json:"code"`
				State string `json:"state"`
				Tasks []struct {
					UnitName string `json:"unit_name"`
					Role     string `json:"role"`
				} `json:"tasks"`
			} `json:"items"`
		}
		sup.do("GET", "/api/v1/cases?q="+url.QueryEscape("背街小巷"), nil).status(200).json(&l)
		if len(l.Items) != 1 || l.Items[0].State != "open" || len(l.Items[0].Tasks) != 2 || l.Items[0].Tasks[0].Role != "parallel" || l.Items[0].Tasks[1].Role != "parallel" {
			t.Fatalf("case %+v", l.Items)
		}
		upload(sup, "/api/v1/cases/import", data).status(200).json(&res)
		if res.Unchanged != 1 || res.Created != 0 {
			t.Errorf("re-import %+v", res)
		}
		// The list's export (matched by 编号) imports back as unchanged.
		exp := sup.do("GET", "/api/v1/cases/export?q="+url.QueryEscape("背街小巷"), nil).status(200)
		upload(sup, "/api/v1/cases/import?dry_run=true", exp.body).status(200).json(&res)
		if res.Unchanged != 1 || res.Created+res.Updated != 0 || len(res.Problems) != 0 {
			t.Errorf("export re-imported %+v", res)
		}
		// The unit reporter sees the case (its unit has a task) and may raise
		// cases by import too, but not change this one's deadline.
		zj := e.login("zhujianju")
		rows[0][11] = date.Of(time.Now().AddDate(0, 0, 40)).String()
		data, _ = fillTemplate(t, zj, tpl, rows)
		var p importProblem
		upload(zj, "/api/v1/cases/import", data).status(422).json(&p)
		if len(p.Problems) != 1 || p.Problems[0].Column != "办理期限（L列）" || !strings.Contains(p.Problems[0].Message, "请申请延期") {
			t.Errorf("deadline change %+v", p)
		}
		upload(e.login("viewer"), "/api/v1/cases/import", data).status(403)
	})
}

// TestImportMoreVisitsFromOpenpyxl: a visits sheet written by openpyxl (an
// independent library, with a real date cell) imports, and its problem
// becomes a case.
func TestImportMoreVisitsFromOpenpyxl(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		py = needTool(t, "python3")
	}
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		code := creditCode(t, 3)
		sup.do("POST", "/api/v1/enterprises", map[string]any{"credit_code": code, "name": "外部表格走访企业"}).status(201)
		_, dict := fillTemplate(t, sup, "/api/v1/templates/visits.xlsx", nil)
		visitor := dict["走访人"][0]
		src := filepath.Join(t.TempDir(), "visits.xlsx")
		script := fmt.Sprintf(`
import datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "走访记录"
ws.append(["走访日期", "统一社会信用代码", "走访人", "走访情况", "反映问题", "承办单位"])
ws.append([datetime.date(2022, 9, 8), %q, %q, "了解用工情况", "招工难", "区工信局"])
ws.append(["2022年9月9日", %q, %q, "回访", None, None])
wb.save(%q)
`, code, visitor, strings.ToLower(code), visitor, src)
		if out, err := exec.Command(py, "-c", script).CombinedOutput(); err != nil {
			t.Fatalf("openpyxl: %v\n%s", err, out)
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		var res importResult
		upload(sup, "/api/v1/visits/import", data).status(200).json(&res)
		if res.Created != 2 || len(res.Problems) != 0 {
			t.Fatalf("openpyxl visits %+v", res)
		}
		var l struct {
			Items []struct {
				VisitDate string `json:"visit_date"`
				Problems  []struct {
					Title    string `json:"title"`
					CaseCode string `json:"case_code"`
				} `json:"problems"`
			} `json:"items"`
		}
		sup.do("GET", "/api/v1/visits?sort=visit_date&q="+code, nil).status(200).json(&l)
		if len(l.Items) != 2 || l.Items[0].VisitDate != "2022-09-08" || l.Items[1].VisitDate != "2022-09-09" ||
			len(l.Items[0].Problems) != 1 || l.Items[0].Problems[0].Title != "招工难" || l.Items[0].Problems[0].CaseCode == "" {
			t.Fatalf("visits %+v", l.Items)
		}
		upload(sup, "/api/v1/visits/import", data).status(200).json(&res)
		if res.Unchanged != 2 {
			t.Errorf("re-import %+v", res)
		}
		// The list's export imports back as unchanged (problems with their case codes).
		exp := sup.do("GET", "/api/v1/visits/export?q="+code, nil).status(200)
		upload(sup, "/api/v1/visits/import?dry_run=true", exp.body).status(200).json(&res)
		if res.Unchanged != 2 || res.Created+res.Updated != 0 || len(res.Problems) != 0 {
			t.Errorf("export re-imported %+v", res)
		}
	})
}
