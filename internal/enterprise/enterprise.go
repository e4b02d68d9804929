package enterprise

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Top-500 categories (三类五百强).
var top500Kinds = []string{"", "world", "china", "private"}

// Enterprise is a registered enterprise, keyed by its unified social credit code.
type Enterprise struct {
	ID                   int64     `json:"id"`
	CreditCode           string    `json:"credit_code" doc:"统一社会信用代码"`
	Name                 string    `json:"name"`
	RegisteredCapitalWan float64   `json:"registered_capital_wan" doc:"注册资本（万元）"`
	Industry             string    `json:"industry"`
	Street               string    `json:"street" doc:"所在街道"`
	Address              string    `json:"address"`
	WhiteList            bool      `json:"white_list" doc:"优质企业白名单"`
	Top500               string    `json:"top500" enum:",world,china,private" doc:"五百强类别：world 世界500强，china 中国500强，private 民营500强"`
	AboveScale           bool      `json:"above_scale" doc:"规模以上企业"`
	CommissionerID       *int64    `json:"commissioner_id" doc:"服务专员"`
	CommissionerName     string    `json:"commissioner_name"`
	FinanceAdvisorID     *int64    `json:"finance_advisor_id" doc:"金融辅导员"`
	FinanceAdvisorName   string    `json:"finance_advisor_name"`
	Illustrative         bool      `json:"illustrative" doc:"示意数据：原文未给出企业名称"`
	Note                 string    `json:"note"`
	VisitCount           int       `json:"visit_count" doc:"走访次数"`
	LastVisitOn          date.Date `json:"last_visit_on" doc:"最近走访日期"`
	Version              int       `json:"version"`
	CreatedAt            time.Time `json:"created_at"`
	UpdatedAt            time.Time `json:"updated_at"`
}

// EnterpriseInput is what a caller may set on an enterprise.
type EnterpriseInput struct {
	CreditCode           string  `json:"credit_code" maxLength:"40" doc:"统一社会信用代码（18位，校验两级校验码）"`
	Name                 string  `json:"name" maxLength:"200"`
	RegisteredCapitalWan float64 `json:"registered_capital_wan,omitempty" doc:"注册资本（万元）"`
	Industry             string  `json:"industry,omitempty" maxLength:"100"`
	Street               string  `json:"street,omitempty" maxLength:"100"`
	Address              string  `json:"address,omitempty" maxLength:"300"`
	WhiteList            bool    `json:"white_list,omitempty"`
	Top500               string  `json:"top500,omitempty" enum:",world,china,private"`
	AboveScale           bool    `json:"above_scale,omitempty"`
	CommissionerID       *int64  `json:"commissioner_id,omitempty"`
	FinanceAdvisorID     *int64  `json:"finance_advisor_id,omitempty"`
	Illustrative         bool    `json:"illustrative,omitempty"`
	Note                 string  `json:"note,omitempty" maxLength:"4000"`
}

func (in *EnterpriseInput) check() error {
	in.CreditCode, in.Name = NormalizeCreditCode(in.CreditCode), strings.TrimSpace(in.Name)
	var c errs.Checker
	if in.CreditCode == "" {
		c.Add("credit_code", "required", "统一社会信用代码不能为空", nil)
	} else if msg := CheckCreditCode(in.CreditCode); msg != "" {
		c.Add("credit_code", "credit_code.invalid", "统一社会信用代码有误："+msg, in.CreditCode)
	}
	c.Check(in.Name != "", "name", "required", "企业名称不能为空", nil)
	c.Check(slices.Contains(top500Kinds, in.Top500), "top500", "enum", "五百强类别应为世界500强、中国500强或民营500强", in.Top500)
	checkWan(&c, "registered_capital_wan", in.RegisteredCapitalWan)
	return c.Err()
}

const enterpriseSelect = `SELECT e.id, e.credit_code, e.name, e.registered_capital, e.industry, e.street, e.address, e.white_list, e.top500,
	e.above_scale, e.commissioner_id, COALESCE(cp.name, ''), e.finance_advisor_id, COALESCE(fp.name, ''), e.illustrative, e.note,
	(SELECT COUNT(*) FROM enterprise_visits v WHERE v.enterprise_id = e.id), (SELECT MAX(v.visit_date) FROM enterprise_visits v WHERE v.enterprise_id = e.id),
	e.version, e.created_at, e.updated_at
	FROM enterprises e LEFT JOIN persons cp ON cp.id = e.commissioner_id LEFT JOIN persons fp ON fp.id = e.finance_advisor_id`

