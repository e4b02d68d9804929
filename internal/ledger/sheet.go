package ledger

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
	"gongjian/internal/xlsx"
)

// idLabel is the column of exports that names a row, so an exported file
// edited and imported again updates its rows instead of adding them.
const idLabel = "编号"

// SheetName is the data sheet of a ledger's template and export.
func SheetName(l Ledger) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, l.Name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	return name
}

// header is a field's column header: its label, with the unit for quantities.
func header(f LedgerField) string {
	if u := f.UnitLabel(); u != "" {
		return f.Label + "（" + u + "）"
	}
	return f.Label
}

func format(f LedgerField) string {
	switch f.Type {
	case TypeNumber, TypeArea:
		return "number"
	case TypeAmountWan:
		return "yuan_wan"
	case TypeDate:
		return "date"
	}
	return "text"
}

func example(f LedgerField, rf *refs) string {
	switch f.Type {
	case TypeNumber:
		return "12"
	case TypeArea:
		return "150.5"
	case TypeAmountWan:
		return "12.5"
	case TypeDate:
		return "2022-09-08"
	case TypeChoice:
		return f.Options[0]
	case TypeEnterprise:
		return "1"
	case TypeItem:
		return "ZX-01"
	case TypeLocation:
		return "芝罘区南大街 1 号"
	case TypeUnit, TypeZone:
		for _, n := range rf.names[f.Type] {
			return n
		}
	}
	return "（文本）"
}

// Template writes the import template of a ledger, generated from its
// definition: required columns marked, dropdowns for choices, units and zones.
func (s *Service) Template(ctx context.Context, ledgerID int64, w io.Writer) error {
	q := s.db.Read()
	l, err := getLedger(ctx, q, ledgerID)
	if err != nil {
		return err
	}
	rf, err := loadRefs(ctx, q, l.Fields)
	if err != nil {
		return err
	}
	t := xlsx.Template{Sheet: SheetName(l), Title: l.Name + "（" + l.OwnerUnitName + "）",
		Instructions: []string{
			"本模板由台账“" + l.Name + "”（编码 " + l.Code + "）的定义生成，请勿修改表头。",
			"带 * 的列为必填；选项、单位、战区列请从下拉列表中选择。",
			"金额以万元填写，也可写明单位，如 1.5亿元；日期写作 2022-09-08 或 2022年9月8日。",
			"导入时先检查全部行，有任何错误则不导入任何一行，并列出出错的行、列和原因。",
		}}
	if l.KeyField != "" {
		kf, _ := fieldByKey(l.Fields, l.KeyField)
		t.Instructions = append(t.Instructions, "“"+kf.Label+"”是行标识：已有相同"+kf.Label+"的行会被更新，重复导入同一文件不会产生重复行。")
	}
	for _, f := range Active(l.Fields) {
		c := xlsx.TemplateColumn{Header: header(f), Required: f.Required, Format: format(f), Example: example(f, rf), Note: f.Note}
		switch f.Type {
		case TypeChoice:
			c.Choices = f.Options
		case TypeUnit, TypeZone:
			c.Choices = sortedNames(rf.names[f.Type])
		}
		if c.Note == "" {
			c.Note = TypeLabel(f.Type)
		}
		t.Columns = append(t.Columns, c)
	}
	return xlsx.WriteTemplate(w, t)
}

func sortedNames(m map[int64]string) []string {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[m[id]] {
			seen[m[id]] = true
			out = append(out, m[id])
		}
	}
	return out
}

// Export writes the rows matching f to w as .xlsx (or CSV when format is
// xlsx.FormatCSV), headers in Chinese; the 编号 column lets an edited export
// be imported back.
func (s *Service) Export(ctx context.Context, ledgerID int64, f RowFilter, format string, w io.Writer) error {
	l, rows, rf, err := s.matching(ctx, ledgerID, f)
	if err != nil {
		return err
	}
	active := Active(l.Fields)
	cols := []xlsx.Column{{Header: idLabel, Width: 8}}
	for _, fd := range active {
		cols = append(cols, xlsx.Column{Header: header(fd), Width: max(12, float64(len([]rune(header(fd))))*2.2+2)})
	}
	cols = append(cols, xlsx.Column{Header: "所属月份", Width: 10}, xlsx.Column{Header: "更新时间", Width: 20})
	out, err := xlsx.Start(format, SheetName(l), cols)
	if err != nil {
		return err
	}
	for _, r := range rows {
		cells := []any{r.id}
		for _, fd := range active {
			v := r.values[fd.Key]
			switch {
			case v == nil:
				cells = append(cells, "")
			case fd.Numeric():
				n, _ := scaled(fd, v)
				cells = append(cells, unscale(fd, n))
			default:
				cells = append(cells, text(fd, v, rf))
			}
		}
		cells = append(cells, r.period, r.updated.Local())
		if err := out.Row(cells...); err != nil {
			return err
		}
	}
	_, err = out.WriteTo(w)
	return err
}

