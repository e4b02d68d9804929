package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"gongjian/internal/store"
)

// cmdBackup writes a consistent copy of a running SQLite database.
func cmdBackup(ctx context.Context, env cliEnv, args []string) error {
	var out string
	cfg, err := parseConfig(env, "backup", args, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "备份文件路径（不能已存在）")
	})
	if err != nil {
		return err
	}
	if out == "" {
		return fmt.Errorf("--out 必填：备份写到哪个文件")
	}
	if cfg.IsPostgres() {
		return store.ErrBackupPostgres
	}
	if _, err := os.Stat(cfg.DB); err != nil {
		return fmt.Errorf("数据库文件 %s 不存在", cfg.DB)
	}
	db, err := openRaw(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, out); err != nil {
		return err
	}
	if err := store.CheckSQLiteFile(ctx, out); err != nil {
		return fmt.Errorf("备份已写出但校验失败: %w", err)
	}
	fmt.Fprintf(env.stdout, "已备份 %s → %s（完整性检查通过）\n", cfg.DB, out)
	return nil
}

// cmdRestore puts a backup in place of the database; the server must be stopped.
func cmdRestore(ctx context.Context, env cliEnv, args []string) error {
	var from string
	var force bool
	cfg, err := parseConfig(env, "restore", args, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "备份文件路径")
		fs.BoolVar(&force, "force", false, "覆盖已有的数据库文件")
	})
	if err != nil {
		return err
	}
	if from == "" {
		return fmt.Errorf("--from 必填：从哪个备份文件恢复")
	}
	if cfg.IsPostgres() {
		return store.ErrBackupPostgres
	}
	if _, err := os.Stat(cfg.DB); err == nil && !force {
		return fmt.Errorf("数据库文件 %s 已存在；确认服务已停止后加 --force 覆盖", cfg.DB)
	}
	if err := store.RestoreSQLite(ctx, from, cfg.DB); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "已从 %s 恢复到 %s\n", from, cfg.DB)
	return nil
}
