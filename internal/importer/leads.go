package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"

	"gongjian/internal/date"
	"gongjian/internal/enterprise"
	"gongjian/internal/errs"
	"gongjian/internal/xlsx"
)

// ---- investment leads: matched by code; stages advance one at a time ----

var leadStages = func() choice {
	c := choice{}
	for _, st := range append(slices.Clone(enterprise.Stages), "dropped") {
		c.codes = append(c.codes, st)
		c.labels = append(c.labels, enterprise.StageLabels[st])
	}
	return c
}()

type leadRow struct {
	Code, Investor, Project string
	Sector, Source, Note    *string
	Amount                  *float64
	UnitID                  *int64
	Top500                  *bool
	Stage                   *string
	Dates                   map[string]date.Date // by stage
	DropReason              string
	LeaderID                *int64
	ItemCode                string
}

// stageKey is the field key of a stage's date column.
func stageKey(stage string) string { return stage + "_on" }

// The headers follow the lead list's export (which heads the date columns
// with the stage alone), so an exported file imports back as unchanged.
var leadFields = []xlsx.Field{f("code", true, "项目编号", "编号"), f("investor", true, "投资方"), f("project", true, "项目名称"),
	f("sector", false, "产业领域"), f("amount", false, "投资额（万元）", "投资额", "计划投资"), f("source", false, "线索来源"),
	f("unit", false, "责任单位"), f("top500", false, "五百强"), f("stage", false, "阶段", "当前阶段"),
	f(stageKey("negotiating"), false, "洽谈日期", "洽谈"), f(stageKey("signed"), false, "签约日期", "签约"),
	f(stageKey("registered"), false, "注册落地日期", "注册落地"), f(stageKey("started"), false, "开工日期", "开工"),
	f(stageKey("operating"), false, "投产日期", "投产"), f("drop_reason", false, "终止原因"), f("leader", false, "责任领导"),
	f("item_code", false, "重点项目编码", "重点项目"), f("note", false, "备注")}

var leadFieldKey = map[string]string{"code": "code", "investor": "investor", "project": "project", "sector": "sector", "amount_wan": "amount",
	"source": "source", "owner_unit_id": "unit", "top500": "top500", "note": "note", "stage": "stage",
	"negotiating_on": "negotiating_on", "signed_on": "signed_on", "registered_on": "registered_on", "started_on": "started_on", "operating_on": "operating_on",
	"on": "stage", "reason": "drop_reason", "item": "leader", "item.leader_id": "leader", "item.code": "item_code", "item.campaign_id": "stage"}

func leadInput(l enterprise.Lead) enterprise.LeadInput {
	return enterprise.LeadInput{Code: l.Code, Investor: l.Investor, Project: l.Project, Sector: l.Sector, AmountWan: l.AmountWan, Source: l.Source,
		OwnerUnitID: l.OwnerUnitID, Top500: l.Top500, NegotiatingOn: l.NegotiatingOn, EnterpriseID: l.EnterpriseID, Illustrative: l.Illustrative, Note: l.Note}
}

func stageDate(l enterprise.Lead, stage string) date.Date {
	return map[string]date.Date{"negotiating": l.NegotiatingOn, "signed": l.SignedOn, "registered": l.RegisteredOn, "started": l.StartedOn,
		"operating": l.OperatingOn}[stage]
}

func stageErr(field, msg, value string) error {
	return &errs.Error{Kind: errs.KindConflict, Key: "lead.stage_order", Message: msg,
		Fields: []errs.FieldError{{Field: field, Key: "lead.stage_order", Message: msg, Value: value}}}
}

// campaignOrLatest checks campaign id, or picks the latest one when it is 0
// (0 when there is none).
func (s *Service) campaignOrLatest(ctx context.Context, id int64) (int64, error) {
	if id != 0 {
		_, err := s.campaign.GetCampaign(ctx, id)
		return id, err
	}
	cs, err := s.campaign.ListCampaigns(ctx)
	if err != nil {
		return 0, err
	}
	for _, c := range cs {
		id = max(id, c.ID)
	}
	return id, nil
}

// campaignLookups is campaignOrLatest with the lookups of units and persons.
func (s *Service) campaignLookups(ctx context.Context, id int64) (int64, *Lookup, *Lookup, error) {
	id, err := s.campaignOrLatest(ctx, id)
	if err != nil {
		return 0, nil, nil, err
	}
	units, persons, err := s.unitsAndPersons(ctx)
	return id, units, persons, err
}

