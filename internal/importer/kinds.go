package importer

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"slices"

	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/org"
	"gongjian/internal/store"
	"gongjian/internal/xlsx"
)

// Kinds are the imports this package offers, by the name used in routes.
var Kinds = []string{"units", "persons", "items", "milestones", "targets", "enterprises", "visits", "leads", "cases"}

var (
	unitKinds      = choice{[]string{"leadership", "bureau", "street", "soe", "other"}, []string{"区委区政府", "部门", "街道", "区属国企", "其他"}}
	itemTypes      = choice{[]string{"reform_task", "key_project", "livelihood_project", "special_action"}, []string{"改革任务", "重点项目", "为民实事", "专项行动"}}
	itemLevels     = choice{[]string{"province", "city", "district"}, []string{"省级", "市级", "区级"}}
	itemStates     = choice{[]string{"planned", "in_progress", "completed", "suspended"}, []string{"谋划中", "推进中", "已完成", "暂缓"}}
	milestoneKinds = choice{[]string{"relocation_cleared", "construction_started", "completed", "opened", "delivered", "other"}, []string{"征迁清零", "开工", "竣工", "开街运营", "交付", "其他"}}
	directions     = choice{[]string{"higher", "lower"}, []string{"越大越好", "越小越好"}}
)

func f(key string, required bool, labels ...string) xlsx.Field {
	return xlsx.Field{Key: key, Labels: labels, Required: required}
}

// cellText is an optional text cell: nil when the column is absent or empty.
func cellText(rec xlsx.Record, key string) *string {
	if v := rec.Get(key); v != "" {
		return &v
	}
	return nil
}

func parseChoice(rec xlsx.Record, key string, c choice, p *Problems) *string {
	v := rec.Get(key)
	if v == "" {
		return nil
	}
	code, ok := c.find(v)
	if !ok {
		p.Add(rec, key, v, fmt.Sprintf("“%s”不是可选的值，应为：%s", v, joinLabels(c)))
		return nil
	}
	return &code
}

func joinLabels(c choice) string {
	s := ""
	for i, l := range c.labels {
		if i > 0 {
			s += "、"
		}
		s += l
	}
	return s
}

func parseDateCell(rec xlsx.Record, key string, p *Problems) *date.Date {
	return cell(rec, key, p, xlsx.ParseDate)
}

func parseWanCell(rec xlsx.Record, key string, p *Problems) *float64 {
	v := rec.Get(key)
	if v == "" {
		return nil
	}
	y, err := xlsx.ParseYuan(v, "万元")
	if err != nil {
		p.Add(rec, key, v, err.Error())
		return nil
	}
	w := float64(y) / 10000
	return &w
}

