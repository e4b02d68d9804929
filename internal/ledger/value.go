package ledger

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gongjian/internal/store"
	"gongjian/internal/xlsx"
)

// refs resolves the unit, zone and item fields: ids to names, and names or
// codes (as typed in a spreadsheet) to ids.
type refs struct {
	names map[string]map[int64]string // type → id → name
	ids   map[string]map[string]int64 // type → name or code → id
}

func loadRefs(ctx context.Context, q store.Querier, fs []LedgerField) (*refs, error) {
	r := &refs{names: map[string]map[int64]string{}, ids: map[string]map[string]int64{}}
	need := map[string]string{
		TypeUnit: `SELECT id, code, name FROM units`,
		TypeZone: `SELECT id, code, name FROM zones`,
		TypeItem: `SELECT id, code, name FROM items`,
	}
	for _, f := range fs {
		query, ok := need[f.Type]
		if !ok || r.names[f.Type] != nil {
			continue
		}
		rows, err := q.Query(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("ledger refs %s: %w", f.Type, err)
		}
		names, ids := map[int64]string{}, map[string]int64{}
		for rows.Next() {
			var id int64
			var code, name string
			if err := rows.Scan(&id, &code, &name); err != nil {
				rows.Close()
				return nil, err
			}
			names[id] = name
			ids[code] = id
			if _, taken := ids[name]; !taken {
				ids[name] = id
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		r.names[f.Type], r.ids[f.Type] = names, ids
	}
	return r, nil
}

// label is the name shown for a reference value.
func (r *refs) label(f LedgerField, v any) string {
	if r == nil {
		return ""
	}
	if m := r.names[f.Type]; m != nil {
		if id, ok := toInt(v); ok {
			return m[id]
		}
	}
	return ""
}

// normalize checks a raw value (from JSON or a spreadsheet cell) against the
// field and returns what is stored: nil for empty, a string, a float64, an
// int64 (yuan or an id). The message says in Chinese what is wrong.
func normalize(f LedgerField, raw any, r *refs) (any, string) {
	switch x := raw.(type) {
	case nil:
		return nil, ""
	case int:
		raw = int64(x)
	case int32:
		raw = int64(x)
	case float32:
		raw = float64(x)
	}
	s, isString := raw.(string)
	if isString {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, ""
		}
	}
	switch f.Type {
	case TypeText, TypeLocation:
		var out string
		switch v := raw.(type) {
		case string:
			out = s
		case float64:
			out = strconv.FormatFloat(v, 'f', -1, 64)
		case bool:
			return nil, "应为文本"
		default:
			out = fmt.Sprint(v)
		}
		if len([]rune(out)) > 2000 {
			return nil, "文本不能超过 2000 个字"
		}
		return out, ""
	case TypeNumber, TypeArea:
		var v float64
		switch x := raw.(type) {
		case float64:
			v = x
		case int64:
			v = float64(x)
		case string:
			n, err := parseNumber(s)
			if err != nil {
				return nil, err.Error()
			}
			v = n
		default:
			return nil, "应为数字"
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= 1e12 {
			return nil, "数字无效或过大"
		}
		return math.Round(v*1e4) / 1e4, ""
	case TypeAmountWan:
		switch x := raw.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) >= 1e11 {
				return nil, "金额无效或过大"
			}
			return int64(math.Round(x * 10000)), ""
		case int64:
			return x * 10000, ""
		case string:
			y, err := parseYuan(s, "万元")
			if err != nil {
				return nil, err.Error()
			}
			return y, ""
		}
		return nil, "应为金额（万元）"
	case TypeDate:
		switch x := raw.(type) {
		case string:
			d, err := parseDate(s)
			if err != nil {
				return nil, err.Error()
			}
			return d.String(), ""
		case float64:
			d, err := parseDate(strconv.FormatFloat(x, 'f', -1, 64))
			if err != nil {
				return nil, err.Error()
			}
			return d.String(), ""
		}
		return nil, "应为日期，如 2022-09-08"
	case TypeChoice:
		v := s
		if !isString {
			v = fmt.Sprint(raw)
			if fl, ok := raw.(float64); ok {
				v = strconv.FormatFloat(fl, 'f', -1, 64)
			}
		}
		for _, o := range f.Options {
			if o == v || normLabel(o) == normLabel(v) {
				return o, ""
			}
		}
		return nil, fmt.Sprintf("%q 不是可选值，可选：%s", v, strings.Join(f.Options, "、"))
	case TypeUnit, TypeZone, TypeItem:
		what := TypeLabel(f.Type)
		if id, ok := toInt(raw); ok && !isString {
			if _, known := r.names[f.Type][id]; !known {
				return nil, fmt.Sprintf("%s %d 不存在", what, id)
			}
			return id, ""
		}
		if !isString {
			return nil, "应为" + what + "的编号、编码或名称"
		}
		if id, ok := r.ids[f.Type][s]; ok {
			return id, ""
		}
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			if _, known := r.names[f.Type][id]; known {
				return id, ""
			}
		}
		return nil, fmt.Sprintf("没有名称或编码为 %q 的%s", s, what)
	case TypeEnterprise:
		if id, ok := toInt(raw); ok && !isString && id > 0 {
			return id, ""
		}
		if isString {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
				return id, ""
			}
		}
		return nil, "应为企业编号（正整数）"
	}
	return nil, "未知的字段类型"
}

// display turns a stored value into what the API shows: amounts in 万元,
// everything else as stored.
func display(f LedgerField, v any) any {
	if v == nil {
		return nil
	}
	if f.Type == TypeAmountWan {
		if y, ok := toInt(v); ok {
			return float64(y) / 10000
		}
	}
	return v
}

// text is a stored value as one line of text, for spreadsheets and grouping.
func text(f LedgerField, v any, r *refs) string {
	if v == nil {
		return ""
	}
	switch f.Type {
	case TypeAmountWan:
		if y, ok := toInt(v); ok {
			return strconv.FormatFloat(float64(y)/10000, 'f', -1, 64)
		}
	case TypeUnit, TypeZone, TypeItem:
		if l := r.label(f, v); l != "" {
			return l
		}
	}
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// groupKey is the value a row is grouped or filtered by.
func groupKey(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// scaled is a numeric value as an exact integer: yuan for amounts, ten
// thousandths for quantities and areas, so sums add up exactly.
func scaled(f LedgerField, v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		if f.Type == TypeAmountWan {
			return int64(math.Round(x)), true
		}
		return int64(math.Round(x * 1e4)), true
	case int64:
		if f.Type == TypeAmountWan {
			return x, true
		}
		return x * 1e4, true
	case string: // a value kept from before a type change
		n, ok := normalize(f, x, nil)
		if ok != "" {
			return 0, false
		}
		return scaled(f, n)
	}
	return 0, false
}

// unscale turns a scaled sum back into the field's unit (万元 for amounts).
func unscale(f LedgerField, s int64) float64 {
	if f.Type == TypeAmountWan {
		return float64(s) / 10000
	}
	return float64(s) / 1e4
}

func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), true
		}
	}
	return 0, false
}

// The cell parsers are the shared ones of every import, so a value typed in
// the UI and one read from a spreadsheet are understood alike.
var (
	parseNumber = xlsx.ParseNumber
	parseYuan   = xlsx.ParseYuan
	parseDate   = xlsx.ParseDate
)
