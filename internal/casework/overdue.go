package casework

import (
	"context"
	"fmt"

	"gongjian/internal/date"
	"gongjian/internal/store"
)

// deadlineThen is the deadline in force at the end of the day given as its
// argument (the day after it, as a time): the old deadline of the first
// extension approved later, else the deadline now.
const deadlineThen = `COALESCE((SELECT x.old_deadline FROM case_extensions x WHERE x.case_id = c.id AND x.state = 'approved'
	AND x.decided_at >= ? ORDER BY x.decided_at LIMIT 1), c.deadline)`

// timeLimitWhere adds f's overdue and due-soon conditions, counted to today
// (the clock's day) or, when f.AsOf is set, to the end of that day as things
// stood then: raised by then, not resolved by then, against the deadline in
// force then. With AsOf set, only the cases raised by then are listed.
func (s *Service) timeLimitWhere(w *store.Where, f Filter, today date.Date) {
	if f.AsOf.IsZero() {
		if f.Overdue {
			w.Add(`c.state IN ('open', 'in_progress') AND c.deadline < ?`, today)
		}
		if f.DueSoon {
			w.Add(`c.state IN ('open', 'in_progress') AND c.deadline >= ? AND c.deadline <= ?`, today, date.Of(today.Time().AddDate(0, 0, s.warnDays)))
		}
		return
	}
	end := f.AsOf.Time().AddDate(0, 0, 1)
	w.Add(`c.created_at < ?`, end)
	if !f.Overdue && !f.DueSoon {
		return
	}
	w.Add(`(c.resolved_at IS NULL OR c.resolved_at >= ?)`, end)
	if f.Overdue {
		w.Add(deadlineThen+` < ?`, end, f.AsOf)
	}
	if f.DueSoon {
		w.Add(deadlineThen+` >= ? AND `+deadlineThen+` <= ?`, end, f.AsOf, end, date.Of(f.AsOf.Time().AddDate(0, 0, s.warnDays)))
	}
}

// deriveAsOf recounts the time-limit flags of cs to the end of day asOf, as
// things stood then: days left against the deadline in force then, overdue
// and due soon only when the case was still unresolved then.
func (s *Service) deriveAsOf(ctx context.Context, q store.Querier, cs []Case, asOf date.Date) error {
	if len(cs) == 0 {
		return nil
	}
	end := asOf.Time().AddDate(0, 0, 1)
	ids := make([]any, 0, len(cs)+1)
	ids = append(ids, end)
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	rows, err := q.Query(ctx, `SELECT case_id, old_deadline FROM case_extensions WHERE state = 'approved' AND decided_at >= ?
		AND case_id IN (`+store.Placeholders(len(cs))+`) ORDER BY decided_at DESC, id DESC`, ids...)
	if err != nil {
		return fmt.Errorf("case deadlines as of %s: %w", asOf, err)
	}
	then := map[int64]date.Date{} // the earliest later approval wins: rows come latest first
	for rows.Next() {
		var id int64
		var d date.Date
		if err := rows.Scan(&id, &d); err != nil {
			rows.Close()
			return fmt.Errorf("scan case deadline: %w", err)
		}
		then[id] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range cs {
		c := &cs[i]
		deadline := c.Deadline
		if d, ok := then[c.ID]; ok {
			deadline = d
		}
		open := c.ResolvedAt == nil || !c.ResolvedAt.Before(end)
		c.DaysLeft = int(deadline.Time().Sub(asOf.Time()).Hours() / 24)
		c.Overdue = open && deadline.Before(asOf)
		c.DueSoon = open && !c.Overdue && c.DaysLeft <= s.warnDays
		for j := range c.Tasks {
			t := &c.Tasks[j]
			t.Overdue = open && (t.AnsweredAt == nil || !t.AnsweredAt.Before(end)) && t.Due.Before(asOf)
		}
	}
	return nil
}
