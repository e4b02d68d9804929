package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/progress"
	"gongjian/internal/store"
)

// ExtensionListInput filters deadline extensions.
type ExtensionListInput struct {
	CampaignID  int64  `query:"campaign_id" minimum:"0"`
	ItemID      int64  `query:"item_id" minimum:"0"`
	MilestoneID int64  `query:"milestone_id" minimum:"0"`
	TargetID    int64  `query:"target_id" minimum:"0"`
	State       string `query:"state" enum:",requested,approved,rejected" doc:"requested：待审批；approved：已批准；rejected：未批准"`
	Page        int    `query:"page" minimum:"0" maximum:"100000"`
	PageSize    int    `query:"page_size" minimum:"0" maximum:"500"`
}

// ExtensionDecision is the supervisor's note on a decision.
type ExtensionDecision struct {
	Note string `json:"note,omitempty" maxLength:"2000" doc:"审批意见；不批准时必填"`
}

// DecideExtensionInput approves or rejects an extension of a given version.
type DecideExtensionInput struct {
	ID      int64              `path:"id" minimum:"1"`
	IfMatch string             `header:"If-Match" required:"true" doc:"延期申请当前版本号"`
	Body    *ExtensionDecision `doc:"批准时可省略"`
}

func (s *Server) extensionRoutes() {
	p := s.deps.Progress
	tag := []string{"延期申请"}
	register(s, access.ReportWrite, huma.Operation{OperationID: "request-extension", Method: http.MethodPost, Path: "/api/v1/extensions",
		Tags: tag, Summary: "申请延期", DefaultStatus: http.StatusCreated, Errors: []int{http.StatusNotFound, http.StatusConflict},
		Description: "牵头单位为事项的一个节点（milestone_id）或目标（target_id）申请新的日期，须晚于当前计划日期并写明理由。" +
			"同一节点或目标同时只能有一份待审批的申请；已完成的节点不能申请。原定日期保留在申请上（old_date）。"},
		func(ctx context.Context, in *Body[progress.ExtensionInput]) (*Tagged[progress.Extension], error) {
			e, err := p.RequestExtension(ctx, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[progress.Extension]{ETag: etag(e.Version), Body: e}, nil
		})
	register(s, access.ItemRead, huma.Operation{OperationID: "list-extensions", Method: http.MethodGet, Path: "/api/v1/extensions",
		Tags: tag, Summary: "延期申请列表", Description: "当前用户数据范围内事项的延期申请，最新的在前；可按攻坚年、事项、节点、目标和状态筛选。"},
		func(ctx context.Context, in *ExtensionListInput) (*Body[ListOf[progress.Extension]], error) {
			es, total, err := p.ListExtensions(ctx, progress.ExtensionFilter{CampaignID: in.CampaignID, ItemID: in.ItemID,
				MilestoneID: in.MilestoneID, TargetID: in.TargetID, State: in.State, Page: store.Page{Number: in.Page, Size: in.PageSize}})
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[progress.Extension]]{Body: ListOf[progress.Extension]{Items: es, Total: total}}, nil
		})
	register(s, access.ItemRead, huma.Operation{OperationID: "get-extension", Method: http.MethodGet, Path: "/api/v1/extensions/{id}",
		Tags: tag, Summary: "查看延期申请"},
		func(ctx context.Context, in *IDInput) (*Tagged[progress.Extension], error) {
			e, err := p.GetExtension(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Tagged[progress.Extension]{ETag: etag(e.Version), Body: e}, nil
		})
	decide := func(id, path, summary, desc string, approve bool) {
		register(s, access.ReportReview, huma.Operation{OperationID: id, Method: http.MethodPost, Path: path, Tags: tag,
			Summary: summary, Description: desc, Errors: []int{http.StatusConflict, http.StatusPreconditionFailed}},
			func(ctx context.Context, in *DecideExtensionInput) (*Tagged[progress.Extension], error) {
				ver, err := parseVersion(in.IfMatch)
				if err != nil {
					return nil, err
				}
				note := ""
				if in.Body != nil {
					note = in.Body.Note
				}
				e, err := p.DecideExtension(ctx, in.ID, ver, approve, note)
				if err != nil {
					return nil, err
				}
				return &Tagged[progress.Extension]{ETag: etag(e.Version), Body: e}, nil
			})
	}
	decide("approve-extension", "/api/v1/extensions/{id}/approve", "批准延期",
		"只能审批待审批的申请。批准后节点计划日期或目标期限改为新日期（版本号加一，留痕记录修改前后），原定日期仍保留在申请上。", true)
	decide("reject-extension", "/api/v1/extensions/{id}/reject", "不批准延期",
		"只能审批待审批的申请，须写明理由（note）；节点或目标的日期不变。", false)
}
