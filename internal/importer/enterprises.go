package importer

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"strings"

	"gongjian/internal/casework"
	"gongjian/internal/enterprise"
	"gongjian/internal/errs"
	"gongjian/internal/org"
	"gongjian/internal/xlsx"
)

// moreServices are the services the enterprise, visit, lead and case
// imports write through.
type moreServices struct {
	enterprise *enterprise.Service
	cases      *casework.Service
	raise      enterprise.CaseRaiser
}

// WithEnterprises returns the service that also imports enterprises, visits
// and investment leads through e and cases through c; raise turns a problem
// raised on an imported visit into a case the way the visit form does (nil:
// problems are refused, since they could not become cases).
func (s *Service) WithEnterprises(e *enterprise.Service, c *casework.Service, raise enterprise.CaseRaiser) *Service {
	x := *s
	x.more = moreServices{enterprise: e, cases: c, raise: raise}
	return &x
}

var (
	yesNo       = choice{[]string{"true", "false"}, []string{"是", "否"}}
	top500Kinds = choice{[]string{"world", "china", "private", "none"}, []string{"世界500强", "中国500强", "民营500强", "否"}}
)

// parseBool reads 是/否 (or yes/no, √/×, 1/0); nil when the cell is empty.
func parseBool(rec xlsx.Record, key string, p *Problems) *bool {
	v := rec.Get(key)
	if v == "" {
		return nil
	}
	var b bool
	switch strings.ToLower(v) {
	case "是", "y", "yes", "true", "1", "√", "✓":
		b = true
	case "否", "n", "no", "false", "0", "×", "✗", "无":
	default:
		p.Add(rec, key, v, fmt.Sprintf("“%s”应填“是”或“否”", v))
		return nil
	}
	return &b
}

// cell parses the cell of key with parse: nil when the cell is empty or
// cannot be parsed (a problem on the cell then).
func cell[T any](rec xlsx.Record, key string, p *Problems, parse func(string) (T, error)) *T {
	v := rec.Get(key)
	if v == "" {
		return nil
	}
	x, err := parse(v)
	if err != nil {
		p.Add(rec, key, v, err.Error())
		return nil
	}
	return &x
}

// findCell resolves a name or code in the cell of key with l; nil when the
// cell is empty or names nothing (a problem then).
func findCell(rec xlsx.Record, key string, l *Lookup, p *Problems) *int64 {
	return cell(rec, key, p, l.Find)
}

// unitsAndPersons reads the lookups of units and persons.
func (s *Service) unitsAndPersons(ctx context.Context) (units, persons *Lookup, err error) {
	if units, err = s.unitLookup(ctx); err != nil {
		return nil, nil, err
	}
	persons, err = s.personLookup(ctx)
	return units, persons, err
}

// creditCode reads and checks the unified social credit code in the cell of
// key: the error names the character that is wrong.
func creditCode(rec xlsx.Record, key string, p *Problems) string {
	v := required(rec, key, p)
	if v == "" {
		return ""
	}
	code := enterprise.NormalizeCreditCode(v)
	if msg := enterprise.CheckCreditCode(code); msg != "" {
		p.Add(rec, key, v, "统一社会信用代码有误："+msg)
		return ""
	}
	return code
}

// ---- enterprises: matched by unified social credit code ----

type enterpriseRow struct {
	Code, Name                       string
	Capital                          *float64
	Industry, Street, Address, Note  *string
	WhiteList, AboveScale            *bool
	Top500                           *string
	CommissionerID, FinanceAdvisorID *int64
}

// The headers are those of the enterprise list's export, so an exported
// file imports back as unchanged.
var enterpriseFields = []xlsx.Field{f("code", true, "统一社会信用代码", "信用代码", "社会信用代码"), f("name", true, "企业名称", "名称"),
	f("capital", false, "注册资本（万元）", "注册资本"), f("industry", false, "行业", "所属行业"), f("street", false, "街道", "所在街道", "园区"),
	f("address", false, "地址", "企业地址"), f("white_list", false, "白名单", "优质企业白名单"), f("top500", false, "五百强", "五百强类别"),
	f("above_scale", false, "规上", "规上企业", "规模以上企业"), f("commissioner", false, "服务专员"), f("advisor", false, "金融辅导员"),
	f("note", false, "备注")}

