package audit

import (
	"context"

	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Kind describes a record type for the standard create, update and delete
// steps, so that every feature gets versioning and the audit trail the same way.
type Kind[T any] struct {
	Entity  string // audit entity name, e.g. "item"
	Label   string // Chinese name for messages, e.g. "事项"
	Get     func(ctx context.Context, q store.Querier, id int64) (T, error)
	Version func(T) int
}

// Create runs insert and records the new record, in one transaction.
func Create[T any](ctx context.Context, db *store.DB, k Kind[T], insert func(q store.Querier) (int64, error)) (T, error) {
	var out T
	err := db.Tx(ctx, func(q store.Querier) error {
		id, err := insert(q)
		if err != nil {
			return err
		}
		if out, err = k.Get(ctx, q, id); err != nil {
			return err
		}
		return Write(ctx, q, Entry{Action: "create", Entity: k.Entity, EntityID: id, After: out})
	})
	return out, err
}

// Update loads the record, refuses a stale version, runs apply (which may
// check the loaded record first) and records before and after.
func Update[T any](ctx context.Context, db *store.DB, k Kind[T], id int64, version int, apply func(q store.Querier, before T) error) (T, error) {
	var out T
	err := db.Tx(ctx, func(q store.Querier) error {
		before, err := k.Get(ctx, q, id)
		if err != nil {
			return err
		}
		if k.Version(before) != version {
			return errs.Stale(k.Label)
		}
		if err := apply(q, before); err != nil {
			return err
		}
		if out, err = k.Get(ctx, q, id); err != nil {
			return err
		}
		return Write(ctx, q, Entry{Action: "update", Entity: k.Entity, EntityID: id, Before: before, After: out})
	})
	return out, err
}

// Delete loads the record, refuses a stale version, runs del and records what
// was removed.
func Delete[T any](ctx context.Context, db *store.DB, k Kind[T], id int64, version int, del func(q store.Querier, before T) error) error {
	return db.Tx(ctx, func(q store.Querier) error {
		before, err := k.Get(ctx, q, id)
		if err != nil {
			return err
		}
		if k.Version(before) != version {
			return errs.Stale(k.Label)
		}
		if err := del(q, before); err != nil {
			return err
		}
		return Write(ctx, q, Entry{Action: "delete", Entity: k.Entity, EntityID: id, Before: before})
	})
}
