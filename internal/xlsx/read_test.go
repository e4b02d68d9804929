package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongjian/internal/date"
	"gongjian/internal/errs"
)

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]float64{
		"12":          12,
		" 1,234.5 ":   1234.5,
		"１２３４．５":      1234.5,
		"１，２３４":       1234,
		"-3":          -3,
		"+7":          7,
		"85%":         0.85,
		"８５％":         0.85,
		"1.5E+3":      1500,
		"0.125":       0.125,
		"12 345":      12345,
		"−2":          -2,
		"1,000,000.0": 1e6,
	} {
		got, err := ParseNumber(in)
		if err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "1.2.3", "NaN", "Inf", "0x10", "12元", "--1", "1_000"} {
		if _, err := ParseNumber(in); err == nil {
			t.Errorf("ParseNumber(%q) accepted", in)
		}
	}
	if _, err := ParseNumber("abc"); err == nil || !strings.Contains(err.Error(), "“abc”不是有效的数字") {
		t.Errorf("message: %v", err)
	}
}

func TestParseYuan(t *testing.T) {
	cases := []struct {
		in, unit string
		want     int64
	}{
		{"1.5亿元", "万元", 150_000_000},
		{"1.5亿", "", 150_000_000},
		{"1,234万", "", 12_340_000},
		{"1,234万元", "元", 12_340_000},
		{"３００", "万元", 3_000_000},
		{"300", "", 300},
		{"300", "元", 300},
		{"300", "亿元", 30_000_000_000},
		{"¥1,234.56", "", 1235}, // half a yuan and more rounds up
		{"1234.4元", "万元", 1234},
		{"0.0001", "万元", 1},
		{"12345.6789", "万元", 123_456_789}, // exact, no float error
		{"-5万元", "", -50_000},
		{"8 000 万元", "", 80_000_000},
		{"２．５亿元", "", 250_000_000},
		{"3千元", "万元", 3000},
		{"28.6", "亿元", 2_860_000_000},
	}
	for _, c := range cases {
		got, err := ParseYuan(c.in, c.unit)
		if err != nil || got != c.want {
			t.Errorf("ParseYuan(%q, %q) = %d, %v; want %d", c.in, c.unit, got, err, c.want)
		}
	}
	for _, in := range []string{"", "万元", "abc", "1.2.3万", "5%", "1/2", "1e30亿元", "万5"} {
		if v, err := ParseYuan(in, "万元"); err == nil {
			t.Errorf("ParseYuan(%q) accepted as %d", in, v)
		}
	}
	if _, err := ParseYuan("一百万", "万元"); err == nil || !strings.Contains(err.Error(), "“一百万”不是有效的金额") {
		t.Errorf("message: %v", err)
	}
}

func TestParseDate(t *testing.T) {
	want := date.New(2022, time.September, 8)
	for _, in := range []string{"44812", "44812.75", "2022年9月8日", "2022年09月08日", "2022 年 9 月 8 日", "2022/9/8", "2022-09-08", "2022.9.8",
		"２０２２－０９－０８", "2022-09-08 00:00:00", "2022/9/8 9:30", "20220908", "2022年9月8号"} {
		got, err := ParseDate(in)
		if err != nil || got != want {
			t.Errorf("ParseDate(%q) = %v, %v; want 2022-09-08", in, got, err)
		}
	}
	// Serials around Excel's phantom 1900-02-29 and the first of 1900.
	for in, want := range map[string]date.Date{"1": date.New(1899, 12, 31), "61": date.New(1900, 3, 1), "45658": date.New(2025, 1, 1)} {
		// Serial 1 is 1900-01-01 in Excel; our epoch puts 1 at 1899-12-31 because
		// Excel counts a 1900-02-29 that never was, so only serials after 60 agree,
		// which is every date a report can hold.
		if in == "1" {
			continue
		}
		if got, err := ParseDate(in); err != nil || got != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "2022-02-30", "2022/13/1", "9/8/2022", "22-9-8", "明天", "2022年9月", "0", "-5", "3000000", "2022-09-08-01", "2022--09"} {
		if d, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) accepted as %v", in, d)
		}
	}
	if _, err := ParseDate("2022-02-30"); err == nil || !strings.Contains(err.Error(), "2022年2月没有30日") {
		t.Errorf("message: %v", err)
	}
}

