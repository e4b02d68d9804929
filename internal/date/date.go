// Package date holds a calendar date without time or zone: a milestone's planned
// day is the same day in every time zone, so a time.Time would be the wrong type.
package date

import (
	"database/sql/driver"
	"fmt"
	"time"
)

const layout = "2006-01-02"

// Date is a civil date; the zero value means "not set" and is stored as NULL.
type Date struct{ t time.Time }

// Of returns the date of t in t's own location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// LatestToday is the latest calendar day that is "today" somewhere on Earth
// at instant t (UTC+14). Checks that refuse future dates use it, so a user
// whose browser is ahead of the server's time zone (Beijing time against a
// server kept in UTC) is never refused today's date.
func LatestToday(t time.Time) Date { return Of(t.UTC().Add(14 * time.Hour)) }

// New returns the given calendar day.
func New(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// Parse reads "2006-01-02"; it rejects impossible days such as 2022-02-30.
func Parse(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("日期 %q 格式应为 YYYY-MM-DD: %w", s, err)
	}
	if t.Year() < 1000 {
		// Year 1 would be the zero value, which means "not set".
		return Date{}, fmt.Errorf("日期 %q 的年份不合理", s)
	}
	return Date{t}, nil
}

// MustParse is Parse for literals in code and tests.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return d.t }

// Before reports whether d is strictly earlier than o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// After reports whether d is strictly later than o.
func (d Date) After(o Date) bool { return d.t.After(o.t) }

// String formats as 2006-01-02, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(layout)
}

// Chinese formats as officials write it: 2022年9月8日.
func (d Date) Chinese() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d.t.Year(), int(d.t.Month()), d.t.Day())
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores the date as text "2006-01-02" (a DATE on PostgreSQL), or NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan accepts what either engine returns for a date column.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = Of(v.UTC())
	case string:
		return d.scanString(v)
	case []byte:
		return d.scanString(string(v))
	default:
		return fmt.Errorf("date: cannot scan %T", src)
	}
	return nil
}

func (d *Date) scanString(s string) error {
	if len(s) > len(layout) {
		s = s[:len(layout)]
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
