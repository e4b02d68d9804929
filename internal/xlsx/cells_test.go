package xlsx

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/date"
)

// Amounts, dates and shares are typed cells with the formats a reader
// expects (万元 with two decimals, yyyy-mm-dd, one-decimal %), and CSV
// writes what the workbook shows.
func TestTypedCells(t *testing.T) {
	cols := []Column{{Header: "投资（万元）"}, {Header: "日期"}, {Header: "完成率"}, {Header: "空"}}
	row := []any{Wan(12345.5), date.New(2022, 6, 30), Percent(0.4), WanOf(nil)}
	var xb, cb bytes.Buffer
	for format, out := range map[string]*bytes.Buffer{FormatXLSX: &xb, FormatCSV: &cb} {
		w, err := Start(format, "表", cols)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Row(row...); err != nil {
			t.Fatal(err)
		}
		if _, err := w.WriteTo(out); err != nil {
			t.Fatal(err)
		}
	}
	f, err := excelize.OpenReader(&xb)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("表")
	if got := strings.Join(rows[1], "|"); got != "12,345.50|2022-06-30|40.0%" {
		t.Errorf("workbook shows %q", got)
	}
	raw, _ := f.GetCellValue("表", "A2", excelize.Options{RawCellValue: true})
	if raw != "12345.5" {
		t.Errorf("amount cell holds %q, want the number 12345.5", raw)
	}
	if typ, _ := f.GetCellType("表", "C2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("percentage stored as text")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(cb.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[1], "|"); got != "12345.5|2022-06-30|40.0%|" {
		t.Errorf("csv row %q", got)
	}
}