func parseNumberCell(rec xlsx.Record, key string, p *Problems) *float64 {
	return cell(rec, key, p, xlsx.ParseNumber)
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func required(rec xlsx.Record, key string, p *Problems) string {
	v := rec.Get(key)
	if v == "" {
		p.Add(rec, key, "", rec.Label(key)+"不能为空")
	}
	return v
}

// ---- units ----

type unitRow struct {
	Code, Name   string
	Kind, Parent *string
	Sort         *int
}

var unitFields = []xlsx.Field{f("code", true, "单位编码", "编码"), f("name", true, "单位名称", "名称"), f("kind", false, "单位类型", "类型"),
	f("parent", false, "上级单位", "上级单位编码"), f("sort", false, "排序", "排序号")}

// ImportUnits imports units, matched by code; a parent is named by code or
// name and may be a unit of an earlier row of the same file.
func (s *Service) ImportUnits(ctx context.Context, r io.Reader, dryRun bool) (xlsx.ImportResult, error) {
	sp := spec[unitRow]{sheet: "单位", fields: unitFields, key: func(u unitRow) string { return u.Code },
		fieldKey: map[string]string{"code": "code", "name": "name", "kind": "kind", "parent_id": "parent", "sort_order": "sort"},
		parse: func(_ context.Context, rec xlsx.Record, p *Problems) (unitRow, bool) {
			u := unitRow{Code: required(rec, "code", p), Name: required(rec, "name", p), Kind: parseChoice(rec, "kind", unitKinds, p), Parent: cellText(rec, "parent")}
			if n := parseNumberCell(rec, "sort", p); n != nil {
				v := int(*n)
				u.Sort = &v
			}
			return u, true
		},
		apply: func(ctx context.Context, u unitRow) (Outcome, error) {
			units, err := s.unitLookup(ctx)
			if err != nil {
				return 0, err
			}
			in := org.UnitInput{Code: u.Code, Name: u.Name}
			old, err := s.org.UnitByCode(ctx, u.Code)
			exists := err == nil
			if err != nil && errs.KindOf(err) != errs.KindNotFound {
				return 0, err
			}
			if exists {
				in = org.UnitInput{Code: old.Code, Name: u.Name, Kind: old.Kind, ParentID: old.ParentID, SortOrder: old.SortOrder}
			} else if u.Kind == nil {
				in.Kind = "other"
			}
			set(&in.Kind, u.Kind)
			set(&in.SortOrder, u.Sort)
			if u.Parent != nil {
				id, err := units.Find(*u.Parent)
				if err != nil {
					return 0, errs.Invalid([]errs.FieldError{{Field: "parent_id", Key: "not_found", Message: err.Error(), Value: *u.Parent}})
				}
				in.ParentID = &id
			}
			if !exists {
				_, err := s.org.CreateUnit(ctx, in)
				return Created, err
			}
			if reflect.DeepEqual(in, org.UnitInput{Code: old.Code, Name: old.Name, Kind: old.Kind, ParentID: old.ParentID, SortOrder: old.SortOrder}) {
				return Unchanged, nil
			}
			_, err = s.org.UpdateUnit(ctx, old.ID, old.Version, in)
			return Updated, err
		}}
	return run(ctx, s, sp, r, dryRun)
}

// unitLookup reads all units (inside an import: including those it created).
func (s *Service) unitLookup(ctx context.Context) (*Lookup, error) {
	us, err := s.org.ListUnits(ctx, org.UnitFilter{})
	if err != nil {
		return nil, err
	}
	l := newLookup("单位")
	for _, u := range us {
		l.add(u.ID, u.Code, u.Name)
	}
	return l, nil
}

func (s *Service) personLookup(ctx context.Context) (*Lookup, error) {
	ps, err := s.org.ListPersons(ctx, org.PersonFilter{})
	if err != nil {
		return nil, err
	}
	l := newLookup("人员")
	for _, p := range ps {
		l.add(p.ID, p.Code, p.Name)
	}
	return l, nil
}

// ---- persons ----

type personRow struct {
	Code, Name                string
	Title, Unit, Phone, Email *string
}

var personFields = []xlsx.Field{f("code", true, "人员编码", "编码"), f("name", true, "姓名"), f("title", false, "职务"),
	f("unit", false, "所属单位", "单位"), f("phone", false, "电话", "联系电话"), f("email", false, "邮箱", "电子邮箱")}

// ImportPersons imports persons, matched by code; the unit is named by code or name.
func (s *Service) ImportPersons(ctx context.Context, r io.Reader, dryRun bool) (xlsx.ImportResult, error) {
	units, err := s.unitLookup(ctx)
	if err != nil {
		return xlsx.ImportResult{}, err
	}
	ids := map[string]int64{}
	sp := spec[personRow]{sheet: "人员", fields: personFields, key: func(p personRow) string { return p.Code },
		fieldKey: map[string]string{"code": "code", "name": "name", "title": "title", "unit_id": "unit", "phone": "phone", "email": "email"},
		parse: func(_ context.Context, rec xlsx.Record, p *Problems) (personRow, bool) {
			row := personRow{Code: required(rec, "code", p), Name: required(rec, "name", p), Title: cellText(rec, "title"), Unit: cellText(rec, "unit"), Phone: cellText(rec, "phone"), Email: cellText(rec, "email")}
			if row.Unit != nil {
				id, err := units.Find(*row.Unit)
				if err != nil {
					p.Add(rec, "unit", *row.Unit, err.Error())
				}
				ids[*row.Unit] = id
			}
			return row, true
		},
		apply: func(ctx context.Context, row personRow) (Outcome, error) {
			in := org.PersonInput{Code: row.Code, Name: row.Name}
			old, err := s.org.PersonByCode(ctx, row.Code)
			exists := err == nil
			if err != nil && errs.KindOf(err) != errs.KindNotFound {
				return 0, err
			}
			before := org.PersonInput{Code: old.Code, Name: old.Name, Title: old.Title, UnitID: old.UnitID, Phone: old.Phone, Email: old.Email}
			if exists {
				in = before
				in.Name = row.Name
			}
			set(&in.Title, row.Title)
			set(&in.Phone, row.Phone)
			set(&in.Email, row.Email)
			if row.Unit != nil {
				id := ids[*row.Unit]
				in.UnitID = &id
			}
			if !exists {
				_, err := s.org.CreatePerson(ctx, in)
				return Created, err
			}
			if reflect.DeepEqual(in, before) {
				return Unchanged, nil
			}
			_, err = s.org.UpdatePerson(ctx, old.ID, old.Version, in)
			return Updated, err
		}}
	return run(ctx, s, sp, r, dryRun)
}

// ---- items ----

type itemRow struct {
	Code, Name                 string
	Type, Level, State, Parent *string
	ZoneID                     *int64
	LeaderID, LeadUnitID       *int64
	CoUnitIDs                  []int64
	HasCoUnits                 bool
	WorkPlan, Location, Note   *string
	Total, Annual              *float64
	Start, End                 *date.Date
}

var itemFields = []xlsx.Field{f("code", true, "事项编码", "编码", "项目编号", "编号"), f("name", true, "事项名称", "名称", "项目名称"),
	f("type", false, "事项类型", "类型"), f("level", false, "级别", "项目级别"), f("state", false, "状态"),
	f("parent", false, "上级事项编码", "上级事项"), f("zone", false, "战区", "所属战区"), f("leader", false, "责任领导"),
	f("lead_unit", false, "牵头单位", "责任单位"), f("co_units", false, "配合单位"), f("work_plan", false, "工作计划", "年度目标任务"),
	f("total", false, "总投资（万元）", "总投资"), f("annual", false, "年度计划投资（万元）", "年度计划投资", "年度投资"),
	f("start", false, "开始日期", "开工日期", "计划开工"), f("end", false, "完成日期", "竣工日期", "计划完成"),
	f("location", false, "地点", "建设地点"), f("note", false, "备注")}

var itemFieldKey = map[string]string{"code": "code", "name": "name", "type": "type", "level": "level", "state": "state", "parent_id": "parent",
	"zone_id": "zone", "leader_id": "leader", "lead_unit_id": "lead_unit", "co_unit_ids": "co_units", "work_plan": "work_plan",
	"total_investment_wan": "total", "annual_investment_wan": "annual", "start_date": "start", "end_date": "end", "location": "location", "note": "note"}

func (s *Service) zoneLookup(ctx context.Context, campaignID int64) (*Lookup, error) {
	zs, err := s.campaign.ListZones(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	l := newLookup("战区")
	for _, z := range zs {
		l.add(z.ID, z.Code, z.Name)
	}
	return l, nil
}

// itemByCode finds an item of the campaign by code (0 when there is none).
func (s *Service) itemByCode(ctx context.Context, campaignID int64, code string) (int64, error) {
	var id int64
	err := s.db.Read().QueryRow(ctx, `SELECT id FROM items WHERE campaign_id = ? AND code = ?`, campaignID, code).Scan(&id)
	if store.IsNoRows(err) {
		return 0, nil
	}
	return id, err
}

// ImportItems imports the items of a campaign, matched by code: leader, lead
// and co-operating units and zone by name or code, amounts in 万元 unless the
// cell says 亿元 or 元.
func (s *Service) ImportItems(ctx context.Context, campaignID int64, r io.Reader, dryRun bool) (xlsx.ImportResult, error) {
	if _, err := s.campaign.GetCampaign(ctx, campaignID); err != nil {
		return xlsx.ImportResult{}, err
	}
	units, persons, err := s.unitsAndPersons(ctx)
	if err != nil {
		return xlsx.ImportResult{}, err
	}
	zones, err := s.zoneLookup(ctx, campaignID)
	if err != nil {
		return xlsx.ImportResult{}, err
	}
	sp := spec[itemRow]{sheet: "事项", fields: itemFields, key: func(it itemRow) string { return it.Code }, fieldKey: itemFieldKey,
		parse: func(_ context.Context, rec xlsx.Record, p *Problems) (itemRow, bool) {
			it := itemRow{Code: required(rec, "code", p), Name: required(rec, "name", p),
				Type: parseChoice(rec, "type", itemTypes, p), Level: parseChoice(rec, "level", itemLevels, p), State: parseChoice(rec, "state", itemStates, p),
				Parent: cellText(rec, "parent"), ZoneID: findCell(rec, "zone", zones, p), LeaderID: findCell(rec, "leader", persons, p),
				LeadUnitID: findCell(rec, "lead_unit", units, p), WorkPlan: cellText(rec, "work_plan"), Location: cellText(rec, "location"), Note: cellText(rec, "note"),
				Total: parseWanCell(rec, "total", p), Annual: parseWanCell(rec, "annual", p), Start: parseDateCell(rec, "start", p), End: parseDateCell(rec, "end", p)}
			if v := rec.Get("co_units"); v != "" {
				it.HasCoUnits = true
				for _, name := range splitList(v) {
					id, err := units.Find(name)
					if err != nil {
						p.Add(rec, "co_units", v, err.Error())
						continue
					}
					it.CoUnitIDs = append(it.CoUnitIDs, id)
				}
			}
			return it, true
		},
		apply: func(ctx context.Context, it itemRow) (Outcome, error) {
			id, err := s.itemByCode(ctx, campaignID, it.Code)
			if err != nil {
				return 0, err
			}
			in := campaign.ItemInput{CampaignID: campaignID, Code: it.Code, State: "in_progress"}
			var old campaign.Item
			var before campaign.ItemInput
			if id != 0 {
				if old, err = s.campaign.GetItem(ctx, id); err != nil {
					return 0, err
				}
				before = itemInput(old)
				in = before
			} else {
				var c errs.Checker
				c.Check(it.Type != nil, "type", "required", "新事项的事项类型不能为空", nil)
				c.Check(it.LeaderID != nil, "leader_id", "item.leader_required", "每个事项必须明确一名责任领导", nil)
				c.Check(it.LeadUnitID != nil, "lead_unit_id", "item.lead_unit_required", "每个事项必须明确一个牵头单位", nil)
				if err := c.Err(); err != nil {
					return 0, err
				}
			}
			in.Name = it.Name
			set(&in.Type, it.Type)
			set(&in.Level, it.Level)
			set(&in.State, it.State)
			set(&in.LeaderID, it.LeaderID)
			set(&in.LeadUnitID, it.LeadUnitID)
			set(&in.WorkPlan, it.WorkPlan)
			set(&in.Location, it.Location)
			set(&in.Note, it.Note)
			set(&in.TotalInvestmentWan, it.Total)
			set(&in.AnnualInvestmentWan, it.Annual)
			set(&in.StartDate, it.Start)
			set(&in.EndDate, it.End)
			if it.ZoneID != nil {
				in.ZoneID = it.ZoneID
			}
			if it.HasCoUnits {
				in.CoUnitIDs = it.CoUnitIDs
			}
			if it.Parent != nil {
				pid, err := s.itemByCode(ctx, campaignID, *it.Parent)
				if err != nil {
					return 0, err
				}
				if pid == 0 {
					return 0, errs.Invalid([]errs.FieldError{{Field: "parent_id", Key: "not_found", Message: fmt.Sprintf("找不到编码为“%s”的上级事项", *it.Parent)}})
				}
				in.ParentID = &pid
			}
			if id == 0 {
				_, err := s.campaign.CreateItem(ctx, in)
				return Created, err
			}
			if sameItem(in, before) {
				return Unchanged, nil
			}
			_, err = s.campaign.UpdateItem(ctx, id, old.Version, in)
			return Updated, err
		}}
	return run(ctx, s, sp, r, dryRun)
}

func itemInput(it campaign.Item) campaign.ItemInput {
	return campaign.ItemInput{CampaignID: it.CampaignID, Code: it.Code, Name: it.Name, Type: it.Type, Level: it.Level, State: it.State,
		ParentID: it.ParentID, ZoneID: it.ZoneID, LeaderID: it.LeaderID, LeadUnitID: it.LeadUnitID, CoUnitIDs: it.CoUnitIDs,
		WorkPlan: it.WorkPlan, TotalInvestmentWan: it.TotalInvestmentWan, AnnualInvestmentWan: it.AnnualInvestmentWan,
		StartDate: it.StartDate, EndDate: it.EndDate, Location: it.Location, Illustrative: it.Illustrative, Note: it.Note}
}

func sameItem(a, b campaign.ItemInput) bool {
	ac, bc := slices.Clone(a.CoUnitIDs), slices.Clone(b.CoUnitIDs)
	slices.Sort(ac)
	slices.Sort(bc)
	ac, bc = slices.Compact(ac), slices.Compact(bc)
	a.CoUnitIDs, b.CoUnitIDs = nil, nil
	return slices.Equal(ac, bc) && reflect.DeepEqual(a, b)
}

// ---- milestones and targets: matched by item code and name ----

type milestoneRow struct {
	Item, Name      string
	Kind            *string
	Planned, Actual *date.Date
	Sort            *int
}

var milestoneFields = []xlsx.Field{f("item", true, "事项编码"), f("name", true, "节点名称", "节点"), f("kind", false, "节点类型", "类型"),
	f("planned", false, "计划日期", "计划完成日期"), f("actual", false, "实际日期", "实际完成日期"), f("sort", false, "排序")}

// ImportMilestones imports milestones of a campaign's items, matched by item code and milestone name.
func (s *Service) ImportMilestones(ctx context.Context, campaignID int64, r io.Reader, dryRun bool) (xlsx.ImportResult, error) {
	if _, err := s.campaign.GetCampaign(ctx, campaignID); err != nil {
		return xlsx.ImportResult{}, err
	}
	sp := spec[milestoneRow]{sheet: "节点", fields: milestoneFields, key: func(m milestoneRow) string { return m.Item + "\x00" + m.Name },
		fieldKey: map[string]string{"name": "name", "kind": "kind", "planned_date": "planned", "actual_date": "actual", "sort_order": "sort", "item_id": "item"},
		parse: func(_ context.Context, rec xlsx.Record, p *Problems) (milestoneRow, bool) {
			m := milestoneRow{Item: required(rec, "item", p), Name: required(rec, "name", p), Kind: parseChoice(rec, "kind", milestoneKinds, p),
				Planned: parseDateCell(rec, "planned", p), Actual: parseDateCell(rec, "actual", p)}
			if n := parseNumberCell(rec, "sort", p); n != nil {
				v := int(*n)
				m.Sort = &v
			}
			return m, true
		},
		apply: func(ctx context.Context, m milestoneRow) (Outcome, error) {
			itemID, err := s.itemByCode(ctx, campaignID, m.Item)
			if err != nil {
				return 0, err
			}
			if itemID == 0 {
				return 0, errs.Invalid([]errs.FieldError{{Field: "item_id", Key: "not_found", Message: fmt.Sprintf("找不到编码为“%s”的事项", m.Item)}})
			}
			ms, err := s.campaign.ListMilestones(ctx, itemID)
			if err != nil {
				return 0, err
			}
			var in, before campaign.MilestoneInput
			var old *campaign.Milestone
			for i := range ms {
				if norm(ms[i].Name) == norm(m.Name) {
					old = &ms[i]
				}
			}
			if old != nil {
				before = campaign.MilestoneInput{Name: old.Name, Kind: old.Kind, PlannedDate: old.PlannedDate, ActualDate: old.ActualDate, SortOrder: old.SortOrder}
				in = before
			}
			in.Name = m.Name
			set(&in.Kind, m.Kind)
			set(&in.PlannedDate, m.Planned)
			set(&in.ActualDate, m.Actual)
			set(&in.SortOrder, m.Sort)
			if old == nil {
				_, err := s.campaign.CreateMilestone(ctx, itemID, in)
				return Created, err
			}
			if in == before {
				return Unchanged, nil
			}
			_, err = s.campaign.UpdateMilestone(ctx, old.ID, old.Version, in)
			return Updated, err
		}}
	return run(ctx, s, sp, r, dryRun)
}

type targetRow struct {
	Item, Name      string
	Unit, Direction *string
	Baseline, Value *float64
	Deadline        *date.Date
}

var targetFields = []xlsx.Field{f("item", true, "事项编码"), f("name", true, "目标名称", "目标"), f("unit", false, "计量单位", "单位"),
	f("baseline", false, "基数"), f("value", false, "目标值"), f("deadline", false, "期限", "完成期限"), f("direction", false, "方向")}

// ImportTargets imports targets of a campaign's items, matched by item code and target name.
func (s *Service) ImportTargets(ctx context.Context, campaignID int64, r io.Reader, dryRun bool) (xlsx.ImportResult, error) {
	if _, err := s.campaign.GetCampaign(ctx, campaignID); err != nil {
		return xlsx.ImportResult{}, err
	}
	sp := spec[targetRow]{sheet: "目标", fields: targetFields, key: func(t targetRow) string { return t.Item + "\x00" + t.Name },
		fieldKey: map[string]string{"name": "name", "unit": "unit", "baseline": "baseline", "value": "value", "deadline": "deadline", "direction": "direction", "item_id": "item"},
		parse: func(_ context.Context, rec xlsx.Record, p *Problems) (targetRow, bool) {
			return targetRow{Item: required(rec, "item", p), Name: required(rec, "name", p), Unit: cellText(rec, "unit"),
				Direction: parseChoice(rec, "direction", directions, p), Baseline: parseNumberCell(rec, "baseline", p),
				Value: parseNumberCell(rec, "value", p), Deadline: parseDateCell(rec, "deadline", p)}, true
		},
		apply: func(ctx context.Context, t targetRow) (Outcome, error) {
			itemID, err := s.itemByCode(ctx, campaignID, t.Item)
			if err != nil {
				return 0, err
			}
			if itemID == 0 {
				return 0, errs.Invalid([]errs.FieldError{{Field: "item_id", Key: "not_found", Message: fmt.Sprintf("找不到编码为“%s”的事项", t.Item)}})
			}
			ts, err := s.campaign.ListTargets(ctx, itemID)
			if err != nil {
				return 0, err
			}
			var in, before campaign.TargetInput
			var old *campaign.Target
			for i := range ts {
				if norm(ts[i].Name) == norm(t.Name) {
					old = &ts[i]
				}
			}
			if old != nil {
				before = campaign.TargetInput{Name: old.Name, Unit: old.Unit, Baseline: old.Baseline, Value: old.Value, Deadline: old.Deadline, Direction: old.Direction}
				in = before
			}
			in.Name = t.Name
			set(&in.Unit, t.Unit)
			set(&in.Direction, t.Direction)
			set(&in.Baseline, t.Baseline)
			set(&in.Value, t.Value)
			set(&in.Deadline, t.Deadline)
			if old == nil {
				_, err := s.campaign.CreateTarget(ctx, itemID, in)
				return Created, err
			}
			if in == before {
				return Unchanged, nil
			}
			_, err = s.campaign.UpdateTarget(ctx, old.ID, old.Version, in)
			return Updated, err
		}}
	return run(ctx, s, sp, r, dryRun)
}
