// Package web serves the embedded user interface: the built single-page app
// in dist/, with index.html for every path the app routes itself.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// Handler serves the UI bundle. Files with hashed names are cached for a
// year; index.html is never cached so a new release is picked up at once.
func Handler() http.Handler {
	root, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees dist exists
	}
	files := http.FileServerFS(root)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p == "" || p == "." {
			p = "index.html"
		}
		if _, err := fs.Stat(root, p); err != nil {
			if strings.HasPrefix(p, "assets/") {
				// A bundle file that is not there (e.g. from an older release
				// still open in a tab) must not be answered with index.html: a
				// browser would try to run HTML as a script.
				http.NotFound(w, r)
				return
			}
			// An app route such as /items/12: the app decides what to show.
			p = "index.html"
		}
		if p == "index.html" {
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeFileFS(w, r, root, "index.html")
			return
		}
		if strings.HasPrefix(p, "assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		files.ServeHTTP(w, r)
	})
}
