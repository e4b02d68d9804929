package enterprise

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"

	"gongjian/internal/access"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// maxWan bounds an amount: 1,000,000 亿元 is beyond any enterprise.
const maxWan = 1e10

// wanToYuan stores 万元 as whole yuan so sums are exact.
func wanToYuan(w float64) int64 { return int64(math.Round(w * 10000)) }

func yuanToWan(y int64) float64 { return float64(y) / 10000 }

// checkWan records an error unless w is a sensible amount in 万元.
func checkWan(c *errs.Checker, field string, w float64) {
	c.Check(w >= 0 && !math.IsNaN(w), field, "amount.negative", "金额不能为负数", w)
	c.Check(w <= maxWan, field, "amount.too_large", "金额超出合理范围", w)
}

func nullID(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

type scanner interface{ Scan(...any) error }

// exists answers whether query (a COUNT) finds a row.
func exists(ctx context.Context, q store.Querier, query string, args ...any) (bool, error) {
	var n int
	err := q.QueryRow(ctx, query, args...).Scan(&n)
	return n > 0, err
}

// checkPerson records an error unless the person id exists.
func checkPerson(ctx context.Context, q store.Querier, c *errs.Checker, field, label string, id *int64) error {
	if id == nil {
		return nil
	}
	ok, err := exists(ctx, q, `SELECT COUNT(*) FROM persons WHERE id = ?`, *id)
	if err != nil {
		return fmt.Errorf("check %s: %w", field, err)
	}
	c.Check(ok, field, "not_found", label+"不存在", *id)
	return nil
}

// bulkInsert writes rows into table with multi-row VALUES, in batches that
// stay under both engines' limits on parameters.
func bulkInsert(ctx context.Context, q store.Querier, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	per := 900 / len(cols)
	one := "(" + store.Placeholders(len(cols)) + ")"
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		args := make([]any, 0, (end-start)*len(cols))
		for i, r := range rows[start:end] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(one)
			args = append(args, r...)
		}
		if _, err := q.Exec(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("bulk insert %s: %w", table, err)
		}
	}
	return nil
}

// canEditAll reports whether the actor edits any record of the family, not
// only the ones it created: system work and the district-wide editors.
func canEditAll(a *access.Actor) bool {
	return a == nil || a.Role == access.Admin || a.Role == access.Supervisor
}
