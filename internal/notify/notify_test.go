package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/notify"
	"gongjian/internal/org"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

type discard struct{}

func (discard) Info(string, ...any)  {}
func (discard) Error(string, ...any) {}

// receiver is a local webhook endpoint that counts what it gets.
type receiver struct {
	mu     sync.Mutex
	bodies []string
	fail   int // answer 500 to this many requests first
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail > 0 {
		r.fail--
		w.WriteHeader(500)
		return
	}
	r.bodies = append(r.bodies, string(b))
}

func (r *receiver) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}

// seed makes a campaign running now with two items whose reports are missing.
func seed(t *testing.T, db *store.DB, now time.Time) (campaignID, unitID int64) {
	t.Helper()
	ctx := context.Background()
	o, c := org.New(db), campaign.New(db)
	u, err := o.CreateUnit(ctx, org.UnitInput{Code: "ZJJ", Name: "区住建局", Kind: "bureau"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := o.CreatePerson(ctx, org.PersonInput{Code: "P1", Name: "分管副区长", UnitID: &u.ID})
	if err != nil {
		t.Fatal(err)
	}
	camp, err := c.CreateCampaign(ctx, campaign.CampaignInput{Code: "NOW", Name: "当年攻坚", Year: now.Year(),
		StartDate: date.Of(now.AddDate(0, 0, -100)), EndDate: date.Of(now.AddDate(0, 0, 200)), Cadence: "monthly"})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"A", "B"} {
		if _, err := c.CreateItem(ctx, campaign.ItemInput{CampaignID: camp.ID, Code: code, Name: "项目" + code, Type: "key_project",
			LeaderID: p.ID, LeadUnitID: u.ID}); err != nil {
			t.Fatal(err)
		}
	}
	return camp.ID, u.ID
}

// Two server processes on one database: every reminder reaches the webhook
// exactly once, a failing webhook is retried, and units see their reminders.
func TestRemindersReachTheWebhookOnce(t *testing.T) {
	for _, e := range testdb.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			db1, db2 := twoProcesses(t, e)
			now := time.Now()
			campID, unitID := seed(t, db1, now)
			rcv := &receiver{fail: 1}
			srv := httptest.NewServer(rcv)
			defer srv.Close()
			clock := &testClock{t: now}
			tick := clock.now
			sender := notify.HTTPSender{Client: srv.Client()}
			s1, s2 := notify.New(db1, sender, tick), notify.New(db2, sender, tick)
			if _, err := s1.AddWebhook(ctx, campID, notify.WebhookInput{Name: "督查群", URL: "ftp://x", Format: "dingtalk"}); err == nil {
				t.Error("an ftp:// webhook was accepted")
			}
			if _, err := s1.AddWebhook(ctx, campID, notify.WebhookInput{Name: "督查群", URL: srv.URL + "/robot", Format: "dingtalk"}); err != nil {
				t.Fatal(err)
			}
			r1 := notify.Runner{Service: s1, DB: db1, Holder: "process-1", Interval: time.Minute, Log: discard{}}
			r2 := notify.Runner{Service: s2, DB: db2, Holder: "process-2", Interval: time.Minute, Log: discard{}}
			// Several rounds of both processes at once; then time passes so the
			// lease may change hands and the failed delivery is retried.
			for round := 0; round < 4; round++ {
				roundOfBoth(ctx, clock, r1, r2)
			}
			var notes int
			if err := db1.Read().QueryRow(ctx, `SELECT COUNT(*) FROM notifications`).Scan(&notes); err != nil {
				t.Fatal(err)
			}
			if notes == 0 {
				t.Fatal("no reminder for two items with a missing report")
			}
			got := rcv.got()
			if len(got) != notes {
				t.Errorf("%d notifications, %d webhook messages: each must arrive exactly once", notes, len(got))
			}
			seen := map[string]bool{}
			for _, b := range got {
				var m struct {
					Msgtype string `json:"msgtype"`
					Text    struct {
						Content string `json:"content"`
					} `json:"text"`
				}
				if err := json.Unmarshal([]byte(b), &m); err != nil || m.Msgtype != "text" || !strings.Contains(m.Text.Content, "逾期") && !strings.Contains(m.Text.Content, "截止") {
					t.Errorf("not a DingTalk text message about a report: %s", b)
				}
				if seen[b] {
					t.Errorf("delivered twice: %s", b)
				}
				seen[b] = true
			}
			// The unit's users see the reminders in the product.
			actx := access.With(ctx, &access.Actor{UserID: 1, Role: access.Reporter, UnitID: unitID})
			ns, err := s1.List(actx, true)
			if err != nil || len(ns) != notes {
				t.Fatalf("unit sees %d unread of %d (%v)", len(ns), notes, err)
			}
			if err := s1.MarkRead(actx, ns[0].ID); err != nil {
				t.Fatal(err)
			}
			if ns, _ := s1.List(actx, true); len(ns) != notes-1 {
				t.Errorf("after reading one: %d unread", len(ns))
			}
			other := access.With(ctx, &access.Actor{UserID: 2, Role: access.Reporter, UnitID: unitID + 999})
			if ns, _ := s1.List(other, false); len(ns) != 0 {
				t.Errorf("another unit sees %d reminders", len(ns))
			}
		})
	}
}
