package xlsx

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestWorkbookReadsBackWithSafeText(t *testing.T) {
	w, err := New("留痕", []Column{{Header: "时间", Width: 20}, {Header: "内容"}, {Header: "数量"}})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2022, 9, 8, 10, 30, 0, 0, time.UTC)
	if err := w.Row(at, "=HYPERLINK(\"http://x\")", 3); err != nil {
		t.Fatal(err)
	}
	if err := w.Row(at, "芝罘湾广场", 4.5); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("the export is not a workbook: %v", err)
	}
	rows, err := f.GetRows("留痕")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][1] != "内容" || rows[2][1] != "芝罘湾广场" {
		t.Fatalf("rows: %v", rows)
	}
	if got := rows[1][1]; got != "'=HYPERLINK(\"http://x\")" {
		t.Errorf("formula-like text was not neutralised: %q", got)
	}
	if f, _ := f.GetCellFormula("留痕", "B2"); f != "" {
		t.Errorf("cell B2 has a formula %q", f)
	}
	if rows[1][0] != "2022-09-08 10:30:00" {
		t.Errorf("time cell shows %q", rows[1][0])
	}
}

func TestSafe(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+86": "'+86", "-5": "'-5", "@a": "'@a", "正常": "正常", "": ""} {
		if got := Safe(in); got != want {
			t.Errorf("Safe(%q) = %q, want %q", in, got, want)
		}
	}
}
