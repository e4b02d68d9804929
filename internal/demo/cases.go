package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gongjian/internal/casework"
	"gongjian/internal/date"
)

// The case figures of the articles that the demo's cases add up to ([A2]:
// "9个停工缓建项目" and "91个小区不动产权证" are counted as cases of their
// own, the rest is illustrative). The 400 solved enterprise problems come
// from the visits (enterprises.go).
const (
	DemoStalledProjectCases  = 9  // [A2] 盘活9个长期停滞项目
	DemoPropertyCertCases    = 91 // [A2] 化解91个小区不动产证办理难题
	DemoInstructionCases     = 24 // illustrative: leaders' instructions on items
	DemoRelocationCases      = 20 // illustrative: relocation problems in the zones
	DemoOneWindowCases       = 30 // illustrative: one-window applications approved in parallel
	DemoReopenedCases        = 5  // illustrative: reopened with a low rating
	demoCaseRefPrefix        = "demo-case-"
	demoCasesClockAtYearsEnd = "2022-12-31"
)

// cst is the district's time zone; the demo's times are office hours there.
var cst = time.FixedZone("CST", 8*3600)

// loadCases writes the demo district's cases of 2022 as history: leaders'
// instructions on items, relocation problems in the zones, the stalled
// projects, the property certificates and one-window applications; most
// closed after realistic times, some still open and overdue at the year's end
// (and so escalated to their leaders), a few reopened with low ratings.
// Deterministic (a fixed seed) and idempotent (cases are keyed by reference).
func loadCases(ctx context.Context, s Services, x Extras, sum Summary) error {
	if x.Cases == nil {
		return nil
	}
	db := s.DB.Read()
	units := map[string]int64{}
	rows, err := db.Query(ctx, `SELECT id, code FROM units`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			rows.Close()
			return err
		}
		units[code] = id
	}
	rows.Close()
	type item struct {
		id, leader, lead, zone int64
		code, name, typ        string
	}
	var items []item
	byCode := map[string]item{}
	rows, err = db.Query(ctx, `SELECT id, code, name, type, leader_id, lead_unit_id, COALESCE(zone_id, 0) FROM items
		WHERE campaign_id = ? AND parent_id IS NULL ORDER BY code`, sum.CampaignID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.id, &it.code, &it.name, &it.typ, &it.leader, &it.lead, &it.zone); err != nil {
			rows.Close()
			return err
		}
		items = append(items, it)
		byCode[it.code] = it
	}
	rows.Close()
	persons := map[string]int64{}
	rows, err = db.Query(ctx, `SELECT id, code FROM persons`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			rows.Close()
			return err
		}
		persons[code] = id
	}
	rows.Close()
	if len(items) == 0 || units["ZJJ"] == 0 {
		return nil
	}

	rnd := rand.New(rand.NewPCG(2022, 6))
	var hs []casework.HistoricCase
	ptr := func(v int64) *int64 { return &v }
	// add builds one case created on day (of 2022) with a time limit, solved
	// after days (0: still open at the year's end).
	add := func(ref string, in casework.CaseInput, requesterUnit int64, day, limit, solvedAfter int) *casework.HistoricCase {
		created := time.Date(2022, 1, 1, 9, 30, 0, 0, cst).AddDate(0, 0, day)
		in.Deadline = date.Of(created.AddDate(0, 0, limit))
		if in.Priority == "" {
			in.Priority = "normal"
		}
		h := casework.HistoricCase{CaseInput: in, ExternalRef: demoCaseRefPrefix + ref, RequesterUnitID: ptr(requesterUnit), CreatedAt: created,
			AcceptedAt: created.Add(3 * time.Hour)}
		if solvedAfter > 0 {
			h.AnsweredAt = created.AddDate(0, 0, solvedAfter).Add(6 * time.Hour)
			h.Answer = "已按要求办理完毕，具体情况已报督查室。"
			if h.AnsweredAt.Before(time.Date(2022, 12, 20, 0, 0, 0, 0, cst)) {
				h.ClosedAt = h.AnsweredAt.AddDate(0, 0, 2)
				h.Rating, h.CloseNote = 4+rnd.IntN(2), "经核查已办结，予以销号。"
			}
		}
		hs = append(hs, h)
		return &hs[len(hs)-1]
	}
	assign := func(codes ...int64) []casework.AssigneeInput {
		out := make([]casework.AssigneeInput, 0, len(codes))
		for _, c := range codes {
			out = append(out, casework.AssigneeInput{UnitID: c})
		}
		return out
	}

	// Leaders' instructions (批示) on key projects and reform tasks.
	words := []string{"加快推进，确保按期开工", "倒排工期，挂图作战", "协调解决用地和资金问题", "专班推进，每周调度", "压实责任，确保年底前完成"}
	n := 0
	for i, it := range items {
		if n == DemoInstructionCases || (it.typ != "key_project" && it.typ != "reform_task") || i%2 != 0 {
			continue
		}
		n++
		day := 10 + (n-1)*13
		solved := 5 + rnd.IntN(20)
		if day > 320 && n%2 == 0 {
			solved = 0 // still open at the year's end: overdue
		}
		add(fmt.Sprintf("instruction-%02d", n), casework.CaseInput{Type: casework.TypeInstruction,
			Title:       fmt.Sprintf("关于%s的批示", it.name),
			Description: fmt.Sprintf("请%s%s。（批示内容示意）", "牵头单位", words[n%len(words)]),
			SourceKind:  "item", SourceID: it.id, ItemID: ptr(it.id), RequesterPersonID: ptr(it.leader),
			Assignees: assign(it.lead)}, units["ZF"], day, 20, solved)
	}

	// Relocation problems (征迁) in the zones: the house-expropriation centre
	// and the street of the zone work in parallel.
	street := map[string]string{"XFXC": "JD-XF", "HSSJ": "JD-ZFD", "ZFXJ": "JD-XY"}
	var zoned []item
	for _, it := range items {
		if it.zone != 0 {
			zoned = append(zoned, it)
		}
	}
	zoneCode := map[int64]string{}
	rows, err = db.Query(ctx, `SELECT id, code FROM zones WHERE campaign_id = ?`, sum.CampaignID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			rows.Close()
			return err
		}
		zoneCode[id] = code
	}
	rows.Close()
	problems := []string{"%d户未签订征收协议，需柔性动迁", "%d处违建需拆除后方可清零", "%d户对评估价格有异议，需司法征迁", "%d户临时安置房源不足"}
	for i := 0; i < DemoRelocationCases && len(zoned) > 0; i++ {
		it := zoned[i%len(zoned)]
		st := street[zoneCode[it.zone]]
		if st == "" {
			st = "JD-XF"
		}
		solved := 10 + rnd.IntN(40)
		if i == 17 || i == 19 {
			solved = 0
		}
		h := add(fmt.Sprintf("relocation-%02d", i+1), casework.CaseInput{Type: casework.TypeProblem, Priority: "urgent",
			Title:       fmt.Sprintf("%s征迁：%s", it.name, fmt.Sprintf(problems[i%len(problems)], 2+rnd.IntN(12))),
			Description: "片区征迁清零攻坚中发现的问题（示意）。", SourceKind: "item", SourceID: it.id, ItemID: ptr(it.id),
			RequesterPersonID: ptr(persons["P-DCS"]), Assignees: assign(units["ZSB"], units[st])}, units["DCS"], 15+i*15, 30, solved)
		if i%6 == 2 && solved > 0 { // the requester was not satisfied the first time
			h.FirstAnswer, h.FirstAnsweredAt = "已入户做工作。", h.CreatedAt.AddDate(0, 0, solved/2)
			h.ReopenedAt = h.FirstAnsweredAt.AddDate(0, 0, 2)
			h.ReopenRating, h.ReopenComment = 1+i%2, "群众仍未签约，问题没有实质解决，请继续办理。"
		}
	}

	// The 9 stalled projects (停工缓建) and the 91 communities' property certificates (办证难).
	stalled, certs := byCode["MS-12"], byCode["MS-09"]
	for i := 0; i < DemoStalledProjectCases; i++ {
		solved := 40 + rnd.IntN(80)
		if i >= 7 {
			solved = 0
		}
		h := add(fmt.Sprintf("stalled-%02d", i+1), casework.CaseInput{Type: casework.TypeProblem,
			Title:       fmt.Sprintf("停工缓建项目盘活：第%d个长期停滞项目（示意）", i+1),
			Description: "[A2] 盘活9个长期停滞项目；项目名称文章未列出。", SourceKind: "item", SourceID: stalled.id, ItemID: optID(stalled.id),
			RequesterPersonID: ptr(persons["P-CJ"]), Assignees: assign(units["ZJJ"], units["ZRJ"])}, units["DCS"], 20+i*30, 60, solved)
		if i == 3 {
			h.FirstAnswer, h.FirstAnsweredAt = "已约谈开发企业。", h.CreatedAt.AddDate(0, 0, 20)
			h.ReopenedAt, h.ReopenRating, h.ReopenComment = h.CreatedAt.AddDate(0, 0, 22), 2, "项目仍未复工，请拿出盘活方案。"
		}
	}
	for i := 0; i < DemoPropertyCertCases; i++ {
		solved := 15 + rnd.IntN(45)
		if i >= 85 {
			solved = 0
		}
		h := add(fmt.Sprintf("cert-%02d", i+1), casework.CaseInput{Type: casework.TypeProblem,
			Title:       fmt.Sprintf("第%d个小区不动产权证办理（示意）", i+1),
			Description: "[A2] 化解91个小区不动产证办理难题；小区名称文章未列出。", SourceKind: "item", SourceID: certs.id, ItemID: optID(certs.id),
			RequesterPersonID: ptr(persons["P-CJ"]), Assignees: assign(units["ZRJ"], units["ZJJ"])}, units["DCS"], 5+i*3, 45, solved)
		if i == 40 {
			h.FirstAnswer, h.FirstAnsweredAt = "已完成测绘。", h.CreatedAt.AddDate(0, 0, 10)
			h.ReopenedAt, h.ReopenRating, h.ReopenComment = h.CreatedAt.AddDate(0, 0, 12), 2, "居民仍未拿到证，请继续办理。"
		}
	}

	// One-window applications (一窗受理), approved by three departments in parallel.
	ow := byCode["GG-03"]
	for i := 0; i < DemoOneWindowCases; i++ {
		add(fmt.Sprintf("onewindow-%02d", i+1), casework.CaseInput{Type: casework.TypeOneWindow,
			Title:       fmt.Sprintf("一窗受理：第%d号工程建设项目并联审批（示意）", i+1),
			Description: "窗口受理，行政审批、自然资源、住建部门并联审批。", SourceKind: "item", SourceID: ow.id, ItemID: optID(ow.id),
			RequesterPersonID: ptr(persons["P-SPJ"]), Assignees: assign(units["SPJ"], units["ZRJ"], units["ZJJ"])}, units["SPJ"], 30+i*10, 7, 2+rnd.IntN(6))
	}

	// The newest case: the district mayor's instruction on the zone's first
	// reform task, open with 区住建局 — the first in every list by date.
	if gg := byCode["GG-01"]; gg.id != 0 {
		add("instruction-latest", casework.CaseInput{Type: casework.TypeInstruction, Priority: "urgent",
			Title: "关于幸福新城片区征迁收尾的批示", Description: "请住建局会同街道年底前完成征迁收尾。（批示内容示意）",
			SourceKind: "item", SourceID: gg.id, ItemID: ptr(gg.id), RequesterPersonID: ptr(persons["P-QZ"]),
			Assignees: assign(units["ZJJ"])}, units["ZF"], 352, 8, 0)
	}

	if _, err := x.Cases.ImportHistory(ctx, hs); err != nil {
		return fmt.Errorf("import cases: %w", err)
	}
	// The year's end as the time-limit job saw it: overdue cases escalate.
	end, _ := time.ParseInLocation("2006-01-02 15:04", demoCasesClockAtYearsEnd+" 18:00", cst)
	_, err = x.Cases.WithClock(func() time.Time { return end }).CheckDeadlines(ctx)
	return err
}

func optID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
