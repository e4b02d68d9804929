package briefing

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/org"
	"gongjian/internal/progress"
	"gongjian/internal/store"
)

// Scope narrows a briefing to a zone (with the zones under it) or a lead unit
// (with the units under it).
type Scope struct {
	CampaignID int64
	ZoneID     int64
	UnitID     int64
	Start      date.Date
	AsOf       date.Date
	Period     string
	Lang       string
}

// row is one row of a row set: its key prefix and the fields it fills.
type row struct {
	prefix string
	id     int64
}

// collected is what a briefing is written from.
type collected struct {
	figs   *figures
	rows   map[string][]row // row set → rows, in print order
	league LeagueTable
	behind []BehindRow
	extra  map[string][]BriefingTable // section → tables from other sources
}

func newCollected(lang string) *collected {
	return &collected{figs: newFigures(lang), rows: map[string][]row{}}
}

// merge adds what another source collected after what c holds, as if that
// source had added it to c.
func (c *collected) merge(o *collected) {
	for _, f := range o.figs.list {
		c.figs.add(f)
	}
	for k, v := range o.figs.labels {
		c.figs.labels[k] = v
	}
	for set, rs := range o.rows {
		c.rows[set] = append(c.rows[set], rs...)
	}
	for sec, ts := range o.extra {
		if c.extra == nil {
			c.extra = map[string][]BriefingTable{}
		}
		c.extra[sec] = append(c.extra[sec], ts...)
	}
}

// BehindRow is an item behind plan, for the table of the briefing.
type BehindRow struct {
	ItemID  int64    `json:"item_id"`
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Light   string   `json:"light" enum:"red,yellow"`
	Reasons []string `json:"reasons"`
	Leader  string   `json:"leader"`
	Unit    string   `json:"unit"`
}

type itemRow struct {
	id, parent, zone, unit int64
	code, name, typ, state string
	total, annual          int64
	end                    date.Date
	leader, unitName       string
}

