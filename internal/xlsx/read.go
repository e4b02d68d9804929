package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongjian/internal/date"
	"gongjian/internal/errs"
)

// Limits bound what an upload may cost us before a single row is read.
type Limits struct {
	MaxBytes    int64 // size of the uploaded file
	MaxUnzipped int64 // sum of the declared sizes of the parts inside the .xlsx
	MaxRows     int   // rows per sheet
}

// DefaultLimits allows a 20 MiB upload that unpacks to at most 200 MiB with
// at most 200,000 rows a sheet.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 20 << 20, MaxUnzipped: 200 << 20, MaxRows: 200_000}
}

// maxParts bounds the number of files inside an upload: a real workbook has a
// few dozen, a zip bomb made of many tiny parts has millions.
const maxParts = 10_000

// CSVSheet is the name of the only sheet of a CSV upload.
const CSVSheet = "CSV"

// Book is an opened upload: an .xlsx workbook, or a CSV file seen as a
// workbook with one sheet named CSVSheet.
type Book struct {
	f      *excelize.File
	csv    [][]string
	sheets []string
	lim    Limits
}

func fileError(key, msg string) error {
	return errs.Invalid([]errs.FieldError{{Field: "file", Key: key, Message: msg}})
}

// Open reads an upload. It refuses files over lim.MaxBytes, files that are
// neither .xlsx nor CSV text (.xls, encrypted workbooks, PDFs, images …) and zip
// bombs, each with an errs.Invalid error whose message says so in Chinese. CSV
// is read as UTF-8 (with or without BOM) or, failing that, GB18030.
func Open(r io.Reader, lim Limits) (*Book, error) {
	if lim.MaxBytes <= 0 || lim.MaxUnzipped <= 0 || lim.MaxRows <= 0 {
		d := DefaultLimits()
		if lim.MaxBytes <= 0 {
			lim.MaxBytes = d.MaxBytes
		}
		if lim.MaxUnzipped <= 0 {
			lim.MaxUnzipped = d.MaxUnzipped
		}
		if lim.MaxRows <= 0 {
			lim.MaxRows = d.MaxRows
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, fileError("import.too_large", fmt.Sprintf("文件超过 %s 的上限，请拆分后分批导入", sizeText(lim.MaxBytes)))
	}
	if len(data) == 0 {
		return nil, fileError("import.empty", "文件是空的")
	}
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return openXLSX(data, lim)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, fileError("import.not_xlsx", "不支持 .xls 格式或加密的工作簿，请在表格软件中另存为 .xlsx（不设密码）后再上传")
	}
	return openCSV(data, lim)
}

func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", max(n>>10, 1))
}

func openXLSX(data []byte, lim Limits) (*Book, error) {
	notXLSX := fileError("import.not_xlsx", "文件不是有效的 .xlsx 工作簿，请用 Excel、WPS 或 LibreOffice 另存为 .xlsx 后再上传")
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, notXLSX
	}
	if len(zr.File) > maxParts {
		return nil, fileError("import.zip_bomb", "文件内部结构异常（部件过多），已拒绝")
	}
	var total uint64
	hasWorkbook := false
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		// archive/zip refuses to inflate past the declared size, so summing
		// declared sizes bounds what excelize will ever unpack.
		if total > uint64(lim.MaxUnzipped) || zf.UncompressedSize64 > uint64(lim.MaxUnzipped) {
			return nil, fileError("import.zip_bomb", fmt.Sprintf("文件解压后超过 %s 的上限（疑似压缩炸弹），已拒绝", sizeText(lim.MaxUnzipped)))
		}
		if strings.EqualFold(zf.Name, "xl/workbook.xml") {
			hasWorkbook = true
		}
	}
	if !hasWorkbook {
		return nil, notXLSX
	}
	xmlLimit := min(lim.MaxUnzipped, excelize.StreamChunkSize)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: lim.MaxUnzipped, UnzipXMLSizeLimit: xmlLimit})
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookFileFormat) {
			return nil, notXLSX
		}
		return nil, notXLSX
	}
	b := &Book{f: f, lim: lim}
	b.sheets = append(b.sheets, f.GetSheetList()...)
	if len(b.sheets) == 0 {
		f.Close()
		return nil, notXLSX
	}
	return b, nil
}

