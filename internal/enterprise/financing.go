package enterprise

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Need is an enterprise's financing need (融资需求): new → matched with a bank
// → granted or declined.
type Need struct {
	ID                 int64     `json:"id"`
	EnterpriseID       int64     `json:"enterprise_id"`
	EnterpriseName     string    `json:"enterprise_name"`
	WhiteList          bool      `json:"white_list"`
	AmountRequestedWan float64   `json:"amount_requested_wan" doc:"需求金额（万元）"`
	Purpose            string    `json:"purpose"`
	Bank               string    `json:"bank" doc:"对接银行"`
	State              string    `json:"state" enum:"new,matched,granted,declined" doc:"new 新登记，matched 已对接银行，granted 已放款，declined 未获批"`
	AmountGrantedWan   float64   `json:"amount_granted_wan" doc:"获批金额（万元）"`
	AdvisorID          *int64    `json:"advisor_id" doc:"金融辅导员"`
	AdvisorName        string    `json:"advisor_name"`
	RequestedOn        date.Date `json:"requested_on"`
	MatchedOn          date.Date `json:"matched_on"`
	DecidedOn          date.Date `json:"decided_on"`
	DeclineReason      string    `json:"decline_reason"`
	Illustrative       bool      `json:"illustrative"`
	Note               string    `json:"note"`
	Version            int       `json:"version"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// NeedInput is what a caller sets on a new or edited need.
type NeedInput struct {
	EnterpriseID       int64     `json:"enterprise_id"`
	AmountRequestedWan float64   `json:"amount_requested_wan" doc:"需求金额（万元）"`
	Purpose            string    `json:"purpose,omitempty" maxLength:"1000"`
	AdvisorID          *int64    `json:"advisor_id,omitempty"`
	RequestedOn        date.Date `json:"requested_on,omitzero" doc:"登记日期，默认今天"`
	Illustrative       bool      `json:"illustrative,omitempty"`
	Note               string    `json:"note,omitempty" maxLength:"4000"`
}

// NeedStep moves a need: match (bank), grant (amount) or decline (reason).
type NeedStep struct {
	Bank             string    `json:"bank,omitempty" maxLength:"100" doc:"对接银行（对接时必填）"`
	AdvisorID        *int64    `json:"advisor_id,omitempty" doc:"金融辅导员（对接时可指定）"`
	AmountGrantedWan float64   `json:"amount_granted_wan,omitempty" doc:"获批金额（万元，放款时必填）"`
	Reason           string    `json:"reason,omitempty" maxLength:"1000" doc:"未获批原因（未获批时必填）"`
	On               date.Date `json:"on,omitzero" doc:"日期，默认今天"`
}

func (in *NeedInput) check() error {
	in.Purpose = strings.TrimSpace(in.Purpose)
	if in.RequestedOn.IsZero() {
		in.RequestedOn = date.Of(time.Now())
	}
	var c errs.Checker
	c.Check(in.EnterpriseID != 0, "enterprise_id", "required", "请选择企业", nil)
	c.Check(in.AmountRequestedWan > 0, "amount_requested_wan", "required", "需求金额应大于0", in.AmountRequestedWan)
	checkWan(&c, "amount_requested_wan", in.AmountRequestedWan)
	return c.Err()
}

const needSelect = `SELECT n.id, n.enterprise_id, e.name, e.white_list, n.amount_requested, n.purpose, n.bank, n.state, n.amount_granted,
	n.advisor_id, COALESCE(p.name, ''), n.requested_on, n.matched_on, n.decided_on, n.decline_reason, n.illustrative, n.note,
	n.version, n.created_at, n.updated_at
	FROM financing_needs n JOIN enterprises e ON e.id = n.enterprise_id LEFT JOIN persons p ON p.id = n.advisor_id`

func scanNeed(s scanner) (Need, error) {
	var n Need
	var req, granted int64
	var adv sql.NullInt64
	err := s.Scan(&n.ID, &n.EnterpriseID, &n.EnterpriseName, &n.WhiteList, &req, &n.Purpose, &n.Bank, &n.State, &granted,
		&adv, &n.AdvisorName, &n.RequestedOn, &n.MatchedOn, &n.DecidedOn, &n.DeclineReason, &n.Illustrative, &n.Note,
		&n.Version, &n.CreatedAt, &n.UpdatedAt)
	n.AmountRequestedWan, n.AmountGrantedWan, n.AdvisorID = yuanToWan(req), yuanToWan(granted), nullID(adv)
	return n, err
}

func getNeed(ctx context.Context, q store.Querier, id int64) (Need, error) {
	n, err := scanNeed(q.QueryRow(ctx, needSelect+` WHERE n.id = ?`, id))
	if store.IsNoRows(err) {
		return n, errs.NotFound("融资需求", id)
	}
	if err != nil {
		return n, fmt.Errorf("get need %d: %w", id, err)
	}
	return n, nil
}

var needKind = audit.Kind[Need]{Entity: "financing_need", Label: "融资需求", Get: getNeed, Version: func(n Need) int { return n.Version }}

// NeedFilter narrows ListNeeds.
type NeedFilter struct {
	EnterpriseID int64
	AdvisorID    int64
	State        string
	Bank         string
	From, To     date.Date // requested on
	Q            string
	Sort         string
	Page         store.Page
}

// NeedList is a page of needs with the sums of the filtered set.
type NeedList struct {
	Items              []Need  `json:"items"`
	Total              int     `json:"total"`
	AmountRequestedWan float64 `json:"amount_requested_wan"`
	AmountGrantedWan   float64 `json:"amount_granted_wan"`
}

var needSorts = map[string]string{"requested_on": "n.requested_on", "amount_requested": "n.amount_requested",
	"amount_granted": "n.amount_granted", "enterprise": "e.name", "state": "n.state", "bank": "n.bank"}

func (f NeedFilter) where() store.Where {
	var w store.Where
	if f.EnterpriseID != 0 {
		w.Add(`n.enterprise_id = ?`, f.EnterpriseID)
	}
	if f.AdvisorID != 0 {
		w.Add(`n.advisor_id = ?`, f.AdvisorID)
	}
	if f.State != "" {
		w.Add(`n.state = ?`, f.State)
	}
	if f.Bank != "" {
		w.Add(`n.bank = ?`, f.Bank)
	}
	if !f.From.IsZero() {
		w.Add(`n.requested_on >= ?`, f.From)
	}
	if !f.To.IsZero() {
		w.Add(`n.requested_on <= ?`, f.To)
	}
	if f.Q != "" {
		p := store.Contains(f.Q)
		w.Add(`(e.name LIKE ? ESCAPE '\' OR n.purpose LIKE ? ESCAPE '\' OR n.bank LIKE ? ESCAPE '\')`, p, p, p)
	}
	return w
}

