package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"gongjian/internal/gen"
	"gongjian/internal/loadtest"
)

// cmdLoad runs the HTTP load generator against a server on this machine
// (package loadtest): `gongjian load --url http://127.0.0.1:8080 --clients 50`.
func cmdLoad(ctx context.Context, env cliEnv, args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg := loadtest.Config{}
	var scenarios, markdown string
	fs.StringVar(&cfg.BaseURL, "url", "http://127.0.0.1:8080", "服务地址，只能是本机（127.0.0.1 或 localhost）")
	fs.StringVar(&cfg.Username, "user", "gen1-supervisor", "督查室账号（gongjian gen --scale 生成）")
	fs.StringVar(&cfg.Password, "password", gen.ScalePassword, "密码")
	fs.Int64Var(&cfg.Campaign, "campaign", 0, "攻坚年 id；默认最新生成的")
	fs.IntVar(&cfg.Clients, "clients", 50, "并发客户端数（每个收到应答后立即发下一个请求）")
	fs.IntVar(&cfg.Requests, "requests", 2000, "每个场景最多请求数（0 为不限）")
	fs.DurationVar(&cfg.Duration, "duration", 30*time.Second, "每个场景最长时间（0 为不限）")
	fs.StringVar(&scenarios, "scenario", "", "逗号分隔的场景，默认全部："+strings.Join(loadtest.Names(), ","))
	fs.IntVar(&cfg.ServerPID, "pid", 0, "服务进程号：读取其峰值内存（/proc/PID/status 的 VmHWM）")
	fs.StringVar(&cfg.DSN, "db", "", "服务所用数据库（SQLite 文件或 postgres:// 地址），与 --raw 一起用")
	fs.BoolVar(&cfg.Raw, "raw", false, "每个读场景再直接在数据库上运行同样的主要 SQL，对比 Gongjian 与数据库本身")
	fs.StringVar(&markdown, "markdown", "", "把结果表（Markdown）追加到此文件")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errUsage
		}
		return err
	}
	if scenarios != "" {
		cfg.Scenarios = strings.Split(scenarios, ",")
	}
	if cfg.Raw && cfg.DSN == "" {
		return errors.New("--raw 需要 --db")
	}
	cfg.Log = env.stderr
	rs, err := loadtest.Run(ctx, cfg)
	if len(rs) > 0 {
		loadtest.Table(env.stdout, rs)
		if markdown != "" {
			f, ferr := os.OpenFile(markdown, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
			if ferr != nil {
				return ferr
			}
			loadtest.Table(f, rs)
			if ferr := f.Close(); ferr != nil {
				return ferr
			}
		}
	}
	if err != nil {
		return err
	}
	for _, r := range rs {
		if r.Errors > 0 {
			return fmt.Errorf("场景 %s 有 %d 个错误，首个：%s", r.Scenario, r.Errors, r.FirstError)
		}
	}
	return nil
}
