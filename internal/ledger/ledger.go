package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/org"
	"gongjian/internal/store"
)

// Ledger is a register's definition (台账): its fields, including archived
// ones, the field that identifies a row on import and the date that puts a
// row in a period.
type Ledger struct {
	ID            int64         `json:"id"`
	Code          string        `json:"code"`
	Name          string        `json:"name"`
	OwnerUnitID   int64         `json:"owner_unit_id"`
	OwnerUnitName string        `json:"owner_unit_name"`
	Description   string        `json:"description"`
	Fields        []LedgerField `json:"fields"`
	KeyField      string        `json:"key_field" doc:"行标识字段：导入时按此字段更新已有行"`
	DateField     string        `json:"date_field" doc:"日期字段：决定行所属的月份（period）"`
	Revision      int           `json:"revision" doc:"定义的版本，每次修改定义加一"`
	Rows          int           `json:"rows" doc:"现有行数"`
	CanWrite      bool          `json:"can_write" doc:"当前用户可否填报此台账"`
	Version       int           `json:"version"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
}

// LedgerInput defines or redefines a ledger. Fields are the active fields;
// a field of the old definition not listed here is archived with its data.
type LedgerInput struct {
	Code        string        `json:"code" maxLength:"40" doc:"台账编码，唯一"`
	Name        string        `json:"name" maxLength:"100"`
	OwnerUnitID int64         `json:"owner_unit_id" doc:"责任单位：其（及下级单位的）填报员可以填报"`
	Description string        `json:"description,omitempty" maxLength:"2000"`
	Fields      []LedgerField `json:"fields" maxItems:"100"`
	KeyField    string        `json:"key_field,omitempty" maxLength:"40" doc:"行标识字段（必填的文本字段），导入时据此更新已有行"`
	DateField   string        `json:"date_field,omitempty" maxLength:"40" doc:"日期字段，行按其月份归期"`
	Note        string        `json:"note,omitempty" maxLength:"500" doc:"修改说明，记入定义历史"`
}

func (in *LedgerInput) check() error {
	in.Code, in.Name, in.Description = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	in.KeyField, in.DateField = strings.TrimSpace(in.KeyField), strings.TrimSpace(in.DateField)
	var c errs.Checker
	c.Check(in.Code != "", "code", "required", "台账编码不能为空", nil)
	c.Check(in.Name != "", "name", "required", "台账名称不能为空", nil)
	c.Check(in.OwnerUnitID > 0, "owner_unit_id", "required", "责任单位不能为空", nil)
	active := in.Fields[:0]
	for _, f := range in.Fields {
		if !f.Archived {
			active = append(active, f)
		}
	}
	in.Fields = active
	checkFields(&c, in.Fields)
	if in.KeyField != "" {
		f, ok := fieldByKey(in.Fields, in.KeyField)
		switch {
		case !ok:
			c.Add("key_field", "ledger.key_field", fmt.Sprintf("行标识字段 %q 不在字段中", in.KeyField), in.KeyField)
		case f.Type != TypeText:
			c.Add("key_field", "ledger.key_field", fmt.Sprintf("行标识字段 %s 应为文本字段", f.Label), in.KeyField)
		case !f.Required:
			c.Add("key_field", "ledger.key_field", fmt.Sprintf("行标识字段 %s 应为必填", f.Label), in.KeyField)
		}
	}
	if in.DateField != "" {
		if f, ok := fieldByKey(in.Fields, in.DateField); !ok || f.Type != TypeDate {
			c.Add("date_field", "ledger.date_field", fmt.Sprintf("日期字段 %q 应为定义中的一个日期字段", in.DateField), in.DateField)
		}
	}
	return c.Err()
}

const ledgerSelect = `SELECT l.id, l.code, l.name, l.owner_unit_id, COALESCE(u.name, ''), l.description, l.fields_json, l.key_field,
	l.date_field, l.revision, l.version, l.created_at, l.updated_at,
	(SELECT COUNT(*) FROM ledger_rows r WHERE r.ledger_id = l.id AND r.deleted_at IS NULL)
	FROM ledgers l LEFT JOIN units u ON u.id = l.owner_unit_id`

func scanLedger(s interface{ Scan(...any) error }) (Ledger, error) {
	var l Ledger
	var fields string
	if err := s.Scan(&l.ID, &l.Code, &l.Name, &l.OwnerUnitID, &l.OwnerUnitName, &l.Description, &fields, &l.KeyField,
		&l.DateField, &l.Revision, &l.Version, &l.CreatedAt, &l.UpdatedAt, &l.Rows); err != nil {
		return l, err
	}
	if err := json.Unmarshal([]byte(fields), &l.Fields); err != nil {
		return l, fmt.Errorf("ledger %d fields: %w", l.ID, err)
	}
	return l, nil
}

func getLedger(ctx context.Context, q store.Querier, id int64) (Ledger, error) {
	l, err := scanLedger(q.QueryRow(ctx, ledgerSelect+` WHERE l.id = ?`, id))
	if store.IsNoRows(err) {
		return l, errs.NotFound("台账", id)
	}
	if err != nil {
		return l, fmt.Errorf("get ledger %d: %w", id, err)
	}
	return l, nil
}

var ledgerKind = audit.Kind[Ledger]{Entity: "ledger", Label: "台账", Get: getLedger, Version: func(l Ledger) int { return l.Version }}

// LedgerFilter narrows ListLedgers.
type LedgerFilter struct {
	Q           string
	OwnerUnitID int64
	Sort        string
	Page        store.Page
}

// ListLedgers returns the ledgers (every role reads every ledger) and their total.
func (s *Service) ListLedgers(ctx context.Context, f LedgerFilter) ([]Ledger, int, error) {
	q := s.db.Read()
	var w store.Where
	if f.Q != "" {
		w.Add(`(l.name LIKE ? ESCAPE '\' OR l.code LIKE ? ESCAPE '\')`, store.Contains(f.Q), store.Contains(f.Q))
	}
	if f.OwnerUnitID != 0 {
		w.Add(`l.owner_unit_id = ?`, f.OwnerUnitID)
	}
	order, err := store.OrderBy(f.Sort, map[string]string{"id": "l.id", "code": "l.code", "name": "l.name",
		"updated_at": "l.updated_at"}, "id", "l.id")
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM ledgers l`+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count ledgers: %w", err)
	}
	rows, err := q.Query(ctx, ledgerSelect+w.SQL()+order+f.Page.LimitOffset(), w.Args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list ledgers: %w", err)
	}
	defer rows.Close()
	out := []Ledger{}
	for rows.Next() {
		l, err := scanLedger(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].CanWrite = canWrite(ctx, q, out[i]) == nil
	}
	return out, total, nil
}

// GetLedger returns one ledger.
func (s *Service) GetLedger(ctx context.Context, id int64) (Ledger, error) {
	l, err := getLedger(ctx, s.db.Read(), id)
	if err != nil {
		return l, err
	}
	l.CanWrite = canWrite(ctx, s.db.Read(), l) == nil
	return l, nil
}

// LedgerByCode finds a ledger by its code.
func (s *Service) LedgerByCode(ctx context.Context, code string) (Ledger, error) {
	var id int64
	err := s.db.Read().QueryRow(ctx, `SELECT id FROM ledgers WHERE code = ?`, code).Scan(&id)
	if store.IsNoRows(err) {
		return Ledger{}, errs.NotFound("台账", code)
	}
	if err != nil {
		return Ledger{}, fmt.Errorf("ledger by code: %w", err)
	}
	return s.GetLedger(ctx, id)
}

// canWrite decides whether the caller may add, edit and import rows: the
// district-wide roles for every ledger, a unit reporter for the ledgers its
// own unit (or a unit below it) owns.
func canWrite(ctx context.Context, q store.Querier, l Ledger) error {
	a := access.From(ctx)
	if a == nil {
		return nil
	}
	if !a.Can(access.LedgerWrite) {
		return errs.Forbidden(fmt.Sprintf("当前角色（%s）无权填报台账", a.Role.Label()))
	}
	if a.Scope() == access.ScopeAll {
		return nil
	}
	if a.Scope() == access.ScopeUnit {
		cond, args := org.InSubtree(`id`, a.UnitID)
		var n int
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM units WHERE id = ? AND `+cond, append([]any{l.OwnerUnitID}, args...)...).Scan(&n); err != nil {
			return fmt.Errorf("ledger owner scope: %w", err)
		}
		if n == 1 {
			return nil
		}
	}
	return errs.Forbidden(fmt.Sprintf("台账“%s”由%s负责填报，本单位只能查看", l.Name, l.OwnerUnitName))
}

