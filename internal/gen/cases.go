package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/store"
)

// CaseStats says what GenerateCases made.
type CaseStats struct {
	Cases, Tasks, Events int
	ByState              map[string]int
	Overdue              int // open or in progress with the deadline before today (the casework service's "overdue")
	Escalated            int
	Elapsed              time.Duration
}

// Rows is the number of rows written.
func (s CaseStats) Rows() int { return s.Cases + s.Tasks + s.Events }

var (
	caseProblems = []string{"征迁进度滞后", "施工许可办理缓慢", "资金拨付不及时", "管线迁改协调困难", "用地指标不足",
		"群众反映施工噪音扰民", "配套道路未打通", "供电接入延迟", "环评批复未取得", "施工单位进场人员不足"}
	caseRequests = []string{"用工招聘需求", "融资需求", "供电增容", "道路配套", "厂房租赁", "人才公寓申请", "物流用地", "技改补助申报"}
	caseWindows  = []string{"企业开办", "施工许可并联审批", "不动产登记", "竣工联合验收", "工程规划许可", "排水接入许可"}
	caseAnswers  = []string{"已协调解决，相关手续已办结。", "已召开专题会研究，问题已整改到位。", "已督促施工单位增加人员，进度已追回。",
		"已完成现场核查并答复企业。", "已并联审批办结，证照已发放。"}
)

// GenerateCases writes n cases (督办件) for a district written by Generate,
// in one transaction: of every type, spread over the campaign year up to its
// "today" (30 September), with their tasks and timelines. Cases whose
// deadline passed long ago are mostly closed (销号) with a rating, some only
// resolved; about one in eight is still open and so overdue, escalated to the
// item's leader. Recent cases are open, in progress or resolved. Codes follow
// on from the year's last DB-YYYY-NNNN, as the casework service numbers them.
func GenerateCases(ctx context.Context, db *store.DB, st Stats, n int, seed uint64) (CaseStats, error) {
	start := time.Now()
	var cs CaseStats
	err := db.Tx(ctx, func(q store.Querier) error {
		d, err := loadDistrict(ctx, q, st)
		if err != nil {
			return err
		}
		cs = CaseStats{ByState: map[string]int{}}
		return d.writeCases(ctx, q, n, rand.New(rand.NewPCG(seed, 0xca5e)), &cs)
	})
	if err == nil {
		err = analyze(ctx, db, "cases, case_tasks, case_events")
	}
	cs.Elapsed = time.Since(start)
	if err != nil {
		return cs, fmt.Errorf("生成督办件: %w", err)
	}
	return cs, nil
}

type genCase struct {
	code, typ, title, desc, priority, source string
	item, reqPerson, reqUnit                 any
	itemLeader                               int64
	units                                    []int64
	created, accepted, answered              time.Time
	resolved, closed                         time.Time
	deadline                                 date.Date
	state                                    string
	escalated                                bool
	rating                                   int
}

