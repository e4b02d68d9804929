package xlsx

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/date"
)

// TemplateColumn is one column of an import template.
type TemplateColumn struct {
	Header   string
	Required bool     // header gets a "*" and a red font
	Choices  []string // dropdown fed from the hidden 字典 sheet
	Example  string
	Note     string // shown on the 说明 sheet and as the cell's input tip
	Width    float64
	Format   string // "text", "number", "yuan_wan", "date", "percent"; "" is general
	Locked   bool   // cells may not be changed (the sheet is protected, without password)
}

// Template describes an import template or a pre-filled form: an 说明
// (instructions) sheet, the data sheet with Chinese headers, dropdowns fed from
// a hidden 字典 sheet, an example row on the 说明 sheet, optional pre-filled
// rows and locked columns.
type Template struct {
	Sheet        string // data sheet name
	Title        string // optional title row above the header, merged across the columns
	Instructions []string
	Columns      []TemplateColumn
	Rows         [][]any // pre-filled rows; strings are neutralised like exports
}

// InstructionsSheet and DictionarySheet are the names of the helper sheets.
const (
	InstructionsSheet = "说明"
	DictionarySheet   = "字典"
)

// dropdownRows is how many rows below the header get dropdowns and formats.
const dropdownRows = 2000

// HeaderText is the header as the template writes it: required ones start with "*".
func (c TemplateColumn) HeaderText() string {
	if c.Required {
		return "*" + c.Header
	}
	return c.Header
}

var formatNames = map[string]string{"text": "文本", "number": "数字", "yuan_wan": "金额（万元）", "date": "日期（如 2022-09-08）", "percent": "百分比（如 85%）"}

// WriteTemplate writes t as an .xlsx workbook to w.
func WriteTemplate(w io.Writer, t Template) error {
	if t.Sheet == "" || len(t.Columns) == 0 {
		return fmt.Errorf("xlsx template: sheet name and columns are required")
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", t.Sheet); err != nil {
		return fmt.Errorf("xlsx template: %w", err)
	}
	locked := false
	for _, c := range t.Columns {
		locked = locked || c.Locked
	}
	st, err := newTemplateStyles(f)
	if err != nil {
		return err
	}
	headerRow := 1
	if t.Title != "" {
		headerRow = 2
		last, _ := excelize.ColumnNumberToName(len(t.Columns))
		if err := f.SetCellStr(t.Sheet, "A1", t.Title); err != nil {
			return err
		}
		if len(t.Columns) > 1 {
			if err := f.MergeCell(t.Sheet, "A1", last+"1"); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(t.Sheet, "A1", last+"1", st.title); err != nil {
			return err
		}
		if err := f.SetRowHeight(t.Sheet, 1, 28); err != nil {
			return err
		}
	}
	// Dictionary sheet: one column per column with choices.
	dictCol := 0
	hasDict := false
	for _, c := range t.Columns {
		hasDict = hasDict || len(c.Choices) > 0
	}
	if hasDict {
		if _, err := f.NewSheet(DictionarySheet); err != nil {
			return err
		}
	}
	lastRow := headerRow + max(dropdownRows, len(t.Rows)+dropdownRows/2)
	for i, c := range t.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		width := c.Width
		if width <= 0 {
			width = max(12, float64(len([]rune(c.Header)))*2.2+4)
		}
		if err := f.SetColWidth(t.Sheet, col, col, width); err != nil {
			return err
		}
		style := st.cell(c.Format, c.Locked)
		if err := f.SetColStyle(t.Sheet, col, style); err != nil {
			return err
		}
		hs := st.header
		if c.Required {
			hs = st.required
		}
		cell := fmt.Sprintf("%s%d", col, headerRow)
		if err := f.SetCellStr(t.Sheet, cell, c.HeaderText()); err != nil {
			return err
		}
		if err := f.SetCellStyle(t.Sheet, cell, cell, hs); err != nil {
			return err
		}
		sqref := fmt.Sprintf("%s%d:%s%d", col, headerRow+1, col, lastRow)
		if len(c.Choices) > 0 && !c.Locked {
			dictCol++
			dc, _ := excelize.ColumnNumberToName(dictCol)
			if err := f.SetCellStr(DictionarySheet, dc+"1", c.Header); err != nil {
				return err
			}
			for j, choice := range c.Choices {
				if err := f.SetCellStr(DictionarySheet, fmt.Sprintf("%s%d", dc, j+2), choice); err != nil {
					return err
				}
			}
			dv := excelize.NewDataValidation(!c.Required)
			dv.SetSqref(sqref)
			dv.SetSqrefDropList(fmt.Sprintf("'%s'!$%s$2:$%s$%d", DictionarySheet, dc, dc, len(c.Choices)+1))
			dv.SetError(excelize.DataValidationErrorStyleStop, "输入有误", "请从下拉列表中选择"+c.Header)
			if c.Note != "" {
				dv.SetInput(c.Header, trimRunes(c.Note, 250))
			}
			if err := f.AddDataValidation(t.Sheet, dv); err != nil {
				return err
			}
		} else if c.Note != "" && !c.Locked {
			dv := excelize.NewDataValidation(true)
			dv.SetSqref(sqref)
			dv.SetInput(c.Header, trimRunes(c.Note, 250))
			if err := f.AddDataValidation(t.Sheet, dv); err != nil {
				return err
			}
		}
	}
	if err := f.SetRowHeight(t.Sheet, headerRow, 22); err != nil {
		return err
	}
	for ri, row := range t.Rows {
		r := headerRow + 1 + ri
		for ci, v := range row {
			if ci >= len(t.Columns) || v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(ci+1, r)
			if err := setTemplateCell(f, t.Sheet, cell, v); err != nil {
				return err
			}
		}
	}
	if err := f.SetPanes(t.Sheet, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", headerRow+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if locked {
		if err := f.ProtectSheet(t.Sheet, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true}); err != nil {
			return err
		}
	}
	if err := writeInstructions(f, t, st); err != nil {
		return err
	}
	if hasDict {
		if err := f.SetSheetVisible(DictionarySheet, false); err != nil {
			return err
		}
	}
	idx, _ := f.GetSheetIndex(t.Sheet)
	f.SetActiveSheet(idx)
	_, err = f.WriteTo(w)
	return err
}

