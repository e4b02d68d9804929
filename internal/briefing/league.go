package briefing

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/progress"
	"gongjian/internal/store"
)

// LeagueRules are how units are scored, set per campaign by the supervisor:
// a weight per component (scaled to 100 over the components that apply to a
// unit), points off per deduction, and the sizes of the honour and warning
// lists (红黑榜).
type LeagueRules struct {
	Weights    map[string]float64 `json:"weights" doc:"各项权重：reports_on_time（按时报送）、progress（序时进度）、cases_on_time（督办件按时办结）"`
	Deductions map[string]float64 `json:"deductions" doc:"每次扣分：red_items（红灯事项）、returned_reports（退回填报）"`
	HonourSize int                `json:"honour_size" minimum:"0" maximum:"50" doc:"红榜人数上限"`
	HonourMin  float64            `json:"honour_min" minimum:"0" maximum:"100" doc:"上红榜最低分"`
	WarnSize   int                `json:"warn_size" minimum:"0" maximum:"50" doc:"黑榜人数上限"`
	WarnBelow  float64            `json:"warn_below" minimum:"0" maximum:"100" doc:"低于此分上黑榜"`
	Version    int                `json:"version" readOnly:"true"`
}

// DefaultLeagueRules are in force until the supervisor sets others.
func DefaultLeagueRules() LeagueRules {
	return LeagueRules{
		Weights:    map[string]float64{"reports_on_time": 40, "progress": 40, "cases_on_time": 20},
		Deductions: map[string]float64{"red_items": 2, "returned_reports": 1},
		HonourSize: 3, HonourMin: 90, WarnSize: 3, WarnBelow: 80,
	}
}

// ScorePart is one component of a unit's score.
type ScorePart struct {
	Key         string         `json:"key"`
	Label       string         `json:"label"`
	Weight      float64        `json:"weight" doc:"规则权重"`
	Numerator   float64        `json:"numerator"`
	Denominator float64        `json:"denominator"`
	Ratio       float64        `json:"ratio" doc:"完成比例（0–1）"`
	Points      float64        `json:"points" doc:"得分 = 权重/适用权重之和 × 100 × 比例"`
	Records     []SourceRecord `json:"records"`
}

// ScoreDeduction is points taken off a unit's score.
type ScoreDeduction struct {
	Key     string         `json:"key"`
	Label   string         `json:"label"`
	Count   int            `json:"count"`
	Per     float64        `json:"per" doc:"每次扣分"`
	Points  float64        `json:"points" doc:"扣分合计（正数）"`
	Records []SourceRecord `json:"records"`
}

// LeagueRow is a unit's place in the league table with the breakdown of its score.
type LeagueRow struct {
	Rank       int              `json:"rank"`
	UnitID     int64            `json:"unit_id"`
	UnitName   string           `json:"unit_name"`
	Score      float64          `json:"score" doc:"得分 = 各项得分之和 − 扣分之和"`
	Breakdown  []ScorePart      `json:"breakdown"`
	Deductions []ScoreDeduction `json:"deductions"`
}

// LeagueTable is the ranking of units for a period.
type LeagueTable struct {
	CampaignID int64       `json:"campaign_id"`
	Period     string      `json:"period"`
	Start      date.Date   `json:"start"`
	AsOf       date.Date   `json:"as_of"`
	Rules      LeagueRules `json:"rules"`
	Rows       []LeagueRow `json:"rows"`
	Honour     []LeagueRow `json:"honour" doc:"红榜"`
	Warning    []LeagueRow `json:"warning" doc:"黑榜"`
}

// Measure is a component's result for one unit: numerator over denominator,
// with the records behind it (each with its contribution to the numerator).
type Measure struct {
	Num, Den float64
	Records  []SourceRecord
}

// LeagueInput is what a component measures: the items in scope as of the
// period's end, with their lights.
type LeagueInput struct {
	Scope  Scope
	Cutoff time.Time
	Items  []ItemRef
	Lights map[int64]progress.ItemLight
	// dues are the reports of Items due in the period when already read
	// (a briefing reads them for its own figures); nil: read them.
	dues []dueReport
}

// ItemRef is an item with its lead unit.
type ItemRef struct {
	ID, UnitID int64
	Code, Name string
}

// Component is one scored (or deducted) part of the league table. A unit for
// which a component has no data (denominator 0) is scored on the others, so a
// campaign without cases still ranks fairly.
type Component interface {
	Key() string
	Label() string
	ScoreDeduction() bool // counted and multiplied by points each, not scored
	Measure(ctx context.Context, q store.Querier, in LeagueInput) (map[int64]Measure, error)
}

// AddComponent plugs in another scored part (e.g. cases resolved on time).
func (s *Service) AddComponent(c Component) {
	for i, x := range s.components {
		if x.Key() == c.Key() {
			s.components[i] = c
			return
		}
	}
	s.components = append(s.components, c)
}

