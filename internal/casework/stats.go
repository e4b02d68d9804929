package casework

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/org"
	"gongjian/internal/store"
)

// StatsFilter selects the cases received in a period (by creation day,
// From..To inclusive; zero for open-ended) and, optionally, one unit and the
// units below it. AsOf, when set, ignores answers given after it.
type StatsFilter struct {
	From, To date.Date
	UnitID   int64
	AsOf     time.Time
}

// UnitStats are one assigned unit's figures for a period: what a briefing and
// the league table use.
type UnitStats struct {
	UnitID           int64   `json:"unit_id"`
	UnitName         string  `json:"unit_name"`
	Received         int     `json:"received" doc:"交办件数"`
	Resolved         int     `json:"resolved" doc:"已答复（办结）件数"`
	ResolvedOnTime   int     `json:"resolved_on_time" doc:"按期办结件数"`
	OnTimeRate       float64 `json:"on_time_rate" doc:"按期办结率（%，按交办件数）"`
	AvgDaysToResolve float64 `json:"avg_days_to_resolve" doc:"平均办结天数（立案到答复）"`
	Overdue          int     `json:"overdue" doc:"逾期未办结件数"`
	Reopened         int     `json:"reopened" doc:"被退回重新办理的件数"`
	Rated            int     `json:"rated" doc:"有满意度评价的件数"`
	AvgSatisfaction  float64 `json:"avg_satisfaction" doc:"平均满意度（1–5）"`
}

// Stats returns per-unit figures for the cases received in the period, units
// with the most cases first. A unit reporter sees its own unit and those below.
func (s *Service) Stats(ctx context.Context, f StatsFilter) ([]UnitStats, error) {
	if err := need(ctx, access.CaseRead); err != nil {
		return nil, err
	}
	var w store.Where
	if a := access.From(ctx); a != nil && a.Scope() == access.ScopeUnit {
		cond, args := org.InSubtree(`t.unit_id`, a.UnitID)
		w.Add(cond, args...)
	}
	if f.UnitID != 0 {
		cond, args := org.InSubtree(`t.unit_id`, f.UnitID)
		w.Add(cond, args...)
	}
	if !f.From.IsZero() {
		w.Add(`c.created_at >= ?`, f.From.Time())
	}
	if !f.To.IsZero() {
		w.Add(`c.created_at < ?`, f.To.Time().AddDate(0, 0, 1))
	}
	asOf := f.AsOf
	if asOf.IsZero() {
		asOf = s.now()
	}
	rows, err := s.db.Read().Query(ctx, `SELECT t.unit_id, u.name, t.due, t.answered_at, c.created_at, c.reopen_count, c.rating, c.state, c.deadline
		FROM case_tasks t JOIN cases c ON c.id = t.case_id JOIN units u ON u.id = t.unit_id`+w.SQL(), w.Args...)
	if err != nil {
		return nil, fmt.Errorf("case stats: %w", err)
	}
	defer rows.Close()
	by := map[int64]*UnitStats{}
	days := map[int64]float64{}
	stars := map[int64]int{}
	today := date.Of(asOf)
	for rows.Next() {
		var unit int64
		var name, state string
		var due, deadline date.Date
		var answered sql.NullTime
		var created time.Time
		var reopened int
		var rating sql.NullInt64
		if err := rows.Scan(&unit, &name, &due, &answered, &created, &reopened, &rating, &state, &deadline); err != nil {
			return nil, fmt.Errorf("scan case stats: %w", err)
		}
		st := by[unit]
		if st == nil {
			st = &UnitStats{UnitID: unit, UnitName: name}
			by[unit] = st
		}
		st.Received++
		if answered.Valid && !answered.Time.After(asOf) {
			st.Resolved++
			days[unit] += answered.Time.Sub(created).Hours() / 24
			if !due.Before(date.Of(answered.Time.In(time.Local))) {
				st.ResolvedOnTime++
			}
		} else if due.Before(today) {
			st.Overdue++
		}
		if reopened > 0 {
			st.Reopened++
		}
		if rating.Valid {
			st.Rated++
			stars[unit] += int(rating.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]UnitStats, 0, len(by))
	for id, st := range by {
		if st.Resolved > 0 {
			st.AvgDaysToResolve = round1(days[id] / float64(st.Resolved))
		}
		if st.Received > 0 {
			st.OnTimeRate = round1(100 * float64(st.ResolvedOnTime) / float64(st.Received))
		}
		if st.Rated > 0 {
			st.AvgSatisfaction = round1(float64(stars[id]) / float64(st.Rated))
		}
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Received != out[j].Received {
			return out[i].Received > out[j].Received
		}
		return out[i].UnitID < out[j].UnitID
	})
	return out, nil
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
