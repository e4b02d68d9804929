package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// scenario is one kind of request. prepare returns the operation one virtual
// client repeats (client is its number, i its iteration); raw, for reads,
// the main SQL of the same read (raw.go).
type scenario struct {
	name     string
	write    bool
	clients  int  // >0: at most this many clients (slow or heavy operations)
	requests int  // >0: at most this many requests
	timed    bool // runs for the whole duration, however many requests that is
	prepare  func(ctx context.Context, e *env, clients int) (func(ctx context.Context, client, i int) error, error)
	raw      func(e *env) func(i int) []rawQuery
	// during, when set, runs beside the measured clients until they are
	// done (the writes of a reporting rush); it is not measured itself and
	// returns how many operations it did.
	during func(ctx context.Context, e *env) (int, error)
}

// get is a read scenario of one GET path (which may vary with i).
func get(path func(e *env, i int) string) func(ctx context.Context, e *env, clients int) (func(ctx context.Context, client, i int) error, error) {
	return func(ctx context.Context, e *env, _ int) (func(ctx context.Context, client, i int) error, error) {
		return func(ctx context.Context, _, i int) error { return e.c.get(ctx, path(e, i), nil) }, nil
	}
}

// itemFilters are what the item list is asked, in turn: the UI's first page,
// key projects of a war zone, a search, sorted by investment.
func itemFilter(e *env, i int) string {
	switch i % 4 {
	case 1:
		return fmt.Sprintf("&type=key_project&zone_id=%d", e.zone)
	case 2:
		return "&q=" + url.QueryEscape("产业园")
	case 3:
		return "&sort=-total_investment"
	}
	return ""
}

var scenarios = []*scenario{
	{name: "cockpit", prepare: get(func(e *env, _ int) string { return fmt.Sprintf("/api/v1/cockpit?campaign_id=%d", e.campaign) }),
		raw: rawCockpit},
	{name: "rollups", prepare: get(func(e *env, _ int) string { return fmt.Sprintf("/api/v1/rollups?campaign_id=%d&by=zone", e.campaign) }),
		raw: rawLights(false)},
	{name: "rollups_as_of", prepare: get(func(e *env, _ int) string {
		return fmt.Sprintf("/api/v1/rollups?campaign_id=%d&by=zone&as_of=%s", e.campaign, e.midYear)
	}), raw: rawLights(true)},
	{name: "items", prepare: get(func(e *env, i int) string {
		return fmt.Sprintf("/api/v1/items?campaign_id=%d&page_size=20", e.campaign) + itemFilter(e, i)
	}), raw: rawItems},
	{name: "item_page", prepare: func(ctx context.Context, e *env, _ int) (func(ctx context.Context, client, i int) error, error) {
		// What the UI's item page asks: the item, then its milestones,
		// targets and history.
		return func(ctx context.Context, c, i int) error {
			id := e.items[(c*7919+i*104729)%len(e.items)]
			for _, p := range []string{"/api/v1/items/%d", "/api/v1/items/%d/milestones", "/api/v1/items/%d/targets",
				"/api/v1/audit?entity=item&entity_id=%d&page_size=100"} {
				if err := e.c.get(ctx, fmt.Sprintf(p, id), nil); err != nil {
					return err
				}
			}
			return nil
		}, nil
	}, raw: rawItemPage},
	{name: "cases_overdue", prepare: get(func(e *env, i int) string {
		return fmt.Sprintf("/api/v1/cases?overdue=true&page_size=20&page=%d", 1+i%5)
	}), raw: rawCases},
	{name: "ledger_figures", prepare: get(func(e *env, _ int) string {
		return fmt.Sprintf("/api/v1/ledgers/%d/figures?group_by=state", e.ledger)
	}), raw: rawLedger},
	{name: "indicator_table", prepare: get(func(e *env, _ int) string { return "/api/v1/indicator-table" }), raw: rawIndicators},
	// Roll-ups while the district writes: twice a second a supervisor sets or
	// clears a light by hand, so the kept answers keep going stale and many
	// reads are computed afresh — the read cache's worst case short of a
	// write per read. After the other reads: its writes empty their kept
	// answers.
	{name: "rollups_writing", timed: true, prepare: get(func(e *env, _ int) string { return fmt.Sprintf("/api/v1/rollups?campaign_id=%d&by=zone", e.campaign) }),
		raw: rawLights(false), during: overrideEvery(500 * time.Millisecond)},
	{name: "report_submit", write: true, prepare: prepareReports(false)},
	{name: "report_save_submit", write: true, prepare: prepareReports(true)},
	{name: "case_transition", write: true, prepare: prepareCases},
	{name: "briefing", write: true, clients: 2, requests: 12, prepare: func(ctx context.Context, e *env, _ int) (func(ctx context.Context, client, i int) error, error) {
		return func(ctx context.Context, _, _ int) error {
			_, err := e.c.do(ctx, http.MethodPost, "/api/v1/briefings", "", map[string]any{"campaign_id": e.campaign, "period": "month", "as_of": e.asOf}, nil)
			return err
		}, nil
	}},
	{name: "export_items", clients: 2, requests: 8, prepare: func(ctx context.Context, e *env, _ int) (func(ctx context.Context, client, i int) error, error) {
		return func(ctx context.Context, _, _ int) error {
			return e.c.get(ctx, fmt.Sprintf("/api/v1/items/export?campaign_id=%d", e.campaign), nil)
		}, nil
	}},
}

