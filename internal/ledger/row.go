package ledger

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// LedgerRow is one record of a ledger. Values are keyed by field key; amounts are
// in 万元, units, zones and items by id with their names in Labels.
type LedgerRow struct {
	ID        int64             `json:"id"`
	LedgerID  int64             `json:"ledger_id"`
	Key       string            `json:"key" doc:"行标识字段的值"`
	Period    string            `json:"period" doc:"所属月份 YYYY-MM（日期字段的月份，无日期字段时为录入月份）"`
	Values    map[string]any    `json:"values"`
	Labels    map[string]string `json:"labels" doc:"单位、战区、事项字段的名称"`
	Revision  int               `json:"revision"`
	Version   int               `json:"version"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// LedgerRowInput is a row's values by field key. For amounts give 万元 (a number)
// or a text such as "1.5亿元"; for units, zones and items an id, code or name.
type LedgerRowInput struct {
	Values map[string]any `json:"values"`
}

// stored is a row as kept: values as normalised.
type stored struct {
	id, ledgerID       int64
	key, period        string
	values             map[string]any
	revision, version  int
	createdAt, updated time.Time
}

const rowCols = `id, ledger_id, row_key, period, values_json, revision, version, created_at, updated_at`

func scanStored(s interface{ Scan(...any) error }) (stored, error) {
	var r stored
	var vj string
	if err := s.Scan(&r.id, &r.ledgerID, &r.key, &r.period, &vj, &r.revision, &r.version, &r.createdAt, &r.updated); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(vj), &r.values); err != nil {
		return r, fmt.Errorf("ledger row %d values: %w", r.id, err)
	}
	if r.values == nil {
		r.values = map[string]any{}
	}
	return r, nil
}

// show turns a stored row into what the API answers.
func show(l Ledger, r stored, rf *refs) LedgerRow {
	out := LedgerRow{ID: r.id, LedgerID: r.ledgerID, Key: r.key, Period: r.period, Values: map[string]any{}, Labels: map[string]string{},
		Revision: r.revision, Version: r.version, CreatedAt: r.createdAt, UpdatedAt: r.updated}
	for _, f := range l.Fields {
		v, ok := r.values[f.Key]
		if !ok || v == nil {
			continue
		}
		out.Values[f.Key] = display(f, v)
		if lbl := rf.label(f, v); lbl != "" {
			out.Labels[f.Key] = lbl
		}
	}
	return out
}

func getStored(ctx context.Context, q store.Querier, id int64) (stored, error) {
	r, err := scanStored(q.QueryRow(ctx, `SELECT `+rowCols+` FROM ledger_rows WHERE id = ? AND deleted_at IS NULL`, id))
	if store.IsNoRows(err) {
		return r, errs.NotFound("台账行", id)
	}
	if err != nil {
		return r, fmt.Errorf("get ledger row %d: %w", id, err)
	}
	return r, nil
}

func getRow(ctx context.Context, q store.Querier, id int64) (LedgerRow, error) {
	r, err := getStored(ctx, q, id)
	if err != nil {
		return LedgerRow{}, err
	}
	l, err := getLedger(ctx, q, r.ledgerID)
	if err != nil {
		return LedgerRow{}, err
	}
	rf, err := loadRefs(ctx, q, l.Fields)
	if err != nil {
		return LedgerRow{}, err
	}
	return show(l, r, rf), nil
}

var rowKind = audit.Kind[LedgerRow]{Entity: "ledger_row", Label: "台账行", Get: getRow, Version: func(r LedgerRow) int { return r.Version }}

// check validates values against the ledger's active fields. Archived
// fields cannot be written; their values are carried over by the caller.
func check(l Ledger, in map[string]any, rf *refs, prefix string) (map[string]any, []errs.FieldError) {
	out := map[string]any{}
	var fe []errs.FieldError
	for k, v := range in {
		f, ok := fieldByKey(l.Fields, k)
		if !ok || f.Archived {
			fe = append(fe, errs.FieldError{Field: prefix + k, Key: "ledger.unknown_field", Message: fmt.Sprintf("台账“%s”没有字段 %q", l.Name, k), Value: k})
			continue
		}
		_ = v
	}
	for _, f := range Active(l.Fields) {
		raw := in[f.Key]
		v, msg := normalize(f, raw, rf)
		if msg != "" {
			fe = append(fe, errs.FieldError{Field: prefix + f.Key, Key: "ledger.value_invalid", Message: f.Label + "：" + msg, Value: raw})
			continue
		}
		if v == nil {
			if f.Required {
				fe = append(fe, errs.FieldError{Field: prefix + f.Key, Key: "required", Message: f.Label + "：必填"})
			}
			continue
		}
		out[f.Key] = v
	}
	slices.SortFunc(fe, func(a, b errs.FieldError) int { return cmp.Compare(a.Field, b.Field) })
	return out, fe
}

// periodOf is the month a row belongs to: its date field's, else the month it was recorded.
func periodOf(l Ledger, values map[string]any, at time.Time) string {
	if l.DateField != "" {
		if s, ok := values[l.DateField].(string); ok && len(s) >= 7 {
			return s[:7]
		}
	}
	return at.Format("2006-01")
}

func keyOf(l Ledger, values map[string]any) string {
	if l.KeyField == "" {
		return ""
	}
	s, _ := values[l.KeyField].(string)
	return s
}

func valuesJSON(v map[string]any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func actorOf(ctx context.Context) (any, string) {
	if a := access.From(ctx); a != nil {
		return a.UserID, a.Username
	}
	return nil, "system"
}

func rowWriteErr(err error, l Ledger, key string) error {
	if err == nil {
		return nil
	}
	if store.IsUnique(err) {
		f, _ := fieldByKey(l.Fields, l.KeyField)
		return &errs.Error{Kind: errs.KindConflict, Key: "ledger.key_taken", Message: fmt.Sprintf("%s“%s”已有一行", f.Label, key),
			Fields: []errs.FieldError{{Field: "values." + l.KeyField, Key: "duplicate", Message: fmt.Sprintf("%s“%s”已有一行", f.Label, key), Value: key}}}
	}
	return fmt.Errorf("write ledger row: %w", err)
}

// insertRow writes a new row and its first revision.
func insertRow(ctx context.Context, q store.Querier, l Ledger, values map[string]any, at time.Time) (int64, error) {
	key, period, vj := keyOf(l, values), periodOf(l, values, at), valuesJSON(values)
	var id int64
	if err := q.QueryRow(ctx, `INSERT INTO ledger_rows (ledger_id, row_key, period, values_json, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, l.ID, key, period, vj, at, at).Scan(&id); err != nil {
		return 0, rowWriteErr(err, l, key)
	}
	uid, username := actorOf(ctx)
	if _, err := q.Exec(ctx, `INSERT INTO ledger_row_revisions (row_id, ledger_id, revision, period, values_json, valid_from, user_id, username)
		VALUES (?, ?, 1, ?, ?, ?, ?, ?)`, id, l.ID, period, vj, at, uid, username); err != nil {
		return 0, fmt.Errorf("ledger row revision: %w", err)
	}
	return id, nil
}