func openCSV(data []byte, lim Limits) (*Book, error) {
	notText := fileError("import.not_xlsx", "只接受 .xlsx 工作簿或 CSV 文本文件，请用 Excel、WPS 或 LibreOffice 另存为 .xlsx 后再上传")
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, notText
	}
	text := string(data)
	if !utf8.ValidString(text) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(dec) {
			return nil, notText
		}
		text = string(dec)
	}
	for _, c := range text {
		if c == utf8.RuneError || (c < 0x20 && c != '\t' && c != '\r' && c != '\n') {
			return nil, notText
		}
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	first, _, _ := strings.Cut(text, "\n")
	if strings.Count(first, "\t") > strings.Count(first, ",") {
		cr.Comma = '\t'
	}
	// encoding/csv skips blank lines, which a spreadsheet program shows as
	// rows: keep them as empty records so row numbers match what users see.
	var rows [][]string
	lastLine := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fileError("import.bad_csv", fmt.Sprintf("CSV 文件第 %d 行格式有误：%v", len(rows)+1, err))
		}
		line, _ := cr.FieldPos(0)
		for range line - lastLine - 1 {
			rows = append(rows, nil)
		}
		lastLine = line
		for _, c := range rec {
			lastLine += strings.Count(c, "\n")
		}
		if len(rows) >= lim.MaxRows {
			return nil, tooManyRows(CSVSheet, lim.MaxRows)
		}
		rows = append(rows, rec)
	}
	return &Book{csv: rows, sheets: []string{CSVSheet}, lim: lim}, nil
}

func tooManyRows(sheet string, n int) error {
	return fileError("import.too_many_rows", fmt.Sprintf("工作表“%s”超过 %d 行的上限，请拆分后分批导入", sheet, n))
}

// Close releases the workbook (and temporary files of large sheets).
func (b *Book) Close() error {
	if b.f != nil {
		return b.f.Close()
	}
	return nil
}

// Sheets lists the sheet names in workbook order.
func (b *Book) Sheets() []string { return append([]string(nil), b.sheets...) }

// IsCSV reports whether the upload was a CSV file.
func (b *Book) IsCSV() bool { return b.f == nil }

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Rows calls fn for each non-empty row of sheet, streaming: row is the 1-based
// row number as the spreadsheet program shows it; cells are raw texts (numbers
// unformatted, dates as Excel serials, formulas as their cached values). Empty
// rows, trailing ones included, are skipped. An error from fn stops the walk and
// is returned as is.
func (b *Book) Rows(sheet string, fn func(row int, cells []string) error) error {
	if b.f == nil {
		if sheet != CSVSheet {
			return fileError("import.no_sheet", fmt.Sprintf("找不到工作表“%s”", sheet))
		}
		for i, rec := range b.csv {
			if blank(rec) {
				continue
			}
			if err := fn(i+1, rec); err != nil {
				return err
			}
		}
		return nil
	}
	rows, err := b.f.Rows(sheet)
	if err != nil {
		return fileError("import.no_sheet", fmt.Sprintf("找不到工作表“%s”", sheet))
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return fileError("import.bad_sheet", fmt.Sprintf("工作表“%s”第 %d 行无法读取：%v", sheet, n, err))
		}
		if blank(cells) {
			continue
		}
		if n > b.lim.MaxRows {
			return tooManyRows(sheet, b.lim.MaxRows)
		}
		if err := fn(n, cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return fileError("import.bad_sheet", fmt.Sprintf("工作表“%s”无法读取：%v", sheet, err))
	}
	return nil
}

// Field is one column an import understands: Labels are the header texts it
// answers to (the first is the one shown in messages and templates).
type Field struct {
	Key      string
	Labels   []string
	Required bool
}