func TestFindHeader(t *testing.T) {
	fields := []Field{
		{Key: "code", Labels: []string{"编号", "项目编号"}, Required: true},
		{Key: "name", Labels: []string{"名称", "项目名称"}, Required: true},
		{Key: "amount", Labels: []string{"总投资（万元）"}},
		{Key: "leader", Labels: []string{"Leader"}},
	}
	rows := [][]string{
		{"2022年重点项目清单"},                         // a merged title
		{"", "基本信息", "", "投资"},                  // a merged group heading
		{"* 编 号", "＊项目名称", "总投资（万元）", "LEADER"}, // spaces, full-width star, case
		{"XM-1", "芝罘湾广场", "1200"},
	}
	cols, at, err := FindHeader(rows, fields)
	if err != nil {
		t.Fatal(err)
	}
	if at != 2 || cols["code"] != 0 || cols["name"] != 1 || cols["amount"] != 2 || cols["leader"] != 3 {
		t.Errorf("cols %v at %d", cols, at)
	}
	// Full-width parentheses in the sheet, half-width in the label.
	if cols, _, err := FindHeader([][]string{{"编号", "名称", "总投资(万元)"}}, fields); err != nil || cols["amount"] != 2 {
		t.Errorf("width-insensitive match: %v %v", cols, err)
	}
	_, _, err = FindHeader([][]string{{"编号", "总投资（万元）"}}, fields)
	if errs.KindOf(err) != errs.KindInvalid || !strings.Contains(err.Error(), "表头缺少必填列：名称") {
		t.Errorf("missing column: %v", err)
	}
	_, _, err = FindHeader([][]string{{"甲", "乙"}}, fields)
	if errs.KindOf(err) != errs.KindInvalid || !strings.Contains(err.Error(), "找不到表头行") {
		t.Errorf("no header: %v", err)
	}
}

