package campaign

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Item types, levels and states.
var (
	itemTypes  = []string{"reform_task", "key_project", "livelihood_project", "special_action"}
	itemLevels = []string{"", "province", "city", "district"}
	itemStates = []string{"planned", "in_progress", "completed", "suspended"}
)

// Item is a reform task, key project, livelihood project or special action,
// with its accountability: one responsible leader, one lead unit, one work plan.
type Item struct {
	ID                  int64     `json:"id"`
	CampaignID          int64     `json:"campaign_id"`
	Code                string    `json:"code"`
	Name                string    `json:"name"`
	Type                string    `json:"type" enum:"reform_task,key_project,livelihood_project,special_action"`
	Level               string    `json:"level" enum:",province,city,district"`
	State               string    `json:"state" enum:"planned,in_progress,completed,suspended"`
	ParentID            *int64    `json:"parent_id"`
	ZoneID              *int64    `json:"zone_id"`
	ZoneName            string    `json:"zone_name"`
	LeaderID            int64     `json:"leader_id"`
	LeaderName          string    `json:"leader_name"`
	LeadUnitID          int64     `json:"lead_unit_id"`
	LeadUnitName        string    `json:"lead_unit_name"`
	CoUnitIDs           []int64   `json:"co_unit_ids"`
	CoUnits             []UnitRef `json:"co_units" doc:"配合单位"`
	WorkPlan            string    `json:"work_plan"`
	TotalInvestmentWan  float64   `json:"total_investment_wan" doc:"总投资（万元）"`
	AnnualInvestmentWan float64   `json:"annual_investment_wan" doc:"年度计划投资（万元）"`
	StartDate           date.Date `json:"start_date"`
	EndDate             date.Date `json:"end_date"`
	Location            string    `json:"location"`
	Illustrative        bool      `json:"illustrative" doc:"示意数据：原文只给出数量或总额"`
	Note                string    `json:"note"`
	ChildCount          int       `json:"child_count"`
	Version             int       `json:"version"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

// UnitRef names a unit.
type UnitRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ItemInput is what a caller may set on an item.
type ItemInput struct {
	CampaignID          int64     `json:"campaign_id"`
	Code                string    `json:"code" maxLength:"64"`
	Name                string    `json:"name" maxLength:"300"`
	Type                string    `json:"type" enum:"reform_task,key_project,livelihood_project,special_action"`
	Level               string    `json:"level,omitempty" enum:",province,city,district"`
	State               string    `json:"state,omitempty" enum:"planned,in_progress,completed,suspended"`
	ParentID            *int64    `json:"parent_id,omitempty"`
	ZoneID              *int64    `json:"zone_id,omitempty"`
	LeaderID            int64     `json:"leader_id,omitempty" doc:"责任领导（必填）"`
	LeadUnitID          int64     `json:"lead_unit_id,omitempty" doc:"牵头单位（必填）"`
	CoUnitIDs           []int64   `json:"co_unit_ids,omitempty" maxItems:"50"`
	WorkPlan            string    `json:"work_plan,omitempty" maxLength:"20000"`
	TotalInvestmentWan  float64   `json:"total_investment_wan,omitempty"`
	AnnualInvestmentWan float64   `json:"annual_investment_wan,omitempty"`
	StartDate           date.Date `json:"start_date,omitzero"`
	EndDate             date.Date `json:"end_date,omitzero"`
	Location            string    `json:"location,omitempty" maxLength:"500"`
	Illustrative        bool      `json:"illustrative,omitempty"`
	Note                string    `json:"note,omitempty" maxLength:"4000"`
}

// maxWan bounds an amount: 1,000,000 亿元 is beyond any district's project.
const maxWan = 1e10

func (in *ItemInput) check() error {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	if in.State == "" {
		in.State = "in_progress"
	}
	var c errs.Checker
	c.Check(in.CampaignID != 0, "campaign_id", "required", "所属攻坚年不能为空", nil)
	c.Check(in.Code != "", "code", "required", "事项编码不能为空", nil)
	c.Check(in.Name != "", "name", "required", "事项名称不能为空", nil)
	c.Check(slices.Contains(itemTypes, in.Type), "type", "enum", "事项类型应为改革任务、重点项目、为民实事或专项行动", in.Type)
	c.Check(slices.Contains(itemLevels, in.Level), "level", "enum", "项目级别应为省级、市级或区级", in.Level)
	c.Check(slices.Contains(itemStates, in.State), "state", "enum", "事项状态无效", in.State)
	c.Check(in.LeaderID != 0, "leader_id", "item.leader_required", "每个事项必须明确一名责任领导", nil)
	c.Check(in.LeadUnitID != 0, "lead_unit_id", "item.lead_unit_required", "每个事项必须明确一个牵头单位", nil)
	for _, f := range []struct {
		name string
		v    float64
	}{{"total_investment_wan", in.TotalInvestmentWan}, {"annual_investment_wan", in.AnnualInvestmentWan}} {
		c.Check(f.v >= 0 && !math.IsNaN(f.v), f.name, "amount.negative", "投资额不能为负数", f.v)
		c.Check(f.v <= maxWan, f.name, "amount.too_large", "投资额超出合理范围", f.v)
	}
	c.Check(in.TotalInvestmentWan == 0 || in.AnnualInvestmentWan <= in.TotalInvestmentWan,
		"annual_investment_wan", "amount.annual_over_total", "年度计划投资不能大于总投资", in.AnnualInvestmentWan)
	c.Check(in.StartDate.IsZero() || in.EndDate.IsZero() || !in.EndDate.Before(in.StartDate),
		"end_date", "date.order", "完成日期不能早于开始日期", in.EndDate.String())
	for _, u := range in.CoUnitIDs {
		c.Check(u != in.LeadUnitID, "co_unit_ids", "item.co_unit_is_lead", "配合单位不能与牵头单位相同", u)
	}
	return c.Err()
}

// wanToYuan stores 万元 as whole yuan so sums are exact.
func wanToYuan(w float64) int64 { return int64(math.Round(w * 10000)) }

func yuanToWan(y int64) float64 { return float64(y) / 10000 }

const itemSelect = `SELECT i.id, i.campaign_id, i.code, i.name, i.type, i.level, i.state, i.parent_id, i.zone_id, COALESCE(z.name, ''),
	i.leader_id, p.name, i.lead_unit_id, u.name, i.work_plan, i.total_investment, i.annual_investment, i.start_date, i.end_date,
	i.location, i.illustrative, i.note, (SELECT COUNT(*) FROM items c WHERE c.parent_id = i.id), i.version, i.created_at, i.updated_at
	FROM items i JOIN persons p ON p.id = i.leader_id JOIN units u ON u.id = i.lead_unit_id LEFT JOIN zones z ON z.id = i.zone_id`

func scanItem(s interface{ Scan(...any) error }) (Item, error) {
	var it Item
	var parent, zone sql.NullInt64
	var total, annual int64
	err := s.Scan(&it.ID, &it.CampaignID, &it.Code, &it.Name, &it.Type, &it.Level, &it.State, &parent, &zone, &it.ZoneName,
		&it.LeaderID, &it.LeaderName, &it.LeadUnitID, &it.LeadUnitName, &it.WorkPlan, &total, &annual, &it.StartDate, &it.EndDate,
		&it.Location, &it.Illustrative, &it.Note, &it.ChildCount, &it.Version, &it.CreatedAt, &it.UpdatedAt)
	it.ParentID, it.ZoneID = nullID(parent), nullID(zone)
	it.TotalInvestmentWan, it.AnnualInvestmentWan = yuanToWan(total), yuanToWan(annual)
	it.CoUnitIDs, it.CoUnits = []int64{}, []UnitRef{}
	return it, err
}

func getItem(ctx context.Context, q store.Querier, id int64) (Item, error) {
	it, err := scanItem(q.QueryRow(ctx, itemSelect+` WHERE i.id = ?`, id))
	if store.IsNoRows(err) {
		return it, errs.NotFound("事项", id)
	}
	if err != nil {
		return it, fmt.Errorf("get item %d: %w", id, err)
	}
	items := []Item{it}
	if err := fillCoUnits(ctx, q, items); err != nil {
		return it, err
	}
	return items[0], nil
}

var itemKind = audit.Kind[Item]{Entity: "item", Label: "事项", Get: getItem, Version: func(it Item) int { return it.Version }}

// ItemFilter narrows ListItems; zero fields do not filter.
type ItemFilter struct {
	CampaignID int64
	Type       string
	Level      string
	State      string
	ZoneID     int64 // the zone and the grids below it
	UnitID     int64 // lead or co-operating unit
	LeaderID   int64
	ParentID   int64
	TopLevel   bool // only items without a parent
	NoZone     bool // only items outside every zone
	Q          string
	Sort       string
	Page       store.Page
}

// ItemList is a page of items with the totals of the whole filtered set.
type ItemList struct {
	Items               []Item  `json:"items"`
	Total               int     `json:"total" doc:"符合条件的事项总数"`
	TotalInvestmentWan  float64 `json:"total_investment_wan" doc:"符合条件的事项总投资合计（万元）"`
	AnnualInvestmentWan float64 `json:"annual_investment_wan" doc:"符合条件的事项年度计划投资合计（万元）"`
}

var itemSorts = map[string]string{
	"code": "i.code", "name": "i.name", "type": "i.type", "level": "i.level", "state": "i.state",
	"total_investment": "i.total_investment", "annual_investment": "i.annual_investment",
	"start_date": "i.start_date", "end_date": "i.end_date", "updated_at": "i.updated_at",
	"leader": "p.name", "lead_unit": "u.name", "zone": "z.name",
}

// ListItems returns the items the actor may see that match f.
func (s *Service) ListItems(ctx context.Context, f ItemFilter) (ItemList, error) {
	q := s.db.Read()
	w, err := scopeWhere(ctx, q, access.From(ctx))
	if err != nil {
		return ItemList{}, err
	}
	if f.CampaignID != 0 {
		w.Add(`i.campaign_id = ?`, f.CampaignID)
	}
	for _, eq := range []struct{ col, v string }{{"i.type", f.Type}, {"i.level", f.Level}, {"i.state", f.State}} {
		if eq.v != "" {
			w.Add(eq.col+` = ?`, eq.v)
		}
	}
	if f.ZoneID != 0 {
		w.Add(`(i.zone_id = ? OR i.zone_id IN (SELECT id FROM zones WHERE parent_id = ?))`, f.ZoneID, f.ZoneID)
	}
	if f.UnitID != 0 {
		w.Add(`(i.lead_unit_id = ? OR EXISTS (SELECT 1 FROM item_units iu WHERE iu.item_id = i.id AND iu.unit_id = ?))`, f.UnitID, f.UnitID)
	}
	if f.LeaderID != 0 {
		w.Add(`i.leader_id = ?`, f.LeaderID)
	}
	if f.ParentID != 0 {
		w.Add(`i.parent_id = ?`, f.ParentID)
	}
	if f.TopLevel {
		w.Add(`i.parent_id IS NULL`)
	}
	if f.NoZone {
		w.Add(`i.zone_id IS NULL`)
	}
	if f.Q != "" {
		p := store.Contains(f.Q)
		w.Add(`(i.name LIKE ? ESCAPE '\' OR i.code LIKE ? ESCAPE '\')`, p, p)
	}
	order, err := store.OrderBy(f.Sort, itemSorts, "code", "i.id")
	if err != nil {
		return ItemList{}, err
	}
	// Every filter is on items alone and the joined ids are required foreign
	// keys, so the totals need no joins (they cost 3× as much with them).
	out := ItemList{Items: []Item{}}
	var total, annual int64
	if err := q.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(i.total_investment), 0), COALESCE(SUM(i.annual_investment), 0) FROM items i`+w.SQL(), w.Args...).
		Scan(&out.Total, &total, &annual); err != nil {
		return out, fmt.Errorf("count items: %w", err)
	}
	out.TotalInvestmentWan, out.AnnualInvestmentWan = yuanToWan(total), yuanToWan(annual)
	rows, err := q.Query(ctx, itemSelect+w.SQL()+order+f.Page.LimitOffset(), w.Args...)
	if err != nil {
		return out, fmt.Errorf("list items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return out, fmt.Errorf("scan item: %w", err)
		}
		out.Items = append(out.Items, it)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	return out, fillCoUnits(ctx, q, out.Items)
}

// fillCoUnits loads the co-operating units of a page of items in one query.
func fillCoUnits(ctx context.Context, q store.Querier, items []Item) error {
	if len(items) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(items))
	args := make([]any, len(items))
	for i, it := range items {
		idx[it.ID], args[i] = i, it.ID
	}
	rows, err := q.Query(ctx, `SELECT iu.item_id, iu.unit_id, u.name FROM item_units iu JOIN units u ON u.id = iu.unit_id
		WHERE iu.item_id IN (`+store.Placeholders(len(items))+`) ORDER BY u.sort_order, u.code`, args...)
	if err != nil {
		return fmt.Errorf("co units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var item int64
		var u UnitRef
		if err := rows.Scan(&item, &u.ID, &u.Name); err != nil {
			return err
		}
		it := &items[idx[item]]
		it.CoUnitIDs, it.CoUnits = append(it.CoUnitIDs, u.ID), append(it.CoUnits, u)
	}
	return rows.Err()
}

// GetItem returns one item the actor may see.
func (s *Service) GetItem(ctx context.Context, id int64) (Item, error) {
	q := s.db.Read()
	if err := checkVisible(ctx, q, id); err != nil {
		return Item{}, err
	}
	return getItem(ctx, q, id)
}

// CreateItem adds an item.
func (s *Service) CreateItem(ctx context.Context, in ItemInput) (Item, error) {
	if err := in.check(); err != nil {
		return Item{}, err
	}
	return audit.Create(ctx, s.db, itemKind, func(q store.Querier) (id int64, err error) {
		if err := checkItemRefs(ctx, q, in, 0); err != nil {
			return 0, err
		}
		now := time.Now().UTC()
		err = q.QueryRow(ctx, `INSERT INTO items (campaign_id, code, name, type, level, state, parent_id, zone_id, leader_id, lead_unit_id,
			work_plan, total_investment, annual_investment, start_date, end_date, location, illustrative, note, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.CampaignID, in.Code, in.Name, in.Type, in.Level, in.State, in.ParentID, in.ZoneID, in.LeaderID, in.LeadUnitID,
			in.WorkPlan, wanToYuan(in.TotalInvestmentWan), wanToYuan(in.AnnualInvestmentWan), in.StartDate, in.EndDate,
			in.Location, in.Illustrative, in.Note, now, now).Scan(&id)
		if err := writeErr(err, "事项", in.Code); err != nil {
			return 0, err
		}
		return id, setCoUnits(ctx, q, id, in.CoUnitIDs)
	})
}

