package progress

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Deadline extension states.
const (
	ExtensionRequested = "requested"
	ExtensionApproved  = "approved"
	ExtensionRejected  = "rejected"
)

// Extension is a unit's request to move the date of a milestone or the
// deadline of a target (延期申请), and the supervisor's decision on it. The
// date in force when it was asked for stays on the record (OldDate), so the
// original date can always be shown beside the new one.
type Extension struct {
	ID              int64      `json:"id"`
	ItemID          int64      `json:"item_id"`
	ItemCode        string     `json:"item_code"`
	ItemName        string     `json:"item_name"`
	Kind            string     `json:"kind" enum:"milestone,target" doc:"milestone：节点计划日期；target：目标期限"`
	MilestoneID     *int64     `json:"milestone_id"`
	TargetID        *int64     `json:"target_id"`
	Subject         string     `json:"subject" doc:"节点或目标的名称"`
	OldDate         date.Date  `json:"old_date" doc:"原定日期：申请时的节点计划日期或目标期限，批准后仍保留"`
	NewDate         date.Date  `json:"new_date" doc:"申请延期至"`
	Reason          string     `json:"reason" doc:"延期理由"`
	State           string     `json:"state" enum:"requested,approved,rejected" doc:"requested：待审批；approved：已批准；rejected：未批准"`
	Summary         string     `json:"summary" doc:"一句话说明，如「原定 2022年9月30日，经批准延期至 2022年10月31日」"`
	RequestedBy     *int64     `json:"requested_by" doc:"申请人用户 ID"`
	RequestedByName string     `json:"requested_by_name"`
	RequestedAt     time.Time  `json:"requested_at"`
	DecidedBy       *int64     `json:"decided_by" doc:"审批人用户 ID"`
	DecidedByName   string     `json:"decided_by_name"`
	DecidedAt       *time.Time `json:"decided_at"`
	DecisionNote    string     `json:"decision_note" doc:"审批意见"`
	Version         int        `json:"version"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// ExtensionInput is a request for a new date: for exactly one milestone or target.
type ExtensionInput struct {
	MilestoneID int64     `json:"milestone_id,omitempty" minimum:"0" doc:"节点 ID（与 target_id 二选一）"`
	TargetID    int64     `json:"target_id,omitempty" minimum:"0" doc:"目标 ID（与 milestone_id 二选一）"`
	NewDate     date.Date `json:"new_date" doc:"申请延期至，须晚于当前计划日期"`
	Reason      string    `json:"reason" maxLength:"2000" doc:"延期理由"`
}

// ExtensionFilter narrows ListExtensions.
type ExtensionFilter struct {
	CampaignID  int64
	ItemID      int64
	MilestoneID int64
	TargetID    int64
	State       string
	Page        store.Page
}

const extensionSelect = `SELECT e.id, e.item_id, i.code, i.name, e.milestone_id, e.target_id, COALESCE(m.name, t.name, ''),
	e.old_date, e.new_date, e.reason, e.state,
	e.requested_by, COALESCE(NULLIF(ru.display_name, ''), ru.username, 'system'), e.requested_at,
	e.decided_by, COALESCE(NULLIF(du.display_name, ''), du.username, ''), e.decided_at, e.decision_note,
	e.version, e.created_at, e.updated_at
	FROM deadline_extensions e JOIN items i ON i.id = e.item_id
	LEFT JOIN milestones m ON m.id = e.milestone_id LEFT JOIN targets t ON t.id = e.target_id
	LEFT JOIN users ru ON ru.id = e.requested_by LEFT JOIN users du ON du.id = e.decided_by`

func scanExtension(s interface{ Scan(...any) error }) (Extension, error) {
	var e Extension
	var ms, tg, rb, db sql.NullInt64
	var decided sql.NullTime
	err := s.Scan(&e.ID, &e.ItemID, &e.ItemCode, &e.ItemName, &ms, &tg, &e.Subject, &e.OldDate, &e.NewDate, &e.Reason, &e.State,
		&rb, &e.RequestedByName, &e.RequestedAt, &db, &e.DecidedByName, &decided, &e.DecisionNote, &e.Version, &e.CreatedAt, &e.UpdatedAt)
	e.Kind = "target"
	if ms.Valid {
		e.MilestoneID, e.Kind = &ms.Int64, "milestone"
	}
	if tg.Valid {
		e.TargetID = &tg.Int64
	}
	if rb.Valid {
		e.RequestedBy = &rb.Int64
	}
	if db.Valid {
		e.DecidedBy = &db.Int64
	}
	if decided.Valid {
		e.DecidedAt = &decided.Time
	}
	e.Summary = extensionSummary(e)
	return e, err
}

// extensionSummary says in one sentence what the request asks and what became of it.
func extensionSummary(e Extension) string {
	switch e.State {
	case ExtensionApproved:
		return fmt.Sprintf("原定 %s，经批准延期至 %s", e.OldDate.Chinese(), e.NewDate.Chinese())
	case ExtensionRejected:
		return fmt.Sprintf("原定 %s，申请延期至 %s，未获批准", e.OldDate.Chinese(), e.NewDate.Chinese())
	}
	return fmt.Sprintf("原定 %s，申请延期至 %s，待审批", e.OldDate.Chinese(), e.NewDate.Chinese())
}

func getExtension(ctx context.Context, q store.Querier, id int64) (Extension, error) {
	e, err := scanExtension(q.QueryRow(ctx, extensionSelect+` WHERE e.id = ?`, id))
	if store.IsNoRows(err) {
		return e, errs.NotFound("延期申请", id)
	}
	if err != nil {
		return e, fmt.Errorf("get extension %d: %w", id, err)
	}
	return e, nil
}

// extensionVisible fails with "not found" when the actor may not see the
// extension's item, so that its existence is not confirmed.
func extensionVisible(ctx context.Context, q store.Querier, e Extension) error {
	w, err := campaign.ScopeWhere(ctx, q)
	if err != nil {
		return err
	}
	w.Add(`i.id = ?`, e.ItemID)
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM items i`+w.SQL(), w.Args...).Scan(&n); err != nil {
		return fmt.Errorf("extension visible: %w", err)
	}
	if n == 0 {
		return errs.NotFound("延期申请", e.ID)
	}
	return nil
}

