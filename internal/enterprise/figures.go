package enterprise

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/store"
)

// VisitCounts are the figures of a set of visits.
type VisitCounts struct {
	EnterprisesVisited int `json:"enterprises_visited" doc:"走访企业数（去重）"`
	Visits             int `json:"visits" doc:"走访次数"`
	ProblemsRaised     int `json:"problems_raised" doc:"反映问题数"`
	ProblemsSolved     int `json:"problems_solved" doc:"已解决问题数（督办件已销号）"`
}

// VisitGroup is the figures of one commissioner or one month.
type VisitGroup struct {
	Key  string `json:"key" doc:"人员 id 或月份 YYYY-MM"`
	Name string `json:"name"`
	VisitCounts
}

// VisitFigures are the visit figures of a period, in total, per commissioner and per month.
type VisitFigures struct {
	From           date.Date    `json:"from"`
	To             date.Date    `json:"to"`
	Total          VisitCounts  `json:"total"`
	ByCommissioner []VisitGroup `json:"by_commissioner"`
	ByMonth        []VisitGroup `json:"by_month"`
}

// monthExpr is a date column's "YYYY-MM" on both engines.
func monthExpr(col string) string { return `SUBSTR(CAST(` + col + ` AS TEXT), 1, 7)` }

// VisitFigures counts visits between from and to (either may be zero),
// optionally of one visitor. A problem counts in the period of its visit.
func (s *Service) VisitFigures(ctx context.Context, from, to date.Date, visitorID int64) (VisitFigures, error) {
	q := s.db.Read()
	f := VisitFilter{From: from, To: to, VisitorID: visitorID}
	w := f.where()
	out := VisitFigures{From: from, To: to, ByCommissioner: []VisitGroup{}, ByMonth: []VisitGroup{}}
	groups := []struct {
		key, name string
		into      *[]VisitGroup
	}{
		{`CAST(v.visitor_id AS TEXT)`, `MIN(p.name)`, &out.ByCommissioner},
		{monthExpr("v.visit_date"), `''`, &out.ByMonth},
		{"", `''`, nil},
	}
	for _, g := range groups {
		key, tail := `'all'`, ""
		if g.key != "" {
			key, tail = g.key, ` GROUP BY `+g.key+` ORDER BY `+g.key
		}
		rows, err := q.Query(ctx, `SELECT `+key+`, `+g.name+`, COUNT(DISTINCT v.enterprise_id), COUNT(*),
			COALESCE(SUM(pr.raised), 0), COALESCE(SUM(pr.solved), 0)
			FROM enterprise_visits v JOIN persons p ON p.id = v.visitor_id JOIN enterprises e ON e.id = v.enterprise_id
			LEFT JOIN (SELECT vp.visit_id, COUNT(*) AS raised, SUM(`+solvedExpr+`) AS solved
				FROM visit_problems vp LEFT JOIN cases c ON c.id = vp.case_id GROUP BY vp.visit_id) pr ON pr.visit_id = v.id`+
			w.SQL()+tail, w.Args...)
		if err != nil {
			return out, fmt.Errorf("visit figures: %w", err)
		}
		for rows.Next() {
			var vg VisitGroup
			if err := rows.Scan(&vg.Key, &vg.Name, &vg.EnterprisesVisited, &vg.Visits, &vg.ProblemsRaised, &vg.ProblemsSolved); err != nil {
				rows.Close()
				return out, fmt.Errorf("scan visit figures: %w", err)
			}
			if g.into == nil {
				out.Total = vg.VisitCounts
			} else {
				*g.into = append(*g.into, vg)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return out, err
		}
	}
	sort.SliceStable(out.ByCommissioner, func(i, j int) bool { return out.ByCommissioner[i].Visits > out.ByCommissioner[j].Visits })
	return out, nil
}

// FinancingFigures are the financing figures of a period.
type FinancingFigures struct {
	From                date.Date    `json:"from"`
	To                  date.Date    `json:"to"`
	EnterprisesServed   int          `json:"enterprises_served" doc:"服务企业数：登记过融资需求的企业（去重）"`
	WhiteListServed     int          `json:"white_list_served" doc:"其中白名单企业数"`
	Needs               int          `json:"needs" doc:"融资需求数"`
	NeedsMet            int          `json:"needs_met" doc:"已放款的需求数"`
	EnterprisesFinanced int          `json:"enterprises_financed" doc:"获得融资的企业数（去重）"`
	AmountRequestedWan  float64      `json:"amount_requested_wan"`
	AmountGrantedWan    float64      `json:"amount_granted_wan" doc:"放款金额（万元）"`
	ByState             []StateCount `json:"by_state"`
	ByBank              []BankSum    `json:"by_bank"`
}

// StateCount is a number of records in one state.
type StateCount struct {
	Key        string `json:"key"`
	StateCount int    `json:"count"`
}

// BankSum is what one bank granted.
type BankSum struct {
	Bank             string  `json:"bank"`
	Needs            int     `json:"needs"`
	Granted          int     `json:"granted"`
	AmountGrantedWan float64 `json:"amount_granted_wan"`
}

// FinancingFigures counts the needs registered between from and to.
func (s *Service) FinancingFigures(ctx context.Context, from, to date.Date) (FinancingFigures, error) {
	q := s.db.Read()
	w := NeedFilter{From: from, To: to}.where()
	out := FinancingFigures{From: from, To: to, ByState: []StateCount{}, ByBank: []BankSum{}}
	var req, granted int64
	base := ` FROM financing_needs n JOIN enterprises e ON e.id = n.enterprise_id` + w.SQL()
	if err := q.QueryRow(ctx, `SELECT COUNT(DISTINCT n.enterprise_id), COUNT(DISTINCT CASE WHEN e.white_list THEN n.enterprise_id END), COUNT(*),
		COALESCE(SUM(CASE WHEN n.state = 'granted' THEN 1 ELSE 0 END), 0), COUNT(DISTINCT CASE WHEN n.state = 'granted' THEN n.enterprise_id END),
		COALESCE(SUM(n.amount_requested), 0), COALESCE(SUM(n.amount_granted), 0)`+base, w.Args...).
		Scan(&out.EnterprisesServed, &out.WhiteListServed, &out.Needs, &out.NeedsMet, &out.EnterprisesFinanced, &req, &granted); err != nil {
		return out, fmt.Errorf("financing figures: %w", err)
	}
	out.AmountRequestedWan, out.AmountGrantedWan = yuanToWan(req), yuanToWan(granted)
	rows, err := q.Query(ctx, `SELECT n.state, COUNT(*)`+base+` GROUP BY n.state ORDER BY n.state`, w.Args...)
	if err != nil {
		return out, fmt.Errorf("financing by state: %w", err)
	}
	for rows.Next() {
		var c StateCount
		if err := rows.Scan(&c.Key, &c.StateCount); err != nil {
			rows.Close()
			return out, err
		}
		out.ByState = append(out.ByState, c)
	}
	rows.Close()
	bw := w.With(`n.bank <> ''`)
	rows, err = q.Query(ctx, `SELECT n.bank, COUNT(*), COALESCE(SUM(CASE WHEN n.state = 'granted' THEN 1 ELSE 0 END), 0), COALESCE(SUM(n.amount_granted), 0)
		FROM financing_needs n JOIN enterprises e ON e.id = n.enterprise_id`+bw.SQL()+` GROUP BY n.bank ORDER BY 4 DESC, n.bank`, bw.Args...)
	if err != nil {
		return out, fmt.Errorf("financing by bank: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b BankSum
		var amt int64
		if err := rows.Scan(&b.Bank, &b.Needs, &b.Granted, &amt); err != nil {
			return out, err
		}
		b.AmountGrantedWan = yuanToWan(amt)
		out.ByBank = append(out.ByBank, b)
	}
	return out, rows.Err()
}

// StageFigures is one bar of the funnel.
type StageFigures struct {
	Stage      string   `json:"stage"`
	Label      string   `json:"label"`
	StateCount int      `json:"count" doc:"期间内进入该阶段的项目数"`
	AmountWan  float64  `json:"amount_wan"`
	Converted  int      `json:"converted" doc:"其中已进入下一阶段的"`
	Conversion *float64 `json:"conversion" doc:"转化率（%），最后一个阶段为空"`
	MedianDays *float64 `json:"median_days" doc:"在该阶段停留天数的中位数（已进入下一阶段的项目）"`
}

// SectorFunnel is the funnel of one sector.
type SectorFunnel struct {
	Sector string         `json:"sector"`
	Stages []StageFigures `json:"stages"`
}

// StalledLead is a lead with no stage change for too long.
type StalledLead struct {
	ID      int64     `json:"id"`
	Code    string    `json:"code"`
	Project string    `json:"project"`
	Stage   string    `json:"stage"`
	StageOn date.Date `json:"stage_on"`
	Days    int       `json:"days" doc:"停留天数"`
}

// PipelineFigures are the investment pipeline's figures.
type PipelineFigures struct {
	From               date.Date      `json:"from"`
	To                 date.Date      `json:"to"`
	Leads              int            `json:"leads" doc:"期间内开始洽谈的项目"`
	Attracted          int            `json:"attracted" doc:"期间内签约的项目数（招引项目）"`
	SignedAboveBillion int            `json:"signed_above_billion" doc:"期间内签约的10亿元以上项目"`
	Top500Investors    int            `json:"top500_investors" doc:"期间内签约的三类五百强投资方（按投资方去重）"`
	Dropped            int            `json:"dropped"`
	Funnel             []StageFigures `json:"funnel"`
	BySector           []SectorFunnel `json:"by_sector"`
	StalledDays        int            `json:"stalled_days"`
	Stalled            []StalledLead  `json:"stalled" doc:"超过 stalled_days 天未推进的项目（按停留天数倒序）"`
}

// leadRow is what the figures need of a lead.
type leadRow struct {
	id               int64
	code, project    string
	investor, sector string
	stage            string
	amount           int64
	top500           bool
	dates            [5]date.Date
	stageOn          date.Date
	droppedOn        date.Date
}

func in(d, from, to date.Date) bool {
	return !d.IsZero() && (from.IsZero() || !d.Before(from)) && (to.IsZero() || !d.After(to))
}

func funnel(rows []leadRow, from, to date.Date) []StageFigures {
	out := make([]StageFigures, len(Stages))
	days := make([][]float64, len(Stages))
	for i, st := range Stages {
		out[i] = StageFigures{Stage: st, Label: StageLabels[st]}
	}
	for _, r := range rows {
		for i := range Stages {
			if !in(r.dates[i], from, to) {
				continue
			}
			out[i].StateCount++
			out[i].AmountWan += yuanToWan(r.amount)
			if i+1 < len(Stages) && !r.dates[i+1].IsZero() && (to.IsZero() || !r.dates[i+1].After(to)) {
				out[i].Converted++
				days[i] = append(days[i], r.dates[i+1].Time().Sub(r.dates[i].Time()).Hours()/24)
			}
		}
	}
	for i := range out {
		if i+1 < len(Stages) && out[i].StateCount > 0 {
			v := math.Round(float64(out[i].Converted)*1000/float64(out[i].StateCount)) / 10
			out[i].Conversion = &v
		}
		if len(days[i]) > 0 {
			slices.Sort(days[i])
			n := len(days[i])
			m := days[i][n/2]
			if n%2 == 0 {
				m = (days[i][n/2-1] + days[i][n/2]) / 2
			}
			out[i].MedianDays = &m
		}
	}
	return out
}

// PipelineFigures computes the funnel of the leads whose stages fall between
// from and to, per sector too, and lists leads whose stage has not changed for
// more than stalledDays days as of today (or to, when it is in the past).
func (s *Service) PipelineFigures(ctx context.Context, from, to date.Date, sector string, stalledDays int) (PipelineFigures, error) {
	if stalledDays <= 0 {
		stalledDays = 30
	}
	var w store.Where
	if sector != "" {
		w.Add(`l.sector = ?`, sector)
	}
	rows, err := s.db.Read().Query(ctx, `SELECT l.id, l.code, l.project, l.investor, l.sector, l.stage, l.amount, l.top500,
		l.negotiating_on, l.signed_on, l.registered_on, l.started_on, l.operating_on, l.stage_on, l.dropped_on
		FROM investment_leads l`+w.SQL()+` ORDER BY l.code`, w.Args...)
	if err != nil {
		return PipelineFigures{}, fmt.Errorf("pipeline figures: %w", err)
	}
	defer rows.Close()
	var all []leadRow
	for rows.Next() {
		var r leadRow
		if err := rows.Scan(&r.id, &r.code, &r.project, &r.investor, &r.sector, &r.stage, &r.amount, &r.top500,
			&r.dates[0], &r.dates[1], &r.dates[2], &r.dates[3], &r.dates[4], &r.stageOn, &r.droppedOn); err != nil {
			return PipelineFigures{}, fmt.Errorf("scan lead: %w", err)
		}
		all = append(all, r)
	}
	if err := rows.Err(); err != nil {
		return PipelineFigures{}, err
	}
	out := PipelineFigures{From: from, To: to, StalledDays: stalledDays, Funnel: funnel(all, from, to),
		BySector: []SectorFunnel{}, Stalled: []StalledLead{}}
	investors := map[string]bool{}
	bySector := map[string][]leadRow{}
	for _, r := range all {
		if in(r.dates[0], from, to) {
			out.Leads++
		}
		if in(r.dates[1], from, to) {
			out.Attracted++
			if r.amount >= BillionYuan {
				out.SignedAboveBillion++
			}
			if r.top500 {
				investors[r.investor] = true
			}
		}
		if in(r.droppedOn, from, to) {
			out.Dropped++
		}
		bySector[r.sector] = append(bySector[r.sector], r)
	}
	out.Top500Investors = len(investors)
	for sec, rs := range bySector {
		out.BySector = append(out.BySector, SectorFunnel{Sector: sec, Stages: funnel(rs, from, to)})
	}
	sort.Slice(out.BySector, func(i, j int) bool { return out.BySector[i].Sector < out.BySector[j].Sector })
	today := date.Of(time.Now())
	if !to.IsZero() && to.Before(today) {
		today = to
	}
	for _, r := range all {
		if r.stage == "operating" || r.stage == "dropped" || r.stageOn.After(today) {
			continue
		}
		d := int(today.Time().Sub(r.stageOn.Time()).Hours() / 24)
		if d > stalledDays {
			out.Stalled = append(out.Stalled, StalledLead{ID: r.id, Code: r.code, Project: r.project, Stage: r.stage, StageOn: r.stageOn, Days: d})
		}
	}
	sort.SliceStable(out.Stalled, func(i, j int) bool { return out.Stalled[i].Days > out.Stalled[j].Days })
	return out, nil
}
