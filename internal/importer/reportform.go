package importer

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"gongjian/internal/access"
	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/xlsx"
)

// The offline report form (离线填报表): a unit downloads this period's due
// items as a workbook, one row per item, with the item, each target (unit,
// target value, last actual), each milestone (planned date) locked, and
// columns for the actuals, the investment, the narrative, the problems and the
// next steps to fill in; uploaded, each filled row becomes that item's report
// for the period through progress.SaveReport (SubmitReport when 操作 is 报送),
// all rows or none.

// reportFormSlots is how many target and milestone columns a form can have.
const reportFormSlots = 20

const reportFormSheet = "填报"

var actions = choice{[]string{"draft", "submit"}, []string{"保存草稿", "报送"}}

// formItem is one due item of the form with its targets and milestones in
// column order.
type formItem struct {
	task       progress.Task
	targets    []campaign.Target
	milestones []campaign.Milestone
}

// formItems lists the items the caller (or, for a supervisor, unitID) must
// report on for the period, in code order.
func (s *Service) formItems(ctx context.Context, campaignID int64, period string, unitID int64) (progress.Period, []formItem, error) {
	tl, err := s.progress.Tasks(ctx, campaignID, period)
	if err != nil {
		return progress.Period{}, nil, err
	}
	a := access.From(ctx)
	if unitID != 0 && a != nil && a.Role == access.Reporter && unitID != a.UnitID {
		return progress.Period{}, nil, errs.NotFound("单位", unitID)
	}
	out := make([]formItem, 0, len(tl.Tasks))
	for _, t := range tl.Tasks {
		if unitID != 0 {
			var lead int64
			if err := s.db.Read().QueryRow(ctx, `SELECT lead_unit_id FROM items WHERE id = ?`, t.ItemID).Scan(&lead); err != nil {
				return progress.Period{}, nil, fmt.Errorf("report form item unit: %w", err)
			}
			if lead != unitID {
				continue
			}
		}
		ts, err := s.campaign.ListTargets(ctx, t.ItemID)
		if err != nil {
			return progress.Period{}, nil, err
		}
		ms, err := s.campaign.ListMilestones(ctx, t.ItemID)
		if err != nil {
			return progress.Period{}, nil, err
		}
		out = append(out, formItem{task: t, targets: ts[:min(len(ts), reportFormSlots)], milestones: ms[:min(len(ms), reportFormSlots)]})
	}
	return tl.Period, out, nil
}

func targetHeader(j int) string        { return fmt.Sprintf("目标%d", j) }
func targetValueHeader(j int) string   { return fmt.Sprintf("目标%d本期累计实际值", j) }
func milestoneHeader(j int) string     { return fmt.Sprintf("节点%d", j) }
func milestoneDateHeader(j int) string { return fmt.Sprintf("节点%d实际完成日期", j) }

