// Package gen generates a synthetic district of any size — its units and
// persons, a campaign with war zones and grids, and the campaign's items with
// their milestones, targets and co-operating units — for benchmarks and load
// tests (`gongjian gen`, `make bench`).
//
// Bulk generation is not a user action. Generate therefore writes straight to
// the tables, with multi-row INSERT statements in one transaction, and not
// through the per-record services: nothing it writes passes the services'
// validation and nothing is recorded in the audit trail (留痕), which holds
// what people did. It keeps to the services' rules all the same (each item has
// one responsible leader and one lead unit, annual ≤ total investment, end ≥
// start, no actual date in the future, a target beats its baseline), and says
// what it is: the campaign's name and description call the data generated and
// every item is marked illustrative (示意). People are named by post only.
package gen

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/progress"
	"gongjian/internal/store"
)

// Defaults of a district's organisation. They do not grow with the number of
// items: a real district has the same bureaus and streets whether its
// campaign lists 200 items or 2,000.
const (
	DefaultUnits   = 60
	DefaultPersons = 200
	DefaultZones   = 30
	DefaultYear    = 2022
)

// Options size the district.
type Options struct {
	Items             int    // items of the campaign, sub-items included
	MilestonesPerItem int    // 0: none
	TargetsPerItem    int    // 0: none
	Units             int    // units, the district itself included; 0: DefaultUnits
	Persons           int    // 0: DefaultPersons
	Zones             int    // war zones, areas and grids; 0: DefaultZones, negative: none
	Seed              uint64 // the same seed and options give the same district (timestamps aside)
	Year              int    // the campaign's year; 0: DefaultYear
	// Prefix makes the codes of this district's units, persons and campaign
	// unique, so that one database can hold many districts (a city). Letters
	// and digits; "" picks the next free GEN1, GEN2, ….
	Prefix string
	// Weeks of report history: each item's weekly reports (进展填报) from the
	// campaign's first week, with their revisions, target actuals, investment
	// actuals and the milestones they report (see reports.go). 0: none, and
	// the campaign reports monthly; otherwise it reports weekly and "today"
	// of the generated data is the end of the last week written.
	Weeks int
}

// DefaultOptions is a district of n items as the benchmarks use it: the
// default organisation, 5 milestones and 2 targets per item, seed 1.
func DefaultOptions(n int) Options {
	return Options{Items: n, MilestonesPerItem: 5, TargetsPerItem: 2, Seed: 1}
}

// Stats says what Generate made.
type Stats struct {
	Prefix     string // code prefix of the district
	District   string // its generated name
	CampaignID int64
	RootUnitID int64 // the district's top unit (区委区政府)
	Units      int
	Persons    int
	Zones      int
	Items      int
	SubItems   int // of Items, those with a parent item
	Milestones int
	Targets    int
	CoUnits    int // item–co-operating unit links
	Reports    int // weekly reports (Weeks)
	Revisions  int // their recorded states
	Values     int // target values they carried
	Actuals    int // target and investment actuals recorded on submission
	// Behind are the codes of items generated well behind their plan (under
	// 70% of it), which reports make red.
	Behind  []string
	Elapsed time.Duration
}

// Rows is the number of rows written.
func (s Stats) Rows() int {
	return s.Units + s.Persons + 1 + s.Zones + s.Items + s.Milestones + s.Targets + s.CoUnits + s.Reports + s.Revisions + s.Values + s.Actuals
}

var prefixRE = regexp.MustCompile(`^[A-Za-z0-9]{1,16}$`)

func (o Options) normalised() (Options, error) {
	switch {
	case o.Items < 0 || o.Items > 10_000_000:
		return o, fmt.Errorf("事项数 %d 超出范围（0–10000000）", o.Items)
	case o.MilestonesPerItem < 0 || o.MilestonesPerItem > 100:
		return o, fmt.Errorf("每个事项的节点数 %d 超出范围（0–100）", o.MilestonesPerItem)
	case o.TargetsPerItem < 0 || o.TargetsPerItem > 100:
		return o, fmt.Errorf("每个事项的目标数 %d 超出范围（0–100）", o.TargetsPerItem)
	case o.Units < 0 || o.Persons < 0:
		return o, fmt.Errorf("单位数和人员数不能为负")
	case o.Year != 0 && (o.Year < 2000 || o.Year > 2100):
		return o, fmt.Errorf("年份 %d 超出范围（2000–2100）", o.Year)
	case o.Weeks < 0 || o.Weeks > 53:
		return o, fmt.Errorf("填报周数 %d 超出范围（0–53）", o.Weeks)
	case o.Prefix != "" && !prefixRE.MatchString(o.Prefix):
		return o, fmt.Errorf("编码前缀 %q 只能由 1–16 个字母或数字组成", o.Prefix)
	}
	if o.Units == 0 {
		o.Units = DefaultUnits
	}
	if o.Persons == 0 {
		o.Persons = DefaultPersons
	}
	if o.Zones == 0 {
		o.Zones = DefaultZones
	}
	if o.Zones < 0 {
		o.Zones = 0
	}
	if o.Year == 0 {
		o.Year = DefaultYear
	}
	return o, nil
}

