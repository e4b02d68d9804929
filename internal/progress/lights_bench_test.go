package progress_test

// Benchmarks of one lights computation (Service.Lights, no HTTP, no cache)
// at district scale: 2,000 items × 52 weeks, as `gongjian gen` writes it.
// With GONGJIAN_BENCH_DISTRICT naming a SQLite file (a copy of a generated
// district: the benchmark only reads it) that district is used; otherwise one
// is generated per engine (about 15 s on SQLite).
//
//	go test ./internal/progress -run '^$' -bench Lights -count 5

import (
	"context"
	"os"
	"testing"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/gen"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

func BenchmarkLights(b *testing.B) {
	ctx := context.Background()
	type district struct {
		name string
		db   *store.DB
		camp int64
		end  date.Date
	}
	var ds []district
	if path := os.Getenv("GONGJIAN_BENCH_DISTRICT"); path != "" {
		db, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		ds = append(ds, district{name: "sqlite-file", db: db})
	} else {
		for _, e := range testdb.Engines(b) {
			db := testdb.Open(b, e)
			opt := gen.DefaultOptions(2000)
			opt.Weeks = 52
			if _, err := gen.Generate(ctx, db, opt); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, district{name: string(e), db: db})
		}
	}
	for _, d := range ds {
		if err := d.db.Read().QueryRow(ctx, `SELECT id, end_date FROM campaigns ORDER BY id LIMIT 1`).Scan(&d.camp, &d.end); err != nil {
			b.Fatal(err)
		}
		s := progress.New(d.db)
		mid := date.Of(time.Date(d.end.Time().Year(), 6, 30, 0, 0, 0, 0, time.UTC))
		cases := []struct {
			name string
			f    progress.LightFilter
		}{
			// As the API asks: the campaign's last day, everything on record now.
			{"colours", progress.LightFilter{CampaignID: d.camp, AsOf: d.end, KnownBy: time.Now(), ColoursOnly: true}},
			{"reasons", progress.LightFilter{CampaignID: d.camp, AsOf: d.end, KnownBy: time.Now()}},
			{"colours_as_of_june", progress.LightFilter{CampaignID: d.camp, AsOf: mid, ColoursOnly: true}},
		}
		for _, c := range cases {
			b.Run(d.name+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					ls, err := s.Lights(ctx, c.f)
					if err != nil {
						b.Fatal(err)
					}
					if len(ls) == 0 {
						b.Fatal("no lights")
					}
				}
			})
		}
	}
}
