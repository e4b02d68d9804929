package api

import (
	"bytes"
	"container/list"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/store"
)

// The read cache keeps the answers of the expensive dashboard reads (lights,
// roll-ups, cockpit, the lists the desk opens first) under the data versions
// of the domains they read (store.Versions), the caller's role and scope, the
// day, and the exact URL. A write to any of those domains — by any process
// on the database — moves a version, so the next read misses and is
// computed afresh: an answer is never older than the data, only spared.
// Dashboards are read far more often than a district writes, and 50 people
// opening the cockpit at nine should not judge 2,000 items 50 times.

// cachedRoutes are the reads kept, by mux pattern, with the domains each
// reads. A route belongs here only when its answer is a function of those
// domains, the caller's account (role, unit, person), the URL and the day,
// and when computing it costs far more than serving a kept copy. One item's
// page (item, milestones, targets) is a few milliseconds to compute and
// there are thousands of them: kept, they pushed the costly dashboards out
// of the cache and made the item page slower, not faster (BENCHMARKS, run 6).
var cachedRoutes = map[string][]string{
	"GET /api/v1/cockpit":              {store.DomainOrg, store.DomainProgress},
	"GET /api/v1/lights":               {store.DomainOrg, store.DomainProgress, store.DomainLedgers},
	"GET /api/v1/rollups":              {store.DomainOrg, store.DomainProgress, store.DomainLedgers},
	"GET /api/v1/items":                {store.DomainOrg, store.DomainProgress},
	"GET /api/v1/cases":                {store.DomainOrg, store.DomainProgress, store.DomainCases},
	"GET /api/v1/ledgers/{id}/figures": {store.DomainOrg, store.DomainProgress, store.DomainLedgers},
	"GET /api/v1/indicator-table":      {store.DomainOrg, store.DomainIndicators},
}

const (
	cacheBytes    = 32 << 20 // the whole cache: a few hundred dashboards
	cacheMaxEntry = 4 << 20  // larger answers are not kept
)

// readCache is a byte-bounded LRU of answers, with one computation per key
// at a time: the clients that ask while it runs wait for its answer.
type readCache struct {
	mu      sync.Mutex
	size    int
	order   *list.List // front = most recently used; values are *cachedAnswer
	entries map[string]*list.Element
	flights map[string]*flight
}

type cachedAnswer struct {
	key    string
	header http.Header
	body   []byte
}

type flight struct {
	done   chan struct{}
	answer *cachedAnswer // nil when the computation gave no answer to keep
}

func newReadCache() *readCache {
	return &readCache{order: list.New(), entries: map[string]*list.Element{}, flights: map[string]*flight{}}
}

// stats is the number of answers kept and their bytes.
func (c *readCache) stats() (entries, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.size
}

// get returns the answer kept under key, or else either a flight to wait for
// or, when no one computes key yet, a flight the caller must land.
func (c *readCache) get(key string) (a *cachedAnswer, wait, own *flight) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cachedAnswer), nil, nil
	}
	if f, ok := c.flights[key]; ok {
		return nil, f, nil
	}
	f := &flight{done: make(chan struct{})}
	c.flights[key] = f
	return nil, nil, f
}

// land ends the caller's flight, keeping a (when not nil) under its key.
func (c *readCache) land(key string, f *flight, a *cachedAnswer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.flights, key)
	f.answer = a
	close(f.done)
	if a == nil || len(a.body) > cacheMaxEntry {
		return
	}
	if e, ok := c.entries[key]; ok {
		c.size -= len(e.Value.(*cachedAnswer).body)
		c.order.Remove(e)
	}
	c.entries[key] = c.order.PushFront(a)
	c.size += len(a.body)
	for c.size > cacheBytes {
		e := c.order.Back()
		old := e.Value.(*cachedAnswer)
		c.order.Remove(e)
		delete(c.entries, old.key)
		c.size -= len(old.body)
	}
}

// cacheKey is everything a cached answer may depend on.
func (s *Server) cacheKey(r *http.Request, a *access.Actor, v store.Versions, domains []string) string {
	var b bytes.Buffer
	b.WriteString(r.URL.Path)
	b.WriteByte('?')
	b.WriteString(r.URL.Query().Encode()) // sorted, so the order of parameters does not matter
	b.WriteString("|lang=")
	b.WriteString(r.Header.Get("Accept-Language"))
	b.WriteString("|actor=")
	b.WriteString(strconv.FormatInt(a.UserID, 10))
	b.WriteByte('/')
	b.WriteString(string(a.Role))
	b.WriteByte('/')
	b.WriteString(strconv.FormatInt(a.UnitID, 10))
	b.WriteByte('/')
	b.WriteString(strconv.FormatInt(a.PersonID, 10))
	b.WriteString("|day=")
	b.WriteString(date.Of(s.deps.Now()).String())
	b.WriteString("|")
	b.WriteString(v.Key(domains...))
	return b.String()
}

// serveCached answers r from the cache, or computes it with next and keeps
// a successful answer. It reports false, having written nothing, when the
// route is not cached or the versions cannot be read.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request, a *access.Actor, next http.Handler) bool {
	if r.Method != http.MethodGet || a == nil || s.cache == nil {
		return false
	}
	_, pattern := s.mux.Handler(r)
	domains, ok := cachedRoutes[pattern]
	if !ok {
		return false
	}
	v, err := s.deps.DB.Versions(r.Context())
	if err != nil {
		return false
	}
	key := s.cacheKey(r, a, v, domains)
	for {
		hit, wait, own := s.cache.get(key)
		switch {
		case hit != nil:
			s.deps.Metrics.ObserveCache(pattern, "hit")
			writeAnswer(w, http.StatusOK, hit.header, hit.body, "hit")
			return true
		case wait != nil:
			select {
			case <-wait.done:
			case <-r.Context().Done():
				return true // the client left
			}
			if wait.answer != nil {
				s.deps.Metrics.ObserveCache(pattern, "hit")
				writeAnswer(w, http.StatusOK, wait.answer.header, wait.answer.body, "hit")
				return true
			}
			// The computation failed or was not kept: try again (and
			// perhaps compute it ourselves), so each caller gets its own error.
			continue
		}
		s.deps.Metrics.ObserveCache(pattern, "miss")
		rec := &bufferedWriter{header: http.Header{}, status: http.StatusOK}
		func() {
			var kept *cachedAnswer
			defer func() { s.cache.land(key, own, kept) }() // also when next panics
			next.ServeHTTP(rec, r)
			if rec.status == http.StatusOK {
				kept = &cachedAnswer{key: key, header: rec.header, body: rec.buf.Bytes()}
			}
		}()
		writeAnswer(w, rec.status, rec.header, rec.buf.Bytes(), "miss")
		return true
	}
}

// writeAnswer sends an answer, kept or just computed; the header values are
// copied so that nothing written to w can reach a kept answer.
func writeAnswer(w http.ResponseWriter, status int, header http.Header, body []byte, how string) {
	for k, vs := range header {
		w.Header()[k] = slices.Clone(vs)
	}
	w.Header().Set("X-Cache", how)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// bufferedWriter holds an answer until it is known whether to keep it.
type bufferedWriter struct {
	header http.Header
	status int
	wrote  bool
	buf    bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(code int) {
	if !b.wrote {
		b.status, b.wrote = code, true
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.wrote = true
	return b.buf.Write(p)
}
