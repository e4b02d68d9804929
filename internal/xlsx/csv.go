package xlsx

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"gongjian/internal/date"
)

// Sheet is what every export writes rows into: an .xlsx Writer or a CSVWriter.
type Sheet interface {
	Row(values ...any) error
	WriteTo(out io.Writer) (int64, error)
}

// CSVMediaType is the media type of CSV exports.
const CSVMediaType = "text/csv; charset=utf-8"

// CSVWriter writes an export as CSV: UTF-8 with a byte order mark (so that
// Excel and WPS read the Chinese right), a header row, and text neutralised
// like the .xlsx exports (Safe).
type CSVWriter struct {
	buf bytes.Buffer
	w   *csv.Writer
}

// NewCSV starts a CSV export with cols as its header row.
func NewCSV(cols []Column) (*CSVWriter, error) {
	c := &CSVWriter{}
	c.buf.WriteString("\uFEFF")
	c.w = csv.NewWriter(&c.buf)
	c.w.UseCRLF = true
	head := make([]string, len(cols))
	for i, col := range cols {
		head[i] = Safe(col.Header)
	}
	return c, c.w.Write(head)
}

// Row appends one row: text neutralised, timestamps as 2006-01-02 15:04:05,
// dates as 2006-01-02, nil as an empty cell.
func (c *CSVWriter) Row(values ...any) error {
	rec := make([]string, len(values))
	for i, v := range values {
		rec[i] = csvCell(v)
	}
	return c.w.Write(rec)
}

func csvCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return Safe(x)
	case time.Time:
		return x.Format("2006-01-02 15:04:05")
	case date.Date:
		if x.IsZero() {
			return ""
		}
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case Wan:
		return strconv.FormatFloat(float64(x), 'f', -1, 64)
	case Percent:
		return percentText(x)
	case *float64:
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	case fmt.Stringer:
		return Safe(x.String())
	default:
		return Safe(fmt.Sprint(v))
	}
}

// WriteTo finishes the CSV and writes it to out.
func (c *CSVWriter) WriteTo(out io.Writer) (int64, error) {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return 0, fmt.Errorf("csv: %w", err)
	}
	return c.buf.WriteTo(out)
}
