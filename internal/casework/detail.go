package casework

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/store"
)

// CaseEvent is one line of a case's timeline: who did what, when and why.
type CaseEvent struct {
	ID          int64     `json:"id"`
	At          time.Time `json:"at"`
	UserID      *int64    `json:"user_id"`
	Actor       string    `json:"actor" doc:"操作人（显示名）"`
	Action      string    `json:"action" doc:"create/assign/accept/answer/resolve/close/reopen/comment/attach/extension_request/extension_approved/extension_rejected/warn/overdue/escalate"`
	ActionLabel string    `json:"action_label"`
	FromState   string    `json:"from_state"`
	ToState     string    `json:"to_state"`
	UnitID      *int64    `json:"unit_id"`
	UnitName    string    `json:"unit_name"`
	Note        string    `json:"note"`
	Rating      *int      `json:"rating"`
}

// CaseExtension is a request to move a case's deadline (延期申请) and its decision.
type CaseExtension struct {
	ID              int64      `json:"id"`
	CaseID          int64      `json:"case_id"`
	OldDeadline     date.Date  `json:"old_deadline"`
	NewDeadline     date.Date  `json:"new_deadline"`
	Reason          string     `json:"reason"`
	State           string     `json:"state" enum:"requested,approved,rejected"`
	RequestedByName string     `json:"requested_by_name"`
	RequestedAt     time.Time  `json:"requested_at"`
	DecidedByName   string     `json:"decided_by_name"`
	DecidedAt       *time.Time `json:"decided_at"`
	DecisionNote    string     `json:"decision_note"`
}

// CaseAttachment describes a file attached to a case; the bytes are fetched apart.
type CaseAttachment struct {
	ID             int64     `json:"id"`
	CaseID         int64     `json:"case_id"`
	FileName       string    `json:"file_name"`
	ContentType    string    `json:"content_type"`
	Size           int64     `json:"size"`
	UploadedByName string    `json:"uploaded_by_name"`
	CreatedAt      time.Time `json:"created_at"`
}

// CaseDetail is a case with its timeline, extensions and attachments.
type CaseDetail struct {
	Case
	Events      []CaseEvent      `json:"events"`
	Extensions  []CaseExtension  `json:"extensions"`
	Attachments []CaseAttachment `json:"attachments"`
}

// GetDetail returns a visible case with everything that happened to it.
func (s *Service) GetDetail(ctx context.Context, id int64) (CaseDetail, error) {
	if err := need(ctx, access.CaseRead); err != nil {
		return CaseDetail{}, err
	}
	q := s.db.Read()
	c, err := s.getCase(ctx, q, id)
	if err != nil {
		return CaseDetail{}, err
	}
	d := CaseDetail{Case: c, Events: []CaseEvent{}, Extensions: []CaseExtension{}, Attachments: []CaseAttachment{}}
	if d.Events, err = events(ctx, q, id); err != nil {
		return d, err
	}
	if d.Extensions, err = extensions(ctx, q, `x.case_id = ?`, id); err != nil {
		return d, err
	}
	rows, err := q.Query(ctx, `SELECT a.id, a.case_id, a.file_name, a.content_type, a.size, COALESCE(NULLIF(u.display_name, ''), u.username, ''), a.created_at
		FROM case_attachments a LEFT JOIN users u ON u.id = a.uploaded_by WHERE a.case_id = ? ORDER BY a.id`, id)
	if err != nil {
		return d, fmt.Errorf("case attachments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a CaseAttachment
		if err := rows.Scan(&a.ID, &a.CaseID, &a.FileName, &a.ContentType, &a.Size, &a.UploadedByName, &a.CreatedAt); err != nil {
			return d, err
		}
		d.Attachments = append(d.Attachments, a)
	}
	return d, rows.Err()
}

func events(ctx context.Context, q store.Querier, caseID int64) ([]CaseEvent, error) {
	rows, err := q.Query(ctx, `SELECT e.id, e.at, e.user_id, COALESCE(NULLIF(u.display_name, ''), NULLIF(e.actor, ''), '系统'), e.action,
		e.from_state, e.to_state, e.unit_id, COALESCE(un.name, ''), e.note, e.rating
		FROM case_events e LEFT JOIN users u ON u.id = e.user_id LEFT JOIN units un ON un.id = e.unit_id
		WHERE e.case_id = ? ORDER BY e.at, e.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("case events: %w", err)
	}
	defer rows.Close()
	out := []CaseEvent{}
	for rows.Next() {
		var e CaseEvent
		var user, unit, rating sql.NullInt64
		if err := rows.Scan(&e.ID, &e.At, &user, &e.Actor, &e.Action, &e.FromState, &e.ToState, &unit, &e.UnitName, &e.Note, &rating); err != nil {
			return nil, err
		}
		e.UserID, e.UnitID = nullInt(user), nullInt(unit)
		if rating.Valid {
			v := int(rating.Int64)
			e.Rating = &v
		}
		e.ActionLabel = actionLabels[e.Action]
		out = append(out, e)
	}
	return out, rows.Err()
}

func extensions(ctx context.Context, q store.Querier, cond string, arg any) ([]CaseExtension, error) {
	rows, err := q.Query(ctx, `SELECT x.id, x.case_id, x.old_deadline, x.new_deadline, x.reason, x.state,
		COALESCE(NULLIF(ru.display_name, ''), ru.username, '系统'), x.requested_at, COALESCE(NULLIF(du.display_name, ''), du.username, ''),
		x.decided_at, x.decision_note
		FROM case_extensions x LEFT JOIN users ru ON ru.id = x.requested_by LEFT JOIN users du ON du.id = x.decided_by
		WHERE `+cond+` ORDER BY x.id`, arg)
	if err != nil {
		return nil, fmt.Errorf("case extensions: %w", err)
	}
	defer rows.Close()
	out := []CaseExtension{}
	for rows.Next() {
		var x CaseExtension
		var decided sql.NullTime
		if err := rows.Scan(&x.ID, &x.CaseID, &x.OldDeadline, &x.NewDeadline, &x.Reason, &x.State, &x.RequestedByName, &x.RequestedAt,
			&x.DecidedByName, &decided, &x.DecisionNote); err != nil {
			return nil, err
		}
		x.DecidedAt = nullTime(decided)
		out = append(out, x)
	}
	return out, rows.Err()
}