// overrideEvery sets a red light on an item by hand, then clears it, one
// write every d, until ctx ends.
func overrideEvery(d time.Duration) func(ctx context.Context, e *env) (int, error) {
	return func(ctx context.Context, e *env) (int, error) {
		t := time.NewTicker(d)
		defer t.Stop()
		for n := 0; ; n++ {
			select {
			case <-ctx.Done():
				return n, nil
			case <-t.C:
			}
			body := map[string]any{"light": "red", "reason": "压力测试：人工调整"}
			if n%2 == 1 {
				body = map[string]any{"light": "", "reason": "压力测试：取消"}
			}
			id := e.items[(n/2*7919)%len(e.items)]
			if _, err := e.c.do(ctx, http.MethodPut, fmt.Sprintf("/api/v1/items/%d/light-override", id), "", body, nil); err != nil && ctx.Err() == nil {
				return n, err
			}
		}
	}
}

// env is what the scenarios share: the session, the district's ids.
type env struct {
	cfg      Config
	c        *client
	raw      *rawDB
	campaign int64
	prefix   string // the district's code prefix (GEN1)
	year     int
	items    []int64
	zone     int64  // a war zone with grids below it
	period   string // the last reporting period
	asOf     string // the district's "today": the end of the last period, or today
	midYear  string // 30 June of the campaign year
	ledger   int64
	// indicatorPeriod is the latest month with figures (for the raw twin).
	indicatorPeriod string
	logMu           sync.Mutex
}

func (e *env) logf(format string, args ...any) {
	if e.cfg.Log == nil {
		return
	}
	e.logMu.Lock()
	defer e.logMu.Unlock()
	fmt.Fprintf(e.cfg.Log, format+"\n", args...)
}

func (e *env) close() {
	if e.raw != nil {
		e.raw.close()
	}
}

