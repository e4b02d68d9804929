// Package indicator is the economic indicators: catalogue, values per period for the district, its peers and the city, targets, and the computed growth, rank and gaps.
package indicator

import "gongjian/internal/store"

// Service holds the indicator operations; every method takes a context and
// checks the caller's permission and data scope itself.
type Service struct {
	db *store.DB
}

// New returns the service over db.
func New(db *store.DB) *Service { return &Service{db: db} }
