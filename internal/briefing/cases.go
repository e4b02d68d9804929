package briefing

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/org"
	"gongjian/internal/store"
)

// Casework (督办) in a briefing: the cases received in the period, those
// resolved (on time) by its end and those overdue at its end, each figure
// with the cases behind it; and the league's "cases resolved on time".
//
// A case counts as received on the day it was filed (created_at within
// [start, as_of]); it is resolved as of the period's end when its resolved_at
// is before the cutoff, on time when that day (local time) is not after its
// deadline (an approved extension moves the deadline). Overdue are all cases
// filed by the cutoff, unresolved at it, whose deadline has passed, whenever
// they were received: the backlog a briefing reports.

// casePlaceholders are the plain figures the casework source adds.
var casePlaceholders = []string{"cases.received", "cases.resolved", "cases.resolved_on_time", "cases.on_time_pct", "cases.overdue"}

var caseSentencesZH = []TemplateSentence{
	{Key: "cases.title", Section: "cases", Text: "七、督办事项办理情况"},
	{Key: "cases.summary", Section: "cases", Text: "{{period}}共受理督办件{{cases.received}}件，已办结{{cases.resolved}}件，其中按期办结{{cases.resolved_on_time}}件，按期办结率{{cases.on_time_pct}}；截至{{as_of}}，逾期未办结督办件{{cases.overdue}}件。"},
}

var caseSentencesEN = []TemplateSentence{
	{Key: "cases.title", Section: "cases", Text: "7. Casework"},
	{Key: "cases.summary", Section: "cases", Text: "{{period}}: {{cases.received}} cases received, {{cases.resolved}} resolved, {{cases.resolved_on_time}} of them on time ({{cases.on_time_pct}}); {{cases.overdue}} cases overdue and unresolved as of {{as_of}}."},
}

func init() {
	extraPlain = append(extraPlain, casePlaceholders...)
	defaultZH = append(defaultZH, caseSentencesZH...)
	defaultEN = append(defaultEN, caseSentencesEN...)
}

// caseRow is a case as known at a cutoff.
type caseRow struct {
	id                int64
	code, title       string
	deadline          date.Date
	created, resolved time.Time // resolved zero: not resolved by the cutoff
}

// onTime says whether a resolved case was resolved by its deadline.
func (c caseRow) onTime() bool {
	return !c.resolved.IsZero() && !date.Of(c.resolved.In(time.Local)).After(c.deadline)
}

// caseScope narrows cases to a briefing's zone (cases on its items) or unit
// (cases with a task for it or a unit under it).
func caseScope(sc Scope) store.Where {
	var w store.Where
	if sc.ZoneID != 0 {
		w.Add(`c.item_id IN (SELECT i.id FROM items i WHERE i.campaign_id = ? AND i.zone_id IN
			(SELECT z.id FROM zones z LEFT JOIN zones pz ON pz.id = z.parent_id WHERE z.id = ? OR z.parent_id = ? OR pz.parent_id = ?))`,
			sc.CampaignID, sc.ZoneID, sc.ZoneID, sc.ZoneID)
	}
	if sc.UnitID != 0 {
		cond, args := org.InSubtree(`t.unit_id`, sc.UnitID)
		w.Add(`EXISTS (SELECT 1 FROM case_tasks t WHERE t.case_id = c.id AND `+cond+`)`, args...)
	}
	return w
}

