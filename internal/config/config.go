// Package config builds the one typed configuration from flags and GONGJIAN_*
// environment variables. It is validated once and passed down; nothing reads
// the environment anywhere else.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything a server process needs to know.
type Config struct {
	DB          string        // SQLite file path or postgres:// URL
	Addr        string        // host:port to listen on
	LogFormat   string        // text or json
	LogLevel    string        // debug, info, warn, error
	SessionIdle time.Duration // a session unused this long ends
	SessionMax  time.Duration // a session ends this long after sign-in, used or not
	TLSCert     string        // certificate file; with TLSKey serves HTTPS
	TLSKey      string
	Lang        string        // default language of messages: zh-CN or en
	JobInterval time.Duration // how often reminders are looked for and webhooks sent; 0 turns the jobs off
	// MetricsAddr, when set, serves /metrics on a listener of its own.
	MetricsAddr string
	// MetricsToken, when set, is the bearer token scrapers must send; it
	// also opens GET /metrics on the main address.
	MetricsToken string
	// SMTP sends the campaigns' e-mail channel: server host:port, sender,
	// optional PLAIN login, and starttls (default), tls or none.
	SMTPAddr, SMTPFrom, SMTPUsername, SMTPPassword, SMTPTLS string
	// ReadCache is on or off: the cache of dashboard reads under the data
	// versions (off only to measure what a read costs uncached).
	ReadCache string
	// MemoryLimit is the Go runtime's soft memory limit, e.g. "180MiB"; the
	// collector works harder as the heap nears it, so brief peaks (a
	// briefing, a large import) are returned sooner. "off" leaves the
	// runtime's own setting (GOMEMLIMIT, or none).
	MemoryLimit string
	// File is the optional configuration file the values were read from.
	File string
}

// Default returns the zero-setup configuration: a SQLite file in ./data.
func Default() Config {
	return Config{
		DB:          "data/gongjian.db",
		Addr:        "127.0.0.1:8080",
		LogFormat:   "text",
		LogLevel:    "info",
		SessionIdle: 2 * time.Hour,
		SessionMax:  12 * time.Hour,
		Lang:        "zh-CN",
		JobInterval: time.Minute,
		SMTPTLS:     "starttls",
		ReadCache:   "on",
		MemoryLimit: "off",
	}
}

// option binds one setting to its flag and environment variable.
type option struct {
	name, env, usage string
	str              *string
	dur              *time.Duration
	secret           bool // masked when printed
}

func (c *Config) options() []option {
	return []option{
		{name: "db", env: "GONGJIAN_DB", usage: "数据库：SQLite 文件路径或 postgres:// URL", str: &c.DB},
		{name: "addr", env: "GONGJIAN_ADDR", usage: "监听地址 host:port", str: &c.Addr},
		{name: "log-format", env: "GONGJIAN_LOG_FORMAT", usage: "日志格式 text|json", str: &c.LogFormat},
		{name: "log-level", env: "GONGJIAN_LOG_LEVEL", usage: "日志级别 debug|info|warn|error", str: &c.LogLevel},
		{name: "session-idle", env: "GONGJIAN_SESSION_IDLE", usage: "会话空闲超时", dur: &c.SessionIdle},
		{name: "session-max", env: "GONGJIAN_SESSION_MAX", usage: "会话绝对超时", dur: &c.SessionMax},
		{name: "tls-cert", env: "GONGJIAN_TLS_CERT", usage: "TLS 证书文件（与 --tls-key 一起启用 HTTPS）", str: &c.TLSCert},
		{name: "tls-key", env: "GONGJIAN_TLS_KEY", usage: "TLS 私钥文件", str: &c.TLSKey},
		{name: "lang", env: "GONGJIAN_LANG", usage: "默认语言 zh-CN|en", str: &c.Lang},
		{name: "job-interval", env: "GONGJIAN_JOB_INTERVAL", usage: "提醒与推送任务的间隔（0 为关闭）", dur: &c.JobInterval},
		{name: "metrics-addr", env: "GONGJIAN_METRICS_ADDR", usage: "单独提供 /metrics 的监听地址 host:port（为空则不单独监听）", str: &c.MetricsAddr},
		{name: "metrics-token", env: "GONGJIAN_METRICS_TOKEN", usage: "抓取 /metrics 须携带的 Bearer 令牌（设置后主地址也提供 /metrics）", str: &c.MetricsToken, secret: true},
		{name: "smtp-addr", env: "GONGJIAN_SMTP_ADDR", usage: "发送提醒邮件的 SMTP 服务器 host:port（为空则不发邮件）", str: &c.SMTPAddr},
		{name: "smtp-from", env: "GONGJIAN_SMTP_FROM", usage: "发件人，如 攻坚平台 <gongjian@district.gov.cn>", str: &c.SMTPFrom},
		{name: "smtp-username", env: "GONGJIAN_SMTP_USERNAME", usage: "SMTP 登录名（为空则不登录）", str: &c.SMTPUsername},
		{name: "smtp-password", env: "GONGJIAN_SMTP_PASSWORD", usage: "SMTP 密码", str: &c.SMTPPassword, secret: true},
		{name: "smtp-tls", env: "GONGJIAN_SMTP_TLS", usage: "SMTP 加密 starttls|tls|none", str: &c.SMTPTLS},
		{name: "read-cache", env: "GONGJIAN_READ_CACHE", usage: "驾驶舱等读取的缓存 on|off（数据一变即失效；off 仅用于测量）", str: &c.ReadCache},
		{name: "memory-limit", env: "GONGJIAN_MEMORY_LIMIT", usage: "Go 运行时的软内存上限，如 180MiB、1GiB（off 为不设）", str: &c.MemoryLimit},
	}
}

