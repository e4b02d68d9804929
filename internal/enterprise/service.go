// Package enterprise is the enterprise registry (keyed by the unified social credit code), service visits, financing needs and the investment pipeline.
package enterprise

import "gongjian/internal/store"

// Service holds the enterprise operations; every method takes a context and
// checks the caller's permission and data scope itself.
type Service struct {
	db *store.DB
}

// New returns the service over db.
func New(db *store.DB) *Service { return &Service{db: db} }
