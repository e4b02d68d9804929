// Package ledger is ledgers (台账): registers defined by a supervisor, their rows with history, and the counts and sums over them.
package ledger

import "gongjian/internal/store"

// Service holds the ledger operations; every method takes a context and
// checks the caller's permission and data scope itself.
type Service struct {
	db *store.DB
}

// New returns the service over db.
func New(db *store.DB) *Service { return &Service{db: db} }
