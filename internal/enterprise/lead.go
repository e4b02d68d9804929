package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Stages are the pipeline's stages in order; "dropped" leaves it.
var Stages = []string{"negotiating", "signed", "registered", "started", "operating"}

// StageLabels name the stages in Chinese.
var StageLabels = map[string]string{"negotiating": "洽谈", "signed": "签约", "registered": "注册落地", "started": "开工",
	"operating": "投产", "dropped": "终止"}

// BillionYuan is the threshold of a "10亿元以上" project.
const BillionYuan = 1_000_000_000

// Lead is an investment lead (招商项目) in the pipeline.
type Lead struct {
	ID            int64     `json:"id"`
	Code          string    `json:"code"`
	Investor      string    `json:"investor" doc:"投资方"`
	Project       string    `json:"project" doc:"项目名称"`
	Sector        string    `json:"sector" doc:"产业领域"`
	AmountWan     float64   `json:"amount_wan" doc:"投资额（万元）"`
	Source        string    `json:"source" doc:"线索来源"`
	OwnerUnitID   int64     `json:"owner_unit_id" doc:"责任单位"`
	OwnerUnitName string    `json:"owner_unit_name"`
	Top500        bool      `json:"top500" doc:"投资方为三类五百强"`
	AboveBillion  bool      `json:"above_billion" doc:"投资额10亿元以上"`
	Stage         string    `json:"stage" enum:"negotiating,signed,registered,started,operating,dropped"`
	NegotiatingOn date.Date `json:"negotiating_on"`
	SignedOn      date.Date `json:"signed_on"`
	RegisteredOn  date.Date `json:"registered_on"`
	StartedOn     date.Date `json:"started_on"`
	OperatingOn   date.Date `json:"operating_on"`
	DroppedOn     date.Date `json:"dropped_on"`
	DroppedFrom   string    `json:"dropped_from" doc:"终止时所处阶段"`
	DropReason    string    `json:"drop_reason"`
	StageOn       date.Date `json:"stage_on" doc:"进入当前阶段的日期"`
	EnterpriseID  *int64    `json:"enterprise_id" doc:"注册落地的企业"`
	ItemID        *int64    `json:"item_id" doc:"开工后转成的重点项目"`
	ItemCode      string    `json:"item_code"`
	Illustrative  bool      `json:"illustrative"`
	Note          string    `json:"note"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// LeadInput is what a caller sets on a lead; stages move by Advance and Drop.
type LeadInput struct {
	Code          string    `json:"code" maxLength:"64"`
	Investor      string    `json:"investor" maxLength:"200"`
	Project       string    `json:"project" maxLength:"300"`
	Sector        string    `json:"sector,omitempty" maxLength:"100"`
	AmountWan     float64   `json:"amount_wan,omitempty" doc:"投资额（万元）"`
	Source        string    `json:"source,omitempty" maxLength:"200"`
	OwnerUnitID   int64     `json:"owner_unit_id"`
	Top500        bool      `json:"top500,omitempty"`
	NegotiatingOn date.Date `json:"negotiating_on,omitzero" doc:"开始洽谈日期，默认今天"`
	EnterpriseID  *int64    `json:"enterprise_id,omitempty"`
	Illustrative  bool      `json:"illustrative,omitempty"`
	Note          string    `json:"note,omitempty" maxLength:"4000"`
}

func (in *LeadInput) check() error {
	in.Code, in.Investor, in.Project = strings.TrimSpace(in.Code), strings.TrimSpace(in.Investor), strings.TrimSpace(in.Project)
	if in.NegotiatingOn.IsZero() {
		in.NegotiatingOn = date.Of(time.Now())
	}
	var c errs.Checker
	c.Check(in.Code != "", "code", "required", "项目编号不能为空", nil)
	c.Check(in.Investor != "", "investor", "required", "投资方不能为空", nil)
	c.Check(in.Project != "", "project", "required", "项目名称不能为空", nil)
	c.Check(in.OwnerUnitID != 0, "owner_unit_id", "required", "请选择责任单位", nil)
	checkWan(&c, "amount_wan", in.AmountWan)
	return c.Err()
}

const leadSelect = `SELECT l.id, l.code, l.investor, l.project, l.sector, l.amount, l.source, l.owner_unit_id, u.name, l.top500, l.stage,
	l.negotiating_on, l.signed_on, l.registered_on, l.started_on, l.operating_on, l.dropped_on, l.dropped_from, l.drop_reason, l.stage_on,
	l.enterprise_id, l.item_id, COALESCE(i.code, ''), l.illustrative, l.note, l.version, l.created_at, l.updated_at
	FROM investment_leads l JOIN units u ON u.id = l.owner_unit_id LEFT JOIN items i ON i.id = l.item_id`

func scanLead(s scanner) (Lead, error) {
	var l Lead
	var amount int64
	var ent, item sql.NullInt64
	err := s.Scan(&l.ID, &l.Code, &l.Investor, &l.Project, &l.Sector, &amount, &l.Source, &l.OwnerUnitID, &l.OwnerUnitName, &l.Top500, &l.Stage,
		&l.NegotiatingOn, &l.SignedOn, &l.RegisteredOn, &l.StartedOn, &l.OperatingOn, &l.DroppedOn, &l.DroppedFrom, &l.DropReason, &l.StageOn,
		&ent, &item, &l.ItemCode, &l.Illustrative, &l.Note, &l.Version, &l.CreatedAt, &l.UpdatedAt)
	l.AmountWan, l.AboveBillion = yuanToWan(amount), amount >= BillionYuan
	l.EnterpriseID, l.ItemID = nullID(ent), nullID(item)
	return l, err
}

func getLead(ctx context.Context, q store.Querier, id int64) (Lead, error) {
	l, err := scanLead(q.QueryRow(ctx, leadSelect+` WHERE l.id = ?`, id))
	if store.IsNoRows(err) {
		return l, errs.NotFound("招商项目", id)
	}
	if err != nil {
		return l, fmt.Errorf("get lead %d: %w", id, err)
	}
	return l, nil
}

var leadKind = audit.Kind[Lead]{Entity: "investment_lead", Label: "招商项目", Get: getLead, Version: func(l Lead) int { return l.Version }}

// LeadFilter narrows ListLeads.
type LeadFilter struct {
	Stage        string
	Sector       string
	OwnerUnitID  int64
	Top500       bool
	AboveBillion bool
	From, To     date.Date // date of entering the current stage
	Q            string
	Sort         string
	Page         store.Page
}

// LeadList is a page of leads with the amount of the filtered set.
type LeadList struct {
	Items     []Lead  `json:"items"`
	Total     int     `json:"total"`
	AmountWan float64 `json:"amount_wan"`
}

var leadSorts = map[string]string{"code": "l.code", "amount": "l.amount", "stage_on": "l.stage_on", "negotiating_on": "l.negotiating_on",
	"investor": "l.investor", "project": "l.project", "sector": "l.sector"}

func (f LeadFilter) where() store.Where {
	var w store.Where
	if f.Stage != "" {
		w.Add(`l.stage = ?`, f.Stage)
	}
	if f.Sector != "" {
		w.Add(`l.sector = ?`, f.Sector)
	}
	if f.OwnerUnitID != 0 {
		w.Add(`l.owner_unit_id = ?`, f.OwnerUnitID)
	}
	if f.Top500 {
		w.Add(`l.top500 = ?`, true)
	}
	if f.AboveBillion {
		w.Add(`l.amount >= ?`, int64(BillionYuan))
	}
	if !f.From.IsZero() {
		w.Add(`l.stage_on >= ?`, f.From)
	}
	if !f.To.IsZero() {
		w.Add(`l.stage_on <= ?`, f.To)
	}
	if f.Q != "" {
		p := store.Contains(f.Q)
		w.Add(`(l.investor LIKE ? ESCAPE '\' OR l.project LIKE ? ESCAPE '\' OR l.code LIKE ? ESCAPE '\')`, p, p, p)
	}
	return w
}

