// Package testdb gives tests a fresh, migrated database on every engine the
// test run has: SQLite always, PostgreSQL when GONGJIAN_TEST_POSTGRES names a
// server (the test command starts a throwaway one). With CI=true a missing
// PostgreSQL fails the run instead of quietly testing one engine.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" driver for the admin connection

	"gongjian/internal/store"
)

// EnvPostgres names the PostgreSQL server URL for tests.
const EnvPostgres = "GONGJIAN_TEST_POSTGRES"

// Engines returns the engines to test on.
func Engines(t testing.TB) []store.Engine {
	t.Helper()
	engines := []store.Engine{store.SQLite}
	if os.Getenv(EnvPostgres) != "" {
		return append(engines, store.Postgres)
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true but %s is not set: PostgreSQL tests must run in CI (use `make test`)", EnvPostgres)
	}
	return engines
}

// Each runs fn as a subtest per engine, each with its own fresh database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, e := range Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// Open returns a new migrated database on engine e, removed when t ends.
func Open(t testing.TB, e store.Engine) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, DSN(t, e), store.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", e, err)
	}
	return db
}

// DSN creates an empty database on engine e and returns its DSN; the
// database is dropped when t ends.
func DSN(t testing.TB, e store.Engine) string {
	t.Helper()
	if e == store.SQLite {
		return filepath.Join(t.TempDir(), "test.db")
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Fatalf("%s not set", EnvPostgres)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "gj_test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres admin: %v", err)
	}
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		admin.Close()
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	u.Path = "/" + name
	return u.String()
}
