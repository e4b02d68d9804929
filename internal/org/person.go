package org

import (
	"context"
	"database/sql"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Person is a leader or staff member, named in the demo by post only.
type Person struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Title     string    `json:"title"`
	UnitID    *int64    `json:"unit_id"`
	UnitName  string    `json:"unit_name,omitempty"`
	Phone     string    `json:"phone"`
	Email     string    `json:"email" doc:"电子邮箱：所属单位的提醒和督办通知发到这里"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PersonInput is what a caller may set on a person.
type PersonInput struct {
	Code   string `json:"code" maxLength:"64"`
	Name   string `json:"name" maxLength:"100"`
	Title  string `json:"title,omitempty" maxLength:"200"`
	UnitID *int64 `json:"unit_id,omitempty"`
	Phone  string `json:"phone,omitempty" maxLength:"40"`
	Email  string `json:"email,omitempty" maxLength:"254" doc:"电子邮箱，如 zhangsan@zjj.gov.cn"`
}

func (in *PersonInput) check() error {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	var c errs.Checker
	c.Check(in.Code != "", "code", "required", "人员编码不能为空", nil)
	c.Check(in.Name != "", "name", "required", "姓名不能为空", nil)
	in.Email = strings.TrimSpace(in.Email)
	if in.Email != "" {
		a, err := mail.ParseAddress(in.Email)
		c.Check(err == nil && a.Address == in.Email && strings.Contains(in.Email, "."), "email", "email.invalid", "邮箱格式不正确，应如 zhangsan@zjj.gov.cn", in.Email)
	}
	return c.Err()
}

const personSelect = `SELECT p.id, p.code, p.name, p.title, p.unit_id, COALESCE(u.name, ''), p.phone, p.email, p.version, p.created_at, p.updated_at
	FROM persons p LEFT JOIN units u ON u.id = p.unit_id`

func scanPerson(s interface{ Scan(...any) error }) (Person, error) {
	var p Person
	var unit sql.NullInt64
	err := s.Scan(&p.ID, &p.Code, &p.Name, &p.Title, &unit, &p.UnitName, &p.Phone, &p.Email, &p.Version, &p.CreatedAt, &p.UpdatedAt)
	if unit.Valid {
		p.UnitID = &unit.Int64
	}
	return p, err
}

func getPerson(ctx context.Context, q store.Querier, id int64) (Person, error) {
	p, err := scanPerson(q.QueryRow(ctx, personSelect+` WHERE p.id = ?`, id))
	if store.IsNoRows(err) {
		return p, errs.NotFound("人员", id)
	}
	if err != nil {
		return p, fmt.Errorf("get person %d: %w", id, err)
	}
	return p, nil
}

var personKind = audit.Kind[Person]{Entity: "person", Label: "人员", Get: getPerson, Version: func(p Person) int { return p.Version }}

// PersonFilter narrows ListPersons.
type PersonFilter struct {
	Q      string
	UnitID int64
}

// ListPersons returns the persons matching f.
func (s *Service) ListPersons(ctx context.Context, f PersonFilter) ([]Person, error) {
	var w store.Where
	if f.Q != "" {
		w.Add(`(p.name LIKE ? ESCAPE '\' OR p.title LIKE ? ESCAPE '\' OR p.code LIKE ? ESCAPE '\')`,
			store.Contains(f.Q), store.Contains(f.Q), store.Contains(f.Q))
	}
	if f.UnitID != 0 {
		w.Add(`p.unit_id = ?`, f.UnitID)
	}
	rows, err := s.db.Read().Query(ctx, personSelect+w.SQL()+` ORDER BY p.code`, w.Args...)
	if err != nil {
		return nil, fmt.Errorf("list persons: %w", err)
	}
	defer rows.Close()
	out := []Person{}
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, fmt.Errorf("scan person: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// GetPerson returns one person.
func (s *Service) GetPerson(ctx context.Context, id int64) (Person, error) {
	return getPerson(ctx, s.db.Read(), id)
}

// CreatePerson adds a person.
func (s *Service) CreatePerson(ctx context.Context, in PersonInput) (Person, error) {
	if err := in.check(); err != nil {
		return Person{}, err
	}
	return audit.Create(ctx, s.db, personKind, func(q store.Querier) (id int64, err error) {
		now := time.Now().UTC()
		err = q.QueryRow(ctx, `INSERT INTO persons (code, name, title, unit_id, phone, email, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Code, in.Name, in.Title, in.UnitID, in.Phone, in.Email, now, now).Scan(&id)
		return id, personWriteErr(err, in)
	})
}

// UpdatePerson changes a person if version is still current.
func (s *Service) UpdatePerson(ctx context.Context, id int64, version int, in PersonInput) (Person, error) {
	if err := in.check(); err != nil {
		return Person{}, err
	}
	return audit.Update(ctx, s.db, personKind, id, version, func(q store.Querier, _ Person) error {
		_, err := q.Exec(ctx, `UPDATE persons SET code = ?, name = ?, title = ?, unit_id = ?, phone = ?, email = ?, version = version + 1, updated_at = ?
			WHERE id = ?`, in.Code, in.Name, in.Title, in.UnitID, in.Phone, in.Email, time.Now().UTC(), id)
		return personWriteErr(err, in)
	})
}

func personWriteErr(err error, in PersonInput) error {
	switch {
	case store.IsUnique(err):
		return errs.Duplicate("code", in.Code)
	case store.IsForeignKey(err):
		return errs.Invalid([]errs.FieldError{{Field: "unit_id", Key: "not_found", Message: "所属单位不存在", Value: in.UnitID}})
	case err != nil:
		return fmt.Errorf("write person %q: %w", in.Code, err)
	}
	return nil
}

// DeletePerson removes a person that nothing refers to any more.
func (s *Service) DeletePerson(ctx context.Context, id int64, version int) error {
	return audit.Delete(ctx, s.db, personKind, id, version, func(q store.Querier, _ Person) error {
		_, err := q.Exec(ctx, `DELETE FROM persons WHERE id = ?`, id)
		if store.IsForeignKey(err) {
			return &errs.Error{Kind: errs.KindConflict, Key: "person.in_use", Message: "该人员仍是事项责任领导、战区指挥长或账号关联人，不能删除"}
		}
		if err != nil {
			return fmt.Errorf("delete person: %w", err)
		}
		return nil
	})
}

// PersonByCode finds a person by code.
func (s *Service) PersonByCode(ctx context.Context, code string) (Person, error) {
	p, err := scanPerson(s.db.Read().QueryRow(ctx, personSelect+` WHERE p.code = ?`, code))
	if store.IsNoRows(err) {
		return p, errs.NotFound("人员编码", code)
	}
	if err != nil {
		return p, fmt.Errorf("person by code %q: %w", code, err)
	}
	return p, nil
}