// Generate writes one district of opt's size into db in one transaction:
// either all of it is there afterwards or none of it. On PostgreSQL it then
// analyzes the tables. See the package comment for why it bypasses the
// services and the audit trail.
func Generate(ctx context.Context, db *store.DB, opt Options) (Stats, error) {
	start := time.Now()
	opt, err := opt.normalised()
	if err != nil {
		return Stats{}, err
	}
	var st Stats
	err = db.Tx(ctx, func(q store.Querier) error {
		st = Stats{}
		g := newGenerator(ctx, q, opt)
		return g.run(&st)
	})
	if err == nil && db.Engine() == store.Postgres {
		// Autovacuum would analyze the new rows within a minute or so; until
		// then the planner takes the tables for nearly empty and picks plans
		// (hash joins over every item) that are ten times slower than the
		// ones it settles on. SQLite is left as the product leaves it: it
		// never runs ANALYZE there.
		err = db.Tx(ctx, func(q store.Querier) error {
			_, err := q.Exec(ctx, `ANALYZE units, persons, campaigns, zones, items, item_units, milestones, targets,
				reports, report_values, report_revisions, target_actuals, investment_actuals`)
			return err
		})
	}
	st.Elapsed = time.Since(start)
	if err != nil {
		return st, fmt.Errorf("生成区县数据: %w", err)
	}
	return st, nil
}

type unit struct {
	id               int64
	code, name, kind string
	head             string // title of its head
}

type zone struct {
	id   int64
	code string
}

type item struct {
	id                         int64
	parent                     int // index of the parent item, -1 for none
	code, name, typ            string
	level, state               string
	zone                       int64
	leader, lead               int64
	co                         []int64
	plan, location             string
	total, annual              int64 // yuan
	start, end                 date.Date
	created, updated           time.Time
	children                   int
	programme                  bool
	programmeName, programmeOf string
}

type generator struct {
	ctx    context.Context
	q      store.Querier
	opt    Options
	r      *rand.Rand
	prefix string
	number int // the district's number among generated ones, from 1
	name   string

	yearStart, yearEnd date.Date
	asOf               date.Date // "today" of the generated data: 30 September, or earlier if that is still to come

	root    unit
	units   []unit // children of the root
	streets []int  // indexes into units
	leaders []int64
	heads   map[int64]int64 // unit id → its head's person id
	zones   []zone
	items   []*item

	weeks []progress.Period // the weeks reported on (Weeks)
}

func newGenerator(ctx context.Context, q store.Querier, opt Options) *generator {
	g := &generator{ctx: ctx, q: q, opt: opt, r: rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15)), heads: map[int64]int64{}}
	g.yearStart, g.yearEnd = date.New(opt.Year, time.January, 1), date.New(opt.Year, time.December, 31)
	g.asOf = date.New(opt.Year, time.September, 30)
	g.initWeeks()
	if today := date.Of(time.Now()); today.Before(g.asOf) {
		g.asOf = today
	}
	return g
}

