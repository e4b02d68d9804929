package indicator

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/store"
	"gongjian/internal/xlsx"
)

// The statistics-office layout (统计部门报表): one sheet per period named
// "2022-06" (or "2022年6月"); a header row with 指标代码, 指标名称, 计量单位,
// then one column per region (本区, other districts, 全市), each optionally
// followed by "<区域>上年同期"; indicators down, one per row. Title rows above
// the header are allowed. Export writes exactly this layout, so that a file
// exported and imported again changes nothing.

const lastYearSuffix = "上年同期"

// skipSheets are sheets of a workbook that hold no figures.
var skipSheets = map[string]bool{"说明": true, "字典": true, "填表说明": true}

// Import reads a workbook in the statistics-office layout. With dryRun it
// only checks and counts; otherwise it records every figure in one
// transaction, or nothing when any cell has a problem.
func (s *Service) Import(ctx context.Context, r io.Reader, dryRun bool) (xlsx.ImportResult, error) {
	res := xlsx.ImportResult{DryRun: dryRun, Problems: []xlsx.Problem{}}
	if err := need(ctx, access.IndicatorWrite); err != nil {
		return res, err
	}
	book, err := xlsx.Open(r, xlsx.DefaultLimits())
	if err != nil {
		return res, err
	}
	defer book.Close()
	err = s.db.Tx(ctx, func(q store.Querier) error {
		l, _, _, err := loadLookup(ctx, q)
		if err != nil {
			return err
		}
		figs, problems, err := readBook(book, l)
		if err != nil {
			return err
		}
		res.Problems = problems
		if len(problems) > 0 {
			w, err := s.write(ctx, q, figs, true)
			res.Created, res.Updated, res.Unchanged = w.Created, w.Updated, w.Unchanged
			if err != nil {
				return err
			}
			return errProblems
		}
		w, err := s.write(ctx, q, figs, dryRun)
		res.Created, res.Updated, res.Unchanged = w.Created, w.Updated, w.Unchanged
		if err != nil {
			return err
		}
		if dryRun {
			return errProblems // roll back, though nothing was written
		}
		return nil
	})
	if err == errProblems {
		err = nil
	}
	return res, err
}

// errProblems rolls back an import transaction without being an error.
var errProblems = fmt.Errorf("import has problems")

// column is what a header cell names.
type column struct {
	region   Region
	lastYear bool
}

// readBook turns every sheet into figures and located problems.
func readBook(book *xlsx.Book, l lookup) ([]figure, []xlsx.Problem, error) {
	var figs []figure
	problems := []xlsx.Problem{}
	at := map[vkey]string{} // where each figure was read, to catch contradictions
	for _, sheet := range book.Sheets() {
		if skipSheets[strings.TrimSpace(sheet)] {
			continue
		}
		p, err := ParsePeriod(sheet)
		if err != nil {
			problems = append(problems, xlsx.Problem{Sheet: sheet, Column: "工作表名", Value: sheet,
				Message: "工作表名应为统计期，如 2022-06 或 2022年6月"})
			continue
		}
		var header []string
		headerRow := 0
		cols := map[int]column{}
		codeCol, nameCol := -1, -1
		err = book.Rows(sheet, func(row int, cells []string) error {
			if headerRow == 0 {
				for i, c := range cells {
					switch norm(c) {
					case "指标代码", "代码":
						codeCol = i
					case "指标名称", "指标":
						nameCol = i
					}
				}
				if codeCol < 0 && nameCol < 0 {
					if row > 10 {
						problems = append(problems, xlsx.Problem{Sheet: sheet, Row: row, Message: "前 10 行中找不到表头（应含“指标代码”或“指标名称”）"})
						return errStop
					}
					return nil
				}
				headerRow, header = row, cells
				for i, c := range cells {
					n := norm(c)
					if i == codeCol || i == nameCol || n == "" || n == "计量单位" || n == "单位" {
						continue
					}
					ly := false
					for _, suf := range []string{"(" + lastYearSuffix + ")", "（" + lastYearSuffix + "）", lastYearSuffix} {
						if strings.HasSuffix(n, norm(suf)) {
							n, ly = strings.TrimSuffix(n, norm(suf)), true
							break
						}
					}
					reg, ok := l.regions[n]
					if !ok {
						problems = append(problems, xlsx.Problem{Sheet: sheet, Row: row, Column: colName(i), Value: c,
							Message: fmt.Sprintf("表头“%s”不是已登记的区域（本区、其他区市或全市）", c)})
						continue
					}
					cols[i] = column{reg, ly}
				}
				return nil
			}
			cell := func(i int) string {
				if i >= 0 && i < len(cells) {
					return strings.TrimSpace(cells[i])
				}
				return ""
			}
			var x Indicator
			var ok bool
			if code := cell(codeCol); code != "" {
				x, ok = l.inds[norm(code)]
			}
			if !ok && cell(nameCol) != "" {
				x, ok = l.inds[norm(cell(nameCol))]
			}
			if !ok {
				v, c := cell(codeCol), codeCol
				if v == "" {
					v, c = cell(nameCol), nameCol
				}
				problems = append(problems, xlsx.Problem{Sheet: sheet, Row: row, Column: colName(c), Value: v, Message: fmt.Sprintf("没有指标“%s”", v)})
				return nil
			}
			for i, col := range cols {
				txt := cell(i)
				if txt == "" {
					continue
				}
				pp := p
				if col.lastYear {
					pp = p.LastYear()
				}
				if x.Frequency == "quarterly" && !pp.QuarterEnd() {
					problems = append(problems, xlsx.Problem{Sheet: sheet, Row: row, Column: colName(i), Value: txt,
						Message: fmt.Sprintf("%s 是季度指标，%s 不是季末，不应有数", x.Name, pp)})
					continue
				}
				v, err := xlsx.ParseNumber(txt)
				if err != nil {
					problems = append(problems, xlsx.Problem{Sheet: sheet, Row: row, Column: colName(i), Value: txt, Message: err.Error()})
					continue
				}
				if strings.HasSuffix(strings.TrimSpace(txt), "%") && x.Unit == "%" {
					v *= 100
				}
				k := vkey{x.ID, col.region.ID, pp.String()}
				where := fmt.Sprintf("%s!%s%d", sheet, colName(i), row)
				if prev, dup := at[k]; dup {
					for _, f := range figs {
						if f.key == k && f.value != ToE4(v) {
							problems = append(problems, xlsx.Problem{Sheet: sheet, Row: row, Column: colName(i), Value: txt,
								Message: fmt.Sprintf("%s %s %s 与 %s 的数值不一致", col.region.Name, x.Name, pp, prev)})
						}
					}
					continue
				}
				at[k] = where
				figs = append(figs, figure{key: k, value: ToE4(v), keepFlag: true})
			}
			return nil
		})
		if err != nil && err != errStop {
			return nil, nil, err
		}
		if headerRow == 0 && err != errStop {
			problems = append(problems, xlsx.Problem{Sheet: sheet, Message: "找不到表头（应含“指标代码”或“指标名称”）"})
		}
		_ = header
	}
	return figs, problems, nil
}

