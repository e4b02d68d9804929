package importer

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/enterprise"
	"gongjian/internal/errs"
	"gongjian/internal/xlsx"
)

// ---- visits: matched by enterprise, visit date and visitor ----

type visitRow struct {
	Code            string // the enterprise's credit code
	Date            date.Date
	VisitorID       int64
	Notes           *string
	Problems        []string
	Description     string
	UnitID          int64
	ProblemDeadline date.Date
}

// The headers follow the visit list's export (走访日期, 企业名称, 统一社会信用代码,
// 走访人, 走访情况, 问题及督办件), so an exported file imports back as unchanged.
var visitFields = []xlsx.Field{f("code", true, "统一社会信用代码", "信用代码", "企业统一社会信用代码"), f("date", true, "走访日期", "日期"),
	f("visitor", false, "走访人", "服务专员"), f("notes", false, "走访情况", "走访内容", "情况"),
	f("problems", false, "反映问题", "问题及督办件", "企业反映问题", "问题"), f("problem_desc", false, "问题描述"),
	f("problem_unit", false, "承办单位", "问题承办单位"), f("problem_deadline", false, "办结时限", "问题办结时限")}

var visitFieldKey = map[string]string{"enterprise_id": "code", "visit_date": "date", "visitor_id": "visitor", "notes": "notes", "problems": "problems"}

// locateProblemField maps problems[0].unit_id and the like to the problem columns.
func locateProblemField(field string, _ visitRow) string {
	switch {
	case !strings.HasPrefix(field, "problems["):
		return ""
	case strings.Contains(field, "unit_id"):
		return "problem_unit"
	case strings.Contains(field, "deadline"):
		return "problem_deadline"
	case strings.HasSuffix(field, "description"):
		return "problem_desc"
	}
	return "problems"
}

// caseSuffix is the （DB-2022-0001） the visit export writes after a problem
// that became a case.
var caseSuffix = regexp.MustCompile(`\s*[（(]DB-\d{4}-\d+[)）]\s*$`)

// splitProblems splits "问题一（DB-2022-0001）；问题二" into its titles.
func splitProblems(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '；' || r == ';' || r == '\n' }) {
		if p = strings.TrimSpace(caseSuffix.ReplaceAllString(p, "")); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ImportVisits imports service visits. A visit has no code: a row matches
// the visit of the same enterprise (by credit code), date and visitor. On a
// new visit each problem becomes an enterprise-request case as on the visit
// form; on an existing visit only the notes change and problems not yet on
// it are raised (as 走访中反映问题 does); problems already on it stay as they are.
func (s *Service) ImportVisits(ctx context.Context, r io.Reader, dryRun bool) (xlsx.ImportResult, error) {
	units, persons, err := s.unitsAndPersons(ctx)
	if err != nil {
		return xlsx.ImportResult{}, err
	}
	var self int64
	if a := access.From(ctx); a != nil {
		self = a.PersonID
	}
	es := s.more.enterprise
	sp := spec[visitRow]{sheet: "走访记录", fields: visitFields, fieldKey: visitFieldKey, locate: locateProblemField,
		key: func(v visitRow) string { return fmt.Sprintf("%s/%s/%d", v.Code, v.Date, v.VisitorID) },
		parse: func(_ context.Context, rec xlsx.Record, p *Problems) (visitRow, bool) {
			v := visitRow{Code: creditCode(rec, "code", p), Notes: cellText(rec, "notes"), Problems: splitProblems(rec.Get("problems")),
				Description: rec.Get("problem_desc"), VisitorID: self}
			if d := parseDateCell(rec, "date", p); d != nil {
				v.Date = *d
			} else if rec.Get("date") == "" {
				required(rec, "date", p)
			}
			if id := findCell(rec, "visitor", persons, p); id != nil {
				v.VisitorID = *id
			} else if rec.Get("visitor") == "" && self == 0 {
				p.Add(rec, "visitor", "", "请填写走访人（当前账号未关联人员）")
			}
			if id := findCell(rec, "problem_unit", units, p); id != nil {
				v.UnitID = *id
			}
			if d := parseDateCell(rec, "problem_deadline", p); d != nil {
				v.ProblemDeadline = *d
			}
			return v, true
		},
		apply: func(ctx context.Context, v visitRow) (Outcome, error) {
			ent, err := es.EnterpriseByCode(ctx, v.Code)
			if errs.KindOf(err) == errs.KindNotFound {
				return 0, errs.Invalid([]errs.FieldError{{Field: "enterprise_id", Key: "not_found",
					Message: fmt.Sprintf("统一社会信用代码为 %s 的企业尚未登记，请先登记或导入企业", v.Code)}})
			}
			if err != nil {
				return 0, err
			}
			old, err := es.FindVisit(ctx, ent.ID, v.Date, v.VisitorID)
			exists := err == nil
			if err != nil && errs.KindOf(err) != errs.KindNotFound {
				return 0, err
			}
			known := map[string]bool{}
			for _, p := range old.Problems {
				known[norm(p.Title)] = true
			}
			var raise []enterprise.VisitProblemInput
			for _, title := range v.Problems {
				if !known[norm(title)] {
					known[norm(title)] = true
					raise = append(raise, enterprise.VisitProblemInput{Title: title, Description: v.Description, UnitID: v.UnitID, Deadline: v.ProblemDeadline})
				}
			}
			if len(raise) > 0 && s.more.raise == nil {
				return 0, errs.Invalid([]errs.FieldError{{Field: "problems", Key: "import.no_casework", Message: "本系统未启用督办，不能导入反映的问题"}})
			}
			if !exists {
				in := enterprise.VisitInput{EnterpriseID: ent.ID, VisitDate: v.Date, VisitorID: v.VisitorID, Problems: raise}
				set(&in.Notes, v.Notes)
				_, err := es.CreateVisit(ctx, in, s.more.raise)
				return Created, err
			}
			out := Unchanged
			if v.Notes != nil && strings.TrimSpace(*v.Notes) != old.Notes {
				in := enterprise.VisitInput{EnterpriseID: ent.ID, VisitDate: old.VisitDate, VisitorID: old.VisitorID, Notes: *v.Notes, Illustrative: old.Illustrative}
				if _, err := es.UpdateVisit(ctx, old.ID, old.Version, in); err != nil {
					return 0, err
				}
				out = Updated
			}
			if len(raise) > 0 {
				if _, err := es.AddProblems(ctx, old.ID, raise, s.more.raise); err != nil {
					return 0, err
				}
				out = Updated
			}
			return out, nil
		}}
	return run(ctx, s, sp, r, dryRun)
}