// ListLeads returns the leads matching f.
func (s *Service) ListLeads(ctx context.Context, f LeadFilter) (LeadList, error) {
	q := s.db.Read()
	w := f.where()
	order, err := store.OrderBy(f.Sort, leadSorts, "code", "l.id")
	if err != nil {
		return LeadList{}, err
	}
	out := LeadList{Items: []Lead{}}
	var amount int64
	if err := q.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(l.amount), 0) FROM investment_leads l`+w.SQL(), w.Args...).Scan(&out.Total, &amount); err != nil {
		return out, fmt.Errorf("count leads: %w", err)
	}
	out.AmountWan = yuanToWan(amount)
	rows, err := q.Query(ctx, leadSelect+w.SQL()+order+f.Page.LimitOffset(), w.Args...)
	if err != nil {
		return out, fmt.Errorf("list leads: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		l, err := scanLead(rows)
		if err != nil {
			return out, fmt.Errorf("scan lead: %w", err)
		}
		out.Items = append(out.Items, l)
	}
	return out, rows.Err()
}

// GetLead returns one lead.
func (s *Service) GetLead(ctx context.Context, id int64) (Lead, error) {
	return getLead(ctx, s.db.Read(), id)
}

func checkLeadRefs(ctx context.Context, q store.Querier, in LeadInput) error {
	var c errs.Checker
	ok, err := exists(ctx, q, `SELECT COUNT(*) FROM units WHERE id = ?`, in.OwnerUnitID)
	if err != nil {
		return fmt.Errorf("check unit: %w", err)
	}
	c.Check(ok, "owner_unit_id", "not_found", "责任单位不存在", in.OwnerUnitID)
	if in.EnterpriseID != nil {
		ok, err := exists(ctx, q, `SELECT COUNT(*) FROM enterprises WHERE id = ?`, *in.EnterpriseID)
		if err != nil {
			return fmt.Errorf("check enterprise: %w", err)
		}
		c.Check(ok, "enterprise_id", "not_found", "企业不存在", *in.EnterpriseID)
	}
	return c.Err()
}

func leadWriteErr(err error, code string) error {
	if store.IsUnique(err) {
		return errs.Duplicate("code", code)
	}
	if err != nil {
		return fmt.Errorf("write lead: %w", err)
	}
	return nil
}

// CreateLead adds a lead in negotiation.
func (s *Service) CreateLead(ctx context.Context, in LeadInput) (Lead, error) {
	if err := in.check(); err != nil {
		return Lead{}, err
	}
	return audit.Create(ctx, s.db, leadKind, func(q store.Querier) (id int64, err error) {
		if err := checkLeadRefs(ctx, q, in); err != nil {
			return 0, err
		}
		now := time.Now().UTC()
		err = q.QueryRow(ctx, `INSERT INTO investment_leads (code, investor, project, sector, amount, source, owner_unit_id, top500, stage,
			negotiating_on, stage_on, enterprise_id, illustrative, note, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'negotiating', ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Code, in.Investor, in.Project, in.Sector, wanToYuan(in.AmountWan), in.Source, in.OwnerUnitID, in.Top500,
			in.NegotiatingOn, in.NegotiatingOn, in.EnterpriseID, in.Illustrative, in.Note, now, now).Scan(&id)
		return id, leadWriteErr(err, in.Code)
	})
}

