package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Visit is a commissioner's service visit (走访) to an enterprise.
type Visit struct {
	ID             int64          `json:"id"`
	EnterpriseID   int64          `json:"enterprise_id"`
	EnterpriseName string         `json:"enterprise_name"`
	CreditCode     string         `json:"credit_code"`
	VisitDate      date.Date      `json:"visit_date"`
	VisitorID      int64          `json:"visitor_id" doc:"走访人（服务专员）"`
	VisitorName    string         `json:"visitor_name"`
	Notes          string         `json:"notes"`
	Problems       []VisitProblem `json:"problems" doc:"走访中企业反映的问题，每个问题转为一件督办件"`
	Illustrative   bool           `json:"illustrative"`
	Version        int            `json:"version"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

// VisitProblem is a problem raised on a visit and the case it became.
type VisitProblem struct {
	ID          int64     `json:"id"`
	VisitID     int64     `json:"visit_id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	CaseID      *int64    `json:"case_id" doc:"转成的督办件"`
	CaseCode    string    `json:"case_code"`
	CaseState   string    `json:"case_state"`
	Solved      bool      `json:"solved" doc:"已解决：督办件已销号"`
	SolvedOn    date.Date `json:"solved_on"`
}

// VisitInput is what a caller sets on a visit.
type VisitInput struct {
	EnterpriseID int64               `json:"enterprise_id"`
	VisitDate    date.Date           `json:"visit_date"`
	VisitorID    int64               `json:"visitor_id,omitempty" doc:"走访人；不填为当前用户本人"`
	Notes        string              `json:"notes,omitempty" maxLength:"10000"`
	Problems     []VisitProblemInput `json:"problems,omitempty" maxItems:"50" doc:"新反映的问题，保存时每个问题转为一件企业诉求督办件（仅新建时）"`
	Illustrative bool                `json:"illustrative,omitempty"`
}

// VisitProblemInput is a problem to raise: it becomes an enterprise-request case
// assigned to UnitID, due by Deadline.
type VisitProblemInput struct {
	Title       string    `json:"title" maxLength:"300"`
	Description string    `json:"description,omitempty" maxLength:"10000"`
	UnitID      int64     `json:"unit_id,omitempty" doc:"承办单位"`
	Deadline    date.Date `json:"deadline,omitzero" doc:"办结时限"`
}

// DefaultProblemDays is how long a unit has for a problem raised on a visit
// when no deadline is given.
const DefaultProblemDays = 15

// CaseRaiser turns a problem into a case and returns the case's id. The API
// passes the casework service's; without one problems are kept unlinked.
type CaseRaiser func(ctx context.Context, v Visit, p VisitProblemInput) (int64, error)

func (in *VisitInput) check(ctx context.Context, creating, raising bool) error {
	in.Notes = strings.TrimSpace(in.Notes)
	if in.VisitorID == 0 {
		if a := access.From(ctx); a != nil {
			in.VisitorID = a.PersonID
		}
	}
	var c errs.Checker
	c.Check(in.EnterpriseID != 0, "enterprise_id", "required", "请选择走访的企业", nil)
	c.Check(!in.VisitDate.IsZero(), "visit_date", "required", "走访日期不能为空", nil)
	c.Check(in.VisitDate.IsZero() || !in.VisitDate.After(date.LatestToday(time.Now())), "visit_date", "date.future", "走访日期不能晚于今天", in.VisitDate.String())
	c.Check(in.VisitorID != 0, "visitor_id", "required", "走访人不能为空（当前账号未关联人员时须指定）", nil)
	if !creating && len(in.Problems) > 0 {
		c.Add("problems", "visit.problems_on_update", "修改走访记录时不能新增问题，请在走访详情中“反映问题”", len(in.Problems))
	}
	for i := range in.Problems {
		p := &in.Problems[i]
		p.Title = strings.TrimSpace(p.Title)
		c.Check(p.Title != "", fmt.Sprintf("problems[%d].title", i), "required", fmt.Sprintf("第%d个问题的标题不能为空", i+1), nil)
	}
	checkProblems(&c, in.Problems, raising)
	return c.Err()
}

