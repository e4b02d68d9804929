package notify_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"gongjian/internal/casework"
	"gongjian/internal/date"
	"gongjian/internal/notify"
	"gongjian/internal/org"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// smtpd is a tiny SMTP receiver: enough of EHLO, MAIL, RCPT, DATA and QUIT
// for net/smtp, keeping every message it accepts.
type smtpd struct {
	addr     string
	mu       sync.Mutex
	msgs     []received
	failData int // answer 451 to this many DATA commands first
}

type received struct {
	from string
	to   []string
	data string
}

func startSMTP(t *testing.T, failData int) *smtpd {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &smtpd{addr: ln.Addr().String(), failData: failData}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpd) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { fmt.Fprintf(c, "%s\r\n", line) }
	say("220 smtp.test ESMTP")
	var m received
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		cmd := strings.ToUpper(line)
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-smtp.test")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "HELO"):
			say("250 smtp.test")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			m = received{from: strings.Trim(strings.Fields(line[10:])[0], "<>")}
			say("250 OK")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			m.to = append(m.to, strings.Trim(strings.TrimSpace(line[8:]), "<>"))
			say("250 OK")
		case cmd == "DATA":
			say("354 end with .")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			s.mu.Lock()
			fail := s.failData > 0
			if fail {
				s.failData--
			} else {
				m.data = b.String()
				s.msgs = append(s.msgs, m)
			}
			s.mu.Unlock()
			if fail {
				say("451 4.3.0 mailbox busy, try later")
			} else {
				say("250 OK queued")
			}
		case cmd == "QUIT":
			say("221 bye")
			return
		case cmd == "RSET" || cmd == "NOOP":
			say("250 OK")
		default:
			say("502 command not implemented")
		}
	}
}

func (s *smtpd) got() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

// mailOf parses a received message: its decoded subject, body and headers.
func mailOf(t *testing.T, r received) (subject, body string, h mail.Header) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(r.data))
	if err != nil {
		t.Fatalf("not an RFC 5322 message: %v\n%s", err, r.data)
	}
	if !strings.HasPrefix(msg.Header.Get("Subject"), "=?UTF-8?b?") {
		t.Errorf("subject not RFC 2047 encoded: %q", msg.Header.Get("Subject"))
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(msg.Body)
	b, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(raw), "\r\n", ""))
	if err != nil {
		t.Fatalf("body not base64: %v", err)
	}
	return subject, string(b), msg.Header
}

