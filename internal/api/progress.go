package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/progress"
	"gongjian/internal/store"
)

// PeriodsInput names a campaign.
type PeriodsInput struct {
	CampaignID int64 `query:"campaign_id" minimum:"1" required:"true"`
}

// TasksInput selects a campaign and period.
type TasksInput struct {
	CampaignID int64  `query:"campaign_id" minimum:"1" required:"true"`
	Period     string `query:"period" maxLength:"10" doc:"填报期，如 2022-09 或 2022-W36；默认当前应报的一期"`
}

// ReportListInput filters reports.
type ReportListInput struct {
	CampaignID int64  `query:"campaign_id" minimum:"0"`
	ItemID     int64  `query:"item_id" minimum:"0"`
	Period     string `query:"period" maxLength:"10"`
	State      string `query:"state" enum:",draft,submitted,accepted,returned"`
	Page       int    `query:"page" minimum:"0" maximum:"100000"`
	PageSize   int    `query:"page_size" minimum:"0" maximum:"500"`
}

// SaveReportInput writes an item's report for a period.
type SaveReportInput struct {
	ID      int64  `path:"id" minimum:"1"`
	Period  string `path:"period" maxLength:"10"`
	IfMatch string `header:"If-Match" required:"true" doc:"当前版本号；新建时为 \"0\""`
	Body    progress.ReportInput
}

// ReviewInput is a state change of a report.
type ReviewInput struct {
	ID      int64  `path:"id" minimum:"1"`
	IfMatch string `header:"If-Match" required:"true"`
}

// ReturnInput returns a report with a reason.
type ReturnInput struct {
	ID      int64  `path:"id" minimum:"1"`
	IfMatch string `header:"If-Match" required:"true"`
	Body    struct {
		Reason string `json:"reason" maxLength:"2000" doc:"退回原因"`
	}
}

// LightsInput selects lights.
type LightsInput struct {
	CampaignID int64     `query:"campaign_id" minimum:"1" required:"true"`
	AsOf       date.Date `query:"as_of" doc:"按此日期查看（默认今天，攻坚年已结束时为其结束日）"`
	TopLevel   bool      `query:"top_level"`
	Type       string    `query:"type" enum:",reform_task,key_project,livelihood_project,special_action"`
	ItemID     int64     `query:"item_id" minimum:"0"`
	Light      string    `query:"light" enum:",green,yellow,red"`
	Page       int       `query:"page" minimum:"0" maximum:"100000" doc:"页码，从 1 起；与 page_size 一起使用"`
	PageSize   int       `query:"page_size" minimum:"0" maximum:"500" doc:"每页事项数；0 为全部（导出同）"`
}

// LightList is the lights of a campaign with their totals.
type LightList struct {
	AsOf   date.Date            `json:"as_of"`
	Counts map[string]int       `json:"counts" doc:"各灯色事项数（全部事项，不受 light 和分页影响）"`
	Total  int                  `json:"total" doc:"符合 light 筛选的事项数（分页前）"`
	Items  []progress.ItemLight `json:"items"`
}

// RollupInput selects a roll-up.
type RollupInput struct {
	CampaignID int64     `query:"campaign_id" minimum:"1" required:"true"`
	By         string    `query:"by" enum:"zone,unit,leader,type,level,campaign" required:"true"`
	AsOf       date.Date `query:"as_of"`
	TopLevel   bool      `query:"top_level"`
	Type       string    `query:"type" enum:",reform_task,key_project,livelihood_project,special_action"`
}

// RulesInput sets light rules.
type RulesInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body progress.Rules
}

// OverrideInput sets an item's light by hand.
type OverrideInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Light  string `json:"light" enum:",green,yellow,red" doc:"留空为取消人工调整"`
		Reason string `json:"reason" maxLength:"2000"`
	}
}

func parseVersionOrNew(h string) (int, error) {
	if strings.Trim(strings.TrimSpace(h), `"`) == "0" {
		return 0, nil
	}
	return parseVersion(h)
}

