package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// TableCount is how many rows Copy moved for one table.
type TableCount struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
}

// Copy moves every row of every table from src to dst — typically a SQLite
// district outgrowing its file, onto PostgreSQL. Both must be migrated to the
// same schema version and dst must be empty. Times keep microseconds, the
// precision of PostgreSQL. It runs in one transaction on
// dst, so a failure leaves dst as it was; ids are kept (and PostgreSQL's
// identity sequences moved past them), so links and the audit chain survive.
func Copy(ctx context.Context, src, dst *DB, progress func(table string, rows int64)) ([]TableCount, error) {
	sv, err := src.SchemaVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("源库: %w", err)
	}
	dv, err := dst.SchemaVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("目标库: %w", err)
	}
	if sv != dv {
		return nil, fmt.Errorf("源库结构版本 %d 与目标库 %d 不同：请先对两者执行 gongjian migrate", sv, dv)
	}
	tables, err := tablesInOrder(ctx, src)
	if err != nil {
		return nil, fmt.Errorf("源库表结构: %w", err)
	}
	var out []TableCount
	err = dst.Tx(ctx, func(q Querier) error {
		for _, t := range tables {
			var n int64
			if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM `+ident(t)).Scan(&n); err != nil {
				return fmt.Errorf("目标库缺少表 %s: %w", t, err)
			}
			if n > 0 {
				return fmt.Errorf("目标库已有数据（表 %s 有 %d 行）；为免覆盖，只复制到空库", t, n)
			}
		}
		for _, t := range tables {
			n, err := copyTable(ctx, src, q, t)
			if err != nil {
				return fmt.Errorf("复制表 %s: %w", t, err)
			}
			out = append(out, TableCount{Table: t, Rows: n})
			if progress != nil {
				progress(t, n)
			}
		}
		return resetIdentities(ctx, q, tables)
	})
	if err != nil {
		return nil, err
	}
	// Count again from outside the transaction: what is committed is what counts.
	for _, tc := range out {
		var n int64
		if err := dst.Read().QueryRow(ctx, `SELECT COUNT(*) FROM `+ident(tc.Table)).Scan(&n); err != nil {
			return out, err
		}
		if n != tc.Rows {
			return out, fmt.Errorf("表 %s：复制 %d 行，目标库有 %d 行", tc.Table, tc.Rows, n)
		}
	}
	return out, nil
}

// tablesInOrder lists src's tables (without schema_migrations, which each
// database keeps for itself) so that every table comes after the tables its
// foreign keys point to.
func tablesInOrder(ctx context.Context, db *DB) ([]string, error) {
	var tq, fq string
	if db.engine == SQLite {
		tq = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
		fq = `SELECT m.name, f."table" FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`
	} else {
		tq = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
		fq = `SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
			WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`
	}
	names, err := strings1(ctx, db.Read(), tq)
	if err != nil {
		return nil, err
	}
	// The data versions are the destination's own, raised by its triggers as the rows arrive.
	names = slices.DeleteFunc(names, func(n string) bool { return n == "schema_migrations" || n == "data_versions" })
	deps := map[string][]string{}
	rows, err := db.Read().Query(ctx, fq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			return nil, err
		}
		if from != to {
			deps[from] = append(deps[from], to)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var order []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string) error
	visit = func(t string) error {
		switch state[t] {
		case 1:
			return fmt.Errorf("外键成环，涉及表 %s", t)
		case 2:
			return nil
		}
		state[t] = 1
		for _, d := range deps[t] {
			if slices.Contains(names, d) {
				if err := visit(d); err != nil {
					return err
				}
			}
		}
		state[t] = 2
		order = append(order, t)
		return nil
	}
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	return order, nil
}

func strings1(ctx context.Context, q Querier, query string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// column is a destination column and how to convert a source value for it.
type column struct {
	name, typ string
	identity  bool
}

func columnsOf(ctx context.Context, q Querier, table string) ([]column, error) {
	var query string
	if q.Engine() == SQLite {
		query = `SELECT name, lower(type), pk FROM pragma_table_info(?) ORDER BY cid`
	} else {
		query = `SELECT column_name, data_type, CASE WHEN is_identity = 'YES' THEN 1 ELSE 0 END FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`
	}
	rows, err := q.Query(ctx, query, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		var id int
		if err := rows.Scan(&c.name, &c.typ, &id); err != nil {
			return nil, err
		}
		c.identity = id == 1 && q.Engine() == Postgres
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// copyTable streams one table in id order (parents before children in
// self-referencing tables) as multi-row inserts.
func copyTable(ctx context.Context, src *DB, dst Querier, table string) (int64, error) {
	cols, err := columnsOf(ctx, dst, table)
	if err != nil {
		return 0, err
	}
	if len(cols) == 0 {
		return 0, errors.New("目标库没有这张表")
	}
	names := make([]string, len(cols))
	identity := false
	for i, c := range cols {
		names[i] = ident(c.name)
		identity = identity || c.identity
	}
	order := ""
	if slices.ContainsFunc(cols, func(c column) bool { return c.name == "id" }) {
		order = " ORDER BY id"
	}
	rows, err := src.Read().Query(ctx, `SELECT `+strings.Join(names, ", ")+` FROM `+ident(table)+order)
	if err != nil {
		return 0, fmt.Errorf("源库读取（两库的列不一致？）: %w", err)
	}
	defer rows.Close()
	per := max(1, min(500, 30000/len(cols)))
	head := `INSERT INTO ` + ident(table) + ` (` + strings.Join(names, ", ") + `)`
	if identity {
		head += ` OVERRIDING SYSTEM VALUE`
	}
	head += ` VALUES `
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	var batch []any
	var n, inBatch int64
	flush := func() error {
		if inBatch == 0 {
			return nil
		}
		vals := strings.TrimSuffix(strings.Repeat(one+", ", int(inBatch)), ", ")
		if _, err := dst.Exec(ctx, head+vals, batch...); err != nil {
			return err
		}
		batch, inBatch = batch[:0], 0
		return nil
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, c := range cols {
			v, err := convert(vals[i], c.typ)
			if err != nil {
				return n, fmt.Errorf("第 %d 行 %s 列: %w", n+1, c.name, err)
			}
			batch = append(batch, v)
		}
		n++
		inBatch++
		if inBatch == int64(per) {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

// convert adapts a value read from one engine to a column of the other:
// SQLite keeps booleans as integers and times as text.
func convert(v any, typ string) (any, error) {
	if b, ok := v.([]byte); ok && !strings.Contains(typ, "bytea") && !strings.Contains(typ, "blob") {
		v = string(b)
	}
	switch {
	case v == nil:
		return nil, nil
	case typ == "boolean":
		switch x := v.(type) {
		case int64:
			return x != 0, nil
		case string:
			return x == "1" || strings.EqualFold(x, "true"), nil
		}
	case strings.HasPrefix(typ, "timestamp"):
		// PostgreSQL keeps microseconds; SQLite may hold nanoseconds.
		switch x := v.(type) {
		case string:
			t, err := parseTime(x)
			return t.Truncate(time.Microsecond), err
		case time.Time:
			return x.Truncate(time.Microsecond), nil
		}
	}
	return v, nil
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("时间 %q 无法识别", s)
}

// resetIdentities moves PostgreSQL's identity sequences past the copied ids,
// so the next row inserted does not collide.
func resetIdentities(ctx context.Context, q Querier, tables []string) error {
	if q.Engine() != Postgres {
		return nil
	}
	for _, t := range tables {
		cols, err := columnsOf(ctx, q, t)
		if err != nil {
			return err
		}
		for _, c := range cols {
			if !c.identity {
				continue
			}
			var seq sql.NullString
			if err := q.QueryRow(ctx, `SELECT pg_get_serial_sequence(?, ?)`, t, c.name).Scan(&seq); err != nil {
				return err
			}
			if !seq.Valid {
				continue
			}
			if _, err := q.Exec(ctx, `SELECT setval(?, COALESCE((SELECT MAX(`+ident(c.name)+`) FROM `+ident(t)+`), 0) + 1, false)`, seq.String); err != nil {
				return fmt.Errorf("sequence of %s.%s: %w", t, c.name, err)
			}
		}
	}
	return nil
}

// ident quotes a table or column name read from the catalog.
func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