// twoProcesses opens the engine's test database twice, as two server
// processes on one database would.
func twoProcesses(t *testing.T, e store.Engine) (*store.DB, *store.DB) {
	t.Helper()
	dsn := testdb.DSN(t, e)
	open := func() *store.DB {
		db, err := store.Open(context.Background(), dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return db
	}
	return open(), open()
}

// testClock is the time as the test moves it.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// roundOfBoth runs one round of every runner at once, then moves the clock
// on four minutes, so that the lease may change hands and failed deliveries
// are due again.
func roundOfBoth(ctx context.Context, c *testClock, rs ...notify.Runner) {
	var wg sync.WaitGroup
	for _, r := range rs {
		wg.Add(1)
		go func(r notify.Runner) { defer wg.Done(); r.Once(ctx) }(r)
	}
	wg.Wait()
	c.mu.Lock()
	c.t = c.t.Add(4 * time.Minute)
	c.mu.Unlock()
}

// Two server processes on one database send each reminder's e-mail once, to
// the reporting unit's contacts; a server that answers "try later" is
// retried and the attempt recorded.
func TestRemindersByEmailOnce(t *testing.T) {
	for _, e := range testdb.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			db1, db2 := twoProcesses(t, e)
			now := time.Now()
			campID, unitID := seed(t, db1, now)
			o := org.New(db1)
			if _, err := o.CreatePerson(ctx, org.PersonInput{Code: "LLY", Name: "住建局联络员", UnitID: &unitID, Email: "bad address"}); err == nil {
				t.Error("a person with a malformed e-mail address was accepted")
			}
			if _, err := o.CreatePerson(ctx, org.PersonInput{Code: "LLY", Name: "住建局联络员", UnitID: &unitID, Email: "lianluo@zjj.gov.cn"}); err != nil {
				t.Fatal(err)
			}
			rcv := startSMTP(t, 1)
			clock := &testClock{t: now}
			tick := clock.now
			mailer := notify.SMTPMailer{Addr: rcv.addr, From: "攻坚平台 <gongjian@district.gov.cn>", TLS: "none"}
			s1, s2 := notify.New(db1, nil, tick), notify.New(db2, nil, tick)
			s1.SetMailer(mailer)
			s2.SetMailer(mailer)
			if _, err := s1.AddWebhook(ctx, campID, notify.WebhookInput{Name: "邮件提醒", Format: "email"}); err != nil {
				t.Fatal(err)
			}
			r1 := notify.Runner{Service: s1, DB: db1, Holder: "process-1", Interval: time.Minute, Log: discard{}}
			r2 := notify.Runner{Service: s2, DB: db2, Holder: "process-2", Interval: time.Minute, Log: discard{}}
			round := func() { roundOfBoth(ctx, clock, r1, r2) }
			round()
			// The first message met "try later": recorded, to be retried.
			var pending int
			var lastErr, to string
			if err := db1.Read().QueryRow(ctx, `SELECT COUNT(*), MAX(last_error), MAX(recipients) FROM deliveries WHERE state = 'pending' AND attempts = 1`).
				Scan(&pending, &lastErr, &to); err != nil {
				t.Fatal(err)
			}
			if pending != 1 || !strings.Contains(lastErr, "451") || to != "lianluo@zjj.gov.cn" {
				t.Errorf("after a 451: %d pending with one attempt, error %q, recipients %q", pending, lastErr, to)
			}
			for i := 0; i < 3; i++ {
				round()
			}
			var notes, overdue int
			if err := db1.Read().QueryRow(ctx, `SELECT COUNT(*), COUNT(CASE WHEN kind = 'report_overdue' THEN 1 END) FROM notifications`).Scan(&notes, &overdue); err != nil {
				t.Fatal(err)
			}
			if overdue == 0 {
				t.Fatal("no overdue reminder for two items whose last month's report is missing")
			}
			got := rcv.got()
			if len(got) != notes {
				t.Fatalf("%d notifications, %d e-mails: each must arrive exactly once", notes, len(got))
			}
			ids := map[string]bool{}
			overdueMails := 0
			for _, m := range got {
				subject, body, h := mailOf(t, m)
				if m.from != "gongjian@district.gov.cn" || len(m.to) != 1 || m.to[0] != "lianluo@zjj.gov.cn" {
					t.Errorf("envelope from %q to %v", m.from, m.to)
				}
				if strings.HasSuffix(subject, "期进展已逾期未报送") && strings.HasPrefix(subject, "【攻坚】") {
					overdueMails++
				} else if !strings.Contains(subject, "截止报送") {
					t.Errorf("subject %q is not a reminder", subject)
				}
				if !strings.Contains(body, "项目A") && !strings.Contains(body, "项目B") {
					t.Errorf("body does not name the item: %q", body)
				}
				if d, err := h.Date(); err != nil || d.IsZero() {
					t.Errorf("Date header %q: %v", h.Get("Date"), err)
				}
				id := h.Get("Message-ID")
				if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@district.gov.cn>") || ids[id] {
					t.Errorf("Message-ID %q missing, malformed or repeated", id)
				}
				ids[id] = true
			}
			if overdueMails != overdue {
				t.Errorf("%d overdue e-mails for %d overdue reminders", overdueMails, overdue)
			}
			var sent, retried int
			if err := db1.Read().QueryRow(ctx, `SELECT COUNT(CASE WHEN state = 'sent' THEN 1 END), COUNT(CASE WHEN attempts = 2 THEN 1 END) FROM deliveries`).
				Scan(&sent, &retried); err != nil {
				t.Fatal(err)
			}
			if sent != notes || retried != 1 {
				t.Errorf("deliveries: %d sent of %d, %d retried; want all sent, one retried", sent, notes, retried)
			}

			// A message meant for one person (an escalated case's leader) goes to that person only.
			leader, err := o.CreatePerson(ctx, org.PersonInput{Code: "FGQZ", Name: "分管副区长", UnitID: &unitID, Email: "fuquzhang@district.gov.cn"})
			if err != nil {
				t.Fatal(err)
			}
			if err := db1.Tx(ctx, func(q store.Querier) error {
				_, _, err := notify.Post(ctx, q, notify.Message{UnitID: unitID, PersonID: &leader.ID, CampaignID: &campID, Kind: "case_escalated",
					Title: "逾期督办件升级至分管副区长：老旧小区改造进度滞后", Body: "DB-2022-001 老旧小区改造进度滞后", Link: "/cases/1",
					DedupeKey: "case_escalated:1:" + fmt.Sprint(leader.ID), At: tick()})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			round()
			got = rcv.got()
			last := got[len(got)-1]
			subject, _, _ := mailOf(t, last)
			if len(got) != notes+1 || len(last.to) != 1 || last.to[0] != "fuquzhang@district.gov.cn" || subject != "【攻坚】逾期督办件升级至分管副区长：老旧小区改造进度滞后" {
				t.Errorf("escalation e-mail: %d messages, last to %v, subject %q", len(got), last.to, subject)
			}
		})
	}
}

