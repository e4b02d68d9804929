package loadtest

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/store"
)

// The raw twin of each read: the main SQL statements the service runs for
// it, copied from the services as they stand (issue 12) with the scope of a
// supervisor (the whole district, so no scope clause) and run here one after
// the other with every row read and scanned, but nothing else — no HTTP,
// session check, permission, Go-side computing or JSON. The ratio of the two
// is what Gongjian adds over the engine. When a service's queries change,
// change its twin here:
//
//   - cockpit: campaign.Cockpit — four grouped figures, the item count and
//     the three milestone lists (overdue, due in 30 days, reached in 30 days).
//   - rollups: progress.Lights — the items with their leaders, units and
//     zones, the targets each with its two latest actuals, the latest
//     investment figure per item, the report states of the last period and
//     the milestones; the judging and the roll-up are Go.
//   - items: campaign.ListItems — the totals and the page, per filter in turn.
//   - item_page: campaign item, milestones, targets, and the audit list.
//   - cases_overdue: casework.List — the count and the page (without the
//     tasks of the page).
//   - ledger_figures: ledger.Figures — the rows' current revisions (the
//     counting and JSON decoding are Go).
//   - indicator_table: indicator.Table — the values of the period, the month
//     before and a year before (ranks and growth are Go).
type rawQuery struct {
	sql  string
	args []any
}

type rawDB struct{ db *store.DB }

// openRaw opens the database with the pools the server uses (store.Open's
// defaults, as `gongjian serve` opens it), so both sides queue alike.
func openRaw(ctx context.Context, dsn string) (*rawDB, error) {
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return nil, fmt.Errorf("打开数据库（raw）: %w", err)
	}
	return &rawDB{db: db}, nil
}

func (r *rawDB) close() { r.db.Close() }