// eachCase calls fn with each case of the scope filed before cutoff, as it
// stood then, in the order filed, one at a time (a district files tens of
// thousands: they are tallied as read, not kept).
func eachCase(ctx context.Context, q store.Querier, sc Scope, cutoff time.Time, fn func(caseRow)) error {
	w := caseScope(sc)
	w.Add(`c.created_at < ?`, cutoff)
	rows, err := q.Query(ctx, `SELECT c.id, c.code, c.title, c.deadline, c.created_at, c.resolved_at FROM cases c`+w.SQL()+` ORDER BY c.created_at, c.id`, w.Args...)
	if err != nil {
		return fmt.Errorf("briefing cases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c caseRow
		var resolved sql.NullTime
		if err := rows.Scan(&c.id, &c.code, &c.title, &c.deadline, &c.created, &resolved); err != nil {
			return fmt.Errorf("scan briefing case: %w", err)
		}
		if resolved.Valid && resolved.Time.Before(cutoff) {
			c.resolved = resolved.Time
		}
		fn(c)
	}
	return rows.Err()
}

func caseRecord(c caseRow, note string) SourceRecord {
	return SourceRecord{Kind: "case", ID: c.id, Code: c.code, Name: c.title, Note: note}
}

// casesSource adds the casework figures of the scope. A period without cases
// adds none, so the casework sentences are left out.
func (s *Service) casesSource(ctx context.Context, sc Scope, col *collected) error {
	cutoff := sc.AsOf.Time().AddDate(0, 0, 1)
	start := sc.Start.Time()
	var received, resolved, onTime, overdue tally
	rec := func(c caseRow, note string) func(float64) SourceRecord {
		return func(float64) SourceRecord { return caseRecord(c, note) }
	}
	err := eachCase(ctx, s.db.Read(), sc, cutoff, func(c caseRow) {
		if !c.created.Before(start) {
			received.add(1, rec(c, ""))
			if !c.resolved.IsZero() {
				note := "逾期办结"
				if c.onTime() {
					note = ""
				}
				resolved.add(1, rec(c, note))
				if c.onTime() {
					onTime.add(1, rec(c, ""))
				}
			}
		}
		if c.resolved.IsZero() && c.deadline.Before(sc.AsOf) {
			overdue.add(1, rec(c, "办理期限 "+c.deadline.String()))
		}
	})
	if err != nil {
		return err
	}
	if received.n == 0 && overdue.n == 0 {
		return nil
	}
	en := sc.Lang == "en"
	lbl := func(zh, e string) string {
		if en {
			return e
		}
		return zh
	}
	api := fmt.Sprintf("/api/v1/cases?from=%s&to=%s", sc.Start, sc.AsOf)
	if sc.UnitID != 0 {
		api += fmt.Sprintf("&unit_id=%d", sc.UnitID)
	}
	fs := col.figs
	fs.countOf("cases.received", lbl("受理督办件", "Cases received"), "件", api, received.n, received.recs)
	fs.countOf("cases.resolved", lbl("已办结督办件", "Cases resolved"), "件", api+"&state=resolved", resolved.n, resolved.recs)
	fs.countOf("cases.resolved_on_time", lbl("按期办结督办件", "Cases resolved on time"), "件", api+"&state=resolved", onTime.n, onTime.recs)
	fs.ratio("cases.on_time_pct", lbl("督办件按期办结率", "Cases resolved on time, share"), "cases.resolved_on_time", "cases.received")
	overAPI := "/api/v1/cases?overdue=true"
	if sc.UnitID != 0 {
		overAPI += fmt.Sprintf("&unit_id=%d", sc.UnitID)
	}
	fs.countOf("cases.overdue", lbl("逾期未办结督办件", "Cases overdue"), "件", overAPI, overdue.n, overdue.recs)
	return nil
}

// casesOnTime scores each unit's tasks of the cases received in the period:
// the share answered by the task's due day, as of the period's end.
type casesOnTime struct{}

func (casesOnTime) Key() string          { return "cases_on_time" }
func (casesOnTime) Label() string        { return "督办件按时办结" }
func (casesOnTime) ScoreDeduction() bool { return false }
func (casesOnTime) Measure(ctx context.Context, q store.Querier, in LeagueInput) (map[int64]Measure, error) {
	w := caseScope(in.Scope)
	w.Add(`c.created_at >= ?`, in.Scope.Start.Time())
	w.Add(`c.created_at < ?`, in.Cutoff)
	rows, err := q.Query(ctx, `SELECT t.unit_id, c.id, c.code, c.title, t.due, t.answered_at FROM case_tasks t JOIN cases c ON c.id = t.case_id`+
		w.SQL()+` ORDER BY c.created_at, c.id, t.unit_id`, w.Args...)
	if err != nil {
		return nil, fmt.Errorf("league cases: %w", err)
	}
	defer rows.Close()
	out := map[int64]Measure{}
	for rows.Next() {
		var unit, id int64
		var code, title string
		var due date.Date
		var answered sql.NullTime
		if err := rows.Scan(&unit, &id, &code, &title, &due, &answered); err != nil {
			return nil, fmt.Errorf("scan league case: %w", err)
		}
		m := out[unit]
		m.Den++
		r := SourceRecord{Kind: "case", ID: id, Code: code, Name: title}
		switch {
		case answered.Valid && answered.Time.Before(in.Cutoff) && !date.Of(answered.Time.In(time.Local)).After(due):
			m.Num++
			r.Value = 1
		case answered.Valid && answered.Time.Before(in.Cutoff):
			r.Note = "逾期答复"
		default:
			r.Note = "未答复"
		}
		m.Records = append(m.Records, r)
		out[unit] = m
	}
	return out, rows.Err()
}

var (
	zhNumbered = regexp.MustCompile(`^[一二三四五六七八九十]+、`)
	enNumbered = regexp.MustCompile(`^\d+\.\s*`)
	zhNumerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"}
)

// renumber numbers the printed sections' titles in order (一、二、… or 1. 2. …):
// a section without data is left out, and sources (casework, indicators,
// ledgers) add sections in between. A title without a number keeps none.
func renumber(secs []BriefingSection) {
	n := 0
	for i := range secs {
		t := secs[i].Title
		switch {
		case zhNumbered.MatchString(t) && n < len(zhNumerals):
			secs[i].Title = zhNumerals[n] + "、" + zhNumbered.ReplaceAllString(t, "")
		case enNumbered.MatchString(t):
			secs[i].Title = fmt.Sprintf("%d. %s", n+1, enNumbered.ReplaceAllString(t, ""))
		default:
			continue
		}
		n++
	}
}
