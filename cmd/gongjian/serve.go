package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"gongjian/internal/api"
	"gongjian/internal/auth"
	"gongjian/internal/briefing"
	"gongjian/internal/campaign"
	"gongjian/internal/casework"
	"gongjian/internal/config"
	"gongjian/internal/demo"
	"gongjian/internal/enterprise"
	"gongjian/internal/indicator"
	"gongjian/internal/ledger"
	"gongjian/internal/metrics"
	"gongjian/internal/notify"
	"gongjian/internal/org"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/web"
)

var errUsage = errors.New("usage")

// parseConfig reads flags and environment for a sub-command; extra lets a
// command add its own flags.
func parseConfig(env cliEnv, name string, args []string, extra func(*flag.FlagSet)) (config.Config, error) {
	cfg := config.Default()
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	if extra != nil {
		extra(fs)
	}
	if err := cfg.Load(fs, args, env.getenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, errUsage
		}
		return cfg, err
	}
	return cfg, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openDB opens and migrates the configured database.
func openDB(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.DB, error) {
	if err := cfg.EnsureDataDir(); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	db, err := store.Open(ctx, cfg.DB, store.Options{})
	if err != nil {
		return nil, err
	}
	if err := backupBeforeMigrating(ctx, db, cfg, log); err != nil {
		db.Close()
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, m := range applied {
		log.Info("migrated", "version", m.Version, "name", m.Name)
	}
	return db, nil
}

type services struct {
	org      *org.Service
	auth     *auth.Service
	campaign *campaign.Service
	progress *progress.Service
	notify   *notify.Service
	extras   demo.Extras
	briefing *briefing.Service
}

func newServices(db *store.DB, cfg config.Config) services {
	brief := briefing.New(db)
	return services{org: org.New(db), auth: auth.New(db, cfg.SessionIdle, cfg.SessionMax), campaign: campaign.New(db), progress: progress.New(db),
		notify: notify.New(db, notify.HTTPSender{Client: &http.Client{Timeout: 10 * time.Second}}, nil),
		extras: demo.Extras{Cases: casework.New(db), Indicators: indicator.New(db), Ledgers: ledger.New(db), Enterprises: enterprise.New(db),
			Briefings: brief},
		briefing: brief}
}

// cmdServe runs the server until ctx ends; with withDemo it first loads the
// demo district and prints how to sign in.
func cmdServe(ctx context.Context, env cliEnv, args []string, withDemo bool) error {
	name := "serve"
	if withDemo {
		name = "demo"
	}
	cfg, err := parseConfig(env, name, args, nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg, env.stderr)
	start := time.Now()
	if limit, _ := cfg.MemoryLimitBytes(); limit > 0 { // validated by parseConfig
		debug.SetMemoryLimit(limit)
		log.Info("memory limit", "bytes", limit)
	}
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := newServices(db, cfg)
	if withDemo {
		sum, err := demo.Load(ctx, demo.Services{DB: db, Org: svc.org, Auth: svc.auth, Campaign: svc.campaign}, demo.Data())
		if err != nil {
			return fmt.Errorf("载入演示数据: %w", err)
		}
		n, err := demo.LoadReports(ctx, db, svc.progress, sum.CampaignID)
		if err != nil {
			return fmt.Errorf("载入演示填报: %w", err)
		}
		if err := demo.LoadExtras(ctx, demo.Services{DB: db, Org: svc.org, Auth: svc.auth, Campaign: svc.campaign}, svc.extras, sum); err != nil {
			return fmt.Errorf("载入演示数据: %w", err)
		}
		log.Info("demo district loaded", "created", sum.Created, "already_there", sum.Existing, "reports_filed", n)
	}
	reg := metrics.New()
	for name, stats := range db.Pools() {
		reg.WatchPool(name, stats)
	}
	srv := api.New(api.Deps{Metrics: reg, MetricsToken: cfg.MetricsToken, NoReadCache: cfg.ReadCache == "off", DB: db, Log: log, Auth: svc.auth, Org: svc.org, Campaign: svc.campaign, Progress: svc.progress, Notify: svc.notify,
		Cases: svc.extras.Cases, Indicators: svc.extras.Indicators, Ledgers: svc.extras.Ledgers, Enterprises: svc.extras.Enterprises, Briefings: svc.briefing,
		Version: version, UI: web.Handler()})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	// The metrics listener is up before "serving" is logged, so whoever waits
	// for that line (systemd, tests) finds both addresses ready.
	errc := make(chan error, 2)
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("listen on %s for metrics: %w", cfg.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", reg.Handler(cfg.MetricsToken))
		ms := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		log.Info("serving metrics", "url", "http://"+mln.Addr().String()+"/metrics")
		go func() { errc <- ms.Serve(mln) }()
		defer ms.Close()
	}
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	}
	url := fmt.Sprintf("%s://%s", scheme, ln.Addr().String())
	log.Info("serving", "url", url, "db", string(db.Engine()), "ready_in", time.Since(start).String())
	if withDemo {
		printDemo(env.stdout, demo.Data(), url)
	}
	if cfg.JobInterval > 0 {
		host, _ := os.Hostname()
		runner := notify.Runner{Service: svc.notify, DB: db, Metrics: reg, Jobs: []notify.Job{caseDeadlines(svc.extras.Cases)}, Holder: fmt.Sprintf("%s:%d", host, os.Getpid()), Interval: cfg.JobInterval, Log: log}
		if cfg.SMTPAddr != "" {
			svc.notify.SetMailer(notify.SMTPMailer{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, TLS: cfg.SMTPTLS})
		}
		go runner.Run(ctx)
	}
	go func() {
		if cfg.TLSCert != "" {
			errc <- hs.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}

func printDemo(w io.Writer, d demo.District, url string) {
	var b strings.Builder
	fmt.Fprintf(&b, "\n攻坚 Gongjian 演示区县已就绪：%s\n\n演示账号（每个角色一个）：\n", url)
	for _, a := range d.Accounts {
		fmt.Fprintf(&b, "  %-12s %-14s 密码 %s  (%s)\n", a.Role, a.Username, a.Password, a.DisplayName)
	}
	b.WriteString("\n按 Ctrl+C 停止。\n")
	fmt.Fprint(w, b.String())
}

// caseDeadlines is casework's time-limit job: warnings, overdue marks and
// escalations to the responsible leader, once each.
func caseDeadlines(cases *casework.Service) notify.Job {
	return notify.Job{Name: "case_deadlines", Run: func(ctx context.Context) (map[string]int, error) {
		r, err := cases.CheckDeadlines(ctx)
		return map[string]int{"warned": r.Warned, "overdue": r.Overdue, "escalated": r.Escalated}, err
	}}
}

// backupBeforeMigrating snapshots a SQLite database that has data and steps
// pending, next to the file, so an upgrade that goes wrong can be undone with
// `gongjian restore`. PostgreSQL operators back up with their own tools.
func backupBeforeMigrating(ctx context.Context, db *store.DB, cfg config.Config, log *slog.Logger) error {
	if cfg.IsPostgres() {
		return nil
	}
	cur, err := db.SchemaVersion(ctx)
	if err != nil || cur == 0 {
		return err
	}
	pending, err := db.Pending(ctx)
	if err != nil || len(pending) == 0 {
		return err
	}
	path := fmt.Sprintf("%s.before-%04d-%s.db", strings.TrimPrefix(cfg.DB, "sqlite:"), pending[0].Version, time.Now().UTC().Format("20060102T150405Z"))
	if err := db.Backup(ctx, path); err != nil {
		return fmt.Errorf("升级前备份 %s 失败，未执行迁移: %w", path, err)
	}
	log.Info("backed up before migrating", "file", path, "schema_version", cur, "pending", len(pending))
	return nil
}

// openRaw opens an existing database without migrating, for tools that
// inspect it; a mistyped SQLite path is an error, not a new empty file.
func openRaw(ctx context.Context, cfg config.Config) (*store.DB, error) {
	if !cfg.IsPostgres() {
		if _, err := os.Stat(strings.TrimPrefix(cfg.DB, "sqlite:")); err != nil {
			return nil, fmt.Errorf("数据库文件 %s 不存在", cfg.DB)
		}
	}
	return store.Open(ctx, cfg.DB, store.Options{})
}