// ListNeeds returns the financing needs matching f, newest first by default.
func (s *Service) ListNeeds(ctx context.Context, f NeedFilter) (NeedList, error) {
	q := s.db.Read()
	w := f.where()
	order, err := store.OrderBy(f.Sort, needSorts, "-requested_on", "n.id DESC")
	if err != nil {
		return NeedList{}, err
	}
	out := NeedList{Items: []Need{}}
	var req, granted int64
	if err := q.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(n.amount_requested), 0), COALESCE(SUM(n.amount_granted), 0)
		FROM financing_needs n JOIN enterprises e ON e.id = n.enterprise_id`+w.SQL(), w.Args...).Scan(&out.Total, &req, &granted); err != nil {
		return out, fmt.Errorf("count needs: %w", err)
	}
	out.AmountRequestedWan, out.AmountGrantedWan = yuanToWan(req), yuanToWan(granted)
	rows, err := q.Query(ctx, needSelect+w.SQL()+order+f.Page.LimitOffset(), w.Args...)
	if err != nil {
		return out, fmt.Errorf("list needs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		n, err := scanNeed(rows)
		if err != nil {
			return out, fmt.Errorf("scan need: %w", err)
		}
		out.Items = append(out.Items, n)
	}
	return out, rows.Err()
}

// GetNeed returns one financing need.
func (s *Service) GetNeed(ctx context.Context, id int64) (Need, error) {
	return getNeed(ctx, s.db.Read(), id)
}

func checkNeedRefs(ctx context.Context, q store.Querier, enterpriseID int64, advisor *int64) error {
	var c errs.Checker
	ok, err := exists(ctx, q, `SELECT COUNT(*) FROM enterprises WHERE id = ?`, enterpriseID)
	if err != nil {
		return fmt.Errorf("check enterprise: %w", err)
	}
	c.Check(ok, "enterprise_id", "not_found", "企业不存在", enterpriseID)
	if err := checkPerson(ctx, q, &c, "advisor_id", "金融辅导员", advisor); err != nil {
		return err
	}
	return c.Err()
}

// CreateNeed records a new financing need. Without an advisor, the
// enterprise's finance advisor takes it.
func (s *Service) CreateNeed(ctx context.Context, in NeedInput) (Need, error) {
	if err := in.check(); err != nil {
		return Need{}, err
	}
	return audit.Create(ctx, s.db, needKind, func(q store.Querier) (id int64, err error) {
		if err := checkNeedRefs(ctx, q, in.EnterpriseID, in.AdvisorID); err != nil {
			return 0, err
		}
		now := time.Now().UTC()
		err = q.QueryRow(ctx, `INSERT INTO financing_needs (enterprise_id, amount_requested, purpose, advisor_id, requested_on, illustrative, note, created_at, updated_at)
			VALUES (?, ?, ?, COALESCE(?, (SELECT finance_advisor_id FROM enterprises WHERE id = ?)), ?, ?, ?, ?, ?) RETURNING id`,
			in.EnterpriseID, wanToYuan(in.AmountRequestedWan), in.Purpose, in.AdvisorID, in.EnterpriseID, in.RequestedOn, in.Illustrative, in.Note, now, now).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("insert need: %w", err)
		}
		return id, nil
	})
}

// UpdateNeed changes what was asked for; the state moves only by steps.
func (s *Service) UpdateNeed(ctx context.Context, id int64, version int, in NeedInput) (Need, error) {
	if err := in.check(); err != nil {
		return Need{}, err
	}
	return audit.Update(ctx, s.db, needKind, id, version, func(q store.Querier, _ Need) error {
		if err := checkNeedRefs(ctx, q, in.EnterpriseID, in.AdvisorID); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `UPDATE financing_needs SET enterprise_id = ?, amount_requested = ?, purpose = ?, advisor_id = ?, requested_on = ?,
			illustrative = ?, note = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			in.EnterpriseID, wanToYuan(in.AmountRequestedWan), in.Purpose, in.AdvisorID, in.RequestedOn, in.Illustrative, in.Note, time.Now().UTC(), id)
		return err
	})
}