// normLabel makes header matching ignore spaces, line breaks, the "*" required
// mark, full-/half-width and case.
func normLabel(s string) string {
	s = narrow(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || r == '*' || r == '※' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// narrow turns full-width ASCII (Ａ１，．％) and the ideographic space into
// their ordinary forms.
func narrow(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// FindHeader finds the header row among the given first rows: the first row
// holding the label of every required field (titles and merged group headings
// above it are fine). cols maps Field.Key to the 0-based column of each field
// found in that row; headerRow is the index into rows. When no row qualifies the
// error is errs.Invalid naming the missing columns in Chinese.
func FindHeader(rows [][]string, fields []Field) (cols map[string]int, headerRow int, err error) {
	want := make([]map[string]bool, len(fields))
	for i, f := range fields {
		want[i] = map[string]bool{normLabel(f.Key): true}
		for _, l := range f.Labels {
			want[i][normLabel(l)] = true
		}
	}
	bestMissing := []string(nil)
	for ri, row := range rows {
		found := map[string]int{}
		for ci, cell := range row {
			n := normLabel(cell)
			if n == "" {
				continue
			}
			for fi, f := range fields {
				if _, dup := found[f.Key]; !dup && want[fi][n] {
					found[f.Key] = ci
					break
				}
			}
		}
		var missing []string
		for _, f := range fields {
			if _, ok := found[f.Key]; f.Required && !ok {
				missing = append(missing, label(f))
			}
		}
		if len(missing) == 0 && len(found) > 0 {
			return found, ri, nil
		}
		if len(found) > 0 && (bestMissing == nil || len(missing) < len(bestMissing)) {
			bestMissing = missing
		}
	}
	if bestMissing == nil {
		for _, f := range fields {
			if f.Required {
				bestMissing = append(bestMissing, label(f))
			}
		}
		msg := "找不到表头行，请使用下载的模板，表头须包含：" + strings.Join(bestMissing, "、")
		return nil, -1, errs.Invalid([]errs.FieldError{{Field: "header", Key: "import.no_header", Message: msg}})
	}
	msg := "表头缺少必填列：" + strings.Join(bestMissing, "、")
	return nil, -1, errs.Invalid([]errs.FieldError{{Field: "header", Key: "import.missing_column", Message: msg, Value: strings.Join(bestMissing, "、")}})
}

func label(f Field) string {
	if len(f.Labels) > 0 {
		return f.Labels[0]
	}
	return f.Key
}

// Record is one data row of a table read with Book.Table.
type Record struct {
	Row   int      // 1-based row number in the sheet
	Cells []string // raw cells
	cols  map[string]int
	names map[string]string
}

// Get returns the trimmed cell of the field with this key ("" when the column
// is absent or the cell empty).
func (r Record) Get(key string) string {
	i, ok := r.cols[key]
	if !ok || i >= len(r.Cells) {
		return ""
	}
	return Unquote(strings.TrimSpace(r.Cells[i]))
}

// Unquote undoes Safe: text we wrote as "'=…" reads back as "=…".
func Unquote(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		return s[1:]
	}
	return s
}

// Pick returns the sheet to import: preferred when the book has it, else the
// first sheet that is not a template's 说明 or 字典 sheet.
func (b *Book) Pick(preferred string) string {
	for _, s := range b.sheets {
		if s == preferred {
			return s
		}
	}
	for _, s := range b.sheets {
		if s != InstructionsSheet && s != DictionarySheet {
			return s
		}
	}
	return b.sheets[0]
}

// Has reports whether the sheet has a column for the field.
func (r Record) Has(key string) bool { _, ok := r.cols[key]; return ok }

// Column returns the field's column as the spreadsheet shows it ("C"), or the
// field's label when the column is absent.
func (r Record) Column(key string) string {
	if i, ok := r.cols[key]; ok {
		name, _ := excelize.ColumnNumberToName(i + 1)
		return name
	}
	return r.names[key]
}

// Label returns the field's first label, for messages.
func (r Record) Label(key string) string { return r.names[key] }

// HeaderScan is how many non-empty rows Table looks through for the header.
const HeaderScan = 20

// Table reads a sheet as a table: it finds the header among the first
// HeaderScan non-empty rows with FindHeader and calls fn for each non-empty
// row below it.
func (b *Book) Table(sheet string, fields []Field, fn func(rec Record) error) error {
	names := map[string]string{}
	for _, f := range fields {
		names[f.Key] = label(f)
	}
	var head [][]string
	var headNums []int
	var cols map[string]int
	errStop := errors.New("stop")
	var err error
	scan := func(row int, cells []string) error {
		if cols != nil {
			return fn(Record{Row: row, Cells: cells, cols: cols, names: names})
		}
		head = append(head, cells)
		headNums = append(headNums, row)
		if c, _, e := FindHeader([][]string{cells}, fields); e == nil {
			cols = c
			return nil
		}
		if len(head) >= HeaderScan {
			return errStop
		}
		return nil
	}
	if err = b.Rows(sheet, scan); err != nil && err != errStop {
		return err
	}
	if cols == nil {
		_, _, e := FindHeader(head, fields)
		if e == nil { // cannot happen: each row was tried alone
			e = fileError("import.no_header", "找不到表头行")
		}
		return e
	}
	return nil
}

// ---- cell parsers ----

func cellError(msg string) error { return errors.New(msg) }

// cleanNumber narrows full-width characters, drops spaces and thousands
// separators (, ， ' and the thin space).
func cleanNumber(s string) string {
	s = narrow(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		switch r {
		case ',', '\'', ' ', '\u00a0', '\u2009', '\u202f', '、':
			return -1
		case '−', '－':
			return '-'
		case '。':
			return '.'
		}
		return r
	}, s)
}

// ParseNumber reads a number as people type it in spreadsheets: full-width
// digits, thousands separators, a leading "+" and a trailing "%" (which divides
// by 100, the way Excel stores 12.5% as 0.125).
func ParseNumber(s string) (float64, error) {
	t := cleanNumber(s)
	if t == "" {
		return 0, cellError("不能为空")
	}
	pct := false
	if strings.HasSuffix(t, "%") {
		pct, t = true, strings.TrimSuffix(t, "%")
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(t, "xXpP_") || strings.HasPrefix(strings.ToLower(strings.TrimLeft(t, "+-")), "in") {
		return 0, cellError(fmt.Sprintf("“%s”不是有效的数字", strings.TrimSpace(s)))
	}
	if pct {
		v /= 100
	}
	return v, nil
}

// yuanUnits are the money units understood by ParseYuan, longest first.
var yuanUnits = []struct {
	suffix string
	factor int64
}{
	{"亿元", 100_000_000}, {"万元", 10_000}, {"千元", 1_000}, {"亿", 100_000_000}, {"万", 10_000}, {"千", 1_000}, {"元", 1},
}

// maxYuan keeps amounts well inside int64 and float64's exact range.
const maxYuan = 1_000_000_000_000_000 // 一千万亿元

// ParseYuan reads an amount into exact yuan. A unit written in the cell (元,
// 千元, 万/万元, 亿/亿元) wins; otherwise defaultUnit applies ("" means 元).
// Full-width digits, thousands separators and a leading ¥/￥ are fine; fractions
// of a yuan are rounded half away from zero.
func ParseYuan(s, defaultUnit string) (int64, error) {
	t := cleanNumber(s)
	t = strings.TrimLeft(t, "¥￥")
	t = strings.TrimPrefix(t, "RMB")
	t = strings.TrimSpace(t)
	if t == "" {
		return 0, cellError("金额不能为空")
	}
	factor := int64(0)
	for _, u := range yuanUnits {
		if strings.HasSuffix(t, u.suffix) {
			factor, t = u.factor, strings.TrimSuffix(t, u.suffix)
			break
		}
	}
	if factor == 0 {
		factor = 1
		for _, u := range yuanUnits {
			if defaultUnit == u.suffix {
				factor = u.factor
			}
		}
	}
	bad := cellError(fmt.Sprintf("“%s”不是有效的金额，应为数字，可带单位 元、万元、亿元", strings.TrimSpace(s)))
	if t == "" || strings.ContainsAny(t, "/%xXpP_") || strings.Count(t, ".") > 1 {
		return 0, bad
	}
	if v, ok := fastYuan(t, factor); ok {
		return v, nil
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok {
		return 0, bad
	}
	r.Mul(r, new(big.Rat).SetInt64(factor))
	// Round half away from zero.
	num, den := new(big.Int).Set(r.Num()), r.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(m, big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() || q.Int64() > maxYuan {
		return 0, cellError(fmt.Sprintf("金额“%s”过大", strings.TrimSpace(s)))
	}
	v := q.Int64()
	if neg {
		v = -v
	}
	return v, nil
}

// fastYuan handles the common plain decimal ("1234.5", "-3") with int64
// arithmetic; anything else (exponents, long digit strings) goes to big.Rat.
func fastYuan(t string, factor int64) (int64, bool) {
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(strings.TrimPrefix(t, "-"), "+")
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" && frac == "" || len(whole)+len(frac) > 10 || (whole != "" && !isDigits(whole)) || (frac != "" && !isDigits(frac)) {
		return 0, false
	}
	m, scale := int64(0), int64(1)
	for _, c := range whole + frac {
		m = m*10 + int64(c-'0')
	}
	for range len(frac) {
		scale *= 10
	}
	num := m * factor
	v := num / scale
	if 2*(num%scale) >= scale {
		v++
	}
	if neg {
		v = -v
	}
	return v, true
}

// excelEpoch is day 0 of Excel's 1900 date system, counting its phantom
// 1900-02-29, which is why it is 30 December and not 31.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// ParseDate reads a date as spreadsheets hold it: an Excel serial (44812 is
// 2022-09-08; a time of day is dropped), or text: 2022年9月8日, 2022/9/8,
// 2022-09-08, 2022.9.8, 20220908, with full-width digits and an optional time.
func ParseDate(s string) (date.Date, error) {
	t := strings.TrimSpace(narrow(s))
	if t == "" {
		return date.Date{}, cellError("日期不能为空")
	}
	bad := cellError(fmt.Sprintf("“%s”不是有效的日期，应写作 2022-09-08、2022/9/8 或 2022年9月8日", strings.TrimSpace(s)))
	if isDigits(t) && len(t) == 8 {
		y, _ := strconv.Atoi(t[:4])
		m, _ := strconv.Atoi(t[4:6])
		d, _ := strconv.Atoi(t[6:])
		return civil(y, m, d, bad)
	}
	if v, err := strconv.ParseFloat(t, 64); err == nil && !strings.ContainsAny(t, "xXpPnN_") {
		// 2958465 is 9999-12-31, Excel's last day.
		if v < 1 || v >= 2958466 {
			return date.Date{}, bad
		}
		return date.Of(excelEpoch.AddDate(0, 0, int(math.Floor(v)))), nil
	}
	if strings.Contains(t, "年") {
		t = strings.Join(strings.Fields(t), "")
	}
	// Drop a time of day: "2022-09-08 00:00:00", "2022/9/8 9:30", "2022-09-08T00:00:00Z".
	if i := strings.IndexAny(t, " T"); i > 0 {
		t = strings.TrimSpace(t[:i])
	}
	var parts []string
	if strings.ContainsAny(t, "年月") {
		rest := t
		for _, sep := range []string{"年", "月"} {
			p, r, ok := strings.Cut(rest, sep)
			if !ok {
				return date.Date{}, bad
			}
			parts = append(parts, strings.TrimSpace(p))
			rest = r
		}
		rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "日"))
		rest = strings.TrimSuffix(rest, "号")
		parts = append(parts, strings.TrimSpace(rest))
	} else {
		parts = strings.FieldsFunc(t, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
		if len(parts) != 3 || strings.Count(t, "-")+strings.Count(t, "/")+strings.Count(t, ".") != 2 {
			return date.Date{}, bad
		}
	}
	if len(parts) != 3 {
		return date.Date{}, bad
	}
	for _, p := range parts {
		if !isDigits(p) || len(p) > 4 {
			return date.Date{}, bad
		}
	}
	if len(parts[0]) != 4 {
		return date.Date{}, bad
	}
	y, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	d, _ := strconv.Atoi(parts[2])
	return civil(y, m, d, bad)
}

func civil(y, m, d int, bad error) (date.Date, error) {
	if y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return date.Date{}, bad
	}
	v := date.New(y, time.Month(m), d)
	if v.Time().Day() != d {
		return date.Date{}, cellError(fmt.Sprintf("%d年%d月没有%d日", y, m, d))
	}
	return v, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Problem is one located import error.
type Problem struct {
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Value   string `json:"value"`
	Message string `json:"message"`
}

// ImportResult is what a dry run or a commit answers.
type ImportResult struct {
	DryRun    bool      `json:"dry_run"`
	Created   int       `json:"created"`
	Updated   int       `json:"updated"`
	Unchanged int       `json:"unchanged"`
	Problems  []Problem `json:"problems"`
}
