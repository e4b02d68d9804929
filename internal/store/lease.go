package store

import (
	"context"
	"fmt"
	"time"
)

// TryLease takes or renews the lease called name for holder until now+ttl,
// and reports whether holder has it. With several server processes on one
// database, only the holder runs the job; a holder that dies loses the lease
// when it expires.
func (db *DB) TryLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	var got bool
	err := db.Tx(ctx, func(q Querier) error {
		if _, err := q.Exec(ctx, `INSERT INTO job_leases (name, holder, expires_at) VALUES (?, '', ?) ON CONFLICT (name) DO NOTHING`,
			name, now.Add(-time.Second)); err != nil {
			return fmt.Errorf("lease row: %w", err)
		}
		res, err := q.Exec(ctx, `UPDATE job_leases SET holder = ?, expires_at = ? WHERE name = ? AND (holder = ? OR expires_at < ?)`,
			holder, now.Add(ttl), name, holder, now)
		if err != nil {
			return fmt.Errorf("take lease: %w", err)
		}
		n, err := res.RowsAffected()
		got = n == 1
		return err
	})
	return got, err
}