func (g *generator) run(st *Stats) error {
	if err := g.choosePrefix(); err != nil {
		return err
	}
	st.Prefix, st.District = g.prefix, g.name
	steps := []struct {
		name string
		fn   func(*Stats) error
	}{
		{"units", g.insertUnits}, {"persons", g.insertPersons}, {"campaign", g.insertCampaign},
		{"zones", g.insertZones}, {"items", g.insertItems}, {"co-units", g.insertCoUnits},
		{"milestones", g.insertMilestones}, {"targets", g.insertTargets}, {"reports", g.insertReports},
	}
	for _, s := range steps {
		if err := s.fn(st); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

// choosePrefix takes opt.Prefix or the next free GENn, and names the district.
func (g *generator) choosePrefix() error {
	rows, err := g.q.Query(g.ctx, `SELECT code FROM campaigns`)
	if err != nil {
		return fmt.Errorf("read campaigns: %w", err)
	}
	defer rows.Close()
	used := map[string]bool{}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return err
		}
		p, ok := strings.CutSuffix(code, "-GJN")
		if !ok {
			continue
		}
		used[strings.ToUpper(p)] = true
		if n, err := strconv.Atoi(strings.TrimPrefix(p, "GEN")); err == nil && strings.HasPrefix(p, "GEN") && n > g.number {
			g.number = n
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	g.number++
	g.prefix = g.opt.Prefix
	if g.prefix == "" {
		g.prefix = "GEN" + strconv.Itoa(g.number)
	}
	if used[strings.ToUpper(g.prefix)] {
		return fmt.Errorf("编码前缀 %s 已被使用", g.prefix)
	}
	g.name = districts[(g.number-1)%len(districts)]
	if g.number > len(districts) {
		g.name = strings.TrimSuffix(g.name, "区") + strconv.Itoa(g.number) + "区"
	}
	return nil
}

func (g *generator) code(kind string, n int) string {
	return fmt.Sprintf("%s-%s%04d", g.prefix, kind, n)
}

// stamp is a creation time early in the year and a later update time, both
// in the past, so that sorting by updated_at means something.
func (g *generator) stamp() (created, updated time.Time) {
	y := g.yearStart.Time()
	created = y.Add(time.Duration(g.r.Int64N(int64(60 * 24 * time.Hour)))).Truncate(time.Second)
	span := g.asOf.Time().Sub(created)
	if span <= 0 {
		return created, created
	}
	return created, created.Add(time.Duration(g.r.Int64N(int64(span)))).Truncate(time.Second)
}

// ids maps the codes just inserted to their ids; rows whose code is not in
// want (another district's) are ignored.
func (g *generator) ids(query string, want map[string]bool, args ...any) (map[string]int64, error) {
	rows, err := g.q.Query(g.ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]int64, len(want))
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		if want[code] {
			out[code] = id
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) != len(want) {
		return nil, fmt.Errorf("read back %d ids, want %d", len(out), len(want))
	}
	return out, nil
}

func (g *generator) insertUnits(st *Stats) error {
	created, updated := g.stamp()
	g.root = unit{code: g.prefix + "-U000", name: g.name + "委区政府", kind: "leadership", head: ""}
	if err := g.q.QueryRow(g.ctx, `INSERT INTO units (code, name, kind, parent_id, sort_order, created_at, updated_at)
		VALUES (?, ?, ?, NULL, 0, ?, ?) RETURNING id`, g.root.code, g.root.name, g.root.kind, created, updated).Scan(&g.root.id); err != nil {
		return err
	}
	st.RootUnitID = g.root.id
	n := g.opt.Units - 1
	nSOE := int(math.Round(float64(n) * 0.08))
	nStreet := int(math.Round(float64(n) * 0.3))
	nBureau := n - nSOE - nStreet
	pick := func(list []bureau, i int) bureau {
		b := list[i%len(list)]
		if i >= len(list) {
			b.name = fmt.Sprintf("%s（%d）", b.name, i/len(list)+1)
		}
		return b
	}
	for i := range nBureau {
		b := pick(bureaus, i)
		g.units = append(g.units, unit{name: b.name, kind: b.kind, head: b.head})
	}
	for i := range nStreet {
		name := places[i%len(places)] + "街道"
		if i >= len(places) {
			name = fmt.Sprintf("%s%d街道", places[i%len(places)], i/len(places)+1)
		}
		g.streets = append(g.streets, len(g.units))
		g.units = append(g.units, unit{name: name, kind: "street", head: "党工委书记"})
	}
	for i := range nSOE {
		b := pick(soes, i)
		g.units = append(g.units, unit{name: b.name, kind: b.kind, head: b.head})
	}
	ins := newInserter(g.ctx, g.q, "units", "code", "name", "kind", "parent_id", "sort_order", "created_at", "updated_at")
	want := map[string]bool{}
	for i := range g.units {
		u := &g.units[i]
		u.code = g.code("U", i+1)
		want[u.code] = true
		created, updated := g.stamp()
		if err := ins.add(u.code, u.name, u.kind, g.root.id, i+1, created, updated); err != nil {
			return err
		}
	}
	if err := ins.flush(); err != nil {
		return err
	}
	ids, err := g.ids(`SELECT id, code FROM units WHERE parent_id = ?`, want, g.root.id)
	if err != nil {
		return err
	}
	for i := range g.units {
		g.units[i].id = ids[g.units[i].code]
	}
	st.Units = 1 + len(g.units)
	return nil
}

// insertPersons adds the district's leaders, then one head per unit, then
// staff spread over the units.
func (g *generator) insertPersons(st *Stats) error {
	type person struct {
		code, name, title string
		unit              int64
		leader            bool
		headOf            int64
	}
	var ps []person
	nLeaders := min(len(leaders), max(1, g.opt.Persons/12))
	for i := range nLeaders {
		ps = append(ps, person{name: leaders[i], title: leaders[i], unit: g.root.id, leader: true})
	}
	for i := 0; len(ps) < g.opt.Persons && i < len(g.units); i++ {
		u := g.units[i]
		ps = append(ps, person{name: u.name + u.head, title: u.name + u.head, unit: u.id, headOf: u.id})
	}
	for i := 0; len(ps) < g.opt.Persons; i++ {
		u := g.root
		if len(g.units) > 0 {
			u = g.units[i%len(g.units)]
		}
		post := staffPosts[(i/max(1, len(g.units)))%len(staffPosts)]
		if u.kind == "street" && post == "副局长" {
			post = "副主任"
		}
		name := fmt.Sprintf("%s%s（%d）", u.name, post, i+1)
		ps = append(ps, person{name: name, title: u.name + post, unit: u.id})
	}
	ins := newInserter(g.ctx, g.q, "persons", "code", "name", "title", "unit_id", "phone", "created_at", "updated_at")
	want := map[string]bool{}
	for i := range ps {
		p := &ps[i]
		p.code = g.code("P", i+1)
		want[p.code] = true
		created, updated := g.stamp()
		phone := fmt.Sprintf("0535-%04d%04d", 6000+g.r.IntN(2000), g.r.IntN(10000))
		if err := ins.add(p.code, p.name, p.title, p.unit, phone, created, updated); err != nil {
			return err
		}
	}
	if err := ins.flush(); err != nil {
		return err
	}
	ids, err := g.ids(`SELECT id, code FROM persons WHERE code LIKE ?`, want, g.prefix+"-P%")
	if err != nil {
		return err
	}
	for _, p := range ps {
		id := ids[p.code]
		if p.leader {
			g.leaders = append(g.leaders, id)
		}
		if p.headOf != 0 {
			g.heads[p.headOf] = id
		}
	}
	st.Persons = len(ps)
	return nil
}

func (g *generator) insertCampaign(st *Stats) error {
	created, updated := g.stamp()
	desc := fmt.Sprintf("由 gongjian gen 生成的模拟区县数据（前缀 %s，种子 %d），用于性能测试，不是真实数据：%d 个事项，每个事项 %d 个节点、%d 个目标。",
		g.prefix, g.opt.Seed, g.opt.Items, g.opt.MilestonesPerItem, g.opt.TargetsPerItem)
	cadence := "monthly"
	if g.opt.Weeks > 0 {
		cadence = "weekly"
		desc += fmt.Sprintf("每周填报，已生成 %d 周的填报记录。", len(g.weeks))
	}
	return g.q.QueryRow(g.ctx, `INSERT INTO campaigns (code, name, year, start_date, end_date, cadence, description, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		g.prefix+"-GJN", fmt.Sprintf("%d年重点工作攻坚年（生成数据·%s）", g.opt.Year, g.name), g.opt.Year,
		g.yearStart, g.yearEnd, cadence, desc, created, updated).Scan(&st.CampaignID)
}

// insertZones adds war zones (片区) and parks (园区), one for every five
// zones asked for, and grids (网格) under them for the rest.
func (g *generator) insertZones(st *Stats) error {
	if g.opt.Zones == 0 {
		return nil
	}
	top := max(1, g.opt.Zones/5)
	commander := func(i int) any {
		if len(g.leaders) == 0 {
			return nil
		}
		return g.leaders[i%len(g.leaders)]
	}
	ins := newInserter(g.ctx, g.q, "zones", "campaign_id", "code", "name", "kind", "parent_id", "commander_id", "description", "created_at", "updated_at")
	want := map[string]bool{}
	var topNames []string
	for i := range top {
		kind, name := "zone", places[(i*7+3)%len(places)]+"片区"
		if i%4 == 3 {
			kind, name = "area", places[(i*7+3)%len(places)]+"园区"
		}
		if i >= len(places) {
			name = fmt.Sprintf("%s（%d）", name, i/len(places)+1)
		}
		topNames = append(topNames, name)
		code := fmt.Sprintf("ZQ%02d", i+1)
		want[code] = true
		created, updated := g.stamp()
		desc := "“战区主战、部门协战，区街一体、融入下沉”，由区级领导任战区指挥长（生成数据）。"
		if err := ins.add(st.CampaignID, code, name, kind, nil, commander(i+1), desc, created, updated); err != nil {
			return err
		}
	}
	if err := ins.flush(); err != nil {
		return err
	}
	ids, err := g.ids(`SELECT id, code FROM zones WHERE campaign_id = ?`, want, st.CampaignID)
	if err != nil {
		return err
	}
	for i := range top {
		code := fmt.Sprintf("ZQ%02d", i+1)
		g.zones = append(g.zones, zone{id: ids[code], code: code})
	}
	// Grids: commanded by staff (网格长), or by a leader when there is no staff.
	var staff []int64
	rows, err := g.q.Query(g.ctx, `SELECT id FROM persons WHERE code LIKE ? ORDER BY id`, g.prefix+"-P%")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		staff = append(staff, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	want = map[string]bool{}
	var grids []zone
	for i := 0; i < g.opt.Zones-top; i++ {
		parent := g.zones[i%top]
		n := i/top + 1
		code := fmt.Sprintf("%s-WG%02d", parent.code, n)
		want[code] = true
		grids = append(grids, zone{code: code})
		created, updated := g.stamp()
		var cmd any = staff[len(staff)-1-i%len(staff)]
		if err := ins.add(st.CampaignID, code, fmt.Sprintf("%s第%d网格", topNames[i%top], n), "grid", parent.id, cmd,
			"网格化包保责任（生成数据）。", created, updated); err != nil {
			return err
		}
	}
	if err := ins.flush(); err != nil {
		return err
	}
	if len(grids) > 0 {
		ids, err := g.ids(`SELECT id, code FROM zones WHERE campaign_id = ? AND kind = 'grid'`, want, st.CampaignID)
		if err != nil {
			return err
		}
		for _, z := range grids {
			g.zones = append(g.zones, zone{id: ids[z.code], code: z.code})
		}
	}
	st.Zones = len(g.zones)
	return nil
}

// pickType draws the mix of a district's work list: mostly key projects,
// then livelihood projects, special actions and reform tasks.
func (g *generator) pickType() string {
	switch x := g.r.IntN(100); {
	case x < 55:
		return "key_project"
	case x < 80:
		return "livelihood_project"
	case x < 92:
		return "special_action"
	}
	return "reform_task"
}

var typeCode = map[string]string{"key_project": "XM", "livelihood_project": "SS", "reform_task": "GG", "special_action": "ZX"}

func pickOf[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// month returns the first day of the month m months after January of year.
func monthStart(year, m int) date.Date { return date.New(year, time.January+time.Month(m), 1) }

// monthEnd returns the last day of that month.
func monthEnd(year, m int) date.Date {
	return date.Of(monthStart(year, m+1).Time().AddDate(0, 0, -1))
}

func maxDate(a, b date.Date) date.Date {
	if a.Before(b) {
		return b
	}
	return a
}

func minDate(a, b date.Date) date.Date {
	if a.Before(b) {
		return a
	}
	return b
}

// logUniform draws from lo to hi with as many small values as large ones per
// order of magnitude, as project sizes are.
func (g *generator) logUniform(lo, hi float64) float64 {
	return math.Exp(math.Log(lo) + g.r.Float64()*(math.Log(hi)-math.Log(lo)))
}

// roundWan rounds an amount in 万元 to a figure an official would write.
func roundWan(w float64) int64 {
	step := 1.0
	switch {
	case w >= 10000:
		step = 100
	case w >= 1000:
		step = 10
	}
	return int64(math.Max(step, math.Round(w/step)*step))
}

func (g *generator) makeItems() {
	year := g.opt.Year
	counters := map[string]int{}
	programmes := map[string][]int{}
	for len(g.items) < g.opt.Items {
		it := &item{parent: -1, typ: g.pickType(), state: "in_progress"}
		it.created, it.updated = g.stamp()
		place := pickOf(g.r, places)
		street := place + "街道"
		if len(g.streets) > 0 {
			street = g.units[pickOf(g.r, g.streets)].name
		}
		// Sub-items: some livelihood projects and special actions are
		// programmes whose parts are items of their own.
		if ps := programmes[it.typ]; len(ps) > 0 && g.r.IntN(100) < 30 {
			it.parent = pickOf(g.r, ps)
			p := g.items[it.parent]
			p.children++
			it.code = fmt.Sprintf("%s-%02d", p.code, p.children)
			it.programmeOf = p.programmeName
		} else {
			counters[it.typ]++
			it.code = fmt.Sprintf("%s-%04d", typeCode[it.typ], counters[it.typ])
		}
		switch it.typ {
		case "key_project":
			it.name = place + pickOf(g.r, projectNames) + pickOf(g.r, projectPhases)
			switch x := g.r.IntN(100); {
			case x < 8:
				it.level = "province"
			case x < 35:
				it.level = "city"
			default:
				it.level = "district"
			}
			total := roundWan(g.logUniform(3000, 500000))
			it.total, it.annual = total, min(total, roundWan(float64(total)*(0.1+0.35*g.r.Float64())))
			m0 := g.r.IntN(31) - 24
			it.start = monthStart(year, m0)
			it.end = monthEnd(year, max(m0+12+g.r.IntN(37)-1, 5+g.r.IntN(7)))
			it.location = g.name + street
			goal := pickOf(g.r, []string{"完成征迁清零并开工建设", "主体结构封顶", "完成土地摘牌和施工许可办理", "完成主体工程量的一半"})
			if it.end.Time().Year() == year {
				goal = pickOf(g.r, []string{"完成竣工验收并投入使用", "完成设备安装调试并投产"})
			}
			it.plan = fmt.Sprintf("%d年计划完成投资%d万元，年内%s；落实“1个项目+1个分包领导+1个职能部门+1套工作方案”，按月调度投资和形象进度，问题随报随办。",
				year, it.annual, goal)
		case "livelihood_project":
			name := pickOf(g.r, livelihoodNames)
			if it.parent >= 0 {
				name = it.programmeOf
			}
			it.name = street + name
			if it.parent < 0 && g.r.IntN(100) < 10 {
				it.programme, it.programmeName = true, name
				it.name = fmt.Sprintf("%d年全区%s", year, name)
			}
			total := roundWan(g.logUniform(50, 20000))
			it.total, it.annual = total, total
			m0 := g.r.IntN(5)
			it.start, it.end = monthStart(year, m0), monthEnd(year, max(m0+2, 5)+g.r.IntN(12-max(m0+2, 5)))
			it.location = g.name + street
			it.plan = fmt.Sprintf("年内完成%s，惠及居民约%d户；实行周调度、月通报，群众满意度纳入考核。", name, 200+g.r.IntN(5000))
		case "special_action":
			name := pickOf(g.r, specialNames)
			if it.parent >= 0 {
				name = it.programmeOf
			}
			it.name = street + name + "专项行动"
			if it.parent < 0 && g.r.IntN(100) < 10 {
				it.programme, it.programmeName = true, name
				it.name = "全区" + name + "专项行动"
			}
			if g.r.IntN(100) < 30 {
				w := roundWan(g.logUniform(100, 5000))
				it.total, it.annual = w, w
			}
			m0 := g.r.IntN(7)
			it.start, it.end = monthStart(year, m0), monthEnd(year, m0+2+g.r.IntN(10-m0))
			it.plan = fmt.Sprintf("集中开展%s，建立问题、任务、责任“三张清单”，实行周调度、月通报、季考核，%d月底前完成集中整治。", name, 6+g.r.IntN(6))
		case "reform_task":
			it.name = pickOf(g.r, reformNames)
			if g.r.IntN(100) < 50 {
				it.name += "（" + place + "试点）"
			}
			it.start, it.end = g.yearStart, g.yearEnd
			if g.r.IntN(100) < 20 {
				it.end = monthEnd(year, 5)
			}
			it.plan = fmt.Sprintf("制定实施方案和任务清单，明确时间表、路线图；%d月底前完成试点，年底前全面推开并形成制度成果。", 3+g.r.IntN(6))
		}
		if it.programme {
			programmes[it.typ] = append(programmes[it.typ], len(g.items))
		}
		switch x := g.r.IntN(100); {
		case x < 8:
			it.state = "planned"
		case x < 20:
			it.state = "completed"
		case x < 23:
			it.state = "suspended"
		}
		if it.state == "completed" {
			if it.start.After(g.asOf) {
				it.state = "in_progress"
			} else {
				it.end = minDate(it.end, g.asOf)
			}
		}
		g.assign(it)
		g.items = append(g.items, it)
	}
}

// assign gives an item its zone, leader, lead unit and co-operating units.
func (g *generator) assign(it *item) {
	if len(g.zones) > 0 && g.r.IntN(100) < 60 {
		it.zone = pickOf(g.r, g.zones).id
	}
	it.lead = g.root.id
	if len(g.units) > 0 {
		if it.typ == "livelihood_project" && len(g.streets) > 0 && g.r.IntN(2) == 0 {
			it.lead = g.units[pickOf(g.r, g.streets)].id
		} else {
			it.lead = pickOf(g.r, g.units).id
		}
	}
	it.leader = pickOf(g.r, g.leaders)
	if h, ok := g.heads[it.lead]; ok && g.r.IntN(100) < 20 {
		it.leader = h
	}
	if len(g.units) > 1 {
		seen := map[int64]bool{it.lead: true}
		for range g.r.IntN(4) {
			u := pickOf(g.r, g.units).id
			if !seen[u] {
				seen[u] = true
				it.co = append(it.co, u)
			}
		}
	}
}

func (g *generator) insertItems(st *Stats) error {
	g.makeItems()
	note := fmt.Sprintf("生成数据（gongjian gen，前缀 %s，种子 %d）", g.prefix, g.opt.Seed)
	insert := func(children bool) error {
		ins := newInserter(g.ctx, g.q, "items", "campaign_id", "code", "name", "type", "level", "state", "parent_id", "zone_id",
			"leader_id", "lead_unit_id", "work_plan", "total_investment", "annual_investment", "start_date", "end_date",
			"location", "illustrative", "note", "created_at", "updated_at")
		want := map[string]bool{}
		for _, it := range g.items {
			if (it.parent >= 0) != children {
				continue
			}
			want[it.code] = true
			var parent, zone any
			if it.parent >= 0 {
				parent = g.items[it.parent].id
			}
			if it.zone != 0 {
				zone = it.zone
			}
			if err := ins.add(st.CampaignID, it.code, it.name, it.typ, it.level, it.state, parent, zone, it.leader, it.lead,
				it.plan, it.total*10000, it.annual*10000, it.start, it.end, it.location, true, note, it.created, it.updated); err != nil {
				return err
			}
		}
		if err := ins.flush(); err != nil {
			return err
		}
		if len(want) == 0 {
			return nil
		}
		cond := `parent_id IS NULL`
		if children {
			cond = `parent_id IS NOT NULL`
		}
		ids, err := g.ids(`SELECT id, code FROM items WHERE campaign_id = ? AND `+cond, want, st.CampaignID)
		if err != nil {
			return err
		}
		for _, it := range g.items {
			if id, ok := ids[it.code]; ok && (it.parent >= 0) == children {
				it.id = id
			}
		}
		return nil
	}
	if err := insert(false); err != nil {
		return err
	}
	if err := insert(true); err != nil {
		return err
	}
	st.Items = len(g.items)
	for _, it := range g.items {
		if it.parent >= 0 {
			st.SubItems++
		}
	}
	return nil
}

func (g *generator) insertCoUnits(st *Stats) error {
	ins := newInserter(g.ctx, g.q, "item_units", "item_id", "unit_id")
	for _, it := range g.items {
		for _, u := range it.co {
			if err := ins.add(it.id, u); err != nil {
				return err
			}
		}
	}
	err := ins.flush()
	st.CoUnits = ins.total
	return err
}

func (g *generator) insertMilestones(st *Stats) error {
	k := g.opt.MilestonesPerItem
	if k == 0 {
		return nil
	}
	ins := newInserter(g.ctx, g.q, "milestones", "item_id", "name", "kind", "planned_date", "actual_date", "actual_recorded_at",
		"sort_order", "created_at", "updated_at")
	for n, it := range g.items {
		list := steps[it.typ]
		from := maxDate(it.start, g.yearStart)
		days := max(0, int(it.end.Time().Sub(from.Time()).Hours()/24))
		for i := range k {
			s := step{fmt.Sprintf("阶段节点（%d）", i+1), "other"}
			switch {
			case k <= len(list) && k > 1:
				s = list[i*(len(list)-1)/(k-1)]
			case k == 1:
				s = list[len(list)-1]
			case i < len(list):
				s = list[i]
			}
			planned := date.Of(from.Time().AddDate(0, 0, days*(i+1)/k))
			var actual date.Date
			// With report history, items on pace reach their milestones; the
			// others miss one in five.
			if it.state != "planned" && !planned.After(g.asOf) && (it.state == "completed" || g.r.IntN(100) < 80 ||
				(g.opt.Weeks > 0 && g.paceOf(n) >= 0.95)) {
				actual = minDate(date.Of(planned.Time().AddDate(0, 0, g.r.IntN(15)-7)), g.asOf)
			}
			// With report history, a milestone is reached when a report says
			// so; one no report has told yet is not reached.
			var recorded any
			if g.opt.Weeks > 0 && !actual.IsZero() {
				if at, ok := g.reportedAt(n, actual); ok {
					recorded = at
				} else {
					actual = date.Date{}
				}
			}
			if err := ins.add(it.id, s.name, s.kind, planned, actual, recorded, i+1, it.created, it.updated); err != nil {
				return err
			}
		}
	}
	err := ins.flush()
	st.Milestones = ins.total
	return err
}

func (g *generator) insertTargets(st *Stats) error {
	k := g.opt.TargetsPerItem
	if k == 0 {
		return nil
	}
	ins := newInserter(g.ctx, g.q, "targets", "item_id", "name", "unit", "baseline", "target_value", "deadline", "direction", "created_at", "updated_at")
	for _, it := range g.items {
		list := targets[it.typ]
		first := g.r.IntN(len(list))
		for i := range k {
			t := list[(first+i)%len(list)]
			v := t.lo + g.r.Float64()*(t.hi-t.lo)
			if t.unit == "%" {
				v = math.Round(v*10) / 10
			} else {
				v = math.Max(1, math.Round(v))
			}
			if t.annualTo {
				v = float64(max(1, it.annual))
			}
			dir := "higher"
			if t.lower {
				dir = "lower"
			}
			deadline := minDate(it.end, monthEnd(g.opt.Year, 5+g.r.IntN(7)))
			deadline = maxDate(deadline, it.start)
			if err := ins.add(it.id, t.name, t.unit, t.base, v, deadline, dir, it.created, it.updated); err != nil {
				return err
			}
		}
	}
	err := ins.flush()
	st.Targets = ins.total
	return err
}

// inserter writes rows with multi-row INSERT statements, as many rows per
// statement as both engines' limits on bound parameters allow.
type inserter struct {
	ctx         context.Context
	q           store.Querier
	head, row   string
	cols, per   int
	args        []any
	rows, total int
}

const (
	maxParams = 30000 // below SQLite's 32766 and PostgreSQL's 65535
	maxRows   = 500
)

func newInserter(ctx context.Context, q store.Querier, table string, cols ...string) *inserter {
	return &inserter{ctx: ctx, q: q, cols: len(cols), per: min(maxRows, maxParams/len(cols)),
		head: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ",
		row:  "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"}
}

func (in *inserter) add(vals ...any) error {
	if len(vals) != in.cols {
		return fmt.Errorf("insert: %d values for %d columns", len(vals), in.cols)
	}
	in.args = append(in.args, vals...)
	in.rows++
	if in.rows == in.per {
		return in.flush()
	}
	return nil
}

func (in *inserter) flush() error {
	if in.rows == 0 {
		return nil
	}
	var b strings.Builder
	b.Grow(len(in.head) + in.rows*(len(in.row)+2))
	b.WriteString(in.head)
	for i := range in.rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(in.row)
	}
	if _, err := in.q.Exec(in.ctx, b.String(), in.args...); err != nil {
		return err
	}
	in.total += in.rows
	in.rows, in.args = 0, in.args[:0]
	return nil
}
