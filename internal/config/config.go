// Package config builds the one typed configuration from flags and GONGJIAN_*
// environment variables. It is validated once and passed down; nothing reads
// the environment anywhere else.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
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
	}
}

// option binds one setting to its flag and environment variable.
type option struct {
	name, env, usage string
	str              *string
	dur              *time.Duration
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

// Load fills c from the environment (getenv), then parses args with fs, then
// validates.
func (c *Config) Load(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	var errs []error
	for _, o := range c.options() {
		v := getenv(o.env)
		if v == "" {
			continue
		}
		if o.str != nil {
			*o.str = v
		} else if d, err := time.ParseDuration(v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: 不是有效的时长（例如 30m、2h）", o.env, v))
		} else {
			*o.dur = d
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	c.Register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	return c.Validate()
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
