package indicator

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// ValueInput is one figure: an indicator's value for a region in a period.
// Indicator and region are named by code or by name.
type ValueInput struct {
	Indicator    string  `json:"indicator" minLength:"1" maxLength:"100" doc:"指标代码或名称"`
	Region       string  `json:"region" minLength:"1" maxLength:"60" doc:"区域代码或名称（本区、其他区市或全市）"`
	Period       string  `json:"period" minLength:"1" maxLength:"20" doc:"统计期，如 2022-06（累计指标为 1-6 月）"`
	Value        float64 `json:"value" doc:"数值，按指标的计量单位，最多 4 位小数"`
	Illustrative bool    `json:"illustrative,omitempty" doc:"示意数据（文章或统计部门未给出）"`
	Note         string  `json:"note,omitempty" maxLength:"500" doc:"来源或更正说明"`
}

// WriteResult counts what a batch of values did: a new figure is created, a
// changed one gets a new revision (updated), an equal one is unchanged.
type WriteResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// ValueRevision is one recorded version of a value.
type ValueRevision struct {
	ValueRevision int       `json:"revision"`
	Value         float64   `json:"value"`
	Illustrative  bool      `json:"illustrative"`
	Note          string    `json:"note"`
	RecordedBy    string    `json:"recorded_by"`
	RecordedAt    time.Time `json:"recorded_at"`
}

// vkey names one figure.
type vkey struct {
	ind, region int64
	period      string
}

// figure is the resolved, validated form of a ValueInput.
type figure struct {
	key          vkey
	value        E4
	illustrative bool
	note         string
	keepFlag     bool // keep the illustrative mark of the figure on record (imports)
}

// lookup resolves indicators and regions by code or name.
type lookup struct {
	inds    map[string]Indicator
	regions map[string]Region
}

func loadLookup(ctx context.Context, q store.Querier) (lookup, []Indicator, []Region, error) {
	inds, err := listIndicators(ctx, q)
	if err != nil {
		return lookup{}, nil, nil, err
	}
	regs, err := listRegions(ctx, q)
	if err != nil {
		return lookup{}, nil, nil, err
	}
	l := lookup{inds: map[string]Indicator{}, regions: map[string]Region{}}
	for _, x := range inds {
		l.inds[norm(x.Code)], l.inds[norm(x.Name)] = x, x
	}
	for _, r := range regs {
		l.regions[norm(r.Code)], l.regions[norm(r.Name)] = r, r
	}
	return l, inds, regs, nil
}