// checkProblems checks what a problem needs to become a case: a unit to
// handle it and a deadline not in the past.
func checkProblems(c *errs.Checker, ps []VisitProblemInput, raising bool) {
	today := date.Of(time.Now())
	for i, p := range ps {
		if raising {
			c.Check(p.UnitID != 0, fmt.Sprintf("problems[%d].unit_id", i), "required", fmt.Sprintf("第%d个问题请选择承办单位", i+1), nil)
		}
		c.Check(p.Deadline.IsZero() || !p.Deadline.Before(today), fmt.Sprintf("problems[%d].deadline", i), "case.deadline_past",
			fmt.Sprintf("第%d个问题的办结时限早于今天", i+1), p.Deadline.String())
	}
}

const visitSelect = `SELECT v.id, v.enterprise_id, e.name, e.credit_code, v.visit_date, v.visitor_id, p.name, v.notes, v.illustrative,
	v.version, v.created_at, v.updated_at
	FROM enterprise_visits v JOIN enterprises e ON e.id = v.enterprise_id JOIN persons p ON p.id = v.visitor_id`

func scanVisit(s scanner) (Visit, error) {
	var v Visit
	err := s.Scan(&v.ID, &v.EnterpriseID, &v.EnterpriseName, &v.CreditCode, &v.VisitDate, &v.VisitorID, &v.VisitorName, &v.Notes,
		&v.Illustrative, &v.Version, &v.CreatedAt, &v.UpdatedAt)
	v.Problems = []VisitProblem{}
	return v, err
}

// solvedExpr is 1 when a problem is solved: its case is closed (销号), or,
// for a problem kept without a case, it was marked solved.
const solvedExpr = `CASE WHEN c.state = 'closed' OR (vp.case_id IS NULL AND vp.solved_on IS NOT NULL) THEN 1 ELSE 0 END`

func fillProblems(ctx context.Context, q store.Querier, vs []Visit) error {
	if len(vs) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(vs))
	args := make([]any, len(vs))
	for i, v := range vs {
		idx[v.ID], args[i] = i, v.ID
	}
	rows, err := q.Query(ctx, `SELECT vp.id, vp.visit_id, vp.title, vp.description, vp.case_id, COALESCE(c.code, ''), COALESCE(c.state, ''),
		`+solvedExpr+`, vp.solved_on, c.closed_at
		FROM visit_problems vp LEFT JOIN cases c ON c.id = vp.case_id
		WHERE vp.visit_id IN (`+store.Placeholders(len(vs))+`) ORDER BY vp.id`, args...)
	if err != nil {
		return fmt.Errorf("visit problems: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p VisitProblem
		var caseID sql.NullInt64
		var solved int
		var closed sql.NullTime
		if err := rows.Scan(&p.ID, &p.VisitID, &p.Title, &p.Description, &caseID, &p.CaseCode, &p.CaseState, &solved, &p.SolvedOn, &closed); err != nil {
			return fmt.Errorf("scan problem: %w", err)
		}
		p.CaseID, p.Solved = nullID(caseID), solved == 1
		if closed.Valid && p.CaseID != nil {
			p.SolvedOn = date.Of(closed.Time)
		}
		v := &vs[idx[p.VisitID]]
		v.Problems = append(v.Problems, p)
	}
	return rows.Err()
}

func getVisit(ctx context.Context, q store.Querier, id int64) (Visit, error) {
	v, err := scanVisit(q.QueryRow(ctx, visitSelect+` WHERE v.id = ?`, id))
	if store.IsNoRows(err) {
		return v, errs.NotFound("走访记录", id)
	}
	if err != nil {
		return v, fmt.Errorf("get visit %d: %w", id, err)
	}
	vs := []Visit{v}
	err = fillProblems(ctx, q, vs)
	return vs[0], err
}

