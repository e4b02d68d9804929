// Package progress holds what units report and what Gongjian makes of it:
// reporting periods, reports with their revisions, actual values over time,
// trajectories, status lights with their reasons, and roll-ups — all
// answerable as of any past date.
package progress

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/errs"
)

// Period is one reporting period of a campaign: a month ("2022-09") or an
// ISO week ("2022-W36"), with the day its report is due.
type Period struct {
	Key   string    `json:"key"`
	Start date.Date `json:"start"`
	End   date.Date `json:"end"`
	Due   date.Date `json:"due" doc:"报送截止日"`
}

// PeriodOf returns the period of cadence that contains d.
func PeriodOf(cadence string, d date.Date, dueDays int) Period {
	t := d.Time()
	var p Period
	if cadence == "weekly" {
		wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
		start := t.AddDate(0, 0, -wd)
		y, w := start.ISOWeek()
		p = Period{Key: fmt.Sprintf("%d-W%02d", y, w), Start: date.Of(start), End: date.Of(start.AddDate(0, 0, 6))}
	} else {
		start := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		p = Period{Key: start.Format("2006-01"), Start: date.Of(start), End: date.Of(start.AddDate(0, 1, -1))}
	}
	p.Due = date.Of(p.End.Time().AddDate(0, 0, dueDays))
	return p
}

// ParsePeriod reads a period key of either cadence.
func ParsePeriod(key string, dueDays int) (Period, error) {
	bad := errs.Invalid([]errs.FieldError{{Field: "period", Key: "period.invalid",
		Message: fmt.Sprintf("填报期 %q 应为 2022-09（月）或 2022-W36（周）", key), Value: key}})
	if y, w, ok := strings.Cut(key, "-W"); ok {
		year, err1 := strconv.Atoi(y)
		week, err2 := strconv.Atoi(w)
		if err1 != nil || err2 != nil || week < 1 || week > 53 || year < 2000 || year > 2100 {
			return Period{}, bad
		}
		// 4 January is always in week 1.
		jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, time.UTC)
		d := jan4.AddDate(0, 0, 7*(week-1))
		p := PeriodOf("weekly", date.Of(d), dueDays)
		if p.Key != key {
			return Period{}, bad
		}
		return p, nil
	}
	t, err := time.Parse("2006-01", key)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return Period{}, bad
	}
	return PeriodOf("monthly", date.Of(t), dueDays), nil
}

// Periods lists the periods of a campaign from start to end.
func Periods(cadence string, start, end date.Date, dueDays int) []Period {
	var out []Period
	for d := start; !d.After(end); {
		p := PeriodOf(cadence, d, dueDays)
		out = append(out, p)
		d = date.Of(p.End.Time().AddDate(0, 0, 1))
	}
	return out
}
