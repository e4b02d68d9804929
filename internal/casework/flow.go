package casework

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/org"
	"gongjian/internal/store"
)

// change loads a visible case in a transaction, refuses a stale version
// (version 0: not checked), runs apply, bumps the version and audits before
// and after under action.
func (s *Service) change(ctx context.Context, id int64, version int, action string, apply func(q store.Querier, c Case, now time.Time) error) (Case, error) {
	var out Case
	err := s.db.Tx(ctx, func(q store.Querier) error {
		before, err := s.getCase(ctx, q, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return errs.Stale("督办件")
		}
		now := s.now()
		if err := apply(q, before, now); err != nil {
			return err
		}
		if _, err := q.Exec(ctx, `UPDATE cases SET version = version + 1, updated_at = ? WHERE id = ?`, now.UTC(), id); err != nil {
			return fmt.Errorf("touch case: %w", err)
		}
		if out, err = s.getCase(ctx, q, id); err != nil {
			return err
		}
		return audit.Write(ctx, q, audit.Entry{Action: action, Entity: "case", EntityID: id, Before: before, After: out})
	})
	return out, err
}

func stateConflict(c Case, verb string) error {
	return &errs.Error{Kind: errs.KindConflict, Key: "case.state",
		Message: fmt.Sprintf("督办件 %s 当前为「%s」，不能%s", c.Code, stateLabels[c.State], verb)}
}

func (s *Service) setState(ctx context.Context, q store.Querier, c Case, to, note string, rating int, now time.Time, action string) error {
	if _, err := q.Exec(ctx, `UPDATE cases SET state = ? WHERE id = ?`, to, c.ID); err != nil {
		return fmt.Errorf("case state: %w", err)
	}
	return s.writeEvent(ctx, q, event{caseID: c.ID, action: action, from: c.State, to: to, note: note, rating: rating, at: now})
}

// Assign adds units to a case (交办); a resolved case goes back to work.
func (s *Service) Assign(ctx context.Context, id int64, version int, as []AssigneeInput) (Case, error) {
	if err := need(ctx, access.CaseClose); err != nil {
		return Case{}, err
	}
	if len(as) == 0 {
		return Case{}, errs.Invalid([]errs.FieldError{{Field: "assignees", Key: "required", Message: "请选择至少一个承办单位"}})
	}
	return s.change(ctx, id, version, "assign", func(q store.Querier, c Case, now time.Time) error {
		if c.State == StateClosed {
			return stateConflict(c, "再交办")
		}
		in := CaseInput{Type: c.Type, Title: c.Title, Deadline: c.Deadline, Assignees: as, SourceKind: c.SourceKind}
		if err := in.check(c.Deadline); err != nil {
			return err
		}
		if err := s.addTasks(ctx, q, c.ID, c.Deadline, as, now); err != nil {
			return err
		}
		if c.State == StateResolved {
			if _, err := q.Exec(ctx, `UPDATE cases SET resolved_at = NULL WHERE id = ?`, c.ID); err != nil {
				return err
			}
			if err := s.setState(ctx, q, c, StateInProgress, "新增承办单位", 0, now, "assign"); err != nil {
				return err
			}
		}
		after, err := s.getCase(ctx, q, c.ID)
		if err != nil {
			return err
		}
		return s.notifyAssigned(ctx, q, after, now)
	})
}