var enterpriseFieldKey = map[string]string{"credit_code": "code", "name": "name", "registered_capital_wan": "capital", "industry": "industry",
	"street": "street", "address": "address", "white_list": "white_list", "top500": "top500", "above_scale": "above_scale",
	"commissioner_id": "commissioner", "finance_advisor_id": "advisor", "note": "note"}

func enterpriseInput(e enterprise.Enterprise) enterprise.EnterpriseInput {
	return enterprise.EnterpriseInput{CreditCode: e.CreditCode, Name: e.Name, RegisteredCapitalWan: e.RegisteredCapitalWan, Industry: e.Industry,
		Street: e.Street, Address: e.Address, WhiteList: e.WhiteList, Top500: e.Top500, AboveScale: e.AboveScale, CommissionerID: e.CommissionerID,
		FinanceAdvisorID: e.FinanceAdvisorID, Illustrative: e.Illustrative, Note: e.Note}
}

// ImportEnterprises imports enterprises, matched by unified social credit
// code (checked by both check characters); an empty cell keeps the value.
func (s *Service) ImportEnterprises(ctx context.Context, r io.Reader, dryRun bool) (xlsx.ImportResult, error) {
	persons, err := s.personLookup(ctx)
	if err != nil {
		return xlsx.ImportResult{}, err
	}
	es := s.more.enterprise
	sp := spec[enterpriseRow]{sheet: "企业", fields: enterpriseFields, key: func(e enterpriseRow) string { return e.Code }, fieldKey: enterpriseFieldKey,
		parse: func(_ context.Context, rec xlsx.Record, p *Problems) (enterpriseRow, bool) {
			return enterpriseRow{Code: creditCode(rec, "code", p), Name: required(rec, "name", p), Capital: parseWanCell(rec, "capital", p),
				Industry: cellText(rec, "industry"), Street: cellText(rec, "street"), Address: cellText(rec, "address"), Note: cellText(rec, "note"),
				WhiteList: parseBool(rec, "white_list", p), AboveScale: parseBool(rec, "above_scale", p), Top500: parseChoice(rec, "top500", top500Kinds, p),
				CommissionerID: findCell(rec, "commissioner", persons, p), FinanceAdvisorID: findCell(rec, "advisor", persons, p)}, true
		},
		apply: func(ctx context.Context, row enterpriseRow) (Outcome, error) {
			old, err := es.EnterpriseByCode(ctx, row.Code)
			exists := err == nil
			if err != nil && errs.KindOf(err) != errs.KindNotFound {
				return 0, err
			}
			before := enterpriseInput(old)
			in := enterprise.EnterpriseInput{CreditCode: row.Code}
			if exists {
				in = before
			}
			in.Name = row.Name
			set(&in.RegisteredCapitalWan, row.Capital)
			set(&in.Industry, row.Industry)
			set(&in.Street, row.Street)
			set(&in.Address, row.Address)
			set(&in.Note, row.Note)
			set(&in.WhiteList, row.WhiteList)
			set(&in.AboveScale, row.AboveScale)
			set(&in.Top500, row.Top500)
			if in.Top500 == "none" {
				in.Top500 = ""
			}
			if row.CommissionerID != nil {
				in.CommissionerID = row.CommissionerID
			}
			if row.FinanceAdvisorID != nil {
				in.FinanceAdvisorID = row.FinanceAdvisorID
			}
			if !exists {
				_, err := es.CreateEnterprise(ctx, in)
				return Created, err
			}
			if reflect.DeepEqual(in, before) {
				return Unchanged, nil
			}
			_, err = es.UpdateEnterprise(ctx, old.ID, old.Version, in)
			return Updated, err
		}}
	return run(ctx, s, sp, r, dryRun)
}

// ---- templates of the enterprise, visit, lead and case imports ----

