// Package briefing is briefings (简报/通报) generated from the data, and the league table (考核排名) of units.
package briefing

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/errs"
	"gongjian/internal/progress"
	"gongjian/internal/store"
)

// Service holds the briefing operations; every method takes a context and
// checks the caller's permission and data scope itself.
type Service struct {
	db       *store.DB
	progress *progress.Service
	now      func() time.Time
	// components score units in the league table; sources other than
	// progress (cases) add theirs.
	components []Component
	// sources add figures, labels and tables from other data (indicators,
	// cases, ledgers) to a briefing being composed.
	sources []source
	// generating admits one briefing generation at a time in this process.
	// Each reads a district's worth of rows and holds megabytes of content;
	// two at once on a small server take as long in total and double the
	// peak memory (docs/BENCHMARKS.md, run 8).
	generating chan struct{}
}

// source adds what one data source knows for the scope to the briefing.
type source func(ctx context.Context, sc Scope, col *collected) error

// New returns the service over db.
func New(db *store.DB) *Service {
	s := &Service{db: db, progress: progress.New(db), now: time.Now, components: defaultComponents(), generating: make(chan struct{}, 1)}
	s.sources = append(s.sources, s.casesSource)
	s.sources = append(s.sources, s.indicatorsSource)
	s.sources = append(s.sources, s.ledgersSource)
	s.AddComponent(casesOnTime{})
	return s
}

// canWrite fails unless the caller may generate, edit and publish briefings;
// system work (nil actor) may.
func canWrite(ctx context.Context) error {
	if a := access.From(ctx); a != nil && !a.Can(access.BriefingWrite) {
		return errs.Forbidden("当前角色无权编辑简报")
	}
	return nil
}

func (s *Service) campaignExists(ctx context.Context, q store.Querier, id int64) error {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM campaigns WHERE id = ?`, id).Scan(&n); err != nil {
		return fmt.Errorf("campaign exists: %w", err)
	}
	if n == 0 {
		return errs.NotFound("攻坚年", id)
	}
	return nil
}