func (d *district) makeCase(r *rand.Rand) genCase {
	c := genCase{priority: "normal"}
	if r.IntN(100) < 15 {
		c.priority = "urgent"
	}
	c.created = moment(r, d.yearStart, d.asOf)
	it := d.items[r.IntN(len(d.items))]
	unit := func() int64 { return d.units[r.IntN(len(d.units))].id }
	switch x := r.IntN(100); {
	case x < 40:
		c.typ, c.source = "problem", "item"
		c.title = it.name + "：" + pickOf(r, caseProblems)
		c.item, c.itemLeader, c.units, c.reqUnit = it.id, it.leader, []int64{it.lead}, unit()
	case x < 55:
		c.typ, c.source = "instruction", "item"
		c.title = "领导批示：加快推进" + it.name
		c.item, c.itemLeader, c.units, c.reqPerson = it.id, it.leader, []int64{it.lead}, it.leader
	case x < 75:
		c.typ, c.source = "enterprise_request", "visit"
		c.title = fmt.Sprintf("企业诉求：%s（示意企业%d）", pickOf(r, caseRequests), 1+r.IntN(400))
		c.units, c.reqUnit = []int64{unit()}, unit()
	case x < 90:
		c.typ = "one_window"
		c.title = "一窗受理：" + pickOf(r, caseWindows)
		seen := map[int64]bool{}
		for range 2 + r.IntN(2) {
			if u := unit(); !seen[u] {
				seen[u] = true
				c.units = append(c.units, u)
			}
		}
		c.reqUnit = c.units[0]
	default:
		c.typ, c.source = "meeting_decision", "meeting"
		c.title = "调度会议定：" + it.name + pickOf(r, []string{"月底前完成征迁", "本月开工", "加快手续办理", "倒排工期"})
		c.item, c.itemLeader, c.units, c.reqPerson = it.id, it.leader, []int64{it.lead}, d.rootLeader
	}
	c.desc = "生成数据（gongjian gen），不是真实督办件。"
	days := []int{3, 7, 15, 30, 60}[r.IntN(5)]
	c.deadline = date.Of(c.created.AddDate(0, 0, days))
	past := c.deadline.Before(d.asOf)
	c.state = "open"
	switch x := r.IntN(100); {
	case past && x < 78:
		c.state = "closed"
	case past && x < 88:
		c.state = "resolved"
	case past && x < 94:
		c.state, c.escalated = "in_progress", true
	case past:
		c.state, c.escalated = "open", true
	case x < 35:
		c.state = "open"
	case x < 75:
		c.state = "in_progress"
	default:
		c.state = "resolved"
	}
	limit := d.asOf.Time().Add(17 * time.Hour)
	clamp := func(t time.Time) time.Time {
		if t.After(limit) {
			return limit
		}
		return t
	}
	if c.state != "open" {
		c.accepted = clamp(c.created.Add(time.Duration(1+r.IntN(48)) * time.Hour))
	}
	if c.state == "resolved" || c.state == "closed" {
		// Most are answered within the time limit, some late.
		span := c.deadline.Time().Sub(c.created) + time.Duration(r.IntN(5)-1)*24*time.Hour
		c.answered = clamp(c.accepted.Add(time.Duration(r.Int64N(int64(max(span, time.Hour))))))
		c.resolved = c.answered
	}
	if c.state == "closed" {
		c.closed = clamp(c.resolved.Add(time.Duration(2+r.IntN(72)) * time.Hour))
		c.rating = []int{5, 5, 5, 4, 4, 3}[r.IntN(6)]
	}
	return c
}