// UpdateLead changes a lead's particulars; its stage and dates move by Advance and Drop.
func (s *Service) UpdateLead(ctx context.Context, id int64, version int, in LeadInput) (Lead, error) {
	if err := in.check(); err != nil {
		return Lead{}, err
	}
	return audit.Update(ctx, s.db, leadKind, id, version, func(q store.Querier, before Lead) error {
		if err := checkLeadRefs(ctx, q, in); err != nil {
			return err
		}
		if !before.SignedOn.IsZero() && in.NegotiatingOn.After(before.SignedOn) {
			return errs.Invalid([]errs.FieldError{{Field: "negotiating_on", Key: "date.order", Message: "洽谈日期不能晚于签约日期", Value: in.NegotiatingOn.String()}})
		}
		stageOn := before.StageOn
		if before.Stage == "negotiating" {
			stageOn = in.NegotiatingOn
		}
		_, err := q.Exec(ctx, `UPDATE investment_leads SET code = ?, investor = ?, project = ?, sector = ?, amount = ?, source = ?, owner_unit_id = ?,
			top500 = ?, negotiating_on = ?, stage_on = ?, enterprise_id = ?, illustrative = ?, note = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			in.Code, in.Investor, in.Project, in.Sector, wanToYuan(in.AmountWan), in.Source, in.OwnerUnitID, in.Top500, in.NegotiatingOn, stageOn,
			in.EnterpriseID, in.Illustrative, in.Note, time.Now().UTC(), id)
		return leadWriteErr(err, in.Code)
	})
}

// DeleteLead removes a lead; a key project it became stays.
func (s *Service) DeleteLead(ctx context.Context, id int64, version int) error {
	return audit.Delete(ctx, s.db, leadKind, id, version, func(q store.Querier, _ Lead) error {
		_, err := q.Exec(ctx, `DELETE FROM investment_leads WHERE id = ?`, id)
		return err
	})
}

// AdvanceInput moves a lead to its next stage on a date. Entering
// construction ("started") makes the lead a key project: Item says how.
type AdvanceInput struct {
	Stage        string           `json:"stage" enum:"signed,registered,started,operating" doc:"下一阶段"`
	On           date.Date        `json:"on,omitzero" doc:"进入该阶段的日期，默认今天"`
	EnterpriseID *int64           `json:"enterprise_id,omitempty" doc:"注册落地时登记的企业"`
	Item         *KeyProjectInput `json:"item,omitempty" doc:"开工时转为重点项目：所属攻坚年、编码、责任领导等"`
	Note         string           `json:"note,omitempty" maxLength:"2000"`
}

// KeyProjectInput is what the key project made from a lead needs beyond the
// lead itself: the campaign, a code and the responsible leader (1+1+1+1).
type KeyProjectInput struct {
	CampaignID int64  `json:"campaign_id"`
	Code       string `json:"code,omitempty" maxLength:"64" doc:"事项编码，默认为招商项目编号"`
	LeaderID   int64  `json:"leader_id" doc:"责任领导"`
	LeadUnitID int64  `json:"lead_unit_id,omitempty" doc:"牵头单位，默认为招商项目的责任单位"`
	Level      string `json:"level,omitempty" enum:",province,city,district"`
	ZoneID     *int64 `json:"zone_id,omitempty"`
	WorkPlan   string `json:"work_plan,omitempty" maxLength:"20000"`
}

// Advance moves a lead one stage on. Stages cannot be skipped or go back, and
// each date is on or after the previous one. When the lead starts
// construction it becomes a key project through items (cs) in the same
// transaction, so either both change or neither.
func (s *Service) Advance(ctx context.Context, cs *campaign.Service, id int64, version int, in AdvanceInput) (Lead, error) {
	if in.On.IsZero() {
		in.On = date.Of(time.Now())
	}
	before, err := getLead(ctx, s.db.Read(), id)
	if err != nil {
		return Lead{}, err
	}
	if before.Version != version {
		return Lead{}, errs.Stale("招商项目")
	}
	cur := slices.Index(Stages, before.Stage)
	next := slices.Index(Stages, in.Stage)
	if before.Stage == "dropped" || cur < 0 || next != cur+1 {
		msg := fmt.Sprintf("招商项目当前为“%s”阶段，不能进入“%s”", StageLabels[before.Stage], StageLabels[in.Stage])
		if cur >= 0 && cur+1 < len(Stages) {
			msg += fmt.Sprintf("（下一阶段是“%s”）", StageLabels[Stages[cur+1]])
		}
		return Lead{}, &errs.Error{Kind: errs.KindConflict, Key: "lead.stage_order", Message: msg,
			Fields: []errs.FieldError{{Field: "stage", Key: "lead.stage_order", Message: msg, Value: in.Stage}}}
	}
	if in.On.Before(before.StageOn) {
		return Lead{}, errs.Invalid([]errs.FieldError{{Field: "on", Key: "date.order",
			Message: fmt.Sprintf("%s日期不能早于%s日期（%s）", StageLabels[in.Stage], StageLabels[before.Stage], before.StageOn.Chinese()), Value: in.On.String()}})
	}
	needItem := in.Stage == "started" && before.ItemID == nil
	if needItem {
		if a := access.From(ctx); a != nil && !a.Can(access.ItemEdit) {
			return Lead{}, errs.Forbidden("开工的招商项目要转为重点项目，需要事项编辑权限（督查室）")
		}
		if in.Item == nil {
			return Lead{}, errs.Invalid([]errs.FieldError{{Field: "item", Key: "required",
				Message: "开工时须将项目转为重点项目：请填写所属攻坚年和责任领导"}})
		}
	}
	col := in.Stage + "_on"
	var out Lead
	err = s.db.Tx(ctx, func(q store.Querier) error {
		tctx := store.WithTx(ctx, q)
		var itemID *int64
		if needItem {
			it, err := cs.CreateItem(tctx, keyProject(before, in))
			if err != nil {
				return prefixItemErr(err)
			}
			itemID = &it.ID
		}
		var err error
		out, err = audit.Update(tctx, s.db, leadKind, id, version, func(q store.Querier, _ Lead) error {
			if in.EnterpriseID != nil {
				ok, err := exists(ctx, q, `SELECT COUNT(*) FROM enterprises WHERE id = ?`, *in.EnterpriseID)
				if err != nil {
					return err
				}
				if !ok {
					return errs.Invalid([]errs.FieldError{{Field: "enterprise_id", Key: "not_found", Message: "企业不存在", Value: *in.EnterpriseID}})
				}
			}
			note := before.Note
			if in.Note != "" {
				note = strings.TrimSpace(note + "\n" + in.On.String() + " " + StageLabels[in.Stage] + "：" + in.Note)
			}
			// col is one of the five stage columns, chosen from Stages above.
			_, err := q.Exec(ctx, `UPDATE investment_leads SET stage = ?, `+col+` = ?, stage_on = ?, enterprise_id = COALESCE(?, enterprise_id),
				item_id = COALESCE(?, item_id), note = ?, version = version + 1, updated_at = ? WHERE id = ?`,
				in.Stage, in.On, in.On, in.EnterpriseID, itemID, note, time.Now().UTC(), id)
			return err
		})
		return err
	})
	return out, err
}

func keyProject(l Lead, in AdvanceInput) campaign.ItemInput {
	p := in.Item
	code, unit := p.Code, p.LeadUnitID
	if code == "" {
		code = l.Code
	}
	if unit == 0 {
		unit = l.OwnerUnitID
	}
	return campaign.ItemInput{CampaignID: p.CampaignID, Code: code, Name: l.Project, Type: "key_project", Level: p.Level,
		State: "in_progress", ZoneID: p.ZoneID, LeaderID: p.LeaderID, LeadUnitID: unit, WorkPlan: p.WorkPlan,
		TotalInvestmentWan: l.AmountWan, StartDate: in.On, Illustrative: l.Illustrative,
		Note: fmt.Sprintf("由招商项目 %s（%s）开工转入", l.Code, l.Investor)}
}

// prefixItemErr names the item's fields as the request's item.* fields.
func prefixItemErr(err error) error {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = make([]errs.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Field = "item." + f.Field
		c.Fields[i] = f
	}
	return &c
}

// DropInput ends a lead with a reason.
type DropInput struct {
	Reason string    `json:"reason" maxLength:"2000"`
	On     date.Date `json:"on,omitzero"`
}

// Drop takes a lead out of the pipeline with a reason; an operating lead
// cannot be dropped.
func (s *Service) Drop(ctx context.Context, id int64, version int, in DropInput) (Lead, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	if in.On.IsZero() {
		in.On = date.Of(time.Now())
	}
	if in.Reason == "" {
		return Lead{}, errs.Invalid([]errs.FieldError{{Field: "reason", Key: "required", Message: "请填写终止原因"}})
	}
	return audit.Update(ctx, s.db, leadKind, id, version, func(q store.Querier, before Lead) error {
		if before.Stage == "dropped" || before.Stage == "operating" {
			return &errs.Error{Kind: errs.KindConflict, Key: "lead.stage_order",
				Message: fmt.Sprintf("招商项目当前为“%s”，不能终止", StageLabels[before.Stage])}
		}
		if in.On.Before(before.StageOn) {
			return errs.Invalid([]errs.FieldError{{Field: "on", Key: "date.order", Message: "终止日期不能早于进入当前阶段的日期", Value: in.On.String()}})
		}
		_, err := q.Exec(ctx, `UPDATE investment_leads SET stage = 'dropped', dropped_on = ?, dropped_from = ?, drop_reason = ?, stage_on = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, in.On, before.Stage, in.Reason, in.On, time.Now().UTC(), id)
		return err
	})
}