type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func newEnv(ctx context.Context, cfg Config) (*env, error) {
	c, err := signIn(ctx, cfg.BaseURL, cfg.Username, cfg.Password, cfg.Clients)
	if err != nil {
		return nil, err
	}
	e := &env{cfg: cfg, c: c}
	var camps list[struct {
		ID        int64  `json:"id"`
		Code      string `json:"code"`
		Year      int    `json:"year"`
		StartDate string `json:"start_date"`
		EndDate   string `json:"end_date"`
	}]
	if err := c.get(ctx, "/api/v1/campaigns?page_size=500", &camps); err != nil {
		return nil, err
	}
	var end string
	for _, x := range camps.Items {
		if (cfg.Campaign != 0 && x.ID == cfg.Campaign) || (cfg.Campaign == 0 && strings.HasSuffix(x.Code, "-GJN") && x.ID > e.campaign) {
			e.campaign, e.year, e.prefix, end = x.ID, x.Year, strings.TrimSuffix(x.Code, "-GJN"), x.EndDate
		}
	}
	if e.campaign == 0 {
		return nil, errors.New("没有找到生成的攻坚年（先运行 gongjian gen --scale district），或 --campaign 不存在")
	}
	e.midYear = fmt.Sprintf("%d-06-30", e.year)
	for page := 1; ; page++ {
		var items list[struct {
			ID int64 `json:"id"`
		}]
		if err := c.get(ctx, fmt.Sprintf("/api/v1/items?campaign_id=%d&page_size=500&page=%d", e.campaign, page), &items); err != nil {
			return nil, err
		}
		for _, it := range items.Items {
			e.items = append(e.items, it.ID)
		}
		if len(items.Items) < 500 {
			break
		}
	}
	if len(e.items) == 0 {
		return nil, errors.New("攻坚年没有事项")
	}
	var zones list[struct {
		ID       int64  `json:"id"`
		Kind     string `json:"kind"`
		ParentID *int64 `json:"parent_id"`
	}]
	if err := c.get(ctx, fmt.Sprintf("/api/v1/zones?campaign_id=%d", e.campaign), &zones); err != nil {
		return nil, err
	}
	for _, z := range zones.Items {
		if z.ParentID != nil && e.zone == 0 {
			e.zone = *z.ParentID
		}
	}
	var periods list[struct {
		Key   string `json:"key"`
		Start string `json:"start"`
		End   string `json:"end"`
	}]
	if err := c.get(ctx, fmt.Sprintf("/api/v1/periods?campaign_id=%d", e.campaign), &periods); err != nil {
		return nil, err
	}
	today := time.Now().Format("2006-01-02")
	for _, p := range periods.Items {
		if p.Start <= today {
			e.period, e.asOf = p.Key, min(p.End, today, end)
		}
	}
	if e.period == "" {
		return nil, errors.New("攻坚年还没有开始的填报期")
	}
	var ledgers list[struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
	}]
	if err := c.get(ctx, "/api/v1/ledgers?page_size=500", &ledgers); err != nil {
		return nil, err
	}
	for _, l := range ledgers.Items {
		if strings.HasPrefix(l.Code, e.prefix+"-") && e.ledger == 0 {
			e.ledger = l.ID
		}
	}
	if e.ledger == 0 && len(ledgers.Items) > 0 {
		e.ledger = ledgers.Items[0].ID
	}
	if cfg.Raw && cfg.DSN != "" {
		if e.raw, err = openRaw(ctx, cfg.DSN); err != nil {
			return nil, err
		}
		var p *string
		if err := e.raw.db.Read().QueryRow(ctx, `SELECT MAX(period) FROM indicator_values`).Scan(&p); err != nil {
			e.raw.close()
			return nil, err
		}
		if p != nil {
			e.indicatorPeriod = *p
		}
	}
	e.logf("攻坚年 %d（%s，%d 个事项），填报期 %s，查看日 %s", e.campaign, e.prefix, len(e.items), e.period, e.asOf)
	return e, nil
}

// share splits ids among clients: client c gets ids c, c+n, c+2n ….
func share(ids []int64, clients int) [][]int64 {
	out := make([][]int64, clients)
	for i, id := range ids {
		out[i%clients] = append(out[i%clients], id)
	}
	return out
}

