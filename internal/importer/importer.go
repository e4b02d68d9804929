// Package importer brings spreadsheets in: units, persons, items, milestones
// and targets from .xlsx or CSV, with a dry run that says what would be
// created, updated and left unchanged and every problem by sheet, row and
// column; a commit that applies all rows or none; and re-imports that change
// nothing (rows are matched by code). Rows go through the same service calls
// as the forms of the UI, inside one transaction carried by ctx
// (store.WithTx), so the checks and the audit trail are the same.
package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"gongjian/internal/campaign"
	"gongjian/internal/errs"
	"gongjian/internal/org"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/xlsx"
)

// Service runs imports and writes templates.
type Service struct {
	db       *store.DB
	org      *org.Service
	campaign *campaign.Service
	progress *progress.Service
	Limits   xlsx.Limits
	more     moreServices // enterprises, visits, leads and cases (WithEnterprises)
}

// New returns a Service using the feature services for every write.
func New(db *store.DB, o *org.Service, c *campaign.Service, p *progress.Service) *Service {
	return &Service{db: db, org: o, campaign: c, progress: p, Limits: xlsx.DefaultLimits()}
}

// Outcome is what applying one row did.
type Outcome int

// The outcomes of a row.
const (
	Unchanged Outcome = iota
	Created
	Updated
)

// errRollback ends a dry run (or a commit with problems) without writing.
var errRollback = errors.New("import rolled back")

// ErrProblems is returned by a commit that found problems: nothing was
// applied; the result lists them.
var ErrProblems = &errs.Error{Kind: errs.KindInvalid, Key: "import.problems", Message: "导入文件有错误，未导入任何数据"}

// sheetRow is one parsed row waiting to be applied.
type sheetRow[T any] struct {
	rec xlsx.Record
	in  T
}

// spec describes one kind of import.
type spec[T any] struct {
	sheet  string
	fields []xlsx.Field
	// parse turns a record into an input, reporting cell problems on p; it
	// returns false when the row cannot be applied.
	parse func(ctx context.Context, rec xlsx.Record, p *Problems) (T, bool)
	// key identifies the row for duplicate detection within the file.
	key func(T) string
	// apply creates or updates the record of one row through the services.
	apply func(ctx context.Context, in T) (Outcome, error)
	// fieldKey maps a service's FieldError.Field to a field key of the sheet.
	fieldKey map[string]string
	// locate, when set, maps the fields fieldKey does not know (values[2].value …)
	// to a field key of the sheet, knowing the row.
	locate func(field string, in T) string
}

// Problems collects located problems of one sheet.
type Problems struct {
	sheet string
	list  []xlsx.Problem
}

// Add records a problem in the cell of field key on rec's row.
func (p *Problems) Add(rec xlsx.Record, key, value, msg string) {
	col := ""
	if key != "" {
		col = rec.Label(key)
		if c := rec.Column(key); c != "" && c != col {
			col = fmt.Sprintf("%s（%s列）", col, c)
		}
	}
	p.list = append(p.list, xlsx.Problem{Sheet: p.sheet, Row: rec.Row, Column: col, Value: value, Message: msg})
}

// Len is the number of problems so far.
func (p *Problems) Len() int { return len(p.list) }

