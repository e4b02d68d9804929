// Package briefing is briefings (简报/通报) generated from the data, and the league table (考核排名) of units.
package briefing

import "gongjian/internal/store"

// Service holds the briefing operations; every method takes a context and
// checks the caller's permission and data scope itself.
type Service struct {
	db *store.DB
}

// New returns the service over db.
func New(db *store.DB) *Service { return &Service{db: db} }