// taskFor picks the task the actor answers for: the given unit's, or the one
// of the actor's own unit (or a unit below it). Supervisors may act for any
// unit. Not having a task on the case is a mistake in the request, not a
// lack of permission.
func taskFor(ctx context.Context, q store.Querier, c Case, unitID int64) (CaseTask, error) {
	a := access.From(ctx)
	var cands []CaseTask
	for _, t := range c.Tasks {
		if unitID != 0 && t.UnitID != unitID {
			continue
		}
		cands = append(cands, t)
	}
	if a != nil && !(a.Can(access.CaseClose) && a.Scope() == access.ScopeAll) {
		var mine []CaseTask
		for _, t := range cands {
			cond, args := org.InSubtree(`u.id`, a.UnitID)
			var n int
			if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM units u WHERE u.id = ? AND `+cond, append([]any{t.UnitID}, args...)...).Scan(&n); err != nil {
				return CaseTask{}, fmt.Errorf("task unit: %w", err)
			}
			if n > 0 {
				mine = append(mine, t)
			}
		}
		cands = mine
	}
	switch {
	case len(cands) == 0:
		return CaseTask{}, errs.Invalid([]errs.FieldError{{Field: "unit_id", Key: "case.no_task",
			Message: fmt.Sprintf("督办件 %s 没有交本单位办理的任务", c.Code), Value: unitID}})
	case len(cands) > 1:
		return CaseTask{}, errs.Invalid([]errs.FieldError{{Field: "unit_id", Key: "case.which_task",
			Message: "该督办件交多个单位办理，请指定代为办理的单位（unit_id）", Value: unitID}})
	}
	return cands[0], nil
}

// Accept signs for a unit's task (签收); the case is then in progress.
func (s *Service) Accept(ctx context.Context, id int64, version int, unitID int64) (Case, error) {
	if err := need(ctx, access.CaseWrite); err != nil {
		return Case{}, err
	}
	return s.change(ctx, id, version, "accept", func(q store.Querier, c Case, now time.Time) error {
		if c.State != StateOpen && c.State != StateInProgress {
			return stateConflict(c, "签收")
		}
		t, err := taskFor(ctx, q, c, unitID)
		if err != nil {
			return err
		}
		if t.State != TaskPending {
			return &errs.Error{Kind: errs.KindConflict, Key: "case.task_state", Message: fmt.Sprintf("%s 已签收", t.UnitName)}
		}
		if _, err := q.Exec(ctx, `UPDATE case_tasks SET state = ?, accepted_at = ? WHERE id = ?`, TaskAccepted, now.UTC(), t.ID); err != nil {
			return fmt.Errorf("accept task: %w", err)
		}
		if err := s.writeEvent(ctx, q, event{caseID: c.ID, action: "accept", unitID: t.UnitID, note: t.UnitName + "签收", at: now}); err != nil {
			return err
		}
		if c.State == StateOpen {
			return s.setState(ctx, q, c, StateInProgress, "", 0, now, "accept")
		}
		return nil
	})
}

// Answer records a unit's answer (办理结果). When every task of the case is
// answered the case is resolved (办结) and the requester is told.
func (s *Service) Answer(ctx context.Context, id int64, version int, unitID int64, answer string) (Case, error) {
	if err := need(ctx, access.CaseWrite); err != nil {
		return Case{}, err
	}
	answer = strings.TrimSpace(answer)
	if answer == "" {
		return Case{}, errs.Invalid([]errs.FieldError{{Field: "answer", Key: "required", Message: "请填写办理结果"}})
	}
	return s.change(ctx, id, version, "answer", func(q store.Querier, c Case, now time.Time) error {
		if c.State != StateOpen && c.State != StateInProgress {
			return stateConflict(c, "答复")
		}
		t, err := taskFor(ctx, q, c, unitID)
		if err != nil {
			return err
		}
		if t.State == TaskAnswered {
			return &errs.Error{Kind: errs.KindConflict, Key: "case.task_state", Message: fmt.Sprintf("%s 已答复", t.UnitName)}
		}
		user, _, _ := actorIDs(ctx)
		if _, err := q.Exec(ctx, `UPDATE case_tasks SET state = ?, answer = ?, answered_at = ?, answered_by = ?,
			accepted_at = COALESCE(accepted_at, ?) WHERE id = ?`, TaskAnswered, answer, now.UTC(), user, now.UTC(), t.ID); err != nil {
			return fmt.Errorf("answer task: %w", err)
		}
		if err := s.writeEvent(ctx, q, event{caseID: c.ID, action: "answer", unitID: t.UnitID, note: answer, at: now}); err != nil {
			return err
		}
		var left int
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM case_tasks WHERE case_id = ? AND state <> ?`, c.ID, TaskAnswered).Scan(&left); err != nil {
			return fmt.Errorf("open tasks: %w", err)
		}
		if left > 0 {
			if c.State == StateOpen {
				return s.setState(ctx, q, c, StateInProgress, "", 0, now, "accept")
			}
			return nil
		}
		if _, err := q.Exec(ctx, `UPDATE cases SET resolved_at = ? WHERE id = ?`, now.UTC(), c.ID); err != nil {
			return fmt.Errorf("resolve case: %w", err)
		}
		if err := s.setState(ctx, q, c, StateResolved, "全部承办单位已答复", 0, now, "resolve"); err != nil {
			return err
		}
		if c.RequesterUnitID != nil {
			return post(ctx, q, c, *c.RequesterUnitID, "case_resolved", fmt.Sprintf("督办件已办结，待核查销号：%s", c.Title),
				fmt.Sprintf("case_resolved:%d:%d", c.ID, c.ReopenCount), now)
		}
		return nil
	})
}

// isRequester reports whether the actor raised the case (or is its requester).
func isRequester(a *access.Actor, c Case) bool {
	if a == nil {
		return true
	}
	return (c.RequesterUserID != nil && *c.RequesterUserID == a.UserID) ||
		(a.PersonID != 0 && c.RequesterPersonID != nil && *c.RequesterPersonID == a.PersonID)
}

