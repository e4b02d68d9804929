package campaign

import (
	"context"
	"fmt"

	"gongjian/internal/access"
	"gongjian/internal/errs"
	"gongjian/internal/org"
	"gongjian/internal/store"
)

// scopeWhere starts a WHERE clause that limits items to what the actor may
// see. This is the one place where the data scope of items is decided; every
// item query starts from it. A nil actor is system work and sees everything.
func scopeWhere(ctx context.Context, q store.Querier, a *access.Actor) (store.Where, error) {
	var w store.Where
	if a == nil {
		return w, nil
	}
	switch a.Scope() {
	case access.ScopeUnit:
		lead, args := org.InSubtree(`i.lead_unit_id`, a.UnitID)
		co, coArgs := org.InSubtree(`su.unit_id`, a.UnitID)
		w.Add(`(`+lead+` OR EXISTS (SELECT 1 FROM item_units su WHERE su.item_id = i.id AND `+co+`))`, append(args, coArgs...)...)
	case access.ScopeLeader:
		w.Add(`(i.leader_id = ? OR i.zone_id IN (SELECT sz.id FROM zones sz LEFT JOIN zones spz ON spz.id = sz.parent_id
			WHERE sz.commander_id = ? OR spz.commander_id = ?))`, a.PersonID, a.PersonID, a.PersonID)
	}
	return w, nil
}

// checkVisible fails with "not found" when the actor may not see item id, so
// that an item outside the scope is not even confirmed to exist.
func checkVisible(ctx context.Context, q store.Querier, id int64) error {
	w, err := scopeWhere(ctx, q, access.From(ctx))
	if err != nil {
		return err
	}
	w.Add(`i.id = ?`, id)
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM items i`+w.SQL(), w.Args...).Scan(&n); err != nil {
		return fmt.Errorf("check item visible: %w", err)
	}
	if n == 0 {
		return errs.NotFound("事项", id)
	}
	return nil
}

// CheckLead fails unless the actor may report for item id: a unit reporter
// only for items its own unit (or a unit below it) leads — co-operating
// units read but do not report; roles with the whole district in scope for
// any item.
func CheckLead(ctx context.Context, q store.Querier, id int64) error {
	a := access.From(ctx)
	if err := checkVisible(ctx, q, id); err != nil {
		return err
	}
	if a == nil || a.Scope() == access.ScopeAll {
		return nil
	}
	if a.Scope() != access.ScopeUnit {
		return errs.Forbidden("只有牵头单位可以填报该事项")
	}
	cond, args := org.InSubtree(`lead_unit_id`, a.UnitID)
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM items WHERE id = ? AND `+cond, append([]any{id}, args...)...).Scan(&n); err != nil {
		return fmt.Errorf("item lead unit: %w", err)
	}
	if n == 1 {
		return nil
	}
	return errs.Forbidden("本单位是该事项的配合单位，只能查看，由牵头单位填报")
}

// ScopeWhere exposes the item scope clause to other feature packages (alias i for items).
func ScopeWhere(ctx context.Context, q store.Querier) (store.Where, error) {
	return scopeWhere(ctx, q, access.From(ctx))
}
