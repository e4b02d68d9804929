package casework

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/notify"
	"gongjian/internal/store"
)

// check normalises in and collects what is wrong with it. today is zero for
// historic records, which may have deadlines in the past.
func (in *CaseInput) check(today date.Date) error {
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	if in.Priority == "" {
		in.Priority = "normal"
	}
	var c errs.Checker
	if _, ok := typeLabels[in.Type]; !ok {
		c.Add("type", "case.type", "督办件类型应为 problem（问题）、instruction（批示）、enterprise_request（企业诉求）、one_window（一窗受理）或 meeting_decision（会议议定事项）", in.Type)
	}
	c.Check(in.Title != "", "title", "required", "标题不能为空", nil)
	c.Check(len([]rune(in.Title)) <= 200, "title", "too_long", "标题不能超过 200 字", nil)
	if _, ok := priorities[in.Priority]; !ok {
		c.Add("priority", "case.priority", "紧急程度应为 normal（一般）或 urgent（紧急）", in.Priority)
	}
	if _, ok := sourceKinds[in.SourceKind]; !ok {
		c.Add("source_kind", "case.source_kind", "来源应为 item、visit、meeting、report、person 之一", in.SourceKind)
	}
	switch {
	case in.Deadline.IsZero():
		c.Add("deadline", "required", "请填写办理期限", nil)
	case !today.IsZero() && in.Deadline.Before(today):
		c.Add("deadline", "case.deadline_past", fmt.Sprintf("办理期限 %s 早于今天 %s", in.Deadline.Chinese(), today.Chinese()), in.Deadline.String())
	}
	seen := map[int64]bool{}
	for i, a := range in.Assignees {
		field := fmt.Sprintf("assignees[%d].unit_id", i)
		c.Check(a.UnitID > 0, field, "required", "请选择承办单位", nil)
		if seen[a.UnitID] {
			c.Add(field, "duplicate", "同一单位不能重复交办", a.UnitID)
		}
		seen[a.UnitID] = true
		if !a.Due.IsZero() && !in.Deadline.IsZero() && in.Deadline.Before(a.Due) {
			c.Add(fmt.Sprintf("assignees[%d].due", i), "case.due_after_deadline",
				fmt.Sprintf("单位办理期限 %s 晚于督办件期限 %s", a.Due.Chinese(), in.Deadline.Chinese()), a.Due.String())
		}
	}
	return c.Err()
}

// nextCodes reserves n case codes DB-<year>-NNNN in q's transaction.
func nextCodes(ctx context.Context, q store.Querier, year, n int) ([]string, error) {
	if q.Engine() == store.Postgres {
		// Two transactions must not both take the same number.
		if _, err := q.Exec(ctx, `SELECT pg_advisory_xact_lock(727006)`); err != nil {
			return nil, fmt.Errorf("case code lock: %w", err)
		}
	}
	prefix := fmt.Sprintf("DB-%d-", year)
	var last int64
	if err := q.QueryRow(ctx, `SELECT COALESCE(MAX(CAST(SUBSTR(code, 9) AS INTEGER)), 0) FROM cases WHERE code LIKE ?`, prefix+"%").Scan(&last); err != nil {
		return nil, fmt.Errorf("last case code: %w", err)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%04d", prefix, last+int64(i)+1)
	}
	return out, nil
}

// actorIDs returns the acting user, unit and person as SQL values (nil for system work).
func actorIDs(ctx context.Context) (user, unit, person any) {
	a := access.From(ctx)
	if a == nil {
		return nil, nil, nil
	}
	user, unit = a.UserID, a.UnitID
	if a.PersonID != 0 {
		person = a.PersonID
	}
	return
}

func actorName(ctx context.Context) string {
	if a := access.From(ctx); a != nil {
		return a.Username
	}
	return "system"
}

// event is one line of a case's timeline.
type event struct {
	caseID           int64
	action           string
	from, to         string
	unitID           int64
	note             string
	rating           int
	at               time.Time
	userID           any
	actor            string
	skipActorFromCtx bool
}

