package gen

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/auth"
	"gongjian/internal/store"
)

// The scales of issue 12. A district is what one district government runs;
// a city is 15 districts in one database, a province 150.
var scales = map[string]int{"district": 1, "city": 15, "province": 150}

// Sizes of one district at scale.
const (
	ScaleItems      = 2000
	ScaleWeeks      = 52
	ScaleCases      = 20000
	ScaleLedgers    = 10
	ScaleLedgerRows = 10000
	ScaleIndicators = 12 // fixed by the catalogue (genIndicators)
	ScaleRegions    = 15
	ScaleMonths     = 60
)

// ScalePassword is the password of the accounts GenerateScale creates.
const ScalePassword = "Gongjian@Gen2022"

// ScaleOptions say what GenerateScale writes. Zero sizes take the Scale*
// defaults; Base is the district's Options (items, weeks, seed …).
type ScaleOptions struct {
	Scale      string // district, city or province
	Districts  int    // 0: as the scale says
	Base       Options
	Cases      int
	Ledgers    int
	LedgerRows int
	Regions    int
	Months     int
	Accounts   bool      // a supervisor and a reporter per district, password ScalePassword
	Log        io.Writer // progress lines; nil: none
}

// DefaultScaleOptions is the district of issue 12: 2,000 items with 52 weekly
// reports each, 20,000 cases, 10 ledgers of 10,000 rows, 12 indicators × 15
// regions × 60 months, and two accounts.
func DefaultScaleOptions(scale string) ScaleOptions {
	base := DefaultOptions(ScaleItems)
	base.Weeks = ScaleWeeks
	return ScaleOptions{Scale: scale, Base: base, Cases: ScaleCases, Ledgers: ScaleLedgers, LedgerRows: ScaleLedgerRows,
		Regions: ScaleRegions, Months: ScaleMonths, Accounts: true}
}

// DistrictStats is one district of a scale run.
type DistrictStats struct {
	Stats
	Cases      CaseStats
	Ledgers    LedgerStats
	Supervisor string // usernames of the accounts, if made
	Reporter   string
}

// ScaleStats says what GenerateScale made.
type ScaleStats struct {
	Districts  []DistrictStats
	Indicators IndicatorStats
	Elapsed    time.Duration
}

// Rows is the number of rows written.
func (s ScaleStats) Rows() int {
	n := s.Indicators.Rows()
	for _, d := range s.Districts {
		n += d.Stats.Rows() + d.Cases.Rows() + d.Ledgers.RowsWritten()
	}
	return n
}

// Districts is how many districts a scale has.
func Districts(scale string) (int, error) {
	n, ok := scales[scale]
	if !ok {
		return 0, fmt.Errorf("规模 %q 无效，可选 district（区县）、city（市，15 个区县）、province（省，150 个区县）", scale)
	}
	return n, nil
}

// GenerateScale writes a district, a city or a province: per district
// Generate (items, milestones, targets, weekly reports), GenerateCases and
// GenerateLedgers, each in its own transaction, and the indicators once.
// Districts written earlier stay; the new ones take the next free prefixes.
func GenerateScale(ctx context.Context, db *store.DB, opt ScaleOptions) (ScaleStats, error) {
	start := time.Now()
	var out ScaleStats
	n := opt.Districts
	if n == 0 {
		var err error
		if n, err = Districts(opt.Scale); err != nil {
			return out, err
		}
	}
	logf := func(format string, args ...any) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, format+"\n", args...)
		}
	}
	var users *auth.Service
	if opt.Accounts {
		users = auth.New(db, time.Hour, 12*time.Hour)
	}
	for i := range n {
		base := opt.Base
		base.Seed = opt.Base.Seed + uint64(i)
		st, err := Generate(ctx, db, base)
		if err != nil {
			return out, err
		}
		ds := DistrictStats{Stats: st}
		if ds.Cases, err = GenerateCases(ctx, db, st, opt.Cases, base.Seed); err != nil {
			return out, err
		}
		if ds.Ledgers, err = GenerateLedgers(ctx, db, st, opt.Ledgers, opt.LedgerRows, base.Seed); err != nil {
			return out, err
		}
		if i == 0 && opt.Regions > 0 && opt.Months > 0 {
			if out.Indicators, err = GenerateIndicators(ctx, db, st.District, opt.Regions, opt.Months, asOfOf(ctx, db, st), base.Seed); err != nil {
				return out, err
			}
		}
		if users != nil {
			if ds.Supervisor, ds.Reporter, err = accounts(ctx, db, users, st); err != nil {
				return out, err
			}
		}
		out.Districts = append(out.Districts, ds)
		rows := ds.Stats.Rows() + ds.Cases.Rows() + ds.Ledgers.RowsWritten()
		el := ds.Stats.Elapsed + ds.Cases.Elapsed + ds.Ledgers.Elapsed
		logf("  %d/%d %s（%s）：事项 %d、填报 %d、督办件 %d、台账行 %d；%d 行，%s（%.0f 行/秒）", i+1, n, st.District, st.Prefix,
			st.Items, st.Reports, ds.Cases.Cases, ds.Ledgers.Rows, rows, el.Round(time.Millisecond), float64(rows)/el.Seconds())
	}
	out.Elapsed = time.Since(start)
	return out, nil
}

// asOfOf is the "today" of a generated district (see loadDistrict), as the
// time the indicators are published up to.
func asOfOf(ctx context.Context, db *store.DB, st Stats) time.Time {
	d, err := loadDistrict(ctx, db.Read(), st)
	if err != nil {
		return time.Now()
	}
	return d.asOf.Time()
}

// accounts creates a supervisor of the district and a reporter of the unit
// leading the most items: <prefix>-supervisor and <prefix>-reporter.
func accounts(ctx context.Context, db *store.DB, users *auth.Service, st Stats) (supervisor, reporter string, err error) {
	var lead int64
	if err := db.Read().QueryRow(ctx, `SELECT lead_unit_id FROM items WHERE campaign_id = ? GROUP BY lead_unit_id
		ORDER BY COUNT(*) DESC, lead_unit_id LIMIT 1`, st.CampaignID).Scan(&lead); err != nil {
		return "", "", fmt.Errorf("busiest unit: %w", err)
	}
	p := strings.ToLower(st.Prefix)
	supervisor, reporter = p+"-supervisor", p+"-reporter"
	for _, u := range []auth.UserInput{
		{Username: supervisor, DisplayName: st.District + "督查室（生成）", Role: access.Supervisor, UnitID: st.RootUnitID, Password: ScalePassword},
		{Username: reporter, DisplayName: st.District + "牵头单位填报员（生成）", Role: access.Reporter, UnitID: lead, Password: ScalePassword},
	} {
		if _, _, err := users.CreateUser(ctx, u); err != nil {
			return "", "", fmt.Errorf("account %s: %w", u.Username, err)
		}
	}
	return supervisor, reporter, nil
}