// GetExtension returns an extension on an item the actor may see.
func (s *Service) GetExtension(ctx context.Context, id int64) (Extension, error) {
	q := s.db.Read()
	e, err := getExtension(ctx, q, id)
	if err != nil {
		return Extension{}, err
	}
	if err := extensionVisible(ctx, q, e); err != nil {
		return Extension{}, err
	}
	return e, nil
}

// ListExtensions returns extensions on items the actor may see, newest first.
func (s *Service) ListExtensions(ctx context.Context, f ExtensionFilter) ([]Extension, int, error) {
	q := s.db.Read()
	w, err := campaign.ScopeWhere(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	if f.CampaignID != 0 {
		w.Add(`i.campaign_id = ?`, f.CampaignID)
	}
	if f.ItemID != 0 {
		w.Add(`e.item_id = ?`, f.ItemID)
	}
	if f.MilestoneID != 0 {
		w.Add(`e.milestone_id = ?`, f.MilestoneID)
	}
	if f.TargetID != 0 {
		w.Add(`e.target_id = ?`, f.TargetID)
	}
	if f.State != "" {
		w.Add(`e.state = ?`, f.State)
	}
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM deadline_extensions e JOIN items i ON i.id = e.item_id`+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count extensions: %w", err)
	}
	rows, err := q.Query(ctx, extensionSelect+w.SQL()+` ORDER BY e.requested_at DESC, e.id DESC`+f.Page.LimitOffset(), w.Args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list extensions: %w", err)
	}
	defer rows.Close()
	out := []Extension{}
	for rows.Next() {
		e, err := scanExtension(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan extension: %w", err)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// planned is the milestone or target an extension is about, with its date now.
type planned struct {
	kind    string // "milestone" or "target"
	label   string // 节点 or 目标
	id      int64
	itemID  int64
	name    string
	current date.Date // the milestone's planned_date or the target's deadline
	reached date.Date // a milestone's actual date; zero when not reached (and for targets)
	version int
}

func loadPlanned(ctx context.Context, q store.Querier, milestoneID, targetID int64) (planned, error) {
	var p planned
	var err error
	if milestoneID != 0 {
		p = planned{kind: "milestone", label: "节点", id: milestoneID}
		err = q.QueryRow(ctx, `SELECT item_id, name, planned_date, actual_date, version FROM milestones WHERE id = ?`, milestoneID).
			Scan(&p.itemID, &p.name, &p.current, &p.reached, &p.version)
	} else {
		p = planned{kind: "target", label: "目标", id: targetID}
		err = q.QueryRow(ctx, `SELECT item_id, name, deadline, version FROM targets WHERE id = ?`, targetID).
			Scan(&p.itemID, &p.name, &p.current, &p.version)
	}
	if store.IsNoRows(err) {
		return p, errs.NotFound(p.label, p.id)
	}
	if err != nil {
		return p, fmt.Errorf("load %s %d: %w", p.kind, p.id, err)
	}
	return p, nil
}

// field is the name of the request field that names the record.
func (p planned) field() string { return p.kind + "_id" }

// dateWord is what the date is called: 计划日期 for a milestone, 期限 for a target.
func (p planned) dateWord() string {
	if p.kind == "milestone" {
		return "计划日期"
	}
	return "期限"
}

// snapshot loads the milestone or target as its own API shows it, for the
// audit trail of the change an approval makes.
func (p planned) snapshot(ctx context.Context, q store.Querier, today date.Date) (any, error) {
	if p.kind == "milestone" {
		var m campaign.Milestone
		err := q.QueryRow(ctx, `SELECT id, item_id, name, kind, planned_date, actual_date, sort_order, version, created_at, updated_at
			FROM milestones WHERE id = ?`, p.id).
			Scan(&m.ID, &m.ItemID, &m.Name, &m.Kind, &m.PlannedDate, &m.ActualDate, &m.SortOrder, &m.Version, &m.CreatedAt, &m.UpdatedAt)
		if err != nil {
			return nil, fmt.Errorf("milestone %d: %w", p.id, err)
		}
		switch { // as campaign derives it
		case !m.ActualDate.IsZero():
			m.State = "done"
		case m.PlannedDate.Before(today):
			m.State = "overdue"
		default:
			m.State = "pending"
		}
		return m, nil
	}
	var t campaign.Target
	err := q.QueryRow(ctx, `SELECT id, item_id, name, unit, baseline, target_value, deadline, direction, version, created_at, updated_at
		FROM targets WHERE id = ?`, p.id).
		Scan(&t.ID, &t.ItemID, &t.Name, &t.Unit, &t.Baseline, &t.Value, &t.Deadline, &t.Direction, &t.Version, &t.CreatedAt, &t.UpdatedAt)
	if err != nil {
		return nil, fmt.Errorf("target %d: %w", p.id, err)
	}
	return t, nil
}

// openConflict says that a milestone or target already has a request waiting.
func openConflict(p planned, openID int64) error {
	msg := fmt.Sprintf("%s「%s」已有一份待审批的延期申请，请等督查人员审批后再申请", p.label, p.name)
	if openID != 0 {
		msg = fmt.Sprintf("%s「%s」已有一份待审批的延期申请（编号 %d），请等督查人员审批后再申请", p.label, p.name, openID)
	}
	return &errs.Error{Kind: errs.KindConflict, Key: "extension.open", Message: msg}
}

// RequestExtension files a request to move a milestone's planned date or a
// target's deadline to in.NewDate. Only the item's lead unit (or a role with
// the whole district in scope) may ask, and only one request per milestone or
// target may wait for a decision at a time.
func (s *Service) RequestExtension(ctx context.Context, in ExtensionInput) (Extension, error) {
	if a := access.From(ctx); a != nil && !a.Can(access.ReportWrite) {
		return Extension{}, errs.Forbidden(fmt.Sprintf("当前角色（%s）不能申请延期", a.Role.Label()))
	}
	if (in.MilestoneID == 0) == (in.TargetID == 0) {
		return Extension{}, errs.Invalid([]errs.FieldError{{Field: "milestone_id", Key: "extension.subject",
			Message: "请指定要延期的节点（milestone_id）或目标（target_id），二者选其一"}})
	}
	in.Reason = strings.TrimSpace(in.Reason)
	var out Extension
	err := s.db.Tx(ctx, func(q store.Querier) error {
		p, err := loadPlanned(ctx, q, in.MilestoneID, in.TargetID)
		if err != nil {
			return err
		}
		// Scope and lead unit first, so that nothing about another unit's
		// milestone is revealed by the checks below.
		if err := campaign.CheckLead(ctx, q, p.itemID); err != nil {
			return err
		}
		var c errs.Checker
		if !p.reached.IsZero() {
			c.Add(p.field(), "extension.reached", fmt.Sprintf("%s「%s」已于 %s 完成，无需延期", p.label, p.name, p.reached.Chinese()), p.id)
		}
		switch {
		case in.NewDate.IsZero():
			c.Add("new_date", "required", "请填写申请延期至的日期", nil)
		case !in.NewDate.After(p.current):
			c.Add("new_date", "extension.not_later", fmt.Sprintf("延期后的日期须晚于当前%s %s", p.dateWord(), p.current.Chinese()), in.NewDate.String())
		}
		c.Check(in.Reason != "", "reason", "required", "申请延期须写明理由", nil)
		if err := c.Err(); err != nil {
			return err
		}
		var openID int64
		err = q.QueryRow(ctx, `SELECT id FROM deadline_extensions WHERE `+p.field()+` = ? AND state = ?`, p.id, ExtensionRequested).Scan(&openID)
		switch {
		case err == nil:
			return openConflict(p, openID)
		case !store.IsNoRows(err):
			return fmt.Errorf("open extension: %w", err)
		}
		now := s.now().UTC()
		var ms, tg any
		if p.kind == "milestone" {
			ms = p.id
		} else {
			tg = p.id
		}
		var id int64
		err = q.QueryRow(ctx, `INSERT INTO deadline_extensions (item_id, milestone_id, target_id, old_date, new_date, reason, state,
			requested_by, requested_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.itemID, ms, tg, p.current, in.NewDate, in.Reason, ExtensionRequested, actorID(ctx), now, now, now).Scan(&id)
		if store.IsUnique(err) { // another request got in first (PostgreSQL; SQLite has one writer)
			return openConflict(p, 0)
		}
		if err != nil {
			return fmt.Errorf("insert extension: %w", err)
		}
		if out, err = getExtension(ctx, q, id); err != nil {
			return err
		}
		return audit.Write(ctx, q, audit.Entry{Action: "create", Entity: "deadline_extension", EntityID: id, After: out})
	})
	return out, err
}

// DecideExtension approves or rejects a waiting request; a rejection needs a
// note. Approving moves the milestone's planned date or the target's deadline
// to the new date in the same transaction, and both changes are audited.
func (s *Service) DecideExtension(ctx context.Context, id int64, version int, approve bool, note string) (Extension, error) {
	if a := access.From(ctx); a != nil && !a.Can(access.ReportReview) {
		return Extension{}, errs.Forbidden(fmt.Sprintf("当前角色（%s）不能审批延期申请", a.Role.Label()))
	}
	note = strings.TrimSpace(note)
	if !approve && note == "" {
		return Extension{}, errs.Invalid([]errs.FieldError{{Field: "note", Key: "required", Message: "不批准延期须写明理由"}})
	}
	verb, to := "批准", ExtensionApproved
	if !approve {
		verb, to = "驳回", ExtensionRejected
	}
	var out Extension
	err := s.db.Tx(ctx, func(q store.Querier) error {
		before, err := getExtension(ctx, q, id)
		if err != nil {
			return err
		}
		if err := extensionVisible(ctx, q, before); err != nil {
			return err
		}
		if before.Version != version {
			return errs.Stale("延期申请")
		}
		if before.State != ExtensionRequested {
			return &errs.Error{Kind: errs.KindConflict, Key: "extension.state",
				Message: fmt.Sprintf("延期申请当前为「%s」，不能再%s", extensionStateLabel(before.State), verb)}
		}
		now := s.now().UTC()
		res, err := q.Exec(ctx, `UPDATE deadline_extensions SET state = ?, decided_by = ?, decided_at = ?, decision_note = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND state = ?`,
			to, actorID(ctx), now, note, now, id, version, ExtensionRequested)
		if err != nil {
			return fmt.Errorf("decide extension: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errs.Stale("延期申请")
		}
		if approve {
			if err := s.applyExtension(ctx, q, before, now); err != nil {
				return err
			}
		}
		if out, err = getExtension(ctx, q, id); err != nil {
			return err
		}
		return audit.Write(ctx, q, audit.Entry{Action: to, Entity: "deadline_extension", EntityID: id, Before: before, After: out})
	})
	return out, err
}

// applyExtension moves the milestone's planned date or the target's deadline
// from the extension's old date to its new one and audits the change.
func (s *Service) applyExtension(ctx context.Context, q store.Querier, e Extension, now time.Time) error {
	var ms, tg int64
	if e.MilestoneID != nil {
		ms = *e.MilestoneID
	} else if e.TargetID != nil {
		tg = *e.TargetID
	}
	p, err := loadPlanned(ctx, q, ms, tg)
	if err != nil {
		return err
	}
	if !p.reached.IsZero() {
		return &errs.Error{Kind: errs.KindConflict, Key: "extension.reached",
			Message: fmt.Sprintf("%s「%s」已于 %s 完成，无需延期，请驳回此申请", p.label, p.name, p.reached.Chinese())}
	}
	// The old date must still be the one in force: it is what as-of views of
	// the time before the approval show, and what the unit asked to move.
	if p.current.String() != e.OldDate.String() {
		return &errs.Error{Kind: errs.KindConflict, Key: "extension.plan_changed",
			Message: fmt.Sprintf("%s「%s」的%s已由 %s 改为 %s，与申请时不同，请驳回后由单位重新申请",
				p.label, p.name, p.dateWord(), e.OldDate.Chinese(), p.current.Chinese())}
	}
	today := date.Of(s.now())
	before, err := p.snapshot(ctx, q, today)
	if err != nil {
		return err
	}
	stmt := `UPDATE milestones SET planned_date = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`
	if p.kind == "target" {
		stmt = `UPDATE targets SET deadline = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`
	}
	res, err := q.Exec(ctx, stmt, e.NewDate, now, p.id, p.version)
	if err != nil {
		return fmt.Errorf("move %s date: %w", p.kind, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errs.Stale(p.label)
	}
	after, err := p.snapshot(ctx, q, today)
	if err != nil {
		return err
	}
	return audit.Write(ctx, q, audit.Entry{Action: "update", Entity: p.kind, EntityID: p.id, Before: before, After: after})
}

func extensionStateLabel(s string) string {
	return map[string]string{ExtensionRequested: "待审批", ExtensionApproved: "已批准", ExtensionRejected: "未批准"}[s]
}

// PlanAsOf holds the dates of milestones and targets that were in force at a
// cutoff time. Approving an extension moves a milestone's planned_date or a
// target's deadline in place; the date before it is kept as the extension's
// old_date, with decided_at saying when it stopped being in force. So the date
// in force at the cutoff is the old_date of the earliest extension approved
// at or after the cutoff, and else the current one.
type PlanAsOf struct {
	milestones, targets map[int64]date.Date
}

// LoadPlanAsOf reads, in one query, the dates in force at cutoff for every
// milestone and target of the items that itemSub selects (a SELECT of item
// ids with args, as the lights build it). Records made before cutoff count,
// as everywhere in as-of reads.
func LoadPlanAsOf(ctx context.Context, q store.Querier, itemSub string, args []any, cutoff time.Time) (PlanAsOf, error) {
	p := PlanAsOf{milestones: map[int64]date.Date{}, targets: map[int64]date.Date{}}
	rows, err := q.Query(ctx, `SELECT e.milestone_id, e.target_id, e.old_date FROM deadline_extensions e
		WHERE e.item_id IN (`+itemSub+`) AND e.state = ? AND e.decided_at >= ? ORDER BY e.decided_at, e.id`,
		append(append([]any{}, args...), ExtensionApproved, cutoff.UTC())...)
	if err != nil {
		return p, fmt.Errorf("plan as of: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ms, tg sql.NullInt64
		var old date.Date
		if err := rows.Scan(&ms, &tg, &old); err != nil {
			return p, err
		}
		// Ordered by decision time: the earliest one after the cutoff wins.
		if _, seen := p.milestones[ms.Int64]; ms.Valid && !seen {
			p.milestones[ms.Int64] = old
		}
		if _, seen := p.targets[tg.Int64]; tg.Valid && !seen {
			p.targets[tg.Int64] = old
		}
	}
	return p, rows.Err()
}

// Milestone returns the planned date of milestone id in force at the cutoff,
// given its planned_date now.
func (p PlanAsOf) Milestone(id int64, current date.Date) date.Date {
	if d, ok := p.milestones[id]; ok {
		return d
	}
	return current
}

// Target returns the deadline of target id in force at the cutoff, given its
// deadline now.
func (p PlanAsOf) Target(id int64, current date.Date) date.Date {
	if d, ok := p.targets[id]; ok {
		return d
	}
	return current
}

// PlannedAsOf returns the date of one milestone (milestoneID) or target
// (targetID; the other id 0) that was in force at cutoff: the old date of the
// earliest extension approved at or after cutoff, else its date now.
func PlannedAsOf(ctx context.Context, q store.Querier, milestoneID, targetID int64, cutoff time.Time) (date.Date, error) {
	if (milestoneID == 0) == (targetID == 0) {
		return date.Date{}, fmt.Errorf("planned as of: exactly one of milestone %d and target %d", milestoneID, targetID)
	}
	p, err := loadPlanned(ctx, q, milestoneID, targetID)
	if err != nil {
		return date.Date{}, err
	}
	var old date.Date
	err = q.QueryRow(ctx, `SELECT old_date FROM deadline_extensions WHERE `+p.field()+` = ? AND state = ? AND decided_at >= ?
		ORDER BY decided_at, id LIMIT 1`, p.id, ExtensionApproved, cutoff.UTC()).Scan(&old)
	switch {
	case store.IsNoRows(err):
		return p.current, nil
	case err != nil:
		return date.Date{}, fmt.Errorf("planned as of: %w", err)
	}
	return old, nil
}