// ImportLeads imports investment leads, matched by code. A new lead starts in
// negotiation; a later stage in the 阶段 column advances it through
// enterprise.Advance one stage at a time, so the rules of the pipeline hold:
// no stage is skipped (each one passed needs its date), none goes back, dates
// are in order, and entering construction makes it a key project of the
// campaign (campaignID, or the latest) with the 责任领导 of the row.
func (s *Service) ImportLeads(ctx context.Context, campaignID int64, r io.Reader, dryRun bool) (xlsx.ImportResult, error) {
	campaignID, units, persons, err := s.campaignLookups(ctx, campaignID)
	if err != nil {
		return xlsx.ImportResult{}, err
	}
	es := s.more.enterprise
	sp := spec[leadRow]{sheet: "招商项目", fields: leadFields, key: func(l leadRow) string { return l.Code }, fieldKey: leadFieldKey,
		parse: func(_ context.Context, rec xlsx.Record, p *Problems) (leadRow, bool) {
			l := leadRow{Code: required(rec, "code", p), Investor: required(rec, "investor", p), Project: required(rec, "project", p),
				Sector: cellText(rec, "sector"), Source: cellText(rec, "source"), Note: cellText(rec, "note"), Amount: parseWanCell(rec, "amount", p),
				UnitID: findCell(rec, "unit", units, p), Top500: parseBool(rec, "top500", p), Stage: parseChoice(rec, "stage", leadStages, p),
				Dates: map[string]date.Date{}, DropReason: rec.Get("drop_reason"), LeaderID: findCell(rec, "leader", persons, p), ItemCode: rec.Get("item_code")}
			for _, st := range enterprise.Stages {
				if d := parseDateCell(rec, stageKey(st), p); d != nil {
					l.Dates[st] = *d
				}
			}
			return l, true
		},
		apply: func(ctx context.Context, row leadRow) (Outcome, error) {
			old, err := es.LeadByCode(ctx, row.Code)
			exists := err == nil
			if err != nil && errs.KindOf(err) != errs.KindNotFound {
				return 0, err
			}
			before := leadInput(old)
			in := enterprise.LeadInput{Code: row.Code}
			if exists {
				in = before
			} else if row.UnitID == nil {
				return 0, errs.Invalid([]errs.FieldError{{Field: "owner_unit_id", Key: "required", Message: "新招商项目须填写责任单位"}})
			}
			in.Investor, in.Project = row.Investor, row.Project
			set(&in.Sector, row.Sector)
			set(&in.Source, row.Source)
			set(&in.Note, row.Note)
			set(&in.AmountWan, row.Amount)
			set(&in.OwnerUnitID, row.UnitID)
			set(&in.Top500, row.Top500)
			if d, ok := row.Dates["negotiating"]; ok {
				in.NegotiatingOn = d
			}
			out, l := Unchanged, old
			switch {
			case !exists:
				if l, err = es.CreateLead(ctx, in); err != nil {
					return 0, err
				}
				out = Created
			case !reflect.DeepEqual(in, before):
				if l, err = es.UpdateLead(ctx, old.ID, old.Version, in); err != nil {
					return 0, err
				}
				out = Updated
			}
			moved, err := s.moveLead(ctx, campaignID, l, row)
			if err != nil {
				return 0, err
			}
			if moved && out == Unchanged {
				out = Updated
			}
			return out, nil
		}}
	return run(ctx, s, sp, r, dryRun)
}

// moveLead brings lead l to the stage of the row, one Advance (or a Drop) at
// a time, and reports whether it moved.
func (s *Service) moveLead(ctx context.Context, campaignID int64, l enterprise.Lead, row leadRow) (bool, error) {
	es := s.more.enterprise
	// A stage already passed keeps its date: the import cannot rewrite it.
	for _, st := range enterprise.Stages[1:] {
		if d, ok := row.Dates[st]; ok && !stageDate(l, st).IsZero() && d != stageDate(l, st) {
			return false, errs.Invalid([]errs.FieldError{{Field: stageKey(st), Key: "lead.stage_date",
				Message: fmt.Sprintf("%s日期已登记为 %s，不能通过导入修改", enterprise.StageLabels[st], stageDate(l, st)), Value: d.String()}})
		}
	}
	if row.Stage == nil || *row.Stage == l.Stage {
		return false, nil
	}
	target := *row.Stage
	label := enterprise.StageLabels
	if target == "dropped" {
		if row.DropReason == "" {
			return false, errs.Invalid([]errs.FieldError{{Field: "reason", Key: "required", Message: "阶段为终止时须填写终止原因"}})
		}
		_, err := es.Drop(ctx, l.ID, l.Version, enterprise.DropInput{Reason: row.DropReason})
		return err == nil, err
	}
	cur, next := slices.Index(enterprise.Stages, l.Stage), slices.Index(enterprise.Stages, target)
	if l.Stage == "dropped" || next < cur {
		return false, stageErr("stage", fmt.Sprintf("招商项目当前为“%s”阶段，不能退回“%s”（阶段只能逐级推进）", label[l.Stage], label[target]), label[target])
	}
	for k := cur + 1; k <= next; k++ {
		st := enterprise.Stages[k]
		on, ok := row.Dates[st]
		if !ok && k < next {
			return false, stageErr(stageKey(st), fmt.Sprintf("招商项目当前为“%s”阶段，不能跳过“%s”直接进入“%s”：请填写%s日期（逐级推进）",
				label[enterprise.Stages[k-1]], label[st], label[target], label[st]), "")
		}
		in := enterprise.AdvanceInput{Stage: st, On: on}
		if st == "started" && l.ItemID == nil {
			if row.LeaderID == nil {
				return false, errs.Invalid([]errs.FieldError{{Field: "item.leader_id", Key: "required",
					Message: "推进到开工时项目转为重点项目，须填写责任领导"}})
			}
			in.Item = &enterprise.KeyProjectInput{CampaignID: campaignID, Code: row.ItemCode, LeaderID: *row.LeaderID}
		}
		var err error
		if l, err = es.Advance(ctx, s.campaign, l.ID, l.Version, in); err != nil {
			var e *errs.Error
			if errors.As(err, &e) && len(e.Fields) == 1 && e.Fields[0].Field == "on" {
				e.Fields[0].Field = stageKey(st) // the date that is out of order
			}
			return false, err
		}
	}
	return true, nil
}