func defaultComponents() []Component {
	return []Component{reportsOnTime{}, progressComponent{}, redItems{}, returnedReports{}}
}

func (r LeagueRules) check(components []Component) error {
	var c errs.Checker
	known := map[string]bool{}
	for _, x := range components {
		known[x.Key()] = true
	}
	known["cases_on_time"] = true // scored once casework reports cases
	for k, w := range r.Weights {
		c.Check(known[k], "weights."+k, "league.component_unknown", fmt.Sprintf("考核项 %s 不存在", k), k)
		c.Check(w >= 0 && w <= 100 && !math.IsNaN(w), "weights."+k, "range", "权重应在 0 到 100 之间", w)
	}
	for k, p := range r.Deductions {
		c.Check(known[k], "deductions."+k, "league.component_unknown", fmt.Sprintf("扣分项 %s 不存在", k), k)
		c.Check(p >= 0 && p <= 100 && !math.IsNaN(p), "deductions."+k, "range", "每次扣分应在 0 到 100 之间", p)
	}
	var sum float64
	for _, w := range r.Weights {
		sum += w
	}
	c.Check(sum > 0, "weights", "league.no_weight", "至少一个考核项的权重应大于 0", sum)
	c.Check(r.HonourSize >= 0 && r.HonourSize <= 50, "honour_size", "range", "红榜人数应在 0 到 50 之间", r.HonourSize)
	c.Check(r.WarnSize >= 0 && r.WarnSize <= 50, "warn_size", "range", "黑榜人数应在 0 到 50 之间", r.WarnSize)
	return c.Err()
}

// LeagueRulesOf returns a campaign's scoring rules.
func (s *Service) LeagueRulesOf(ctx context.Context, campaignID int64) (LeagueRules, error) {
	if err := s.campaignExists(ctx, s.db.Read(), campaignID); err != nil {
		return LeagueRules{}, err
	}
	return leagueRulesOf(ctx, s.db.Read(), campaignID)
}

func leagueRulesOf(ctx context.Context, q store.Querier, campaignID int64) (LeagueRules, error) {
	var raw string
	var v int
	err := q.QueryRow(ctx, `SELECT rules, version FROM league_rules WHERE campaign_id = ?`, campaignID).Scan(&raw, &v)
	if store.IsNoRows(err) {
		return DefaultLeagueRules(), nil
	}
	if err != nil {
		return LeagueRules{}, fmt.Errorf("league rules: %w", err)
	}
	var r LeagueRules // stored rules are complete: an empty map means none
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return LeagueRules{}, fmt.Errorf("league rules json: %w", err)
	}
	r.Version = v
	return r, nil
}

// SetLeagueRules replaces a campaign's scoring rules (version 0 while the
// defaults are in force); the change is audited.
func (s *Service) SetLeagueRules(ctx context.Context, campaignID int64, version int, r LeagueRules) (LeagueRules, error) {
	if err := canWrite(ctx); err != nil {
		return r, err
	}
	if err := r.check(s.components); err != nil {
		return r, err
	}
	var out LeagueRules
	err := s.db.Tx(ctx, func(q store.Querier) error {
		if err := s.campaignExists(ctx, q, campaignID); err != nil {
			return err
		}
		before, err := leagueRulesOf(ctx, q, campaignID)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errs.Stale("考核规则")
		}
		r.Version = 0
		b, _ := json.Marshal(r)
		now := s.now().UTC()
		if version == 0 {
			_, err = q.Exec(ctx, `INSERT INTO league_rules (campaign_id, rules, version, updated_at) VALUES (?, ?, 1, ?)`, campaignID, string(b), now)
		} else {
			_, err = q.Exec(ctx, `UPDATE league_rules SET rules = ?, version = version + 1, updated_at = ? WHERE campaign_id = ?`, string(b), now, campaignID)
		}
		if err != nil {
			return fmt.Errorf("save league rules: %w", err)
		}
		if out, err = leagueRulesOf(ctx, q, campaignID); err != nil {
			return err
		}
		return audit.Write(ctx, q, audit.Entry{Action: "update", Entity: "league_rules", EntityID: campaignID, Before: before, After: out})
	})
	return out, err
}

// LeagueFilter selects a league table.
type LeagueFilter struct {
	CampaignID     int64
	Period         string
	AsOf           date.Date
	ZoneID, UnitID int64
}