// Import reads an .xlsx (or CSV) of rows. Every row is checked first; a dry
// run answers what would happen, a commit with any problem writes nothing,
// and a clean commit writes every row in one transaction. A row whose key
// (or 编号) names an existing row updates it, so importing the same file twice
// changes nothing the second time.
func (s *Service) Import(ctx context.Context, ledgerID int64, r io.Reader, dryRun bool) (xlsx.ImportResult, error) {
	res := xlsx.ImportResult{DryRun: dryRun, Problems: []xlsx.Problem{}}
	l, rf, err := s.writable(ctx, ledgerID)
	if err != nil {
		return res, err
	}
	book, err := xlsx.Open(r, xlsx.DefaultLimits())
	if err != nil {
		return res, err
	}
	defer book.Close()
	active := Active(l.Fields)
	fields := []xlsx.Field{{Key: "_id", Labels: []string{idLabel}}}
	for _, f := range active {
		fields = append(fields, xlsx.Field{Key: f.Key, Labels: []string{f.Label, header(f)}, Required: f.Required})
	}
	existing, err := liveRows(ctx, s.db.Read(), l.ID)
	if err != nil {
		return res, err
	}
	byKey, byID := map[string]stored{}, map[int64]stored{}
	for _, e := range existing {
		byID[e.id] = e
		if e.key != "" {
			byKey[e.key] = e
		}
	}
	type op struct {
		before *stored
		values map[string]any
	}
	var ops []op
	sheet := book.Pick(SheetName(l))
	seenKeys, seenIDs := map[string]int{}, map[int64]int{}
	err = book.Table(sheet, fields, func(rec xlsx.Record) error {
		raw := map[string]any{}
		for _, f := range active {
			if rec.Has(f.Key) {
				raw[f.Key] = rec.Get(f.Key)
			}
		}
		var before *stored
		if idText := rec.Get("_id"); idText != "" {
			id, err := strconv.ParseInt(idText, 10, 64)
			e, ok := byID[id]
			if err != nil || !ok {
				res.Problems = append(res.Problems, xlsx.Problem{Sheet: sheet, Row: rec.Row, Column: rec.Column("_id"), Value: idText,
					Message: fmt.Sprintf("编号 %s 不是本台账现有的行；新增的行请留空编号", idText)})
				return nil
			}
			if prev, dup := seenIDs[id]; dup {
				res.Problems = append(res.Problems, xlsx.Problem{Sheet: sheet, Row: rec.Row, Column: rec.Column("_id"), Value: idText,
					Message: fmt.Sprintf("编号 %s 与第 %d 行重复", idText, prev)})
				return nil
			}
			seenIDs[id] = rec.Row
			before = &e
		}
		values, fe := check(l, raw, rf, "")
		for _, e := range fe {
			v := ""
			if e.Value != nil {
				v = fmt.Sprint(e.Value)
			}
			res.Problems = append(res.Problems, xlsx.Problem{Sheet: sheet, Row: rec.Row, Column: rec.Column(e.Field), Value: v, Message: e.Message})
		}
		if len(fe) > 0 {
			return nil
		}
		if key := keyOf(l, values); key != "" {
			if prev, dup := seenKeys[key]; dup {
				kf, _ := fieldByKey(l.Fields, l.KeyField)
				res.Problems = append(res.Problems, xlsx.Problem{Sheet: sheet, Row: rec.Row, Column: rec.Column(l.KeyField), Value: key,
					Message: fmt.Sprintf("%s“%s”与第 %d 行重复", kf.Label, key, prev)})
				return nil
			}
			seenKeys[key] = rec.Row
			if e, ok := byKey[key]; ok && before == nil {
				before = &e
			} else if ok && before.id != e.id {
				kf, _ := fieldByKey(l.Fields, l.KeyField)
				res.Problems = append(res.Problems, xlsx.Problem{Sheet: sheet, Row: rec.Row, Column: rec.Column(l.KeyField), Value: key,
					Message: fmt.Sprintf("%s“%s”已是另一行（#%d）的标识", kf.Label, key, e.id)})
				return nil
			}
		}
		// A column the sheet does not have keeps the row's value.
		if before != nil {
			for _, f := range active {
				if v, ok := before.values[f.Key]; ok && !rec.Has(f.Key) {
					values[f.Key] = v
				}
			}
		}
		if before != nil {
			carryArchived(l, before.values, values)
			if valuesJSON(values) == valuesJSON(before.values) {
				res.Unchanged++
				return nil
			}
			res.Updated++
		} else {
			res.Created++
		}
		ops = append(ops, op{before, values})
		return nil
	})
	if err != nil {
		return res, err
	}
	if res.Created+res.Updated+res.Unchanged == 0 && len(res.Problems) == 0 {
		res.Problems = append(res.Problems, xlsx.Problem{Sheet: sheet, Message: "表中没有数据行"})
	}
	if dryRun || len(res.Problems) > 0 {
		return res, nil
	}
	err = s.db.Tx(ctx, func(q store.Querier) error {
		at := s.now().UTC()
		for _, o := range ops {
			if o.before == nil {
				id, err := insertRow(ctx, q, l, o.values, at)
				if err != nil {
					return err
				}
				after, err := getRow(ctx, q, id)
				if err != nil {
					return err
				}
				if err := audit.Write(ctx, q, audit.Entry{Action: "import", Entity: "ledger_row", EntityID: id, After: after}); err != nil {
					return err
				}
				continue
			}
			cur, err := getStored(ctx, q, o.before.id)
			if err != nil {
				return err
			}
			if cur.version != o.before.version {
				return errs.Stale("台账行 #" + strconv.FormatInt(cur.id, 10))
			}
			before := show(l, cur, rf)
			if err := reviseRow(ctx, q, l, cur, maps.Clone(o.values), at); err != nil {
				return err
			}
			after, err := getRow(ctx, q, cur.id)
			if err != nil {
				return err
			}
			if err := audit.Write(ctx, q, audit.Entry{Action: "import", Entity: "ledger_row", EntityID: cur.id, Before: before, After: after}); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

func liveRows(ctx context.Context, q store.Querier, ledgerID int64) ([]stored, error) {
	rows, err := q.Query(ctx, `SELECT `+rowCols+` FROM ledger_rows WHERE ledger_id = ? AND deleted_at IS NULL ORDER BY id`, ledgerID)
	if err != nil {
		return nil, fmt.Errorf("ledger rows: %w", err)
	}
	defer rows.Close()
	var out []stored
	for rows.Next() {
		r, err := scanStored(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
