package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/notify"
)

// NotificationListInput filters notifications.
type NotificationListInput struct {
	Unread bool `query:"unread" doc:"只看未读"`
}

// WebhookCreateInput adds a webhook to a campaign.
type WebhookCreateInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body notify.WebhookInput
}

func (s *Server) notifyRoutes() {
	n := s.deps.Notify
	tag := []string{"提醒"}
	register(s, access.Self, huma.Operation{OperationID: "list-notifications", Method: http.MethodGet, Path: "/api/v1/notifications", Tags: tag,
		Summary: "本单位的提醒", Description: "填报截止前两天提醒、逾期提醒；最新的在前。"},
		func(ctx context.Context, in *NotificationListInput) (*Body[ListOf[notify.Notification]], error) {
			ns, err := n.List(ctx, in.Unread)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[notify.Notification]]{Body: ListOf[notify.Notification]{Items: ns, Total: len(ns)}}, nil
		})
	register(s, access.Self, huma.Operation{OperationID: "read-notification", Method: http.MethodPost, Path: "/api/v1/notifications/{id}/read", Tags: tag,
		Summary: "标为已读", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *IDInput) (*struct{}, error) { return nil, n.MarkRead(ctx, in.ID) })
	register(s, access.CampaignEdit, huma.Operation{OperationID: "list-webhooks", Method: http.MethodGet, Path: "/api/v1/campaigns/{id}/webhooks", Tags: tag,
		Summary: "推送地址"},
		func(ctx context.Context, in *IDInput) (*Body[ListOf[notify.Webhook]], error) {
			ws, err := n.ListWebhooks(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[notify.Webhook]]{Body: ListOf[notify.Webhook]{Items: ws, Total: len(ws)}}, nil
		})
	register(s, access.CampaignEdit, huma.Operation{OperationID: "create-webhook", Method: http.MethodPost, Path: "/api/v1/campaigns/{id}/webhooks", Tags: tag,
		Summary: "新增推送地址", Description: "提醒同时推送到该地址：generic 为通用 JSON，dingtalk / wecom 为钉钉、企业微信群机器人文本消息。", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *WebhookCreateInput) (*Body[notify.Webhook], error) {
			w, err := n.AddWebhook(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &Body[notify.Webhook]{Body: w}, nil
		})
	register(s, access.CampaignEdit, huma.Operation{OperationID: "delete-webhook", Method: http.MethodDelete, Path: "/api/v1/webhooks/{id}", Tags: tag,
		Summary: "删除推送地址", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *IDInput) (*struct{}, error) { return nil, n.DeleteWebhook(ctx, in.ID) })
}
