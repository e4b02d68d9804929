// Package loadtest is a small HTTP load generator for a Gongjian server on
// this machine (`gongjian load`, `make bench`): it signs in, finds a
// generated district (`gongjian gen --scale district`), and runs the main
// reads and writes one scenario at a time with C concurrent clients, each
// sending its next request as soon as the last is answered, for N requests or
// T seconds, whichever comes first. It prints per scenario the latency
// percentiles, the throughput, the errors and the server's peak memory.
//
// Next to each read it can run "raw": the main SQL statements of the same
// read (raw.go), straight on the database with the same concurrency, so that
// what Gongjian adds over the engine shows as a ratio.
//
// It refuses any target but 127.0.0.1 / localhost / ::1: it is a benchmark
// tool, not a way to load someone else's server.
package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config is one load run.
type Config struct {
	BaseURL   string // http://127.0.0.1:PORT
	Username  string // a supervisor of the district (gen: <prefix>-supervisor)
	Password  string
	Campaign  int64         // 0: the newest generated campaign (…-GJN)
	Clients   int           // concurrent clients per scenario (scenarios may cap it, see scenario.clients)
	Requests  int           // at most this many requests per scenario (0: no limit)
	Duration  time.Duration // at most this long per scenario (0: no limit)
	Scenarios []string      // names, or nil for every scenario
	ServerPID int           // >0: read its peak RSS from /proc
	DSN       string        // the server's database: enables raw runs of the reads
	Raw       bool
	Log       io.Writer // progress; nil: none
}

// Result is one scenario's figures.
type Result struct {
	Scenario   string
	Write      bool
	Clients    int
	Requests   int // answered, errors included
	Errors     int
	FirstError string
	P50, P99   time.Duration
	Max        time.Duration
	Wall       time.Duration
	PerSecond  float64
	PeakRSSKiB int64 // the server's VmHWM after the scenario (peak since it started); 0: unknown
	Beside     int   // writes made beside the measured reads (scenarios that write while reading)
	Raw        *Result
}

// CheckLocal refuses any URL whose host is not 127.0.0.1, ::1 or localhost.
func CheckLocal(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("地址 %q 无效，应为 http://127.0.0.1:端口", raw)
	}
	switch h := u.Hostname(); h {
	case "127.0.0.1", "::1", "localhost":
		return nil
	default:
		if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
			return nil
		}
		return fmt.Errorf("只能对本机（127.0.0.1 或 localhost）施压，拒绝 %q", h)
	}
}

// Run signs in, prepares the scenarios and runs them one after the other.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	if err := CheckLocal(cfg.BaseURL); err != nil {
		return nil, err
	}
	if cfg.Clients < 1 || cfg.Clients > 1000 {
		return nil, fmt.Errorf("并发客户端数 %d 超出范围（1–1000）", cfg.Clients)
	}
	if cfg.Requests <= 0 && cfg.Duration <= 0 {
		return nil, errors.New("须限定请求数或时长")
	}
	picked, err := pick(cfg.Scenarios)
	if err != nil {
		return nil, err
	}
	e, err := newEnv(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer e.close()
	var out []Result
	for _, sc := range picked {
		r, err := e.run(ctx, sc)
		if err != nil {
			return out, fmt.Errorf("%s: %w", sc.name, err)
		}
		out = append(out, r)
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}

func pick(names []string) ([]*scenario, error) {
	if len(names) == 0 {
		return scenarios, nil
	}
	var out []*scenario
	for _, n := range names {
		i := slices.IndexFunc(scenarios, func(s *scenario) bool { return s.name == n })
		if i < 0 {
			var all []string
			for _, s := range scenarios {
				all = append(all, s.name)
			}
			return nil, fmt.Errorf("没有场景 %q，可选：%s", n, strings.Join(all, ", "))
		}
		out = append(out, scenarios[i])
	}
	return out, nil
}

// Names lists the scenarios in the order they run.
func Names() []string {
	var out []string
	for _, s := range scenarios {
		out = append(out, s.name)
	}
	return out
}

// client is the signed-in HTTP side, shared by the virtual clients (one
// session, one connection per client kept alive).
type client struct {
	base string
	hc   *http.Client
}

// ErrStatus is an answer other than the expected 2xx.
type ErrStatus struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *ErrStatus) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, e.Body)
}

