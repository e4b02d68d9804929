// Package org holds the organisation: units in a tree and the persons in them.
package org

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Service reads and changes units and persons.
type Service struct{ db *store.DB }

// New returns a Service on db.
func New(db *store.DB) *Service { return &Service{db: db} }

// Unit kinds.
var unitKinds = []string{"leadership", "bureau", "street", "soe", "other"}

// Unit is an organisation in the tree.
type Unit struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind" enum:"leadership,bureau,street,soe,other"`
	ParentID  *int64    `json:"parent_id"`
	SortOrder int       `json:"sort_order"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// UnitInput is what a caller may set on a unit.
type UnitInput struct {
	Code      string `json:"code" maxLength:"64" doc:"唯一编码"`
	Name      string `json:"name" maxLength:"200"`
	Kind      string `json:"kind" enum:"leadership,bureau,street,soe,other"`
	ParentID  *int64 `json:"parent_id,omitempty"`
	SortOrder int    `json:"sort_order,omitempty"`
}

func (in *UnitInput) check() error {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	var c errs.Checker
	c.Check(in.Code != "", "code", "required", "单位编码不能为空", nil)
	c.Check(in.Name != "", "name", "required", "单位名称不能为空", nil)
	kindOK := false
	for _, k := range unitKinds {
		kindOK = kindOK || k == in.Kind
	}
	c.Check(kindOK, "kind", "enum", "单位类型应为 "+strings.Join(unitKinds, "、")+" 之一", in.Kind)
	return c.Err()
}

const unitCols = `id, code, name, kind, parent_id, sort_order, version, created_at, updated_at`

func scanUnit(s interface{ Scan(...any) error }) (Unit, error) {
	var u Unit
	var parent sql.NullInt64
	err := s.Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &parent, &u.SortOrder, &u.Version, &u.CreatedAt, &u.UpdatedAt)
	if parent.Valid {
		u.ParentID = &parent.Int64
	}
	return u, err
}

// UnitFilter narrows ListUnits.
type UnitFilter struct {
	Q    string
	Kind string
}

// ListUnits returns all units matching f, in tree order of sort_order then code.
func (s *Service) ListUnits(ctx context.Context, f UnitFilter) ([]Unit, error) {
	var w store.Where
	if f.Q != "" {
		w.Add(`(name LIKE ? ESCAPE '\' OR code LIKE ? ESCAPE '\')`, store.Contains(f.Q), store.Contains(f.Q))
	}
	if f.Kind != "" {
		w.Add(`kind = ?`, f.Kind)
	}
	rows, err := s.db.Read().Query(ctx, `SELECT `+unitCols+` FROM units`+w.SQL()+` ORDER BY sort_order, code`, w.Args...)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	defer rows.Close()
	out := []Unit{}
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("scan unit: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// GetUnit returns one unit.
func (s *Service) GetUnit(ctx context.Context, id int64) (Unit, error) {
	return getUnit(ctx, s.db.Read(), id)
}

func getUnit(ctx context.Context, q store.Querier, id int64) (Unit, error) {
	u, err := scanUnit(q.QueryRow(ctx, `SELECT `+unitCols+` FROM units WHERE id = ?`, id))
	if store.IsNoRows(err) {
		return u, errs.NotFound("单位", id)
	}
	if err != nil {
		return u, fmt.Errorf("get unit %d: %w", id, err)
	}
	return u, nil
}

// UnitByCode finds a unit by its code.
func (s *Service) UnitByCode(ctx context.Context, code string) (Unit, error) {
	u, err := scanUnit(s.db.Read().QueryRow(ctx, `SELECT `+unitCols+` FROM units WHERE code = ?`, code))
	if store.IsNoRows(err) {
		return u, errs.NotFound("单位编码", code)
	}
	if err != nil {
		return u, fmt.Errorf("unit by code %q: %w", code, err)
	}
	return u, nil
}

var unitKind = audit.Kind[Unit]{Entity: "unit", Label: "单位", Get: getUnit, Version: func(u Unit) int { return u.Version }}

// CreateUnit adds a unit.
func (s *Service) CreateUnit(ctx context.Context, in UnitInput) (Unit, error) {
	if err := in.check(); err != nil {
		return Unit{}, err
	}
	return audit.Create(ctx, s.db, unitKind, func(q store.Querier) (id int64, err error) {
		if err := checkParent(ctx, q, in.ParentID, 0); err != nil {
			return 0, err
		}
		now := time.Now().UTC()
		err = q.QueryRow(ctx, `INSERT INTO units (code, name, kind, parent_id, sort_order, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Code, in.Name, in.Kind, in.ParentID, in.SortOrder, now, now).Scan(&id)
		return id, unitWriteErr(err, in)
	})
}

// UpdateUnit changes a unit if version is still current.
func (s *Service) UpdateUnit(ctx context.Context, id int64, version int, in UnitInput) (Unit, error) {
	if err := in.check(); err != nil {
		return Unit{}, err
	}
	return audit.Update(ctx, s.db, unitKind, id, version, func(q store.Querier, _ Unit) error {
		if err := checkParent(ctx, q, in.ParentID, id); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `UPDATE units SET code = ?, name = ?, kind = ?, parent_id = ?, sort_order = ?, version = version + 1, updated_at = ?
			WHERE id = ?`, in.Code, in.Name, in.Kind, in.ParentID, in.SortOrder, time.Now().UTC(), id)
		return unitWriteErr(err, in)
	})
}

func unitWriteErr(err error, in UnitInput) error {
	if store.IsUnique(err) {
		return errs.Duplicate("code", in.Code)
	}
	if err != nil {
		return fmt.Errorf("write unit %q: %w", in.Code, err)
	}
	return nil
}

// DeleteUnit removes a unit that nothing refers to any more.
func (s *Service) DeleteUnit(ctx context.Context, id int64, version int) error {
	return audit.Delete(ctx, s.db, unitKind, id, version, func(q store.Querier, _ Unit) error {
		_, err := q.Exec(ctx, `DELETE FROM units WHERE id = ?`, id)
		if store.IsForeignKey(err) {
			return &errs.Error{Kind: errs.KindConflict, Key: "unit.in_use", Message: "该单位仍有下级单位、人员、账号或事项，不能删除"}
		}
		if err != nil {
			return fmt.Errorf("delete unit: %w", err)
		}
		return nil
	})
}

// checkParent refuses a missing parent and a cycle (a unit under itself).
func checkParent(ctx context.Context, q store.Querier, parent *int64, self int64) error {
	for p, depth := parent, 0; p != nil; depth++ {
		if *p == self || depth > 64 {
			return errs.Invalid([]errs.FieldError{{Field: "parent_id", Key: "unit.cycle", Message: "上级单位不能是本单位或其下级", Value: *parent}})
		}
		var next sql.NullInt64
		err := q.QueryRow(ctx, `SELECT parent_id FROM units WHERE id = ?`, *p).Scan(&next)
		if store.IsNoRows(err) {
			return errs.Invalid([]errs.FieldError{{Field: "parent_id", Key: "not_found", Message: fmt.Sprintf("上级单位 %d 不存在", *p), Value: *p}})
		}
		if err != nil {
			return fmt.Errorf("check parent: %w", err)
		}
		if !next.Valid {
			return nil
		}
		p = &next.Int64
	}
	return nil
}

// InSubtree returns a condition "col is unit id or a unit below it", as a
// subquery, so callers filter by the tree in the same query instead of
// reading the tree first.
func InSubtree(col string, id int64) (string, []any) {
	return col + ` IN (WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE id = ?
		UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id) SELECT id FROM sub)`, []any{id}
}
