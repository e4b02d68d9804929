package importer

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"gongjian/internal/casework"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/xlsx"
)

// ---- cases: matched by code, or by external reference for new ones ----

var (
	caseTypes = func() choice {
		c := choice{codes: []string{casework.TypeProblem, casework.TypeInstruction, casework.TypeEnterpriseRequest, casework.TypeOneWindow,
			casework.TypeMeetingDecision}}
		for _, t := range c.codes {
			c.labels = append(c.labels, casework.TypeLabel(t))
		}
		return c
	}()
	casePriorities = choice{[]string{"normal", "urgent"}, []string{"一般", "紧急"}}
	caseSources    = choice{[]string{"meeting", "person"}, []string{"会议", "个人"}}
)

type caseRow struct {
	Code, Ref                   string
	Type, Priority, Source      *string
	Title                       string
	Description                 *string
	Item, Enterprise, Requester string
	Units                       []string
	Deadline                    date.Date
}

// The headers 编号, 类型, 标题, 交办人, 承办单位 and 办理期限 are those of the
// case list's export, so an exported file imports back as unchanged.
var caseFields = []xlsx.Field{f("code", false, "编号", "督办编号"), f("ref", false, "外部编号", "来文编号", "受理号"),
	f("type", true, "类型", "督办类型"), f("title", true, "标题", "督办事项"), f("description", false, "办理要求", "内容", "描述"),
	f("priority", false, "紧急程度"), f("source", false, "来源"), f("item", false, "关联事项编码"),
	f("enterprise", false, "企业统一社会信用代码", "企业信用代码"), f("requester", false, "交办人"),
	f("units", true, "承办单位", "牵头单位"), f("deadline", true, "办理期限", "期限")}

var caseFieldKey = map[string]string{"code": "code", "external_ref": "ref", "type": "type", "title": "title", "description": "description",
	"priority": "priority", "source_kind": "source", "item_id": "item", "enterprise_id": "enterprise", "requester_person_id": "requester",
	"deadline": "deadline", "assignees": "units"}

func locateCaseField(field string, _ caseRow) string {
	if strings.HasPrefix(field, "assignees") {
		return "units"
	}
	return ""
}

// ImportCases imports cases (督办件). New ones (no 编号) need an external
// reference, the key that finds them on the next import, and are raised as
// the case form raises them (Create: open, one task per unit, parallel when
// several). A row of an existing case changes only what may change once a
// case is raised: units may be added (交办) until it is closed; any other
// difference is a row error saying why.
func (s *Service) ImportCases(ctx context.Context, campaignID int64, r io.Reader, dryRun bool) (xlsx.ImportResult, error) {
	campaignID, units, persons, err := s.campaignLookups(ctx, campaignID)
	if err != nil {
		return xlsx.ImportResult{}, err
	}
	cs := s.more.cases
	sp := spec[caseRow]{sheet: "督办件", fields: caseFields, fieldKey: caseFieldKey, locate: locateCaseField,
		key: func(c caseRow) string {
			if c.Code != "" {
				return c.Code
			}
			return "ref:" + c.Ref
		},
		parse: func(_ context.Context, rec xlsx.Record, p *Problems) (caseRow, bool) {
			c := caseRow{Code: rec.Get("code"), Ref: rec.Get("ref"), Type: parseChoice(rec, "type", caseTypes, p), Title: required(rec, "title", p),
				Description: cellText(rec, "description"), Priority: parseChoice(rec, "priority", casePriorities, p),
				Source: parseChoice(rec, "source", caseSources, p), Item: rec.Get("item"), Enterprise: rec.Get("enterprise"), Requester: rec.Get("requester")}
			required(rec, "type", p)
			if c.Code == "" && c.Ref == "" {
				p.Add(rec, "ref", "", "新督办件须填写外部编号（再次导入时据此识别，不会重复立案）")
			}
			if v := required(rec, "units", p); v != "" {
				for _, name := range splitList(v) {
					if _, err := units.Find(name); err != nil {
						p.Add(rec, "units", v, err.Error())
					}
					c.Units = append(c.Units, strings.TrimSpace(name))
				}
			}
			if d := parseDateCell(rec, "deadline", p); d != nil {
				c.Deadline = *d
			} else {
				required(rec, "deadline", p)
			}
			return c, true
		},
		apply: func(ctx context.Context, c caseRow) (Outcome, error) {
			old, err := cs.ByKey(ctx, c.Code, c.Ref)
			if errs.KindOf(err) == errs.KindNotFound {
				if c.Code != "" {
					return 0, errs.Invalid([]errs.FieldError{{Field: "code", Key: "not_found",
						Message: fmt.Sprintf("找不到编号为 %s 的督办件；新督办件不填编号（由系统编号），请填写外部编号", c.Code), Value: c.Code}})
				}
				return s.createCase(ctx, campaignID, c, units, persons)
			}
			if err != nil {
				return 0, err
			}
			return s.updateCase(ctx, old, c, units, persons)
		}}
	return run(ctx, s, sp, r, dryRun)
}