// Without a contact who has an address, or without an SMTP server, nothing
// is sent and the delivery says why.
func TestEmailWithoutRecipientOrServer(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now()
		campID, _ := seed(t, db, now)
		s := notify.New(db, nil, func() time.Time { return now })
		if _, err := s.AddWebhook(ctx, campID, notify.WebhookInput{Name: "邮件提醒", Format: "email"}); err != nil {
			t.Fatal(err)
		}
		r := notify.Runner{Service: s, DB: db, Holder: "p", Interval: time.Minute, Log: discard{}}
		r.Once(ctx)
		var n int
		var lastErr string
		if err := db.Read().QueryRow(ctx, `SELECT COUNT(*), MIN(last_error) FROM deliveries WHERE state = 'pending' AND attempts = 1`).Scan(&n, &lastErr); err != nil {
			t.Fatal(err)
		}
		if n == 0 || lastErr != "单位「区住建局」的联系人没有填写邮箱，邮件未发出" {
			t.Errorf("%d deliveries waiting, error %q", n, lastErr)
		}
	})
}

// An overdue case e-mails the task unit's contact, and its escalation the
// responsible leader alone — not the rest of the leader's unit.
func TestCaseEscalationByEmail(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now()
		campID, zjj := seed(t, db, now)
		o := org.New(db)
		qzf, err := o.CreateUnit(ctx, org.UnitInput{Code: "QZF", Name: "区政府", Kind: "leadership"})
		if err != nil {
			t.Fatal(err)
		}
		ps, err := o.ListPersons(ctx, org.PersonFilter{Q: "分管副区长"})
		if err != nil || len(ps) != 1 {
			t.Fatalf("leader: %v %v", ps, err)
		}
		if _, err := o.UpdatePerson(ctx, ps[0].ID, ps[0].Version, org.PersonInput{Code: ps[0].Code, Name: ps[0].Name, UnitID: &qzf.ID,
			Email: "fuquzhang@district.gov.cn"}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []org.PersonInput{
			{Code: "LLY", Name: "住建局联络员", UnitID: &zjj, Email: "lianluo@zjj.gov.cn"},
			{Code: "BGS", Name: "区府办", UnitID: &qzf.ID, Email: "bangongshi@district.gov.cn"},
		} {
			if _, err := o.CreatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		var itemID int64
		if err := db.Read().QueryRow(ctx, `SELECT id FROM items WHERE code = 'A'`).Scan(&itemID); err != nil {
			t.Fatal(err)
		}
		rcv := startSMTP(t, 0)
		later := now.AddDate(0, 0, 5)
		s := notify.New(db, nil, func() time.Time { return later })
		s.SetMailer(notify.SMTPMailer{Addr: rcv.addr, From: "gongjian@district.gov.cn", TLS: "none"})
		if _, err := s.AddWebhook(ctx, campID, notify.WebhookInput{Name: "邮件提醒", Format: "email"}); err != nil {
			t.Fatal(err)
		}
		cs := casework.New(db)
		if _, err := cs.Create(ctx, casework.CaseInput{Type: "problem", Title: "老旧小区改造进度滞后", ItemID: &itemID,
			Deadline: date.Of(now.AddDate(0, 0, 1)), Assignees: []casework.AssigneeInput{{UnitID: zjj}}}); err != nil {
			t.Fatal(err)
		}
		res, err := cs.WithClock(func() time.Time { return later }).CheckDeadlines(ctx)
		if err != nil || res.Overdue != 1 || res.Escalated != 1 {
			t.Fatalf("deadline check: %+v %v", res, err)
		}
		if _, err := s.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, m := range rcv.got() {
			subject, _, _ := mailOf(t, m)
			got[strings.Join(m.to, ",")] = subject
		}
		if len(got) != 2 || !strings.HasPrefix(got["lianluo@zjj.gov.cn"], "【攻坚】督办件已逾期") ||
			got["fuquzhang@district.gov.cn"] != "【攻坚】逾期督办件升级至分管副区长：老旧小区改造进度滞后" {
			t.Errorf("e-mails by recipient: %v", got)
		}
	})
}
