package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"gongjian/internal/store"
)

// cmdCopy moves a whole database to another one, typically a district's
// SQLite file onto PostgreSQL when it outgrows one machine. The target is
// migrated first and must be empty; the copy is all or nothing.
func cmdCopy(ctx context.Context, env cliEnv, args []string) error {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	from := fs.String("from", "", "源数据库：SQLite 文件（sqlite:路径 或 路径）或 postgres:// URL")
	to := fs.String("to", "", "目标数据库（须为空库）：postgres:// URL 或 SQLite 文件")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errUsage
		}
		return err
	}
	if *from == "" || *to == "" {
		return errors.New("须给出 --from 与 --to")
	}
	if !isPostgresDSN(*from) {
		if _, err := os.Stat(strings.TrimPrefix(*from, "sqlite:")); err != nil {
			return fmt.Errorf("源数据库文件 %s 不存在", *from)
		}
	}
	src, err := store.Open(ctx, *from, store.Options{})
	if err != nil {
		return fmt.Errorf("源库: %w", err)
	}
	defer src.Close()
	if pending, err := src.Pending(ctx); err != nil {
		return fmt.Errorf("源库: %w", err)
	} else if len(pending) > 0 {
		return fmt.Errorf("源库有 %d 个待执行迁移：请先执行 gongjian migrate --db %s", len(pending), *from)
	}
	dst, err := store.Open(ctx, *to, store.Options{})
	if err != nil {
		return fmt.Errorf("目标库: %w", err)
	}
	defer dst.Close()
	if _, err := dst.Migrate(ctx); err != nil {
		return fmt.Errorf("目标库迁移: %w", err)
	}
	var total int64
	counts, err := store.Copy(ctx, src, dst, func(table string, n int64) {
		total += n
		fmt.Fprintf(env.stdout, "  %-32s %10d 行\n", table, n)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "已复制 %d 张表、%d 行，目标库行数已核对一致。\n", len(counts), total)
	return nil
}

func isPostgresDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}