func fieldsJSON(fs []LedgerField) string {
	b, _ := json.Marshal(fs)
	return string(b)
}

func ledgerWriteErr(err error, code string) error {
	switch {
	case err == nil:
		return nil
	case store.IsUnique(err):
		return errs.Duplicate("code", code)
	case store.IsForeignKey(err):
		return errs.Invalid([]errs.FieldError{{Field: "owner_unit_id", Key: "reference.missing", Message: "责任单位不存在"}})
	}
	return fmt.Errorf("write ledger %q: %w", code, err)
}

func (s *Service) checkOwner(ctx context.Context, q store.Querier, unitID int64) error {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM units WHERE id = ?`, unitID).Scan(&n); err != nil {
		return fmt.Errorf("ledger owner: %w", err)
	}
	if n == 0 {
		return errs.Invalid([]errs.FieldError{{Field: "owner_unit_id", Key: "reference.missing", Message: fmt.Sprintf("责任单位 %d 不存在", unitID), Value: unitID}})
	}
	return nil
}

func writeDefinition(ctx context.Context, q store.Querier, l Ledger, note string, at time.Time) error {
	username := "system"
	if a := access.From(ctx); a != nil {
		username = a.Username
	}
	_, err := q.Exec(ctx, `INSERT INTO ledger_definitions (ledger_id, revision, fields_json, key_field, date_field, at, username, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, l.Revision, fieldsJSON(l.Fields), l.KeyField, l.DateField, at, username, note)
	if err != nil {
		return fmt.Errorf("ledger definition: %w", err)
	}
	return nil
}