// prepareReports: each client owns a share of the items and, for each in
// turn, 报送 its report of the last period with new content, as the UI does
// for a changed form: one request that saves and submits (a submitted report
// so corrected is submitted again). With pair, the two requests the UI sent
// before: a save (which withdraws a submitted report to draft), then the
// submit. Versions come from one listing of the period's reports beforehand
// and from the answers.
func prepareReports(pair bool) func(ctx context.Context, e *env, clients int) (func(ctx context.Context, client, i int) error, error) {
	return func(ctx context.Context, e *env, clients int) (func(ctx context.Context, client, i int) error, error) {
		versions := map[int64]string{}
		for page := 1; ; page++ {
			var rs list[struct {
				ItemID  int64 `json:"item_id"`
				Version int   `json:"version"`
			}]
			if err := e.c.get(ctx, fmt.Sprintf("/api/v1/reports?campaign_id=%d&period=%s&page_size=500&page=%d", e.campaign, e.period, page), &rs); err != nil {
				return nil, err
			}
			for _, r := range rs.Items {
				versions[r.ItemID] = fmt.Sprintf(`"%d"`, r.Version)
			}
			if len(rs.Items) < 500 {
				break
			}
		}
		shares := share(e.items, clients)
		vs := make([]map[int64]string, clients) // per client, no lock needed
		for c := range vs {
			vs[c] = map[int64]string{}
			for _, id := range shares[c] {
				if v, ok := versions[id]; ok {
					vs[c][id] = v
				} else {
					vs[c][id] = `"0"`
				}
			}
		}
		body := map[string]any{"narrative": "本周按计划推进，完成既定工作量（压力测试）。", "next_steps": "继续推进。"}
		return func(ctx context.Context, c, i int) error {
			if len(shares[c]) == 0 {
				return errors.New("没有分到事项")
			}
			id := shares[c][i%len(shares[c])]
			path := fmt.Sprintf("/api/v1/items/%d/reports/%s", id, e.period)
			if !pair {
				tag, err := e.c.do(ctx, http.MethodPost, path+"/submit", vs[c][id], body, nil)
				if err == nil {
					vs[c][id] = tag
				}
				return err
			}
			var rep struct {
				ID int64 `json:"id"`
			}
			tag, err := e.c.do(ctx, http.MethodPut, path, vs[c][id], body, &rep)
			if err != nil {
				return err
			}
			tag, err = e.c.do(ctx, http.MethodPost, fmt.Sprintf("/api/v1/reports/%d/submit", rep.ID), tag, nil, nil)
			if err == nil {
				vs[c][id] = tag
			}
			return err
		}, nil
	}
}

type caseState struct {
	ID      int64  `json:"id"`
	State   string `json:"state"`
	Version int    `json:"version"`
	Tasks   []struct {
		UnitID int64  `json:"unit_id"`
		State  string `json:"state"`
	} `json:"tasks"`
}

// prepareCases: each client owns some resolved cases and moves each in turn
// one step round the cycle 销号 → 不满意重办 → 签收 → 答复 (→ 办结) → 销号 …,
// one transition per request, as the supervisor (who may act for a unit).
func prepareCases(ctx context.Context, e *env, clients int) (func(ctx context.Context, client, i int) error, error) {
	var cs list[caseState]
	if err := e.c.get(ctx, fmt.Sprintf("/api/v1/cases?state=resolved&page_size=%d", min(500, max(clients*4, 20))), &cs); err != nil {
		return nil, err
	}
	if len(cs.Items) < clients {
		return nil, fmt.Errorf("只有 %d 件已办结的督办件，少于 %d 个客户端", len(cs.Items), clients)
	}
	mine := make([][]*caseState, clients)
	for i := range cs.Items {
		mine[i%clients] = append(mine[i%clients], &cs.Items[i])
	}
	return func(ctx context.Context, c, i int) error {
		k := mine[c][i%len(mine[c])]
		ver := fmt.Sprintf(`"%d"`, k.Version)
		var path string
		var body any
		switch k.State {
		case "resolved":
			path, body = "close", map[string]any{"note": "核查属实，同意销号（压力测试）。", "rating": 5}
		case "closed":
			path, body = "reopen", map[string]any{"rating": 2, "comment": "整改不到位，重新办理（压力测试）。"}
		default:
		tasks:
			for _, t := range k.Tasks {
				switch t.State {
				case "pending":
					path, body = "accept", map[string]any{"unit_id": t.UnitID}
					break tasks
				case "accepted":
					path, body = "answer", map[string]any{"unit_id": t.UnitID, "answer": "已整改到位（压力测试）。"}
					break tasks
				}
			}
		}
		if path == "" {
			return fmt.Errorf("督办件 %d 状态 %s 无下一步", k.ID, k.State)
		}
		var next caseState
		if _, err := e.c.do(ctx, http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/%s", k.ID, path), ver, body, &next); err != nil {
			return err
		}
		*k = next
		return nil
	}, nil
}
