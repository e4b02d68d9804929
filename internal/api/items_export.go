package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/campaign"
	"gongjian/internal/store"
	"gongjian/internal/xlsx"
)

// ItemExportInput is the item list's filters and sort, plus the file's
// format and language.
type ItemExportInput struct {
	CampaignID int64  `query:"campaign_id" minimum:"0"`
	Type       string `query:"type" enum:",reform_task,key_project,livelihood_project,special_action"`
	Level      string `query:"level" enum:",province,city,district"`
	State      string `query:"state" enum:",planned,in_progress,completed,suspended"`
	ZoneID     int64  `query:"zone_id" minimum:"0"`
	UnitID     int64  `query:"unit_id" minimum:"0"`
	LeaderID   int64  `query:"leader_id" minimum:"0"`
	ParentID   int64  `query:"parent_id" minimum:"0"`
	TopLevel   bool   `query:"top_level"`
	NoZone     bool   `query:"no_zone"`
	Q          string `query:"q" maxLength:"100"`
	Sort       string `query:"sort" maxLength:"100"`
	ExportOptions
}

// itemWords are the export's value labels per language.
var itemWords = map[string][2]string{"reform_task": {"改革任务", "Reform task"}, "key_project": {"重点项目", "Key project"},
	"livelihood_project": {"为民实事", "Livelihood project"}, "special_action": {"专项行动", "Special action"},
	"province": {"省级", "Province"}, "city": {"市级", "City"}, "district": {"区级", "District"}, "planned": {"未开始", "Planned"},
	"in_progress": {"推进中", "In progress"}, "completed": {"已完成", "Completed"}, "suspended": {"暂缓", "Suspended"},
	"true": {"是", "yes"}, "false": {"", ""}}

func (s *Server) itemExportRoutes() {
	register(s, access.ItemRead, huma.Operation{OperationID: "export-items", Method: http.MethodGet, Path: "/api/v1/items/export",
		Tags: []string{"事项"}, Summary: "导出事项列表（.xlsx 或 CSV）", Description: "与事项列表相同的筛选和排序，只含当前用户数据范围内的事项；金额单位万元。",
		Responses: exportResponses()},
		func(ctx context.Context, in *ItemExportInput) (*huma.StreamResponse, error) {
			return s.export(ctx, in.Format, in.Lang, exportSheet{name: "items", sheetZh: "事项", sheet: "Items", cols: []exportCol{
				{"编码", "Code", 12}, {"名称", "Name", 36}, {"类型", "Type", 10}, {"级别", "Level", 8}, {"状态", "State", 10}, {"战区", "Zone", 16},
				{"牵头单位", "Lead unit", 18}, {"配合单位", "Co-operating units", 24}, {"责任领导", "Leader", 12},
				{"总投资（万元）", "Total investment (10k yuan)", 14}, {"年度计划投资（万元）", "Annual plan (10k yuan)", 14}, {"开始日期", "Start", 12},
				{"完成日期", "End", 12}, {"地点", "Location", 20}, {"示意数据", "Illustrative", 8}}},
				func(w xlsx.Sheet) error {
					f := campaign.ItemFilter{CampaignID: in.CampaignID, Type: in.Type, Level: in.Level, State: in.State, ZoneID: in.ZoneID,
						UnitID: in.UnitID, LeaderID: in.LeaderID, ParentID: in.ParentID, TopLevel: in.TopLevel, NoZone: in.NoZone, Q: in.Q, Sort: in.Sort}
					// Page through the list with its own query, so the export is
					// exactly the filtered, sorted, scoped list the user sees.
					return eachPage(func(p store.Page) (int, error) {
						f.Page = p
						l, err := s.deps.Campaign.ListItems(ctx, f)
						for _, it := range l.Items {
							co := make([]string, len(it.CoUnits))
							for i, u := range it.CoUnits {
								co[i] = u.Name
							}
							if err := w.Row(it.Code, it.Name, word(itemWords, it.Type, in.Lang), word(itemWords, it.Level, in.Lang),
								word(itemWords, it.State, in.Lang), it.ZoneName, it.LeadUnitName, strings.Join(co, "、"), it.LeaderName,
								xlsx.Wan(it.TotalInvestmentWan), xlsx.Wan(it.AnnualInvestmentWan), it.StartDate, it.EndDate, it.Location,
								word(itemWords, fmt.Sprint(it.Illustrative), in.Lang)); err != nil {
								return 0, err
							}
						}
						return len(l.Items), err
					})
				})
		})
}