func scanEnterprise(s scanner) (Enterprise, error) {
	var e Enterprise
	var capital int64
	var comm, fin sql.NullInt64
	err := s.Scan(&e.ID, &e.CreditCode, &e.Name, &capital, &e.Industry, &e.Street, &e.Address, &e.WhiteList, &e.Top500,
		&e.AboveScale, &comm, &e.CommissionerName, &fin, &e.FinanceAdvisorName, &e.Illustrative, &e.Note,
		&e.VisitCount, &e.LastVisitOn, &e.Version, &e.CreatedAt, &e.UpdatedAt)
	e.RegisteredCapitalWan, e.CommissionerID, e.FinanceAdvisorID = yuanToWan(capital), nullID(comm), nullID(fin)
	return e, err
}

func getEnterprise(ctx context.Context, q store.Querier, id int64) (Enterprise, error) {
	e, err := scanEnterprise(q.QueryRow(ctx, enterpriseSelect+` WHERE e.id = ?`, id))
	if store.IsNoRows(err) {
		return e, errs.NotFound("企业", id)
	}
	if err != nil {
		return e, fmt.Errorf("get enterprise %d: %w", id, err)
	}
	return e, nil
}

var enterpriseKind = audit.Kind[Enterprise]{Entity: "enterprise", Label: "企业", Get: getEnterprise,
	Version: func(e Enterprise) int { return e.Version }}

// EnterpriseFilter narrows ListEnterprises; zero fields do not filter.
type EnterpriseFilter struct {
	Q                string // name or credit code
	Street           string
	Industry         string
	WhiteList        bool
	AboveScale       bool
	Top500           string // "any" for every category
	CommissionerID   int64
	FinanceAdvisorID int64
	Sort             string
	Page             store.Page
}

// EnterpriseList is a page of enterprises and the total of the filtered set.
type EnterpriseList struct {
	Items []Enterprise `json:"items"`
	Total int          `json:"total"`
}

var enterpriseSorts = map[string]string{
	"name": "e.name", "credit_code": "e.credit_code", "registered_capital": "e.registered_capital",
	"street": "e.street", "industry": "e.industry", "updated_at": "e.updated_at",
}

func (f EnterpriseFilter) where() store.Where {
	var w store.Where
	if f.Q != "" {
		p := store.Contains(f.Q)
		w.Add(`(e.name LIKE ? ESCAPE '\' OR e.credit_code LIKE ? ESCAPE '\')`, p, p)
	}
	if f.Street != "" {
		w.Add(`e.street = ?`, f.Street)
	}
	if f.Industry != "" {
		w.Add(`e.industry = ?`, f.Industry)
	}
	if f.WhiteList {
		w.Add(`e.white_list = ?`, true)
	}
	if f.AboveScale {
		w.Add(`e.above_scale = ?`, true)
	}
	switch f.Top500 {
	case "":
	case "any":
		w.Add(`e.top500 <> ''`)
	default:
		w.Add(`e.top500 = ?`, f.Top500)
	}
	if f.CommissionerID != 0 {
		w.Add(`e.commissioner_id = ?`, f.CommissionerID)
	}
	if f.FinanceAdvisorID != 0 {
		w.Add(`e.finance_advisor_id = ?`, f.FinanceAdvisorID)
	}
	return w
}

