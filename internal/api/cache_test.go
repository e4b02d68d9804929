package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"gongjian/internal/api"
	"gongjian/internal/metrics"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

type rollupCounts struct {
	Items []struct {
		Items int `json:"items"`
		Green int `json:"green"`
		Red   int `json:"red"`
	} `json:"items"`
}

func cacheState(t *testing.T, r *response) string {
	t.Helper()
	return r.res.Header.Get("X-Cache")
}

// The dashboard reads are kept, and every write to what they read shows on
// the next read: a light override moves the roll-up at once; a case (which
// the roll-ups do not read) leaves it kept; each scope has its own answer.
func TestReadCacheFollowsTheData(t *testing.T) {
	var mu sync.Mutex
	var ahead time.Duration // the API's clock runs with the services' (real) one, ahead by this
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return time.Now().Add(ahead) }
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		reg := metrics.New()
		srv, _ := demoServer(t, db, func(d *api.Deps) { d.Now, d.Metrics = clock, reg })
		e := &env{t: t, db: db, srv: srv}
		sup, zjj := e.login("duchashi"), e.login("zhujianju")
		var camps struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		sup.do("GET", "/api/v1/campaigns", nil).status(http.StatusOK).json(&camps)
		c := camps.Items[0].ID
		path := fmt.Sprintf("/api/v1/rollups?campaign_id=%d&by=campaign", c)
		first := sup.do("GET", path, nil).status(http.StatusOK)
		again := sup.do("GET", fmt.Sprintf("/api/v1/rollups?by=campaign&campaign_id=%d", c), nil).status(http.StatusOK)
		if cacheState(t, first) != "miss" || cacheState(t, again) != "hit" || !bytes.Equal(first.body, again.body) {
			t.Fatalf("first read %q, the same read again %q (same body: %v); want miss, then hit with the same body",
				cacheState(t, first), cacheState(t, again), bytes.Equal(first.body, again.body))
		}
		var before rollupCounts
		first.json(&before)
		var m strings.Builder
		if _, err := reg.WriteTo(&m); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`gongjian_read_cache_total{route="GET /api/v1/rollups",outcome="hit"} 1`,
			`gongjian_read_cache_total{route="GET /api/v1/rollups",outcome="miss"} 1`, "gongjian_read_cache_entries 1"} {
			if !strings.Contains(m.String(), want) {
				t.Errorf("metrics lack %s:\n%s", want, m.String())
			}
		}

		// A reporter sees only its unit's items: its own answer, not the supervisor's.
		var mine rollupCounts
		r := zjj.do("GET", path, nil).status(http.StatusOK).json(&mine)
		if cacheState(t, r) != "miss" || mine.Items[0].Items >= before.Items[0].Items {
			t.Errorf("reporter's roll-up (%s): %d items; the supervisor's has %d", cacheState(t, r), mine.Items[0].Items, before.Items[0].Items)
		}

		// Signing in writes a session, not what the roll-ups read: still kept.
		e.login("quzhang")
		if r := sup.do("GET", path, nil).status(http.StatusOK); cacheState(t, r) != "hit" {
			t.Errorf("after someone signed in the roll-up was %q, want hit", cacheState(t, r))
		}

		// A new case is not read by the roll-ups: still kept.
		var unit struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		sup.do("GET", "/api/v1/units?q=ZJJ", nil).status(http.StatusOK).json(&unit)
		sup.do("POST", "/api/v1/cases", map[string]any{"type": "problem", "title": "缓存测试：与亮灯无关的问题", "deadline": future(10),
			"assignees": []map[string]any{{"unit_id": unit.Items[0].ID}}}).status(http.StatusCreated)
		if r := sup.do("GET", path, nil).status(http.StatusOK); cacheState(t, r) != "hit" {
			t.Errorf("after a new case the roll-up was %q, want hit", cacheState(t, r))
		}

		// A green item turned red by hand: the next read counts it.
		var green struct {
			Items []struct {
				ItemID int64 `json:"item_id"`
			} `json:"items"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/lights?campaign_id=%d&light=green&page_size=1", c), nil).status(http.StatusOK).json(&green)
		if len(green.Items) == 0 {
			t.Fatal("the demo has no green item")
		}
		sup.do("PUT", fmt.Sprintf("/api/v1/items/%d/light-override", green.Items[0].ItemID),
			map[string]any{"light": "red", "reason": "缓存测试：现场督查发现停工"}).status(http.StatusNoContent)
		var after rollupCounts
		r = sup.do("GET", path, nil).status(http.StatusOK).json(&after)
		if cacheState(t, r) != "miss" || after.Items[0].Red != before.Items[0].Red+1 || after.Items[0].Green != before.Items[0].Green-1 {
			t.Errorf("after the override (%s): red %d → %d, green %d → %d; want one more red, one fewer green",
				cacheState(t, r), before.Items[0].Red, after.Items[0].Red, before.Items[0].Green, after.Items[0].Green)
		}

		// The next day is another answer (lights are judged at a day).
		if r := sup.do("GET", path, nil); cacheState(t, r) != "hit" {
			t.Fatalf("same day, no write: %q, want hit", cacheState(t, r))
		}
		mu.Lock()
		ahead += 24 * time.Hour
		mu.Unlock()
		if r := sup.do("GET", path, nil); cacheState(t, r) != "miss" {
			t.Errorf("the next day: %q, want miss", cacheState(t, r))
		}

		// Errors are not kept.
		bad := "/api/v1/rollups?campaign_id=999999&by=campaign"
		for range 2 {
			if r := sup.do("GET", bad, nil); r.res.StatusCode == http.StatusOK || cacheState(t, r) == "hit" {
				t.Errorf("unknown campaign: %d %q", r.res.StatusCode, cacheState(t, r))
			}
		}
	})
}

// A kept answer is the answer: the same bytes and content type as the read
// computed afresh by a server without the cache, on the same data.
func TestReadCacheOffGivesTheSameAnswers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		on, _ := demoServer(t, db)
		off, _ := demoServer(t, db, func(d *api.Deps) { d.NoReadCache = true })
		sup := (&env{t: t, db: db, srv: on}).login("duchashi")
		fresh := &client{e: &env{t: t, db: db, srv: off}, cookie: sup.cookie} // the same session, on the other server
		for _, p := range []string{"/api/v1/cockpit?campaign_id=1", "/api/v1/lights?campaign_id=1&page_size=5", "/api/v1/items?page_size=5",
			"/api/v1/rollups?campaign_id=1&by=zone", "/api/v1/cases?overdue=true", "/api/v1/indicator-table"} {
			sup.do("GET", p, nil).status(http.StatusOK)
			kept := sup.do("GET", p, nil).status(http.StatusOK)
			got := fresh.do("GET", p, nil).status(http.StatusOK)
			if cacheState(t, kept) != "hit" || cacheState(t, got) != "" {
				t.Errorf("%s: X-Cache %q with the cache, %q without; want hit and none", p, cacheState(t, kept), cacheState(t, got))
			}
			if !bytes.Equal(kept.body, got.body) || kept.res.Header.Get("Content-Type") != got.res.Header.Get("Content-Type") {
				t.Errorf("%s: the kept answer differs from the computed one:\n%s\n%s", p, kept.body, got.body)
			}
		}
	})
}
