// Package ledger is ledgers (台账): registers defined by a supervisor, their rows with history, and the counts and sums over them.
package ledger

import (
	"time"

	"gongjian/internal/store"
)

// Service holds the ledger operations; every method takes a context and
// checks the caller's permission and data scope itself.
type Service struct {
	db  *store.DB
	now func() time.Time
}

// New returns the service over db.
func New(db *store.DB) *Service { return &Service{db: db, now: time.Now} }

// WithClock returns a copy whose idea of "now" is now(); tests and the demo
// use it to record rows on past days, so as-of figures replay history.
func (s *Service) WithClock(now func() time.Time) *Service { return &Service{db: s.db, now: now} }
