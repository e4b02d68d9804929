package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"gongjian/internal/metrics"
	"gongjian/internal/store"
)

// Sender posts a JSON payload to a URL.
type Sender interface {
	Post(ctx context.Context, url string, body []byte) error
}

// HTTPSender posts with a bounded timeout and treats any non-2xx as failure.
type HTTPSender struct{ Client *http.Client }

// Post implements Sender.
func (h HTTPSender) Post(ctx context.Context, url string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	res, err := h.Client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("webhook answered %d", res.StatusCode)
	}
	return nil
}

// payload renders a notification in the webhook's format.
func payload(format, title, body, link string, at time.Time) ([]byte, error) {
	text := title + "\n" + body
	switch format {
	case "dingtalk", "wecom":
		// Both group robots take the same text message shape.
		return json.Marshal(map[string]any{"msgtype": "text", "text": map[string]string{"content": "【攻坚】" + text}})
	}
	return json.Marshal(map[string]any{"source": "gongjian", "title": title, "body": body, "link": link, "at": at.UTC().Format(time.RFC3339)})
}

// maxAttempts bounds retries; a delivery that fails this often is given up
// and stays visible as failed.
const maxAttempts = 8

// Deliver sends every delivery that is due. Call it only while holding the
// delivery lease, so that one process sends each delivery.
func (s *Service) Deliver(ctx context.Context) (sent int, err error) {
	now := s.now().UTC()
	rows, err := s.db.Read().Query(ctx, `SELECT d.id, d.attempts, w.url, w.format, n.title, n.body, n.link, n.created_at, n.id
		FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN notifications n ON n.id = d.notification_id
		WHERE d.state = 'pending' AND d.next_attempt_at <= ? ORDER BY d.id LIMIT 200`, now)
	if err != nil {
		return 0, fmt.Errorf("pending deliveries: %w", err)
	}
	type job struct {
		id                      int64
		attempts                int
		url, format, title, bod string
		link                    string
		at                      time.Time
		notification            int64
	}
	var jobs []job
	for rows.Next() {
		var j job
		if err := rows.Scan(&j.id, &j.attempts, &j.url, &j.format, &j.title, &j.bod, &j.link, &j.at, &j.notification); err != nil {
			rows.Close()
			return 0, err
		}
		jobs = append(jobs, j)
	}
	rows.Close()
	for _, j := range jobs {
		var sendErr error
		if j.format == "email" {
			sendErr = s.sendEmail(ctx, j.id, j.notification, j.title, j.bod, j.link, j.at)
		} else {
			body, err := payload(j.format, j.title, j.bod, j.link, j.at)
			if err != nil {
				return sent, err
			}
			sendErr = s.sender.Post(ctx, j.url, body)
		}
		err = s.db.Tx(ctx, func(q store.Querier) error {
			if sendErr == nil {
				_, err := q.Exec(ctx, `UPDATE deliveries SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = '' WHERE id = ?`, s.now().UTC(), j.id)
				return err
			}
			state := "pending"
			if j.attempts+1 >= maxAttempts {
				state = "failed"
			}
			backoff := time.Duration(1<<min(j.attempts, 10)) * 30 * time.Second
			_, err := q.Exec(ctx, `UPDATE deliveries SET state = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?`,
				state, s.now().UTC().Add(backoff), truncate(sendErr.Error(), 500), j.id)
			return err
		})
		if err != nil {
			return sent, fmt.Errorf("record delivery: %w", err)
		}
		if sendErr == nil {
			sent++
		}
	}
	return sent, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Job is another periodic task of the runner; it answers what it handled, by kind.
type Job struct {
	Name string
	Run  func(ctx context.Context) (map[string]int, error)
}

// Runner runs the reminder and delivery jobs on a schedule in one process of
// many: each round it takes (or renews) a lease and works only while it holds it.
type Runner struct {
	Service  *Service
	DB       *store.DB
	Holder   string            // this process, e.g. host:pid
	Interval time.Duration     // how often to look
	Metrics  *metrics.Registry // counts runs, failures, reminders and sends; may be nil
	// Jobs run each round under the same lease, after the reminders and
	// before the deliveries, so what they notify goes out in the same round
	// (e.g. casework's deadline warnings and escalations).
	Jobs []Job
	Log  interface {
		Info(msg string, args ...any)
		Error(msg string, args ...any)
	}
}

// Run loops until ctx ends.
func (r Runner) Run(ctx context.Context) {
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	for {
		r.Once(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Once runs one round if this process holds the lease.
func (r Runner) Once(ctx context.Context) {
	ok, err := r.DB.TryLease(ctx, "reminders", r.Holder, r.Service.now(), 3*r.Interval)
	if err != nil {
		r.Log.Error("reminder lease", "err", err)
		return
	}
	if !ok {
		return
	}
	n, err := r.Service.Remind(ctx)
	if err != nil {
		r.Log.Error("reminders", "err", err)
	}
	r.Metrics.ObserveJob("reminders", map[string]int{"reminders_created": n}, err)
	for _, j := range r.Jobs {
		counts, err := j.Run(ctx)
		if err != nil {
			r.Log.Error(j.Name, "err", err)
		}
		r.Metrics.ObserveJob(j.Name, counts, err)
	}
	sent, err := r.Service.Deliver(ctx)
	if err != nil {
		r.Log.Error("deliveries", "err", err)
	}
	r.Metrics.ObserveJob("deliveries", map[string]int{"webhooks_sent": sent}, err)
	if n+sent > 0 {
		r.Log.Info("reminders", "created", n, "webhooks_sent", sent)
	}
}
