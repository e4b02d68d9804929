package xlsx

import (
	"math"
	"strconv"

	"gongjian/internal/date"
)

// Wan is an amount in 万元: a number cell with two decimals and thousands
// separators in .xlsx, a plain number in CSV.
type Wan float64

// WanOf is an optional amount: nil (an empty cell) or a Wan.
func WanOf(v *float64) any {
	if v == nil {
		return nil
	}
	return Wan(*v)
}

// Percent is a share as a fraction (0.855 is 85.5%): a percentage cell with
// one decimal in .xlsx, the same text ("85.5%") in CSV.
type Percent float64

// PercentOf is an optional share: nil (an empty cell) or a Percent.
func PercentOf(v *float64) any {
	if v == nil {
		return nil
	}
	return Percent(*v)
}

// DateOf is an optional date: nil (an empty cell) or the date.
func DateOf(d *date.Date) any {
	if d == nil || d.IsZero() {
		return nil
	}
	return *d
}

// Number formats of typed cells, the same as the import templates use.
const (
	wanFormat     = "#,##0.00"
	percentFormat = "0.0%"
	dateFormat    = "yyyy-mm-dd"
	timeFormat    = "yyyy-mm-dd hh:mm:ss"
)

// percentText writes a share as the .xlsx cell shows it: 85.5%.
func percentText(p Percent) string {
	return strconv.FormatFloat(math.Round(float64(p)*1000)/10, 'f', 1, 64) + "%"
}

// Format names an export's file format: "xlsx" (the default) or "csv".
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
)

// Start begins an export in format (FormatCSV, otherwise .xlsx) with cols
// as its header row; sheet names the .xlsx worksheet.
func Start(format, sheet string, cols []Column) (Sheet, error) {
	if format == FormatCSV {
		return NewCSV(cols)
	}
	return New(sheet, cols)
}
