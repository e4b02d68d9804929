package ledger

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gongjian/internal/errs"
)

// The types a field can have.
const (
	TypeText       = "text"
	TypeNumber     = "number"     // a quantity with a unit label (个, 处, 套)
	TypeAmountWan  = "amount_wan" // money: spoken in 万元, stored as exact yuan
	TypeArea       = "area"       // an area in m² or 亩
	TypeDate       = "date"
	TypeChoice     = "choice" // one of the field's options
	TypeUnit       = "unit"   // a unit of the organisation, by id
	TypeZone       = "zone"   // a zone, by id
	TypeEnterprise = "enterprise"
	TypeItem       = "item"
	TypeLocation   = "location"
)

// Types lists the field types in the order shown to users.
func Types() []string {
	return []string{TypeText, TypeNumber, TypeAmountWan, TypeArea, TypeDate, TypeChoice, TypeUnit, TypeZone,
		TypeEnterprise, TypeItem, TypeLocation}
}

// TypeLabel is a type's Chinese name.
func TypeLabel(t string) string {
	switch t {
	case TypeText:
		return "文本"
	case TypeNumber:
		return "数量"
	case TypeAmountWan:
		return "金额（万元）"
	case TypeArea:
		return "面积"
	case TypeDate:
		return "日期"
	case TypeChoice:
		return "选项"
	case TypeUnit:
		return "单位"
	case TypeZone:
		return "战区/片区"
	case TypeEnterprise:
		return "企业"
	case TypeItem:
		return "事项"
	case TypeLocation:
		return "位置"
	}
	return t
}

// The area units.
const (
	AreaM2 = "m²"
	AreaMu = "亩"
)

// LedgerField is one column of a ledger. Key never changes; a field removed from the
// definition stays with Archived set, so the values rows hold are kept.
type LedgerField struct {
	Key      string   `json:"key" minLength:"1" maxLength:"40" doc:"字段标识：小写字母开头，字母、数字、下划线；创建后不变"`
	Label    string   `json:"label" minLength:"1" maxLength:"60" doc:"列名（中文）"`
	Type     string   `json:"type" enum:"text,number,amount_wan,area,date,choice,unit,zone,enterprise,item,location"`
	Unit     string   `json:"unit,omitempty" maxLength:"20" doc:"number：计量单位（个、处、套）；area：m² 或 亩"`
	Options  []string `json:"options,omitempty" maxItems:"200" doc:"choice 的可选值"`
	Required bool     `json:"required,omitempty"`
	Counted  bool     `json:"counted,omitempty" doc:"按此字段分组计数（choice、unit、zone、item、enterprise）"`
	Summed   bool     `json:"summed,omitempty" doc:"汇总求和（number、amount_wan、area）"`
	Note     string   `json:"note,omitempty" maxLength:"200" doc:"填写说明，写入模板"`
	Archived bool     `json:"archived,omitempty" doc:"已从定义中移除；其数据保留。写入时忽略"`
}

// Numeric reports whether the field holds a quantity that can be summed.
func (f LedgerField) Numeric() bool {
	return f.Type == TypeNumber || f.Type == TypeAmountWan || f.Type == TypeArea
}

// Groupable reports whether rows can be counted by the field's value.
func (f LedgerField) Groupable() bool {
	switch f.Type {
	case TypeChoice, TypeUnit, TypeZone, TypeItem, TypeEnterprise:
		return true
	}
	return false
}

// UnitLabel is what a figure of the field is measured in.
func (f LedgerField) UnitLabel() string {
	if f.Type == TypeAmountWan {
		return "万元"
	}
	return f.Unit
}

var keyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// checkFields validates a definition's active fields and normalises them in place.
func checkFields(c *errs.Checker, fs []LedgerField) {
	c.Check(len(fs) > 0, "fields", "ledger.fields_required", "台账至少要有一个字段", nil)
	c.Check(len(fs) <= 100, "fields", "ledger.too_many_fields", "台账最多 100 个字段", len(fs))
	keys, labels := map[string]bool{}, map[string]bool{}
	for i := range fs {
		f := &fs[i]
		at := fmt.Sprintf("fields[%d]", i)
		f.Key, f.Label, f.Unit, f.Note = strings.TrimSpace(f.Key), strings.TrimSpace(f.Label), strings.TrimSpace(f.Unit), strings.TrimSpace(f.Note)
		f.Archived = false
		if !keyRe.MatchString(f.Key) {
			c.Add(at+".key", "ledger.field_key", fmt.Sprintf("字段标识 %q 无效：应以小写字母开头，只含小写字母、数字和下划线，最长 40 个字符", f.Key), f.Key)
		} else if keys[f.Key] {
			c.Add(at+".key", "ledger.field_key_duplicate", fmt.Sprintf("字段标识 %q 重复", f.Key), f.Key)
		}
		keys[f.Key] = true
		switch {
		case f.Label == "":
			c.Add(at+".label", "required", fmt.Sprintf("字段 %s 的列名不能为空", f.Key), nil)
		case labels[normLabel(f.Label)]:
			c.Add(at+".label", "ledger.field_label_duplicate", fmt.Sprintf("列名 %q 重复", f.Label), f.Label)
		}
		labels[normLabel(f.Label)] = true
		if !slices.Contains(Types(), f.Type) {
			c.Add(at+".type", "enum", fmt.Sprintf("字段 %s 的类型 %q 无效，可选：%s", f.Label, f.Type, strings.Join(Types(), ", ")), f.Type)
			continue
		}
		if f.Type == TypeArea {
			switch f.Unit {
			case "", "m2", "㎡", "平方米", AreaM2:
				f.Unit = AreaM2
			case AreaMu:
			default:
				c.Add(at+".unit", "ledger.area_unit", fmt.Sprintf("面积字段 %s 的单位应为 m² 或 亩", f.Label), f.Unit)
			}
		}
		if f.Type == TypeChoice {
			seen := map[string]bool{}
			opts := f.Options[:0]
			for _, o := range f.Options {
				o = strings.TrimSpace(o)
				if o == "" || seen[o] {
					continue
				}
				seen[o] = true
				opts = append(opts, o)
			}
			f.Options = opts
			c.Check(len(f.Options) > 0, at+".options", "ledger.options_required", fmt.Sprintf("选项字段 %s 至少要有一个可选值", f.Label), nil)
		} else {
			f.Options = nil
		}
		if f.Type != TypeNumber && f.Type != TypeArea {
			if f.Type != TypeAmountWan {
				f.Unit = ""
			} else {
				f.Unit = "万元"
			}
		}
		c.Check(!f.Summed || f.Numeric(), at+".summed", "ledger.not_summable",
			fmt.Sprintf("只有数量、金额、面积字段可以求和，%s 是%s", f.Label, TypeLabel(f.Type)), f.Summed)
		c.Check(!f.Counted || f.Groupable(), at+".counted", "ledger.not_countable",
			fmt.Sprintf("只有选项、单位、战区、事项、企业字段可以分组计数，%s 是%s", f.Label, TypeLabel(f.Type)), f.Counted)
	}
}

// normLabel is how labels are compared: without spaces or a required mark, case-folded.
func normLabel(s string) string {
	s = strings.ReplaceAll(s, "*", "")
	s = strings.ReplaceAll(s, "＊", "")
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

func fieldByKey(fs []LedgerField, key string) (LedgerField, bool) {
	for _, f := range fs {
		if f.Key == key {
			return f, true
		}
	}
	return LedgerField{}, false
}

// Active returns the fields not archived, in their order.
func Active(fs []LedgerField) []LedgerField {
	out := make([]LedgerField, 0, len(fs))
	for _, f := range fs {
		if !f.Archived {
			out = append(out, f)
		}
	}
	return out
}