func (s *Service) createCase(ctx context.Context, campaignID int64, c caseRow, units, persons *Lookup) (Outcome, error) {
	in := casework.CaseInput{Type: *c.Type, Title: c.Title, Deadline: c.Deadline}
	set(&in.Description, c.Description)
	set(&in.Priority, c.Priority)
	set(&in.SourceKind, c.Source)
	for _, name := range c.Units {
		id, _ := units.Find(name) // checked when parsed
		in.Assignees = append(in.Assignees, casework.AssigneeInput{UnitID: id})
	}
	if c.Requester != "" {
		id, err := persons.Find(c.Requester)
		if err != nil {
			return 0, errs.Invalid([]errs.FieldError{{Field: "requester_person_id", Key: "not_found", Message: err.Error(), Value: c.Requester}})
		}
		in.RequesterPersonID = &id
	}
	if c.Item != "" {
		if campaignID == 0 {
			return 0, errs.Invalid([]errs.FieldError{{Field: "item_id", Key: "not_found", Message: "请先选择攻坚年，再按事项编码关联事项"}})
		}
		id, err := s.itemByCode(ctx, campaignID, c.Item)
		if err != nil {
			return 0, err
		}
		if id == 0 {
			return 0, errs.Invalid([]errs.FieldError{{Field: "item_id", Key: "not_found", Message: fmt.Sprintf("找不到编码为“%s”的事项", c.Item), Value: c.Item}})
		}
		in.ItemID = &id
	}
	if c.Enterprise != "" {
		e, err := s.more.enterprise.EnterpriseByCode(ctx, c.Enterprise)
		if errs.KindOf(err) == errs.KindNotFound {
			return 0, errs.Invalid([]errs.FieldError{{Field: "enterprise_id", Key: "not_found",
				Message: fmt.Sprintf("统一社会信用代码为 %s 的企业尚未登记", c.Enterprise), Value: c.Enterprise}})
		}
		if err != nil {
			return 0, err
		}
		in.EnterpriseID = &e.ID
	}
	_, err := s.more.cases.CreateWithRef(ctx, in, c.Ref)
	return Created, err
}

// updateCase compares the row with a raised case: the same is unchanged,
// more units are assigned, anything else is refused with the reason.
func (s *Service) updateCase(ctx context.Context, old casework.Case, c caseRow, units, persons *Lookup) (Outcome, error) {
	var diff []errs.FieldError
	differs := func(field, label string, same bool, value string) {
		if !same {
			diff = append(diff, errs.FieldError{Field: field, Key: "case.import_locked", Value: value,
				Message: fmt.Sprintf("督办件 %s 已立案（当前为“%s”），%s不能通过导入修改", old.Code, old.StateLabel, label)})
		}
	}
	differs("type", "类型", c.Type == nil || *c.Type == old.Type, casework.TypeLabel(deref(c.Type)))
	differs("title", "标题", norm(c.Title) == norm(old.Title), c.Title)
	differs("description", "办理要求", c.Description == nil || strings.TrimSpace(*c.Description) == old.Description, deref(c.Description))
	differs("priority", "紧急程度", c.Priority == nil || *c.Priority == old.Priority, deref(c.Priority))
	if c.Deadline != old.Deadline {
		diff = append(diff, errs.FieldError{Field: "deadline", Key: "case.import_locked", Value: c.Deadline.String(),
			Message: fmt.Sprintf("督办件 %s 的办理期限为 %s，不能通过导入修改，请申请延期", old.Code, old.Deadline)})
	}
	if c.Requester != "" && norm(c.Requester) != norm(old.RequesterName) {
		id, err := persons.Find(c.Requester)
		differs("requester_person_id", "交办人", err == nil && old.RequesterPersonID != nil && id == *old.RequesterPersonID, c.Requester)
	}
	if c.Item != "" {
		differs("item_id", "关联事项", norm(c.Item) == norm(old.ItemCode), c.Item)
	}
	// Units: those of the case must all be named again; more are added.
	have := map[int64]bool{}
	for _, t := range old.Tasks {
		have[t.UnitID] = true
	}
	named := map[int64]bool{}
	var add []casework.AssigneeInput
	for _, name := range c.Units {
		id, _ := units.Find(name)
		named[id] = true
		if !have[id] && !slices.ContainsFunc(add, func(a casework.AssigneeInput) bool { return a.UnitID == id }) {
			add = append(add, casework.AssigneeInput{UnitID: id})
		}
	}
	for _, t := range old.Tasks {
		if !named[t.UnitID] {
			diff = append(diff, errs.FieldError{Field: "assignees", Key: "case.import_locked", Value: t.UnitName,
				Message: fmt.Sprintf("督办件 %s 已交%s办理，不能通过导入撤回", old.Code, t.UnitName)})
		}
	}
	if len(diff) > 0 {
		return 0, &errs.Error{Kind: errs.KindConflict, Key: "case.import_locked", Message: diff[0].Message, Fields: diff}
	}
	if len(add) == 0 {
		return Unchanged, nil
	}
	if old.State == casework.StateClosed {
		return 0, errs.Invalid([]errs.FieldError{{Field: "assignees", Key: "case.state",
			Message: fmt.Sprintf("督办件 %s 已销号，不能再交办", old.Code)}})
	}
	_, err := s.more.cases.Assign(ctx, old.ID, old.Version, add)
	return Updated, err
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
