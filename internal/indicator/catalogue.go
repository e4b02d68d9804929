package indicator

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Indicator is one entry of the catalogue (指标目录).
type Indicator struct {
	ID         int64     `json:"id"`
	Code       string    `json:"code" doc:"指标代码，如 GBR"`
	Name       string    `json:"name" doc:"指标名称，如 一般公共预算收入"`
	Unit       string    `json:"unit" doc:"计量单位：亿元、万平方米、% …"`
	Frequency  string    `json:"frequency" enum:"monthly,quarterly" doc:"monthly：月度；quarterly：季度（只在 3、6、9、12 月有值）"`
	Cumulative bool      `json:"cumulative" doc:"true：自年初累计值（1-N月）；false：时点值"`
	Direction  string    `json:"direction" enum:"higher,lower" doc:"higher：越高越好；lower：越低越好（排名升序）"`
	RankBy     string    `json:"rank_by" enum:"value,growth" doc:"value：按总量排名；growth：按增速排名"`
	CityRanked bool      `json:"city_ranked" doc:"是否列入市级重点调度（全市排名）"`
	SortOrder  int       `json:"sort_order"`
	Note       string    `json:"note"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// IndicatorInput creates or changes an indicator.
type IndicatorInput struct {
	Code       string `json:"code" minLength:"1" maxLength:"40"`
	Name       string `json:"name" minLength:"1" maxLength:"100"`
	Unit       string `json:"unit" maxLength:"20"`
	Frequency  string `json:"frequency,omitempty" enum:"monthly,quarterly" doc:"默认 monthly"`
	Cumulative bool   `json:"cumulative"`
	Direction  string `json:"direction,omitempty" enum:"higher,lower" doc:"默认 higher"`
	RankBy     string `json:"rank_by,omitempty" enum:"value,growth" doc:"默认 value"`
	CityRanked bool   `json:"city_ranked"`
	SortOrder  int    `json:"sort_order,omitempty"`
	Note       string `json:"note,omitempty" maxLength:"1000"`
}

func (in *IndicatorInput) check() error {
	in.Code, in.Name, in.Unit = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name), strings.TrimSpace(in.Unit)
	if in.Frequency == "" {
		in.Frequency = "monthly"
	}
	if in.Direction == "" {
		in.Direction = "higher"
	}
	if in.RankBy == "" {
		in.RankBy = "value"
	}
	var c errs.Checker
	c.Check(in.Code != "", "code", "indicator.code_required", "请填写指标代码", in.Code)
	c.Check(in.Name != "", "name", "indicator.name_required", "请填写指标名称", in.Name)
	c.Check(slices.Contains([]string{"monthly", "quarterly"}, in.Frequency), "frequency", "indicator.frequency_invalid", "频率应为 monthly（月度）或 quarterly（季度）", in.Frequency)
	c.Check(slices.Contains([]string{"higher", "lower"}, in.Direction), "direction", "indicator.direction_invalid", "方向应为 higher（越高越好）或 lower（越低越好）", in.Direction)
	c.Check(slices.Contains([]string{"value", "growth"}, in.RankBy), "rank_by", "indicator.rank_by_invalid", "排名依据应为 value（总量）或 growth（增速）", in.RankBy)
	return c.Err()
}

const indicatorSelect = `SELECT id, code, name, unit, frequency, cumulative, direction, rank_by, city_ranked, sort_order, note, version, created_at, updated_at FROM indicators`

func scanIndicator(s interface{ Scan(...any) error }) (Indicator, error) {
	var x Indicator
	err := s.Scan(&x.ID, &x.Code, &x.Name, &x.Unit, &x.Frequency, &x.Cumulative, &x.Direction, &x.RankBy, &x.CityRanked, &x.SortOrder, &x.Note, &x.Version, &x.CreatedAt, &x.UpdatedAt)
	return x, err
}

func getIndicator(ctx context.Context, q store.Querier, id int64) (Indicator, error) {
	x, err := scanIndicator(q.QueryRow(ctx, indicatorSelect+` WHERE id = ?`, id))
	if store.IsNoRows(err) {
		return x, errs.NotFound("指标", id)
	}
	if err != nil {
		return x, fmt.Errorf("get indicator %d: %w", id, err)
	}
	return x, nil
}

var indicatorKind = audit.Kind[Indicator]{Entity: "indicator", Label: "指标", Get: getIndicator, Version: func(x Indicator) int { return x.Version }}

func listIndicators(ctx context.Context, q store.Querier) ([]Indicator, error) {
	rows, err := q.Query(ctx, indicatorSelect+` ORDER BY sort_order, code`)
	if err != nil {
		return nil, fmt.Errorf("list indicators: %w", err)
	}
	defer rows.Close()
	out := []Indicator{}
	for rows.Next() {
		x, err := scanIndicator(rows)
		if err != nil {
			return nil, fmt.Errorf("scan indicator: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Indicators lists the catalogue in its display order.
func (s *Service) Indicators(ctx context.Context) ([]Indicator, error) {
	if err := need(ctx, access.IndicatorRead); err != nil {
		return nil, err
	}
	return listIndicators(ctx, s.db.Read())
}

// Indicator returns one indicator.
func (s *Service) Indicator(ctx context.Context, id int64) (Indicator, error) {
	if err := need(ctx, access.IndicatorRead); err != nil {
		return Indicator{}, err
	}
	return getIndicator(ctx, s.db.Read(), id)
}

func uniqueErr(err error, field string, value any) error {
	if store.IsUnique(err) {
		return errs.Duplicate(field, value)
	}
	return err
}

// CreateIndicator adds an indicator to the catalogue.
func (s *Service) CreateIndicator(ctx context.Context, in IndicatorInput) (Indicator, error) {
	if err := need(ctx, access.IndicatorWrite); err != nil {
		return Indicator{}, err
	}
	if err := in.check(); err != nil {
		return Indicator{}, err
	}
	now := s.now().UTC()
	return audit.Create(ctx, s.db, indicatorKind, func(q store.Querier) (int64, error) {
		var id int64
		err := q.QueryRow(ctx, `INSERT INTO indicators (code, name, unit, frequency, cumulative, direction, rank_by, city_ranked, sort_order, note, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Code, in.Name, in.Unit, in.Frequency, in.Cumulative, in.Direction, in.RankBy, in.CityRanked, in.SortOrder, in.Note, now, now).Scan(&id)
		return id, uniqueErr(err, "code", in.Code+" / "+in.Name)
	})
}

