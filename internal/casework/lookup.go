package casework

import (
	"context"
	"fmt"
	"strings"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// ByKey returns the case the actor may see with a code (DB-2022-0001) or,
// when code is empty, with an external reference (an import's key, a
// one-window acceptance number); errs.ErrNotFound otherwise.
func (s *Service) ByKey(ctx context.Context, code, ref string) (Case, error) {
	if err := need(ctx, access.CaseRead); err != nil {
		return Case{}, err
	}
	code, ref = strings.TrimSpace(code), strings.TrimSpace(ref)
	col, key := "code", code
	if code == "" {
		col, key = "external_ref", ref
	}
	if key == "" {
		return Case{}, errs.NotFound("督办件", "")
	}
	q := s.db.Read()
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM cases WHERE `+col+` = ?`, key).Scan(&id)
	if store.IsNoRows(err) {
		return Case{}, errs.NotFound("督办件", key)
	}
	if err != nil {
		return Case{}, fmt.Errorf("case by %s: %w", col, err)
	}
	return s.getCase(ctx, q, id)
}

// CreateWithRef is Create for a case that carries an external reference
// (unique), so that importing the same row again finds it instead of raising
// it twice.
func (s *Service) CreateWithRef(ctx context.Context, in CaseInput, ref string) (Case, error) {
	if err := need(ctx, access.CaseWrite); err != nil {
		return Case{}, err
	}
	now := s.now()
	if err := in.check(date.Of(now)); err != nil {
		return Case{}, err
	}
	var out Case
	err := s.db.Tx(ctx, func(q store.Querier) error {
		c, err := s.insert(ctx, q, in, now, strings.TrimSpace(ref))
		if err != nil {
			return err
		}
		out = c
		return audit.Write(ctx, q, audit.Entry{Action: "create", Entity: "case", EntityID: c.ID, After: c})
	})
	return out, err
}
