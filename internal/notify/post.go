package notify

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/store"
)

// Message is an in-app notification another feature posts to a unit, such as
// a case assigned to it or a case escalated to its leader.
type Message struct {
	UnitID     int64
	CampaignID *int64 // the campaign whose webhooks also carry it; nil for none
	ItemID     *int64
	PersonID   *int64 // a person it is meant for besides the unit (an escalated case's leader); e-mail goes to this person alone
	Kind       string // e.g. case_assigned, case_due, case_overdue, case_escalated
	Title      string
	Body       string
	Link       string // a path of the UI, e.g. /cases/12
	DedupeKey  string // posting the same key twice creates one notification
	At         time.Time
}

// Post writes m inside the caller's transaction q and queues its deliveries to
// the campaign's enabled webhooks, which the runner sends after commit. A
// message whose key exists already is skipped: created is false.
func Post(ctx context.Context, q store.Querier, m Message) (id int64, created bool, err error) {
	err = q.QueryRow(ctx, `INSERT INTO notifications (unit_id, campaign_id, item_id, person_id, kind, title, body, link, dedupe_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
		m.UnitID, m.CampaignID, m.ItemID, m.PersonID, m.Kind, m.Title, m.Body, m.Link, m.DedupeKey, m.At.UTC()).Scan(&id)
	if store.IsNoRows(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("post notification: %w", err)
	}
	if m.CampaignID != nil {
		if _, err := q.Exec(ctx, `INSERT INTO deliveries (notification_id, webhook_id, next_attempt_at)
			SELECT ?, w.id, ? FROM webhooks w WHERE w.campaign_id = ? AND w.enabled = ?`, id, m.At.UTC(), *m.CampaignID, true); err != nil {
			return id, true, fmt.Errorf("queue deliveries: %w", err)
		}
	}
	return id, true, nil
}