var visitKind = audit.Kind[Visit]{Entity: "enterprise_visit", Label: "走访记录", Get: getVisit, Version: func(v Visit) int { return v.Version }}

// VisitFilter narrows ListVisits.
type VisitFilter struct {
	EnterpriseID int64
	VisitorID    int64
	From, To     date.Date
	Q            string // enterprise name or code, or the notes
	HasProblems  bool
	Sort         string
	Page         store.Page
}

var visitSorts = map[string]string{"visit_date": "v.visit_date", "enterprise": "e.name", "visitor": "p.name"}

func (f VisitFilter) where() store.Where {
	var w store.Where
	if f.EnterpriseID != 0 {
		w.Add(`v.enterprise_id = ?`, f.EnterpriseID)
	}
	if f.VisitorID != 0 {
		w.Add(`v.visitor_id = ?`, f.VisitorID)
	}
	if !f.From.IsZero() {
		w.Add(`v.visit_date >= ?`, f.From)
	}
	if !f.To.IsZero() {
		w.Add(`v.visit_date <= ?`, f.To)
	}
	if f.Q != "" {
		p := store.Contains(f.Q)
		w.Add(`(e.name LIKE ? ESCAPE '\' OR e.credit_code LIKE ? ESCAPE '\' OR v.notes LIKE ? ESCAPE '\')`, p, p, p)
	}
	if f.HasProblems {
		w.Add(`EXISTS (SELECT 1 FROM visit_problems hp WHERE hp.visit_id = v.id)`)
	}
	return w
}

// VisitList is a page of visits.
type VisitList struct {
	Items []Visit `json:"items"`
	Total int     `json:"total"`
}

