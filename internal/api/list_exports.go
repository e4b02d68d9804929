package api

import (
	"cmp"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/org"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/xlsx"
)

// ExportFormat is the file format of every export: one query field that every
// export input embeds.
type ExportFormat struct {
	Format string `query:"format" enum:"xlsx,csv" default:"xlsx" doc:"xlsx（默认）或 csv（UTF-8，带 BOM）"`
}

// ExportOptions are the format and header language of an export whose list
// input has no lang field of its own.
type ExportOptions struct {
	ExportFormat
	Lang string `query:"lang" enum:",zh-CN,en" doc:"表头与取值的语言，默认中文"`
}

// exportResponses documents a route that answers a list as .xlsx or CSV.
func exportResponses() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {Description: "Excel 工作簿或 CSV（format=csv）", Content: map[string]*huma.MediaType{
		xlsxMediaType: {Schema: &huma.Schema{Type: "string", Format: "binary"}},
		"text/csv":    {Schema: &huma.Schema{Type: "string"}}}}}
}

// exportCol is one column of an export, headed in both languages.
type exportCol struct {
	zh, en string
	width  float64
}

// exportSheet describes the file of one list export: the name it is saved
// under, its worksheet and its columns, each in both languages.
type exportSheet struct {
	name           string // gongjian-<name>-<time>.<ext>
	sheetZh, sheet string
	cols           []exportCol
}

// isEn reports whether an export's headers and values are in English.
func isEn(lang string) bool { return lang == "en" }

// export answers a list as a download: it starts the file in the asked
// format (.xlsx or CSV) with headers in lang, lets rows write the records —
// the list's own query, filters and data scope — and streams the result.
// Every list export goes through here.
func (s *Server) export(ctx context.Context, format, lang string, d exportSheet, rows func(w xlsx.Sheet) error) (*huma.StreamResponse, error) {
	cols := make([]xlsx.Column, len(d.cols))
	sheet := d.sheetZh
	if isEn(lang) {
		sheet = d.sheet
	}
	for i, c := range d.cols {
		h := c.zh
		if isEn(lang) {
			h = c.en
		}
		cols[i] = xlsx.Column{Header: h, Width: c.width}
	}
	w, err := xlsx.Start(format, sheet, cols)
	if err != nil {
		return nil, err
	}
	if err := rows(w); err != nil {
		return nil, err
	}
	return s.sendExport(ctx, format, d.name, w), nil
}

// sendExport answers a finished export as gongjian-<name>-<time>.<ext>.
func (s *Server) sendExport(ctx context.Context, format, name string, w io.WriterTo) *huma.StreamResponse {
	mediaType, ext := xlsxMediaType, xlsx.FormatXLSX
	if format == xlsx.FormatCSV {
		mediaType, ext = xlsx.CSVMediaType, xlsx.FormatCSV
	}
	return s.download(ctx, mediaType, "gongjian-"+name+"-"+s.deps.Now().Format("20060102-150405")+"."+ext, w)
}

// eachPage calls list for every page of at most store.MaxPageSize records
// until it answers fewer than that.
func eachPage(list func(p store.Page) (int, error)) error {
	for n := 1; ; n++ {
		got, err := list(store.Page{Number: n, Size: store.MaxPageSize})
		if err != nil {
			return err
		}
		if got < store.MaxPageSize {
			return nil
		}
	}
}

// auditExport records an export of personal data (names, telephones,
// accounts) in the trail.
func (s *Server) auditExport(ctx context.Context, entity string, filter any) error {
	return s.deps.DB.Tx(ctx, func(q store.Querier) error {
		return audit.Write(ctx, q, audit.Entry{Action: "export", Entity: entity, After: filter})
	})
}

