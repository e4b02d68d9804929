// Command gongjian is the whole product in one binary: the server, the demo
// district, migrations and account administration.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `gongjian — 重点工作攻坚平台 (Gongjian key-work delivery platform)

用法 / usage:
  gongjian demo    [flags]   载入演示区县数据并启动服务（首次运行自动建库）
  gongjian serve   [flags]   启动服务
  gongjian migrate [flags]   执行数据库迁移（--dry-run 只列出待执行步骤）
  gongjian user add --username U --role R --unit CODE [flags]
                             新建账号；密码从标准输入读取，为空则生成并显示一次
  gongjian audit verify [flags]
                             校验留痕哈希链，发现被篡改的记录
  gongjian gen --items N [flags]  生成指定规模的模拟区县数据（性能测试用，不写留痕）
  gongjian load --url http://127.0.0.1:PORT [flags]
                             对本机服务施压：各场景的 p50/p99、吞吐、错误和服务端峰值内存
  gongjian backup --out FILE [flags]
                             在线备份 SQLite 数据库（一致性快照）
  gongjian restore --from FILE [--force] [flags]
                             从备份恢复 SQLite 数据库（须先停止服务）
  gongjian copy --from SRC --to DST
                             把整个数据库复制到另一个空库（如 SQLite → PostgreSQL），全部成功或不变
  gongjian config  [flags]   显示生效的配置（来源：默认、配置文件、环境变量、参数；密钥已遮盖）
  gongjian version           显示版本

各命令的参数用 "gongjian <命令> --help" 查看；每个参数也可用 GONGJIAN_* 环境变量
或配置文件（--config FILE，每行 名称 = 值）设置。
Roles: admin supervisor leader reporter commissioner statistician viewer
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run dispatches a sub-command; it returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	env := cliEnv{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(ctx, env, args[1:], false)
	case "demo":
		err = cmdServe(ctx, env, args[1:], true)
	case "migrate":
		err = cmdMigrate(ctx, env, args[1:])
	case "user":
		err = cmdUser(ctx, env, args[1:])
	case "audit":
		err = cmdAudit(ctx, env, args[1:])
	case "backup":
		err = cmdBackup(ctx, env, args[1:])
	case "restore":
		err = cmdRestore(ctx, env, args[1:])
	case "gen":
		err = cmdGen(ctx, env, args[1:])
	case "load":
		err = cmdLoad(ctx, env, args[1:])
	case "config":
		err = cmdConfig(env, args[1:])
	case "copy":
		err = cmdCopy(ctx, env, args[1:])
	case "version", "--version":
		fmt.Fprintln(stdout, "gongjian", version)
		return 0
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "未知命令 %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		if err == errUsage {
			return 2
		}
		fmt.Fprintln(stderr, "错误:", err)
		return 1
	}
	return 0
}

type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}