// WriteReportForm writes the offline report form of a period (empty: the
// current one) for the caller's unit, or for unitID when a supervisor asks.
func (s *Service) WriteReportForm(ctx context.Context, w io.Writer, campaignID int64, period string, unitID int64) error {
	p, items, err := s.formItems(ctx, campaignID, period, unitID)
	if err != nil {
		return err
	}
	nt, nm := 0, 0
	for _, it := range items {
		nt, nm = max(nt, len(it.targets)), max(nm, len(it.milestones))
	}
	lockedCol := func(h string, width float64) xlsx.TemplateColumn {
		return xlsx.TemplateColumn{Header: h, Locked: true, Width: width, Format: "text"}
	}
	cols := []xlsx.TemplateColumn{lockedCol("事项编码", 14), lockedCol("事项名称", 28), lockedCol("状态", 10)}
	for j := 1; j <= nt; j++ {
		cols = append(cols, lockedCol(targetHeader(j), 30),
			xlsx.TemplateColumn{Header: targetValueHeader(j), Format: "number", Width: 14, Note: "该目标截至本期末的累计实际值"})
	}
	for j := 1; j <= nm; j++ {
		cols = append(cols, lockedCol(milestoneHeader(j), 26),
			xlsx.TemplateColumn{Header: milestoneDateHeader(j), Format: "date", Width: 14, Note: "节点完成后填写，不能晚于今天"})
	}
	cols = append(cols,
		xlsx.TemplateColumn{Header: "本年累计完成投资（万元）", Format: "yuan_wan", Width: 16},
		xlsx.TemplateColumn{Header: "工作进展", Width: 40, Note: "报送时必填"},
		xlsx.TemplateColumn{Header: "存在问题", Width: 30},
		xlsx.TemplateColumn{Header: "下步计划", Width: 30},
		xlsx.TemplateColumn{Header: "操作", Width: 12, Choices: actions.labels, Note: "保存草稿：只保存；报送：保存并报送"})
	rows := make([][]any, 0, len(items))
	for _, it := range items {
		var rep *progress.Report
		if it.task.ReportID != 0 {
			r, err := s.progress.GetReport(ctx, it.task.ReportID)
			if err != nil {
				return err
			}
			rep = &r
		}
		row := []any{it.task.Code, it.task.Name, statusLabel(it.task.Status)}
		for j := 0; j < nt; j++ {
			if j >= len(it.targets) {
				row = append(row, "", nil)
				continue
			}
			tg := it.targets[j]
			desc := fmt.Sprintf("%s：目标 %s%s，期限 %s", tg.Name, num(tg.Value), tg.Unit, tg.Deadline)
			if last, ok, err := s.lastActual(ctx, tg.ID, p.Key); err != nil {
				return err
			} else if ok {
				desc += fmt.Sprintf("，上期实际 %s%s", num(last), tg.Unit)
			}
			var cur any
			if rep != nil {
				for _, v := range rep.Values {
					if v.TargetID == tg.ID {
						cur = v.Value
					}
				}
			}
			row = append(row, desc, cur)
		}
		for j := 0; j < nm; j++ {
			if j >= len(it.milestones) {
				row = append(row, "", nil)
				continue
			}
			m := it.milestones[j]
			var actual any
			desc := fmt.Sprintf("%s：计划 %s", m.Name, m.PlannedDate)
			if !m.ActualDate.IsZero() {
				desc += fmt.Sprintf("，已于 %s 完成", m.ActualDate)
			}
			if rep != nil {
				for _, r := range rep.Milestones {
					if r.MilestoneID == m.ID {
						actual = r.ActualDate
					}
				}
			}
			row = append(row, desc, actual)
		}
		if rep != nil {
			var inv any
			if rep.InvestmentCompletedWan != nil {
				inv = *rep.InvestmentCompletedWan
			}
			row = append(row, inv, rep.Narrative, rep.Problems, rep.NextSteps, nil)
		} else {
			row = append(row, nil, "", "", "", nil)
		}
		rows = append(rows, row)
	}
	return xlsx.WriteTemplate(w, xlsx.Template{Sheet: reportFormSheet, Title: fmt.Sprintf("%s 进展填报（%s 至 %s，截止 %s）", p.Key, p.Start, p.End, p.Due),
		Instructions: []string{
			"灰色列由系统填写，不能修改；每行是本单位本期应报的一个事项。",
			"填写各目标截至本期末的累计实际值、已完成节点的实际日期、本年累计完成投资和工作进展；“操作”选“报送”的行保存后即报送，其余保存为草稿。",
			"没有填写任何内容的行不会导入。",
		}, Columns: cols, Rows: rows})
}

func (s *Service) lastActual(ctx context.Context, targetID int64, period string) (float64, bool, error) {
	var v float64
	err := s.db.Read().QueryRow(ctx, `SELECT value FROM target_actuals WHERE target_id = ? AND period < ? ORDER BY period DESC, recorded_at DESC LIMIT 1`,
		targetID, period).Scan(&v)
	if store.IsNoRows(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("last actual: %w", err)
	}
	return v, true, nil
}

