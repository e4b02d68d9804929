package gen

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gongjian/internal/store"
)

// IndicatorStats says what GenerateIndicators made.
type IndicatorStats struct {
	Indicators, Regions, Months, Values, Targets int
	FirstPeriod, LastPeriod                      string
	Skipped                                      bool // the database already had generated indicators
	Elapsed                                      time.Duration
}

// Rows is the number of rows written.
func (s IndicatorStats) Rows() int { return s.Indicators + s.Regions + s.Values + s.Targets }

type genIndicator struct {
	code, name, unit string
	cumulative       bool
	direction        string
	rankBy           string
	level            float64 // a district's yearly figure (or the level of a point figure)
	growth           float64 // typical year-on-year growth, %
}

var genIndicators = []genIndicator{
	{"GDP", "地区生产总值", "亿元", true, "higher", "growth", 420, 5.5},
	{"IAV", "规模以上工业增加值", "亿元", true, "higher", "growth", 150, 6.5},
	{"GBR", "一般公共预算收入", "亿元", true, "higher", "value", 52, 5.9},
	{"RSC", "社会消费品零售总额", "亿元", true, "higher", "value", 340, 6.8},
	{"FAI", "固定资产投资", "亿元", true, "higher", "growth", 230, 9.5},
	{"FTR", "外贸进出口总额", "亿元", true, "higher", "value", 610, 12.0},
	{"FDI", "实际使用外资", "亿美元", true, "higher", "value", 6.2, 15.0},
	{"IRV", "规模以上工业营业收入", "亿元", true, "higher", "value", 980, 7.2},
	{"TAX", "税收收入", "亿元", true, "higher", "value", 41, 5.1},
	{"INC", "城镇居民人均可支配收入", "元", true, "higher", "growth", 56000, 5.8},
	{"NMB", "新增市场主体", "户", true, "higher", "value", 21000, 8.0},
	{"UNR", "城镇调查失业率", "%", false, "lower", "value", 4.8, -1.0},
}