func (s *Server) progressRoutes() {
	p := s.deps.Progress
	tag := []string{"进展填报"}
	register(s, access.CampaignRead, huma.Operation{OperationID: "list-periods", Method: http.MethodGet, Path: "/api/v1/periods", Tags: tag,
		Summary: "攻坚年的填报期"},
		func(ctx context.Context, in *PeriodsInput) (*Body[ListOf[progress.Period]], error) {
			c, err := s.deps.Campaign.GetCampaign(ctx, in.CampaignID)
			if err != nil {
				return nil, err
			}
			ps := progress.Periods(c.Cadence, c.StartDate, c.EndDate, c.DueDays)
			return &Body[ListOf[progress.Period]]{Body: ListOf[progress.Period]{Items: ps, Total: len(ps)}}, nil
		})
	register(s, access.ReportWrite, huma.Operation{OperationID: "list-tasks", Method: http.MethodGet, Path: "/api/v1/tasks", Tags: tag,
		Summary: "本期填报任务", Description: "本单位牵头的在推进事项及其本期填报状态（督查人员看全区）。"},
		func(ctx context.Context, in *TasksInput) (*Body[progress.TaskList], error) {
			l, err := p.Tasks(ctx, in.CampaignID, in.Period)
			if err != nil {
				return nil, err
			}
			return &Body[progress.TaskList]{Body: l}, nil
		})
	register(s, access.ItemRead, huma.Operation{OperationID: "list-reports", Method: http.MethodGet, Path: "/api/v1/reports", Tags: tag,
		Summary: "填报列表"},
		func(ctx context.Context, in *ReportListInput) (*Body[ListOf[progress.Report]], error) {
			rs, total, err := p.ListReports(ctx, progress.ReportFilter{CampaignID: in.CampaignID, ItemID: in.ItemID, Period: in.Period,
				State: in.State, Page: store.Page{Number: in.Page, Size: in.PageSize}})
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[progress.Report]]{Body: ListOf[progress.Report]{Items: rs, Total: total}}, nil
		})
	register(s, access.ItemRead, huma.Operation{OperationID: "get-report", Method: http.MethodGet, Path: "/api/v1/reports/{id}", Tags: tag,
		Summary: "查看填报"},
		func(ctx context.Context, in *IDInput) (*Tagged[progress.Report], error) {
			r, err := p.GetReport(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Tagged[progress.Report]{ETag: etag(r.Version), Body: r}, nil
		})
	register(s, access.ItemRead, huma.Operation{OperationID: "list-report-revisions", Method: http.MethodGet, Path: "/api/v1/reports/{id}/revisions",
		Tags: tag, Summary: "填报的全部修订", Description: "每次保存、报送、退回、审核都留下一版，谁、何时。"},
		func(ctx context.Context, in *IDInput) (*Body[ListOf[progress.Revision]], error) {
			rs, err := p.Revisions(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[progress.Revision]]{Body: ListOf[progress.Revision]{Items: rs, Total: len(rs)}}, nil
		})
	// A report's content, written as a draft or written and submitted at once.
	write := func(op huma.Operation, f func(context.Context, int64, string, int, progress.ReportInput) (progress.Report, error)) {
		op.Tags = tag
		register(s, access.ReportWrite, op, func(ctx context.Context, in *SaveReportInput) (*Tagged[progress.Report], error) {
			ver, err := parseVersionOrNew(in.IfMatch)
			if err != nil {
				return nil, err
			}
			r, err := f(ctx, in.ID, in.Period, ver, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[progress.Report]{ETag: etag(r.Version), Body: r}, nil
		})
	}
	write(huma.Operation{OperationID: "save-report", Method: http.MethodPut, Path: "/api/v1/items/{id}/reports/{period}",
		Summary: "保存填报草稿", Description: "新建时 If-Match 为 \"0\"。修改已报送或已审核的填报会撤回为草稿，并保留原版本。"}, p.SaveReport)
	write(huma.Operation{OperationID: "submit-item-report", Method: http.MethodPost, Path: "/api/v1/items/{id}/reports/{period}/submit",
		Summary: "保存并报送",
		Description: "正文与 If-Match 同保存草稿（新建时为 \"0\"）：内容与报送在同一事务中写入，留一版修订（报送）、一条留痕；" +
			"保存或报送的任何一项检查不通过则什么也不写。未改动的草稿用 POST /api/v1/reports/{id}/submit 报送。"}, p.SubmitReport)
	transition := func(id, path, summary string, perm access.Permission, f func(context.Context, int64, int) (progress.Report, error)) {
		register(s, perm, huma.Operation{OperationID: id, Method: http.MethodPost, Path: path, Tags: tag, Summary: summary},
			func(ctx context.Context, in *ReviewInput) (*Tagged[progress.Report], error) {
				ver, err := parseVersion(in.IfMatch)
				if err != nil {
					return nil, err
				}
				r, err := f(ctx, in.ID, ver)
				if err != nil {
					return nil, err
				}
				return &Tagged[progress.Report]{ETag: etag(r.Version), Body: r}, nil
			})
	}
	transition("submit-report", "/api/v1/reports/{id}/submit", "报送", access.ReportWrite, p.Submit)
	transition("accept-report", "/api/v1/reports/{id}/accept", "审核通过", access.ReportReview, p.Accept)
	register(s, access.ReportReview, huma.Operation{OperationID: "return-report", Method: http.MethodPost, Path: "/api/v1/reports/{id}/return",
		Tags: tag, Summary: "退回填报"},
		func(ctx context.Context, in *ReturnInput) (*Tagged[progress.Report], error) {
			ver, err := parseVersion(in.IfMatch)
			if err != nil {
				return nil, err
			}
			r, err := p.Return(ctx, in.ID, ver, in.Body.Reason)
			if err != nil {
				return nil, err
			}
			return &Tagged[progress.Report]{ETag: etag(r.Version), Body: r}, nil
		})

	ltag := []string{"亮灯"}
	register(s, access.ItemRead, huma.Operation{OperationID: "list-lights", Method: http.MethodGet, Path: "/api/v1/lights", Tags: ltag,
		Summary: "事项亮灯", Description: "每个事项的红黄绿灯及其原因、目标的序时进度，可按 as_of 查看任一过去日期。"},
		func(ctx context.Context, in *LightsInput) (*Body[LightList], error) {
			out, err := s.lightList(ctx, in)
			if err != nil {
				return nil, err
			}
			out.Total = len(out.Items)
			if in.PageSize > 0 {
				lo := min(len(out.Items), (max(1, in.Page)-1)*in.PageSize)
				out.Items = out.Items[lo:min(len(out.Items), lo+in.PageSize)]
			}
			return &Body[LightList]{Body: out}, nil
		})
	register(s, access.ItemRead, huma.Operation{OperationID: "list-rollups", Method: http.MethodGet, Path: "/api/v1/rollups", Tags: ltag,
		Summary: "分组汇总", Description: "按战区、单位、责任领导、类型、级别汇总灯色、完成数、年度计划与完成投资。"},
		func(ctx context.Context, in *RollupInput) (*Body[ListOf[progress.Rollup]], error) {
			asOf, err := s.defaultAsOf(ctx, in.CampaignID, in.AsOf)
			if err != nil {
				return nil, err
			}
			ls, err := p.Lights(ctx, progress.LightFilter{CampaignID: in.CampaignID, AsOf: asOf, TopLevel: in.TopLevel, Type: in.Type,
				KnownBy: s.knownBy(in.AsOf), ColoursOnly: true})
			if err != nil {
				return nil, err
			}
			rs, err := progress.Rollups(ls, in.By)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[progress.Rollup]]{Body: ListOf[progress.Rollup]{Items: rs, Total: len(rs)}}, nil
		})
	register(s, access.CampaignRead, huma.Operation{OperationID: "get-light-rules", Method: http.MethodGet, Path: "/api/v1/campaigns/{id}/light-rules",
		Tags: ltag, Summary: "亮灯规则"},
		func(ctx context.Context, in *IDInput) (*Body[progress.Rules], error) {
			r, err := p.RulesOf(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Body[progress.Rules]{Body: r}, nil
		})
	register(s, access.ReportReview, huma.Operation{OperationID: "set-light-rules", Method: http.MethodPut, Path: "/api/v1/campaigns/{id}/light-rules",
		Tags: ltag, Summary: "设置亮灯规则"},
		func(ctx context.Context, in *RulesInput) (*Body[progress.Rules], error) {
			r, err := p.SetRules(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &Body[progress.Rules]{Body: r}, nil
		})
	register(s, access.ReportReview, huma.Operation{OperationID: "set-light-override", Method: http.MethodPut, Path: "/api/v1/items/{id}/light-override",
		Tags: ltag, Summary: "人工调整灯色", Description: "须写明理由，留痕可查；light 留空为取消。", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *OverrideInput) (*struct{}, error) {
			return nil, p.SetOverride(ctx, in.ID, in.Body.Light, in.Body.Reason)
		})
	s.planRoutes()
}

// knownBy is "everything on record now" when the caller asked for no past
// day, and otherwise the end of that day (the zero time).
func (s *Server) knownBy(asked date.Date) time.Time {
	if asked.IsZero() {
		return s.deps.Now()
	}
	return time.Time{}
}

// defaultAsOf is today, or the campaign's last day once it has ended, so a
// finished campaign is shown as it closed rather than as ever more overdue.
func (s *Server) defaultAsOf(ctx context.Context, campaignID int64, asOf date.Date) (date.Date, error) {
	if !asOf.IsZero() {
		return asOf, nil
	}
	c, err := s.deps.Campaign.GetCampaign(ctx, campaignID)
	if err != nil {
		return asOf, err
	}
	today := date.Of(s.deps.Now())
	if today.After(c.EndDate) {
		return c.EndDate, nil
	}
	return today, nil
}
