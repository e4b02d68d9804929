package api_test

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const xlsxCT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

type importResult struct {
	DryRun    bool `json:"dry_run"`
	Created   int  `json:"created"`
	Updated   int  `json:"updated"`
	Unchanged int  `json:"unchanged"`
	Problems  []struct {
		Sheet   string `json:"sheet"`
		Row     int    `json:"row"`
		Column  string `json:"column"`
		Value   string `json:"value"`
		Message string `json:"message"`
	} `json:"problems"`
}

type importProblem struct {
	Status   int    `json:"status"`
	Key      string `json:"key"`
	Detail   string `json:"detail"`
	Problems []struct {
		Sheet   string `json:"sheet"`
		Row     int    `json:"row"`
		Column  string `json:"column"`
		Value   string `json:"value"`
		Message string `json:"message"`
	} `json:"problems"`
}

func campaignID(t *testing.T, c *client) int {
	t.Helper()
	var cs struct {
		Items []struct {
			ID   int    `json:"id"`
			Code string `json:"code"`
		} `json:"items"`
	}
	c.do("GET", "/api/v1/campaigns", nil).status(200).json(&cs)
	if len(cs.Items) == 0 {
		t.Fatal("the demo has no campaign")
	}
	return cs.Items[0].ID
}

func upload(c *client, path string, data []byte) *response {
	return c.do("POST", path, string(data), "Content-Type", xlsxCT)
}

// itemTotal reads an item by code through the list API.
func itemByCode(t *testing.T, c *client, code string) map[string]any {
	t.Helper()
	var l struct {
		Items []map[string]any `json:"items"`
	}
	c.do("GET", "/api/v1/items?q="+url.QueryEscape(code), nil).status(200).json(&l)
	for _, it := range l.Items {
		if it["code"] == code {
			return it
		}
	}
	return nil
}

// fillTemplate downloads the items template, checks its shape and fills rows
// into its data sheet below the header, the way a user does in Excel.
func fillTemplate(t *testing.T, c *client, path string, rows [][]any) ([]byte, map[string][]string) {
	t.Helper()
	r := c.do("GET", path, nil).status(200)
	if ct := r.res.Header.Get("Content-Type"); ct != xlsxCT {
		t.Fatalf("template content type %q", ct)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("template is not a workbook: %v", err)
	}
	sheets := f.GetSheetList()
	dict := map[string][]string{}
	cols, _ := f.GetCols("字典")
	for _, col := range cols {
		for _, v := range col[1:] {
			if v != "" {
				dict[col[0]] = append(dict[col[0]], v)
			}
		}
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, 3+i)
		if err := f.SetSheetRow(sheets[0], cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), dict
}

func TestImportItemsRoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		cid := campaignID(t, sup)
		tpl := fmt.Sprintf("/api/v1/templates/items.xlsx?campaign_id=%d", cid)
		_, dict := fillTemplate(t, sup, tpl, nil)
		leaders, units := dict["责任领导"], dict["牵头单位"]
		if len(leaders) < 2 || len(units) < 3 || len(dict["事项类型"]) != 4 {
			t.Fatalf("dictionary sheet: %v", dict)
		}
		serial := "44812" // 2022-09-08 as Excel stores it
		rows := [][]any{
			{"IMP-001", "芝罘湾广场导入测试", "重点项目", "市级", "推进中", "", "", leaders[0], units[0], units[1] + "、" + units[2], "年内完工", "1.5亿元", "5,000", serial, "2022年12月31日"},
			{"IMP-002", "老旧小区改造导入测试", "为民实事", "", "", "", "", leaders[1], units[1], "", "", "３００", "", "2022/3/1", "2022-11-30"},
		}
		data, _ := fillTemplate(t, sup, tpl, rows)
		path := fmt.Sprintf("/api/v1/items/import?campaign_id=%d", cid)

		var dry importResult
		upload(sup, path+"&dry_run=true", data).status(200).json(&dry)
		if !dry.DryRun || dry.Created != 2 || dry.Updated != 0 || len(dry.Problems) != 0 {
			t.Fatalf("dry run: %+v", dry)
		}
		if itemByCode(t, sup, "IMP-001") != nil {
			t.Fatal("the dry run wrote an item")
		}
		var res importResult
		upload(sup, path+"&dry_run=false", data).status(200).json(&res)
		if res.Created != 2 {
			t.Fatalf("commit: %+v", res)
		}
		it := itemByCode(t, sup, "IMP-001")
		if it == nil || it["total_investment_wan"] != 15000.0 || it["annual_investment_wan"] != 5000.0 || it["start_date"] != "2022-09-08" ||
			it["end_date"] != "2022-12-31" || it["type"] != "key_project" || it["level"] != "city" || it["leader_name"] != leaders[0] ||
			len(it["co_units"].([]any)) != 2 {
			t.Errorf("imported item: %v", it)
		}
		if it := itemByCode(t, sup, "IMP-002"); it == nil || it["total_investment_wan"] != 300.0 || it["start_date"] != "2022-03-01" || it["state"] != "in_progress" {
			t.Errorf("second item: %v", it)
		}
		// The same file again changes nothing.
		upload(sup, path+"&dry_run=false", data).status(200).json(&res)
		if res.Created != 0 || res.Updated != 0 || res.Unchanged != 2 {
			t.Errorf("re-import: %+v", res)
		}
		// One changed cell updates one item.
		rows[1][11] = "450"
		data, _ = fillTemplate(t, sup, tpl, rows)
		upload(sup, path+"&dry_run=false", data).status(200).json(&res)
		if res.Updated != 1 || res.Unchanged != 1 {
			t.Errorf("update: %+v", res)
		}
		if it := itemByCode(t, sup, "IMP-002"); it["total_investment_wan"] != 450.0 {
			t.Errorf("updated amount %v", it["total_investment_wan"])
		}

		// A bad row: nothing is applied and the problems name row, column and value.
		bad := [][]any{
			{"IMP-003", "新事项", "重点项目", "", "", "", "", leaders[0], units[0], "", "", "100", "", "2022-09-08", ""},
			{"IMP-004", "错误事项", "重点项目", "", "", "", "", "不存在的领导", units[0], "", "", "一百万", "", "2022-02-30", ""},
		}
		data, _ = fillTemplate(t, sup, tpl, bad)
		upload(sup, path+"&dry_run=true", data).status(200).json(&dry)
		if len(dry.Problems) != 3 || dry.Created != 0 {
			t.Fatalf("dry run with problems: %+v", dry)
		}
		var p importProblem
		upload(sup, path+"&dry_run=false", data).status(422).json(&p)
		if len(p.Problems) != 3 {
			t.Fatalf("422 problems: %+v", p)
		}
		byCol := map[string]string{}
		for _, pr := range p.Problems {
			if pr.Row != 4 || pr.Sheet != "事项" {
				t.Errorf("problem located at %s row %d", pr.Sheet, pr.Row)
			}
			byCol[pr.Column] = pr.Value + "|" + pr.Message
		}
		if !strings.Contains(byCol["责任领导（H列）"], "不存在的领导|找不到人员“不存在的领导”") ||
			!strings.Contains(byCol["总投资（万元）（L列）"], "一百万|“一百万”不是有效的金额") ||
			!strings.Contains(byCol["开始日期（N列）"], "2022年2月没有30日") {
			t.Errorf("problems by column: %v", byCol)
		}
		if itemByCode(t, sup, "IMP-003") != nil {
			t.Error("the good row of a failed import was applied")
		}
		// Not a workbook, and no right to import.
		pb := sup.do("POST", path, "%PDF-1.4\x00\x01", "Content-Type", xlsxCT).status(422).problem()
		if !strings.Contains(pb.Detail, ".xlsx") {
			t.Errorf("non-xlsx: %+v", pb)
		}
		e.login("zhujianju").do("POST", path, string(data), "Content-Type", xlsxCT).status(403)
		e.login("zhujianju").do("GET", tpl, nil).status(403)
	})
}

func TestImportUnitsAndPersonsFromCSV(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		admin := e.login("duchashi")
		csv := "单位编码,单位名称,单位类型,上级单位\r\nIMP-U1,导入测试局,部门,\r\nIMP-U2,导入测试科,其他,IMP-U1\r\n"
		gb, _ := simplifiedchinese.GB18030.NewEncoder().String(csv)
		var res importResult
		admin.do("POST", "/api/v1/units/import?dry_run=false", gb, "Content-Type", "text/csv").status(200).json(&res)
		if res.Created != 2 {
			t.Fatalf("units: %+v", res)
		}
		admin.do("POST", "/api/v1/units/import?dry_run=false", "\xEF\xBB\xBF"+csv, "Content-Type", "text/csv").status(200).json(&res)
		if res.Unchanged != 2 || res.Created != 0 {
			t.Errorf("re-import as UTF-8 with BOM: %+v", res)
		}
		persons := "人员编码,姓名,职务,所属单位\nIMP-P1,导入测试员,科员,导入测试科\n"
		admin.do("POST", "/api/v1/persons/import?dry_run=false", persons, "Content-Type", "text/csv").status(200).json(&res)
		if res.Created != 1 {
			t.Fatalf("persons: %+v", res)
		}
		var ps struct {
			Items []struct {
				UnitName string `json:"unit_name"`
			} `json:"items"`
		}
		admin.do("GET", "/api/v1/persons?q=IMP-P1", nil).status(200).json(&ps)
		if len(ps.Items) != 1 || ps.Items[0].UnitName != "导入测试科" {
			t.Errorf("person: %+v", ps)
		}
		e.login("zhujianju").do("POST", "/api/v1/units/import", csv, "Content-Type", "text/csv").status(403)
	})
}

