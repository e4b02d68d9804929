package enterprise_test

import (
	"context"
	"fmt"
	"testing"

	"gongjian/internal/date"
	"gongjian/internal/enterprise"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// benchSeed is the demo's size: 1,600 enterprises visited once each, a
// problem on every fourth visit.
func benchSeed() enterprise.SeedData {
	var d enterprise.SeedData
	day := date.MustParse("2022-03-01")
	for i := 0; i < 1600; i++ {
		code, err := enterprise.MakeCreditCode("91370602", fmt.Sprintf("MB%06d", i))
		if err != nil {
			panic(err)
		}
		d.Enterprises = append(d.Enterprises, enterprise.SeedEnterprise{CreditCode: code, Name: fmt.Sprintf("基准企业%04d", i)})
		v := enterprise.SeedVisit{CreditCode: code, Date: day, Notes: "走访"}
		if i%4 == 0 {
			v.Problems = []enterprise.SeedProblem{{Title: "问题"}}
		}
		d.Visits = append(d.Visits, v)
	}
	return d
}

// BenchmarkSeedVisits writes 1,600 enterprises, 1,600 visits and 400
// problems in one transaction on a fresh SQLite database per round.
// The visits need a visitor: the benchmark makes one person first.
func BenchmarkSeedVisits(b *testing.B) {
	d := benchSeed()
	for b.Loop() {
		b.StopTimer()
		db := testdb.Open(b, store.SQLite)
		ctx := context.Background()
		if err := db.Tx(ctx, func(q store.Querier) error {
			_, err := q.Exec(ctx, `INSERT INTO persons (code, name, created_at, updated_at) VALUES ('P-B', '专员', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`)
			return err
		}); err != nil {
			b.Fatal(err)
		}
		for i := range d.Visits {
			d.Visits[i].VisitorCode = "P-B"
		}
		svc := enterprise.New(db)
		b.StartTimer()
		if _, err := svc.Seed(ctx, 0, d); err != nil {
			b.Fatal(err)
		}
	}
}
