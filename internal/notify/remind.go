package notify

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/progress"
	"gongjian/internal/store"
)

// dueSoonDays is how long before the due day the first reminder goes out.
const dueSoonDays = 2

// Remind creates the reminders that are due now: for every running campaign
// and every active item whose report for the period due next is not in,
// "due soon" within two days of the due day and "overdue" after it. A
// reminder's key makes a second run, or a second process, create nothing.
func (s *Service) Remind(ctx context.Context) (int, error) {
	now := s.now()
	today := date.Of(now)
	rows, err := s.db.Read().Query(ctx, `SELECT id, cadence, report_due_days FROM campaigns WHERE start_date <= ? AND end_date >= ?`,
		today, date.Of(now.AddDate(0, -1, 0)))
	if err != nil {
		return 0, fmt.Errorf("remind campaigns: %w", err)
	}
	type camp struct {
		id      int64
		cadence string
		due     int
	}
	var camps []camp
	for rows.Next() {
		var c camp
		if err := rows.Scan(&c.id, &c.cadence, &c.due); err != nil {
			rows.Close()
			return 0, err
		}
		camps = append(camps, c)
	}
	rows.Close()
	created := 0
	for _, c := range camps {
		// The period due next, and the one before it if it is still missing.
		cur := progress.CurrentPeriod(c.cadence, today, c.due)
		prev := progress.PeriodOf(c.cadence, date.Of(cur.Start.Time().AddDate(0, 0, -1)), c.due)
		for _, p := range []progress.Period{prev, cur} {
			var kind, title string
			switch {
			case today.After(p.Due):
				kind, title = "report_overdue", fmt.Sprintf("%s 期进展已逾期未报送", p.Key)
			case !today.Before(date.Of(p.Due.Time().AddDate(0, 0, -dueSoonDays))):
				kind, title = "report_due", fmt.Sprintf("%s 期进展将于 %s 截止报送", p.Key, p.Due.Chinese())
			default:
				continue
			}
			n, err := s.remindPeriod(ctx, c.id, p, kind, title, now)
			if err != nil {
				return created, err
			}
			created += n
		}
	}
	return created, nil
}

func (s *Service) remindPeriod(ctx context.Context, campaignID int64, p progress.Period, kind, title string, now time.Time) (int, error) {
	rows, err := s.db.Read().Query(ctx, `SELECT i.id, i.code, i.name, i.lead_unit_id FROM items i
		LEFT JOIN reports r ON r.item_id = i.id AND r.period = ?
		WHERE i.campaign_id = ? AND i.state IN ('planned', 'in_progress') AND (i.start_date IS NULL OR i.start_date <= ?)
		AND (r.id IS NULL OR r.state IN ('draft', 'returned')) ORDER BY i.id`, p.Key, campaignID, p.End)
	if err != nil {
		return 0, fmt.Errorf("remind items: %w", err)
	}
	type item struct {
		id, unit   int64
		code, name string
	}
	var items []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.id, &it.code, &it.name, &it.unit); err != nil {
			rows.Close()
			return 0, err
		}
		items = append(items, it)
	}
	rows.Close()
	created := 0
	for _, it := range items {
		key := fmt.Sprintf("%s:%d:%s", kind, it.id, p.Key)
		err := s.db.Tx(ctx, func(q store.Querier) error {
			var id int64
			err := q.QueryRow(ctx, `INSERT INTO notifications (unit_id, campaign_id, item_id, kind, title, body, link, dedupe_key, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
				it.unit, campaignID, it.id, kind, title, fmt.Sprintf("%s %s", it.code, it.name),
				fmt.Sprintf("/reports/%d/%s", it.id, p.Key), key, now.UTC()).Scan(&id)
			if store.IsNoRows(err) {
				return nil // created before, by this or another process
			}
			if err != nil {
				return fmt.Errorf("insert notification: %w", err)
			}
			created++
			_, err = q.Exec(ctx, `INSERT INTO deliveries (notification_id, webhook_id, next_attempt_at)
				SELECT ?, w.id, ? FROM webhooks w WHERE w.campaign_id = ? AND w.enabled = ?`, id, now.UTC(), campaignID, true)
			if err != nil {
				return fmt.Errorf("queue deliveries: %w", err)
			}
			return nil
		})
		if err != nil {
			return created, err
		}
	}
	return created, nil
}