func (d *district) writeCases(ctx context.Context, q store.Querier, n int, r *rand.Rand, cs *CaseStats) error {
	if q.Engine() == store.Postgres {
		// The casework service takes the same lock before numbering.
		if _, err := q.Exec(ctx, `SELECT pg_advisory_xact_lock(727006)`); err != nil {
			return err
		}
	}
	prefix := fmt.Sprintf("DB-%d-", d.year)
	var last int64
	if err := q.QueryRow(ctx, `SELECT COALESCE(MAX(CAST(SUBSTR(code, 9) AS INTEGER)), 0) FROM cases WHERE code LIKE ?`, prefix+"%").Scan(&last); err != nil {
		return fmt.Errorf("last case code: %w", err)
	}
	today := date.Of(time.Now())
	list := make([]genCase, n)
	ins := newInserter(ctx, q, "cases", "code", "type", "title", "description", "priority", "source_kind", "item_id",
		"requester_person_id", "requester_unit_id", "deadline", "original_deadline", "state", "escalated_to", "escalated_at",
		"resolved_at", "closed_at", "rating", "created_at", "updated_at")
	want := make(map[string]bool, n)
	null := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t
	}
	for i := range list {
		c := d.makeCase(r)
		c.code = fmt.Sprintf("%s%04d", prefix, last+int64(i)+1)
		list[i] = c
		want[c.code] = true
		var esc, escAt, rating any
		if c.escalated {
			esc, escAt = d.rootLeader, c.deadline.Time().Add(33*time.Hour).UTC()
			if c.itemLeader != 0 {
				esc = c.itemLeader
			}
			cs.Escalated++
		}
		if c.rating != 0 {
			rating = c.rating
		}
		updated := c.created
		for _, t := range []time.Time{c.accepted, c.answered, c.closed} {
			if t.After(updated) {
				updated = t
			}
		}
		if err := ins.add(c.code, c.typ, c.title, c.desc, c.priority, c.source, c.item, c.reqPerson, c.reqUnit,
			c.deadline, c.deadline, c.state, esc, escAt, null(c.resolved), null(c.closed), rating, c.created, updated); err != nil {
			return err
		}
		cs.ByState[c.state]++
		if (c.state == "open" || c.state == "in_progress") && c.deadline.Before(today) {
			cs.Overdue++
		}
	}
	if err := ins.flush(); err != nil {
		return err
	}
	cs.Cases = ins.total
	ids := make(map[string]int64, n)
	err := each(ctx, q, `SELECT id, code FROM cases WHERE code LIKE ?`, []any{prefix + "%"}, func(s scanner) error {
		var id int64
		var code string
		if err := s.Scan(&id, &code); err != nil {
			return err
		}
		if want[code] {
			ids[code] = id
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(ids) != n {
		return fmt.Errorf("read back %d case ids, want %d", len(ids), n)
	}
	tasks := newInserter(ctx, q, "case_tasks", "case_id", "unit_id", "role", "due", "state", "answer", "accepted_at", "answered_at", "created_at")
	events := newInserter(ctx, q, "case_events", "case_id", "at", "actor", "action", "from_state", "to_state", "unit_id", "note", "rating")
	for _, c := range list {
		id := ids[c.code]
		ev := func(at time.Time, action, from, to string, unit any, note string, rating any) error {
			return events.add(id, at, "system", action, from, to, unit, note, rating)
		}
		role, taskState, answer := "lead", "pending", ""
		if len(c.units) > 1 {
			role = "parallel"
		}
		switch {
		case !c.answered.IsZero():
			taskState, answer = "answered", pickOf(r, caseAnswers)
		case !c.accepted.IsZero():
			taskState = "accepted"
		}
		if err := ev(c.created, "create", "", "open", nil, c.title, nil); err != nil {
			return err
		}
		for _, u := range c.units {
			if err := tasks.add(id, u, role, c.deadline, taskState, answer, null(c.accepted), null(c.answered), c.created); err != nil {
				return err
			}
			if err := ev(c.created, "assign", "", "", u, "交办，期限 "+c.deadline.Chinese(), nil); err != nil {
				return err
			}
			if !c.accepted.IsZero() {
				if err := ev(c.accepted, "accept", "", "", u, "签收", nil); err != nil {
					return err
				}
			}
			if !c.answered.IsZero() {
				if err := ev(c.answered, "answer", "", "", u, answer, nil); err != nil {
					return err
				}
			}
		}
		if c.escalated {
			if err := ev(c.deadline.Time().Add(33*time.Hour).UTC(), "escalate", "", "", nil, "逾期未办结，升级到责任领导", nil); err != nil {
				return err
			}
		}
		if !c.resolved.IsZero() {
			if err := ev(c.resolved, "resolve", "in_progress", "resolved", nil, "全部承办单位已答复", nil); err != nil {
				return err
			}
		}
		if !c.closed.IsZero() {
			if err := ev(c.closed, "close", "resolved", "closed", nil, "核查属实，同意销号。", c.rating); err != nil {
				return err
			}
		}
	}
	if err := tasks.flush(); err != nil {
		return err
	}
	if err := events.flush(); err != nil {
		return err
	}
	cs.Tasks, cs.Events = tasks.total, events.total
	return nil
}