// reviseRow replaces a live row's values, closing its current revision.
func reviseRow(ctx context.Context, q store.Querier, l Ledger, before stored, values map[string]any, at time.Time) error {
	key, period, vj := keyOf(l, values), periodOf(l, values, before.createdAt), valuesJSON(values)
	if _, err := q.Exec(ctx, `UPDATE ledger_rows SET row_key = ?, period = ?, values_json = ?, revision = revision + 1, version = version + 1,
		updated_at = ? WHERE id = ?`, key, period, vj, at, before.id); err != nil {
		return rowWriteErr(err, l, key)
	}
	if _, err := q.Exec(ctx, `UPDATE ledger_row_revisions SET valid_to = ? WHERE row_id = ? AND valid_to IS NULL`, at, before.id); err != nil {
		return fmt.Errorf("close ledger row revision: %w", err)
	}
	uid, username := actorOf(ctx)
	if _, err := q.Exec(ctx, `INSERT INTO ledger_row_revisions (row_id, ledger_id, revision, period, values_json, valid_from, user_id, username)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, before.id, l.ID, before.revision+1, period, vj, at, uid, username); err != nil {
		return fmt.Errorf("ledger row revision: %w", err)
	}
	return nil
}

// carryArchived keeps the values of archived fields, which no input can write.
func carryArchived(l Ledger, before, values map[string]any) {
	for _, f := range l.Fields {
		if v, ok := before[f.Key]; ok && f.Archived {
			values[f.Key] = v
		}
	}
}

func (s *Service) writable(ctx context.Context, ledgerID int64) (Ledger, *refs, error) {
	q := s.db.Read()
	l, err := getLedger(ctx, q, ledgerID)
	if err != nil {
		return l, nil, err
	}
	if err := canWrite(ctx, q, l); err != nil {
		return l, nil, err
	}
	rf, err := loadRefs(ctx, q, l.Fields)
	return l, rf, err
}

// CreateRow adds a row to a ledger.
func (s *Service) CreateRow(ctx context.Context, ledgerID int64, in LedgerRowInput) (LedgerRow, error) {
	l, rf, err := s.writable(ctx, ledgerID)
	if err != nil {
		return LedgerRow{}, err
	}
	values, fe := check(l, in.Values, rf, "values.")
	if err := errs.Invalid(fe); err != nil {
		return LedgerRow{}, err
	}
	return audit.Create(ctx, s.db, rowKind, func(q store.Querier) (int64, error) {
		return insertRow(ctx, q, l, values, s.now().UTC())
	})
}

// GetRow returns one live row.
func (s *Service) GetRow(ctx context.Context, id int64) (LedgerRow, error) {
	return getRow(ctx, s.db.Read(), id)
}

// UpdateRow replaces a row's values if version is still current; the old
// values stay as a revision.
func (s *Service) UpdateRow(ctx context.Context, id int64, version int, in LedgerRowInput) (LedgerRow, error) {
	r, err := getStored(ctx, s.db.Read(), id)
	if err != nil {
		return LedgerRow{}, err
	}
	l, rf, err := s.writable(ctx, r.ledgerID)
	if err != nil {
		return LedgerRow{}, err
	}
	values, fe := check(l, in.Values, rf, "values.")
	if err := errs.Invalid(fe); err != nil {
		return LedgerRow{}, err
	}
	return audit.Update(ctx, s.db, rowKind, id, version, func(q store.Querier, _ LedgerRow) error {
		before, err := getStored(ctx, q, id)
		if err != nil {
			return err
		}
		carryArchived(l, before.values, values)
		return reviseRow(ctx, q, l, before, values, s.now().UTC())
	})
}

// DeleteRow removes a row from the ledger; it stays in the history, so past
// figures still count it.
func (s *Service) DeleteRow(ctx context.Context, id int64, version int) error {
	r, err := getStored(ctx, s.db.Read(), id)
	if err != nil {
		return err
	}
	if _, _, err := s.writable(ctx, r.ledgerID); err != nil {
		return err
	}
	return audit.Delete(ctx, s.db, rowKind, id, version, func(q store.Querier, _ LedgerRow) error {
		before, err := getStored(ctx, q, id)
		if err != nil {
			return err
		}
		return deleteRow(ctx, q, before, s.now().UTC())
	})
}

func deleteRow(ctx context.Context, q store.Querier, before stored, at time.Time) error {
	if _, err := q.Exec(ctx, `UPDATE ledger_rows SET deleted_at = ?, version = version + 1, revision = revision + 1, updated_at = ? WHERE id = ?`,
		at, at, before.id); err != nil {
		return fmt.Errorf("delete ledger row: %w", err)
	}
	if _, err := q.Exec(ctx, `UPDATE ledger_row_revisions SET valid_to = ? WHERE row_id = ? AND valid_to IS NULL`, at, before.id); err != nil {
		return fmt.Errorf("close ledger row revision: %w", err)
	}
	uid, username := actorOf(ctx)
	_, err := q.Exec(ctx, `INSERT INTO ledger_row_revisions (row_id, ledger_id, revision, period, values_json, deleted, valid_from, valid_to, user_id, username)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, before.id, before.ledgerID, before.revision+1, before.period, valuesJSON(before.values), true, at, at, uid, username)
	if err != nil {
		return fmt.Errorf("ledger row revision: %w", err)
	}
	return nil
}