// UpdateItem changes an item if version is still current.
func (s *Service) UpdateItem(ctx context.Context, id int64, version int, in ItemInput) (Item, error) {
	if err := in.check(); err != nil {
		return Item{}, err
	}
	if err := checkVisible(ctx, s.db.Read(), id); err != nil {
		return Item{}, err
	}
	return audit.Update(ctx, s.db, itemKind, id, version, func(q store.Querier, before Item) error {
		if before.CampaignID != in.CampaignID {
			return errs.Invalid([]errs.FieldError{{Field: "campaign_id", Key: "immutable", Message: "事项不能移到其他攻坚年", Value: in.CampaignID}})
		}
		if err := checkItemRefs(ctx, q, in, id); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `UPDATE items SET code = ?, name = ?, type = ?, level = ?, state = ?, parent_id = ?, zone_id = ?, leader_id = ?,
			lead_unit_id = ?, work_plan = ?, total_investment = ?, annual_investment = ?, start_date = ?, end_date = ?, location = ?,
			illustrative = ?, note = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			in.Code, in.Name, in.Type, in.Level, in.State, in.ParentID, in.ZoneID, in.LeaderID, in.LeadUnitID, in.WorkPlan,
			wanToYuan(in.TotalInvestmentWan), wanToYuan(in.AnnualInvestmentWan), in.StartDate, in.EndDate, in.Location,
			in.Illustrative, in.Note, time.Now().UTC(), id)
		if err := writeErr(err, "事项", in.Code); err != nil {
			return err
		}
		if _, err := q.Exec(ctx, `DELETE FROM item_units WHERE item_id = ?`, id); err != nil {
			return fmt.Errorf("clear co units: %w", err)
		}
		return setCoUnits(ctx, q, id, in.CoUnitIDs)
	})
}

// DeleteItem removes an item without sub-items; its milestones and targets go with it.
func (s *Service) DeleteItem(ctx context.Context, id int64, version int) error {
	if err := checkVisible(ctx, s.db.Read(), id); err != nil {
		return err
	}
	return audit.Delete(ctx, s.db, itemKind, id, version, func(q store.Querier, _ Item) error {
		_, err := q.Exec(ctx, `DELETE FROM items WHERE id = ?`, id)
		return deleteErr(err, "事项", "该事项下仍有子事项，不能删除")
	})
}

func setCoUnits(ctx context.Context, q store.Querier, id int64, units []int64) error {
	seen := map[int64]bool{}
	for _, u := range units {
		if seen[u] {
			continue
		}
		seen[u] = true
		_, err := q.Exec(ctx, `INSERT INTO item_units (item_id, unit_id) VALUES (?, ?)`, id, u)
		if store.IsForeignKey(err) {
			return errs.Invalid([]errs.FieldError{{Field: "co_unit_ids", Key: "not_found", Message: fmt.Sprintf("配合单位 %d 不存在", u), Value: u}})
		}
		if err != nil {
			return fmt.Errorf("insert co unit: %w", err)
		}
	}
	return nil
}

// checkItemRefs names each reference that does not exist, or points into
// another campaign, before the insert would fail on a bare foreign key.
func checkItemRefs(ctx context.Context, q store.Querier, in ItemInput, self int64) error {
	var c errs.Checker
	exists := func(query string, args ...any) (bool, error) {
		var n int
		err := q.QueryRow(ctx, query, args...).Scan(&n)
		return n > 0, err
	}
	checks := []struct {
		ok              bool
		query           string
		args            []any
		field, key, msg string
		value           any
	}{
		{true, `SELECT COUNT(*) FROM campaigns WHERE id = ?`, []any{in.CampaignID}, "campaign_id", "not_found", "所属攻坚年不存在", in.CampaignID},
		{true, `SELECT COUNT(*) FROM persons WHERE id = ?`, []any{in.LeaderID}, "leader_id", "not_found", "责任领导不存在", in.LeaderID},
		{true, `SELECT COUNT(*) FROM units WHERE id = ?`, []any{in.LeadUnitID}, "lead_unit_id", "not_found", "牵头单位不存在", in.LeadUnitID},
		{in.ZoneID != nil, `SELECT COUNT(*) FROM zones WHERE id = ? AND campaign_id = ?`, []any{deref(in.ZoneID), in.CampaignID},
			"zone_id", "not_found", "所属战区不存在或不属于该攻坚年", in.ZoneID},
		{in.ParentID != nil, `SELECT COUNT(*) FROM items WHERE id = ? AND campaign_id = ?`, []any{deref(in.ParentID), in.CampaignID},
			"parent_id", "not_found", "上级事项不存在或不属于该攻坚年", in.ParentID},
	}
	for _, ch := range checks {
		if !ch.ok {
			continue
		}
		ok, err := exists(ch.query, ch.args...)
		if err != nil {
			return fmt.Errorf("check %s: %w", ch.field, err)
		}
		c.Check(ok, ch.field, ch.key, ch.msg, ch.value)
	}
	if in.ParentID != nil && self != 0 {
		for p, depth := *in.ParentID, 0; p != 0 && depth < 32; depth++ {
			if p == self {
				c.Add("parent_id", "item.cycle", "上级事项不能是本事项或其子事项", *in.ParentID)
				break
			}
			var next sql.NullInt64
			if err := q.QueryRow(ctx, `SELECT parent_id FROM items WHERE id = ?`, p).Scan(&next); err != nil && !store.IsNoRows(err) {
				return fmt.Errorf("check item parent: %w", err)
			}
			p = next.Int64
		}
	}
	return c.Err()
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
