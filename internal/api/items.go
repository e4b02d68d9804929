package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/store"
)

// ItemListInput filters, sorts and pages items.
type ItemListInput struct {
	CampaignID int64  `query:"campaign_id" minimum:"0"`
	Type       string `query:"type" enum:",reform_task,key_project,livelihood_project,special_action"`
	Level      string `query:"level" enum:",province,city,district"`
	State      string `query:"state" enum:",planned,in_progress,completed,suspended"`
	ZoneID     int64  `query:"zone_id" minimum:"0" doc:"战区（含其下网格）"`
	UnitID     int64  `query:"unit_id" minimum:"0" doc:"牵头或配合单位"`
	LeaderID   int64  `query:"leader_id" minimum:"0"`
	ParentID   int64  `query:"parent_id" minimum:"0"`
	TopLevel   bool   `query:"top_level" doc:"只看没有上级的事项"`
	NoZone     bool   `query:"no_zone" doc:"只看未划入战区的事项"`
	Q          string `query:"q" maxLength:"100" doc:"按名称或编码模糊查找"`
	Sort       string `query:"sort" maxLength:"100" doc:"排序字段，前加 - 为倒序，如 -total_investment"`
	Page       int    `query:"page" minimum:"0" maximum:"100000"`
	PageSize   int    `query:"page_size" minimum:"0" maximum:"500"`
}

// ItemSubInput addresses the milestones or targets of an item.
type ItemSubInput[T any] struct {
	ID   int64 `path:"id" minimum:"1"`
	Body T
}

func (s *Server) itemRoutes() {
	c := s.deps.Campaign
	register(s, access.ItemRead, huma.Operation{OperationID: "list-items", Method: http.MethodGet, Path: "/api/v1/items",
		Tags: []string{"事项"}, Summary: "事项列表", Description: "按攻坚年、类型、战区、单位、责任领导、状态和关键字筛选；返回总数与投资合计。只返回当前用户数据范围内的事项。"},
		func(ctx context.Context, in *ItemListInput) (*Body[campaign.ItemList], error) {
			l, err := c.ListItems(ctx, campaign.ItemFilter{CampaignID: in.CampaignID, Type: in.Type, Level: in.Level, State: in.State,
				ZoneID: in.ZoneID, UnitID: in.UnitID, LeaderID: in.LeaderID, ParentID: in.ParentID, TopLevel: in.TopLevel, NoZone: in.NoZone,
				Q: in.Q, Sort: in.Sort, Page: store.Page{Number: in.Page, Size: in.PageSize}})
			if err != nil {
				return nil, err
			}
			return &Body[campaign.ItemList]{Body: l}, nil
		})
	crud[campaign.Item, campaign.ItemInput]{base: "/api/v1/items", tag: "事项", name: "item", label: "事项",
		read: access.ItemRead, edit: access.ItemEdit, version: func(v campaign.Item) int { return v.Version },
		get: c.GetItem, create: c.CreateItem, update: c.UpdateItem, del: c.DeleteItem}.register(s)

	register(s, access.ItemRead, huma.Operation{OperationID: "list-item-milestones", Method: http.MethodGet, Path: "/api/v1/items/{id}/milestones",
		Tags: []string{"事项"}, Summary: "事项的节点"},
		func(ctx context.Context, in *IDInput) (*Body[ListOf[campaign.Milestone]], error) {
			ms, err := c.ListMilestones(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[campaign.Milestone]]{Body: ListOf[campaign.Milestone]{Items: ms, Total: len(ms)}}, nil
		})
	register(s, access.ItemEdit, huma.Operation{OperationID: "create-milestone", Method: http.MethodPost, Path: "/api/v1/items/{id}/milestones",
		Tags: []string{"事项"}, Summary: "新增节点", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *ItemSubInput[campaign.MilestoneInput]) (*Tagged[campaign.Milestone], error) {
			m, err := c.CreateMilestone(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[campaign.Milestone]{ETag: etag(m.Version), Body: m}, nil
		})
	crud[campaign.Milestone, campaign.MilestoneInput]{base: "/api/v1/milestones", tag: "事项", name: "milestone", label: "节点",
		read: access.ItemRead, edit: access.ItemEdit, version: func(v campaign.Milestone) int { return v.Version },
		get: c.GetMilestone, update: c.UpdateMilestone, del: c.DeleteMilestone}.registerWithoutCreate(s)

	register(s, access.ItemRead, huma.Operation{OperationID: "list-item-targets", Method: http.MethodGet, Path: "/api/v1/items/{id}/targets",
		Tags: []string{"事项"}, Summary: "事项的目标"},
		func(ctx context.Context, in *IDInput) (*Body[ListOf[campaign.Target]], error) {
			ts, err := c.ListTargets(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[campaign.Target]]{Body: ListOf[campaign.Target]{Items: ts, Total: len(ts)}}, nil
		})
	register(s, access.ItemEdit, huma.Operation{OperationID: "create-target", Method: http.MethodPost, Path: "/api/v1/items/{id}/targets",
		Tags: []string{"事项"}, Summary: "新增目标", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *ItemSubInput[campaign.TargetInput]) (*Tagged[campaign.Target], error) {
			t, err := c.CreateTarget(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[campaign.Target]{ETag: etag(t.Version), Body: t}, nil
		})
	crud[campaign.Target, campaign.TargetInput]{base: "/api/v1/targets", tag: "事项", name: "target", label: "目标",
		read: access.ItemRead, edit: access.ItemEdit, version: func(v campaign.Target) int { return v.Version },
		get: c.GetTarget, update: c.UpdateTarget, del: c.DeleteTarget}.registerWithoutCreate(s)
}

// CockpitInput selects a campaign and the date to see it as of.
type CockpitInput struct {
	CampaignID int64     `query:"campaign_id" minimum:"1" required:"true"`
	AsOf       date.Date `query:"as_of" doc:"按此日期查看（YYYY-MM-DD），默认今天；攻坚年已结束时为其结束日"`
}

func (s *Server) cockpitRoutes() {
	register(s, access.ItemRead, huma.Operation{OperationID: "get-cockpit", Method: http.MethodGet, Path: "/api/v1/cockpit",
		Tags: []string{"驾驶舱"}, Summary: "驾驶舱汇总", Description: "当前用户数据范围内：按类型的事项数与投资，重点项目按战区、级别、状态分组，逾期、临近与近期完成的节点。"},
		func(ctx context.Context, in *CockpitInput) (*Body[campaign.Cockpit], error) {
			asOf, err := s.defaultAsOf(ctx, in.CampaignID, in.AsOf)
			if err != nil {
				return nil, err
			}
			c, err := s.deps.Campaign.Cockpit(ctx, in.CampaignID, asOf)
			if err != nil {
				return nil, err
			}
			return &Body[campaign.Cockpit]{Body: c}, nil
		})
}
