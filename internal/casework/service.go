// Package casework is casework (督办): cases of every type, parallel tasks for several units, the state flow to closing (销号), time limits and escalation, and the stats per unit.
package casework

import "gongjian/internal/store"

// Service holds the casework operations; every method takes a context and
// checks the caller's permission and data scope itself.
type Service struct {
	db *store.DB
}

// New returns the service over db.
func New(db *store.DB) *Service { return &Service{db: db} }