// Value labels of the new exports, Chinese and English.
var (
	lightWords    = map[string][2]string{"green": {"绿灯", "Green"}, "yellow": {"黄灯", "Yellow"}, "red": {"红灯", "Red"}}
	reportWords   = map[string][2]string{"draft": {"草稿", "Draft"}, "submitted": {"已报送", "Submitted"}, "accepted": {"已通过", "Accepted"}, "returned": {"已退回", "Returned"}}
	extStateWords = map[string][2]string{"requested": {"待审批", "Waiting"}, "approved": {"已批准", "Approved"}, "rejected": {"未批准", "Rejected"}}
	extKindWords  = map[string][2]string{"milestone": {"节点", "Milestone"}, "target": {"目标", "Target"}}
	unitKindWords = map[string][2]string{"leadership": {"区委区政府", "Leadership"}, "bureau": {"部门", "Bureau"}, "street": {"街道", "Street"}, "soe": {"区属国企", "State-owned enterprise"}, "other": {"其他", "Other"}}
	zoneKindWords = map[string][2]string{"zone": {"战区", "Zone"}, "area": {"片区", "Area"}, "grid": {"网格", "Grid"}}
	cadenceWords  = map[string][2]string{"weekly": {"每周", "Weekly"}, "monthly": {"每月", "Monthly"}}
	roleWordsEn   = map[string]string{"admin": "Administrator", "supervisor": "Supervisor", "leader": "Leader", "reporter": "Reporter", "commissioner": "Commissioner", "statistician": "Statistician", "viewer": "Viewer"}
)

// CaseExportInput is the case list's filters plus the file's format and language.
type CaseExportInput struct {
	CaseListInput
	ExportOptions
}

// CaseStatsExportInput is the case statistics' period plus the file's format and language.
type CaseStatsExportInput struct {
	CaseStatsInput
	ExportOptions
}

// English names of case types and states (the Chinese come with the case).
var (
	caseTypeEn = map[string]string{"problem": "Problem", "instruction": "Instruction", "enterprise_request": "Enterprise request",
		"one_window": "One-window application", "meeting_decision": "Meeting decision"}
	caseStateEn = map[string]string{"open": "Open", "in_progress": "In progress", "resolved": "Resolved", "closed": "Closed"}
)

// LedgerExportInput is the ledger rows' filters plus the file's format.
type LedgerExportInput struct {
	LedgerRowsInput
	ExportFormat
}

// EnterpriseExportInput is the enterprise list's filters plus the file's format.
type EnterpriseExportInput struct {
	EnterpriseListInput
	ExportFormat
}

// VisitExportInput is the visit list's filters plus the file's format.
type VisitExportInput struct {
	VisitListInput
	ExportFormat
}

// NeedExportInput is the financing need list's filters plus the file's format.
type NeedExportInput struct {
	NeedListInput
	ExportFormat
}

// LeadExportInput is the lead list's filters plus the file's format.
type LeadExportInput struct {
	LeadListInput
	ExportFormat
}

// LightExportInput is the lights list's filters, the lights page's zone and
// keyword, and the file's format and language.
type LightExportInput struct {
	LightsInput
	ZoneID int64  `query:"zone_id" minimum:"0" doc:"战区，含其下的片区和网格"`
	NoZone bool   `query:"no_zone" doc:"只导出未划入战区的事项"`
	Q      string `query:"q" maxLength:"100" doc:"按事项名称、编码、牵头单位或责任领导查找"`
	ExportOptions
}

// matches reports whether any of the texts contains the keyword q, ignoring
// case, as the lists' keyword boxes in the UI do; an empty q matches all.
func matches(q string, texts ...string) bool {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return true
	}
	for _, t := range texts {
		if strings.Contains(strings.ToLower(t), q) {
			return true
		}
	}
	return false
}

// lightRank orders lights as the lights page does: red, yellow, green.
var lightRank = map[string]int{"red": 0, "yellow": 1, "green": 2}

