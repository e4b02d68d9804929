// Package api is the HTTP JSON interface under /api/v1: thin handlers that
// parse, authorise, call a feature package and respond. The OpenAPI document
// is generated from these handlers' own types, so it cannot drift.
package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"gongjian/internal/access"
	"gongjian/internal/auth"
	"gongjian/internal/briefing"
	"gongjian/internal/campaign"
	"gongjian/internal/casework"
	"gongjian/internal/enterprise"
	"gongjian/internal/indicator"
	"gongjian/internal/ledger"
	"gongjian/internal/metrics"
	"gongjian/internal/notify"
	"gongjian/internal/org"
	"gongjian/internal/progress"
	"gongjian/internal/store"
)

// Version is the API document's version.
const Version = "1.0.0"

// Deps are what the API needs; main builds them once.
type Deps struct {
	DB          *store.DB
	Log         *slog.Logger
	Auth        *auth.Service
	Org         *org.Service
	Campaign    *campaign.Service
	Progress    *progress.Service
	Notify      *notify.Service
	Cases       *casework.Service
	Indicators  *indicator.Service
	Ledgers     *ledger.Service
	Enterprises *enterprise.Service
	Briefings   *briefing.Service
	Now         func() time.Time // the clock; time.Now unless a test says otherwise
	Version     string           // build version for /healthz
	UI          http.Handler     // the embedded web UI, served for every non-API path; nil for none
	// Metrics counts requests; nil counts nothing. With MetricsToken set,
	// GET /metrics on this server answers scrapers that send the token.
	Metrics      *metrics.Registry
	MetricsToken string
	// NoReadCache turns the read cache off (cache.go): every read is
	// computed, as the benchmarks of its cost need.
	NoReadCache bool
}

// Server is the HTTP handler with its OpenAPI description.
type Server struct {
	deps    Deps
	mux     *http.ServeMux
	api     huma.API
	handler http.Handler
	logins  *failureLimiter // failed sign-ins per address
	cache   *readCache      // nil when Deps.NoReadCache
}

// New builds the router with every route and middleware.
func New(d Deps) *Server {
	installHumaErrors()
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &Server{deps: d, mux: http.NewServeMux(), logins: newFailureLimiter(20, 15*time.Minute)}
	if !d.NoReadCache {
		s.cache = newReadCache()
		d.Metrics.WatchCache(s.cache.stats)
	}
	cfg := huma.DefaultConfig("Gongjian 攻坚 API", Version)
	cfg.Info.Description = "重点工作攻坚平台接口。所有 /api/v1 接口须先登录（会话 Cookie）。错误为 application/problem+json。"
	cfg.OpenAPIPath = "/api/openapi"
	cfg.DocsPath = "" // huma's docs page loads scripts from a CDN; we are offline
	cfg.SchemasPath = ""
	cfg.CreateHooks = nil // no $schema links in bodies
	cfg.Components.Schemas = huma.NewMapRegistry("#/components/schemas/", schemaNamer())
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"session": {Type: "apiKey", In: "cookie", Name: auth.CookieName},
	}
	s.api = humago.New(s.mux, cfg)
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	if d.Metrics != nil && d.MetricsToken != "" {
		s.mux.Handle("GET /metrics", d.Metrics.Handler(d.MetricsToken))
	}
	s.routes()
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeProblem(w, &Problem{Type: "about:blank", Title: "Not Found", Status: http.StatusNotFound,
			Detail: "没有这个接口：" + r.Method + " " + r.URL.Path, Key: "not_found", RequestID: requestID(r.Context())})
	})
	if d.UI != nil {
		s.mux.Handle("/", d.UI)
	}
	s.handler = s.middleware(s.mux)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// OpenAPI returns the generated document.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

