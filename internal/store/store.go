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
	"sync/atomic"
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
	// versioned: the data-version functions exist (PostgreSQL), so Tx marks
	// its transactions and raises the noted counters before COMMIT.
	versioned atomic.Bool
}

// Options tune the pools; zero values pick sensible defaults.
type Options struct {
	MaxReadConns int
	// StmtCache is how many prepared statements each SQLite connection
	// keeps (stmtcache.go); 0 picks the default, a negative number turns
	// the cache off.
	StmtCache int
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
		var versioned bool
		if err := p.QueryRowContext(ctx, `SELECT to_regproc('gj_bump') IS NOT NULL`).Scan(&versioned); err != nil {
			p.Close()
			return nil, fmt.Errorf("connect postgres: %w", err)
		}
		db.versioned.Store(versioned)
		return db, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	// busy_timeout first so that the later pragmas wait instead of failing.
	base := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_time_format=sqlite"
	w, err := openSQLite(base+"&_txlock=immediate", opt.StmtCache)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := openSQLite(base+"&_pragma=query_only(1)", opt.StmtCache)
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

// openSQLite opens a pool of SQLite connections, each with a cache of size
// prepared statements (stmtcache.go; none when size < 0).
func openSQLite(dsn string, size int) (*sql.DB, error) {
	if size < 0 {
		return sql.Open("sqlite", dsn)
	}
	if size == 0 {
		size = stmtCacheSize
	}
	c, err := newSQLiteConnector(dsn, size)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
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
// When the ctx of a query carries an ambient transaction of this database
// (WithTx), the query runs in that transaction instead, so a service reading
// through Read() inside an import sees the rows the import wrote so far.
func (db *DB) Read() Querier { return readQuerier{db} }

type readQuerier struct{ db *DB }

func (q readQuerier) Engine() Engine { return q.db.engine }

func (q readQuerier) on(ctx context.Context) Querier {
	if t := ambient(ctx, q.db); t != nil {
		return t.q
	}
	return querier{q.db.engine, q.db.r}
}

func (q readQuerier) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return q.on(ctx).Exec(ctx, query, args...)
}

func (q readQuerier) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.on(ctx).Query(ctx, query, args...)
}

func (q readQuerier) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return q.on(ctx).QueryRow(ctx, query, args...)
}

// txState is an open transaction carried by a context.
type txState struct {
	db        *DB
	q         querier
	savepoint int
}

type txKey struct{}

// WithTx returns a ctx that carries the transaction q (the Querier that DB.Tx
// handed to its fn). Tx calls made with that ctx join the transaction instead
// of starting their own, each inside a savepoint: a failing inner call undoes
// only its own writes and returns its error, and nothing is committed until
// the outermost Tx returns nil. Read() queries with that ctx run in the
// transaction too. A q that is not a transaction leaves ctx as it is.
//
// This is how an import applies thousands of rows through the services, all
// or nothing, audit records included:
//
//	err := db.Tx(ctx, func(q store.Querier) error {
//		ctx := store.WithTx(ctx, q)
//		for _, row := range rows { if err := svc.Create(ctx, row); err != nil { return err } }
//		return nil
//	})
func WithTx(ctx context.Context, q Querier) context.Context {
	switch t := q.(type) {
	case txQuerier:
		return context.WithValue(ctx, txKey{}, t.state)
	}
	return ctx
}

// InTx reports whether ctx carries an ambient transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*txState)
	return ok
}

func ambient(ctx context.Context, db *DB) *txState {
	if ctx == nil {
		return nil
	}
	if t, ok := ctx.Value(txKey{}).(*txState); ok && t.db == db {
		return t
	}
	return nil
}

// txQuerier is the Querier handed to Tx's fn: a querier that WithTx can
// recognise.
type txQuerier struct {
	querier
	state *txState
}

// Tx runs fn in a write transaction and commits when fn returns nil. On SQLite
// the transaction takes the write lock at BEGIN (immediate), so two writers
// never deadlock on lock upgrade.
//
// When ctx carries an ambient transaction of this database (WithTx), Tx joins
// it inside a savepoint instead of beginning a new one.
func (db *DB) Tx(ctx context.Context, fn func(q Querier) error) (err error) {
	if t := ambient(ctx, db); t != nil {
		return db.savepoint(ctx, t, fn)
	}
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
	st := &txState{db: db, q: querier{db.engine, tx}}
	marked := db.engine == Postgres && db.versioned.Load()
	if marked {
		if _, err = tx.ExecContext(ctx, `SELECT set_config('gongjian.tx', 'on', true)`); err != nil {
			return fmt.Errorf("begin: %w", err)
		}
	}
	if err = fn(txQuerier{st.q, st}); err != nil {
		return err
	}
	if marked {
		if _, err = tx.ExecContext(ctx, `SELECT gj_bump()`); err != nil {
			return fmt.Errorf("data versions: %w", err)
		}
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// savepoint runs fn inside the ambient transaction t, undoing fn's writes
// when it fails (or panics) so the transaction stays usable on PostgreSQL.
func (db *DB) savepoint(ctx context.Context, t *txState, fn func(q Querier) error) (err error) {
	t.savepoint++
	name := fmt.Sprintf("gj_sp_%d", t.savepoint)
	if _, err := t.q.Exec(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	undo := func() { _, _ = t.q.Exec(context.WithoutCancel(ctx), "ROLLBACK TO SAVEPOINT "+name) }
	defer func() {
		if p := recover(); p != nil {
			undo()
			panic(p)
		}
	}()
	if err = fn(txQuerier{t.q, t}); err != nil {
		undo()
		return err
	}
	if _, err := t.q.Exec(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
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
