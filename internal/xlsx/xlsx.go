// Package xlsx writes Excel workbooks the way every export of Gongjian does:
// streamed, with Chinese headers, typed cells and text that cannot turn into a
// formula in the reader's spreadsheet program.
package xlsx

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/date"
)

// Column is one column of an export.
type Column struct {
	Header string
	Width  float64
}

// Writer streams rows into one sheet.
type Writer struct {
	f     *excelize.File
	sw    *excelize.StreamWriter
	row   int
	style map[string]int // style id per number format: timestamps, dates, 万元, %
}

// New starts a workbook whose first sheet is named sheet, with a bold header row.
func New(sheet string, cols []Column) (*Writer, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("xlsx sheet: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fmt.Errorf("xlsx stream: %w", err)
	}
	for i, c := range cols {
		if c.Width > 0 {
			if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
				return nil, err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDEBF7"}, Pattern: 1}})
	if err != nil {
		return nil, err
	}
	w := &Writer{f: f, sw: sw, row: 1, style: map[string]int{}}
	for _, format := range []string{timeFormat, dateFormat, wanFormat, percentFormat} {
		if w.style[format], err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr(format)}); err != nil {
			return nil, err
		}
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: bold, Value: c.Header}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{}); err != nil {
		return nil, err
	}
	return w, nil
}

func ptr[T any](v T) *T { return &v }

// Row appends one row: strings are neutralised; times, dates (date.Date),
// amounts (Wan) and shares (Percent) become typed cells with their number
// format; nil and unset dates are empty cells.
func (w *Writer) Row(values ...any) error {
	w.row++
	cells := make([]any, len(values))
	for i, v := range values {
		switch x := v.(type) {
		case string:
			cells[i] = Safe(x)
		case time.Time:
			// Whole seconds, as shown, so the cell and a CSV of it agree.
			cells[i] = excelize.Cell{StyleID: w.style[timeFormat], Value: x.Truncate(time.Second)}
		case date.Date:
			if !x.IsZero() {
				cells[i] = excelize.Cell{StyleID: w.style[dateFormat], Value: x.Time()}
			}
		case Wan:
			cells[i] = excelize.Cell{StyleID: w.style[wanFormat], Value: float64(x)}
		case Percent:
			cells[i] = excelize.Cell{StyleID: w.style[percentFormat], Value: float64(x)}
		case *float64:
			if x != nil {
				cells[i] = *x
			}
		case fmt.Stringer:
			cells[i] = Safe(x.String())
		default:
			cells[i] = v
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return err
	}
	return w.sw.SetRow(cell, cells)
}

// WriteTo finishes the workbook and writes it to out.
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	if err := w.sw.Flush(); err != nil {
		return 0, fmt.Errorf("xlsx flush: %w", err)
	}
	defer w.f.Close()
	return w.f.WriteTo(out)
}

// Safe keeps text that starts like a formula (= + - @, or a tab or carriage
// return) from being evaluated by the program that opens the file.
func Safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
