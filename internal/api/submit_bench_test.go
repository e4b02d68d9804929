package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongjian/internal/gen"
	"gongjian/internal/testdb"
)

// submitBenchItems is the size of the district of BenchmarkSaveSubmit: the
// cost of a save and a submit does not depend on how many items there are.
const submitBenchItems = 200

// BenchmarkSaveSubmit times a unit's 报送 as the load scenario report_submit
// sends it: the report of the last week saved (PUT with If-Match, which
// withdraws the submitted report to draft) and then submitted (POST with the
// saved version), by the supervisor, items in turn. "narrative" sends text
// only, as the load scenario does; "values" also sends every target's value
// and the investment, so the submit records actuals. clients=1 is the cost of
// one pair; clients=50 is wall time per pair with 50 clients at once (the
// inverse of throughput on SQLite's single writer), with the p50 and p99 of a pair.
func BenchmarkSaveSubmit(b *testing.B) {
	for _, eng := range testdb.Engines(b) {
		b.Run(string(eng), func(b *testing.B) {
			opt := gen.DefaultOptions(submitBenchItems)
			opt.Weeks = 4
			e := newBenchEnvOf(b, eng, opt)
			s := newSubmitBench(b, e)
			for _, body := range []string{"narrative", "values"} {
				for _, clients := range []int{1, benchClients} {
					b.Run(fmt.Sprintf("%s/clients=%d", body, clients), func(b *testing.B) {
						s.run(b, clients, body == "values")
					})
				}
			}
		})
	}
}

// submitBench holds, per item, the targets and the report's id and version
// as the last answer gave them.
type submitBench struct {
	e       *benchEnv
	period  string
	targets map[int64][]int64
	mu      sync.Mutex
	reports map[int64]*benchReport
}

type benchReport struct {
	id   int64
	etag string
}

func newSubmitBench(b *testing.B, e *benchEnv) *submitBench {
	b.Helper()
	s := &submitBench{e: e, targets: map[int64][]int64{}, reports: map[int64]*benchReport{}}
	get := func(path string, dst any) {
		b.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(e.supervisor)
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
		}
		if err := json.Unmarshal(w.Body.Bytes(), dst); err != nil {
			b.Fatalf("GET %s: %v", path, err)
		}
	}
	type report struct {
		ID      int64  `json:"id"`
		ItemID  int64  `json:"item_id"`
		Period  string `json:"period"`
		Version int    `json:"version"`
	}
	var latest struct{ Items []report }
	get(fmt.Sprintf("/api/v1/reports?campaign_id=%d&page_size=1", e.st.CampaignID), &latest)
	if len(latest.Items) == 0 {
		b.Fatal("no reports generated")
	}
	s.period = latest.Items[0].Period
	var rs struct{ Items []report }
	get(fmt.Sprintf("/api/v1/reports?campaign_id=%d&period=%s&page_size=500", e.st.CampaignID, s.period), &rs)
	for _, r := range rs.Items {
		s.reports[r.ItemID] = &benchReport{r.ID, fmt.Sprintf(`"%d"`, r.Version)}
	}
	for _, item := range e.items {
		var ts struct {
			Items []struct {
				ID int64 `json:"id"`
			}
		}
		get(fmt.Sprintf("/api/v1/items/%d/targets", item), &ts)
		for _, t := range ts.Items {
			s.targets[item] = append(s.targets[item], t.ID)
		}
	}
	return s
}

// pair saves and submits the report on item, failing on any status but 200.
func (s *submitBench) pair(item int64, withValues bool, n int) error {
	s.mu.Lock()
	r := s.reports[item]
	if r == nil {
		r = &benchReport{etag: `"0"`}
		s.reports[item] = r
	}
	s.mu.Unlock()
	var body strings.Builder
	body.WriteString(`{"narrative":"本周按计划推进，完成既定工作量（基准测试）。","next_steps":"继续推进。"`)
	if withValues {
		fmt.Fprintf(&body, `,"investment_completed_wan":%d,"values":[`, 100+n)
		for i, t := range s.targets[item] {
			if i > 0 {
				body.WriteString(",")
			}
			fmt.Fprintf(&body, `{"target_id":%d,"value":%d}`, t, n+i)
		}
		body.WriteString("]")
	}
	body.WriteString("}")
	w := &benchWriter{h: http.Header{}}
	req, _ := http.NewRequest(http.MethodPut, fmt.Sprintf("/api/v1/items/%d/reports/%s", item, s.period), strings.NewReader(body.String()))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("If-Match", r.etag)
	req.AddCookie(s.e.supervisor)
	if r.id == 0 {
		rec := &recordingWriter{benchWriter: w}
		s.e.srv.ServeHTTP(rec, req)
		var out struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal([]byte(rec.body.String()), &out); err != nil {
			return fmt.Errorf("save %d: %d %v", item, w.status, err)
		}
		r.id = out.ID
	} else {
		s.e.srv.ServeHTTP(w, req)
	}
	if w.status != http.StatusOK {
		return fmt.Errorf("PUT report of item %d: status %d", item, w.status)
	}
	w2 := &benchWriter{h: http.Header{}}
	req, _ = http.NewRequest(http.MethodPost, fmt.Sprintf("/api/v1/reports/%d/submit", r.id), nil)
	req.Header.Set("If-Match", w.h.Get("ETag"))
	req.AddCookie(s.e.supervisor)
	s.e.srv.ServeHTTP(w2, req)
	if w2.status != http.StatusOK {
		return fmt.Errorf("POST submit of report %d: status %d", r.id, w2.status)
	}
	r.etag = w2.h.Get("ETag")
	return nil
}

// recordingWriter keeps the body too.
type recordingWriter struct {
	*benchWriter
	body strings.Builder
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	w.body.Write(p)
	return w.benchWriter.Write(p)
}

// run sends pairs from clients goroutines, each owning its share of the
// items so that no two clients write the same report.
func (s *submitBench) run(b *testing.B, clients int, withValues bool) {
	items := s.e.items
	var log latencyLog
	var next atomic.Int64
	one := func(client int, next func() bool) {
		lat := make([]time.Duration, 0, 256)
		for i := 0; next(); i++ {
			item := items[(client+i*clients)%len(items)]
			start := time.Now()
			if err := s.pair(item, withValues, i); err != nil {
				b.Error(err)
				return
			}
			lat = append(lat, time.Since(start))
		}
		log.add(lat)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if clients == 1 {
		one(0, b.Loop)
	} else {
		procs := runtime.GOMAXPROCS(0)
		b.SetParallelism((clients + procs - 1) / procs)
		b.RunParallel(func(pb *testing.PB) { one(int(next.Add(1)-1)%clients, pb.Next) })
	}
	b.StopTimer()
	log.report(b)
}
