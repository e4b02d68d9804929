package notify

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"os"
	"strings"
	"time"

	"gongjian/internal/store"
)

// E-mail is a channel of a campaign beside its webhooks: a webhook row with
// format "email" and no URL. Each notification then gets one delivery for
// it, sent under the same lease and retried the same way as a webhook's,
// to the contacts of the notified unit — its persons who have an e-mail
// address — or, for a notification meant for one person (an escalated
// case's leader), to that person alone.

// Email is one message, composed in Chinese.
type Email struct {
	Subject   string
	Body      string
	Date      time.Time
	MessageID string // without the angle brackets, e.g. gongjian.12.1700000000@example.gov.cn
}

// Mailer sends an e-mail to the recipients.
type Mailer interface {
	Send(ctx context.Context, to []string, m Email) error
}

// SetMailer makes s send the "email" channel's deliveries through m.
func (s *Service) SetMailer(m Mailer) { s.mailer = m }

// SMTPMailer sends through an SMTP server with net/smtp.
type SMTPMailer struct {
	Addr               string // host:port
	From               string // e.g. 攻坚平台 <gongjian@district.gov.cn>
	Username, Password string // PLAIN authentication when Username is set
	TLS                string // starttls (default), tls (implicit, e.g. port 465) or none
	// TLSConfig, when set, replaces the default (the server name checked
	// against the system roots).
	TLSConfig *tls.Config
	Timeout   time.Duration // for the whole conversation; 30s when zero
}

// Send implements Mailer.
func (m SMTPMailer) Send(ctx context.Context, to []string, e Email) error {
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return fmt.Errorf("发件人 %q 不是有效的邮箱地址", m.From)
	}
	msg, err := Compose(from, to, e)
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(m.Addr)
	if err != nil {
		return fmt.Errorf("SMTP 地址 %q 应为 host:port", m.Addr)
	}
	timeout := m.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tlsConf := m.TLSConfig
	if tlsConf == nil {
		tlsConf = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}
	var conn net.Conn
	if m.TLS == "tls" {
		conn, err = (&tls.Dialer{Config: tlsConf}).DialContext(ctx, "tcp", m.Addr)
	} else {
		conn, err = (&net.Dialer{}).DialContext(ctx, "tcp", m.Addr)
	}
	if err != nil {
		return fmt.Errorf("连接 SMTP 服务器 %s：%w", m.Addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("SMTP 问候：%w", err)
	}
	defer c.Close()
	if name, err := os.Hostname(); err == nil && name != "" {
		if err := c.Hello(name); err != nil {
			return fmt.Errorf("SMTP EHLO：%w", err)
		}
	}
	if m.TLS == "" || m.TLS == "starttls" {
		if err := c.StartTLS(tlsConf); err != nil {
			return fmt.Errorf("SMTP STARTTLS：%w", err)
		}
	}
	if m.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.Username, m.Password, host)); err != nil {
			return fmt.Errorf("SMTP 登录：%w", err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("SMTP MAIL FROM：%w", err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return fmt.Errorf("SMTP RCPT TO %s：%w", r, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("SMTP DATA：%w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("SMTP 发送正文：%w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("SMTP 正文未被接受：%w", err)
	}
	return c.Quit()
}

// Compose renders an e-mail as RFC 5322 text: UTF-8 throughout, the subject
// and names RFC 2047-encoded, the body base64 in lines of 76.
func Compose(from *mail.Address, to []string, e Email) ([]byte, error) {
	if len(to) == 0 {
		return nil, errors.New("没有收件人")
	}
	var rcpt []string
	for _, t := range to {
		a, err := mail.ParseAddress(t)
		if err != nil {
			return nil, fmt.Errorf("收件人 %q 不是有效的邮箱地址", t)
		}
		rcpt = append(rcpt, a.String())
	}
	var b strings.Builder
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", from.String())
	header("To", strings.Join(rcpt, ", "))
	header("Subject", mime.BEncoding.Encode("UTF-8", e.Subject))
	header("Date", e.Date.Format(time.RFC1123Z))
	header("Message-ID", "<"+e.MessageID+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "base64")
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	body := base64.StdEncoding.EncodeToString([]byte(strings.ReplaceAll(e.Body, "\n", "\r\n")))
	for len(body) > 76 {
		b.WriteString(body[:76] + "\r\n")
		body = body[76:]
	}
	b.WriteString(body + "\r\n")
	return []byte(b.String()), nil
}

// emailOf renders a notification as the e-mail of delivery id.
func emailOf(id int64, from, title, body, link string, at time.Time) Email {
	domain := "gongjian.local"
	if a, err := mail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok {
			domain = d
		}
	}
	text := title + "\n\n" + body + "\n"
	if link != "" {
		text += "\n请登录攻坚平台处理（页面 " + link + "）。\n"
	}
	text += "\n—— 攻坚平台自动发送，请勿直接回复。\n"
	return Email{Subject: "【攻坚】" + title, Body: text, Date: at,
		MessageID: fmt.Sprintf("gongjian.delivery.%d.%d@%s", id, at.Unix(), domain)}
}

// recipients are the addresses a notification's e-mail goes to, and whom
// they belong to (for the error when there are none).
func recipients(ctx context.Context, q store.Querier, notification int64) ([]string, string, error) {
	var unit int64
	var person *int64
	var unitName string
	if err := q.QueryRow(ctx, `SELECT n.unit_id, n.person_id, u.name FROM notifications n JOIN units u ON u.id = n.unit_id WHERE n.id = ?`,
		notification).Scan(&unit, &person, &unitName); err != nil {
		return nil, "", fmt.Errorf("notification %d: %w", notification, err)
	}
	query, arg, who := `SELECT email FROM persons WHERE unit_id = ? AND email <> '' ORDER BY code`, unit, "单位「"+unitName+"」的联系人"
	if person != nil {
		query, arg, who = `SELECT email FROM persons WHERE id = ? AND email <> ''`, *person, "责任领导"
	}
	rows, err := q.Query(ctx, query, arg)
	if err != nil {
		return nil, who, fmt.Errorf("recipients: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, who, err
		}
		out = append(out, a)
	}
	return out, who, rows.Err()
}

// sendEmail sends the e-mail of delivery id and records whom it went to.
func (s *Service) sendEmail(ctx context.Context, id, notification int64, title, body, link string, at time.Time) error {
	to, who, err := recipients(ctx, s.db.Read(), notification)
	if err != nil {
		return err
	}
	if len(to) == 0 {
		return fmt.Errorf("%s没有填写邮箱，邮件未发出", who)
	}
	if err := s.db.Tx(ctx, func(q store.Querier) error {
		_, err := q.Exec(ctx, `UPDATE deliveries SET recipients = ? WHERE id = ?`, truncate(strings.Join(to, ", "), 2000), id)
		return err
	}); err != nil {
		return fmt.Errorf("record recipients: %w", err)
	}
	if s.mailer == nil {
		return errors.New("服务器未配置 SMTP（smtp-addr），邮件未发出")
	}
	from := ""
	if m, ok := s.mailer.(SMTPMailer); ok {
		from = m.From
	}
	return s.mailer.Send(ctx, to, emailOf(id, from, title, body, link, at))
}
