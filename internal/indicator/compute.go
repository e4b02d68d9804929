package indicator

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// This file holds the arithmetic of indicators as pure functions over
// integers, so that every figure is exact and can be checked by hand.
// Values are in ten-thousandths of the indicator's unit (E4); growth rates,
// gaps and progress are in tenths of a percent or of a percentage point
// (Tenths), rounded half away from zero, the way statistics are published.

// E4 is a value in ten-thousandths of its unit: 46亿元 is 460000.
type E4 = int64

// Tenths is a rate in tenths of a percent (or of a percentage point): 3.2 is 32.
type Tenths = int64

// ToE4 turns a figure into ten-thousandths of its unit, rounding the fifth decimal.
func ToE4(v float64) E4 {
	if v < 0 {
		return -int64(-v*1e4 + 0.5)
	}
	return int64(v*1e4 + 0.5)
}

// FromE4 turns ten-thousandths back into the figure.
func FromE4(v E4) float64 { return float64(v) / 1e4 }

// FromTenths turns tenths into the rate.
func FromTenths(t Tenths) float64 { return float64(t) / 10 }

// divRound returns num/den rounded half away from zero; den must be positive.
func divRound(num, den int64) int64 {
	q, r := num/den, num%den
	if r < 0 {
		r = -r
	}
	if 2*r >= den {
		if num < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

// Growth is the year-on-year growth of cur over prev in tenths of a percent:
// (cur − prev) / prev, rounded to 0.1%. It is undefined (ok false) when last
// year's value is zero or negative. For indicators whose unit is itself a
// percent, PointChange is used instead.
func Growth(cur, prev E4) (g Tenths, ok bool) {
	if prev <= 0 {
		return 0, false
	}
	return divRound(1000*(cur-prev), prev), true
}

// PointChange is the change of a rate from prev to cur in tenths of a
// percentage point (for indicators measured in %).
func PointChange(cur, prev E4) Tenths { return divRound(cur-prev, 1000) }

// Gap is a − b in tenths of a percentage point. Both rates are the published,
// rounded ones, so that a reader can check "4.5% − 1.3% = 3.2 个百分点".
func Gap(a, b Tenths) Tenths { return a - b }

// Progress is value as a share of target in tenths of a percent (完成年度目标的 x%).
func Progress(value, target E4) (p Tenths, ok bool) {
	if target <= 0 {
		return 0, false
	}
	return divRound(1000*value, target), true
}

// Elapsed is the time-elapsed share of the year at the end of the period's
// month (序时进度), in tenths of a percent: June is 50.0%, September 75.0%.
func Elapsed(month int) Tenths { return divRound(int64(1000*month), 12) }

// BehindValue reports whether a cumulative value is behind the time-elapsed
// line of an annual value target: value/target < month/12 for a
// higher-is-better indicator; for a lower-is-better one (a ceiling), whether
// it has used more than its share. A point (not cumulative) value is compared
// with the target itself. The comparison is exact, not on rounded shares.
func BehindValue(value, target E4, month int, cumulative, lowerBetter bool) bool {
	if !cumulative {
		month = 12
	}
	l, r := value*12, target*int64(month)
	if lowerBetter {
		return l > r
	}
	return l < r
}

// BehindGrowth reports whether a growth rate falls short of a growth target.
func BehindGrowth(growth, target Tenths, lowerBetter bool) bool {
	if lowerBetter {
		return growth > target
	}
	return growth < target
}

// RankScores ranks scores by competition ranking ("1224"): equal scores share
// a rank and the next rank skips the tied places. Higher scores rank first
// unless lowerBetter. A nil score is not ranked and gets rank 0.
func RankScores(scores []*int64, lowerBetter bool) []int {
	ranks := make([]int, len(scores))
	var vals []int64
	for _, s := range scores {
		if s != nil {
			vals = append(vals, *s)
		}
	}
	sort.Slice(vals, func(i, j int) bool {
		if lowerBetter {
			return vals[i] < vals[j]
		}
		return vals[i] > vals[j]
	})
	for i, s := range scores {
		if s == nil {
			continue
		}
		// Rank = 1 + how many scores are strictly better.
		ranks[i] = 1 + sort.Search(len(vals), func(k int) bool {
			if lowerBetter {
				return vals[k] >= *s
			}
			return vals[k] <= *s
		})
	}
	return ranks
}

// Period is a statistical month, written "2022-06".
type Period struct{ Year, Month int }

// ParsePeriod reads "2022-06", "2022-6", "202206" or "2022年6月".
func ParsePeriod(s string) (Period, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(strings.TrimSuffix(t, "份"), "月")
	t = strings.NewReplacer("年", "-", "/", "-", ".", "-").Replace(t)
	var y, m int
	var err error
	if i := strings.IndexByte(t, '-'); i >= 0 {
		y, err = strconv.Atoi(t[:i])
		if err == nil {
			m, err = strconv.Atoi(t[i+1:])
		}
	} else if len(t) == 6 {
		y, err = strconv.Atoi(t[:4])
		if err == nil {
			m, err = strconv.Atoi(t[4:])
		}
	} else {
		err = fmt.Errorf("bad period")
	}
	if err != nil || y < 1990 || y > 2200 || m < 1 || m > 12 {
		return Period{}, fmt.Errorf("统计期 %q 无效，应写作 2022-06 或 2022年6月", s)
	}
	return Period{y, m}, nil
}

// String writes the period as "2022-06".
func (p Period) String() string { return fmt.Sprintf("%04d-%02d", p.Year, p.Month) }

// Add moves the period by n months.
func (p Period) Add(n int) Period {
	k := p.Year*12 + p.Month - 1 + n
	return Period{k / 12, k%12 + 1}
}

// LastYear is the same period of the previous year.
func (p Period) LastYear() Period { return Period{p.Year - 1, p.Month} }

// Quarterly reports whether the period ends a quarter.
func (p Period) QuarterEnd() bool { return p.Month%3 == 0 }

// Label names the period the way briefings do: 一季度, 上半年, 1-9月, 全年
// for cumulative figures; 2022年6月 for point figures.
func (p Period) Label(cumulative bool) string {
	if !cumulative {
		return fmt.Sprintf("%d年%d月", p.Year, p.Month)
	}
	switch p.Month {
	case 1:
		return "1月"
	case 3:
		return "一季度"
	case 6:
		return "上半年"
	case 12:
		return "全年"
	}
	return fmt.Sprintf("1-%d月", p.Month)
}

// FormatE4 writes a value without trailing zeros: 460000 → "46", 1925700 → "192.57".
func FormatE4(v E4) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v/10000, 10)
	if f := v % 10000; f != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%04d", f), "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// FormatTenths writes a rate with one decimal: 32 → "3.2", 120 → "12.0".
func FormatTenths(t Tenths) string {
	neg := t < 0
	if neg {
		t = -t
	}
	s := fmt.Sprintf("%d.%d", t/10, t%10)
	if neg {
		s = "-" + s
	}
	return s
}

// FormatPoints writes a gap in points without a needless ".0": 295 → "29.5", 120 → "12".
func FormatPoints(t Tenths) string { return strings.TrimSuffix(FormatTenths(t), ".0") }
