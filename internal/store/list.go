package store

import (
	"fmt"
	"slices"
	"strings"

	"gongjian/internal/errs"
)

// Page is a requested page of a list; Size is capped at MaxPageSize.
type Page struct {
	Number int // from 1
	Size   int
}

// MaxPageSize bounds one list response.
const MaxPageSize = 500

// LimitOffset returns the SQL tail for the page, with defaults filled in.
func (p Page) LimitOffset() string {
	n, s := p.Number, p.Size
	if n < 1 {
		n = 1
	}
	if s < 1 {
		s = 50
	}
	if s > MaxPageSize {
		s = MaxPageSize
	}
	return fmt.Sprintf(" LIMIT %d OFFSET %d", s, (n-1)*s)
}

// OrderBy turns a sort request such as "name" or "-total_investment" into an
// ORDER BY clause, choosing columns only from allowed (API name → SQL
// expression), so user text never reaches the SQL. tie is appended for a
// stable order across pages.
func OrderBy(sort string, allowed map[string]string, def, tie string) (string, error) {
	if sort == "" {
		sort = def
	}
	var parts []string
	for _, f := range strings.Split(sort, ",") {
		dir := "ASC"
		if strings.HasPrefix(f, "-") {
			dir, f = "DESC", f[1:]
		}
		col, ok := allowed[f]
		if !ok {
			keys := make([]string, 0, len(allowed))
			for k := range allowed {
				keys = append(keys, k)
			}
			return "", errs.Invalid([]errs.FieldError{{Field: "sort", Key: "sort.unknown",
				Message: fmt.Sprintf("不支持按 %q 排序，可选：%s", f, strings.Join(sortedCopy(keys), ", ")), Value: f}})
		}
		parts = append(parts, col+" "+dir)
	}
	return " ORDER BY " + strings.Join(parts, ", ") + ", " + tie, nil
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// Contains returns a LIKE pattern matching s anywhere, with LIKE's own
// wildcards escaped; use it with `LIKE ? ESCAPE '\'`.
func Contains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// Where collects AND-ed conditions and their arguments.
type Where struct {
	conds []string
	Args  []any
}

// Add appends a condition with its arguments.
func (w *Where) Add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.Args = append(w.Args, args...)
}

// SQL returns " WHERE a AND b", or "" when there are no conditions.
func (w *Where) SQL() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// With returns a copy of w with one more condition; w itself is unchanged, so
// one base clause can start several queries.
func (w Where) With(cond string, args ...any) Where {
	out := Where{conds: slices.Clone(w.conds), Args: slices.Clone(w.Args)}
	out.Add(cond, args...)
	return out
}

// Placeholders returns "?,?,…" for n arguments of an IN list.
func Placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }
