// Package indicator is the economic indicators: catalogue, values per period for the district, its peers and the city, targets, and the computed growth, rank and gaps.
package indicator

import (
	"context"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Service holds the indicator operations; every method takes a context and
// checks the caller's permission and data scope itself.
type Service struct {
	db  *store.DB
	now func() time.Time
}

// New returns the service over db.
func New(db *store.DB) *Service { return &Service{db: db, now: time.Now} }

// WithClock returns a copy of the service whose writes are stamped by now;
// the demo uses it to backdate values to the day they were published.
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// need fails unless the caller holds p. Indicators are district-wide
// figures: whoever may read them sees them all, so there is no data scope
// beyond the permission. A nil actor is system work.
func need(ctx context.Context, p access.Permission) error {
	if a := access.From(ctx); a != nil && !a.Can(p) {
		return errs.Forbidden("当前角色无权执行此操作")
	}
	return nil
}

// cutoff is the instant up to which values count for a view as of day d:
// the end of that day, or everything on record when d is zero.
func cutoff(d date.Date) time.Time {
	if d.IsZero() {
		return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return d.Time().AddDate(0, 0, 1)
}
