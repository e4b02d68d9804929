package casework

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/org"
	"gongjian/internal/store"
)

// Case is a 督办件: something a unit (or several in parallel) must do by a date.
type Case struct {
	ID                int64      `json:"id"`
	Code              string     `json:"code" doc:"编号，如 DB-2022-0001"`
	Type              string     `json:"type" enum:"problem,instruction,enterprise_request,one_window,meeting_decision" doc:"problem 问题；instruction 批示；enterprise_request 企业诉求；one_window 一窗受理；meeting_decision 会议议定事项"`
	TypeLabel         string     `json:"type_label"`
	Title             string     `json:"title"`
	Description       string     `json:"description"`
	Priority          string     `json:"priority" enum:"normal,urgent"`
	SourceKind        string     `json:"source_kind" enum:",item,visit,meeting,report,person"`
	SourceID          int64      `json:"source_id"`
	ItemID            *int64     `json:"item_id"`
	ItemCode          string     `json:"item_code"`
	ItemName          string     `json:"item_name"`
	CampaignID        *int64     `json:"campaign_id"`
	EnterpriseID      *int64     `json:"enterprise_id"`
	RequesterPersonID *int64     `json:"requester_person_id"`
	RequesterName     string     `json:"requester_name" doc:"交办人（批示领导、提出人）"`
	RequesterUserID   *int64     `json:"requester_user_id"`
	RequesterUnitID   *int64     `json:"requester_unit_id"`
	RequesterUnitName string     `json:"requester_unit_name"`
	Deadline          date.Date  `json:"deadline" doc:"办理期限（批准延期后为新期限）"`
	OriginalDeadline  date.Date  `json:"original_deadline" doc:"原定期限，延期后仍保留"`
	State             string     `json:"state" enum:"open,in_progress,resolved,closed" doc:"open 待办理；in_progress 办理中；resolved 已办结；closed 已销号"`
	StateLabel        string     `json:"state_label"`
	Overdue           bool       `json:"overdue" doc:"未办结且已过期限"`
	DueSoon           bool       `json:"due_soon" doc:"未办结且期限在预警天数之内"`
	DaysLeft          int        `json:"days_left" doc:"距期限天数，逾期为负"`
	EscalatedTo       *int64     `json:"escalated_to" doc:"逾期升级到的责任领导（人员 ID）"`
	EscalatedToName   string     `json:"escalated_to_name"`
	EscalatedAt       *time.Time `json:"escalated_at"`
	ResolvedAt        *time.Time `json:"resolved_at"`
	ClosedAt          *time.Time `json:"closed_at"`
	ReopenCount       int        `json:"reopen_count"`
	Rating            *int       `json:"rating" doc:"最近一次满意度评价（1–5）"`
	ExternalRef       string     `json:"external_ref,omitempty" doc:"外部编号（如一窗受理系统的受理号）"`
	Units             string     `json:"units" doc:"承办单位，顿号分隔"`
	Tasks             []CaseTask `json:"tasks"`
	Version           int        `json:"version"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

// CaseTask is one assigned unit's part of a case, with its own due date and answer.
type CaseTask struct {
	ID             int64      `json:"id"`
	UnitID         int64      `json:"unit_id"`
	UnitName       string     `json:"unit_name"`
	Role           string     `json:"role" enum:"lead,parallel" doc:"lead 牵头办理；parallel 并联办理"`
	Due            date.Date  `json:"due"`
	State          string     `json:"state" enum:"pending,accepted,answered" doc:"pending 待签收；accepted 已签收；answered 已答复"`
	Answer         string     `json:"answer"`
	AcceptedAt     *time.Time `json:"accepted_at"`
	AnsweredAt     *time.Time `json:"answered_at"`
	AnsweredByName string     `json:"answered_by_name"`
	Overdue        bool       `json:"overdue"`
}

// CaseInput is a new case. Types: "problem" 问题, "instruction" 批示,
// "enterprise_request" 企业诉求, "one_window" 一窗受理, "meeting_decision" 会议议定事项.
type CaseInput struct {
	Type              string          `json:"type,omitempty" enum:",problem,instruction,enterprise_request,one_window,meeting_decision" doc:"调度会议定事项可省略"`
	Title             string          `json:"title" maxLength:"200"`
	Description       string          `json:"description,omitempty" maxLength:"10000"`
	Priority          string          `json:"priority,omitempty" enum:",normal,urgent" doc:"默认 normal"`
	SourceKind        string          `json:"source_kind,omitempty" enum:",item,visit,meeting,report,person"`
	SourceID          int64           `json:"source_id,omitempty" minimum:"0"`
	ItemID            *int64          `json:"item_id,omitempty" doc:"关联事项；不指定承办单位时交该事项牵头单位办理"`
	EnterpriseID      *int64          `json:"enterprise_id,omitempty"`
	RequesterPersonID *int64          `json:"requester_person_id,omitempty" doc:"交办人；默认当前用户对应的人员"`
	Deadline          date.Date       `json:"deadline" doc:"办理期限"`
	Assignees         []AssigneeInput `json:"assignees,omitempty" maxItems:"50" doc:"一个牵头单位，或多个单位并联办理"`
}

// AssigneeInput is one unit a case is assigned to; Due defaults to the case's deadline.
type AssigneeInput struct {
	UnitID int64     `json:"unit_id" minimum:"1"`
	Due    date.Date `json:"due,omitempty" doc:"本单位的办理期限，默认同督办件期限"`
}

const caseSelect = `SELECT c.id, c.code, c.type, c.title, c.description, c.priority, c.source_kind, c.source_id,
	c.item_id, COALESCE(i.code, ''), COALESCE(i.name, ''), i.campaign_id, c.enterprise_id,
	c.requester_person_id, COALESCE(rp.name, ru.display_name, ''), c.requester_user_id, c.requester_unit_id, COALESCE(run.name, ''),
	c.deadline, c.original_deadline, c.state, c.escalated_to, COALESCE(ep.name, ''), c.escalated_at, c.resolved_at, c.closed_at,
	c.reopen_count, c.rating, COALESCE(c.external_ref, ''), c.version, c.created_at, c.updated_at
	FROM cases c LEFT JOIN items i ON i.id = c.item_id
	LEFT JOIN persons rp ON rp.id = c.requester_person_id LEFT JOIN users ru ON ru.id = c.requester_user_id
	LEFT JOIN units run ON run.id = c.requester_unit_id LEFT JOIN persons ep ON ep.id = c.escalated_to`

func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

func (s *Service) scanCase(r interface{ Scan(...any) error }) (Case, error) {
	var c Case
	var item, camp, ent, rp, ru, run, esc, rating sql.NullInt64
	var escAt, resAt, cloAt sql.NullTime
	err := r.Scan(&c.ID, &c.Code, &c.Type, &c.Title, &c.Description, &c.Priority, &c.SourceKind, &c.SourceID,
		&item, &c.ItemCode, &c.ItemName, &camp, &ent, &rp, &c.RequesterName, &ru, &run, &c.RequesterUnitName,
		&c.Deadline, &c.OriginalDeadline, &c.State, &esc, &c.EscalatedToName, &escAt, &resAt, &cloAt,
		&c.ReopenCount, &rating, &c.ExternalRef, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return c, err
	}
	c.ItemID, c.CampaignID, c.EnterpriseID = nullInt(item), nullInt(camp), nullInt(ent)
	c.RequesterPersonID, c.RequesterUserID, c.RequesterUnitID, c.EscalatedTo = nullInt(rp), nullInt(ru), nullInt(run), nullInt(esc)
	c.EscalatedAt, c.ResolvedAt, c.ClosedAt = nullTime(escAt), nullTime(resAt), nullTime(cloAt)
	if rating.Valid {
		v := int(rating.Int64)
		c.Rating = &v
	}
	s.derive(&c)
	return c, nil
}

// derive fills the labels and the time-limit flags as of the service's clock.
func (s *Service) derive(c *Case) {
	c.TypeLabel, c.StateLabel = typeLabels[c.Type], stateLabels[c.State]
	today := date.Of(s.now())
	c.DaysLeft = int(c.Deadline.Time().Sub(today.Time()).Hours() / 24)
	open := c.State == StateOpen || c.State == StateInProgress
	c.Overdue = open && c.Deadline.Before(today)
	c.DueSoon = open && !c.Overdue && c.DaysLeft <= s.warnDays
	if c.Tasks == nil {
		c.Tasks = []CaseTask{}
	}
	for i := range c.Tasks {
		c.Tasks[i].Overdue = open && c.Tasks[i].State != TaskAnswered && c.Tasks[i].Due.Before(today)
	}
}

// loadTasks attaches their tasks to cases, in one query.
func (s *Service) loadTasks(ctx context.Context, q store.Querier, cs []Case) error {
	if len(cs) == 0 {
		return nil
	}
	idx := map[int64]int{}
	args := make([]any, len(cs))
	for i, c := range cs {
		idx[c.ID], args[i] = i, c.ID
	}
	rows, err := q.Query(ctx, `SELECT t.case_id, t.id, t.unit_id, u.name, t.role, t.due, t.state, t.answer, t.accepted_at, t.answered_at,
		COALESCE(NULLIF(au.display_name, ''), au.username, '')
		FROM case_tasks t JOIN units u ON u.id = t.unit_id LEFT JOIN users au ON au.id = t.answered_by
		WHERE t.case_id IN (`+store.Placeholders(len(args))+`) ORDER BY t.case_id, t.role, t.id`, args...)
	if err != nil {
		return fmt.Errorf("load case tasks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var caseID int64
		var t CaseTask
		var acc, ans sql.NullTime
		if err := rows.Scan(&caseID, &t.ID, &t.UnitID, &t.UnitName, &t.Role, &t.Due, &t.State, &t.Answer, &acc, &ans, &t.AnsweredByName); err != nil {
			return fmt.Errorf("scan case task: %w", err)
		}
		t.AcceptedAt, t.AnsweredAt = nullTime(acc), nullTime(ans)
		c := &cs[idx[caseID]]
		c.Tasks = append(c.Tasks, t)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range cs {
		names := make([]string, 0, len(cs[i].Tasks))
		for _, t := range cs[i].Tasks {
			names = append(names, t.UnitName)
		}
		cs[i].Units = strings.Join(names, "、")
		s.derive(&cs[i])
	}
	return nil
}

// scopeWhere limits cases (alias c) to what the actor may see: a unit
// reporter the cases assigned to its unit (or a unit below it) or raised by
// it; a leader the cases escalated to him or her, raised by him or her, or on
// items he or she leads; everyone else the district. A nil actor is system work.
func scopeWhere(a *access.Actor) store.Where {
	var w store.Where
	if a == nil {
		return w
	}
	switch a.Scope() {
	case access.ScopeUnit:
		task, args := org.InSubtree(`st.unit_id`, a.UnitID)
		req, reqArgs := org.InSubtree(`c.requester_unit_id`, a.UnitID)
		w.Add(`(EXISTS (SELECT 1 FROM case_tasks st WHERE st.case_id = c.id AND `+task+`) OR `+req+`)`, append(args, reqArgs...)...)
	case access.ScopeLeader:
		w.Add(`(c.escalated_to = ? OR c.requester_person_id = ? OR c.requester_user_id = ?
			OR c.item_id IN (SELECT li.id FROM items li WHERE li.leader_id = ?))`, a.PersonID, a.PersonID, a.UserID, a.PersonID)
	}
	return w
}

// getCase loads a case the actor may see, with its tasks; a case outside the
// scope is "not found" so that its existence is not revealed.
func (s *Service) getCase(ctx context.Context, q store.Querier, id int64) (Case, error) {
	w := scopeWhere(access.From(ctx))
	w.Add(`c.id = ?`, id)
	c, err := s.scanCase(q.QueryRow(ctx, caseSelect+w.SQL(), w.Args...))
	if store.IsNoRows(err) {
		return c, errs.NotFound("督办件", id)
	}
	if err != nil {
		return c, fmt.Errorf("get case %d: %w", id, err)
	}
	cs := []Case{c}
	if err := s.loadTasks(ctx, q, cs); err != nil {
		return c, err
	}
	return cs[0], nil
}

// Get returns a case with its tasks.
func (s *Service) Get(ctx context.Context, id int64) (Case, error) {
	if err := need(ctx, access.CaseRead); err != nil {
		return Case{}, err
	}
	return s.getCase(ctx, s.db.Read(), id)
}

// need fails unless the actor (nil: system work) holds p.
func need(ctx context.Context, p access.Permission) error {
	if a := access.From(ctx); a != nil && !a.Can(p) {
		return errs.Forbidden(fmt.Sprintf("当前角色（%s）没有权限（%s）", a.Role.Label(), p))
	}
	return nil
}

// Filter narrows List.
type Filter struct {
	Type, State string
	UnitID      int64 // assigned to this unit or a unit below it
	ItemID      int64
	CampaignID  int64
	LeaderID    int64 // escalated to, or on items led by, this person
	Escalated   bool
	Overdue     bool
	DueSoon     bool
	Reopened    bool
	From, To    date.Date // created within
	AsOf        date.Date // count the time limits to the end of this day, as things stood then (zero: today)
	Q           string
	Sort        string
	Page        store.Page
}

var caseSorts = map[string]string{"created_at": "c.created_at", "deadline": "c.deadline", "code": "c.code", "state": "c.state", "type": "c.type"}

// List returns the cases the actor may see that match f, and their total.
func (s *Service) List(ctx context.Context, f Filter) ([]Case, int, error) {
	if err := need(ctx, access.CaseRead); err != nil {
		return nil, 0, err
	}
	w := s.filterWhere(ctx, f)
	order, err := store.OrderBy(f.Sort, caseSorts, "-created_at", "c.id DESC")
	if err != nil {
		return nil, 0, err
	}
	q := s.db.Read()
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM cases c LEFT JOIN items i ON i.id = c.item_id`+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count cases: %w", err)
	}
	out, err := s.query(ctx, q, caseSelect+w.SQL()+order+f.Page.LimitOffset(), w.Args)
	if err == nil && !f.AsOf.IsZero() {
		err = s.deriveAsOf(ctx, q, out, f.AsOf)
	}
	return out, total, err
}

