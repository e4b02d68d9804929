// Package metrics counts what an operator watches — requests by route and
// status, their latencies, job runs and failures, reminders sent, the
// database pool — and writes it in the Prometheus text format. It has no
// dependency: the format is a few lines of text, and a registry made in main
// and passed down keeps the process free of global state.
package metrics

import (
	"cmp"
	"crypto/subtle"
	"database/sql"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// buckets are the latency histogram's upper bounds in seconds: fine below
// 50 ms, where the goals of docs/BENCHMARKS.md sit.
var buckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type reqKey struct {
	method, route string
	status        int
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

type jobStats struct {
	runs, failures uint64
	items          map[string]uint64 // e.g. reminders created, webhooks sent
}

// Registry holds the counters of one process.
type Registry struct {
	mu       sync.Mutex
	started  time.Time
	requests map[reqKey]uint64
	latency  map[string]*histogram // by route
	jobs     map[string]*jobStats
	pools    map[string]func() sql.DBStats
	cache    map[[2]string]uint64 // read-cache answers by route and hit/miss
	cached   func() (entries, bytes int)
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{started: time.Now(), requests: map[reqKey]uint64{}, latency: map[string]*histogram{},
		jobs: map[string]*jobStats{}, pools: map[string]func() sql.DBStats{}, cache: map[[2]string]uint64{}}
}

// ObserveCache records a read answered from the read cache ("hit") or
// computed for it ("miss"), by route pattern.
func (r *Registry) ObserveCache(route, outcome string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cache[[2]string{route, outcome}]++
}

// WatchCache reports the read cache's size.
func (r *Registry) WatchCache(size func() (entries, bytes int)) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cached = size
}

// ObserveRequest records one answered request. route is the matched pattern
// (e.g. "GET /api/v1/items/{id}"), never the raw path, so ids do not explode
// the number of series.
func (r *Registry) ObserveRequest(method, route string, status int, d time.Duration) {
	if r == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests[reqKey{method, route, status}]++
	h := r.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets)+1)}
		r.latency[route] = h
	}
	s := d.Seconds()
	i, _ := slices.BinarySearch(buckets, s)
	h.counts[i]++
	h.sum += s
	h.n++
}

// ObserveJob records one run of a background job, what it handled (by kind)
// and whether it failed.
func (r *Registry) ObserveJob(job string, items map[string]int, err error) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.jobs[job]
	if j == nil {
		j = &jobStats{items: map[string]uint64{}}
		r.jobs[job] = j
	}
	j.runs++
	if err != nil {
		j.failures++
	}
	for k, n := range items {
		j.items[k] += uint64(max(n, 0))
	}
}

// WatchPool reports a database pool's statistics under name (e.g. "write", "read").
func (r *Registry) WatchPool(name string, stats func() sql.DBStats) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pools[name] = stats
}