// exportedLights are the lights of the export: the list's, narrowed by zone
// (and the zones below it) and keyword like the lights page, red first, then
// by code.
func (s *Server) exportedLights(ctx context.Context, in *LightExportInput) (LightList, error) {
	l, err := s.lightList(ctx, &in.LightsInput)
	if err != nil {
		return l, err
	}
	var zones map[int64]bool
	if in.ZoneID != 0 {
		zs, err := s.deps.Campaign.ListZones(ctx, in.CampaignID)
		if err != nil {
			return l, err
		}
		zones = map[int64]bool{in.ZoneID: true}
		for grew := true; grew; {
			grew = false
			for _, z := range zs {
				if z.ParentID != nil && zones[*z.ParentID] && !zones[z.ID] {
					zones[z.ID], grew = true, true
				}
			}
		}
	}
	items := l.Items[:0]
	for _, x := range l.Items {
		switch {
		case in.NoZone && x.ZoneID != 0, zones != nil && !zones[x.ZoneID]:
			continue
		case !matches(in.Q, x.Name, x.Code, x.LeadUnitName, x.LeaderName):
			continue
		}
		items = append(items, x)
	}
	slices.SortStableFunc(items, func(a, b progress.ItemLight) int {
		return cmp.Or(cmp.Compare(lightRank[a.Light], lightRank[b.Light]), strings.Compare(a.Code, b.Code))
	})
	l.Items = items
	return l, nil
}

// ReportExportInput is the report list's filters and the review desk's
// keyword; every page is exported.
type ReportExportInput struct {
	ReportListInput
	Q string `query:"q" maxLength:"100" doc:"按事项名称、编码或牵头单位查找"`
	ExportOptions
}

// UnitExportInput is the unit list's filters.
type UnitExportInput struct {
	UnitListInput
	ExportOptions
}

// PersonExportInput is the person list's filters.
type PersonExportInput struct {
	PersonListInput
	ExportOptions
}

// ZoneExportInput is the zone list's filters.
type ZoneExportInput struct {
	ZoneListInput
	ExportOptions
}

// ExtensionExportInput is the extension list's filters; every page is exported.
type ExtensionExportInput struct {
	ExtensionListInput
	ExportOptions
}

// lightList is the lights of a campaign as /lights shows them: counts over
// all items, items narrowed to the asked light.
func (s *Server) lightList(ctx context.Context, in *LightsInput) (LightList, error) {
	asOf, err := s.defaultAsOf(ctx, in.CampaignID, in.AsOf)
	if err != nil {
		return LightList{}, err
	}
	ls, err := s.deps.Progress.Lights(ctx, progress.LightFilter{CampaignID: in.CampaignID, AsOf: asOf, TopLevel: in.TopLevel, Type: in.Type,
		ItemID: in.ItemID, KnownBy: s.knownBy(in.AsOf)})
	if err != nil {
		return LightList{}, err
	}
	out := LightList{AsOf: asOf, Counts: map[string]int{"green": 0, "yellow": 0, "red": 0}, Items: []progress.ItemLight{}}
	for _, l := range ls {
		out.Counts[l.Light]++
		if in.Light == "" || l.Light == in.Light {
			out.Items = append(out.Items, l)
		}
	}
	return out, nil
}

// targetShares are an item's completion and 序时进度: the mean over its
// targets (completion over those with an actual value); nil without targets.
func targetShares(ts []progress.TargetProgress) (completion, elapsed any) {
	var c, e float64
	nc := 0
	for _, t := range ts {
		e += t.Elapsed
		if t.Completion != nil {
			c += *t.Completion
			nc++
		}
	}
	if nc > 0 {
		completion = xlsx.Percent(c / float64(nc))
	}
	if len(ts) > 0 {
		elapsed = xlsx.Percent(e / float64(len(ts)))
	}
	return completion, elapsed
}

