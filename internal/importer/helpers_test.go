package importer_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/auth"
	"gongjian/internal/campaign"
	"gongjian/internal/casework"
	"gongjian/internal/date"
	"gongjian/internal/demo"
	"gongjian/internal/enterprise"
	"gongjian/internal/importer"
	"gongjian/internal/org"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
	"gongjian/internal/xlsx"
)

// fx is the demo district with the import service over it, working as the
// system (no actor), the way the demo loader and the CLI do.
type fx struct {
	t     *testing.T
	ctx   context.Context
	db    *store.DB
	imp   *importer.Service
	ent   *enterprise.Service
	cases *casework.Service
	camp  int64
}

// raiser turns a visit's problem into an enterprise-request case, as the API's does.
func raiser(cs *casework.Service) enterprise.CaseRaiser {
	return func(ctx context.Context, v enterprise.Visit, p enterprise.VisitProblemInput) (int64, error) {
		deadline := p.Deadline
		if deadline.IsZero() {
			deadline = date.Of(time.Now().AddDate(0, 0, enterprise.DefaultProblemDays))
		}
		ent, visitor := v.EnterpriseID, v.VisitorID
		c, err := cs.Create(ctx, casework.CaseInput{Type: casework.TypeEnterpriseRequest, Title: p.Title, Description: p.Description,
			SourceKind: "visit", SourceID: v.ID, EnterpriseID: &ent, RequesterPersonID: &visitor, Deadline: deadline,
			Assignees: []casework.AssigneeInput{{UnitID: p.UnitID}}})
		return c.ID, err
	}
}

func eachEngine(t *testing.T, fn func(t *testing.T, x *fx)) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o, c := org.New(db), campaign.New(db)
		sum, err := demo.Load(ctx, demo.Services{DB: db, Org: o, Auth: auth.New(db, time.Hour, time.Hour), Campaign: c}, demo.Data())
		if err != nil {
			t.Fatalf("demo: %v", err)
		}
		ent, cases := enterprise.New(db), casework.New(db)
		imp := importer.New(db, o, c, progress.New(db)).WithEnterprises(ent, cases, raiser(cases))
		fn(t, &fx{t: t, ctx: ctx, db: db, imp: imp, ent: ent, cases: cases, camp: sum.CampaignID})
	})
}

// template writes the template of kind and returns the workbook and its
// dictionary: the values of each column of the hidden 字典 sheet by header.
func (x *fx) template(kind string) (*excelize.File, map[string][]string) {
	x.t.Helper()
	var buf bytes.Buffer
	if err := x.imp.WriteTemplate(x.ctx, &buf, kind, 0); err != nil {
		x.t.Fatalf("template %s: %v", kind, err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		x.t.Fatal(err)
	}
	dict := map[string][]string{}
	cols, _ := f.GetCols(xlsx.DictionarySheet)
	for _, col := range cols {
		for _, v := range col[1:] {
			if v != "" {
				dict[col[0]] = append(dict[col[0]], v)
			}
		}
	}
	return f, dict
}

// fill writes rows into the template of kind below its header (row 2), the
// way a user fills it in Excel.
func (x *fx) fill(kind string, rows [][]any) []byte {
	x.t.Helper()
	f, _ := x.template(kind)
	sheet := f.GetSheetList()[0]
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, 3+i)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			x.t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		x.t.Fatal(err)
	}
	return buf.Bytes()
}

// count is the number of rows of a table.
func (x *fx) count(table string) int {
	x.t.Helper()
	var n int
	if err := x.db.Read().QueryRow(x.ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		x.t.Fatal(err)
	}
	return n
}

// counts says what an import result should count.
func counts(t *testing.T, what string, res xlsx.ImportResult, err error, created, updated, unchanged int) {
	t.Helper()
	if err != nil || len(res.Problems) != 0 || res.Created != created || res.Updated != updated || res.Unchanged != unchanged {
		t.Fatalf("%s: got %+v (err %v), want created %d, updated %d, unchanged %d", what, res, err, created, updated, unchanged)
	}
}

// refused checks that a commit was refused with one problem per row of
// want, each in the column and with the message of "column|part of the message".
func refused(t *testing.T, res xlsx.ImportResult, err error, want map[int]string) {
	t.Helper()
	if !errors.Is(err, importer.ErrProblems) || len(res.Problems) != len(want) {
		t.Fatalf("want %d problems, got %+v (err %v)", len(want), res.Problems, err)
	}
	for _, p := range res.Problems {
		col, msg, _ := strings.Cut(want[p.Row], "|")
		if p.Column != col || !strings.Contains(p.Message, msg) {
			t.Errorf("row %d: %+v, want %s", p.Row, p, want[p.Row])
		}
	}
}

// code is the n-th valid credit code of the tests (both check characters right).
func code(t *testing.T, n int) string {
	t.Helper()
	c, err := enterprise.MakeCreditCode("91370602", "MA3T"+string(rune('A'+n))+"00"+string(rune('0'+n)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