// mayVerify: the supervisor (case:close) or the requester verifies a case.
func mayVerify(ctx context.Context, c Case, verb string) error {
	a := access.From(ctx)
	if a == nil || a.Can(access.CaseClose) || isRequester(a, c) {
		return nil
	}
	return errs.Forbidden(fmt.Sprintf("只有督查人员或交办人可以%s督办件", verb))
}

func checkRating(rating int, required bool) error {
	if (required || rating != 0) && (rating < 1 || rating > 5) {
		return errs.Invalid([]errs.FieldError{{Field: "rating", Key: "case.rating", Message: "满意度应为 1 到 5 分", Value: rating}})
	}
	return nil
}

// Close verifies a resolved case and closes it (销号), with the verifier's
// note and, optionally, a satisfaction rating 1–5.
func (s *Service) Close(ctx context.Context, id int64, version int, note string, rating int) (Case, error) {
	if err := need(ctx, access.CaseWrite); err != nil {
		return Case{}, err
	}
	note = strings.TrimSpace(note)
	if err := checkRating(rating, false); err != nil {
		return Case{}, err
	}
	if note == "" {
		return Case{}, errs.Invalid([]errs.FieldError{{Field: "note", Key: "required", Message: "请填写核查意见"}})
	}
	return s.change(ctx, id, version, "close", func(q store.Querier, c Case, now time.Time) error {
		if err := mayVerify(ctx, c, "销号"); err != nil {
			return err
		}
		if c.State != StateResolved {
			return stateConflict(c, "销号（须全部承办单位答复、已办结）")
		}
		var r any
		if rating != 0 {
			r = rating
		}
		if _, err := q.Exec(ctx, `UPDATE cases SET closed_at = ?, rating = COALESCE(?, rating) WHERE id = ?`, now.UTC(), r, c.ID); err != nil {
			return fmt.Errorf("close case: %w", err)
		}
		return s.setState(ctx, q, c, StateClosed, note, rating, now, "close")
	})
}

// Reopen sends a resolved or closed case back to its units because the
// requester is not satisfied; a rating 1–5 and a comment are required. Every
// task goes back to pending; the earlier answers stay in the timeline.
func (s *Service) Reopen(ctx context.Context, id int64, version int, rating int, comment string) (Case, error) {
	if err := need(ctx, access.CaseWrite); err != nil {
		return Case{}, err
	}
	comment = strings.TrimSpace(comment)
	var c errs.Checker
	if err := checkRating(rating, true); err != nil {
		c.Fields = append(c.Fields, err.(*errs.Error).Fields...)
	}
	c.Check(comment != "", "comment", "required", "请写明不满意的原因", nil)
	if err := c.Err(); err != nil {
		return Case{}, err
	}
	return s.change(ctx, id, version, "reopen", func(q store.Querier, c Case, now time.Time) error {
		if err := mayVerify(ctx, c, "重新交办"); err != nil {
			return err
		}
		if c.State != StateResolved && c.State != StateClosed {
			return stateConflict(c, "重新办理（只有已办结或已销号的督办件可以）")
		}
		if _, err := q.Exec(ctx, `UPDATE cases SET reopen_count = reopen_count + 1, rating = ?, resolved_at = NULL, closed_at = NULL WHERE id = ?`,
			rating, c.ID); err != nil {
			return fmt.Errorf("reopen case: %w", err)
		}
		if _, err := q.Exec(ctx, `UPDATE case_tasks SET state = ?, accepted_at = NULL, answered_at = NULL, answered_by = NULL WHERE case_id = ?`,
			TaskPending, c.ID); err != nil {
			return fmt.Errorf("reopen tasks: %w", err)
		}
		if err := s.setState(ctx, q, c, StateInProgress, comment, rating, now, "reopen"); err != nil {
			return err
		}
		for _, t := range c.Tasks {
			if err := post(ctx, q, c, t.UnitID, "case_reopened", fmt.Sprintf("督办件被退回重新办理（满意度 %d 分）：%s", rating, c.Title),
				fmt.Sprintf("case_reopened:%d:%d:%d", c.ID, t.UnitID, c.ReopenCount+1), now); err != nil {
				return err
			}
		}
		return nil
	})
}

// Comment adds a comment to a case's timeline.
func (s *Service) Comment(ctx context.Context, id int64, text string) (Case, error) {
	if err := need(ctx, access.CaseWrite); err != nil {
		return Case{}, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return Case{}, errs.Invalid([]errs.FieldError{{Field: "text", Key: "required", Message: "评论不能为空"}})
	}
	return s.change(ctx, id, 0, "comment", func(q store.Querier, c Case, now time.Time) error {
		return s.writeEvent(ctx, q, event{caseID: c.ID, action: "comment", note: text, at: now})
	})
}