func statusLabel(s string) string {
	switch s {
	case "draft":
		return "草稿"
	case "submitted":
		return "已报送"
	case "accepted":
		return "已通过"
	case "returned":
		return "已退回"
	}
	return "未填报"
}

func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", v), "0"), ".")
}

// formRow is one filled row of the form.
type formRow struct {
	item   formItem
	submit bool
	in     progress.ReportInput
}

// ImportReportForm turns each filled row of an uploaded form into that
// item's report for the period: saved as a draft, and submitted when 操作 is
// 报送; with the checks of the online form, located by row and column; all
// rows or none. A row whose report already says the same is unchanged.
func (s *Service) ImportReportForm(ctx context.Context, campaignID int64, period string, unitID int64, r io.Reader, dryRun bool) (xlsx.ImportResult, error) {
	p, items, err := s.formItems(ctx, campaignID, period, unitID)
	if err != nil {
		return xlsx.ImportResult{DryRun: dryRun, Problems: []xlsx.Problem{}}, err
	}
	byCode := map[string]formItem{}
	for _, it := range items {
		byCode[norm(it.task.Code)] = it
	}
	fields := []xlsx.Field{f("code", true, "事项编码")}
	fieldKey := map[string]string{"narrative": "narrative", "problems": "problems", "next_steps": "next", "investment_completed_wan": "invest"}
	for j := 1; j <= reportFormSlots; j++ {
		fields = append(fields, f(fmt.Sprintf("t%d", j), false, targetValueHeader(j)), f(fmt.Sprintf("m%d", j), false, milestoneDateHeader(j)))
	}
	fields = append(fields, f("invest", false, "本年累计完成投资（万元）", "本年累计完成投资"), f("narrative", false, "工作进展"),
		f("problems", false, "存在问题"), f("next", false, "下步计划"), f("action", false, "操作"))
	sp := spec[formRow]{sheet: reportFormSheet, fields: fields, key: func(r formRow) string { return r.item.task.Code },
		parse: func(_ context.Context, rec xlsx.Record, pr *Problems) (formRow, bool) {
			code := required(rec, "code", pr)
			if code == "" {
				return formRow{}, false
			}
			it, ok := byCode[norm(code)]
			if !ok {
				pr.Add(rec, "code", code, fmt.Sprintf("“%s”不是本单位 %s 应填报的事项", code, p.Key))
				return formRow{}, false
			}
			row := formRow{item: it}
			filled := false
			for j := 1; j <= reportFormSlots; j++ {
				key := fmt.Sprintf("t%d", j)
				if v := parseNumberCell(rec, key, pr); v != nil {
					filled = true
					if j > len(it.targets) {
						pr.Add(rec, key, rec.Get(key), fmt.Sprintf("该事项没有第 %d 个目标", j))
						continue
					}
					row.in.Values = append(row.in.Values, progress.TargetValue{TargetID: it.targets[j-1].ID, Value: *v})
				}
				key = fmt.Sprintf("m%d", j)
				if d := parseDateCell(rec, key, pr); d != nil {
					filled = true
					if j > len(it.milestones) {
						pr.Add(rec, key, rec.Get(key), fmt.Sprintf("该事项没有第 %d 个节点", j))
						continue
					}
					row.in.Milestones = append(row.in.Milestones, progress.MilestoneReached{MilestoneID: it.milestones[j-1].ID, ActualDate: *d})
				}
			}
			row.in.InvestmentCompletedWan = parseWanCell(rec, "invest", pr)
			row.in.Narrative, row.in.Problems, row.in.NextSteps = rec.Get("narrative"), rec.Get("problems"), rec.Get("next")
			if a := parseChoice(rec, "action", actions, pr); a != nil {
				row.submit = *a == "submit"
			}
			filled = filled || row.in.InvestmentCompletedWan != nil || row.in.Narrative != "" || row.in.Problems != "" || row.in.NextSteps != ""
			return row, filled
		},
		apply: func(ctx context.Context, row formRow) (Outcome, error) {
			return s.applyFormRow(ctx, p.Key, row)
		},
		fieldKey: fieldKey}
	// Errors on values[i] and milestones[i] name the slot of the form.
	sp.locate = func(field string, row formRow) string {
		var i int
		if _, err := fmt.Sscanf(field, "values[%d]", &i); err == nil && i < len(row.in.Values) {
			return slotKey("t", row.item.targetSlot(row.in.Values[i].TargetID))
		}
		if _, err := fmt.Sscanf(field, "milestones[%d]", &i); err == nil && i < len(row.in.Milestones) {
			return slotKey("m", row.item.milestoneSlot(row.in.Milestones[i].MilestoneID))
		}
		return ""
	}
	return run(ctx, s, sp, r, dryRun)
}

