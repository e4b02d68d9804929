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
		units, err := org.Subtree(ctx, q, a.UnitID)
		if err != nil {
			return w, err
		}
		if len(units) == 0 {
			w.Add(`1 = 0`)
			return w, nil
		}
		args := make([]any, 0, 2*len(units))
		for _, u := range units {
			args = append(args, u)
		}
		args = append(args, args...)
		ph := placeholders(len(units))
		w.Add(`(i.lead_unit_id IN (`+ph+`) OR EXISTS (SELECT 1 FROM item_units su WHERE su.item_id = i.id AND su.unit_id IN (`+ph+`)))`, args...)
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
