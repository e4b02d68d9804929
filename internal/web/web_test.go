package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	h := Handler()
	var asset string
	_ = fs.WalkDir(dist, "dist/assets", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && asset == "" && strings.HasSuffix(p, ".js") {
			asset = strings.TrimPrefix(p, "dist")
		}
		return nil
	})
	if asset == "" {
		t.Fatal("the embedded bundle has no assets/*.js")
	}
	for _, tc := range []struct {
		path, wantType, wantCache string
		status                    int
	}{
		{"/", "text/html", "no-cache", 200},
		{"/items/12", "text/html", "no-cache", 200}, // an app route gets the app
		{asset, "javascript", "immutable", 200},
		{"/assets/gone-0000.js", "", "", 404}, // never HTML for a missing script
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, rec.Code, tc.status)
			continue
		}
		if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, tc.wantType) {
			t.Errorf("%s: Content-Type %q, want %q", tc.path, ct, tc.wantType)
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, tc.wantCache) {
			t.Errorf("%s: Cache-Control %q, want %q", tc.path, cc, tc.wantCache)
		}
	}
}