func setTemplateCell(f *excelize.File, sheet, cell string, v any) error {
	switch x := v.(type) {
	case string:
		return f.SetCellStr(sheet, cell, Safe(x))
	case date.Date:
		if x.IsZero() {
			return nil
		}
		return f.SetCellValue(sheet, cell, x.Time())
	case time.Time:
		return f.SetCellValue(sheet, cell, x)
	default:
		return f.SetCellValue(sheet, cell, v)
	}
}

func trimRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

type templateStyles struct {
	title, header, required, label int
	cells                          map[string]int
}

func (s templateStyles) cell(format string, locked bool) int {
	return s.cells[fmt.Sprintf("%s/%v", format, locked)]
}

func newTemplateStyles(f *excelize.File) (templateStyles, error) {
	st := templateStyles{cells: map[string]int{}}
	var err error
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1}, {Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	locked := &excelize.Protection{Locked: true}
	if st.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}, Protection: locked}); err != nil {
		return st, err
	}
	headFill := excelize.Fill{Type: "pattern", Color: []string{"DDEBF7"}, Pattern: 1}
	align := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: headFill, Border: border, Alignment: align, Protection: locked}); err != nil {
		return st, err
	}
	if st.required, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}, Fill: headFill, Border: border, Alignment: align, Protection: locked}); err != nil {
		return st, err
	}
	if st.label, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return st, err
	}
	formats := map[string]*excelize.Style{
		"":         {},
		"text":     {NumFmt: 49},
		"number":   {CustomNumFmt: ptr("#,##0.####")},
		"yuan_wan": {CustomNumFmt: ptr("#,##0.00")},
		"date":     {CustomNumFmt: ptr("yyyy-mm-dd")},
		"percent":  {CustomNumFmt: ptr("0.00%")},
	}
	for name, base := range formats {
		for _, lock := range []bool{false, true} {
			s := *base
			s.Protection = &excelize.Protection{Locked: lock}
			if lock {
				s.Fill = excelize.Fill{Type: "pattern", Color: []string{"F2F2F2"}, Pattern: 1}
			}
			id, err := f.NewStyle(&s)
			if err != nil {
				return st, err
			}
			st.cells[fmt.Sprintf("%s/%v", name, lock)] = id
		}
	}
	return st, nil
}

func writeInstructions(f *excelize.File, t Template, st templateStyles) error {
	const sh = InstructionsSheet
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "A", "A", 18); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "B", "E", 24); err != nil {
		return err
	}
	r := 1
	put := func(col string, v any) error {
		return setTemplateCell(f, sh, fmt.Sprintf("%s%d", col, r), v)
	}
	title := t.Title
	if title == "" {
		title = t.Sheet
	}
	if err := put("A", title+" 填写说明"); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A1", "A1", st.title); err != nil {
		return err
	}
	r += 2
	lines := append([]string{
		fmt.Sprintf("请在工作表“%s”中填写，一行一条；不要改动表头；带 * 的列必填。", t.Sheet),
		"有下拉框的列请从下拉列表中选择；金额默认以万元为单位，也可写“1.5亿元”“1,234万”；日期可写 2022-09-08、2022/9/8 或 2022年9月8日。",
		"上传后先预检，列出将新增、更新、不变的条数和每个错误所在的行、列；确认无误后再导入，导入要么全部成功，要么一条也不写入。",
	}, t.Instructions...)
	for i, l := range lines {
		if err := put("A", fmt.Sprintf("%d. %s", i+1, l)); err != nil {
			return err
		}
		r++
	}
	r++
	for i, h := range []string{"列名", "是否必填", "格式", "说明", "示例"} {
		c, _ := excelize.ColumnNumberToName(i + 1)
		if err := put(c, h); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, fmt.Sprintf("%s%d", c, r), fmt.Sprintf("%s%d", c, r), st.header); err != nil {
			return err
		}
	}
	r++
	for _, c := range t.Columns {
		req := "选填"
		if c.Required {
			req = "必填"
		}
		if c.Locked {
			req = "不可修改"
		}
		note := c.Note
		if len(c.Choices) > 0 && !c.Locked {
			note = strings.TrimSpace(note + " 从下拉列表中选择。")
		}
		for i, v := range []string{c.Header, req, formatNames[c.Format], note, c.Example} {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := put(col, v); err != nil {
				return err
			}
		}
		r++
	}
	// The example row, as it would look on the data sheet.
	r++
	if err := put("A", "填写示例（请勿在本页填写，本页不会被导入）："); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, fmt.Sprintf("A%d", r), fmt.Sprintf("A%d", r), st.label); err != nil {
		return err
	}
	r++
	for i, c := range t.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := put(col, c.HeaderText()); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, fmt.Sprintf("%s%d", col, r), fmt.Sprintf("%s%d", col, r), st.header); err != nil {
			return err
		}
	}
	r++
	for i, c := range t.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := put(col, c.Example); err != nil {
			return err
		}
	}
	return nil
}
