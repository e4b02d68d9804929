package indicator

import (
	"slices"
	"testing"
)

func i64(v int64) *int64 { return &v }

func TestGrowthHandChecked(t *testing.T) {
	cases := []struct {
		name      string
		cur, prev E4
		want      Tenths
		ok        bool
	}{
		{"46亿 over 44亿 is 4.545% → 4.5%", 460000, 440000, 45, true},
		{"foreign trade 114.8亿 over 86.9亿 is 32.106% → 32.1%", 1148000, 869000, 321, true},
		{"Jan–Sep revenue 51.1亿 over 48.25亿 is 5.907% → 5.9%", 511000, 482500, 59, true},
		{"a fall: 90 over 100 is −10.0%", 900000, 1000000, -100, true},
		{"half rounds up: +0.05% → 0.1%", 10005, 10000, 1, true},
		{"half rounds away from zero: −0.05% → −0.1%", 9995, 10000, -1, true},
		{"no value last year: undefined", 10000, 0, 0, false},
	}
	for _, c := range cases {
		g, ok := Growth(c.cur, c.prev)
		if g != c.want || ok != c.ok {
			t.Errorf("%s: Growth(%d, %d) = %d, %v; want %d, %v", c.name, c.cur, c.prev, g, ok, c.want, c.ok)
		}
	}
	if got := PointChange(ToE4(5.3), ToE4(4.1)); got != 12 {
		t.Errorf("rate 4.1%% → 5.3%% changes by %d tenths of a point, want 12", got)
	}
}

func TestGapsProgressAndTimeElapsed(t *testing.T) {
	if g := Gap(45, 13); g != 32 { // 4.5% − 1.3% = 3.2 个百分点
		t.Errorf("gap to city = %d, want 32", g)
	}
	if g := Gap(415, 120); g != 295 { // 41.5% − 12% guidance = 29.5 个百分点
		t.Errorf("gap to guidance = %d, want 295", g)
	}
	if p, ok := Progress(ToE4(46), ToE4(100)); p != 460 || !ok {
		t.Errorf("46 of 100 = %d, want 460 (46.0%%)", p)
	}
	if p, ok := Progress(ToE4(1), ToE4(3)); p != 333 || !ok {
		t.Errorf("1 of 3 = %d, want 333 (33.3%%)", p)
	}
	for m, want := range map[int]Tenths{1: 83, 3: 250, 5: 417, 6: 500, 9: 750, 12: 1000} {
		if got := Elapsed(m); got != want {
			t.Errorf("序时进度 of month %d = %d, want %d", m, got, want)
		}
	}
	behind := []struct {
		name                    string
		value, target           float64
		month                   int
		cumulative, lowerBetter bool
		want                    bool
	}{
		{"46 of 100 at June is behind 50%", 46, 100, 6, true, false, true},
		{"exactly on the line is not behind", 50, 100, 6, true, false, false},
		{"51 of 100 at June is ahead", 51, 100, 6, true, false, false},
		{"76 of 100 at September is ahead of 75%", 76, 100, 9, true, false, false},
		{"ceiling: 55 of 100 used by June is over its share", 55, 100, 6, true, true, true},
		{"ceiling: 45 of 100 used by June is fine", 45, 100, 6, true, true, false},
		{"point value below its target is behind", 95, 100, 6, false, false, true},
		{"point value (lower is better) above its target is behind", 0.52, 0.5, 6, false, true, true},
	}
	for _, c := range behind {
		if got := BehindValue(ToE4(c.value), ToE4(c.target), c.month, c.cumulative, c.lowerBetter); got != c.want {
			t.Errorf("%s: got %v", c.name, got)
		}
	}
	if !BehindGrowth(100, 120, false) || BehindGrowth(415, 120, false) || !BehindGrowth(50, 30, true) {
		t.Error("growth against growth target")
	}
}

func TestRankCompetitionTiesMissingAndDirection(t *testing.T) {
	scores := []*int64{i64(10), i64(20), i64(20), nil, i64(5)}
	if got, want := RankScores(scores, false), []int{3, 1, 1, 0, 4}; !slices.Equal(got, want) {
		t.Errorf("higher is better: %v, want %v (ties share 1st, next is 3rd, missing unranked)", got, want)
	}
	if got, want := RankScores(scores, true), []int{2, 3, 3, 0, 1}; !slices.Equal(got, want) {
		t.Errorf("lower is better: %v, want %v", got, want)
	}
	if got := RankScores([]*int64{nil, nil}, false); !slices.Equal(got, []int{0, 0}) {
		t.Errorf("nobody has a value: %v", got)
	}
}

func TestPeriodsAndFormats(t *testing.T) {
	for _, s := range []string{"2022-06", "2022-6", "202206", "2022年6月", "2022年06月份", "2022/6"} {
		p, err := ParsePeriod(s)
		if err != nil || p != (Period{2022, 6}) {
			t.Errorf("ParsePeriod(%q) = %v, %v", s, p, err)
		}
	}
	for _, s := range []string{"", "2022-13", "六月", "22-06"} {
		if _, err := ParsePeriod(s); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", s)
		}
	}
	p := Period{2022, 1}
	if p.Add(-1).String() != "2021-12" || p.LastYear().String() != "2021-01" || (Period{2021, 12}).Add(1) != p {
		t.Error("period arithmetic")
	}
	if (Period{2022, 6}).Label(true) != "上半年" || (Period{2022, 9}).Label(true) != "1-9月" || (Period{2022, 9}).Label(false) != "2022年9月" {
		t.Error("period labels")
	}
	for v, want := range map[E4]string{460000: "46", 1925700: "192.57", 455800: "45.58", 3444000: "344.4", -5000: "-0.5"} {
		if got := FormatE4(v); got != want {
			t.Errorf("FormatE4(%d) = %q, want %q", v, got, want)
		}
	}
	if FormatTenths(120) != "12.0" || FormatPoints(120) != "12" || FormatPoints(295) != "29.5" || FormatTenths(-5) != "-0.5" {
		t.Error("rate formats")
	}
	if ToE4(192.57) != 1925700 || ToE4(45.58) != 455800 || ToE4(-0.5) != -5000 {
		t.Error("ToE4")
	}
}
