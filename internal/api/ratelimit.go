package api

import (
	"sync"
	"time"
)

// failureLimiter counts failed sign-ins per client address in a fixed window,
// so one address cannot try passwords across many accounts. It lives in the
// Server (per process); the per-account lock-out in the database covers the
// case of several processes.
type failureLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	seen   map[string]*failWindow
}

type failWindow struct {
	start time.Time
	n     int
}

func newFailureLimiter(max int, window time.Duration) *failureLimiter {
	return &failureLimiter{max: max, window: window, seen: map[string]*failWindow{}}
}

// blocked reports whether key has used up its failures in the current window.
func (l *failureLimiter) blocked(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.seen[key]
	return w != nil && now.Sub(w.start) < l.window && w.n >= l.max
}

// fail counts one failure for key, and forgets stale windows now and then.
func (l *failureLimiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.seen[key]
	if w == nil || now.Sub(w.start) >= l.window {
		if len(l.seen) > 10000 {
			for k, v := range l.seen {
				if now.Sub(v.start) >= l.window {
					delete(l.seen, k)
				}
			}
		}
		w = &failWindow{start: now}
		l.seen[key] = w
	}
	w.n++
}