// run executes the queries in turn and reads every row.
func (r *rawDB) run(ctx context.Context, qs []rawQuery) error {
	q := r.db.Read()
	for _, x := range qs {
		rows, err := q.Query(ctx, x.sql, x.args...)
		if err != nil {
			return fmt.Errorf("%s: %w", x.sql, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			rows.Close()
			return err
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

func rawCockpit(e *env) func(int) []rawQuery {
	t := day(e.asOf)
	cutoff := t.AddDate(0, 0, 1)
	asOf, in30, ago30 := date.Of(t), date.Of(t.AddDate(0, 0, 30)), date.Of(t.AddDate(0, 0, -30))
	base := ` WHERE i.campaign_id = ? AND i.created_at < ?`
	fig := func(group, label, extra string) rawQuery {
		return rawQuery{`SELECT ` + group + `, ` + label + `, COUNT(*), COALESCE(SUM(i.total_investment), 0), COALESCE(SUM(i.annual_investment), 0)
			FROM items i LEFT JOIN zones z ON z.id = i.zone_id` + base + ` AND i.parent_id IS NULL` + extra + ` GROUP BY ` + group + ` ORDER BY 4 DESC, 1`,
			[]any{e.campaign, cutoff}}
	}
	ms := `SELECT m.id, m.name, m.planned_date, m.actual_date, i.id, i.code, i.name, i.type, p.name, u.name
		FROM milestones m JOIN items i ON i.id = m.item_id JOIN persons p ON p.id = i.leader_id JOIN units u ON u.id = i.lead_unit_id` + base
	notReached := ` AND NOT (m.actual_date IS NOT NULL AND m.actual_date <= ? AND COALESCE(m.actual_recorded_at, m.created_at) < ?)`
	qs := []rawQuery{
		fig(`i.type`, `''`, ``),
		{`SELECT COUNT(*) FROM items i` + base, []any{e.campaign, cutoff}},
		fig(`i.level`, `''`, ` AND i.type = 'key_project'`),
		fig(`i.state`, `''`, ` AND i.type = 'key_project'`),
		fig(`COALESCE(i.zone_id, 0)`, `COALESCE(z.name, '未划入战区')`, ` AND i.type = 'key_project'`),
		{ms + ` AND m.planned_date < ?` + notReached + ` ORDER BY m.planned_date, m.id LIMIT 200`, []any{e.campaign, cutoff, asOf, asOf, cutoff}},
		{ms + ` AND m.planned_date >= ? AND m.planned_date <= ?` + notReached + ` ORDER BY m.planned_date, m.id LIMIT 200`,
			[]any{e.campaign, cutoff, asOf, in30, asOf, cutoff}},
		{ms + ` AND m.actual_date <= ? AND m.actual_date > ? AND COALESCE(m.actual_recorded_at, m.created_at) < ? ORDER BY m.actual_date DESC, m.id LIMIT 200`,
			[]any{e.campaign, cutoff, asOf, ago30, cutoff}},
	}
	return func(int) []rawQuery { return qs }
}

func rawLights(midYear bool) func(e *env) func(int) []rawQuery {
	return func(e *env) func(int) []rawQuery {
		asOf := day(e.asOf)
		if midYear {
			asOf = day(e.midYear)
		}
		cutoff := asOf.AddDate(0, 0, 1)
		sub := `SELECT i.id FROM items i WHERE i.campaign_id = ? AND i.created_at < ?`
		a := []any{e.campaign, cutoff}
		with := func(extra ...any) []any { return append(append([]any{}, a...), extra...) }
		qs := []rawQuery{
			{`SELECT i.id, i.code, i.name, i.type, i.level, i.state, COALESCE(i.zone_id, 0), COALESCE(z.name, ''),
				i.leader_id, p.name, i.lead_unit_id, u.name, i.annual_investment
				FROM items i JOIN persons p ON p.id = i.leader_id JOIN units u ON u.id = i.lead_unit_id LEFT JOIN zones z ON z.id = i.zone_id
				WHERE i.campaign_id = ? AND i.created_at < ? ORDER BY i.code`, a},
			{`SELECT t.id, t.item_id, t.name, t.unit, t.baseline, t.target_value, t.deadline, it.start_date,
				a1.value, a1.recorded_at, a2.value, a2.recorded_at
				FROM targets t JOIN items it ON it.id = t.item_id
				LEFT JOIN target_actuals a1 ON a1.id = (SELECT x.id FROM target_actuals x WHERE x.target_id = t.id AND x.recorded_at < ?
					ORDER BY x.recorded_at DESC, x.id DESC LIMIT 1 OFFSET 0)
				LEFT JOIN target_actuals a2 ON a2.id = (SELECT x.id FROM target_actuals x WHERE x.target_id = t.id AND x.recorded_at < ?
					ORDER BY x.recorded_at DESC, x.id DESC LIMIT 1 OFFSET 1)
				WHERE t.item_id IN (` + sub + `) AND t.created_at < ? ORDER BY t.deadline, t.id`, append([]any{cutoff, cutoff}, with(cutoff)...)},
			{`SELECT i.id, a.amount FROM items i JOIN investment_actuals a ON a.id =
				(SELECT x.id FROM investment_actuals x WHERE x.item_id = i.id AND x.recorded_at < ? ORDER BY x.recorded_at DESC, x.id DESC LIMIT 1)
				WHERE i.id IN (` + sub + `)`, append([]any{cutoff}, a...)},
			{`SELECT r.item_id, v.state FROM report_revisions v JOIN reports r ON r.id = v.report_id
				WHERE r.item_id IN (` + sub + `) AND r.period = ? AND v.at < ? ORDER BY r.item_id, v.at, v.id`, with(e.period, cutoff)},
			{`SELECT m.id, m.item_id, m.name, m.planned_date, m.actual_date, m.actual_recorded_at, m.created_at FROM milestones m
				WHERE m.item_id IN (` + sub + `) AND m.created_at < ? ORDER BY m.planned_date`, with(cutoff)},
		}
		return func(int) []rawQuery { return qs }
	}
}

const rawItemSelect = `SELECT i.id, i.campaign_id, i.code, i.name, i.type, i.level, i.state, i.parent_id, i.zone_id, COALESCE(z.name, ''),
	i.leader_id, p.name, i.lead_unit_id, u.name, i.work_plan, i.total_investment, i.annual_investment, i.start_date, i.end_date,
	i.location, i.illustrative, i.note, (SELECT COUNT(*) FROM items c WHERE c.parent_id = i.id), i.version, i.created_at, i.updated_at
	FROM items i JOIN persons p ON p.id = i.leader_id JOIN units u ON u.id = i.lead_unit_id LEFT JOIN zones z ON z.id = i.zone_id`

func rawItems(e *env) func(int) []rawQuery {
	type filter struct {
		where, order string
		args         []any
	}
	fs := []filter{
		{` WHERE i.campaign_id = ?`, ` ORDER BY i.code, i.id`, []any{e.campaign}},
		{` WHERE i.campaign_id = ? AND i.type = ? AND (i.zone_id = ? OR i.zone_id IN (SELECT id FROM zones WHERE parent_id = ?))`, ` ORDER BY i.code, i.id`,
			[]any{e.campaign, "key_project", e.zone, e.zone}},
		{` WHERE i.campaign_id = ? AND (i.name LIKE ? ESCAPE '\' OR i.code LIKE ? ESCAPE '\')`, ` ORDER BY i.code, i.id`,
			[]any{e.campaign, "%产业园%", "%产业园%"}},
		{` WHERE i.campaign_id = ?`, ` ORDER BY i.total_investment DESC, i.id`, []any{e.campaign}},
	}
	return func(i int) []rawQuery {
		f := fs[i%len(fs)]
		return []rawQuery{
			{`SELECT COUNT(*), COALESCE(SUM(i.total_investment), 0), COALESCE(SUM(i.annual_investment), 0) FROM items i` + f.where, f.args},
			{rawItemSelect + f.where + f.order + ` LIMIT 20`, f.args},
		}
	}
}

func rawItemPage(e *env) func(int) []rawQuery {
	return func(i int) []rawQuery {
		id := e.items[(i*104729)%len(e.items)]
		return []rawQuery{
			{rawItemSelect + ` WHERE i.id = ?`, []any{id}},
			{`SELECT id, item_id, name, kind, planned_date, actual_date, sort_order, version, created_at, updated_at FROM milestones WHERE item_id = ? ORDER BY sort_order, id`, []any{id}},
			{`SELECT id, item_id, name, unit, baseline, target_value, deadline, direction, version FROM targets WHERE item_id = ? ORDER BY id`, []any{id}},
			{`SELECT COUNT(*) FROM audit_log WHERE entity = ? AND entity_id = ?`, []any{"item", fmt.Sprint(id)}},
			{`SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id DESC LIMIT 100`, []any{"item", fmt.Sprint(id)}},
		}
	}
}

func rawCases(e *env) func(int) []rawQuery {
	today := date.Of(time.Now())
	where := ` WHERE c.state IN ('open', 'in_progress') AND c.deadline < ?`
	return func(i int) []rawQuery {
		return []rawQuery{
			{`SELECT COUNT(*) FROM cases c LEFT JOIN items i ON i.id = c.item_id` + where, []any{today}},
			{`SELECT c.id, c.code, c.type, c.title, c.description, c.priority, c.source_kind, c.source_id,
				c.item_id, COALESCE(i.code, ''), COALESCE(i.name, ''), i.campaign_id, c.enterprise_id,
				c.requester_person_id, COALESCE(rp.name, ru.display_name, ''), c.requester_user_id, c.requester_unit_id, COALESCE(run.name, ''),
				c.deadline, c.original_deadline, c.state, c.escalated_to, COALESCE(ep.name, ''), c.escalated_at, c.resolved_at, c.closed_at,
				c.reopen_count, c.rating, COALESCE(c.external_ref, ''), c.version, c.created_at, c.updated_at
				FROM cases c LEFT JOIN items i ON i.id = c.item_id
				LEFT JOIN persons rp ON rp.id = c.requester_person_id LEFT JOIN users ru ON ru.id = c.requester_user_id
				LEFT JOIN units run ON run.id = c.requester_unit_id LEFT JOIN persons ep ON ep.id = c.escalated_to` + where +
				fmt.Sprintf(` ORDER BY c.created_at DESC, c.id DESC LIMIT 20 OFFSET %d`, 20*(i%5)), []any{today}},
		}
	}
}

func rawLedger(e *env) func(int) []rawQuery {
	qs := []rawQuery{{`SELECT values_json, period FROM ledger_row_revisions WHERE ledger_id = ? AND deleted = FALSE AND valid_to IS NULL`, []any{e.ledger}}}
	return func(int) []rawQuery { return qs }
}

func rawIndicators(e *env) func(int) []rawQuery {
	// The latest period with figures, the month before and a year before.
	p, _ := time.Parse("2006-01", e.indicatorPeriod)
	qs := []rawQuery{{`SELECT indicator_id, region_id, period, value_e4, revision, illustrative FROM indicator_values
		WHERE period IN (?, ?, ?) AND recorded_at < ?`,
		[]any{e.indicatorPeriod, p.AddDate(0, -1, 0).Format("2006-01"), p.AddDate(-1, 0, 0).Format("2006-01"), time.Now().AddDate(0, 0, 1)}}}
	return func(int) []rawQuery { return qs }
}
