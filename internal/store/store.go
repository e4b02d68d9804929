// Package store owns the database: opening either engine, migrations,
// transactions and the mapping of engine errors to categories. It knows no
// feature; feature packages bring their own queries.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Engine names a database engine.
type Engine string

// The engines Gongjian runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is an open database: on SQLite a single-connection write pool and a
// separate read pool (SQLite allows one writer; WAL lets readers go on); on
// PostgreSQL one pool serves both.
type DB struct {
	engine Engine
	w, r   *sql.DB
}

// Options tune the pools; zero values pick sensible defaults.
type Options struct {
	MaxReadConns int
}

// Open connects to dsn: a postgres:// or postgresql:// URL, or else a SQLite
// file path. The database is pinged before Open returns.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	if opt.MaxReadConns <= 0 {
		opt.MaxReadConns = 8
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		p, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		p.SetMaxOpenConns(opt.MaxReadConns * 3)
		p.SetMaxIdleConns(opt.MaxReadConns * 3)
		p.SetConnMaxIdleTime(5 * time.Minute)
		db := &DB{engine: Postgres, w: p, r: p}
		if err := db.Ping(ctx); err != nil {
			p.Close()
			return nil, fmt.Errorf("connect postgres: %w", err)
		}
		return db, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	// busy_timeout first so that the later pragmas wait instead of failing.
	base := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_time_format=sqlite"
	w, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r.SetMaxOpenConns(opt.MaxReadConns)
	r.SetMaxIdleConns(opt.MaxReadConns)
	db := &DB{engine: SQLite, w: w, r: r}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

// Engine tells which engine this is.
func (db *DB) Engine() Engine { return db.engine }

// Ping checks that the database answers; /readyz uses it.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return err
	}
	if db.r != db.w {
		return db.r.PingContext(ctx)
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Querier runs queries written with ? placeholders on either engine.
type Querier interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
	Engine() Engine
}

type conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type querier struct {
	engine Engine
	c      conn
}

func (q querier) Engine() Engine { return q.engine }

func (q querier) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return q.c.ExecContext(ctx, rebind(q.engine, query), args...)
}

func (q querier) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.c.QueryContext(ctx, rebind(q.engine, query), args...)
}

func (q querier) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return q.c.QueryRowContext(ctx, rebind(q.engine, query), args...)
}

// Read returns a Querier on the read pool, for queries outside a transaction.
func (db *DB) Read() Querier { return querier{db.engine, db.r} }

// Tx runs fn in a write transaction and commits when fn returns nil. On SQLite
// the transaction takes the write lock at BEGIN (immediate), so two writers
// never deadlock on lock upgrade.
func (db *DB) Tx(ctx context.Context, fn func(q Querier) error) (err error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(querier{db.engine, tx}); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// rebind turns ? placeholders into $1, $2 … for PostgreSQL, leaving quoted
// text alone. Queries are written once, with ?, for both engines.
func rebind(e Engine, q string) string {
	if e != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
			b.WriteByte(c)
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(fmt.Sprint(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