// TestImportFiftyThousandItemsWithOneBadRow: a 50,000-row import with one bad
// row applies nothing and names that row.
func TestImportFiftyThousandItemsWithOneBadRow(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		cid := campaignID(t, sup)
		_, dict := fillTemplate(t, sup, fmt.Sprintf("/api/v1/templates/items.xlsx?campaign_id=%d", cid), nil)
		leader, unit := dict["责任领导"][0], dict["牵头单位"][0]
		f := excelize.NewFile()
		sw, _ := f.NewStreamWriter("Sheet1")
		sw.SetRow("A1", []any{"事项编码", "事项名称", "事项类型", "责任领导", "牵头单位", "总投资（万元）", "开始日期"})
		const n, badRow = 50_000, 31_417
		for i := 2; i <= n+1; i++ {
			date := any(44812)
			if i == badRow {
				date = "2022-13-01"
			}
			cell, _ := excelize.CoordinatesToCellName(1, i)
			sw.SetRow(cell, []any{fmt.Sprintf("BULK-%05d", i), fmt.Sprintf("批量事项%d", i), "重点项目", leader, unit, i, date})
		}
		sw.Flush()
		var buf bytes.Buffer
		f.WriteTo(&buf)
		var p importProblem
		upload(sup, fmt.Sprintf("/api/v1/items/import?campaign_id=%d&dry_run=false", cid), buf.Bytes()).status(422).json(&p)
		if len(p.Problems) != 1 || p.Problems[0].Row != badRow || p.Problems[0].Value != "2022-13-01" {
			t.Fatalf("problems: %+v", p.Problems)
		}
		var l struct {
			Total int `json:"total"`
		}
		sup.do("GET", "/api/v1/items?q=BULK-", nil).status(200).json(&l)
		if l.Total != 0 {
			t.Errorf("%d items were applied", l.Total)
		}
	})
}

// needTool returns the path of an external program; missing, the test fails
// in CI (scripts/test.sh installs it) and elsewhere too: no skipped tests.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed (CI=%s): run scripts/test.sh, which installs LibreOffice and python3-openpyxl", name, os.Getenv("CI"))
	}
	return p
}

// TestImportFilesOfOtherPrograms: workbooks written by openpyxl (an independent
// library) and by LibreOffice (which stores formulas with their computed values)
// import correctly.
func TestImportFilesOfOtherPrograms(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		py = needTool(t, "python3")
	}
	soffice := needTool(t, "soffice")
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		cid := campaignID(t, sup)
		_, dict := fillTemplate(t, sup, fmt.Sprintf("/api/v1/templates/items.xlsx?campaign_id=%d", cid), nil)
		dir := t.TempDir()
		src := filepath.Join(dir, "openpyxl.xlsx")
		script := fmt.Sprintf(`
import datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "事项"
ws["A1"] = "2022年重点项目（外部表格）"
ws.merge_cells("A1:G1")
ws.append(["事项编码", "事项名称", "事项类型", "责任领导", "牵头单位", "总投资（万元）", "开始日期"])
ws.append(["OPX-1", "外部表格事项一", "重点项目", %q, %q, 1200, datetime.date(2022, 9, 8)])
ws.append(["OPX-2", "外部表格事项二", "专项行动", %q, %q, "=F3*2", "2022年10月1日"])
for i in range(5):
    ws.append([None] * 7)
wb.save(%q)
`, dict["责任领导"][0], dict["牵头单位"][0], dict["责任领导"][0], dict["牵头单位"][1], src)
		if out, err := exec.Command(py, "-c", script).CombinedOutput(); err != nil {
			t.Fatalf("openpyxl: %v\n%s", err, out)
		}
		// openpyxl stores the formula without a value; LibreOffice computes it.
		outDir := filepath.Join(dir, "lo")
		cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
			"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", outDir, src)
		if out, err := runWithTimeout(cmd, 3*time.Minute); err != nil {
			t.Fatalf("soffice: %v\n%s", err, out)
		}
		lo, err := os.ReadFile(filepath.Join(outDir, "openpyxl.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/items/import?campaign_id=%d&dry_run=false", cid)
		var res importResult
		upload(sup, path, lo).status(200).json(&res)
		if res.Created != 2 || len(res.Problems) != 0 {
			t.Fatalf("LibreOffice file: %+v", res)
		}
		if it := itemByCode(t, sup, "OPX-2"); it == nil || it["total_investment_wan"] != 2400.0 || it["start_date"] != "2022-10-01" {
			t.Errorf("formula read as its value: %v", it)
		}
		if it := itemByCode(t, sup, "OPX-1"); it == nil || it["start_date"] != "2022-09-08" {
			t.Errorf("date cell: %v", it)
		}
		// openpyxl's own file: its formula has no cached value, so row 4
		// imports with an empty amount; the rest is unchanged.
		direct, _ := os.ReadFile(src)
		upload(sup, path, direct).status(200).json(&res)
		if res.Created != 0 || res.Unchanged+res.Updated != 2 || len(res.Problems) != 0 {
			t.Errorf("openpyxl file: %+v", res)
		}
		if it := itemByCode(t, sup, "OPX-1"); it == nil || it["total_investment_wan"] != 1200.0 {
			t.Errorf("openpyxl amount: %v", it)
		}
	})
}

func runWithTimeout(cmd *exec.Cmd, d time.Duration) ([]byte, error) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.Bytes(), err
	case <-time.After(d):
		_ = cmd.Process.Kill()
		return out.Bytes(), fmt.Errorf("timed out after %s", d)
	}
}