func slotKey(prefix string, j int) string {
	if j == 0 {
		return ""
	}
	return fmt.Sprintf("%s%d", prefix, j)
}

func (it formItem) targetSlot(id int64) int {
	return slices.IndexFunc(it.targets, func(t campaign.Target) bool { return t.ID == id }) + 1
}

func (it formItem) milestoneSlot(id int64) int {
	return slices.IndexFunc(it.milestones, func(m campaign.Milestone) bool { return m.ID == id }) + 1
}

func (s *Service) applyFormRow(ctx context.Context, period string, row formRow) (Outcome, error) {
	var rep *progress.Report
	var id int64
	err := store.Querier(s.db.Read()).QueryRow(ctx, `SELECT id FROM reports WHERE item_id = ? AND period = ?`, row.item.task.ItemID, period).Scan(&id)
	switch {
	case store.IsNoRows(err):
	case err != nil:
		return 0, fmt.Errorf("report form find report: %w", err)
	default:
		r, err := s.progress.GetReport(ctx, id)
		if err != nil {
			return 0, err
		}
		rep = &r
	}
	if rep != nil && sameReport(*rep, row.in) && (!row.submit || rep.State == progress.Submitted || rep.State == progress.Accepted) {
		return Unchanged, nil
	}
	version := 0
	if rep != nil {
		version = rep.Version
	}
	write := s.progress.SaveReport
	if row.submit {
		write = s.progress.SubmitReport // 报送: saved and submitted in one step
	}
	if _, err := write(ctx, row.item.task.ItemID, period, version, row.in); err != nil {
		return 0, err
	}
	if rep == nil {
		return Created, nil
	}
	return Updated, nil
}

func sameReport(r progress.Report, in progress.ReportInput) bool {
	if strings.TrimSpace(in.Narrative) != r.Narrative || strings.TrimSpace(in.Problems) != r.Problems || strings.TrimSpace(in.NextSteps) != r.NextSteps {
		return false
	}
	if (in.InvestmentCompletedWan == nil) != (r.InvestmentCompletedWan == nil) ||
		(in.InvestmentCompletedWan != nil && math.Abs(*in.InvestmentCompletedWan-*r.InvestmentCompletedWan) > 1e-6) {
		return false
	}
	if len(in.Values) != len(r.Values) || len(in.Milestones) != len(r.Milestones) {
		return false
	}
	vals := map[int64]float64{}
	for _, v := range r.Values {
		vals[v.TargetID] = v.Value
	}
	for _, v := range in.Values {
		if old, ok := vals[v.TargetID]; !ok || old != v.Value {
			return false
		}
	}
	ms := map[int64]date.Date{}
	for _, m := range r.Milestones {
		ms[m.MilestoneID] = m.ActualDate
	}
	for _, m := range in.Milestones {
		if old, ok := ms[m.MilestoneID]; !ok || old != m.ActualDate {
			return false
		}
	}
	return true
}
