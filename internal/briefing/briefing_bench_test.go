package briefing_test

// Benchmarks of briefing generation on a district of issue 12's size. By
// default the district is generated (2,000 items × 52 weeks, 20,000 cases,
// 10 ledgers × 10,000 rows, indicators) into a fresh SQLite database, which
// takes a while; GONGJIAN_BENCH_DB names a copy of an already generated
// district instead (it is written to: each run adds a draft briefing):
//
//	cp /tmp/s4/district0.db /tmp/bench.db
//	GONGJIAN_BENCH_DB=/tmp/bench.db go test ./internal/briefing/ -run '^$' -bench Briefing -benchmem

import (
	"context"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"gongjian/internal/briefing"
	"gongjian/internal/date"
	"gongjian/internal/gen"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// benchDistrict opens the district to benchmark on and returns its campaign.
func benchDistrict(b *testing.B) (*store.DB, int64) {
	b.Helper()
	ctx := context.Background()
	if path := os.Getenv("GONGJIAN_BENCH_DB"); path != "" {
		db, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			b.Fatalf("open %s: %v", path, err)
		}
		b.Cleanup(func() { db.Close() })
		var id int64
		if err := db.Read().QueryRow(ctx, `SELECT MIN(id) FROM campaigns`).Scan(&id); err != nil {
			b.Fatalf("campaign: %v", err)
		}
		return db, id
	}
	db := testdb.Open(b, store.SQLite)
	opt := gen.DefaultScaleOptions("district")
	opt.Accounts = false
	st, err := gen.GenerateScale(ctx, db, opt)
	if err != nil {
		b.Fatalf("generate: %v", err)
	}
	return db, st.Districts[0].CampaignID
}

// BenchmarkGenerateBriefing is POST /api/v1/briefings for a month of the
// whole district, as the system (no caller): compose and store the draft.
// It reports the process's CPU time per run (on a shared machine the wall
// time says more about the neighbours) and the peak heap in use (MiB),
// sampled after each run.
func BenchmarkGenerateBriefing(b *testing.B) {
	db, campaignID := benchDistrict(b)
	svc := briefing.New(db)
	ctx := context.Background()
	in := briefing.BriefingInput{CampaignID: campaignID, Period: "month", AsOf: date.MustParse("2022-12-31")}
	var peak uint64
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Generate(ctx, in); err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(peak)/(1<<20), "heapMiB")
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
