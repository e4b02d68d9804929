package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrBackupPostgres says that PostgreSQL is backed up with its own tools.
var ErrBackupPostgres = errors.New("PostgreSQL 请使用 pg_dump / pg_restore 备份与恢复（见 docs/OPERATIONS.md）")

// Backup writes a consistent copy of a running SQLite database to path, which
// must not exist yet. VACUUM INTO reads one snapshot, so writers may go on.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.engine != SQLite {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("备份文件 %s 已存在，不会覆盖", path)
	}
	// The read pool is query_only, and VACUUM INTO cannot run in a
	// transaction, so use a plain connection of the write pool.
	if _, err := db.w.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// CheckSQLiteFile runs SQLite's integrity check on a database file and
// returns an error naming what is wrong.
func CheckSQLiteFile(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("找不到文件 %s: %w", path, err)
	}
	c, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer c.Close()
	var res string
	if err := c.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("%s 不是有效的 SQLite 数据库: %w", path, err)
	}
	if res != "ok" {
		return fmt.Errorf("%s 完整性检查失败: %s", path, res)
	}
	var n int
	if err := c.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		return fmt.Errorf("%s 不是攻坚数据库: %w", path, err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity check on this database; PostgreSQL
// needs none (it answers for its own pages).
func (db *DB) IntegrityCheck(ctx context.Context) error {
	if db.engine != SQLite {
		return nil
	}
	var res string
	if err := db.r.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	return nil
}

// RestoreSQLite replaces the database file at dst with the checked backup at
// src. The server must be stopped; the copy goes to a temporary file first
// and is renamed into place, so a failed restore leaves dst as it was.
func RestoreSQLite(ctx context.Context, src, dst string) error {
	if err := CheckSQLiteFile(ctx, src); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".restore-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return fmt.Errorf("copy backup: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// Stale WAL files of the old database would be replayed onto the new one.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dst + suffix); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return os.Rename(tmp.Name(), dst)
}