// norm makes names match regardless of spaces, full-width letters and case.
func norm(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '\u3000' || r == '\t' || r == '\n' || r == '*':
			continue
		case r >= '！' && r <= '～':
			r -= 0xFEE0
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

// maxE4 bounds a value so that growth arithmetic cannot overflow.
const maxE4 = 1e14

// resolve validates inputs into figures, naming each bad field by its index.
func (l lookup) resolve(in []ValueInput) ([]figure, error) {
	var c errs.Checker
	out := make([]figure, 0, len(in))
	seen := map[vkey]int{}
	for i, v := range in {
		f := fmt.Sprintf("values[%d].", i)
		x, okI := l.inds[norm(v.Indicator)]
		c.Check(okI, f+"indicator", "indicator.unknown", fmt.Sprintf("第 %d 条：没有指标“%s”", i+1, v.Indicator), v.Indicator)
		r, okR := l.regions[norm(v.Region)]
		c.Check(okR, f+"region", "region.unknown", fmt.Sprintf("第 %d 条：没有区域“%s”", i+1, v.Region), v.Region)
		p, err := ParsePeriod(v.Period)
		if err != nil {
			c.Add(f+"period", "period.invalid", fmt.Sprintf("第 %d 条：%s", i+1, err.Error()), v.Period)
		} else if okI && x.Frequency == "quarterly" && !p.QuarterEnd() {
			c.Add(f+"period", "period.not_quarter_end", fmt.Sprintf("第 %d 条：%s 是季度指标，只在 3、6、9、12 月有值", i+1, x.Name), v.Period)
		}
		okV := !math.IsNaN(v.Value) && !math.IsInf(v.Value, 0) && math.Abs(v.Value) < maxE4/1e4
		c.Check(okV, f+"value", "value.invalid", fmt.Sprintf("第 %d 条：数值 %v 无效", i+1, v.Value), v.Value)
		if !okI || !okR || err != nil || !okV {
			continue
		}
		k := vkey{x.ID, r.ID, p.String()}
		if j, dup := seen[k]; dup && out[j].value != ToE4(v.Value) {
			c.Add(f+"value", "value.conflict", fmt.Sprintf("第 %d 条：%s %s %s 在本批中出现两次且数值不同", i+1, r.Name, x.Name, p), v.Value)
			continue
		} else if dup {
			continue
		}
		seen[k] = len(out)
		out = append(out, figure{key: k, value: ToE4(v.Value), illustrative: v.Illustrative, note: strings.TrimSpace(v.Note)})
	}
	return out, c.Err()
}

// RecordValues records a batch of figures, all or nothing: a figure that
// differs from the one on record becomes a new revision (a correction), an
// equal one changes nothing. The batch is one audit record listing its changes.
func (s *Service) RecordValues(ctx context.Context, in []ValueInput) (WriteResult, error) {
	if err := need(ctx, access.IndicatorWrite); err != nil {
		return WriteResult{}, err
	}
	var res WriteResult
	err := s.db.Tx(ctx, func(q store.Querier) error {
		l, _, _, err := loadLookup(ctx, q)
		if err != nil {
			return err
		}
		figs, err := l.resolve(in)
		if err != nil {
			return err
		}
		res, err = s.write(ctx, q, figs, false)
		return err
	})
	return res, err
}

// change is one figure that a write alters, for the audit record.
type change struct {
	Indicator int64   `json:"indicator_id"`
	Region    int64   `json:"region_id"`
	Period    string  `json:"period"`
	Before    *string `json:"before"`
	After     string  `json:"after"`
}

// write appends a revision for every figure that differs from the latest one
// on record, with set-based inserts; with dryRun it only counts.
func (s *Service) write(ctx context.Context, q store.Querier, figs []figure, dryRun bool) (WriteResult, error) {
	var res WriteResult
	if len(figs) == 0 {
		return res, nil
	}
	periods := map[string]bool{}
	for _, f := range figs {
		periods[f.key.period] = true
	}
	cur, err := latest(ctx, q, keys(periods), time.Time{})
	if err != nil {
		return res, err
	}
	type ins struct {
		f   figure
		rev int
	}
	var todo []ins
	var changes []change
	for _, f := range figs {
		old, ok := cur[f.key]
		if f.keepFlag && ok {
			f.illustrative = old.illustrative
		}
		switch {
		case !ok:
			res.Created++
		case old.value == f.value && old.illustrative == f.illustrative:
			res.Unchanged++
			continue
		default:
			res.Updated++
		}
		c := change{Indicator: f.key.ind, Region: f.key.region, Period: f.key.period, After: FormatE4(f.value)}
		if ok {
			b := FormatE4(old.value)
			c.Before = &b
		}
		changes = append(changes, c)
		todo = append(todo, ins{f, old.revision + 1})
	}
	if dryRun || len(todo) == 0 {
		return res, nil
	}
	var by any
	if a := access.From(ctx); a != nil {
		by = a.UserID
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	const chunk = 200
	for i := 0; i < len(todo); i += chunk {
		part := todo[i:min(i+chunk, len(todo))]
		var sb strings.Builder
		args := make([]any, 0, len(part)*9)
		for j, t := range part {
			if j > 0 {
				sb.WriteString(",")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, t.f.key.ind, t.f.key.region, t.f.key.period, t.f.value, t.rev, t.f.illustrative, t.f.note, by, now)
		}
		if _, err := q.Exec(ctx, `INSERT INTO indicator_values (indicator_id, region_id, period, value_e4, revision, illustrative, note, recorded_by, recorded_at)
			VALUES `+sb.String(), args...); err != nil {
			return res, fmt.Errorf("insert indicator values: %w", err)
		}
	}
	return res, audit.Write(ctx, q, audit.Entry{Action: "record", Entity: "indicator_values", EntityID: len(changes),
		After: map[string]any{"created": res.Created, "updated": res.Updated, "changes": changes}})
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// stored is the latest revision of a figure known at a cutoff.
type stored struct {
	value        E4
	revision     int
	illustrative bool
}

// latest returns, for every figure of the given periods, the latest revision
// recorded before the cutoff (zero: everything on record).
func latest(ctx context.Context, q store.Querier, periods []string, before time.Time) (map[vkey]stored, error) {
	out := map[vkey]stored{}
	if len(periods) == 0 {
		return out, nil
	}
	if before.IsZero() {
		before = cutoff(date.Date{})
	}
	args := make([]any, 0, len(periods)+1)
	for _, p := range periods {
		args = append(args, p)
	}
	args = append(args, before)
	rows, err := q.Query(ctx, `SELECT indicator_id, region_id, period, value_e4, revision, illustrative FROM indicator_values
		WHERE period IN (`+store.Placeholders(len(periods))+`) AND recorded_at < ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("read indicator values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k vkey
		var v stored
		if err := rows.Scan(&k.ind, &k.region, &k.period, &v.value, &v.revision, &v.illustrative); err != nil {
			return nil, fmt.Errorf("scan indicator value: %w", err)
		}
		if old, ok := out[k]; !ok || v.revision > old.revision {
			out[k] = v
		}
	}
	return out, rows.Err()
}

// History returns every revision of one figure, oldest first.
func (s *Service) History(ctx context.Context, indicatorID, regionID int64, period string) ([]ValueRevision, error) {
	if err := need(ctx, access.IndicatorRead); err != nil {
		return nil, err
	}
	p, err := ParsePeriod(period)
	if err != nil {
		return nil, errs.Invalid([]errs.FieldError{{Field: "period", Key: "period.invalid", Message: err.Error(), Value: period}})
	}
	q := s.db.Read()
	if _, err := getIndicator(ctx, q, indicatorID); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT v.revision, v.value_e4, v.illustrative, v.note, COALESCE(NULLIF(u.display_name, ''), u.username, 'system'), v.recorded_at
		FROM indicator_values v LEFT JOIN users u ON u.id = v.recorded_by
		WHERE v.indicator_id = ? AND v.region_id = ? AND v.period = ? ORDER BY v.revision`, indicatorID, regionID, p.String())
	if err != nil {
		return nil, fmt.Errorf("value history: %w", err)
	}
	defer rows.Close()
	out := []ValueRevision{}
	for rows.Next() {
		var r ValueRevision
		var v E4
		if err := rows.Scan(&r.ValueRevision, &v, &r.Illustrative, &r.Note, &r.RecordedBy, &r.RecordedAt); err != nil {
			return nil, fmt.Errorf("scan revision: %w", err)
		}
		r.Value = FromE4(v)
		out = append(out, r)
	}
	return out, rows.Err()
}