// DeleteNeed removes a financing need.
func (s *Service) DeleteNeed(ctx context.Context, id int64, version int) error {
	return audit.Delete(ctx, s.db, needKind, id, version, func(q store.Querier, _ Need) error {
		_, err := q.Exec(ctx, `DELETE FROM financing_needs WHERE id = ?`, id)
		return err
	})
}

// stateLabel names a need's state in Chinese for messages.
var needStateLabels = map[string]string{"new": "新登记", "matched": "已对接", "granted": "已放款", "declined": "未获批"}

// StepNeed moves a need: "match" (new or matched → matched, with a bank),
// "grant" (matched → granted, with the amount granted) or "decline" (new or
// matched → declined, with a reason).
func (s *Service) StepNeed(ctx context.Context, id int64, version int, step string, in NeedStep) (Need, error) {
	in.Bank, in.Reason = strings.TrimSpace(in.Bank), strings.TrimSpace(in.Reason)
	if in.On.IsZero() {
		in.On = date.Of(time.Now())
	}
	var c errs.Checker
	switch step {
	case "match":
		c.Check(in.Bank != "", "bank", "required", "请填写对接银行", nil)
	case "grant":
		c.Check(in.AmountGrantedWan > 0, "amount_granted_wan", "required", "获批金额应大于0", in.AmountGrantedWan)
		checkWan(&c, "amount_granted_wan", in.AmountGrantedWan)
	case "decline":
		c.Check(in.Reason != "", "reason", "required", "请填写未获批原因", nil)
	}
	if err := c.Err(); err != nil {
		return Need{}, err
	}
	return audit.Update(ctx, s.db, needKind, id, version, func(q store.Querier, before Need) error {
		from := map[string][]string{"match": {"new", "matched"}, "grant": {"matched"}, "decline": {"new", "matched"}}[step]
		ok := false
		for _, st := range from {
			ok = ok || before.State == st
		}
		if !ok {
			msg := fmt.Sprintf("融资需求当前为“%s”，不能%s", needStateLabels[before.State],
				map[string]string{"match": "对接银行", "grant": "登记放款（须先对接银行）", "decline": "登记未获批"}[step])
			return &errs.Error{Kind: errs.KindConflict, Key: "financing.state", Message: msg}
		}
		now := time.Now().UTC()
		var err error
		switch step {
		case "match":
			if in.AdvisorID != nil {
				var c errs.Checker
				if err := checkPerson(ctx, q, &c, "advisor_id", "金融辅导员", in.AdvisorID); err != nil {
					return err
				}
				if err := c.Err(); err != nil {
					return err
				}
			}
			_, err = q.Exec(ctx, `UPDATE financing_needs SET state = 'matched', bank = ?, advisor_id = COALESCE(?, advisor_id), matched_on = ?,
				version = version + 1, updated_at = ? WHERE id = ?`, in.Bank, in.AdvisorID, in.On, now, id)
		case "grant":
			if in.On.Before(before.MatchedOn) {
				return errs.Invalid([]errs.FieldError{{Field: "on", Key: "date.order", Message: "放款日期不能早于对接日期", Value: in.On.String()}})
			}
			_, err = q.Exec(ctx, `UPDATE financing_needs SET state = 'granted', amount_granted = ?, decided_on = ?,
				version = version + 1, updated_at = ? WHERE id = ?`, wanToYuan(in.AmountGrantedWan), in.On, now, id)
		case "decline":
			_, err = q.Exec(ctx, `UPDATE financing_needs SET state = 'declined', decline_reason = ?, decided_on = ?,
				version = version + 1, updated_at = ? WHERE id = ?`, in.Reason, in.On, now, id)
		}
		return err
	})
}