// ListVisits returns the visits matching f, newest first by default.
func (s *Service) ListVisits(ctx context.Context, f VisitFilter) (VisitList, error) {
	q := s.db.Read()
	w := f.where()
	order, err := store.OrderBy(f.Sort, visitSorts, "-visit_date", "v.id DESC")
	if err != nil {
		return VisitList{}, err
	}
	out := VisitList{Items: []Visit{}}
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM enterprise_visits v JOIN enterprises e ON e.id = v.enterprise_id`+w.SQL(), w.Args...).
		Scan(&out.Total); err != nil {
		return out, fmt.Errorf("count visits: %w", err)
	}
	rows, err := q.Query(ctx, visitSelect+w.SQL()+order+f.Page.LimitOffset(), w.Args...)
	if err != nil {
		return out, fmt.Errorf("list visits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanVisit(rows)
		if err != nil {
			return out, fmt.Errorf("scan visit: %w", err)
		}
		out.Items = append(out.Items, v)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	return out, fillProblems(ctx, q, out.Items)
}

// GetVisit returns one visit with its problems.
func (s *Service) GetVisit(ctx context.Context, id int64) (Visit, error) {
	return getVisit(ctx, s.db.Read(), id)
}

func checkVisitRefs(ctx context.Context, q store.Querier, in VisitInput) error {
	var c errs.Checker
	ok, err := exists(ctx, q, `SELECT COUNT(*) FROM enterprises WHERE id = ?`, in.EnterpriseID)
	if err != nil {
		return fmt.Errorf("check enterprise: %w", err)
	}
	c.Check(ok, "enterprise_id", "not_found", "企业不存在", in.EnterpriseID)
	if err := checkPerson(ctx, q, &c, "visitor_id", "走访人", &in.VisitorID); err != nil {
		return err
	}
	for i, p := range in.Problems {
		if p.UnitID == 0 {
			continue
		}
		ok, err := exists(ctx, q, `SELECT COUNT(*) FROM units WHERE id = ?`, p.UnitID)
		if err != nil {
			return fmt.Errorf("check unit: %w", err)
		}
		c.Check(ok, fmt.Sprintf("problems[%d].unit_id", i), "not_found", fmt.Sprintf("第%d个问题的承办单位不存在", i+1), p.UnitID)
	}
	return c.Err()
}

// canEditVisit: a commissioner edits the visits he or she made or logged;
// supervisors and administrators edit any.
func canEditVisit(ctx context.Context, q store.Querier, id int64) error {
	a := access.From(ctx)
	if canEditAll(a) {
		return nil
	}
	var visitor int64
	var createdBy sql.NullInt64
	err := q.QueryRow(ctx, `SELECT visitor_id, created_by FROM enterprise_visits WHERE id = ?`, id).Scan(&visitor, &createdBy)
	if store.IsNoRows(err) {
		return errs.NotFound("走访记录", id)
	}
	if err != nil {
		return fmt.Errorf("visit owner: %w", err)
	}
	if (a.PersonID != 0 && visitor == a.PersonID) || createdBy.Int64 == a.UserID {
		return nil
	}
	return errs.Forbidden("只能修改本人的走访记录")
}

// CreateVisit logs a visit. Each problem raised on it is kept on the visit
// and, when raise is given, becomes a case in the same transaction, linked
// both ways (the case names the visit as its source; the problem keeps the
// case id): if any case cannot be raised, nothing is saved.
func (s *Service) CreateVisit(ctx context.Context, in VisitInput, raise CaseRaiser) (Visit, error) {
	if err := in.check(ctx, true, raise != nil); err != nil {
		return Visit{}, err
	}
	var uid any
	if a := access.From(ctx); a != nil {
		uid = a.UserID
	}
	var out Visit
	err := s.db.Tx(ctx, func(q store.Querier) error {
		tctx := store.WithTx(ctx, q)
		v, err := audit.Create(tctx, s.db, visitKind, func(q store.Querier) (id int64, err error) {
			if err := checkVisitRefs(ctx, q, in); err != nil {
				return 0, err
			}
			now := time.Now().UTC()
			if err := q.QueryRow(ctx, `INSERT INTO enterprise_visits (enterprise_id, visit_date, visitor_id, notes, illustrative, created_by, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.EnterpriseID, in.VisitDate, in.VisitorID, in.Notes, in.Illustrative, uid, now, now).Scan(&id); err != nil {
				return 0, fmt.Errorf("insert visit: %w", err)
			}
			return id, insertProblems(ctx, q, id, in.EnterpriseID, in.Problems, now)
		})
		if err != nil {
			return err
		}
		if err := raiseCases(tctx, q, v, v.Problems, in.Problems, raise); err != nil {
			return err
		}
		out, err = getVisit(ctx, q, v.ID)
		return err
	})
	return out, err
}

func insertProblems(ctx context.Context, q store.Querier, visitID, enterpriseID int64, ps []VisitProblemInput, now time.Time) error {
	for _, p := range ps {
		if _, err := q.Exec(ctx, `INSERT INTO visit_problems (visit_id, enterprise_id, title, description, created_at) VALUES (?, ?, ?, ?, ?)`,
			visitID, enterpriseID, p.Title, p.Description, now); err != nil {
			return fmt.Errorf("insert problem: %w", err)
		}
	}
	return nil
}

// raiseCases turns the saved problems (in the order of their inputs) into
// cases inside q's transaction, which ctx carries, and links each back.
// A failure names the problem and undoes the whole request.
func raiseCases(ctx context.Context, q store.Querier, v Visit, saved []VisitProblem, ps []VisitProblemInput, raise CaseRaiser) error {
	if raise == nil {
		return nil
	}
	for j, p := range saved {
		if j >= len(ps) {
			break
		}
		caseID, err := raise(ctx, v, ps[j])
		if err != nil {
			var e *errs.Error
			if errors.As(err, &e) && len(e.Fields) > 0 {
				c := *e
				c.Fields = make([]errs.FieldError, len(e.Fields))
				for i, f := range e.Fields {
					f.Field = fmt.Sprintf("problems[%d].%s", j, f.Field)
					f.Message = fmt.Sprintf("第%d个问题：%s", j+1, f.Message)
					c.Fields[i] = f
				}
				return &c
			}
			return err
		}
		if _, err := q.Exec(ctx, `UPDATE visit_problems SET case_id = ? WHERE id = ?`, caseID, p.ID); err != nil {
			return fmt.Errorf("link case: %w", err)
		}
		if err := audit.Write(ctx, q, audit.Entry{Action: "link_case", Entity: "visit_problem", EntityID: p.ID,
			After: map[string]any{"visit_id": v.ID, "case_id": caseID}}); err != nil {
			return err
		}
	}
	return nil
}