// LedgerRowRevision is one version of a row: its values and who wrote them when.
type LedgerRowRevision struct {
	Revision  int               `json:"revision"`
	Values    map[string]any    `json:"values"`
	Labels    map[string]string `json:"labels"`
	Deleted   bool              `json:"deleted"`
	ValidFrom time.Time         `json:"valid_from"`
	ValidTo   *time.Time        `json:"valid_to"`
	Username  string            `json:"username"`
}

// RowHistory returns every revision of a row (also of a deleted one), newest first.
func (s *Service) RowHistory(ctx context.Context, id int64) ([]LedgerRowRevision, error) {
	q := s.db.Read()
	var ledgerID int64
	err := q.QueryRow(ctx, `SELECT ledger_id FROM ledger_rows WHERE id = ?`, id).Scan(&ledgerID)
	if store.IsNoRows(err) {
		return nil, errs.NotFound("台账行", id)
	}
	if err != nil {
		return nil, fmt.Errorf("ledger row: %w", err)
	}
	l, err := getLedger(ctx, q, ledgerID)
	if err != nil {
		return nil, err
	}
	rf, err := loadRefs(ctx, q, l.Fields)
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT revision, values_json, deleted, valid_from, valid_to, username FROM ledger_row_revisions
		WHERE row_id = ? ORDER BY revision DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("ledger row history: %w", err)
	}
	defer rows.Close()
	out := []LedgerRowRevision{}
	for rows.Next() {
		var rv LedgerRowRevision
		var vj string
		var to sql.NullTime
		if err := rows.Scan(&rv.Revision, &vj, &rv.Deleted, &rv.ValidFrom, &to, &rv.Username); err != nil {
			return nil, err
		}
		if to.Valid {
			rv.ValidTo = &to.Time
		}
		var vals map[string]any
		if err := json.Unmarshal([]byte(vj), &vals); err != nil {
			return nil, fmt.Errorf("ledger row history values: %w", err)
		}
		r := show(l, stored{values: vals}, rf)
		rv.Values, rv.Labels = r.Values, r.Labels
		out = append(out, rv)
	}
	return out, rows.Err()
}

