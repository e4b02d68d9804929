package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

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
	Format     string `query:"format" enum:"xlsx,csv" default:"xlsx" doc:"xlsx（默认）或 csv（UTF-8，带 BOM）"`
	Lang       string `query:"lang" enum:"zh-CN,en" default:"zh-CN" doc:"表头与类型、状态的语言"`
}

// itemWords are the export's headers and value labels per language.
var itemWords = map[string]struct {
	headers []string
	labels  map[string]string
}{
	"zh-CN": {
		headers: []string{"编码", "名称", "类型", "级别", "状态", "战区", "牵头单位", "配合单位", "责任领导", "总投资（万元）", "年度计划投资（万元）", "开始日期", "完成日期", "地点", "示意数据"},
		labels: map[string]string{"reform_task": "改革任务", "key_project": "重点项目", "livelihood_project": "为民实事", "special_action": "专项行动",
			"province": "省级", "city": "市级", "district": "区级", "planned": "未开始", "in_progress": "推进中", "completed": "已完成", "suspended": "暂缓",
			"true": "是", "false": ""},
	},
	"en": {
		headers: []string{"Code", "Name", "Type", "Level", "State", "Zone", "Lead unit", "Co-operating units", "Leader", "Total investment (10k yuan)", "Annual plan (10k yuan)", "Start", "End", "Location", "Illustrative"},
		labels: map[string]string{"reform_task": "Reform task", "key_project": "Key project", "livelihood_project": "Livelihood project", "special_action": "Special action",
			"province": "Province", "city": "City", "district": "District", "planned": "Planned", "in_progress": "In progress", "completed": "Completed", "suspended": "Suspended",
			"true": "yes", "false": ""},
	},
}

func (s *Server) itemExportRoutes() {
	register(s, access.ItemRead, huma.Operation{OperationID: "export-items", Method: http.MethodGet, Path: "/api/v1/items/export",
		Tags: []string{"事项"}, Summary: "导出事项列表（.xlsx 或 CSV）", Description: "与事项列表相同的筛选和排序，只含当前用户数据范围内的事项；金额单位万元。",
		Responses: map[string]*huma.Response{"200": {Description: "Excel 工作簿或 CSV", Content: map[string]*huma.MediaType{
			xlsxMediaType: {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			"text/csv":    {Schema: &huma.Schema{Type: "string"}}}}}},
		func(ctx context.Context, in *ItemExportInput) (*huma.StreamResponse, error) {
			words := itemWords[in.Lang]
			widths := []float64{12, 36, 10, 8, 10, 16, 18, 24, 12, 14, 14, 12, 12, 20, 8}
			cols := make([]xlsx.Column, len(words.headers))
			for i, h := range words.headers {
				cols[i] = xlsx.Column{Header: h, Width: widths[i]}
			}
			sheet := map[string]string{"zh-CN": "事项", "en": "Items"}[in.Lang]
			w, mediaType, ext, err := exportSheet(in.Format, sheet, cols)
			if err != nil {
				return nil, err
			}
			f := campaign.ItemFilter{CampaignID: in.CampaignID, Type: in.Type, Level: in.Level, State: in.State, ZoneID: in.ZoneID,
				UnitID: in.UnitID, LeaderID: in.LeaderID, ParentID: in.ParentID, TopLevel: in.TopLevel, NoZone: in.NoZone, Q: in.Q, Sort: in.Sort}
			// Page through the list with its own query, so the export is
			// exactly the filtered, sorted, scoped list the user sees.
			for page := 1; ; page++ {
				f.Page = store.Page{Number: page, Size: 500}
				l, err := s.deps.Campaign.ListItems(ctx, f)
				if err != nil {
					return nil, err
				}
				for _, it := range l.Items {
					co := make([]string, len(it.CoUnits))
					for i, u := range it.CoUnits {
						co[i] = u.Name
					}
					if err := w.Row(it.Code, it.Name, words.labels[it.Type], words.labels[it.Level], words.labels[it.State], it.ZoneName,
						it.LeadUnitName, strings.Join(co, "、"), it.LeaderName, it.TotalInvestmentWan, it.AnnualInvestmentWan,
						it.StartDate.String(), it.EndDate.String(), it.Location, words.labels[fmt.Sprint(it.Illustrative)]); err != nil {
						return nil, err
					}
				}
				if len(l.Items) < 500 || page*500 >= l.Total {
					break
				}
			}
			name := fmt.Sprintf("gongjian-items-%s.%s", time.Now().Format("20060102-150405"), ext)
			return s.download(ctx, mediaType, name, w), nil
		})
}