// Register adds the flags to fs; values given as flags win over the
// environment, which wins over defaults. Call Finish after fs.Parse.
func (c *Config) Register(fs *flag.FlagSet) {
	for _, o := range c.options() {
		usage := fmt.Sprintf("%s (env %s)", o.usage, o.env)
		if o.str != nil {
			fs.StringVar(o.str, o.name, *o.str, usage)
		} else {
			fs.DurationVar(o.dur, o.name, *o.dur, usage)
		}
	}
}

// Source says where a setting's value came from.
type Source string

// The sources, weakest first: a flag beats the environment, which beats the
// configuration file, which beats the default.
const (
	FromDefault Source = "default"
	FromFile    Source = "file"
	FromEnv     Source = "env"
	FromFlag    Source = "flag"
)

// Setting is one option as `gongjian config` shows it.
type Setting struct {
	Name, Env, Value string
	Source           Source
}

// Load fills c from the optional configuration file (--config or
// GONGJIAN_CONFIG), then the environment (getenv), then parses args with fs,
// then validates.
func (c *Config) Load(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	_, err := c.load(fs, args, getenv)
	return err
}

// Explain loads like Load and returns every setting with its source, secrets
// masked.
func (c *Config) Explain(fs *flag.FlagSet, args []string, getenv func(string) string) ([]Setting, error) {
	src, err := c.load(fs, args, getenv)
	if err != nil {
		return nil, err
	}
	var out []Setting
	for _, o := range c.options() {
		v := o.value()
		if o.secret && v != "" {
			v = "******"
		}
		if o.name == "db" {
			v = maskURL(v)
		}
		out = append(out, Setting{Name: o.name, Env: o.env, Value: v, Source: src[o.name]})
	}
	return out, nil
}

func (o option) value() string {
	if o.str != nil {
		return *o.str
	}
	return o.dur.String()
}

func (o option) set(v string) error {
	if o.str != nil {
		*o.str = v
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return errors.New("不是有效的时长（例如 30m、2h）")
	}
	*o.dur = d
	return nil
}

func (c *Config) load(fs *flag.FlagSet, args []string, getenv func(string) string) (map[string]Source, error) {
	src := map[string]Source{}
	for _, o := range c.options() {
		src[o.name] = FromDefault
	}
	c.File = configPath(args, getenv)
	if c.File != "" {
		if err := c.readFile(c.File, src); err != nil {
			return nil, err
		}
	}
	var errs []error
	for _, o := range c.options() {
		v := getenv(o.env)
		if v == "" {
			continue
		}
		if err := o.set(v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", o.env, v, err))
			continue
		}
		src[o.name] = FromEnv
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c.Register(fs)
	fs.String("config", c.File, "配置文件（每行 名称 = 值，名称同参数名；env GONGJIAN_CONFIG）")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	fs.Visit(func(f *flag.Flag) {
		if _, ok := src[f.Name]; ok {
			src[f.Name] = FromFlag
		}
	})
	return src, c.Validate()
}

// configPath finds --config before the flags are parsed, since the file's
// values sit below the flags in precedence.
func configPath(args []string, getenv func(string) string) string {
	for i, a := range args {
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "config" {
			continue
		}
		if hasVal {
			return val
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return getenv("GONGJIAN_CONFIG")
}

// readFile applies a configuration file: one "name = value" per line, names
// as the flags, "#" starts a comment. An unknown name or a bad value is an
// error that names the line.
func (c *Config) readFile(path string, src map[string]Source) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("配置文件 %s 无法读取: %w", path, err)
	}
	opts := map[string]option{}
	for _, o := range c.options() {
		opts[o.name] = o
	}
	var errs []error
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		name, val = strings.TrimSpace(name), strings.Trim(strings.TrimSpace(val), `"`)
		o, known := opts[name]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%s 第 %d 行：应为 名称 = 值", path, n+1))
		case !known:
			errs = append(errs, fmt.Errorf("%s 第 %d 行：没有名为 %q 的配置项", path, n+1, name))
		default:
			if err := o.set(val); err != nil {
				errs = append(errs, fmt.Errorf("%s 第 %d 行 %s = %q: %w", path, n+1, name, val, err))
				continue
			}
			src[name] = FromFile
		}
	}
	return errors.Join(errs...)
}

