package casework

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// HistoricCase is a case that has already run its course (or part of it),
// written with its past times: for the demo's history of 2022 and for
// importing cases from an earlier system. Every task is answered at
// AnsweredAt (zero: still open); a case may have been reopened once before.
type HistoricCase struct {
	CaseInput
	ExternalRef     string    // idempotency key: a case whose ref exists is skipped
	RequesterUnitID *int64    // the unit that raised it
	CreatedAt       time.Time // when it was raised and assigned
	AcceptedAt      time.Time // zero: at CreatedAt
	Answer          string    // the units' answer
	AnsweredAt      time.Time // zero: not answered yet (open, or overdue once the deadline passed)
	ClosedAt        time.Time // zero: resolved but not closed (销号)
	Rating          int       // satisfaction on closing, 0 for none
	CloseNote       string

	// A reopening before the final answer (the requester was not satisfied).
	FirstAnswer     string
	FirstAnsweredAt time.Time
	ReopenedAt      time.Time // zero: never reopened
	ReopenRating    int
	ReopenComment   string
}

// ImportHistory writes past cases in one transaction, with their tasks and
// timelines as they happened, and one audit record for the batch. Cases whose
// ExternalRef exists are skipped, so a second run creates nothing. Codes
// follow on from the year's last one. System work only (the demo loader, the
// CLI) or a caller with case:close.
func (s *Service) ImportHistory(ctx context.Context, cs []HistoricCase) (created int, err error) {
	if err := need(ctx, access.CaseClose); err != nil {
		return 0, err
	}
	for i := range cs {
		if err := cs[i].CaseInput.check(cs[i].Deadline); err != nil {
			e := err.(*errs.Error)
			return 0, errs.Invalid([]errs.FieldError{{Field: fmt.Sprintf("cases[%d].%s", i, e.Fields[0].Field), Key: e.Fields[0].Key,
				Message: fmt.Sprintf("第 %d 件（%s）：%s", i+1, cs[i].Title, e.Fields[0].Message), Value: e.Fields[0].Value}})
		}
		if cs[i].CreatedAt.IsZero() || len(cs[i].Assignees) == 0 {
			return 0, errs.Invalid([]errs.FieldError{{Field: fmt.Sprintf("cases[%d]", i), Key: "required",
				Message: fmt.Sprintf("第 %d 件（%s）：须有立案时间和承办单位", i+1, cs[i].Title)}})
		}
	}
	err = s.db.Tx(ctx, func(q store.Querier) error {
		years := map[int]int64{}
		for _, h := range cs {
			if h.ExternalRef != "" {
				var n int
				if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM cases WHERE external_ref = ?`, h.ExternalRef).Scan(&n); err != nil {
					return fmt.Errorf("case ref: %w", err)
				}
				if n > 0 {
					continue
				}
			}
			y := h.CreatedAt.Year()
			if _, ok := years[y]; !ok {
				codes, err := nextCodes(ctx, q, y, 1)
				if err != nil {
					return err
				}
				var first int64
				fmt.Sscanf(codes[0][8:], "%d", &first)
				years[y] = first - 1
			}
			years[y]++
			if err := s.writeHistoric(ctx, q, h, fmt.Sprintf("DB-%d-%04d", y, years[y])); err != nil {
				return fmt.Errorf("case %q: %w", h.Title, err)
			}
			created++
		}
		if created == 0 {
			return nil
		}
		return audit.Write(ctx, q, audit.Entry{Action: "import", Entity: "case", After: map[string]any{"created": created}})
	})
	return created, err
}

func (s *Service) writeHistoric(ctx context.Context, q store.Querier, h HistoricCase, code string) error {
	state := StateOpen
	var resolved, closed, rating, ext any
	switch {
	case !h.ClosedAt.IsZero():
		state, resolved, closed = StateClosed, h.AnsweredAt.UTC(), h.ClosedAt.UTC()
	case !h.AnsweredAt.IsZero():
		state, resolved = StateResolved, h.AnsweredAt.UTC()
	case !h.ReopenedAt.IsZero() || !h.AcceptedAt.IsZero():
		state = StateInProgress
	}
	switch {
	case h.Rating != 0:
		rating = h.Rating
	case h.ReopenRating != 0:
		rating = h.ReopenRating
	}
	if h.ExternalRef != "" {
		ext = h.ExternalRef
	}
	reopens := 0
	if !h.ReopenedAt.IsZero() {
		reopens = 1
	}
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO cases (code, type, title, description, priority, source_kind, source_id, item_id, enterprise_id,
		requester_person_id, requester_unit_id, deadline, original_deadline, state, resolved_at, closed_at, reopen_count, rating, external_ref,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		code, h.Type, h.Title, h.Description, h.Priority, h.SourceKind, h.SourceID, h.ItemID, h.EnterpriseID,
		h.RequesterPersonID, h.RequesterUnitID, h.Deadline, h.Deadline, state, resolved, closed, reopens, rating, ext,
		h.CreatedAt.UTC(), latest(h).UTC()).Scan(&id)
	if err != nil {
		return fmt.Errorf("insert case: %w", err)
	}
	sys := func(e event) error {
		e.caseID, e.actor, e.skipActorFromCtx = id, "system", true
		return s.writeEvent(ctx, q, e)
	}
	if err := sys(event{action: "create", to: StateOpen, note: h.Title, at: h.CreatedAt}); err != nil {
		return err
	}
	role := "lead"
	if len(h.Assignees) > 1 {
		role = "parallel"
	}
	taskState := TaskPending
	var accepted, answered any
	acc := h.AcceptedAt
	if acc.IsZero() && (!h.AnsweredAt.IsZero() || !h.ReopenedAt.IsZero()) {
		acc = h.CreatedAt.Add(2 * time.Hour)
	}
	if !acc.IsZero() {
		taskState, accepted = TaskAccepted, acc.UTC()
	}
	if !h.AnsweredAt.IsZero() {
		taskState, answered = TaskAnswered, h.AnsweredAt.UTC()
	}
	for _, a := range h.Assignees {
		due := a.Due
		if due.IsZero() {
			due = h.Deadline
		}
		if _, err := q.Exec(ctx, `INSERT INTO case_tasks (case_id, unit_id, role, due, state, answer, accepted_at, answered_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, a.UnitID, role, due, taskState, h.Answer, accepted, answered, h.CreatedAt.UTC()); err != nil {
			return fmt.Errorf("insert task: %w", err)
		}
		if err := sys(event{action: "assign", unitID: a.UnitID, at: h.CreatedAt, note: "交办，期限 " + due.Chinese()}); err != nil {
			return err
		}
		if !acc.IsZero() {
			if err := sys(event{action: "accept", unitID: a.UnitID, at: acc, note: "签收"}); err != nil {
				return err
			}
		}
		if !h.ReopenedAt.IsZero() {
			if err := sys(event{action: "answer", unitID: a.UnitID, at: h.FirstAnsweredAt, note: h.FirstAnswer}); err != nil {
				return err
			}
		}
	}
	if !h.ReopenedAt.IsZero() {
		if err := sys(event{action: "resolve", from: StateInProgress, to: StateResolved, at: h.FirstAnsweredAt, note: "全部承办单位已答复"}); err != nil {
			return err
		}
		if err := sys(event{action: "reopen", from: StateResolved, to: StateInProgress, at: h.ReopenedAt, rating: h.ReopenRating, note: h.ReopenComment}); err != nil {
			return err
		}
	}
	if h.AnsweredAt.IsZero() {
		return nil
	}
	for _, a := range h.Assignees {
		if err := sys(event{action: "answer", unitID: a.UnitID, at: h.AnsweredAt, note: h.Answer}); err != nil {
			return err
		}
	}
	if err := sys(event{action: "resolve", from: StateInProgress, to: StateResolved, at: h.AnsweredAt, note: "全部承办单位已答复"}); err != nil {
		return err
	}
	if h.ClosedAt.IsZero() {
		return nil
	}
	return sys(event{action: "close", from: StateResolved, to: StateClosed, at: h.ClosedAt, rating: h.Rating, note: h.CloseNote})
}

func latest(h HistoricCase) time.Time {
	t := h.CreatedAt
	for _, x := range []time.Time{h.AcceptedAt, h.FirstAnsweredAt, h.ReopenedAt, h.AnsweredAt, h.ClosedAt} {
		if x.After(t) {
			t = x
		}
	}
	return t
}