// loadItems reads the items of the scope as they existed at cutoff.
func loadItems(ctx context.Context, q store.Querier, sc Scope, cutoff time.Time) ([]itemRow, error) {
	w, err := campaign.ScopeWhere(ctx, q)
	if err != nil {
		return nil, err
	}
	w.Add(`i.campaign_id = ?`, sc.CampaignID)
	w.Add(`i.created_at < ?`, cutoff)
	if sc.ZoneID != 0 {
		w.Add(`i.zone_id IN (SELECT z.id FROM zones z LEFT JOIN zones pz ON pz.id = z.parent_id WHERE z.id = ? OR z.parent_id = ? OR pz.parent_id = ?)`,
			sc.ZoneID, sc.ZoneID, sc.ZoneID)
	}
	if sc.UnitID != 0 {
		cond, args := org.InSubtree(`i.lead_unit_id`, sc.UnitID)
		w.Add(cond, args...)
	}
	rows, err := q.Query(ctx, `SELECT i.id, COALESCE(i.parent_id, 0), COALESCE(i.zone_id, 0), i.lead_unit_id, i.code, i.name, i.type, i.state,
		i.total_investment, i.annual_investment, i.end_date, p.name, u.name
		FROM items i JOIN persons p ON p.id = i.leader_id JOIN units u ON u.id = i.lead_unit_id`+w.SQL()+` ORDER BY i.code, i.id`, w.Args...)
	if err != nil {
		return nil, fmt.Errorf("briefing items: %w", err)
	}
	defer rows.Close()
	var out []itemRow
	for rows.Next() {
		var r itemRow
		var end *date.Date
		if err := rows.Scan(&r.id, &r.parent, &r.zone, &r.unit, &r.code, &r.name, &r.typ, &r.state, &r.total, &r.annual, &end,
			&r.leader, &r.unitName); err != nil {
			return nil, fmt.Errorf("scan briefing item: %w", err)
		}
		if end != nil {
			r.end = *end
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

type milestoneRow struct {
	id, item        int64
	name, kind      string
	planned, actual date.Date
}

// loadMilestones reads the milestones of the given items with their actual
// date as known at cutoff (a date recorded later is not yet known).
func loadMilestones(ctx context.Context, q store.Querier, ids []int64, cutoff time.Time) ([]milestoneRow, error) {
	var out []milestoneRow
	for chunk := range chunks(ids, 500) {
		args := []any{cutoff}
		for _, id := range chunk {
			args = append(args, id)
		}
		args = append(args, cutoff)
		rows, err := q.Query(ctx, `SELECT m.id, m.item_id, m.name, m.kind, m.planned_date,
			CASE WHEN COALESCE(m.actual_recorded_at, m.created_at) < ? THEN m.actual_date END
			FROM milestones m WHERE m.item_id IN (`+store.Placeholders(len(chunk))+`) AND m.created_at < ? ORDER BY m.planned_date, m.id`, args...)
		if err != nil {
			return nil, fmt.Errorf("briefing milestones: %w", err)
		}
		for rows.Next() {
			var m milestoneRow
			var actual *date.Date
			if err := rows.Scan(&m.id, &m.item, &m.name, &m.kind, &m.planned, &actual); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan briefing milestone: %w", err)
			}
			if actual != nil {
				m.actual = *actual
			}
			out = append(out, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func chunks(ids []int64, n int) func(func([]int64) bool) {
	return func(yield func([]int64) bool) {
		for i := 0; i < len(ids); i += n {
			if !yield(ids[i:min(i+n, len(ids))]) {
				return
			}
		}
	}
}

var typeFigures = []struct{ typ, key, label string }{
	{"key_project", "key_projects.count", "重点项目"},
	{"livelihood_project", "livelihood.count", "为民实事"},
	{"reform_task", "reform.count", "改革任务"},
	{"special_action", "special.count", "专项行动"},
}

// collect computes every figure, label and row a briefing is written from,
// as Gongjian knew them at the end of sc.AsOf.
func (s *Service) collect(ctx context.Context, sc Scope, campName, scopeName, issuer string, rules LeagueRules) (*collected, error) {
	q := s.db.Read()
	cutoff := sc.AsOf.Time().AddDate(0, 0, 1)
	lang := sc.Lang
	c := newCollected(lang)
	fs := c.figs
	fs.label("period", periodLabel(sc.Period, sc.Start, sc.AsOf, lang))
	fs.label("as_of", dateText(sc.AsOf, lang))
	fs.label("campaign", campName)
	fs.label("scope", scopeName)
	fs.label("issuer", issuer)

	// The lights are computed alongside reading the items, their milestones
	// and reports.
	var lights []progress.ItemLight
	var lightsErr error
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() {
		lights, lightsErr = s.progress.Lights(ctx, progress.LightFilter{CampaignID: sc.CampaignID, AsOf: sc.AsOf})
	})
	items, err := loadItems(ctx, q, sc, cutoff)
	if err != nil {
		return nil, err
	}
	var ids []int64
	children := map[int64][]itemRow{}
	var top []itemRow
	for _, it := range items {
		ids = append(ids, it.id)
		if it.parent == 0 {
			top = append(top, it)
		} else {
			children[it.parent] = append(children[it.parent], it)
		}
	}
	ms, err := loadMilestones(ctx, q, ids, cutoff)
	if err != nil {
		return nil, err
	}
	dues, err := loadDueReports(ctx, q, ids, sc.Start, sc.AsOf, cutoff)
	if err != nil {
		return nil, err
	}
	wg.Wait()
	if lightsErr != nil {
		return nil, lightsErr
	}
	lightOf := map[int64]progress.ItemLight{}
	for _, l := range lights {
		lightOf[l.ItemID] = l
	}
	msOf := map[int64][]milestoneRow{}
	for _, m := range ms {
		msOf[m.item] = append(msOf[m.item], m)
	}
	// An item is done as of the day when a "completed" milestone was reached
	// by then, or it is marked completed and was due to end by then.
	done := func(it itemRow) bool {
		for _, m := range msOf[it.id] {
			if m.kind == "completed" && !m.actual.IsZero() && !m.actual.After(sc.AsOf) {
				return true
			}
		}
		return it.state == "completed" && !it.end.IsZero() && !it.end.After(sc.AsOf)
	}
	api := func(extra string) string { return apiItems(sc.CampaignID, extra+"&as_of="+sc.AsOf.String()) }

	// Headline: items by type; key projects' investment.
	var all []SourceRecord
	for _, it := range top {
		all = append(all, itemRecord(it.id, it.code, it.name, 1))
	}
	fs.count("items.count", "攻坚事项", "项", api("&top_level=true"), all)
	var keyTotal, keyAnnual, keyDone []SourceRecord
	for _, tf := range typeFigures {
		var recs []SourceRecord
		for _, it := range top {
			if it.typ == tf.typ {
				recs = append(recs, itemRecord(it.id, it.code, it.name, 1))
			}
		}
		fs.count(tf.key, tf.label, "个", api("&top_level=true&type="+tf.typ), recs)
	}
	for _, it := range top {
		if it.typ != "key_project" {
			continue
		}
		keyTotal = append(keyTotal, itemRecord(it.id, it.code, it.name, float64(it.total)/1e4))
		keyAnnual = append(keyAnnual, itemRecord(it.id, it.code, it.name, float64(it.annual)/1e4))
		if l, ok := lightOf[it.id]; ok && l.CompletedWan > 0 {
			keyDone = append(keyDone, itemRecord(it.id, it.code, it.name, l.CompletedWan))
		}
	}
	kp := api("&top_level=true&type=key_project")
	fs.sumWan("key_projects.total", "重点项目总投资", kp, keyTotal)
	fs.sumWan("key_projects.annual", "重点项目年度计划投资", kp, keyAnnual)
	fs.sumWan("key_projects.invested", "重点项目累计完成投资", "/api/v1/lights?campaign_id="+fmt.Sprint(sc.CampaignID)+"&type=key_project&top_level=true&as_of="+sc.AsOf.String(), keyDone)
	fs.ratio("key_projects.invested_pct", "完成投资占年度计划", "key_projects.invested", "key_projects.annual")

	// Lights and completion of top-level items.
	byLight := map[string][]SourceRecord{}
	var completed []SourceRecord
	for _, it := range top {
		if l, ok := lightOf[it.id]; ok {
			byLight[l.Light] = append(byLight[l.Light], itemRecord(it.id, it.code, it.name, 1))
		}
		if done(it) {
			completed = append(completed, itemRecord(it.id, it.code, it.name, 1))
		}
	}
	lapi := "/api/v1/lights?campaign_id=" + fmt.Sprint(sc.CampaignID) + "&top_level=true&as_of=" + sc.AsOf.String()
	fs.count("lights.green", "绿灯事项", "项", lapi+"&light=green", byLight["green"])
	fs.count("lights.yellow", "黄灯事项", "项", lapi+"&light=yellow", byLight["yellow"])
	fs.count("lights.red", "红灯事项", "项", lapi+"&light=red", byLight["red"])
	fs.count("items.completed", "已完成事项", "项", api("&top_level=true&state=completed"), completed)

	// Programmes: top-level items with sub-items, done and under way.
	for _, it := range top {
		kids := children[it.id]
		if len(kids) == 0 {
			continue
		}
		p := "programmes." + it.code
		var d, u, k []SourceRecord
		for _, ch := range kids {
			r := itemRecord(ch.id, ch.code, ch.name, 1)
			k = append(k, r)
			if done(ch) {
				d = append(d, r)
			} else {
				u = append(u, r)
			}
		}
		capi := apiItems(sc.CampaignID, fmt.Sprintf("&parent_id=%d&as_of=%s", it.id, sc.AsOf))
		fs.count(p+".children", it.name+"子项目", "个", capi, k)
		fs.count(p+".done", it.name+"已完成", "个", capi, d)
		fs.count(p+".under_way", it.name+"推进中", "个", capi, u)
		fs.label(p+".name", it.name)
		fs.label(p+".code", it.code)
		fs.label(p+".leader", it.leader)
		fs.label(p+".unit", it.unitName)
		c.rows["programmes"] = append(c.rows["programmes"], row{prefix: p, id: it.id})
	}

	// Targets of top-level livelihood projects: goal, actual as of the day.
	for _, it := range top {
		if it.typ != "livelihood_project" {
			continue
		}
		for _, t := range lightOf[it.id].Targets {
			if t.Actual == nil {
				continue
			}
			p := fmt.Sprintf("targets.%d", t.TargetID)
			rec := []SourceRecord{{Kind: "target", ID: t.TargetID, Code: it.code, Name: it.name + "：" + t.Name}}
			tapi := fmt.Sprintf("/api/v1/items/%d/targets", it.id)
			rec[0].Value = t.Value
			fs.add(BriefingFigure{Key: p + ".value", Label: t.Name + "目标", Value: t.Value, Unit: t.Unit, Text: qtyText(t.Value, t.Unit, lang),
				Source: FigureSource{API: tapi, Sum: "value", Records: rec}})
			act := []SourceRecord{{Kind: "target_actual", ID: t.TargetID, Code: it.code, Name: it.name + "：" + t.Name, Value: *t.Actual,
				Note: "截至" + sc.AsOf.String() + "最近一次报送"}}
			fs.add(BriefingFigure{Key: p + ".actual", Label: t.Name + "完成", Value: *t.Actual, Unit: t.Unit, Text: qtyText(*t.Actual, t.Unit, lang),
				Source: FigureSource{API: fmt.Sprintf("/api/v1/reports?item_id=%d", it.id), Sum: "value", Records: act}})
			fs.ratio(p+".pct", t.Name+"完成比例", p+".actual", p+".value")
			fs.label(p+".item", it.name)
			fs.label(p+".name", t.Name)
			c.rows["targets"] = append(c.rows["targets"], row{prefix: p, id: t.TargetID})
		}
	}

	// Milestones reached in the period, and overdue at its end.
	var reached, overdue []SourceRecord
	topOf := map[int64]itemRow{}
	for _, it := range items {
		topOf[it.id] = it
	}
	for i := len(ms) - 1; i >= 0; i-- { // latest first
		m := ms[i]
		it := topOf[m.item]
		r := SourceRecord{Kind: "milestone", ID: m.id, Code: it.code, Name: it.name + "：" + m.name, Value: 1}
		switch {
		case !m.actual.IsZero() && !m.actual.Before(sc.Start) && !m.actual.After(sc.AsOf):
			reached = append(reached, r)
			if it.parent == 0 && len(c.rows["milestones"]) < 15 {
				p := fmt.Sprintf("milestones.%d", m.id)
				fs.label(p+".item", it.name)
				fs.label(p+".name", m.name)
				fs.label(p+".date", dateText(m.actual, lang))
				fs.label(p+".leader", it.leader)
				fs.label(p+".unit", it.unitName)
				c.rows["milestones"] = append(c.rows["milestones"], row{prefix: p, id: m.id})
			}
		case m.planned.Before(sc.AsOf) && (m.actual.IsZero() || m.actual.After(sc.AsOf)):
			r.Note = "计划" + m.planned.String()
			overdue = append(overdue, r)
		}
	}
	mapi := fmt.Sprintf("/api/v1/cockpit?campaign_id=%d&as_of=%s", sc.CampaignID, sc.AsOf)
	fs.count("milestones.reached", "本期完成节点", "个", mapi, reached)
	fs.count("milestones.overdue", "逾期未完成节点", "个", mapi, overdue)

	// Items behind: red first, then yellow, with reasons and accountability.
	for _, want := range []string{"red", "yellow"} {
		for _, it := range top {
			l, ok := lightOf[it.id]
			if !ok || l.Light != want {
				continue
			}
			p := "behind." + it.code
			word := map[string]string{"red": "红灯", "yellow": "黄灯"}[want]
			if lang == "en" {
				word = want
			}
			reasons := l.Reasons
			if len(reasons) == 0 {
				reasons = []string{"进度滞后"}
			}
			fs.label(p+".item", it.name)
			fs.label(p+".code", it.code)
			fs.label(p+".light", word)
			fs.label(p+".reasons", strings.Join(reasons, "；"))
			fs.label(p+".leader", it.leader)
			fs.label(p+".unit", it.unitName)
			c.rows["behind"] = append(c.rows["behind"], row{prefix: p, id: it.id})
			c.behind = append(c.behind, BehindRow{ItemID: it.id, Code: it.code, Name: it.name, Light: want, Reasons: reasons,
				Leader: it.leader, Unit: it.unitName})
		}
	}

	// Reports due in the period and filed on time.
	due, onTime := reportsInPeriod(dues, cutoff)
	rapi := fmt.Sprintf("/api/v1/reports?campaign_id=%d", sc.CampaignID)
	fs.count("reports.due", "应报进展", "期次", rapi, due)
	fs.count("reports.on_time", "按时报送", "期次", rapi, onTime)
	fs.ratio("reports.on_time_pct", "按时报送率", "reports.on_time", "reports.due")

	// The league table of lead units.
	lt, err := s.score(ctx, q, sc, items, lightOf, rules, dues)
	if err != nil {
		return nil, err
	}
	c.league = lt
	var units []SourceRecord
	for _, r := range lt.Rows {
		units = append(units, SourceRecord{Kind: "unit", ID: r.UnitID, Name: r.UnitName, Value: 1})
		p := fmt.Sprintf("league.%d", r.UnitID)
		fs.label(p+".rank", fmt.Sprint(r.Rank))
		fs.label(p+".unit", r.UnitName)
		var parts []SourceRecord
		for _, b := range r.Breakdown {
			parts = append(parts, SourceRecord{Kind: "component", Code: b.Key, Name: b.Label, Value: b.Points,
				Note: fmt.Sprintf("%g/%g", b.Numerator, b.Denominator)})
		}
		for _, d := range r.Deductions {
			parts = append(parts, SourceRecord{Kind: "deduction", Code: d.Key, Name: d.Label, Value: -d.Points, Note: fmt.Sprintf("%d×%g", d.Count, d.Per)})
		}
		fs.add(BriefingFigure{Key: p + ".score", Label: r.UnitName + "得分", Value: r.Score, Unit: "分", Precision: 2,
			Text:   trimNum(r.Score, 2) + map[bool]string{true: " points", false: "分"}[lang == "en"],
			Source: FigureSource{API: fmt.Sprintf("/api/v1/league?campaign_id=%d&period=%s&as_of=%s", sc.CampaignID, sc.Period, sc.AsOf), Sum: "sum", Records: parts}})
		c.rows["league"] = append(c.rows["league"], row{prefix: p, id: r.UnitID})
	}
	fs.count("league.units", "参与考核单位", "个", fmt.Sprintf("/api/v1/league?campaign_id=%d&period=%s&as_of=%s", sc.CampaignID, sc.Period, sc.AsOf), units)
	first, last := "—", "—"
	if len(lt.Rows) > 0 {
		first, last = lt.Rows[0].UnitName, lt.Rows[len(lt.Rows)-1].UnitName
	}
	fs.label("league.first", first)
	fs.label("league.last", last)
	return c, nil
}

// ratio adds a percentage of two figures already added; its records are the
// numerator's.
func (fs *figures) ratio(key, label, num, den string) {
	n, d := fs.list[fs.byKey[num]], fs.list[fs.byKey[den]]
	fs.add(BriefingFigure{Key: key, Label: label, Value: pct(n.Value, d.Value), Unit: "%", Precision: 1,
		Source: FigureSource{API: n.Source.API, Sum: "ratio", Of: []string{num, den}, Records: n.Source.Records, Count: n.Source.Count}})
}

// dueReport is a report due in a period.
type dueReport struct {
	id, item           int64
	code, name, period string
	late               bool
	submittedAt        *time.Time
}

// onTime reports whether the report was filed on time and known by cutoff.
func (r dueReport) onTime(cutoff time.Time) bool {
	return r.submittedAt != nil && r.submittedAt.Before(cutoff) && !r.late
}

// loadDueReports reads the reports of the items due within [start, asOf]
// and known by cutoff, by due date and item code.
func loadDueReports(ctx context.Context, q store.Querier, ids []int64, start, asOf date.Date, cutoff time.Time) ([]dueReport, error) {
	out := []dueReport{}
	for chunk := range chunks(ids, 500) {
		args := []any{}
		for _, id := range chunk {
			args = append(args, id)
		}
		args = append(args, start, asOf, cutoff)
		rows, err := q.Query(ctx, `SELECT r.id, r.item_id, i.code, i.name, r.period, r.late, r.submitted_at FROM reports r JOIN items i ON i.id = r.item_id
			WHERE r.item_id IN (`+store.Placeholders(len(chunk))+`) AND r.due_date >= ? AND r.due_date <= ? AND r.created_at < ?
			ORDER BY r.due_date, i.code`, args...)
		if err != nil {
			return nil, fmt.Errorf("briefing reports: %w", err)
		}
		for rows.Next() {
			var r dueReport
			if err := rows.Scan(&r.id, &r.item, &r.code, &r.name, &r.period, &r.late, &r.submittedAt); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan briefing report: %w", err)
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// reportsInPeriod lists the reports due, and those of them filed on time
// and known by cutoff.
func reportsInPeriod(dues []dueReport, cutoff time.Time) (due, onTime []SourceRecord) {
	for _, d := range dues {
		r := SourceRecord{Kind: "report", ID: d.id, Code: d.code, Name: d.name + " " + d.period, Value: 1}
		due = append(due, r)
		if d.onTime(cutoff) {
			onTime = append(onTime, r)
		}
	}
	return due, onTime
}

// qtyText prints a target's quantity with its unit: 21个, 2.56万户, 70%.
func qtyText(v float64, unit, lang string) string {
	switch unit {
	case "%", "万元":
		return formatValue(v, unit, 1, lang)
	}
	if lang != "en" && math.Abs(v) >= 1e4 {
		return trimNum(v/1e4, 2) + "万" + unit
	}
	if lang == "en" {
		return strings.TrimSpace(trimNum(v, 2) + " " + unit)
	}
	return trimNum(v, 2) + unit
}

func dateText(d date.Date, lang string) string {
	if lang == "en" {
		return fmt.Sprintf("%d %s %d", d.Time().Day(), enMonths[d.Time().Month()], d.Time().Year())
	}
	return d.Chinese()
}
