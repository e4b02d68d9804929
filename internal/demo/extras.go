package demo

import (
	"context"
	"fmt"

	"gongjian/internal/briefing"
	"gongjian/internal/casework"
	"gongjian/internal/enterprise"
	"gongjian/internal/indicator"
	"gongjian/internal/ledger"
)

// Extras are the services of the capabilities built on the core model; the
// demo writes their records through them like any user would.
type Extras struct {
	Cases       *casework.Service
	Indicators  *indicator.Service
	Ledgers     *ledger.Service
	Enterprises *enterprise.Service
	Briefings   *briefing.Service
}

// LoadExtras writes the demo district's cases, indicators, ledgers and
// enterprises, then the briefings that read them, after Load and LoadReports. Each part skips what exists, so it
// is idempotent like Load.
func LoadExtras(ctx context.Context, s Services, x Extras, sum Summary) error {
	parts := []struct {
		name string
		load func(context.Context, Services, Extras, Summary) error
	}{
		{"indicators", loadIndicators},
		{"ledgers", loadLedgers},
		{"enterprises", loadEnterprises},
		{"cases", loadCases},
		{"photos", loadPhotos}, // 现场照片 on the big projects' November reports (photos.go)
		{"briefings", loadBriefings},
	}
	for _, p := range parts {
		if err := p.load(ctx, s, x, sum); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
	}
	return nil
}