func (s *Server) listExportRoutes() {
	tag := func(t string) []string { return []string{t} }
	register(s, access.ItemRead, huma.Operation{OperationID: "export-lights", Method: http.MethodGet, Path: "/api/v1/lights/export", Tags: tag("亮灯"),
		Summary: "导出事项亮灯（.xlsx 或 CSV）", Responses: exportResponses(),
		Description: "与亮灯列表相同的筛选（含 as_of 查看过去某日）和数据范围，另可按战区（含下级）和关键词筛选，与亮灯页一致；红灯在前，再按编码。完成率与序时进度为事项各目标的平均。"},
		func(ctx context.Context, in *LightExportInput) (*huma.StreamResponse, error) {
			l, err := s.exportedLights(ctx, in)
			if err != nil {
				return nil, err
			}
			return s.export(ctx, in.Format, in.Lang, exportSheet{name: "lights-" + l.AsOf.String(), sheetZh: "亮灯", sheet: "Lights", cols: []exportCol{
				{"事项编码", "Item code", 12}, {"事项名称", "Name", 36}, {"灯色", "Light", 8}, {"亮灯原因", "Reasons", 50},
				{"完成率", "Completion", 10}, {"序时进度", "Time elapsed", 10}, {"牵头单位", "Lead unit", 18}, {"责任领导", "Leader", 12},
				{"人工调整", "Overridden", 10}, {"战区", "Zone", 16}}},
				func(w xlsx.Sheet) error {
					sep := "；"
					if isEn(in.Lang) {
						sep = "; "
					}
					for _, x := range l.Items {
						done, elapsed := targetShares(x.Targets)
						if err := w.Row(x.Code, x.Name, word(lightWords, x.Light, in.Lang), strings.Join(x.Reasons, sep),
							done, elapsed, x.LeadUnitName, x.LeaderName, yesNo(x.Override != nil, in.Lang), x.ZoneName); err != nil {
							return err
						}
					}
					return nil
				})
		})

	register(s, access.ItemRead, huma.Operation{OperationID: "export-reports", Method: http.MethodGet, Path: "/api/v1/reports/export", Tags: tag("填报"),
		Summary: "导出填报（.xlsx 或 CSV）", Description: "与填报列表相同的筛选和数据范围，另可按关键词（q）筛选，与审核台一致；导出全部页。", Responses: exportResponses()},
		func(ctx context.Context, in *ReportExportInput) (*huma.StreamResponse, error) {
			return s.export(ctx, in.Format, in.Lang, exportSheet{name: "reports", sheetZh: "填报", sheet: "Reports", cols: []exportCol{
				{"事项编码", "Item code", 12}, {"事项名称", "Item", 32}, {"牵头单位", "Lead unit", 18}, {"填报期", "Period", 10},
				{"期末", "Period end", 12}, {"报送截止日", "Due", 12}, {"状态", "State", 10}, {"逾期报送", "Late", 8},
				{"本年累计完成投资（万元）", "Investment completed (10k yuan)", 16}, {"进展情况", "Progress", 40}, {"存在问题", "Problems", 30},
				{"下步计划", "Next steps", 30}, {"报送时间", "Submitted at", 18}, {"审核时间", "Reviewed at", 18}, {"退回原因", "Return reason", 24}}},
				func(w xlsx.Sheet) error {
					f := progress.ReportFilter{CampaignID: in.CampaignID, ItemID: in.ItemID, Period: in.Period, State: in.State}
					return eachPage(func(p store.Page) (int, error) {
						f.Page = p
						rs, _, err := s.deps.Progress.ListReports(ctx, f)
						for _, r := range rs {
							if !matches(in.Q, r.ItemName, r.ItemCode, r.LeadUnitName) {
								continue
							}
							if err := w.Row(r.ItemCode, r.ItemName, r.LeadUnitName, r.Period, r.PeriodEnd, r.DueDate, word(reportWords, r.State, in.Lang),
								yesNo(r.Late, in.Lang), xlsx.WanOf(r.InvestmentCompletedWan), r.Narrative, r.Problems, r.NextSteps,
								localTime(r.SubmittedAt), localTime(r.ReviewedAt), r.ReturnReason); err != nil {
								return 0, err
							}
						}
						return len(rs), err
					})
				})
		})

	register(s, access.OrgRead, huma.Operation{OperationID: "export-units", Method: http.MethodGet, Path: "/api/v1/units/export", Tags: tag("组织"),
		Summary: "导出单位（.xlsx 或 CSV）", Description: "与单位列表相同的筛选。", Responses: exportResponses()},
		func(ctx context.Context, in *UnitExportInput) (*huma.StreamResponse, error) {
			us, err := s.deps.Org.ListUnits(ctx, org.UnitFilter{Q: in.Q, Kind: in.Kind})
			if err != nil {
				return nil, err
			}
			parents, err := s.deps.Org.ListUnits(ctx, org.UnitFilter{})
			if err != nil {
				return nil, err
			}
			name := map[int64]string{}
			for _, u := range parents {
				name[u.ID] = u.Name
			}
			return s.export(ctx, in.Format, in.Lang, exportSheet{name: "units", sheetZh: "单位", sheet: "Units", cols: []exportCol{
				{"编码", "Code", 12}, {"名称", "Name", 30}, {"类型", "Kind", 14}, {"上级单位", "Parent", 24}, {"排序", "Order", 8}}},
				func(w xlsx.Sheet) error {
					for _, u := range us {
						parent := ""
						if u.ParentID != nil {
							parent = name[*u.ParentID]
						}
						if err := w.Row(u.Code, u.Name, word(unitKindWords, u.Kind, in.Lang), parent, u.SortOrder); err != nil {
							return err
						}
					}
					return nil
				})
		})

	register(s, access.OrgRead, huma.Operation{OperationID: "export-persons", Method: http.MethodGet, Path: "/api/v1/persons/export", Tags: tag("组织"),
		Summary: "导出人员（.xlsx 或 CSV）", Description: "与人员列表相同的筛选。含电话，导出本身记入留痕。", Responses: exportResponses()},
		func(ctx context.Context, in *PersonExportInput) (*huma.StreamResponse, error) {
			f := org.PersonFilter{Q: in.Q, UnitID: in.UnitID}
			ps, err := s.deps.Org.ListPersons(ctx, f)
			if err != nil {
				return nil, err
			}
			if err := s.auditExport(ctx, "person", f); err != nil {
				return nil, err
			}
			return s.export(ctx, in.Format, in.Lang, exportSheet{name: "persons", sheetZh: "人员", sheet: "Persons", cols: []exportCol{
				{"编码", "Code", 12}, {"姓名", "Name", 12}, {"职务", "Title", 24}, {"单位", "Unit", 24}, {"电话", "Phone", 16}}},
				func(w xlsx.Sheet) error {
					for _, p := range ps {
						if err := w.Row(p.Code, p.Name, p.Title, p.UnitName, p.Phone); err != nil {
							return err
						}
					}
					return nil
				})
		})

	register(s, access.UserManage, huma.Operation{OperationID: "export-users", Method: http.MethodGet, Path: "/api/v1/users/export", Tags: tag("账号"),
		Summary: "导出用户（.xlsx 或 CSV）", Description: "不含密码。导出本身记入留痕。", Responses: exportResponses()},
		func(ctx context.Context, in *ExportOptions) (*huma.StreamResponse, error) {
			us, err := s.deps.Auth.ListUsers(ctx)
			if err != nil {
				return nil, err
			}
			if err := s.auditExport(ctx, "user", nil); err != nil {
				return nil, err
			}
			return s.export(ctx, in.Format, in.Lang, exportSheet{name: "users", sheetZh: "用户", sheet: "Users", cols: []exportCol{
				{"用户名", "Username", 14}, {"姓名", "Name", 14}, {"角色", "Role", 12}, {"单位", "Unit", 24}, {"须修改密码", "Must change password", 10},
				{"已停用", "Disabled", 8}, {"创建时间", "Created at", 18}}},
				func(w xlsx.Sheet) error {
					for _, u := range us {
						role := u.RoleLabel
						if isEn(in.Lang) {
							role = roleWordsEn[string(u.Role)]
						}
						if err := w.Row(u.Username, u.DisplayName, role, u.UnitName, yesNo(u.MustChangePassword, in.Lang), yesNo(u.Disabled, in.Lang),
							u.CreatedAt.Local()); err != nil {
							return err
						}
					}
					return nil
				})
		})

	register(s, access.CampaignRead, huma.Operation{OperationID: "export-campaigns", Method: http.MethodGet, Path: "/api/v1/campaigns/export", Tags: tag("攻坚年"),
		Summary: "导出攻坚年（.xlsx 或 CSV）", Responses: exportResponses()},
		func(ctx context.Context, in *ExportOptions) (*huma.StreamResponse, error) {
			cs, err := s.deps.Campaign.ListCampaigns(ctx)
			if err != nil {
				return nil, err
			}
			return s.export(ctx, in.Format, in.Lang, exportSheet{name: "campaigns", sheetZh: "攻坚年", sheet: "Campaigns", cols: []exportCol{
				{"编码", "Code", 12}, {"名称", "Name", 30}, {"年度", "Year", 8}, {"开始日期", "Start", 12}, {"结束日期", "End", 12},
				{"填报周期", "Cadence", 10}, {"报送期限（天）", "Report due (days)", 12}, {"说明", "Description", 40}}},
				func(w xlsx.Sheet) error {
					for _, c := range cs {
						if err := w.Row(c.Code, c.Name, c.Year, c.StartDate, c.EndDate, word(cadenceWords, c.Cadence, in.Lang), c.DueDays, c.Description); err != nil {
							return err
						}
					}
					return nil
				})
		})

	register(s, access.CampaignRead, huma.Operation{OperationID: "export-zones", Method: http.MethodGet, Path: "/api/v1/zones/export", Tags: tag("攻坚年"),
		Summary: "导出战区（.xlsx 或 CSV）", Description: "与战区列表相同的筛选。", Responses: exportResponses()},
		func(ctx context.Context, in *ZoneExportInput) (*huma.StreamResponse, error) {
			zs, err := s.deps.Campaign.ListZones(ctx, in.CampaignID)
			if err != nil {
				return nil, err
			}
			name := map[int64]string{}
			for _, z := range zs {
				name[z.ID] = z.Name
			}
			return s.export(ctx, in.Format, in.Lang, exportSheet{name: "zones", sheetZh: "战区", sheet: "Zones", cols: []exportCol{
				{"编码", "Code", 12}, {"名称", "Name", 24}, {"类型", "Kind", 8}, {"上级", "Parent", 20}, {"指挥长", "Commander", 12},
				{"说明", "Description", 40}}},
				func(w xlsx.Sheet) error {
					for _, z := range zs {
						parent := ""
						if z.ParentID != nil {
							parent = name[*z.ParentID]
						}
						if err := w.Row(z.Code, z.Name, word(zoneKindWords, z.Kind, in.Lang), parent, z.CommanderName, z.Description); err != nil {
							return err
						}
					}
					return nil
				})
		})

	register(s, access.ItemRead, huma.Operation{OperationID: "export-extensions", Method: http.MethodGet, Path: "/api/v1/extensions/export", Tags: tag("延期申请"),
		Summary: "导出延期申请（.xlsx 或 CSV）", Description: "与延期申请列表相同的筛选和数据范围，导出全部页。", Responses: exportResponses()},
		func(ctx context.Context, in *ExtensionExportInput) (*huma.StreamResponse, error) {
			return s.export(ctx, in.Format, in.Lang, exportSheet{name: "extensions", sheetZh: "延期申请", sheet: "Extensions", cols: []exportCol{
				{"事项编码", "Item code", 12}, {"事项名称", "Item", 30}, {"类型", "Kind", 8}, {"节点或目标", "Milestone or target", 24},
				{"原定日期", "Original date", 12}, {"申请延期至", "Requested date", 12}, {"延期理由", "Reason", 30}, {"状态", "State", 10},
				{"申请人", "Requested by", 12}, {"申请时间", "Requested at", 18}, {"审批人", "Decided by", 12}, {"审批时间", "Decided at", 18},
				{"审批意见", "Decision note", 24}}},
				func(w xlsx.Sheet) error {
					f := progress.ExtensionFilter{CampaignID: in.CampaignID, ItemID: in.ItemID, MilestoneID: in.MilestoneID, TargetID: in.TargetID, State: in.State}
					return eachPage(func(p store.Page) (int, error) {
						f.Page = p
						es, _, err := s.deps.Progress.ListExtensions(ctx, f)
						for _, x := range es {
							if err := w.Row(x.ItemCode, x.ItemName, word(extKindWords, x.Kind, in.Lang), x.Subject, x.OldDate, x.NewDate, x.Reason,
								word(extStateWords, x.State, in.Lang), x.RequestedByName, x.RequestedAt.Local(), x.DecidedByName, localTime(x.DecidedAt),
								x.DecisionNote); err != nil {
								return 0, err
							}
						}
						return len(es), err
					})
				})
		})
}

// localTime is an optional timestamp in the server's zone: nil (an empty
// cell) or the time.
func localTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Local()
}