// book builds an .xlsx with excelize's normal (non-streaming) API.
func book(t testing.TB, build func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	build(f)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRowsReadsRawValuesFormulasAndSkipsEmptyRows(t *testing.T) {
	data := book(t, func(f *excelize.File) {
		f.SetSheetName("Sheet1", "项目")
		f.SetCellStr("项目", "A1", "重点项目")
		f.MergeCell("项目", "A1", "D1")
		f.SetSheetRow("项目", "A2", &[]any{"编号", "名称", "总投资", "开工日期"})
		f.SetSheetRow("项目", "A3", &[]any{"XM-1", "芝罘湾广场", 1234.5, time.Date(2022, 9, 8, 0, 0, 0, 0, time.UTC)})
		pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
		f.SetCellValue("项目", "C5", 0.85)
		f.SetCellStyle("项目", "C5", "C5", pct)
		f.SetCellStr("项目", "A5", "XM-2")
		// A formula with its cached value, as Excel and LibreOffice store it.
		f.SetCellFormula("项目", "C6", "C3*2")
		f.SetCellValue("项目", "C6", 2469)
		f.SetCellFormula("项目", "C6", "C3*2")
		f.SetCellStr("项目", "A6", "XM-3")
		// Trailing rows that only look used.
		f.SetCellStr("项目", "A9", "  ")
		f.SetRowHeight("项目", 20, 30)
	})
	b, err := Open(bytes.NewReader(data), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got := b.Sheets(); len(got) != 1 || got[0] != "项目" {
		t.Fatalf("sheets %v", got)
	}
	var nums []int
	var rows [][]string
	if err := b.Rows("项目", func(row int, cells []string) error {
		nums = append(nums, row)
		rows = append(rows, cells)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 2, 3, 5, 6}; !equalInts(nums, want) {
		t.Fatalf("row numbers %v, want %v", nums, want)
	}
	if rows[2][2] != "1234.5" || rows[2][3] != "44812" {
		t.Errorf("raw number and date serial: %q", rows[2])
	}
	if rows[3][2] != "0.85" {
		t.Errorf("percent raw value: %q", rows[3][2])
	}
	if rows[4][2] != "2469" {
		t.Errorf("formula cached value: %q", rows[4])
	}
	// Table finds the header under the merged title and names rows by number.
	var codes []string
	var at []int
	err = b.Table("项目", []Field{{Key: "code", Labels: []string{"编号"}, Required: true}, {Key: "start", Labels: []string{"开工日期"}}}, func(r Record) error {
		codes = append(codes, r.Get("code"))
		at = append(at, r.Row)
		if r.Row == 3 {
			if d, err := ParseDate(r.Get("start")); err != nil || d != date.New(2022, 9, 8) {
				t.Errorf("date cell: %v %v", d, err)
			}
			if r.Column("start") != "D" {
				t.Errorf("column letter %q", r.Column("start"))
			}
		}
		return nil
	})
	if err != nil || strings.Join(codes, ",") != "XM-1,XM-2,XM-3" || !equalInts(at, []int{3, 5, 6}) {
		t.Errorf("table: %v %v %v", codes, at, err)
	}
	// fn's error comes back as is.
	stop := errors.New("stop here")
	if err := b.Rows("项目", func(int, []string) error { return stop }); err != stop {
		t.Errorf("error from fn: %v", err)
	}
	if err := b.Rows("没有", func(int, []string) error { return nil }); errs.KindOf(err) != errs.KindInvalid {
		t.Errorf("missing sheet: %v", err)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func invalidWith(t *testing.T, err error, key, text string) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.KindInvalid || len(e.Fields) == 0 || e.Fields[0].Key != key || !strings.Contains(e.Message, text) {
		t.Errorf("want invalid %s containing %q, got %v", key, text, err)
	}
}

func TestOpenRefusesWhatIsNotAWorkbook(t *testing.T) {
	lim := DefaultLimits()
	// Over the size limit.
	small := Limits{MaxBytes: 1000, MaxUnzipped: 1 << 20, MaxRows: 10}
	_, err := Open(bytes.NewReader(bytes.Repeat([]byte("a,b\n"), 300)), small)
	invalidWith(t, err, "import.too_large", "文件超过")
	// An old .xls / encrypted workbook (OLE2 signature).
	_, err = Open(bytes.NewReader(append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 500)...)), lim)
	invalidWith(t, err, "import.not_xlsx", ".xls")
	// A PNG.
	_, err = Open(bytes.NewReader([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")), lim)
	invalidWith(t, err, "import.not_xlsx", ".xlsx")
	// A zip that is not a workbook.
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	w, _ := zw.Create("readme.txt")
	w.Write([]byte("hello"))
	zw.Close()
	_, err = Open(bytes.NewReader(z.Bytes()), lim)
	invalidWith(t, err, "import.not_xlsx", "不是有效的 .xlsx")
	// A truncated workbook.
	data := book(t, func(f *excelize.File) { f.SetCellStr("Sheet1", "A1", "x") })
	_, err = Open(bytes.NewReader(data[:len(data)/2]), lim)
	invalidWith(t, err, "import.not_xlsx", "不是有效的 .xlsx")
	// Empty.
	_, err = Open(bytes.NewReader(nil), lim)
	invalidWith(t, err, "import.empty", "空")
}

func TestOpenRefusesZipBombs(t *testing.T) {
	// 64 MiB of zeros compress to about 64 KiB: a small upload that unpacks
	// past the limit.
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(name)
		w.Write([]byte("<x/>"))
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	zero := make([]byte, 1<<20)
	for range 64 {
		w.Write(zero)
	}
	zw.Close()
	if z.Len() > 1<<20 {
		t.Fatalf("bomb is %d bytes", z.Len())
	}
	_, err := Open(bytes.NewReader(z.Bytes()), Limits{MaxBytes: 20 << 20, MaxUnzipped: 32 << 20, MaxRows: 100})
	invalidWith(t, err, "import.zip_bomb", "压缩炸弹")
	// A part whose header lies about its size is caught by archive/zip while
	// reading; here the declared sizes are the truth and the sum trips.
}

func TestRowLimit(t *testing.T) {
	data := book(t, func(f *excelize.File) {
		for i := 1; i <= 12; i++ {
			f.SetCellInt("Sheet1", "A"+itoa(i), int64(i))
		}
	})
	b, err := Open(bytes.NewReader(data), Limits{MaxBytes: 1 << 20, MaxUnzipped: 1 << 20, MaxRows: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n := 0
	err = b.Rows("Sheet1", func(int, []string) error { n++; return nil })
	invalidWith(t, err, "import.too_many_rows", "10 行")
	if n != 10 {
		t.Errorf("read %d rows before refusing", n)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestOpenCSV(t *testing.T) {
	fields := []Field{{Key: "code", Labels: []string{"编号"}, Required: true}, {Key: "name", Labels: []string{"名称"}, Required: true}}
	text := "编号,名称,金额\r\nXM-1,芝罘湾广场,\"1,200万\"\r\n\r\nXM-2,\"多行\n名称\",3\r\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"utf8": text, "utf8-bom": "\xEF\xBB\xBF" + text, "gb18030": gb} {
		b, err := Open(strings.NewReader(data), DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !b.IsCSV() || b.Pick("项目") != CSVSheet {
			t.Errorf("%s: sheets %v", name, b.Sheets())
		}
		var got []string
		var rows []int
		err = b.Table(CSVSheet, fields, func(r Record) error {
			got = append(got, r.Get("code")+"="+r.Get("name"))
			rows = append(rows, r.Row)
			return nil
		})
		if err != nil || strings.Join(got, "|") != "XM-1=芝罘湾广场|XM-2=多行\n名称" || !equalInts(rows, []int{2, 4}) {
			t.Errorf("%s: %q %v %v", name, got, rows, err)
		}
	}
	// Tab separated text, as copied out of a spreadsheet.
	b, err := Open(strings.NewReader("编号\t名称\nXM-9\t烟台港\n"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	var got string
	b.Table(CSVSheet, fields, func(r Record) error { got = r.Get("name"); return nil })
	if got != "烟台港" {
		t.Errorf("tsv: %q", got)
	}
}

func TestUnquoteUndoesSafe(t *testing.T) {
	for _, s := range []string{"=1+1", "+86", "-5", "@a", "正常", "'quoted"} {
		if got := Unquote(Safe(s)); got != s {
			t.Errorf("Unquote(Safe(%q)) = %q", s, got)
		}
	}
}

func TestTemplateReadsBack(t *testing.T) {
	tpl := Template{
		Sheet: "项目", Title: "重点项目导入模板",
		Instructions: []string{"编号相同的行会更新已有项目。"},
		Columns: []TemplateColumn{
			{Header: "编号", Required: true, Example: "XM-2022-001", Format: "text", Locked: true},
			{Header: "名称", Required: true, Example: "芝罘湾广场改造"},
			{Header: "状态", Choices: []string{"未开工", "在建", "已竣工"}, Example: "在建", Note: "项目所处阶段"},
			{Header: "总投资（万元）", Format: "yuan_wan", Example: "12000"},
			{Header: "计划开工", Format: "date", Example: "2022-09-08"},
		},
		Rows: [][]any{{"XM-1", "=cmd()", "在建", 1200.5, date.New(2022, 9, 8)}},
	}
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, tpl); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); strings.Join(got, ",") != "项目,字典,说明" {
		t.Errorf("sheets %v", got)
	}
	if vis, _ := f.GetSheetVisible("字典"); vis {
		t.Error("the dictionary sheet is visible")
	}
	if v, _ := f.GetCellValue("项目", "A2"); v != "*编号" {
		t.Errorf("required header %q", v)
	}
	if v, _ := f.GetCellValue("字典", "A3"); v != "在建" {
		t.Errorf("dictionary %q", v)
	}
	dvs, _ := f.GetDataValidations("项目")
	var drop string
	for _, dv := range dvs {
		if strings.HasPrefix(dv.Sqref, "C3:") {
			drop = dv.Formula1
		}
	}
	if !strings.Contains(drop, "字典") || !strings.Contains(drop, "$A$2:$A$4") {
		t.Errorf("dropdown formula %q (validations %d)", drop, len(dvs))
	}
	prot, err := f.GetSheetProtection("项目")
	if err != nil || !prot.SelectLockedCells {
		t.Errorf("protection %+v %v", prot, err)
	}
	if v, _ := f.GetCellValue("项目", "B3"); v != "'=cmd()" {
		t.Errorf("pre-filled text not neutralised: %q", v)
	}
	// Reading it back through Open/Table gives the pre-filled row, not the
	// example (which lives on the 说明 sheet).
	b, err := Open(bytes.NewReader(buf.Bytes()), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	fields := []Field{{Key: "code", Labels: []string{"编号"}, Required: true}, {Key: "name", Labels: []string{"名称"}, Required: true},
		{Key: "amount", Labels: []string{"总投资（万元）"}}, {Key: "start", Labels: []string{"计划开工"}}}
	var recs []Record
	if err := b.Table(b.Pick("项目"), fields, func(r Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Row != 3 || recs[0].Get("name") != "=cmd()" {
		t.Fatalf("records %+v", recs)
	}
	if y, err := ParseYuan(recs[0].Get("amount"), "万元"); err != nil || y != 12_005_000 {
		t.Errorf("amount %d %v", y, err)
	}
	if d, err := ParseDate(recs[0].Get("start")); err != nil || d != date.New(2022, 9, 8) {
		t.Errorf("date %v %v", d, err)
	}
	ex, _ := f.GetRows("说明")
	joined := ""
	for _, r := range ex {
		joined += strings.Join(r, "|") + "\n"
	}
	if !strings.Contains(joined, "XM-2022-001|芝罘湾广场改造|在建|12000|2022-09-08") || !strings.Contains(joined, "编号相同的行会更新已有项目") {
		t.Errorf("instructions sheet lacks the example row or the instructions:\n%s", joined)
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1,234.5", "８５％", "-3", "1e3", "abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseNumber(s)
		if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Errorf("ParseNumber(%q) = %v", s, v)
		}
	})
}

func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"1.5亿元", "1,234万", "３００", "¥12.5", "x", "1e999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseYuan(s, "万元")
		if err == nil && (v > maxYuan || v < -maxYuan) {
			t.Errorf("ParseYuan(%q) = %d beyond the bound", s, v)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"44812", "2022年9月8日", "2022/9/8", "2022-09-08", "2022.9.8", "20220908", "2022-02-30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err == nil && (d.IsZero() || d.Time().Year() < 1899 || d.Time().Year() > 9999) {
			t.Errorf("ParseDate(%q) = %v", s, d)
		}
	})
}

func FuzzOpen(f *testing.F) {
	f.Add(book(f, func(x *excelize.File) { x.SetCellStr("Sheet1", "A1", "编号"); x.SetCellStr("Sheet1", "A2", "XM-1") }))
	f.Add([]byte("编号,名称\nXM-1,a\n"))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0})
	lim := Limits{MaxBytes: 1 << 20, MaxUnzipped: 4 << 20, MaxRows: 1000}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Open(bytes.NewReader(data), lim)
		if err != nil {
			if errs.KindOf(err) != errs.KindInvalid {
				t.Fatalf("Open error is not an input error: %v", err)
			}
			return
		}
		defer b.Close()
		for _, s := range b.Sheets() {
			_ = b.Rows(s, func(int, []string) error { return nil })
		}
	})
}
