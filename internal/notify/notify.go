// Package notify tells units what they must do: reminders before and after a
// report is due, in the product and through a campaign's outgoing webhooks
// (generic JSON, DingTalk and WeCom group robots). Each reminder is created
// once, guarded by a unique key, and each delivery is sent by one process,
// guarded by a lease, and retried until it goes through.
package notify

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/org"
	"gongjian/internal/store"
)

// Service creates, lists and delivers notifications.
type Service struct {
	db     *store.DB
	now    func() time.Time
	sender Sender
	mailer Mailer // sends the "email" channel's deliveries; nil until configured
}

// New returns a Service; sender posts webhook payloads (HTTP in production).
func New(db *store.DB, sender Sender, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now, sender: sender}
}

// Notification is a message to a unit.
type Notification struct {
	ID        int64      `json:"id"`
	UnitID    int64      `json:"unit_id"`
	ItemID    *int64     `json:"item_id"`
	Kind      string     `json:"kind" enum:"report_due,report_overdue"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// List returns the notifications of the actor's unit and the units below it, newest first.
func (s *Service) List(ctx context.Context, unread bool) ([]Notification, error) {
	a := access.From(ctx)
	if a == nil {
		return nil, errs.Unauthorized("请先登录")
	}
	q := s.db.Read()
	cond, args := org.InSubtree(`unit_id`, a.UnitID)
	if unread {
		cond += ` AND read_at IS NULL`
	}
	rows, err := q.Query(ctx, `SELECT id, unit_id, item_id, kind, title, body, link, created_at, read_at FROM notifications WHERE `+cond+
		` ORDER BY created_at DESC, id DESC LIMIT 200`, args...)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	defer rows.Close()
	out := []Notification{}
	for rows.Next() {
		var n Notification
		var item sql.NullInt64
		var read sql.NullTime
		if err := rows.Scan(&n.ID, &n.UnitID, &item, &n.Kind, &n.Title, &n.Body, &n.Link, &n.CreatedAt, &read); err != nil {
			return nil, err
		}
		if item.Valid {
			n.ItemID = &item.Int64
		}
		if read.Valid {
			n.ReadAt = &read.Time
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// MarkRead marks a notification of the actor's units as read.
func (s *Service) MarkRead(ctx context.Context, id int64) error {
	ns, err := s.List(ctx, false)
	if err != nil {
		return err
	}
	for _, n := range ns {
		if n.ID == id {
			return s.db.Tx(ctx, func(q store.Querier) error {
				_, err := q.Exec(ctx, `UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL`, s.now().UTC(), id)
				return err
			})
		}
	}
	return errs.NotFound("通知", id)
}

// Webhook is an outgoing endpoint of a campaign.
type Webhook struct {
	ID         int64     `json:"id"`
	CampaignID int64     `json:"campaign_id"`
	Name       string    `json:"name"`
	URL        string    `json:"url"`
	Format     string    `json:"format" enum:"generic,dingtalk,wecom,email"`
	Enabled    bool      `json:"enabled"`
	CreatedAt  time.Time `json:"created_at"`
}

// WebhookInput adds a webhook.
type WebhookInput struct {
	Name   string `json:"name" maxLength:"100"`
	URL    string `json:"url" maxLength:"1000" doc:"内网地址，如 http://10.0.0.5/robot/send?access_token=…；email 渠道不填"`
	Format string `json:"format,omitempty" enum:"generic,dingtalk,wecom,email" doc:"email：按服务器的 SMTP 配置发邮件给单位联系人"`
}

// AddWebhook adds an outgoing webhook to a campaign.
func (s *Service) AddWebhook(ctx context.Context, campaignID int64, in WebhookInput) (Webhook, error) {
	if in.Format == "" {
		in.Format = "generic"
	}
	var c errs.Checker
	c.Check(strings.TrimSpace(in.Name) != "", "name", "required", "名称不能为空", nil)
	u, err := url.Parse(in.URL)
	if in.Format == "email" {
		in.URL, err = "", nil // recipients are the units' contacts
	} else {
		c.Check(err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "", "url", "url.invalid", "地址应为 http:// 或 https:// 开头的完整网址", in.URL)
	}
	c.Check(in.Format == "generic" || in.Format == "dingtalk" || in.Format == "wecom" || in.Format == "email", "format", "enum", "格式应为 generic、dingtalk、wecom 或 email", in.Format)
	if err := c.Err(); err != nil {
		return Webhook{}, err
	}
	var w Webhook
	err = s.db.Tx(ctx, func(q store.Querier) error {
		now := s.now().UTC()
		var id int64
		err := q.QueryRow(ctx, `INSERT INTO webhooks (campaign_id, name, url, format, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			campaignID, strings.TrimSpace(in.Name), in.URL, in.Format, now).Scan(&id)
		if store.IsForeignKey(err) {
			return errs.NotFound("攻坚年", campaignID)
		}
		if err != nil {
			return fmt.Errorf("insert webhook: %w", err)
		}
		w = Webhook{ID: id, CampaignID: campaignID, Name: strings.TrimSpace(in.Name), URL: in.URL, Format: in.Format, Enabled: true, CreatedAt: now}
		return audit.Write(ctx, q, audit.Entry{Action: "create", Entity: "webhook", EntityID: id, After: w})
	})
	return w, err
}

// ListWebhooks returns a campaign's webhooks.
func (s *Service) ListWebhooks(ctx context.Context, campaignID int64) ([]Webhook, error) {
	rows, err := s.db.Read().Query(ctx, `SELECT id, campaign_id, name, url, format, enabled, created_at FROM webhooks WHERE campaign_id = ? ORDER BY id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	defer rows.Close()
	out := []Webhook{}
	for rows.Next() {
		var w Webhook
		if err := rows.Scan(&w.ID, &w.CampaignID, &w.Name, &w.URL, &w.Format, &w.Enabled, &w.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// DeleteWebhook removes a webhook and its pending deliveries.
func (s *Service) DeleteWebhook(ctx context.Context, id int64) error {
	return s.db.Tx(ctx, func(q store.Querier) error {
		res, err := q.Exec(ctx, `DELETE FROM webhooks WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete webhook: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFound("推送地址", id)
		}
		return audit.Write(ctx, q, audit.Entry{Action: "delete", Entity: "webhook", EntityID: id})
	})
}
