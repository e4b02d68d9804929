package store

import "database/sql"

// Pools returns the statistics of each connection pool by name, for
// /metrics: "write" and "read" on SQLite, one "main" pool on PostgreSQL.
func (db *DB) Pools() map[string]func() sql.DBStats {
	if db.r == db.w {
		return map[string]func() sql.DBStats{"main": db.w.Stats}
	}
	return map[string]func() sql.DBStats{"write": db.w.Stats, "read": db.r.Stats}
}