// maskURL hides the password of a postgres:// URL.
func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxxx")
	}
	return u.String()
}

// Validate checks every field and names each bad one.
func (c *Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.DB) == "" {
		errs = append(errs, errors.New("--db 不能为空"))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q 应为 host:port", c.Addr))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("--log-format %q 应为 text 或 json", c.LogFormat))
	}
	if c.ReadCache != "on" && c.ReadCache != "off" {
		errs = append(errs, fmt.Errorf("--read-cache %q 应为 on 或 off", c.ReadCache))
	}
	if _, err := c.MemoryLimitBytes(); err != nil {
		errs = append(errs, err)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q 应为 debug、info、warn 或 error", c.LogLevel))
	}
	if c.SessionIdle <= 0 || c.SessionMax <= 0 || c.SessionIdle > c.SessionMax {
		errs = append(errs, errors.New("--session-idle 与 --session-max 须为正，且空闲超时不大于绝对超时"))
	}
	if c.JobInterval < 0 {
		errs = append(errs, errors.New("--job-interval 不能为负"))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert 与 --tls-key 须同时给出"))
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("--metrics-addr %q 应为 host:port", c.MetricsAddr))
		}
	}
	errs = append(errs, c.validateSMTP()...)
	if c.Lang != "zh-CN" && c.Lang != "en" {
		errs = append(errs, fmt.Errorf("--lang %q 应为 zh-CN 或 en", c.Lang))
	}
	return errors.Join(errs...)
}

// IsPostgres reports whether the configured store is PostgreSQL.
func (c *Config) IsPostgres() bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}

// EnsureDataDir creates the folder of a SQLite file so a fresh clone just works.
func (c *Config) EnsureDataDir() error {
	if c.IsPostgres() {
		return nil
	}
	path := strings.TrimPrefix(c.DB, "sqlite:")
	dir := path[:max(strings.LastIndex(path, "/"), 0)]
	if dir == "" {
		return nil
	}
	return os.MkdirAll(dir, 0o750)
}

// validateSMTP checks the e-mail settings, which matter only with an SMTP server.
func (c *Config) validateSMTP() []error {
	var errs []error
	switch c.SMTPTLS {
	case "starttls", "tls", "none":
	default:
		errs = append(errs, fmt.Errorf("--smtp-tls %q 应为 starttls、tls 或 none", c.SMTPTLS))
	}
	if c.SMTPAddr == "" {
		return errs
	}
	if _, _, err := net.SplitHostPort(c.SMTPAddr); err != nil {
		errs = append(errs, fmt.Errorf("--smtp-addr %q 应为 host:port", c.SMTPAddr))
	}
	if _, err := mail.ParseAddress(c.SMTPFrom); err != nil {
		errs = append(errs, fmt.Errorf("--smtp-from %q 应为发件邮箱，如 攻坚平台 <gongjian@district.gov.cn>", c.SMTPFrom))
	}
	return errs
}

// MemoryLimitBytes is MemoryLimit in bytes; 0 means no limit of ours.
func (c *Config) MemoryLimitBytes() (int64, error) {
	s := strings.TrimSpace(c.MemoryLimit)
	if s == "" || s == "off" || s == "0" {
		return 0, nil
	}
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	num, mult := s, int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	const floor = 32 << 20 // below this the collector would run without pause
	if err != nil || n <= 0 || n > (1<<62)/mult || n*mult < floor {
		return 0, fmt.Errorf("--memory-limit %q 应为 off 或不小于 32MiB 的大小，如 180MiB、1GiB", c.MemoryLimit)
	}
	return n * mult, nil
}