// moreTemplate is the template of one of the kinds of this file and its
// siblings; ok is false for a kind it does not know.
func (s *Service) moreTemplate(ctx context.Context, kind string, unitNames []string) (t xlsx.Template, ok bool, err error) {
	units, err := s.org.ListUnits(ctx, org.UnitFilter{})
	if err != nil {
		return t, false, err
	}
	streets := []string{}
	for _, u := range units {
		if u.Kind == "street" {
			streets = append(streets, u.Name)
		}
	}
	ps, err := s.org.ListPersons(ctx, org.PersonFilter{})
	if err != nil {
		return t, false, err
	}
	persons := make([]string, 0, len(ps))
	for _, p := range ps {
		persons = append(persons, p.Name)
	}
	unit := firstOr(unitNames, "区住建局")
	switch kind {
	case "enterprises":
		t = xlsx.Template{Sheet: "企业", Title: "企业导入模板", Instructions: []string{
			"统一社会信用代码相同的行更新已登记的企业，否则新登记；代码按 GB 32100 校验两级校验码，有误时指出是哪一位。",
			"留空的列保持原值；白名单、规上填“是”或“否”；五百强填“世界500强”“中国500强”“民营500强”或“否”。",
			"注册资本默认以万元为单位，可写“1.5亿元”“12,000”。服务专员、金融辅导员填人员姓名或编码。",
			"从企业列表导出的文件可直接修改后导入。",
		}, Columns: []xlsx.TemplateColumn{
			col("统一社会信用代码", true, "91370602MA3C4QWX4R", "18 位，唯一，导入时据此新增或更新", nil, "text"),
			col("企业名称", true, "烟台示例科技有限公司", "", nil, ""),
			col("注册资本（万元）", false, "5000", "", nil, "yuan_wan"),
			col("行业", false, "新一代信息技术", "", nil, ""),
			col("街道", false, firstOr(streets, ""), "企业所在街道", streets, ""),
			col("地址", false, "芝罘区南大街 1 号", "", nil, ""),
			col("白名单", false, "是", "优质企业白名单", yesNo.labels, ""),
			col("五百强", false, "否", "三类五百强类别", top500Kinds.labels, ""),
			col("规上", false, "是", "规模以上企业", yesNo.labels, ""),
			col("服务专员", false, firstOr(persons, ""), "", persons, ""),
			col("金融辅导员", false, "", "", persons, ""),
			col("备注", false, "", "", nil, ""),
		}}
	case "visits":
		t = xlsx.Template{Sheet: "走访记录", Title: "走访记录导入模板", Instructions: []string{
			"同一企业、同一走访日期、同一走访人的行更新已有走访记录（只改走访情况、追加新问题），否则新登记。",
			"企业按统一社会信用代码查找，须已登记（可先导入企业）。走访日期不能晚于今天。走访人留空为当前账号本人。",
			"反映问题：每个问题转为一件“企业诉求”督办件，交承办单位办理，办结时限默认 15 天；多个问题用分号“；”分隔。已有的问题不会重复转办。",
		}, Columns: []xlsx.TemplateColumn{
			col("走访日期", true, "2022-09-08", "不能晚于今天", nil, "date"),
			col("企业名称", false, "烟台示例科技有限公司", "仅供核对，以统一社会信用代码为准", nil, ""),
			col("统一社会信用代码", true, "91370602MA3C4QWX4R", "已登记企业的代码", nil, "text"),
			col("走访人", false, firstOr(persons, ""), "留空为当前账号本人", persons, ""),
			col("走访情况", false, "了解企业生产经营情况", "", nil, ""),
			col("反映问题", false, "", "多个问题用分号“；”分隔", nil, ""),
			col("问题描述", false, "", "", nil, ""),
			col("承办单位", false, unit, "反映问题时必填", unitNames, ""),
			col("办结时限", false, "", "默认走访后 15 天", nil, "date"),
		}}
	case "leads":
		stages := make([]string, 0, len(enterprise.Stages)+1)
		for _, st := range append(enterprise.Stages, "dropped") {
			stages = append(stages, enterprise.StageLabels[st])
		}
		t = xlsx.Template{Sheet: "招商项目", Title: "招商项目导入模板", Instructions: []string{
			"项目编号相同的行更新已有项目，否则新建（从洽谈开始）。留空的列保持原值。",
			"投资额默认以万元为单位，可写“12亿元”“120,000”。",
			"阶段按 洽谈 → 签约 → 注册落地 → 开工 → 投产 逐级推进，不能跳级或倒退：推进到某一阶段时，经过的每一阶段都须填写日期（当前阶段的日期留空为今天），日期不早于上一阶段。",
			"推进到“开工”时项目转为重点项目，须填写责任领导（需要事项编辑权限）；“终止”须填写终止原因。已登记的阶段日期不能通过导入修改。",
		}, Columns: []xlsx.TemplateColumn{
			col("项目编号", true, "ZS-2022-101", "唯一编码，导入时据此新增或更新", nil, "text"),
			col("投资方", true, "示例集团有限公司", "", nil, ""),
			col("项目名称", true, "示例智能制造产业园", "", nil, ""),
			col("产业领域", false, "高端装备", "", nil, ""),
			col("投资额（万元）", false, "12亿元", "", nil, "yuan_wan"),
			col("线索来源", false, "以商招商", "", nil, ""),
			col("责任单位", true, unit, "新项目必填", unitNames, ""),
			col("五百强", false, "否", "投资方为三类五百强", yesNo.labels, ""),
			col("阶段", false, "签约", "默认洽谈", stages, ""),
			col("洽谈日期", false, "2022-03-01", "", nil, "date"),
			col("签约日期", false, "2022-06-18", "", nil, "date"),
			col("注册落地日期", false, "", "", nil, "date"),
			col("开工日期", false, "", "", nil, "date"),
			col("投产日期", false, "", "", nil, "date"),
			col("终止原因", false, "", "阶段为终止时必填", nil, ""),
			col("责任领导", false, "", "推进到开工时必填", persons, ""),
			col("重点项目编码", false, "", "开工转为重点项目的编码，默认为项目编号", nil, "text"),
			col("备注", false, "", "", nil, ""),
		}}
	case "cases":
		types := make([]string, 0, len(caseTypes.labels))
		types = append(types, caseTypes.labels...)
		t = xlsx.Template{Sheet: "督办件", Title: "督办件导入模板", Instructions: []string{
			"新督办件不填编号（立案时由系统编号），须填写外部编号（如来文号、一窗受理号）：再次导入时据此识别，不会重复立案。",
			"编号或外部编号已有的行：内容相同为不变；只能追加承办单位（已销号的除外，需要交办权限）；已立案督办件的类型、标题、办理期限等不能通过导入修改（期限请走延期申请）。",
			"承办单位有多个时用顿号“、”分隔，各单位并联办理。办理期限不能早于今天。",
		}, Columns: []xlsx.TemplateColumn{
			col("编号", false, "", "系统编号，如 DB-2022-0001；新督办件留空", nil, "text"),
			col("外部编号", false, "来文-2022-015", "新督办件必填，唯一", nil, "text"),
			col("类型", true, "问题", "", types, ""),
			col("标题", true, "关于某路段积水问题的督办", "", nil, ""),
			col("办理要求", false, "请于期限内完成整改并答复", "", nil, ""),
			col("紧急程度", false, "一般", "默认一般", casePriorities.labels, ""),
			col("来源", false, "", "会议或个人；关联事项时为事项", caseSources.labels, ""),
			col("关联事项编码", false, "", "本攻坚年已有事项的编码；不填承办单位时交其牵头单位", nil, "text"),
			col("企业统一社会信用代码", false, "", "企业诉求关联的企业", nil, "text"),
			col("交办人", false, firstOr(persons, ""), "默认当前账号本人", persons, ""),
			col("承办单位", true, unit, "多个单位用顿号“、”分隔，并联办理", unitNames, ""),
			col("办理期限", true, "2022-12-31", "不能早于今天", nil, "date"),
		}}
	default:
		return t, false, nil
	}
	return t, true, nil
}
