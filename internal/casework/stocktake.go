package casework

import (
	"context"
	"fmt"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// OverdueAsOf returns the visible cases that were overdue at the end of day
// asOf: raised by then, past their deadline then, and not resolved by then.
// campaignID (0: any) keeps the cases on items of that campaign and those on
// no item.
func (s *Service) OverdueAsOf(ctx context.Context, campaignID int64, asOf date.Date) ([]Case, error) {
	if err := need(ctx, access.CaseRead); err != nil {
		return nil, err
	}
	end := asOf.Time().AddDate(0, 0, 1)
	w := scopeWhere(access.From(ctx))
	w.Add(`c.created_at < ? AND c.original_deadline < ?`, end, asOf)
	// The deadline in force then: the old one of the first extension approved later.
	w.Add(`COALESCE((SELECT x.old_deadline FROM case_extensions x WHERE x.case_id = c.id AND x.state = 'approved' AND x.decided_at >= ?
		ORDER BY x.decided_at LIMIT 1), c.deadline) < ?`, end, asOf)
	w.Add(`(c.resolved_at IS NULL OR c.resolved_at >= ?)`, end)
	if campaignID != 0 {
		w.Add(`(c.item_id IS NULL OR i.campaign_id = ?)`, campaignID)
	}
	return s.query(ctx, s.db.Read(), caseSelect+w.SQL()+` ORDER BY c.deadline, c.id LIMIT 500`, w.Args)
}

// CreateDecisions enters a meeting's decisions as meeting_decision cases, in
// one transaction: all or none.
func (s *Service) CreateDecisions(ctx context.Context, meeting string, meetingID int64, ds []CaseInput) ([]Case, error) {
	if err := need(ctx, access.CaseClose); err != nil {
		return nil, err
	}
	now := s.now()
	for i := range ds {
		ds[i].Type = TypeMeetingDecision
		if ds[i].SourceKind == "" || ds[i].SourceKind == "item" {
			ds[i].SourceKind, ds[i].SourceID = "meeting", meetingID
		}
		if ds[i].Description == "" {
			ds[i].Description = meeting + "议定"
		}
		if err := ds[i].check(date.Of(now)); err != nil {
			e := err.(*errs.Error)
			f := e.Fields[0]
			return nil, errs.Invalid([]errs.FieldError{{Field: fmt.Sprintf("decisions[%d].%s", i, f.Field), Key: f.Key,
				Message: fmt.Sprintf("第 %d 项议定事项：%s", i+1, f.Message), Value: f.Value}})
		}
		if ds[i].ItemID == nil && len(ds[i].Assignees) == 0 {
			return nil, errs.Invalid([]errs.FieldError{{Field: fmt.Sprintf("decisions[%d].assignees", i), Key: "required",
				Message: fmt.Sprintf("第 %d 项议定事项：请指定承办单位或关联事项", i+1)}})
		}
	}
	out := []Case{}
	err := s.db.Tx(ctx, func(q store.Querier) error {
		for i, d := range ds {
			c, err := s.insert(ctx, q, d, now, "")
			if err != nil {
				if e, ok := err.(*errs.Error); ok && len(e.Fields) > 0 {
					f := e.Fields[0]
					return errs.Invalid([]errs.FieldError{{Field: fmt.Sprintf("decisions[%d].%s", i, f.Field), Key: f.Key,
						Message: fmt.Sprintf("第 %d 项议定事项：%s", i+1, f.Message), Value: f.Value}})
				}
				return err
			}
			if err := audit.Write(ctx, q, audit.Entry{Action: "create", Entity: "case", EntityID: c.ID, After: c}); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}
