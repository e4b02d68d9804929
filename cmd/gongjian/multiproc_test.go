package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gongjian/internal/gen"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// procClient is a signed-in client of one server process.
type procClient struct {
	base string
	hc   *http.Client
}

func signInAs(t *testing.T, base, user string) *procClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &procClient{base: base, hc: &http.Client{Jar: jar, Timeout: 20 * time.Second}}
	if code, _, body := c.send(http.MethodPost, "/api/v1/auth/login", "", map[string]string{"username": user, "password": gen.ScalePassword}); code != 200 {
		t.Fatalf("login %s at %s: %d %s", user, base, code, body)
	}
	return c
}

// send returns the status (0 when the server could not be reached), the ETag and the body.
func (c *procClient) send(method, path, ifMatch string, body any) (int, string, []byte) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return 0, "", []byte(err.Error())
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("ETag"), b
}

// receiver is a webhook endpoint that counts every payload it is sent.
type receiver struct {
	mu  sync.Mutex
	got map[string]int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.got[string(b)]++
	r.mu.Unlock()
}

func (r *receiver) counts() (total, distinct, twice int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.got {
		total += n
		distinct++
		if n > 1 {
			twice++
		}
	}
	return
}

// Two `gongjian serve` processes on one PostgreSQL share the work: report
// submits go to both in turn, the one holding the job lease is killed with
// SIGKILL mid-run and the other carries on — it takes over the lease and
// sends what is queued. Afterwards every submit that was acknowledged is in
// the database exactly once, with its revision and its investment figure
// recorded once; no failed one is half-written; every reminder and
// notification of the period was delivered to the webhook exactly once.
func TestTwoServersOnePostgresSurviveAKill(t *testing.T) {
	if os.Getenv(testdb.EnvPostgres) == "" {
		t.Skip("needs PostgreSQL (GONGJIAN_TEST_POSTGRES): several server processes share one database only there")
	}
	ctx := context.Background()
	bin := buildBinary(t)
	dsn := testdb.DSN(t, store.Postgres)
	hook := &receiver{got: map[string]int{}}
	hookSrv := httptest.NewServer(hook)
	defer hookSrv.Close()

	// A district whose campaign runs now (so that reminders are due), with
	// its accounts and a webhook on the campaign.
	db := openMigrated(t, dsn)
	st := smallScale(t, db, func(opt *gen.ScaleOptions) {
		opt.Base.Year = time.Now().AddDate(0, 0, -40).Year()
		opt.Base.Weeks = 0
		opt.Cases, opt.Ledgers, opt.LedgerRows, opt.Regions, opt.Months = 0, 0, 0, 0, 0
	})
	d := st.Districts[0]
	if err := db.Tx(ctx, func(q store.Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO webhooks (campaign_id, name, url, format, created_at) VALUES (?, '测试机器人', ?, 'generic', ?)`,
			d.CampaignID, hookSrv.URL, time.Now().UTC())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	one := func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := db.Read().QueryRow(ctx, query, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return n
	}
	// waitSent waits until the deliveries are all sent (they number at least min).
	waitSent := func(min int, why string) {
		t.Helper()
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if one(`SELECT COUNT(*) FROM deliveries WHERE state <> 'sent'`) == 0 && one(`SELECT COUNT(*) FROM deliveries`) >= min {
				return
			}
		}
		t.Fatalf("%s: %d deliveries, %d not sent", why, one(`SELECT COUNT(*) FROM deliveries`), one(`SELECT COUNT(*) FROM deliveries WHERE state <> 'sent'`))
	}

	var procs [2]*proc
	for i := range procs {
		cmd, base := startServer(t, bin, "serve", "--db", dsn, "--job-interval", "250ms")
		procs[i] = &proc{cmd: cmd, c: signInAs(t, base, d.Supervisor)}
	}
	var items struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	code, _, body := procs[0].c.send(http.MethodGet, fmt.Sprintf("/api/v1/items?campaign_id=%d&page_size=100", d.CampaignID), "", nil)
	if code != 200 || json.Unmarshal(body, &items) != nil || len(items.Items) != 60 {
		t.Fatalf("items: %d %s", code, body)
	}
	newCase := func(p *proc, title string) {
		t.Helper()
		code, _, body := p.c.send(http.MethodPost, "/api/v1/cases", "", map[string]any{"type": "problem", "title": title,
			"item_id": items.Items[0].ID, "deadline": time.Now().AddDate(0, 0, 10).Format("2006-01-02")})
		if code != 201 && code != 200 {
			t.Fatalf("create case: %d %s", code, body)
		}
	}
	// The reminders of the running period went out first; then one case.
	newCase(procs[0], "双进程测试：杀进程前交办")
	waitSent(1, "before the kill")

	// The period reported on: last month (within the campaign year).
	period := time.Now().AddDate(0, -1, 0).Format("2006-01")
	if y := time.Now().AddDate(0, 0, -40).Year(); period[:4] != strconv.Itoa(y) {
		period = fmt.Sprintf("%d-12", y)
	}
	var (
		mu     sync.Mutex
		acked  = map[int64]bool{}
		failed = map[int64]bool{}
		killed = make(chan struct{})
	)
	survivor := 1
	submit := func(p *proc, item int64) bool {
		code, tag, body := p.c.send(http.MethodPut, fmt.Sprintf("/api/v1/items/%d/reports/%s", item, period), `"0"`,
			map[string]any{"narrative": "双进程测试：本月按计划推进。", "investment_completed_wan": 100})
		if code != 200 {
			return false
		}
		var r struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(body, &r) != nil {
			return false
		}
		code, _, _ = p.c.send(http.MethodPost, fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), tag, nil)
		return code == 200
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range work {
				p := procs[k%2]
				select {
				case <-killed:
					p = procs[survivor]
				default:
				}
				ok := submit(p, items.Items[k].ID)
				mu.Lock()
				if ok {
					acked[items.Items[k].ID] = true
				} else {
					failed[items.Items[k].ID] = true
				}
				mu.Unlock()
			}
		}()
	}
	for k := range items.Items {
		if k == 24 {
			// Mid-run: kill the process holding the job lease.
			var holder string
			if err := db.Read().QueryRow(ctx, `SELECT holder FROM job_leases WHERE name = 'reminders'`).Scan(&holder); err != nil {
				t.Fatal(err)
			}
			victim := 0
			if strings.HasSuffix(holder, ":"+strconv.Itoa(procs[1].cmd.Process.Pid)) {
				victim = 1
			}
			survivor = 1 - victim
			if err := procs[victim].cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_, _ = procs[victim].cmd.Process.Wait()
			close(killed)
		}
		work <- k
	}
	close(work)
	wg.Wait()
	if len(acked) < 40 {
		t.Fatalf("only %d of 60 submits acknowledged (%d failed)", len(acked), len(failed))
	}
	// The survivor takes over the lease and sends what is queued after the kill.
	newCase(procs[survivor], "双进程测试：杀进程后交办")
	waitSent(one(`SELECT COUNT(*) FROM deliveries`), "after the kill")

	for id := range acked {
		if n := one(`SELECT COUNT(*) FROM reports WHERE item_id = ? AND period = ? AND state = 'submitted' AND submitted_at IS NOT NULL`, id, period); n != 1 {
			t.Errorf("acknowledged submit of item %d: %d submitted reports", id, n)
		}
		if n := one(`SELECT COUNT(*) FROM report_revisions v JOIN reports r ON r.id = v.report_id WHERE r.item_id = ? AND r.period = ? AND v.state = 'submitted'`, id, period); n != 1 {
			t.Errorf("item %d: submitted %d times", id, n)
		}
		if n := one(`SELECT COUNT(*) FROM investment_actuals WHERE item_id = ? AND period = ?`, id, period); n != 1 {
			t.Errorf("item %d: %d investment figures recorded", id, n)
		}
	}
	// Nothing half-written: each report's state is its last revision's, and
	// an investment figure exists exactly for the submitted ones.
	if n := one(`SELECT COUNT(*) FROM reports r WHERE r.period = ? AND r.state <> COALESCE((SELECT v.state FROM report_revisions v
		WHERE v.report_id = r.id ORDER BY v.id DESC LIMIT 1), '')`, period); n != 0 {
		t.Errorf("%d reports whose state is not their last revision's", n)
	}
	if n := one(`SELECT COUNT(*) FROM reports r WHERE r.period = ? AND (r.state = 'submitted') <>
		EXISTS (SELECT 1 FROM investment_actuals a WHERE a.report_id = r.id)`, period); n != 0 {
		t.Errorf("%d reports half-written (submitted without its figure, or a figure without the submit)", n)
	}
	if n := one(`SELECT COUNT(*) FROM reports WHERE period = ?`, period); n > len(acked)+len(failed) {
		t.Errorf("%d reports for %d submits", n, len(acked)+len(failed))
	}
	// Reminders once per item, kind and period (their key); each
	// notification delivered once, and the webhook got each payload once.
	if n := one(`SELECT COUNT(*) FROM (SELECT dedupe_key FROM notifications GROUP BY dedupe_key HAVING COUNT(*) > 1) x`); n != 0 {
		t.Errorf("%d notifications created twice", n)
	}
	deliveries := one(`SELECT COUNT(*) FROM deliveries`)
	if n := one(`SELECT COUNT(*) FROM deliveries WHERE attempts <> 1`); n != 0 {
		t.Errorf("%d deliveries sent more than once or not at all", n)
	}
	total, distinct, twice := hook.counts()
	if total != deliveries || distinct != deliveries || twice != 0 {
		t.Errorf("webhook received %d payloads (%d distinct, %d twice) for %d deliveries", total, distinct, twice, deliveries)
	}
	reminders := one(`SELECT COUNT(*) FROM notifications WHERE kind LIKE 'report_%'`)
	t.Logf("%d submits acknowledged, %d failed at the kill; %d reminders, %d deliveries, each received once", len(acked), len(failed), reminders, deliveries)
}

type proc struct {
	cmd *exec.Cmd
	c   *procClient
}