// ListEnterprises returns the enterprises matching f. The registry is the
// district's: every role that reads enterprises reads all of them.
func (s *Service) ListEnterprises(ctx context.Context, f EnterpriseFilter) (EnterpriseList, error) {
	q := s.db.Read()
	w := f.where()
	order, err := store.OrderBy(f.Sort, enterpriseSorts, "name", "e.id")
	if err != nil {
		return EnterpriseList{}, err
	}
	out := EnterpriseList{Items: []Enterprise{}}
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM enterprises e`+w.SQL(), w.Args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("count enterprises: %w", err)
	}
	rows, err := q.Query(ctx, enterpriseSelect+w.SQL()+order+f.Page.LimitOffset(), w.Args...)
	if err != nil {
		return out, fmt.Errorf("list enterprises: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return out, fmt.Errorf("scan enterprise: %w", err)
		}
		out.Items = append(out.Items, e)
	}
	return out, rows.Err()
}

// GetEnterprise returns one enterprise.
func (s *Service) GetEnterprise(ctx context.Context, id int64) (Enterprise, error) {
	return getEnterprise(ctx, s.db.Read(), id)
}

func checkEnterpriseRefs(ctx context.Context, q store.Querier, in EnterpriseInput) error {
	var c errs.Checker
	if err := checkPerson(ctx, q, &c, "commissioner_id", "服务专员", in.CommissionerID); err != nil {
		return err
	}
	if err := checkPerson(ctx, q, &c, "finance_advisor_id", "金融辅导员", in.FinanceAdvisorID); err != nil {
		return err
	}
	return c.Err()
}

func enterpriseWriteErr(err error, code string) error {
	if store.IsUnique(err) {
		return &errs.Error{Kind: errs.KindConflict, Key: "enterprise.duplicate", Message: fmt.Sprintf("统一社会信用代码 %s 已登记", code),
			Fields: []errs.FieldError{{Field: "credit_code", Key: "duplicate", Message: fmt.Sprintf("统一社会信用代码 %s 已登记", code), Value: code}}}
	}
	if err != nil {
		return fmt.Errorf("write enterprise: %w", err)
	}
	return nil
}

// CreateEnterprise registers an enterprise.
func (s *Service) CreateEnterprise(ctx context.Context, in EnterpriseInput) (Enterprise, error) {
	if err := in.check(); err != nil {
		return Enterprise{}, err
	}
	return audit.Create(ctx, s.db, enterpriseKind, func(q store.Querier) (id int64, err error) {
		if err := checkEnterpriseRefs(ctx, q, in); err != nil {
			return 0, err
		}
		now := time.Now().UTC()
		err = q.QueryRow(ctx, `INSERT INTO enterprises (credit_code, name, registered_capital, industry, street, address, white_list, top500,
			above_scale, commissioner_id, finance_advisor_id, illustrative, note, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.CreditCode, in.Name, wanToYuan(in.RegisteredCapitalWan), in.Industry, in.Street, in.Address, in.WhiteList, in.Top500,
			in.AboveScale, in.CommissionerID, in.FinanceAdvisorID, in.Illustrative, in.Note, now, now).Scan(&id)
		return id, enterpriseWriteErr(err, in.CreditCode)
	})
}

// UpdateEnterprise changes an enterprise if version is still current.
func (s *Service) UpdateEnterprise(ctx context.Context, id int64, version int, in EnterpriseInput) (Enterprise, error) {
	if err := in.check(); err != nil {
		return Enterprise{}, err
	}
	return audit.Update(ctx, s.db, enterpriseKind, id, version, func(q store.Querier, _ Enterprise) error {
		if err := checkEnterpriseRefs(ctx, q, in); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `UPDATE enterprises SET credit_code = ?, name = ?, registered_capital = ?, industry = ?, street = ?, address = ?,
			white_list = ?, top500 = ?, above_scale = ?, commissioner_id = ?, finance_advisor_id = ?, illustrative = ?, note = ?,
			version = version + 1, updated_at = ? WHERE id = ?`,
			in.CreditCode, in.Name, wanToYuan(in.RegisteredCapitalWan), in.Industry, in.Street, in.Address, in.WhiteList, in.Top500,
			in.AboveScale, in.CommissionerID, in.FinanceAdvisorID, in.Illustrative, in.Note, time.Now().UTC(), id)
		return enterpriseWriteErr(err, in.CreditCode)
	})
}

// DeleteEnterprise removes an enterprise with its visits and financing needs;
// the cases raised for it stay.
func (s *Service) DeleteEnterprise(ctx context.Context, id int64, version int) error {
	return audit.Delete(ctx, s.db, enterpriseKind, id, version, func(q store.Querier, _ Enterprise) error {
		if _, err := q.Exec(ctx, `DELETE FROM enterprises WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete enterprise: %w", err)
		}
		return nil
	})
}

// CodeCheck is the answer of CheckCode.
type CodeCheck struct {
	Code    string `json:"code" doc:"规范化后的代码（全角转半角、小写转大写）"`
	Valid   bool   `json:"valid"`
	Message string `json:"message" doc:"错误说明，指出哪一位有误"`
}

// CheckCode answers whether code is a valid credit code, for forms that check as the user types.
func CheckCode(code string) CodeCheck {
	n := NormalizeCreditCode(code)
	msg := CheckCreditCode(n)
	return CodeCheck{Code: n, Valid: msg == "", Message: msg}
}
