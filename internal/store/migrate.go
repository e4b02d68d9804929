package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one schema step; steps are append-only and numbered.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the embedded steps for this engine, in order.
func (db *DB) Migrations() ([]Migration, error) {
	dir := path.Join("migrations", string(db.engine))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration file %s: name must be NNNN_name.sql", name)
		}
		b, err := migrationFS.ReadFile(path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: rest, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TEXT NOT NULL
)`

// SchemaVersion returns the highest applied step, 0 for an empty database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	if _, err := db.w.ExecContext(ctx, createMigrationsTable); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	return schemaVersion(ctx, querier{db.engine, db.w})
}

func schemaVersion(ctx context.Context, q Querier) (int, error) {
	var v int
	err := q.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Pending lists the steps not yet applied. It fails when the database is newer
// than this binary, since running old code on a newer schema can lose data.
func (db *DB) Pending(ctx context.Context) ([]Migration, error) {
	if _, err := db.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	return db.pending(ctx, querier{db.engine, db.w})
}

func (db *DB) pending(ctx context.Context, q Querier) ([]Migration, error) {
	ms, err := db.Migrations()
	if err != nil {
		return nil, err
	}
	cur, err := schemaVersion(ctx, q)
	if err != nil {
		return nil, err
	}
	if n := len(ms); n > 0 && cur > ms[n-1].Version {
		return nil, fmt.Errorf("数据库结构版本 %d 高于本程序支持的版本 %d，请使用更新版本的 gongjian", cur, ms[n-1].Version)
	}
	var out []Migration
	for _, m := range ms {
		if m.Version > cur {
			out = append(out, m)
		}
	}
	return out, nil
}

// Migrate applies every pending step, each in its own transaction. On
// PostgreSQL an advisory lock keeps two starting servers from racing.
func (db *DB) Migrate(ctx context.Context) (applied []Migration, err error) {
	if _, err := db.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	err = db.Tx(ctx, func(q Querier) error {
		if db.engine == Postgres {
			if _, err := q.Exec(ctx, `SELECT pg_advisory_xact_lock(727001)`); err != nil {
				return fmt.Errorf("migration lock: %w", err)
			}
		}
		pending, err := db.pending(ctx, q)
		if err != nil {
			return err
		}
		for _, m := range pending {
			for _, stmt := range splitStatements(m.SQL) {
				if _, err := q.Exec(ctx, stmt); err != nil {
					return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
				}
			}
			if _, err := q.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, time.Now().UTC().Format(time.RFC3339)); err != nil {
				return fmt.Errorf("record migration %d: %w", m.Version, err)
			}
			applied = append(applied, m)
		}
		return db.ensureVersioning(ctx, q)
	})
	if err == nil && db.engine == Postgres {
		db.versioned.Store(true)
	}
	return applied, err
}

// splitStatements splits a migration file on semicolons at line ends; the
// files hold plain DDL, no procedural bodies.
func splitStatements(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ";\n") {
		lines := []string{}
		for _, l := range strings.Split(part, "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
				lines = append(lines, l)
			}
		}
		if st := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.Join(lines, "\n")), ";")); st != "" {
			out = append(out, st)
		}
	}
	return out
}