// AddProblems raises more problems on an existing visit, each becoming a
// case, all in one transaction.
func (s *Service) AddProblems(ctx context.Context, visitID int64, ps []VisitProblemInput, raise CaseRaiser) (Visit, error) {
	if err := canEditVisit(ctx, s.db.Read(), visitID); err != nil {
		return Visit{}, err
	}
	var c errs.Checker
	c.Check(len(ps) > 0, "problems", "required", "请至少填写一个问题", nil)
	for i := range ps {
		ps[i].Title = strings.TrimSpace(ps[i].Title)
		c.Check(ps[i].Title != "", fmt.Sprintf("problems[%d].title", i), "required", fmt.Sprintf("第%d个问题的标题不能为空", i+1), nil)
	}
	checkProblems(&c, ps, raise != nil)
	if err := c.Err(); err != nil {
		return Visit{}, err
	}
	var out Visit
	err := s.db.Tx(ctx, func(q store.Querier) error {
		before, err := getVisit(ctx, q, visitID)
		if err != nil {
			return err
		}
		if err := insertProblems(ctx, q, visitID, before.EnterpriseID, ps, time.Now().UTC()); err != nil {
			return err
		}
		if err := audit.Write(ctx, q, audit.Entry{Action: "add_problems", Entity: "enterprise_visit", EntityID: visitID, After: ps}); err != nil {
			return err
		}
		v, err := getVisit(ctx, q, visitID)
		if err != nil {
			return err
		}
		// The problems just added are the last len(ps).
		if err := raiseCases(store.WithTx(ctx, q), q, v, v.Problems[len(v.Problems)-len(ps):], ps, raise); err != nil {
			return err
		}
		out, err = getVisit(ctx, q, visitID)
		return err
	})
	return out, err
}

// UpdateVisit changes a visit's date, visitor and notes.
func (s *Service) UpdateVisit(ctx context.Context, id int64, version int, in VisitInput) (Visit, error) {
	if err := in.check(ctx, false, false); err != nil {
		return Visit{}, err
	}
	if err := canEditVisit(ctx, s.db.Read(), id); err != nil {
		return Visit{}, err
	}
	return audit.Update(ctx, s.db, visitKind, id, version, func(q store.Querier, _ Visit) error {
		if err := checkVisitRefs(ctx, q, in); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `UPDATE enterprise_visits SET enterprise_id = ?, visit_date = ?, visitor_id = ?, notes = ?, illustrative = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, in.EnterpriseID, in.VisitDate, in.VisitorID, in.Notes, in.Illustrative, time.Now().UTC(), id)
		if err != nil {
			return fmt.Errorf("update visit: %w", err)
		}
		_, err = q.Exec(ctx, `UPDATE visit_problems SET enterprise_id = ? WHERE visit_id = ?`, in.EnterpriseID, id)
		return err
	})
}

// DeleteVisit removes a visit; the cases its problems became stay.
func (s *Service) DeleteVisit(ctx context.Context, id int64, version int) error {
	if err := canEditVisit(ctx, s.db.Read(), id); err != nil {
		return err
	}
	return audit.Delete(ctx, s.db, visitKind, id, version, func(q store.Querier, _ Visit) error {
		_, err := q.Exec(ctx, `DELETE FROM enterprise_visits WHERE id = ?`, id)
		return err
	})
}