// GenerateIndicators writes the economic indicators of a city's districts
// once per database: 12 indicators, `regions` regions (our district, its
// peers and the city as a whole), monthly values for `months` months ending
// with the month before `asOf` (published about three weeks after the month),
// so that year-on-year growth is there for every month but the first year,
// and the district's and the city's guidance targets for asOf's year. Values
// are cumulative from January where the indicator is, grow by about the
// indicator's typical rate with noise per region, and are marked illustrative.
// A second call finds the generated catalogue and writes nothing.
func GenerateIndicators(ctx context.Context, db *store.DB, selfName string, regions, months int, asOf time.Time, seed uint64) (IndicatorStats, error) {
	start := time.Now()
	var is IndicatorStats
	if regions < 2 || regions > 100 || months < 1 || months > 600 {
		return is, fmt.Errorf("指标地区数 %d（2–100）或月数 %d（1–600）超出范围", regions, months)
	}
	err := db.Tx(ctx, func(q store.Querier) error {
		is = IndicatorStats{Months: months}
		var n int
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM indicators WHERE code LIKE 'GEN-%'`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			is.Skipped = true
			return nil
		}
		return writeIndicators(ctx, q, selfName, regions, months, asOf, rand.New(rand.NewPCG(seed, 0x1d1c)), &is)
	})
	if err == nil && !is.Skipped {
		err = analyze(ctx, db, "regions, indicators, indicator_values, indicator_targets")
	}
	is.Elapsed = time.Since(start)
	if err != nil {
		return is, fmt.Errorf("生成经济指标: %w", err)
	}
	return is, nil
}

func writeIndicators(ctx context.Context, q store.Querier, selfName string, regions, months int, asOf time.Time, r *rand.Rand, is *IndicatorStats) error {
	now := time.Now().UTC().Truncate(time.Second)
	// Regions: the database's own district and city if it has them (the
	// demo's), else generated ones; the rest are peers.
	type region struct {
		id    int64
		scale float64 // its size against a typical district
		trend float64 // its growth against the typical rate, in points
	}
	var rs []region
	var self, city int64
	_ = q.QueryRow(ctx, `SELECT id FROM regions WHERE kind = 'self'`).Scan(&self)
	_ = q.QueryRow(ctx, `SELECT id FROM regions WHERE kind = 'city'`).Scan(&city)
	newRegion := func(code, name, kind string, order int) (int64, error) {
		var id int64
		err := q.QueryRow(ctx, `INSERT INTO regions (code, name, kind, sort_order, illustrative, created_at, updated_at)
			VALUES (?, ?, ?, ?, TRUE, ?, ?) RETURNING id`, code, name, kind, order, now, now).Scan(&id)
		if err == nil {
			is.Regions++
		}
		return id, err
	}
	var err error
	if self == 0 {
		if self, err = newRegion("GEN-R00", selfName, "self", 0); err != nil {
			return fmt.Errorf("self region: %w", err)
		}
	}
	rs = append(rs, region{self, 1, 0.8})
	for i := 1; i < regions-1; i++ {
		name := districts[i%len(districts)]
		if i >= len(districts) {
			name = fmt.Sprintf("%s%d区", name[:len(name)-len("区")], i)
		}
		var taken int
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM regions WHERE name = ?`, name).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 || name == selfName {
			name = fmt.Sprintf("示意区%02d", i)
		}
		id, err := newRegion(fmt.Sprintf("GEN-R%02d", i), name, "peer", i)
		if err != nil {
			return fmt.Errorf("peer region %s: %w", name, err)
		}
		rs = append(rs, region{id, 0.4 + 1.2*r.Float64(), 4*r.Float64() - 2})
	}
	cityScale := 0.0
	for _, x := range rs {
		cityScale += x.scale
	}
	if city == 0 {
		if city, err = newRegion("GEN-R99", "全市（生成）", "city", 99); err != nil {
			return fmt.Errorf("city region: %w", err)
		}
	}
	rs = append(rs, region{city, cityScale * 1.1, 0})

	last := time.Date(asOf.Year(), asOf.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	first := last.AddDate(0, -(months - 1), 0)
	is.FirstPeriod, is.LastPeriod = first.Format("2006-01"), last.Format("2006-01")
	values := newInserter(ctx, q, "indicator_values", "indicator_id", "region_id", "period", "value_e4", "revision", "illustrative", "note", "recorded_at")
	for k, x := range genIndicators {
		name := x.name
		var taken int
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM indicators WHERE name = ?`, name).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			name += "（生成）"
		}
		var id int64
		if err := q.QueryRow(ctx, `INSERT INTO indicators (code, name, unit, frequency, cumulative, direction, rank_by, city_ranked, sort_order, note, created_at, updated_at)
			VALUES (?, ?, ?, 'monthly', ?, ?, ?, TRUE, ?, ?, ?, ?) RETURNING id`, "GEN-"+x.code, name, x.unit, x.cumulative, x.direction, x.rankBy,
			100+k, "生成数据（gongjian gen），不是真实统计", now, now).Scan(&id); err != nil {
			return fmt.Errorf("indicator %s: %w", x.code, err)
		}
		is.Indicators++
		for _, rg := range rs {
			// The yearly figure of the first year, then year by year at the
			// indicator's rate plus the region's trend and some noise.
			yearly := x.level * rg.scale * (0.9 + 0.2*r.Float64())
			year := first.Year()
			for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
				if m.Year() != year {
					year = m.Year()
					g := x.growth + rg.trend + 3*r.NormFloat64()
					if !x.cumulative {
						g = x.growth*10 + 4*r.NormFloat64() // a rate moves by a few percent of itself
					}
					yearly *= 1 + g/100
				}
				v := yearly
				if x.cumulative {
					// Cumulative from January: a slightly uneven share per month.
					v = yearly * float64(m.Month()) / 12 * (0.97 + 0.06*r.Float64())
				} else {
					v = yearly * (0.95 + 0.1*r.Float64())
				}
				e4 := int64(math.Round(v*100)) * 100 // published to two decimals
				recorded := m.AddDate(0, 1, 20).Add(9 * time.Hour)
				if recorded.After(now) {
					recorded = now
				}
				if err := values.add(id, rg.id, m.Format("2006-01"), e4, 1, true, "", recorded); err != nil {
					return err
				}
			}
		}
		// Targets for the as-of year: the district's growth target and the
		// city's guidance, in tenths of a point as e4.
		for _, t := range []struct {
			kind string
			g    float64
		}{{"district", x.growth + 1}, {"city_guidance", x.growth}} {
			if !x.cumulative {
				continue
			}
			if _, err := q.Exec(ctx, `INSERT INTO indicator_targets (indicator_id, year, kind, measure, value_e4, note, created_at, updated_at)
				VALUES (?, ?, ?, 'growth', ?, '生成数据', ?, ?)`, id, asOf.Year(), t.kind, int64(math.Round(t.g*10))*1000, now, now); err != nil {
				return fmt.Errorf("indicator target: %w", err)
			}
			is.Targets++
		}
	}
	if err := values.flush(); err != nil {
		return err
	}
	is.Values = values.total
	return nil
}