// UpdateIndicator changes an indicator of the given version.
func (s *Service) UpdateIndicator(ctx context.Context, id int64, version int, in IndicatorInput) (Indicator, error) {
	if err := need(ctx, access.IndicatorWrite); err != nil {
		return Indicator{}, err
	}
	if err := in.check(); err != nil {
		return Indicator{}, err
	}
	return audit.Update(ctx, s.db, indicatorKind, id, version, func(q store.Querier, _ Indicator) error {
		_, err := q.Exec(ctx, `UPDATE indicators SET code = ?, name = ?, unit = ?, frequency = ?, cumulative = ?, direction = ?, rank_by = ?,
			city_ranked = ?, sort_order = ?, note = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			in.Code, in.Name, in.Unit, in.Frequency, in.Cumulative, in.Direction, in.RankBy, in.CityRanked, in.SortOrder, in.Note, s.now().UTC(), id)
		return uniqueErr(err, "code", in.Code+" / "+in.Name)
	})
}

// Region kinds.
const (
	RegionSelf = "self" // the district itself
	RegionPeer = "peer" // another district of the city
	RegionCity = "city" // the city as a whole
)

// Region is a row of the comparison: the district, a peer district or the city.
type Region struct {
	ID           int64     `json:"id"`
	Code         string    `json:"code"`
	Name         string    `json:"name"`
	Kind         string    `json:"kind" enum:"self,peer,city" doc:"self：本区；peer：全市其他区市；city：全市"`
	SortOrder    int       `json:"sort_order"`
	Illustrative bool      `json:"illustrative" doc:"示意数据（文章未给出）"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// RegionInput creates or changes a region.
type RegionInput struct {
	Code         string `json:"code" minLength:"1" maxLength:"40"`
	Name         string `json:"name" minLength:"1" maxLength:"60"`
	Kind         string `json:"kind" enum:"self,peer,city"`
	SortOrder    int    `json:"sort_order,omitempty"`
	Illustrative bool   `json:"illustrative,omitempty"`
}

func (in *RegionInput) check() error {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	var c errs.Checker
	c.Check(in.Code != "", "code", "region.code_required", "请填写区域代码", in.Code)
	c.Check(in.Name != "", "name", "region.name_required", "请填写区域名称", in.Name)
	c.Check(slices.Contains([]string{RegionSelf, RegionPeer, RegionCity}, in.Kind), "kind", "region.kind_invalid", "类别应为 self（本区）、peer（其他区市）或 city（全市）", in.Kind)
	return c.Err()
}

const regionSelect = `SELECT id, code, name, kind, sort_order, illustrative, version, created_at, updated_at FROM regions`

func scanRegion(s interface{ Scan(...any) error }) (Region, error) {
	var r Region
	err := s.Scan(&r.ID, &r.Code, &r.Name, &r.Kind, &r.SortOrder, &r.Illustrative, &r.Version, &r.CreatedAt, &r.UpdatedAt)
	return r, err
}

func getRegion(ctx context.Context, q store.Querier, id int64) (Region, error) {
	r, err := scanRegion(q.QueryRow(ctx, regionSelect+` WHERE id = ?`, id))
	if store.IsNoRows(err) {
		return r, errs.NotFound("区域", id)
	}
	if err != nil {
		return r, fmt.Errorf("get region %d: %w", id, err)
	}
	return r, nil
}

var regionKind = audit.Kind[Region]{Entity: "region", Label: "区域", Get: getRegion, Version: func(r Region) int { return r.Version }}

// listRegions returns the district first, then its peers, then the city.
func listRegions(ctx context.Context, q store.Querier) ([]Region, error) {
	rows, err := q.Query(ctx, regionSelect+` ORDER BY CASE kind WHEN 'self' THEN 0 WHEN 'peer' THEN 1 ELSE 2 END, sort_order, code`)
	if err != nil {
		return nil, fmt.Errorf("list regions: %w", err)
	}
	defer rows.Close()
	out := []Region{}
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return nil, fmt.Errorf("scan region: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Regions lists the district, its peers and the city.
func (s *Service) Regions(ctx context.Context) ([]Region, error) {
	if err := need(ctx, access.IndicatorRead); err != nil {
		return nil, err
	}
	return listRegions(ctx, s.db.Read())
}

func regionUnique(err error, in RegionInput) error {
	if store.IsUnique(err) {
		if in.Kind != RegionPeer {
			return errs.Invalid([]errs.FieldError{{Field: "kind", Key: "region.kind_taken",
				Message: "本区（self）和全市（city）各只能有一个，或代码、名称已存在", Value: in.Kind}})
		}
		return errs.Duplicate("code", in.Code+" / "+in.Name)
	}
	return err
}

// CreateRegion adds a region.
func (s *Service) CreateRegion(ctx context.Context, in RegionInput) (Region, error) {
	if err := need(ctx, access.IndicatorWrite); err != nil {
		return Region{}, err
	}
	if err := in.check(); err != nil {
		return Region{}, err
	}
	now := s.now().UTC()
	return audit.Create(ctx, s.db, regionKind, func(q store.Querier) (int64, error) {
		var id int64
		err := q.QueryRow(ctx, `INSERT INTO regions (code, name, kind, sort_order, illustrative, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Code, in.Name, in.Kind, in.SortOrder, in.Illustrative, now, now).Scan(&id)
		return id, regionUnique(err, in)
	})
}

// UpdateRegion changes a region of the given version.
func (s *Service) UpdateRegion(ctx context.Context, id int64, version int, in RegionInput) (Region, error) {
	if err := need(ctx, access.IndicatorWrite); err != nil {
		return Region{}, err
	}
	if err := in.check(); err != nil {
		return Region{}, err
	}
	return audit.Update(ctx, s.db, regionKind, id, version, func(q store.Querier, _ Region) error {
		_, err := q.Exec(ctx, `UPDATE regions SET code = ?, name = ?, kind = ?, sort_order = ?, illustrative = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			in.Code, in.Name, in.Kind, in.SortOrder, in.Illustrative, s.now().UTC(), id)
		return regionUnique(err, in)
	})
}

// Region returns one region.
func (s *Service) Region(ctx context.Context, id int64) (Region, error) {
	if err := need(ctx, access.IndicatorRead); err != nil {
		return Region{}, err
	}
	return getRegion(ctx, s.db.Read(), id)
}

// inUse refuses to delete a record that figures refer to: their history
// would go with it.
func inUse(ctx context.Context, q store.Querier, column string, id int64, what string) error {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM indicator_values WHERE `+column+` = ?`, id).Scan(&n); err != nil {
		return fmt.Errorf("count values: %w", err)
	}
	if n > 0 {
		return &errs.Error{Kind: errs.KindConflict, Key: "indicator.in_use", Message: fmt.Sprintf("该%s已有 %d 条数值记录，不能删除", what, n)}
	}
	return nil
}

// DeleteIndicator removes an indicator that has no figures yet.
func (s *Service) DeleteIndicator(ctx context.Context, id int64, version int) error {
	if err := need(ctx, access.IndicatorWrite); err != nil {
		return err
	}
	return audit.Delete(ctx, s.db, indicatorKind, id, version, func(q store.Querier, _ Indicator) error {
		if err := inUse(ctx, q, "indicator_id", id, "指标"); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `DELETE FROM indicators WHERE id = ?`, id)
		return err
	})
}

// DeleteRegion removes a region that has no figures yet.
func (s *Service) DeleteRegion(ctx context.Context, id int64, version int) error {
	if err := need(ctx, access.IndicatorWrite); err != nil {
		return err
	}
	return audit.Delete(ctx, s.db, regionKind, id, version, func(q store.Querier, _ Region) error {
		if err := inUse(ctx, q, "region_id", id, "区域"); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `DELETE FROM regions WHERE id = ?`, id)
		return err
	})
}

// SelfRegionID is the id of the district's own region.
func (s *Service) SelfRegionID(ctx context.Context) (int64, error) {
	if err := need(ctx, access.IndicatorRead); err != nil {
		return 0, err
	}
	var id int64
	err := s.db.Read().QueryRow(ctx, `SELECT id FROM regions WHERE kind = 'self'`).Scan(&id)
	if store.IsNoRows(err) {
		return 0, errs.NotFound("本区", "")
	}
	return id, err
}

// LatestPeriod is the latest period with a figure for the district (or for
// anyone, before the district has one); this month when there is none.
func (s *Service) LatestPeriod(ctx context.Context) (string, error) {
	if err := need(ctx, access.IndicatorRead); err != nil {
		return "", err
	}
	var p *string
	err := s.db.Read().QueryRow(ctx, `SELECT COALESCE(
		(SELECT MAX(v.period) FROM indicator_values v JOIN regions r ON r.id = v.region_id WHERE r.kind = 'self'),
		(SELECT MAX(period) FROM indicator_values))`).Scan(&p)
	if err != nil {
		return "", fmt.Errorf("latest period: %w", err)
	}
	if p == nil {
		now := s.now()
		return Period{now.Year(), int(now.Month())}.String(), nil
	}
	return *p, nil
}
