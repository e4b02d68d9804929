package date_test

import (
	"encoding/json"
	"testing"
	"time"

	"gongjian/internal/date"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    date.Date
		wantErr bool
	}{
		{"2022-11-30", date.New(2022, time.November, 30), false},
		{"2022-09-08", date.New(2022, time.September, 8), false},
		{"2024-02-29", date.New(2024, time.February, 29), false}, // leap year
		{"", date.Date{}, false},                                 // not set
		{"2022-02-30", date.Date{}, true},                        // no such day
		{"2023-02-29", date.Date{}, true},                        // not a leap year
		{"2022-13-01", date.Date{}, true},
		{"2022-00-10", date.Date{}, true},
		{"2022/11/30", date.Date{}, true},
		{"2022-9-8", date.Date{}, true},
		{"20221130", date.Date{}, true},
		{"2022-11-30T00:00:00Z", date.Date{}, true},
		{" 2022-11-30", date.Date{}, true},
		{"2022年11月30日", date.Date{}, true},
	}
	for _, tt := range tests {
		got, err := date.Parse(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("Parse(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if !tt.wantErr && got.String() != tt.in {
			t.Errorf("Parse(%q).String() = %q", tt.in, got.String())
		}
	}
	if d, _ := date.Parse(""); !d.IsZero() {
		t.Errorf(`Parse("") = %v, want the zero (unset) date`, d)
	}
}

func TestChinese(t *testing.T) {
	tests := []struct {
		d    date.Date
		want string
	}{
		{date.New(2022, time.September, 8), "2022年9月8日"},
		{date.New(2022, time.December, 31), "2022年12月31日"},
		{date.Date{}, ""},
	}
	for _, tt := range tests {
		if got := tt.d.Chinese(); got != tt.want {
			t.Errorf("%v.Chinese() = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestOrder(t *testing.T) {
	a, b := date.MustParse("2022-06-30"), date.MustParse("2022-07-01")
	if !a.Before(b) || a.After(b) || b.Before(a) || !b.After(a) || a.Before(a) || a.After(a) {
		t.Errorf("ordering of %v and %v is wrong", a, b)
	}
	// Of takes the calendar day in the time's own zone, not in UTC.
	shanghai := time.FixedZone("CST", 8*3600)
	if got := date.Of(time.Date(2022, 9, 8, 1, 30, 0, 0, shanghai)); got != date.New(2022, 9, 8) {
		t.Errorf("Of(2022-09-08 01:30 +08:00) = %v, want 2022-09-08", got)
	}
}

func TestJSON(t *testing.T) {
	type milestone struct {
		Due  date.Date  `json:"due"`
		Done date.Date  `json:"done"`
		Ptr  *date.Date `json:"ptr,omitempty"`
	}
	d := date.New(2022, time.September, 8)
	in := milestone{Due: d, Ptr: &d}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"due":"2022-09-08","done":"","ptr":"2022-09-08"}`; string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var out milestone
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Due != in.Due || !out.Done.IsZero() || out.Ptr == nil || *out.Ptr != d {
		t.Errorf("round trip = %+v, want %+v", out, in)
	}

	for _, bad := range []string{`{"due":"2022-02-30"}`, `{"due":"2022/09/08"}`, `{"due":20220908}`} {
		var m milestone
		if err := json.Unmarshal([]byte(bad), &m); err == nil {
			t.Errorf("Unmarshal(%s) accepted a bad date: %+v", bad, m)
		}
	}
}

func TestScan(t *testing.T) {
	want := date.New(2022, time.September, 8)
	tests := []struct {
		name string
		src  any
		want date.Date
	}{
		{"time at midnight UTC (PostgreSQL DATE)", time.Date(2022, 9, 8, 0, 0, 0, 0, time.UTC), want},
		{"time later that day UTC", time.Date(2022, 9, 8, 23, 59, 59, 0, time.UTC), want},
		{"string", "2022-09-08", want},
		{"string with time (SQLite)", "2022-09-08 00:00:00+00:00", want},
		{"string RFC 3339", "2022-09-08T00:00:00Z", want},
		{"bytes", []byte("2022-09-08"), want},
		{"nil (NULL)", nil, date.Date{}},
		{"empty string", "", date.Date{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := date.New(1999, time.January, 1) // scanning must overwrite
			if err := d.Scan(tt.src); err != nil {
				t.Fatalf("Scan(%#v): %v", tt.src, err)
			}
			if d != tt.want {
				t.Errorf("Scan(%#v) = %v, want %v", tt.src, d, tt.want)
			}
		})
	}
	for _, bad := range []any{"not a date", []byte("2022-02-30"), 20220908, 3.5} {
		var d date.Date
		if err := d.Scan(bad); err == nil {
			t.Errorf("Scan(%#v) = %v, want an error", bad, d)
		}
	}
}

func TestValue(t *testing.T) {
	v, err := date.New(2022, time.September, 8).Value()
	if err != nil || v != "2022-09-08" {
		t.Errorf("Value = %#v, %v; want \"2022-09-08\"", v, err)
	}
	v, err = date.Date{}.Value()
	if err != nil || v != nil {
		t.Errorf("zero Value = %#v, %v; want nil (NULL)", v, err)
	}
	// What Value writes, Scan reads back.
	d := date.New(2023, time.March, 1)
	v, _ = d.Value()
	var back date.Date
	if err := back.Scan(v); err != nil || back != d {
		t.Errorf("Scan(Value()) = %v, %v; want %v", back, err, d)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"2022-11-30", "2022-02-30", "2024-02-29", "2022/11/30", "", "2022-9-8",
		"9999-12-31", "1000-01-01", "2022-11-30T00:00:00Z", "２０２２-11-30", "-001-01-01", "2022-11-3\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := date.Parse(s)
		if err != nil {
			if !d.IsZero() {
				t.Errorf("Parse(%q) failed (%v) but returned %v", s, err, d)
			}
			return
		}
		if s == "" {
			if !d.IsZero() {
				t.Errorf(`Parse("") = %v, want zero`, d)
			}
			return
		}
		// 0001-01-01 is the zero time and so reads back as "not set"; see
		// the test report. Every other accepted string must round-trip.
		if d.IsZero() && s == "0001-01-01" {
			return
		}
		if got := d.String(); got != s {
			t.Errorf("Parse(%q).String() = %q, want the input back", s, got)
		}
		again, err := date.Parse(d.String())
		if err != nil || again != d {
			t.Errorf("Parse(String()) of %q = %v, %v; want %v", s, again, err, d)
		}
	})
}

// Beijing is past midnight while a UTC server still has yesterday: the
// user's today is not "in the future".
func TestLatestToday(t *testing.T) {
	for _, tc := range []struct {
		at   string
		want string
	}{
		{"2026-11-26T16:30:00Z", "2026-11-27"}, // 00:30 in Beijing
		{"2026-11-26T09:00:00Z", "2026-11-26"}, // 17:00 in Beijing, 23:00 in UTC+14
		{"2026-11-26T10:00:00Z", "2026-11-27"}, // midnight in UTC+14
	} {
		at, _ := time.Parse(time.RFC3339, tc.at)
		if got := date.LatestToday(at).String(); got != tc.want {
			t.Errorf("LatestToday(%s) = %s, want %s", tc.at, got, tc.want)
		}
	}
}
