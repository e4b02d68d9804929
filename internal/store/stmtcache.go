package store

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"strings"

	"modernc.org/sqlite"
)

// stmtCacheSize bounds the prepared statements kept per SQLite connection.
// The server runs a few hundred distinct statements; the ones that miss are
// prepared each time, as without the cache.
const stmtCacheSize = 256

// sqliteConnector opens modernc.org/sqlite connections wrapped in a
// statement cache: ExecContext and QueryContext with the same SQL text reuse
// the statement SQLite prepared the first time on that connection, instead
// of parsing and planning it again on every call (a quarter of a report
// submit's CPU). The cache lives in the driver connection, below
// database/sql, so it follows the connection into and out of transactions
// and no caller sees it.
type sqliteConnector struct {
	base driver.Connector
	size int
}

func newSQLiteConnector(dsn string, size int) (*sqliteConnector, error) {
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return &sqliteConnector{base: base, size: size}, nil
}

func (c *sqliteConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	inner, ok := dc.(sqliteConn)
	if !ok {
		// Not the connection this file was written against: no cache.
		return dc, nil
	}
	return &stmtCacheConn{sqliteConn: inner, size: c.size, byText: map[string]*list.Element{}, lru: list.New()}, nil
}

func (c *sqliteConnector) Driver() driver.Driver { return c.base.Driver() }

// sqliteConn is what a modernc.org/sqlite connection implements and
// database/sql uses; the wrapper forwards all of it (see sqlite.NewConnector).
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// sqliteStmt is what a statement of that connection implements.
type sqliteStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// sqliteRows is what its rows implement; database/sql's ColumnTypes uses the
// optional parts.
type sqliteRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// cachedStmt is one prepared statement of the cache. busy: rows read from it
// are still open, so it is neither reused nor finalized until they close.
// evicted: it left the cache while busy; closing its rows finalizes it.
type cachedStmt struct {
	text    string
	st      sqliteStmt
	busy    bool
	evicted bool
}

// stmtCacheConn is a SQLite connection with a bounded LRU of prepared
// statements keyed by SQL text. database/sql never uses a connection from two
// goroutines at once (rows are closed under the connection's lock too), so
// the cache needs no lock of its own.
//
// What keeps it correct:
//   - Only single statements that read or change rows are cached (SELECT,
//     INSERT, UPDATE, DELETE, REPLACE, WITH; no ';'): scripts, PRAGMAs, DDL,
//     transaction control and VACUUM go to the driver as before.
//   - A statement whose rows are still open is busy: running the same text
//     again meanwhile (a query inside a loop over its own rows) prepares a
//     fresh statement, finalized when its rows close, as without the cache.
//   - After a schema change SQLite re-prepares a stale statement by itself
//     at its next step (sqlite3_prepare_v2), so a cached SELECT * sees a new
//     column; a statement whose table is gone fails as it would fresh.
//   - Errors are the driver's own, unchanged (*sqlite.Error with its code).
//   - The driver resets a statement after Exec and when its rows close, and
//     leaves it ready for the next bind; Close finalizes every statement.
type stmtCacheConn struct {
	sqliteConn
	size   int
	byText map[string]*list.Element // of *cachedStmt
	lru    *list.List               // front: most recently used
	// prepares counts the statements prepared for the cache (misses).
	prepares int
}

// Unwrap returns the driver's connection (sqlite.Limit looks through it).
func (c *stmtCacheConn) Unwrap() driver.Conn { return c.sqliteConn }

// cacheable reports whether query is a single statement that reads or
// changes rows.
func cacheable(query string) bool {
	if strings.IndexByte(query, ';') >= 0 {
		return false
	}
	q := strings.TrimLeft(query, " \t\r\n(")
	i := strings.IndexAny(q, " \t\r\n(")
	if i < 0 {
		return false
	}
	for _, verb := range []string{"SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH"} {
		if strings.EqualFold(q[:i], verb) {
			return true
		}
	}
	return false
}

// take returns the idle cached statement for query, preparing and caching it
// on a miss; nil when query is not cacheable or its statement is busy.
//
// The cache is looked up first: a statement found there was cacheable, so
// the hot path (a kept statement) skips cacheable's scan of the text.
func (c *stmtCacheConn) take(ctx context.Context, query string) (*cachedStmt, error) {
	if el, ok := c.byText[query]; ok {
		cs := el.Value.(*cachedStmt)
		if cs.busy {
			return nil, nil
		}
		c.lru.MoveToFront(el)
		return cs, nil
	}
	if !cacheable(query) {
		return nil, nil
	}
	ds, err := c.sqliteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	st, ok := ds.(sqliteStmt)
	if !ok {
		_ = ds.Close()
		return nil, nil
	}
	c.prepares++
	cs := &cachedStmt{text: query, st: st}
	c.byText[query] = c.lru.PushFront(cs)
	for c.lru.Len() > c.size {
		c.evict(c.lru.Back())
	}
	return cs, nil
}

// evict drops el from the cache, finalizing its statement now or, while its
// rows are open, when they close.
func (c *stmtCacheConn) evict(el *list.Element) {
	cs := el.Value.(*cachedStmt)
	c.lru.Remove(el)
	delete(c.byText, cs.text)
	if cs.busy {
		cs.evicted = true
		return
	}
	_ = cs.st.Close()
}

func (c *stmtCacheConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.sqliteConn.ExecContext(ctx, query, args)
	}
	return cs.st.ExecContext(ctx, args)
}

func (c *stmtCacheConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	r, err := cs.st.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	rows, ok := r.(sqliteRows)
	if !ok {
		// Rows without the column type methods: keep the statement out of
		// the cache's hands until they close, and hand them on as they are.
		c.drop(cs)
		return &plainRows{Rows: r, cs: cs}, nil
	}
	cs.busy = true
	return &cachedRows{sqliteRows: rows, cs: cs}, nil
}

// drop removes cs from the cache and marks it to be finalized when its rows
// close.
func (c *stmtCacheConn) drop(cs *cachedStmt) {
	if el, ok := c.byText[cs.text]; ok {
		cs.busy = true
		c.evict(el)
	}
}

// Close finalizes the cached statements, then closes the connection.
// database/sql closes a connection only once its rows are closed.
func (c *stmtCacheConn) Close() error {
	var errsOut []error
	for el := c.lru.Front(); el != nil; el = el.Next() {
		if err := el.Value.(*cachedStmt).st.Close(); err != nil {
			errsOut = append(errsOut, err)
		}
	}
	c.lru.Init()
	clear(c.byText)
	return errors.Join(append(errsOut, c.sqliteConn.Close())...)
}

// closeRows closes rows read from cs (the driver resets the statement) and
// frees cs for the next call, or finalizes it if it left the cache
// meanwhile. The rows' own error comes back unchanged.
// A second Close does nothing: the statement may be running another query.
func (cs *cachedStmt) closeRows(r driver.Rows) error {
	if cs == nil {
		return nil
	}
	err := r.Close()
	cs.busy = false
	if cs.evicted {
		if e := cs.st.Close(); err == nil {
			err = e
		}
	}
	return err
}

// cachedRows are rows of a cached statement; closing them frees it for the
// next call.
type cachedRows struct {
	sqliteRows
	cs *cachedStmt
}

func (r *cachedRows) Close() error {
	cs := r.cs
	r.cs = nil
	return cs.closeRows(r.sqliteRows)
}

type plainRows struct {
	driver.Rows
	cs *cachedStmt
}

func (r *plainRows) Close() error {
	cs := r.cs
	r.cs = nil
	return cs.closeRows(r.Rows)
}