// CreateLedger defines a new ledger.
func (s *Service) CreateLedger(ctx context.Context, in LedgerInput) (Ledger, error) {
	if err := in.check(); err != nil {
		return Ledger{}, err
	}
	if err := s.checkOwner(ctx, s.db.Read(), in.OwnerUnitID); err != nil {
		return Ledger{}, err
	}
	now := s.now().UTC()
	l, err := audit.Create(ctx, s.db, ledgerKind, func(q store.Querier) (id int64, err error) {
		err = q.QueryRow(ctx, `INSERT INTO ledgers (code, name, owner_unit_id, description, fields_json, key_field, date_field, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Code, in.Name, in.OwnerUnitID, in.Description, fieldsJSON(in.Fields),
			in.KeyField, in.DateField, now, now).Scan(&id)
		if err != nil {
			return 0, ledgerWriteErr(err, in.Code)
		}
		return id, writeDefinition(ctx, q, Ledger{ID: id, Revision: 1, Fields: in.Fields, KeyField: in.KeyField, DateField: in.DateField}, in.Note, now)
	})
	if err != nil {
		return l, err
	}
	l.CanWrite = canWrite(ctx, s.db.Read(), l) == nil
	return l, nil
}

// merge applies a new list of active fields to the old definition: fields
// keep their keys, listed ones take the new shape, unlisted ones are archived.
func merge(old, active []LedgerField) []LedgerField {
	out := slices.Clone(active)
	for _, f := range old {
		if _, listed := fieldByKey(active, f.Key); !listed {
			f.Archived = true
			out = append(out, f)
		}
	}
	return out
}

// UpdateLedger changes a ledger's definition if version is still current.
// A removed field is archived, never dropped; a change of type, options or
// requiredness that the existing rows' values do not fit is refused, naming
// the rows that block it.
func (s *Service) UpdateLedger(ctx context.Context, id int64, version int, in LedgerInput) (Ledger, error) {
	if err := in.check(); err != nil {
		return Ledger{}, err
	}
	if err := s.checkOwner(ctx, s.db.Read(), in.OwnerUnitID); err != nil {
		return Ledger{}, err
	}
	now := s.now().UTC()
	l, err := audit.Update(ctx, s.db, ledgerKind, id, version, func(q store.Querier, before Ledger) error {
		fields := merge(before.Fields, in.Fields)
		after := Ledger{ID: id, Name: in.Name, Fields: fields, KeyField: in.KeyField, DateField: in.DateField}
		if err := refit(ctx, q, before, after, now); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `UPDATE ledgers SET code = ?, name = ?, owner_unit_id = ?, description = ?, fields_json = ?, key_field = ?,
			date_field = ?, revision = revision + 1, version = version + 1, updated_at = ? WHERE id = ?`,
			in.Code, in.Name, in.OwnerUnitID, in.Description, fieldsJSON(fields), in.KeyField, in.DateField, now, id)
		if err != nil {
			return ledgerWriteErr(err, in.Code)
		}
		return writeDefinition(ctx, q, Ledger{ID: id, Revision: before.Revision + 1, Fields: fields, KeyField: in.KeyField, DateField: in.DateField}, in.Note, now)
	})
	if err != nil {
		return l, err
	}
	l.CanWrite = canWrite(ctx, s.db.Read(), l) == nil
	return l, nil
}

// DeleteLedger removes a ledger that has no rows; a ledger with data is kept.
func (s *Service) DeleteLedger(ctx context.Context, id int64, version int) error {
	return audit.Delete(ctx, s.db, ledgerKind, id, version, func(q store.Querier, before Ledger) error {
		var n int
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM ledger_rows WHERE ledger_id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("ledger rows: %w", err)
		}
		if n > 0 {
			return &errs.Error{Kind: errs.KindConflict, Key: "ledger.has_rows",
				Message: fmt.Sprintf("台账“%s”已有 %d 行数据（含已删除的），不能删除；可将其字段归档", before.Name, n)}
		}
		if _, err := q.Exec(ctx, `DELETE FROM ledgers WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete ledger: %w", err)
		}
		return nil
	})
}

// LedgerDefinition is one version of a ledger's definition.
type LedgerDefinition struct {
	Revision  int           `json:"revision"`
	Fields    []LedgerField `json:"fields"`
	KeyField  string        `json:"key_field"`
	DateField string        `json:"date_field"`
	At        time.Time     `json:"at"`
	Username  string        `json:"username"`
	Note      string        `json:"note"`
}

// Definitions returns every version of a ledger's definition, newest first.
func (s *Service) Definitions(ctx context.Context, id int64) ([]LedgerDefinition, error) {
	q := s.db.Read()
	if _, err := getLedger(ctx, q, id); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT revision, fields_json, key_field, date_field, at, username, note FROM ledger_definitions
		WHERE ledger_id = ? ORDER BY revision DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("ledger definitions: %w", err)
	}
	defer rows.Close()
	out := []LedgerDefinition{}
	for rows.Next() {
		var d LedgerDefinition
		var fs string
		if err := rows.Scan(&d.Revision, &fs, &d.KeyField, &d.DateField, &d.At, &d.Username, &d.Note); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(fs), &d.Fields); err != nil {
			return nil, fmt.Errorf("ledger definition fields: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
