package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/auth"
	"gongjian/internal/store"
)

// cmdMigrate applies pending migrations, or with --dry-run lists them.
func cmdMigrate(ctx context.Context, env cliEnv, args []string) error {
	var dry bool
	cfg, err := parseConfig(env, "migrate", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&dry, "dry-run", false, "只列出待执行的迁移，不执行")
	})
	if err != nil {
		return err
	}
	log := newLogger(cfg, env.stderr)
	if dry {
		db, err := openRaw(ctx, cfg)
		if err != nil && !cfg.IsPostgres() {
			// No database yet: every step is pending; show them without creating the file.
			fmt.Fprintf(env.stdout, "数据库文件 %s 尚不存在，首次启动时将创建。\n", cfg.DB)
			db, err = store.Open(ctx, ":memory:", store.Options{})
		}
		if err != nil {
			return err
		}
		defer db.Close()
		pending, err := db.Pending(ctx)
		if err != nil {
			return err
		}
		if len(pending) == 0 {
			fmt.Fprintln(env.stdout, "数据库已是最新，无待执行迁移。")
		}
		for _, m := range pending {
			fmt.Fprintf(env.stdout, "待执行 %04d_%s\n", m.Version, m.Name)
		}
		return nil
	}
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "数据库结构版本：%d（%s）\n", v, db.Engine())
	return nil
}

// cmdUser manages accounts from the command line: today "user add".
func cmdUser(ctx context.Context, env cliEnv, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(env.stderr, "用法: gongjian user add --username U --role R --unit CODE [--name 显示名] [--person CODE]")
		return errUsage
	}
	var username, role, unit, name, person string
	cfg, err := parseConfig(env, "user add", args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&username, "username", "", "用户名（必填）")
		fs.StringVar(&role, "role", "", "角色："+rolesList()+"（必填）")
		fs.StringVar(&unit, "unit", "", "所属单位编码（必填）")
		fs.StringVar(&name, "name", "", "显示名")
		fs.StringVar(&person, "person", "", "关联人员编码")
	})
	if err != nil {
		return err
	}
	if username == "" || role == "" || unit == "" {
		return fmt.Errorf("--username、--role、--unit 均为必填")
	}
	if !access.Role(role).Valid() {
		return fmt.Errorf("角色 %q 无效，可选：%s", role, rolesList())
	}
	db, err := openDB(ctx, cfg, newLogger(cfg, env.stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	svc := newServices(db, cfg)
	u, err := svc.org.UnitByCode(ctx, unit)
	if err != nil {
		return err
	}
	in := auth.UserInput{Username: username, DisplayName: name, Role: access.Role(role), UnitID: u.ID}
	if person != "" {
		p, err := svc.org.PersonByCode(ctx, person)
		if err != nil {
			return err
		}
		in.PersonID = &p.ID
	}
	// The password comes from stdin so it never appears in the process list or shell history.
	line, _ := bufio.NewReader(env.stdin).ReadString('\n')
	in.Password = strings.TrimRight(line, "\r\n")
	user, generated, err := svc.auth.CreateUser(ctx, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "已创建用户 %s（%s，%s）\n", user.Username, user.RoleLabel, user.UnitName)
	if generated != "" {
		fmt.Fprintf(env.stdout, "初始密码（仅显示这一次，首次登录须修改）：%s\n", generated)
	}
	return nil
}

func rolesList() string {
	var rs []string
	for _, r := range access.Roles() {
		rs = append(rs, string(r))
	}
	return strings.Join(rs, ", ")
}

// cmdAudit verifies the audit trail's hash chain.
func cmdAudit(ctx context.Context, env cliEnv, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(env.stderr, "用法: gongjian audit verify [--db ...]")
		return errUsage
	}
	cfg, err := parseConfig(env, "audit verify", args[1:], nil)
	if err != nil {
		return err
	}
	db, err := openRaw(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	n, problems, err := audit.Verify(ctx, db.Read())
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintf(env.stdout, "第 %d 条留痕记录：%s\n", p.ID, p.Reason)
	}
	if len(problems) > 0 {
		return fmt.Errorf("留痕校验失败：%d 条记录中发现 %d 处问题", n, len(problems))
	}
	fmt.Fprintf(env.stdout, "留痕校验通过：共 %d 条记录，哈希链完整。\n", n)
	return nil
}
