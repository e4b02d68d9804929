package xlsx

import (
	"bytes"
	"testing"
	"time"

	"gongjian/internal/date"
)

// A CSV export opens right in Excel (UTF-8 with BOM, CRLF rows) and cannot
// smuggle a formula into the reader's spreadsheet program.
func TestCSVWriter(t *testing.T) {
	w, err := NewCSV([]Column{{Header: "编号"}, {Header: "名称"}, {Header: "时间"}, {Header: "日期"}, {Header: "金额（万元）"}})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2022, 9, 8, 14, 30, 0, 0, time.UTC)
	if err := w.Row(1, "=HYPERLINK(\"http://x\")", at, date.New(2022, 9, 8), 1500.5); err != nil {
		t.Fatal(err)
	}
	if err := w.Row(2, "芝罘湾广场, 改造", nil, date.Date{}, nil); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := w.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFF编号,名称,时间,日期,金额（万元）\r\n" +
		"1,\"'=HYPERLINK(\"\"http://x\"\")\",2022-09-08 14:30:00,2022-09-08,1500.5\r\n" +
		"2,\"芝罘湾广场, 改造\",,,\r\n"
	if out.String() != want {
		t.Errorf("csv:\n%q\nwant\n%q", out.String(), want)
	}
}