// WriteTo writes every metric in the Prometheus text exposition format 0.0.4.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	help := func(name, typ, text string) { fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, typ) }

	help("gongjian_uptime_seconds", "gauge", "Seconds since the process started.")
	fmt.Fprintf(&b, "gongjian_uptime_seconds %s\n", num(time.Since(r.started).Seconds()))

	help("gongjian_http_requests_total", "counter", "HTTP requests answered, by method, route pattern and status.")
	keys := make([]reqKey, 0, len(r.requests))
	for k := range r.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, c reqKey) int {
		return cmp.Or(cmp.Compare(a.route, c.route), cmp.Compare(a.method, c.method), cmp.Compare(a.status, c.status))
	})
	for _, k := range keys {
		fmt.Fprintf(&b, "gongjian_http_requests_total{method=%s,route=%s,status=\"%d\"} %d\n", quote(k.method), quote(k.route), k.status, r.requests[k])
	}

	help("gongjian_http_request_duration_seconds", "histogram", "Time to answer a request, by route pattern.")
	for _, route := range sortedKeys(r.latency) {
		h := r.latency[route]
		var cum uint64
		for i, le := range buckets {
			cum += h.counts[i]
			fmt.Fprintf(&b, "gongjian_http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", quote(route), num(le), cum)
		}
		fmt.Fprintf(&b, "gongjian_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", quote(route), h.n)
		fmt.Fprintf(&b, "gongjian_http_request_duration_seconds_sum{route=%s} %s\n", quote(route), num(h.sum))
		fmt.Fprintf(&b, "gongjian_http_request_duration_seconds_count{route=%s} %d\n", quote(route), h.n)
	}

	help("gongjian_job_runs_total", "counter", "Runs of background jobs.")
	for _, name := range sortedKeys(r.jobs) {
		fmt.Fprintf(&b, "gongjian_job_runs_total{job=%s} %d\n", quote(name), r.jobs[name].runs)
	}
	help("gongjian_job_failures_total", "counter", "Runs of background jobs that ended in an error.")
	for _, name := range sortedKeys(r.jobs) {
		fmt.Fprintf(&b, "gongjian_job_failures_total{job=%s} %d\n", quote(name), r.jobs[name].failures)
	}
	help("gongjian_job_items_total", "counter", "What background jobs handled, e.g. reminders created and webhooks sent.")
	for _, name := range sortedKeys(r.jobs) {
		j := r.jobs[name]
		for _, kind := range sortedKeys(j.items) {
			fmt.Fprintf(&b, "gongjian_job_items_total{job=%s,kind=%s} %d\n", quote(name), quote(kind), j.items[kind])
		}
	}

	help("gongjian_read_cache_total", "counter", "Dashboard reads answered from the read cache (hit) or computed (miss), by route pattern.")
	ck := slices.Collect(maps.Keys(r.cache))
	slices.SortFunc(ck, func(a, c [2]string) int { return cmp.Or(cmp.Compare(a[0], c[0]), cmp.Compare(a[1], c[1])) })
	for _, k := range ck {
		fmt.Fprintf(&b, "gongjian_read_cache_total{route=%s,outcome=%s} %d\n", quote(k[0]), quote(k[1]), r.cache[k])
	}
	if r.cached != nil {
		entries, size := r.cached()
		help("gongjian_read_cache_entries", "gauge", "Answers kept in the read cache.")
		fmt.Fprintf(&b, "gongjian_read_cache_entries %d\n", entries)
		help("gongjian_read_cache_bytes", "gauge", "Bytes of the answers kept in the read cache.")
		fmt.Fprintf(&b, "gongjian_read_cache_bytes %d\n", size)
	}

	pools := sortedKeys(r.pools)
	stats := make([]sql.DBStats, len(pools))
	for i, p := range pools {
		stats[i] = r.pools[p]()
	}
	gauge := func(name, text string, v func(sql.DBStats) float64) {
		help(name, "gauge", text)
		for i, p := range pools {
			fmt.Fprintf(&b, "%s{pool=%s} %s\n", name, quote(p), num(v(stats[i])))
		}
	}
	gauge("gongjian_db_open_connections", "Open database connections.", func(s sql.DBStats) float64 { return float64(s.OpenConnections) })
	gauge("gongjian_db_in_use_connections", "Database connections in use.", func(s sql.DBStats) float64 { return float64(s.InUse) })
	gauge("gongjian_db_idle_connections", "Idle database connections.", func(s sql.DBStats) float64 { return float64(s.Idle) })
	gauge("gongjian_db_max_open_connections", "The pool's connection limit.", func(s sql.DBStats) float64 { return float64(s.MaxOpenConnections) })
	help("gongjian_db_wait_total", "counter", "Times a caller waited for a free connection.")
	for i, p := range pools {
		fmt.Fprintf(&b, "gongjian_db_wait_total{pool=%s} %d\n", quote(p), stats[i].WaitCount)
	}
	help("gongjian_db_wait_seconds_total", "counter", "Time spent waiting for a free connection.")
	for i, p := range pools {
		fmt.Fprintf(&b, "gongjian_db_wait_seconds_total{pool=%s} %s\n", quote(p), num(stats[i].WaitDuration.Seconds()))
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// quote writes a label value with the escapes the format requires.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// Handler serves the metrics. With a token, a scraper must send
// "Authorization: Bearer <token>"; without one the handler is meant for a
// listener of its own (--metrics-addr) that only the monitoring host reaches.
func (r *Registry) Handler(token string) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if token != "" && subtle.ConstantTimeCompare([]byte(req.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics: missing or wrong token", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = r.WriteTo(w)
	})
}
