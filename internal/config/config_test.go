package config_test

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"gongjian/internal/config"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func load(args []string, env map[string]string) (config.Config, error) {
	c := config.Default()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	err := c.Load(fs, args, envOf(env))
	return c, err
}

func TestPrecedence(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		check func(c config.Config) bool
	}{
		{"defaults", nil, nil, func(c config.Config) bool { return c == config.Default() }},
		{"env over default", nil, map[string]string{"GONGJIAN_ADDR": "0.0.0.0:9000", "GONGJIAN_DB": "postgres://h/db"},
			func(c config.Config) bool {
				return c.Addr == "0.0.0.0:9000" && c.DB == "postgres://h/db" && c.LogFormat == "text"
			}},
		{"flag over env", []string{"--addr", "127.0.0.1:7000"}, map[string]string{"GONGJIAN_ADDR": "0.0.0.0:9000"},
			func(c config.Config) bool { return c.Addr == "127.0.0.1:7000" }},
		{"flag over default", []string{"--log-format=json", "--log-level", "debug"}, nil,
			func(c config.Config) bool { return c.LogFormat == "json" && c.LogLevel == "debug" }},
		{"duration from env", nil, map[string]string{"GONGJIAN_SESSION_IDLE": "90m"},
			func(c config.Config) bool { return c.SessionIdle == 90*time.Minute && c.SessionMax == 12*time.Hour }},
		{"duration flag over env", []string{"--session-idle", "30m"}, map[string]string{"GONGJIAN_SESSION_IDLE": "1h"},
			func(c config.Config) bool { return c.SessionIdle == 30*time.Minute }},
		{"tls pair from env and flag", []string{"--tls-key", "k.pem"}, map[string]string{"GONGJIAN_TLS_CERT": "c.pem"},
			func(c config.Config) bool { return c.TLSCert == "c.pem" && c.TLSKey == "k.pem" }},
		{"env not set leaves default", nil, map[string]string{"GONGJIAN_LANG": ""},
			func(c config.Config) bool { return c.Lang == "zh-CN" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := load(tt.args, tt.env)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if !tt.check(c) {
				t.Errorf("config = %+v", c)
			}
		})
	}
}

func TestBadValuesAreNamed(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string // each must appear in the error
	}{
		{"addr without port", []string{"--addr", "localhost"}, nil, []string{"--addr", "localhost"}},
		{"log format", []string{"--log-format", "xml"}, nil, []string{"--log-format", "xml"}},
		{"log level", nil, map[string]string{"GONGJIAN_LOG_LEVEL": "trace"}, []string{"--log-level", "trace"}},
		{"lang", []string{"--lang", "fr"}, nil, []string{"--lang", "fr"}},
		{"empty db", []string{"--db", " "}, nil, []string{"--db"}},
		{"duration in env", nil, map[string]string{"GONGJIAN_SESSION_IDLE": "two hours"}, []string{"GONGJIAN_SESSION_IDLE", "two hours"}},
		{"duration flag", []string{"--session-max", "forever"}, nil, []string{"session-max", "forever"}},
		{"idle longer than max", []string{"--session-idle", "13h"}, nil, []string{"--session-idle", "--session-max"}},
		{"negative duration", []string{"--session-idle", "-1h"}, nil, []string{"--session-idle"}},
		{"cert without key", []string{"--tls-cert", "c.pem"}, nil, []string{"--tls-cert", "--tls-key"}},
		{"key without cert", nil, map[string]string{"GONGJIAN_TLS_KEY": "k.pem"}, []string{"--tls-cert", "--tls-key"}},
		{"several at once", []string{"--addr", "nope", "--log-format", "xml", "--tls-key", "k.pem"}, nil,
			[]string{"--addr", "--log-format", "--tls-cert"}},
		{"unknown flag", []string{"--colour"}, nil, []string{"colour"}},
		{"memory limit without number", []string{"--memory-limit", "lots"}, nil, []string{"--memory-limit", "lots"}},
		{"memory limit too small", nil, map[string]string{"GONGJIAN_MEMORY_LIMIT": "16MiB"}, []string{"--memory-limit", "16MiB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(tt.args, tt.env)
			if err == nil {
				t.Fatal("Load accepted a bad configuration")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
}

func TestMemoryLimitSizes(t *testing.T) {
	for in, want := range map[string]int64{
		"off":        0,
		"":           0,
		"180MiB":     180 * 1024 * 1024,
		"200MB":      200 * 1000 * 1000,
		"1GiB":       1024 * 1024 * 1024,
		"2 GB":       2 * 1000 * 1000 * 1000,
		"3000000000": 3000000000,
	} {
		c := config.Config{MemoryLimit: in}
		got, err := c.MemoryLimitBytes()
		if err != nil || got != want {
			t.Errorf("MemoryLimitBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}

func TestIsPostgres(t *testing.T) {
	tests := []struct {
		db   string
		want bool
	}{
		{"postgres://gj@db.local/gongjian", true},
		{"postgresql://gj@db.local/gongjian?sslmode=require", true},
		{"data/gongjian.db", false},
		{"/var/lib/gongjian/postgres.db", false},
		{"sqlite:data/gongjian.db", false},
	}
	for _, tt := range tests {
		c := config.Default()
		c.DB = tt.db
		if got := c.IsPostgres(); got != tt.want {
			t.Errorf("IsPostgres(%q) = %v, want %v", tt.db, got, tt.want)
		}
	}
}
