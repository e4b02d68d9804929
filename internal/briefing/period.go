package briefing

import (
	"fmt"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/errs"
)

// periodStart returns the first day of a period of kind ending on asOf.
func periodStart(kind string, asOf date.Date) (date.Date, error) {
	t := asOf.Time()
	y, m := t.Year(), t.Month()
	switch kind {
	case "week":
		return date.Of(t.AddDate(0, 0, -6)), nil
	case "month":
		return date.New(y, m, 1), nil
	case "quarter":
		return date.New(y, time.Month((int(m)-1)/3*3+1), 1), nil
	case "half":
		if m <= 6 {
			return date.New(y, 1, 1), nil
		}
		return date.New(y, 7, 1), nil
	case "ytd", "year":
		return date.New(y, 1, 1), nil
	}
	return date.Date{}, errs.Invalid([]errs.FieldError{{Field: "period", Key: "enum",
		Message: "简报周期应为 week（周）、month（月）、quarter（季度）、half（半年）、ytd（年初至今）或 year（全年）", Value: kind}})
}

func monthEnd(d date.Date) bool { return d.Time().AddDate(0, 0, 1).Day() == 1 }

var enMonths = []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// periodLabel names the period the way a bulletin does: 2022年上半年,
// 2022年1—9月, 2022年第三季度, 2022年9月.
func periodLabel(kind string, start, end date.Date, lang string) string {
	s, e := start.Time(), end.Time()
	y := e.Year()
	whole := monthEnd(end) && s.Day() == 1
	if lang == "en" {
		switch {
		case whole && s.Month() == 1 && e.Month() == 6:
			return fmt.Sprintf("First half of %d", y)
		case whole && s.Month() == 1 && e.Month() == 12:
			return fmt.Sprintf("Year %d", y)
		case whole && s.Month() == e.Month():
			return fmt.Sprintf("%s %d", enMonths[e.Month()], y)
		case whole:
			return fmt.Sprintf("%s–%s %d", enMonths[s.Month()], enMonths[e.Month()], y)
		}
		return fmt.Sprintf("%s to %s", start.String(), end.String())
	}
	switch {
	case whole && s.Month() == 1 && e.Month() == 6:
		return fmt.Sprintf("%d年上半年", y)
	case whole && s.Month() == 7 && e.Month() == 12 && kind == "half":
		return fmt.Sprintf("%d年下半年", y)
	case whole && s.Month() == 1 && e.Month() == 12:
		return fmt.Sprintf("%d年全年", y)
	case whole && kind == "quarter" && e.Month()-s.Month() == 2:
		return fmt.Sprintf("%d年第%s季度", y, []string{"一", "二", "三", "四"}[(e.Month()-1)/3])
	case whole && s.Month() == e.Month():
		return fmt.Sprintf("%d年%d月", y, e.Month())
	case whole:
		return fmt.Sprintf("%d年%d—%d月", y, s.Month(), e.Month())
	}
	return fmt.Sprintf("%s至%s", start.Chinese(), end.Chinese())
}