// Each calls fn for every case matching f, reading in pages (for exports).
func (s *Service) Each(ctx context.Context, f Filter, fn func(Case) error) error {
	f.Page = store.Page{Number: 1, Size: store.MaxPageSize}
	for ; ; f.Page.Number++ {
		cs, _, err := s.List(ctx, f)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(cs) < f.Page.Size {
			return nil
		}
	}
}

func (s *Service) query(ctx context.Context, q store.Querier, stmt string, args []any) ([]Case, error) {
	rows, err := q.Query(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	out := []Case{}
	for rows.Next() {
		c, err := s.scanCase(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan case: %w", err)
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.loadTasks(ctx, q, out)
}

func (s *Service) filterWhere(ctx context.Context, f Filter) store.Where {
	w := scopeWhere(access.From(ctx))
	today := date.Of(s.now())
	if f.Type != "" {
		w.Add(`c.type = ?`, f.Type)
	}
	if f.State != "" {
		w.Add(`c.state = ?`, f.State)
	}
	if f.UnitID != 0 {
		cond, args := org.InSubtree(`ft.unit_id`, f.UnitID)
		w.Add(`EXISTS (SELECT 1 FROM case_tasks ft WHERE ft.case_id = c.id AND `+cond+`)`, args...)
	}
	if f.ItemID != 0 {
		w.Add(`c.item_id = ?`, f.ItemID)
	}
	if f.CampaignID != 0 {
		w.Add(`i.campaign_id = ?`, f.CampaignID)
	}
	if f.LeaderID != 0 {
		w.Add(`(c.escalated_to = ? OR i.leader_id = ?)`, f.LeaderID, f.LeaderID)
	}
	if f.Escalated {
		w.Add(`c.escalated_to IS NOT NULL`)
	}
	s.timeLimitWhere(&w, f, today)
	if f.Reopened {
		w.Add(`c.reopen_count > 0`)
	}
	if !f.From.IsZero() {
		w.Add(`c.created_at >= ?`, f.From.Time())
	}
	if !f.To.IsZero() {
		w.Add(`c.created_at < ?`, f.To.Time().AddDate(0, 0, 1))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		p := store.Contains(q)
		w.Add(`(c.title LIKE ? ESCAPE '\' OR c.code LIKE ? ESCAPE '\' OR c.description LIKE ? ESCAPE '\')`, p, p, p)
	}
	return w
}
