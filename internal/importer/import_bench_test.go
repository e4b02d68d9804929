package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/auth"
	"gongjian/internal/campaign"
	"gongjian/internal/casework"
	"gongjian/internal/demo"
	"gongjian/internal/enterprise"
	"gongjian/internal/importer"
	"gongjian/internal/org"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// BenchmarkImportEnterprises1000 commits 1,000 new enterprises through the
// service (checks and audit per row, one transaction), then re-imports the
// same file (all unchanged), on SQLite.
func BenchmarkImportEnterprises1000(b *testing.B) {
	const n = 1000
	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"统一社会信用代码", "企业名称", "注册资本（万元）", "街道", "白名单"})
	for i := range n {
		code, err := enterprise.MakeCreditCode("91370602", fmt.Sprintf("MB%06d", i))
		if err != nil {
			b.Fatal(err)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		_ = f.SetSheetRow("Sheet1", cell, &[]any{code, fmt.Sprintf("基准企业%04d", i), "1.5亿元", "向阳街道", "是"})
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	for b.Loop() {
		b.StopTimer()
		db := testdb.Open(b, store.SQLite)
		ctx := context.Background()
		o, c := org.New(db), campaign.New(db)
		if _, err := demo.Load(ctx, demo.Services{DB: db, Org: o, Auth: auth.New(db, time.Hour, time.Hour), Campaign: c}, demo.Data()); err != nil {
			b.Fatal(err)
		}
		ent, cs := enterprise.New(db), casework.New(db)
		imp := importer.New(db, o, c, progress.New(db)).WithEnterprises(ent, cs, nil)
		b.StartTimer()
		res, err := imp.ImportEnterprises(ctx, bytes.NewReader(data), false)
		if err != nil || res.Created != n {
			b.Fatalf("commit %+v %v", res, err)
		}
		res, err = imp.ImportEnterprises(ctx, bytes.NewReader(data), false)
		if err != nil || res.Unchanged != n {
			b.Fatalf("re-import %+v %v", res, err)
		}
	}
}