var errStop = fmt.Errorf("stop")

// colName is the spreadsheet's name of a 0-based column: 0 → A.
func colName(i int) string {
	if i < 0 {
		return ""
	}
	n, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return ""
	}
	return n
}

// Export writes the given periods in the statistics-office layout, one sheet
// each, as of the day. Each region's column is followed by its 上年同期 column.
// With format xlsx.FormatCSV the periods follow one another in one table
// whose first column is the period.
func (s *Service) Export(ctx context.Context, w io.Writer, periods []string, asOf date.Date, format string) error {
	if err := need(ctx, access.IndicatorRead); err != nil {
		return err
	}
	var ps []Period
	for _, p := range periods {
		pp, err := parsePeriodField(p)
		if err != nil {
			return err
		}
		ps = append(ps, pp)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].String() < ps[j].String() })
	q := s.db.Read()
	d, err := s.load(ctx, q, ps, 0, asOf)
	if err != nil {
		return err
	}
	head := []string{"指标代码", "指标名称", "计量单位"}
	for _, r := range d.regions {
		head = append(head, r.Name, r.Name+lastYearSuffix)
	}
	if format == xlsx.FormatCSV {
		cols := []xlsx.Column{{Header: "统计期"}}
		for _, h := range head {
			cols = append(cols, xlsx.Column{Header: h})
		}
		out, err := xlsx.NewCSV(cols)
		if err != nil {
			return err
		}
		for _, p := range ps {
			for _, cells := range d.exportRows(p) {
				if err := out.Row(append([]any{p.String()}, cells...)...); err != nil {
					return err
				}
			}
		}
		_, err = out.WriteTo(w)
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDEBF7"}, Pattern: 1}})
	if err != nil {
		return err
	}
	for n, p := range ps {
		sheet := p.String()
		if n == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			return err
		}
		cells := make([]any, len(head))
		for i, h := range head {
			cells[i] = excelize.Cell{StyleID: bold, Value: xlsx.Safe(h)}
		}
		if err := sw.SetColWidth(2, 2, 24); err != nil {
			return err
		}
		if err := sw.SetRow("A1", cells); err != nil {
			return err
		}
		for i, row := range d.exportRows(p) {
			for k, v := range row {
				if t, ok := v.(string); ok {
					row[k] = xlsx.Safe(t)
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, row); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// exportRows are a period's rows of an export: code, name and unit of each
// indicator reported that period, then each region's value and its value a
// year before (nil where there is none).
func (d data) exportRows(p Period) [][]any {
	var rows [][]any
	for _, x := range d.inds {
		if x.Frequency == "quarterly" && !p.QuarterEnd() {
			continue
		}
		cells := []any{x.Code, x.Name, x.Unit}
		for _, r := range d.regions {
			for _, pp := range []Period{p, p.LastYear()} {
				if v, ok := d.vals[vkey{x.ID, r.ID, pp.String()}]; ok {
					cells = append(cells, FromE4(v.value))
				} else {
					cells = append(cells, nil)
				}
			}
		}
		rows = append(rows, cells)
	}
	return rows
}