// run is the shape of every import: parse every row first (no writes), then,
// when the file is clean, apply the rows in one transaction that a dry run or
// any failing row rolls back.
func run[T any](ctx context.Context, s *Service, sp spec[T], r io.Reader, dryRun bool) (xlsx.ImportResult, error) {
	res := xlsx.ImportResult{DryRun: dryRun, Problems: []xlsx.Problem{}}
	book, err := xlsx.Open(r, s.Limits)
	if err != nil {
		return res, err
	}
	defer book.Close()
	sheet := book.Pick(sp.sheet)
	p := &Problems{sheet: sheet}
	var rows []sheetRow[T]
	seen := map[string]int{}
	err = book.Table(sheet, sp.fields, func(rec xlsx.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		before := p.Len()
		in, ok := sp.parse(ctx, rec, p)
		if !ok || p.Len() > before {
			return nil
		}
		if k := sp.key(in); k != "" {
			if first, dup := seen[k]; dup {
				p.Add(rec, sp.fields[0].Key, k, fmt.Sprintf("与第 %d 行重复", first))
				return nil
			}
			seen[k] = rec.Row
		}
		rows = append(rows, sheetRow[T]{rec, in})
		return nil
	})
	if err != nil {
		return res, err
	}
	if p.Len() == 0 {
		err = s.db.Tx(ctx, func(q store.Querier) error {
			ctx := store.WithTx(ctx, q)
			for _, row := range rows {
				if err := ctx.Err(); err != nil {
					return err
				}
				out, err := sp.apply(ctx, row.in)
				if err != nil {
					keyOf := func(field string) string {
						if k := sp.fieldKey[field]; k != "" || sp.locate == nil {
							return k
						}
						return sp.locate(field, row.in)
					}
					if !located(err, row.rec, keyOf, p) {
						return fmt.Errorf("import row %d: %w", row.rec.Row, err)
					}
					continue
				}
				switch out {
				case Created:
					res.Created++
				case Updated:
					res.Updated++
				default:
					res.Unchanged++
				}
			}
			if dryRun || p.Len() > 0 {
				return errRollback
			}
			return nil
		})
		if err != nil && err != errRollback {
			return res, err
		}
	}
	res.Problems = p.list
	if len(res.Problems) > 0 {
		res.Created, res.Updated, res.Unchanged = 0, 0, 0
		if !dryRun {
			return res, ErrProblems
		}
	}
	return res, nil
}

// located turns a user-facing service error into problems on rec's row; an
// internal error is not located and aborts the import.
func located(err error, rec xlsx.Record, fieldKey func(string) string, p *Problems) bool {
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind == errs.KindInternal {
		return false
	}
	if len(e.Fields) == 0 {
		p.Add(rec, "", "", e.Message)
		return true
	}
	for _, f := range e.Fields {
		key := fieldKey(f.Field)
		if key != "" && !rec.Has(key) {
			key = ""
		}
		v := ""
		if key != "" {
			v = rec.Get(key)
		} else if f.Value != nil {
			v = fmt.Sprint(f.Value)
		}
		p.Add(rec, key, v, f.Message)
	}
	return true
}

// ---- shared cell helpers ----

// Lookup resolves names or codes of one kind of record to ids.
type Lookup struct {
	what   string
	byCode map[string]int64
	byName map[string][]int64
	names  []string
}

func newLookup(what string) *Lookup {
	return &Lookup{what: what, byCode: map[string]int64{}, byName: map[string][]int64{}}
}

func (l *Lookup) add(id int64, code, name string) {
	l.byCode[norm(code)] = id
	l.byName[norm(name)] = append(l.byName[norm(name)], id)
	l.names = append(l.names, name)
}

// Find returns the id for a code or a name; an unknown or ambiguous one is a
// problem with a Chinese message.
func (l *Lookup) Find(s string) (int64, error) {
	k := norm(s)
	if id, ok := l.byCode[k]; ok {
		return id, nil
	}
	ids := l.byName[k]
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		return 0, fmt.Errorf("找不到%s“%s”，请填写系统中已有的名称或编码", l.what, s)
	}
	return 0, fmt.Errorf("有 %d 个%s都叫“%s”，请改填编码", len(ids), l.what, s)
}

func norm(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// splitList splits "住建局、发改局, 财政局" into its names.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' || r == '\n' || r == '/'
	})
}

// choice maps a label (or the code itself) to its code.
type choice struct {
	codes  []string
	labels []string
}

func (c choice) find(s string) (string, bool) {
	k := norm(s)
	for i, code := range c.codes {
		if k == norm(code) || k == norm(c.labels[i]) {
			return code, true
		}
	}
	return "", false
}