// League computes the league table of a period as of its end.
func (s *Service) League(ctx context.Context, f LeagueFilter) (LeagueTable, error) {
	q := s.db.Read()
	sc, err := s.scopeOf(ctx, q, f.CampaignID, f.Period, f.AsOf, f.ZoneID, f.UnitID, "zh")
	if err != nil {
		return LeagueTable{}, err
	}
	rules, err := leagueRulesOf(ctx, q, f.CampaignID)
	if err != nil {
		return LeagueTable{}, err
	}
	cutoff := sc.AsOf.Time().AddDate(0, 0, 1)
	items, err := loadItems(ctx, q, sc, cutoff)
	if err != nil {
		return LeagueTable{}, err
	}
	lights, err := s.progress.Lights(ctx, progress.LightFilter{CampaignID: sc.CampaignID, AsOf: sc.AsOf})
	if err != nil {
		return LeagueTable{}, err
	}
	lightOf := map[int64]progress.ItemLight{}
	for _, l := range lights {
		lightOf[l.ItemID] = l
	}
	return s.score(ctx, q, sc, items, lightOf, rules, nil)
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// score ranks the lead units of items by the rules.
// dues, when not nil, are the items' reports due in the period.
func (s *Service) score(ctx context.Context, q store.Querier, sc Scope, items []itemRow, lights map[int64]progress.ItemLight, rules LeagueRules,
	dues []dueReport) (LeagueTable, error) {
	lt := LeagueTable{CampaignID: sc.CampaignID, Period: sc.Period, Start: sc.Start, AsOf: sc.AsOf, Rules: rules,
		Rows: []LeagueRow{}, Honour: []LeagueRow{}, Warning: []LeagueRow{}}
	in := LeagueInput{Scope: sc, Cutoff: sc.AsOf.Time().AddDate(0, 0, 1), Lights: lights, dues: dues}
	names := map[int64]string{}
	for _, it := range items {
		in.Items = append(in.Items, ItemRef{ID: it.id, UnitID: it.unit, Code: it.code, Name: it.name})
		names[it.unit] = it.unitName
	}
	// The components read their own data: measure them side by side.
	got := make([]map[int64]Measure, len(s.components))
	failed := make([]error, len(s.components))
	var wg sync.WaitGroup
	for i, c := range s.components {
		wg.Go(func() { got[i], failed[i] = c.Measure(ctx, q, in) })
	}
	wg.Wait()
	measures := map[string]map[int64]Measure{}
	for i, c := range s.components {
		if failed[i] != nil {
			return lt, fmt.Errorf("league %s: %w", c.Key(), failed[i])
		}
		measures[c.Key()] = got[i]
	}
	for unit, name := range names {
		row := LeagueRow{UnitID: unit, UnitName: name, Breakdown: []ScorePart{}, Deductions: []ScoreDeduction{}}
		var applicable float64
		for _, c := range s.components {
			if !c.ScoreDeduction() && rules.Weights[c.Key()] > 0 && measures[c.Key()][unit].Den > 0 {
				applicable += rules.Weights[c.Key()]
			}
		}
		if applicable == 0 {
			continue
		}
		var total float64
		for _, c := range s.components {
			m := measures[c.Key()][unit]
			recs := m.Records
			if recs == nil {
				recs = []SourceRecord{}
			}
			if c.ScoreDeduction() {
				per := rules.Deductions[c.Key()]
				if per == 0 || len(recs) == 0 {
					continue
				}
				d := ScoreDeduction{Key: c.Key(), Label: c.Label(), Count: len(recs), Per: per, Points: round2(per * float64(len(recs))), Records: recs}
				row.Deductions = append(row.Deductions, d)
				total -= d.Points
				continue
			}
			w := rules.Weights[c.Key()]
			if w == 0 || m.Den == 0 {
				continue
			}
			p := ScorePart{Key: c.Key(), Label: c.Label(), Weight: w, Numerator: m.Num, Denominator: m.Den, Ratio: math.Round(m.Num/m.Den*10000) / 10000,
				Records: recs}
			p.Points = round2(w / applicable * 100 * m.Num / m.Den)
			row.Breakdown = append(row.Breakdown, p)
			total += p.Points
		}
		row.Score = round2(total)
		lt.Rows = append(lt.Rows, row)
	}
	sort.Slice(lt.Rows, func(i, j int) bool {
		a, b := lt.Rows[i], lt.Rows[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.UnitName < b.UnitName
	})
	for i := range lt.Rows {
		lt.Rows[i].Rank = i + 1
		if i > 0 && lt.Rows[i].Score == lt.Rows[i-1].Score {
			lt.Rows[i].Rank = lt.Rows[i-1].Rank // equal scores share a place
		}
	}
	for _, r := range lt.Rows {
		if len(lt.Honour) < rules.HonourSize && r.Score >= rules.HonourMin {
			lt.Honour = append(lt.Honour, r)
		}
	}
	for i := len(lt.Rows) - 1; i >= 0 && len(lt.Warning) < rules.WarnSize; i-- {
		if r := lt.Rows[i]; r.Score < rules.WarnBelow {
			lt.Warning = append(lt.Warning, r)
		}
	}
	return lt, nil
}

// reportsOnTime scores the share of reports due in the period that were filed on time.
type reportsOnTime struct{}

func (reportsOnTime) Key() string          { return "reports_on_time" }
func (reportsOnTime) Label() string        { return "按时报送" }
func (reportsOnTime) ScoreDeduction() bool { return false }
func (reportsOnTime) Measure(ctx context.Context, q store.Querier, in LeagueInput) (map[int64]Measure, error) {
	unitOf := map[int64]int64{}
	var ids []int64
	for _, it := range in.Items {
		unitOf[it.ID] = it.UnitID
		ids = append(ids, it.ID)
	}
	dues := in.dues
	if dues == nil {
		var err error
		if dues, err = loadDueReports(ctx, q, ids, in.Scope.Start, in.Scope.AsOf, in.Cutoff); err != nil {
			return nil, fmt.Errorf("league reports: %w", err)
		}
	}
	out := map[int64]Measure{}
	for _, d := range dues {
		m := out[unitOf[d.item]]
		m.Den++
		r := SourceRecord{Kind: "report", ID: d.id, Code: d.code, Name: d.name + " " + d.period}
		if d.onTime(in.Cutoff) {
			m.Num++
			r.Value = 1
		} else {
			r.Note = "逾期或未报"
		}
		m.Records = append(m.Records, r)
		out[unitOf[d.item]] = m
	}
	return out, nil
}

// progressComponent scores items against plan: green counts fully, yellow half.
type progressComponent struct{}

func (progressComponent) Key() string          { return "progress" }
func (progressComponent) Label() string        { return "序时进度" }
func (progressComponent) ScoreDeduction() bool { return false }
func (progressComponent) Measure(_ context.Context, _ store.Querier, in LeagueInput) (map[int64]Measure, error) {
	out := map[int64]Measure{}
	for _, it := range in.Items {
		l, ok := in.Lights[it.ID]
		if !ok {
			continue
		}
		v := map[string]float64{"green": 1, "yellow": 0.5}[l.Light]
		m := out[it.UnitID]
		m.Num += v
		m.Den++
		m.Records = append(m.Records, SourceRecord{Kind: "item", ID: it.ID, Code: it.Code, Name: it.Name, Value: v, Note: l.Light})
		out[it.UnitID] = m
	}
	return out, nil
}

// redItems takes points off per red item.
type redItems struct{}

func (redItems) Key() string          { return "red_items" }
func (redItems) Label() string        { return "红灯事项" }
func (redItems) ScoreDeduction() bool { return true }
func (redItems) Measure(_ context.Context, _ store.Querier, in LeagueInput) (map[int64]Measure, error) {
	out := map[int64]Measure{}
	for _, it := range in.Items {
		if l, ok := in.Lights[it.ID]; ok && l.Light == "red" {
			m := out[it.UnitID]
			m.Records = append(m.Records, SourceRecord{Kind: "item", ID: it.ID, Code: it.Code, Name: it.Name, Value: 1})
			out[it.UnitID] = m
		}
	}
	return out, nil
}

// returnedReports takes points off per report returned in the period.
type returnedReports struct{}

func (returnedReports) Key() string          { return "returned_reports" }
func (returnedReports) Label() string        { return "填报被退回" }
func (returnedReports) ScoreDeduction() bool { return true }
func (returnedReports) Measure(ctx context.Context, q store.Querier, in LeagueInput) (map[int64]Measure, error) {
	out := map[int64]Measure{}
	unitOf := map[int64]ItemRef{}
	var ids []int64
	for _, it := range in.Items {
		unitOf[it.ID] = it
		ids = append(ids, it.ID)
	}
	for chunk := range chunks(ids, 500) {
		args := []any{}
		for _, id := range chunk {
			args = append(args, id)
		}
		args = append(args, in.Scope.Start.Time(), in.Cutoff)
		rows, err := q.Query(ctx, `SELECT v.id, r.item_id, r.period FROM report_revisions v JOIN reports r ON r.id = v.report_id
			WHERE r.item_id IN (`+store.Placeholders(len(chunk))+`) AND v.state = 'returned' AND v.at >= ? AND v.at < ? ORDER BY v.id`, args...)
		if err != nil {
			return nil, fmt.Errorf("league returned: %w", err)
		}
		for rows.Next() {
			var id, item int64
			var period string
			if err := rows.Scan(&id, &item, &period); err != nil {
				rows.Close()
				return nil, err
			}
			it := unitOf[item]
			m := out[it.UnitID]
			m.Records = append(m.Records, SourceRecord{Kind: "report_revision", ID: id, Code: it.Code, Name: it.Name + " " + period, Value: 1})
			out[it.UnitID] = m
		}
		rows.Close()
	}
	return out, nil
}