// RowFilter narrows ListRows and ExportRows.
type RowFilter struct {
	Q          string
	PeriodFrom string            // YYYY-MM
	PeriodTo   string            // YYYY-MM
	Equals     map[string]string // field key → value (an option, or a unit's, zone's or item's id or name)
	Sort       string            // a field key, id or updated_at; "-" for descending
	Page       store.Page
}

// ParseEquals reads "key:value" filters.
func ParseEquals(in []string) (map[string]string, error) {
	out := map[string]string{}
	for _, s := range in {
		k, v, ok := strings.Cut(s, ":")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, errs.Invalid([]errs.FieldError{{Field: "filter", Key: "ledger.filter", Message: fmt.Sprintf("筛选条件 %q 应写成 字段:值", s), Value: s}})
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, nil
}

// LedgerRowList is a page of rows with the total that match.
type LedgerRowList struct {
	Items []LedgerRow `json:"items"`
	Total int         `json:"total"`
}

// ListRows returns a ledger's live rows that match f.
func (s *Service) ListRows(ctx context.Context, ledgerID int64, f RowFilter) (LedgerRowList, error) {
	l, rows, rf, err := s.matching(ctx, ledgerID, f)
	if err != nil {
		return LedgerRowList{}, err
	}
	out := LedgerRowList{Items: []LedgerRow{}, Total: len(rows)}
	n, size := f.Page.Number, f.Page.Size
	if n < 1 {
		n = 1
	}
	if size < 1 {
		size = 50
	}
	size = min(size, store.MaxPageSize)
	for i := (n - 1) * size; i < len(rows) && i < n*size; i++ {
		out.Items = append(out.Items, show(l, rows[i], rf))
	}
	return out, nil
}

// matching loads the live rows of a ledger that match f, in f's order.
func (s *Service) matching(ctx context.Context, ledgerID int64, f RowFilter) (Ledger, []stored, *refs, error) {
	q := s.db.Read()
	l, err := getLedger(ctx, q, ledgerID)
	if err != nil {
		return l, nil, nil, err
	}
	rf, err := loadRefs(ctx, q, l.Fields)
	if err != nil {
		return l, nil, nil, err
	}
	var w store.Where
	w.Add(`ledger_id = ?`, ledgerID)
	w.Add(`deleted_at IS NULL`)
	if f.PeriodFrom != "" {
		w.Add(`period >= ?`, f.PeriodFrom)
	}
	if f.PeriodTo != "" {
		w.Add(`period <= ?`, f.PeriodTo)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		w.Add(`values_json LIKE ? ESCAPE '\'`, store.Contains(q))
	}
	var fe []errs.FieldError
	for k := range f.Equals {
		if _, ok := fieldByKey(l.Fields, k); !ok {
			fe = append(fe, errs.FieldError{Field: "filter", Key: "ledger.unknown_field", Message: fmt.Sprintf("台账没有字段 %q", k), Value: k})
		}
	}
	desc := strings.HasPrefix(f.Sort, "-")
	sortKey := strings.TrimPrefix(f.Sort, "-")
	sortField, sortByField := fieldByKey(l.Fields, sortKey)
	if sortKey != "" && sortKey != "id" && sortKey != "updated_at" && !sortByField {
		fe = append(fe, errs.FieldError{Field: "sort", Key: "sort.unknown", Message: fmt.Sprintf("不支持按 %q 排序：应为 id、updated_at 或字段标识", sortKey), Value: f.Sort})
	}
	if err := errs.Invalid(fe); err != nil {
		return l, nil, nil, err
	}
	rows, err := q.Query(ctx, `SELECT `+rowCols+` FROM ledger_rows`+w.SQL()+` ORDER BY id`, w.Args...)
	if err != nil {
		return l, nil, nil, fmt.Errorf("list ledger rows: %w", err)
	}
	defer rows.Close()
	var out []stored
	for rows.Next() {
		r, err := scanStored(rows)
		if err != nil {
			return l, nil, nil, err
		}
		if matches(l, r.values, f.Equals, rf) {
			out = append(out, r)
		}
	}
	if err := rows.Err(); err != nil {
		return l, nil, nil, err
	}
	switch {
	case sortByField:
		slices.SortStableFunc(out, func(a, b stored) int { return compareValues(sortField, a.values[sortKey], b.values[sortKey], rf) })
	case sortKey == "updated_at":
		slices.SortStableFunc(out, func(a, b stored) int { return a.updated.Compare(b.updated) })
	}
	if desc {
		slices.Reverse(out)
	}
	return l, out, rf, nil
}

// matches reports whether values satisfy every filter.
func matches(l Ledger, values map[string]any, eq map[string]string, rf *refs) bool {
	for k, want := range eq {
		f, _ := fieldByKey(l.Fields, k)
		v := values[k]
		if groupKey(v) == want || (rf != nil && rf.label(f, v) == want && want != "") || text(f, v, rf) == want {
			continue
		}
		if want == "" && v == nil {
			continue
		}
		return false
	}
	return true
}

func compareValues(f LedgerField, a, b any, rf *refs) int {
	if f.Numeric() {
		x, okA := scaled(f, a)
		y, okB := scaled(f, b)
		if okA != okB {
			if okA {
				return 1
			}
			return -1
		}
		return cmp.Compare(x, y)
	}
	return strings.Compare(text(f, a, rf), text(f, b, rf))
}

// rowName is how a message names a row: by its key, else by its number.
func rowName(r stored) string {
	if r.key != "" {
		return fmt.Sprintf("“%s”（#%d）", r.key, r.id)
	}
	return "#" + strconv.FormatInt(r.id, 10)
}