func (s *Service) writeEvent(ctx context.Context, q store.Querier, e event) error {
	if !e.skipActorFromCtx {
		e.userID, _, _ = actorIDs(ctx)
		e.actor = actorName(ctx)
	}
	if e.at.IsZero() {
		e.at = s.now()
	}
	var unit, rating any
	if e.unitID != 0 {
		unit = e.unitID
	}
	if e.rating != 0 {
		rating = e.rating
	}
	_, err := q.Exec(ctx, `INSERT INTO case_events (case_id, at, user_id, actor, action, from_state, to_state, unit_id, note, rating)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.caseID, e.at.UTC(), e.userID, e.actor, e.action, e.from, e.to, unit, e.note, rating)
	if err != nil {
		return fmt.Errorf("case event %s: %w", e.action, err)
	}
	return nil
}

// post sends an in-app notification about case c to a unit (and the webhooks
// of the case's campaign); key makes it once only.
func post(ctx context.Context, q store.Querier, c Case, unitID int64, kind, title, key string, at time.Time) error {
	_, _, err := notify.Post(ctx, q, notify.Message{UnitID: unitID, CampaignID: c.CampaignID, ItemID: c.ItemID, Kind: kind,
		Title: title, Body: c.Code + " " + c.Title, Link: fmt.Sprintf("/cases/%d", c.ID), DedupeKey: key, At: at})
	return err
}

// Create raises a case and assigns it: to the units named, or, when none are
// named, to the lead unit of the linked item. A leader's instruction (批示) on
// an item is a case with the item as its source.
func (s *Service) Create(ctx context.Context, in CaseInput) (Case, error) {
	return s.CreateWithRef(ctx, in, "")
}

// insert writes a case, its tasks, its first events and the assignment
// notifications in q's transaction.
func (s *Service) insert(ctx context.Context, q store.Querier, in CaseInput, now time.Time, externalRef string) (Case, error) {
	if in.ItemID != nil {
		// The item must exist and lie in the actor's scope.
		w, err := campaign.ScopeWhere(ctx, q)
		if err != nil {
			return Case{}, err
		}
		w.Add(`i.id = ?`, *in.ItemID)
		var lead int64
		err = q.QueryRow(ctx, `SELECT i.lead_unit_id FROM items i`+w.SQL(), w.Args...).Scan(&lead)
		if store.IsNoRows(err) {
			return Case{}, errs.Invalid([]errs.FieldError{{Field: "item_id", Key: "not_found", Message: fmt.Sprintf("事项 %d 不存在", *in.ItemID), Value: *in.ItemID}})
		}
		if err != nil {
			return Case{}, fmt.Errorf("case item: %w", err)
		}
		if len(in.Assignees) == 0 {
			in.Assignees = []AssigneeInput{{UnitID: lead}}
		}
		if in.SourceKind == "" {
			in.SourceKind, in.SourceID = "item", *in.ItemID
		}
	}
	codes, err := nextCodes(ctx, q, now.Year(), 1)
	if err != nil {
		return Case{}, err
	}
	user, unit, person := actorIDs(ctx)
	if in.RequesterPersonID != nil {
		person = *in.RequesterPersonID
	}
	var ext any
	if externalRef != "" {
		ext = externalRef
	}
	var id int64
	err = q.QueryRow(ctx, `INSERT INTO cases (code, type, title, description, priority, source_kind, source_id, item_id, enterprise_id,
		requester_person_id, requester_user_id, requester_unit_id, deadline, original_deadline, state, external_ref, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		codes[0], in.Type, in.Title, in.Description, in.Priority, in.SourceKind, in.SourceID, in.ItemID, in.EnterpriseID,
		person, user, unit, in.Deadline, in.Deadline, StateOpen, ext, now.UTC(), now.UTC()).Scan(&id)
	switch {
	case store.IsForeignKey(err):
		return Case{}, errs.Invalid([]errs.FieldError{{Field: "requester_person_id", Key: "not_found", Message: "交办人不存在", Value: in.RequesterPersonID}})
	case store.IsUnique(err):
		return Case{}, errs.Duplicate("external_ref", externalRef)
	case err != nil:
		return Case{}, fmt.Errorf("insert case: %w", err)
	}
	if err := s.writeEvent(ctx, q, event{caseID: id, action: "create", to: StateOpen, note: in.Title, at: now}); err != nil {
		return Case{}, err
	}
	if err := s.addTasks(ctx, q, id, in.Deadline, in.Assignees, now); err != nil {
		return Case{}, err
	}
	// The requester always sees the case: it is raised by the actor's unit and user.
	c, err := s.getCase(ctx, q, id)
	if err != nil {
		return Case{}, err
	}
	return c, s.notifyAssigned(ctx, q, c, now)
}

// notifyAssigned tells every assigned unit of its task, once per unit.
func (s *Service) notifyAssigned(ctx context.Context, q store.Querier, c Case, now time.Time) error {
	for _, t := range c.Tasks {
		if err := post(ctx, q, c, t.UnitID, "case_assigned", fmt.Sprintf("新交办督办件：%s（期限 %s）", c.Title, t.Due.Chinese()),
			fmt.Sprintf("case_assigned:%d:%d", c.ID, t.UnitID), now); err != nil {
			return err
		}
	}
	return nil
}

// addTasks assigns the case to units: one is the lead unit, several share it
// in parallel (并联).
func (s *Service) addTasks(ctx context.Context, q store.Querier, caseID int64, deadline date.Date, as []AssigneeInput, now time.Time) error {
	if len(as) == 0 {
		return nil
	}
	var existing int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM case_tasks WHERE case_id = ?`, caseID).Scan(&existing); err != nil {
		return fmt.Errorf("count tasks: %w", err)
	}
	role := "lead"
	if existing+len(as) > 1 {
		role = "parallel"
		if _, err := q.Exec(ctx, `UPDATE case_tasks SET role = 'parallel' WHERE case_id = ?`, caseID); err != nil {
			return fmt.Errorf("tasks parallel: %w", err)
		}
	}
	for i, a := range as {
		due := a.Due
		if due.IsZero() {
			due = deadline
		}
		_, err := q.Exec(ctx, `INSERT INTO case_tasks (case_id, unit_id, role, due, created_at) VALUES (?, ?, ?, ?, ?)`,
			caseID, a.UnitID, role, due, now.UTC())
		switch {
		case store.IsForeignKey(err):
			return errs.Invalid([]errs.FieldError{{Field: fmt.Sprintf("assignees[%d].unit_id", i), Key: "not_found",
				Message: fmt.Sprintf("单位 %d 不存在", a.UnitID), Value: a.UnitID}})
		case store.IsUnique(err):
			return errs.Invalid([]errs.FieldError{{Field: fmt.Sprintf("assignees[%d].unit_id", i), Key: "duplicate",
				Message: "该单位已在承办单位中", Value: a.UnitID}})
		case err != nil:
			return fmt.Errorf("insert task: %w", err)
		}
		var name string
		_ = q.QueryRow(ctx, `SELECT name FROM units WHERE id = ?`, a.UnitID).Scan(&name)
		if err := s.writeEvent(ctx, q, event{caseID: caseID, action: "assign", unitID: a.UnitID, at: now,
			note: fmt.Sprintf("交%s办理，期限 %s", name, due.Chinese())}); err != nil {
			return err
		}
	}
	return nil
}