// do sends a request with a JSON body (nil: none) and decodes a JSON answer
// into v (nil: discard). It returns the ETag.
func (c *client) do(ctx context.Context, method, path string, ifMatch string, body, v any) (string, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return "", err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return "", err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 400))
		return "", &ErrStatus{method, path, res.StatusCode, strings.TrimSpace(string(b))}
	}
	if v == nil {
		_, err = io.Copy(io.Discard, res.Body)
		return res.Header.Get("ETag"), err
	}
	return res.Header.Get("ETag"), json.NewDecoder(res.Body).Decode(v)
}

func (c *client) get(ctx context.Context, path string, v any) error {
	_, err := c.do(ctx, http.MethodGet, path, "", nil, v)
	return err
}

func signIn(ctx context.Context, base, user, password string, conns int) (*client, error) {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{MaxIdleConns: conns + 4, MaxIdleConnsPerHost: conns + 4, IdleConnTimeout: time.Minute,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	c := &client{base: strings.TrimRight(base, "/"), hc: &http.Client{Jar: jar, Transport: tr, Timeout: 2 * time.Minute}}
	if _, err := c.do(ctx, http.MethodPost, "/api/v1/auth/login", "", map[string]string{"username": user, "password": password}, nil); err != nil {
		return nil, fmt.Errorf("登录 %s: %w", user, err)
	}
	return c, nil
}

// run runs one scenario (and its raw twin) and collects its figures.
func (e *env) run(ctx context.Context, sc *scenario) (Result, error) {
	clients := e.cfg.Clients
	if sc.clients > 0 && sc.clients < clients {
		clients = sc.clients
	}
	requests := e.cfg.Requests
	if sc.requests > 0 && (requests <= 0 || sc.requests < requests) {
		requests = sc.requests
	}
	if sc.timed && e.cfg.Duration > 0 {
		requests = 0
	}
	op, err := sc.prepare(ctx, e, clients)
	if err != nil {
		return Result{}, err
	}
	e.logf("%-16s %d 个客户端 …", sc.name, clients)
	type beside struct {
		writes int
		err    error
	}
	var bg chan beside
	bctx, stopBG := context.WithCancel(ctx)
	defer stopBG()
	if sc.during != nil {
		bg = make(chan beside, 1)
		go func() {
			n, err := sc.during(bctx, e)
			bg <- beside{n, err}
		}()
	}
	r := drive(ctx, clients, requests, e.cfg.Duration, op)
	if bg != nil {
		stopBG()
		b := <-bg
		if b.err != nil {
			return Result{}, fmt.Errorf("beside the reads: %w", b.err)
		}
		e.logf("%-16s %d writes beside the reads", sc.name, b.writes)
		r.Beside = b.writes
	}
	r.Scenario, r.Write = sc.name, sc.write
	r.PeakRSSKiB = peakRSS(e.cfg.ServerPID)
	e.logf("%-16s %s", sc.name, r.line())
	if e.raw != nil && sc.raw != nil {
		q := sc.raw(e)
		rr := drive(ctx, clients, requests, e.cfg.Duration, func(ctx context.Context, _, i int) error { return e.raw.run(ctx, q(i)) })
		rr.Scenario = sc.name + " (raw SQL)"
		r.Raw = &rr
		e.logf("%-16s %s", "  raw SQL", rr.line())
	}
	return r, nil
}

// drive runs op from `clients` goroutines until `requests` were sent or
// `limit` passed, and measures each call. At the limit no new request
// starts, but those under way may finish (for at most overrun more), so a
// slow read still reports what each client waited.
func drive(ctx context.Context, clients, requests int, limit time.Duration, op func(ctx context.Context, client, i int) error) Result {
	stop := ctx
	if limit > 0 {
		var cancel context.CancelFunc
		stop, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
		ctx, cancel = context.WithTimeout(ctx, limit+overrun)
		defer cancel()
	}
	var sent atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var nerr int
	var first string
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			var errs int
			var firstErr string
			for i := 0; stop.Err() == nil; i++ {
				if n := sent.Add(1); requests > 0 && n > int64(requests) {
					break
				}
				t := time.Now()
				err := op(ctx, c, i)
				if ctx.Err() != nil && err != nil {
					break // cut off by the hard limit: not counted
				}
				mine = append(mine, time.Since(t))
				if err != nil {
					errs++
					if firstErr == "" {
						firstErr = err.Error()
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			nerr += errs
			if first == "" {
				first = firstErr
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	r := Result{Clients: clients, Requests: len(lat), Errors: nerr, FirstError: first, Wall: time.Since(start)}
	if len(lat) > 0 {
		slices.Sort(lat)
		r.P50, r.P99, r.Max = percentile(lat, 50), percentile(lat, 99), lat[len(lat)-1]
		r.PerSecond = float64(len(lat)) / r.Wall.Seconds()
	}
	return r
}

// overrun is how long requests under way at a scenario's time limit may
// still take.
const overrun = 3 * time.Minute

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	k := (len(sorted)*p + 99) / 100
	return sorted[min(max(k, 1), len(sorted))-1]
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 1, 64) }

func (r Result) line() string {
	s := fmt.Sprintf("%6d 次  p50 %7s ms  p99 %7s ms  max %7s ms  %8.1f 次/秒  错误 %d", r.Requests, ms(r.P50), ms(r.P99), ms(r.Max), r.PerSecond, r.Errors)
	if r.PeakRSSKiB > 0 {
		s += fmt.Sprintf("  服务端峰值内存 %d MiB", r.PeakRSSKiB/1024)
	}
	if r.FirstError != "" {
		s += "  首个错误：" + r.FirstError
	}
	return s
}

// peakRSS reads VmHWM (peak resident set) of a process, in KiB.
func peakRSS(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// PeakRSS is the peak resident memory of a process in KiB (0: unknown).
func PeakRSS(pid int) int64 { return peakRSS(pid) }

// Table writes the results as a Markdown table.
func Table(w io.Writer, rs []Result) {
	fmt.Fprintln(w, "| scenario | kind | clients | requests | errors | p50 ms | p99 ms | max ms | req/s | raw p50 ms | raw p99 ms | raw req/s | p99 ÷ raw p99 | server peak RSS MiB |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		kind := "read"
		if r.Write {
			kind = "write"
		}
		if r.Beside > 0 {
			kind = fmt.Sprintf("read, %d writes beside", r.Beside)
		}
		rawP50, rawP99, rawRate, ratio := "", "", "", ""
		if r.Raw != nil && r.Raw.Requests > 0 {
			rawP50, rawP99, rawRate = ms(r.Raw.P50), ms(r.Raw.P99), fmt.Sprintf("%.0f", r.Raw.PerSecond)
			if r.Raw.P99 > 0 {
				ratio = fmt.Sprintf("%.1f×", float64(r.P99)/float64(r.Raw.P99))
			}
		}
		rss := ""
		if r.PeakRSSKiB > 0 {
			rss = strconv.FormatInt(r.PeakRSSKiB/1024, 10)
		}
		fmt.Fprintf(w, "| %s | %s | %d | %d | %d | %s | %s | %s | %.1f | %s | %s | %s | %s | %s |\n", r.Scenario, kind, r.Clients, r.Requests, r.Errors,
			ms(r.P50), ms(r.P99), ms(r.Max), r.PerSecond, rawP50, rawP99, rawRate, ratio, rss)
	}
}