func (s *Server) routes() {
	s.authRoutes()
	s.accountRoutes()
	s.orgRoutes()
	s.campaignRoutes()
	s.itemRoutes()
	s.itemExportRoutes()
	s.cockpitRoutes()
	s.progressRoutes()
	s.photoRoutes()
	s.extensionRoutes()
	s.auditRoutes()
	s.exportRoutes()
	s.listExportRoutes()
	s.importRoutes()
	s.notifyRoutes()
	s.caseRoutes()
	s.indicatorRoutes()
	s.ledgerRoutes()
	s.enterpriseRoutes()
	s.briefingRoutes()
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ok","version":"` + s.deps.Version + `"}`))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	if err := s.deps.DB.Ping(ctx); err != nil {
		s.deps.Log.WarnContext(ctx, "not ready", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"status":"unavailable","database":"unreachable"}`))
		return
	}
	_, _ = w.Write([]byte(`{"status":"ready","database":"` + string(s.deps.DB.Engine()) + `"}`))
}

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyRequest
)

func requestID(ctx context.Context) string {
	v, _ := ctx.Value(keyRequestID).(string)
	return v
}

// reqInfo is what handlers may need of the raw request.
type reqInfo struct {
	IP, UserAgent string
	TLS           bool
}

func requestInfo(ctx context.Context) reqInfo {
	v, _ := ctx.Value(keyRequest).(reqInfo)
	return v
}

// publicPaths need no session under /api/v1.
var publicPaths = map[string]bool{"/api/v1/auth/login": true}

// middleware adds, outermost first: request id and access log, security
// headers, cross-origin protection for writes, and the session check that
// keeps every /api/v1 route closed to anonymous callers.
func (s *Server) middleware(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	protected := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rid := newRequestID()
		w.Header().Set("X-Request-ID", rid)
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		info := reqInfo{IP: clientIP(r), UserAgent: r.UserAgent(), TLS: r.TLS != nil}
		ctx := context.WithValue(context.WithValue(r.Context(), keyRequestID, rid), keyRequest, info)
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		var actor *access.Actor
		if strings.HasPrefix(r.URL.Path, "/api/v1/") {
			var err error
			actor, err = s.deps.Auth.Authenticate(ctx, sessionToken(r), info.IP)
			if err != nil && !publicPaths[r.URL.Path] {
				s.writeProblem(rec, problemOf(ctx, s.deps.Log, err))
				s.logRequest(ctx, r, rec.status, start, nil)
				return
			}
			if actor != nil {
				ctx = access.With(ctx, actor)
			}
		}
		inner := r.WithContext(ctx)
		if !s.serveCached(rec, inner, actor, protected) {
			protected.ServeHTTP(rec, inner)
		}
		// The mux wrote the matched pattern into the request it was given.
		s.logRequest(ctx, inner, rec.status, start, actor)
	})
}

func (s *Server) logRequest(ctx context.Context, r *http.Request, status int, start time.Time, a *access.Actor) {
	took := time.Since(start)
	route := r.Pattern
	if route == "" { // answered before routing (e.g. 401): ask the mux which route it was for
		_, route = s.mux.Handler(r)
	}
	s.deps.Metrics.ObserveRequest(r.Method, route, status, took)
	attrs := []any{"method", r.Method, "route", route, "path", r.URL.Path, "status", status,
		"ms", float64(took.Microseconds()) / 1000, "request_id", requestID(ctx)}
	if a != nil {
		attrs = append(attrs, "user_id", a.UserID)
	}
	s.deps.Log.InfoContext(ctx, "request", attrs...)
}

func (s *Server) writeProblem(w http.ResponseWriter, p *Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = jsonEncode(w, p)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the real writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(auth.CookieName); err == nil {
		return c.Value
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimPrefix(h, "Bearer ")
	}
	return ""
}

// schemaNamer names schemas like huma does, but gives a second Go type with
// the same name (xlsx.Problem next to our Problem, ListOf[indicator.Revision]
// next to ListOf[progress.Revision]) a distinct name instead of panicking:
// Sheet for xlsx, else the name followed by 2, 3 … in registration order.
func schemaNamer() func(t reflect.Type, hint string) string {
	names := map[string]reflect.Type{}
	given := map[reflect.Type]string{}
	return func(t reflect.Type, hint string) string {
		n := huma.DefaultSchemaNamer(t, hint)
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if g, ok := given[t]; ok {
			return g
		}
		if other, ok := names[n]; ok && other != t {
			base := n
			if t.PkgPath() == "gongjian/internal/xlsx" {
				base = "Sheet" + n
			}
			n = base
			for i := 2; names[n] != nil; i++ {
				n = fmt.Sprintf("%s%d", base, i)
			}
		}
		names[n], given[t] = t, n
		return n
	}
}
