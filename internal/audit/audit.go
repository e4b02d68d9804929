// Package audit writes and verifies the tamper-evident trail (留痕): every
// change is recorded in the same transaction as the change, and each record's
// hash covers the previous record's hash, so an edit, removal or reordering
// breaks the chain at a place Verify can name.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/store"
)

// Entry is one change to record.
type Entry struct {
	Action   string // create, update, delete, login, logout, ...
	Entity   string // unit, item, ...
	EntityID any
	Before   any // nil for create
	After    any // nil for delete; a json.RawMessage from json.Marshal is stored as it is
}

// Record is a stored audit record.
type Record struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	UserID   int64     `json:"user_id,omitempty"`
	Username string    `json:"username"`
	IP       string    `json:"ip,omitempty"`
	Action   string    `json:"action"`
	Entity   string    `json:"entity"`
	EntityID string    `json:"entity_id"`
	Before   string    `json:"before,omitempty"`
	After    string    `json:"after,omitempty"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Write appends e to the trail inside the caller's transaction q. The actor
// comes from ctx; system work (demo loading, CLI) is recorded as "system".
func Write(ctx context.Context, q store.Querier, e Entry) error {
	r := Record{
		At:       time.Now().UTC().Truncate(time.Microsecond), // PostgreSQL keeps microseconds
		Username: "system",
		Action:   e.Action,
		Entity:   e.Entity,
		EntityID: fmt.Sprint(e.EntityID),
		Before:   marshal(e.Before),
		After:    marshal(e.After),
	}
	if a := access.From(ctx); a != nil {
		r.UserID, r.Username, r.IP = a.UserID, a.Username, a.IP
	}
	var uid any
	if r.UserID != 0 {
		uid = r.UserID
	}
	if q.Engine() == store.Postgres {
		// Serialise writers so that two transactions cannot chain onto the same record.
		if _, err := q.Exec(ctx, `SELECT pg_advisory_xact_lock(727002)`); err != nil {
			return fmt.Errorf("audit lock: %w", err)
		}
	}
	err := q.QueryRow(ctx, `SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&r.PrevHash)
	if store.IsNoRows(err) {
		r.PrevHash, err = genesis, nil
	}
	if err != nil {
		return fmt.Errorf("audit last hash: %w", err)
	}
	r.Hash = hashOf(r)
	_, err = q.Exec(ctx, `INSERT INTO audit_log (at, user_id, username, ip, action, entity, entity_id, before_json, after_json, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.At, uid, r.Username, r.IP, r.Action, r.Entity, r.EntityID, r.Before, r.After, r.PrevHash, r.Hash)
	if err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	return nil
}

func marshal(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case json.RawMessage:
		// Already JSON, as json.Marshal wrote it (compact, HTML-escaped):
		// marshalling it again would give the same text.
		if json.Valid(v) {
			return string(v)
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}

// hashOf covers every field but the id, joined by a separator that JSON text
// never contains unescaped.
func hashOf(r Record) string {
	parts := []string{r.PrevHash, r.At.UTC().Format(time.RFC3339Nano), strconv.FormatInt(r.UserID, 10),
		r.Username, r.IP, r.Action, r.Entity, r.EntityID, r.Before, r.After}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return hex.EncodeToString(sum[:])
}

// Break is a place where the chain is broken.
type Break struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
}

// Verify walks the whole trail and returns every place where it is broken.
func Verify(ctx context.Context, q store.Querier) (checked int, problems []Break, err error) {
	rows, err := q.Query(ctx, `SELECT id, at, COALESCE(user_id, 0), username, ip, action, entity, entity_id, before_json, after_json, prev_hash, hash
		FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, nil, fmt.Errorf("audit verify: %w", err)
	}
	defer rows.Close()
	prev := genesis
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.ID, &r.At, &r.UserID, &r.Username, &r.IP, &r.Action, &r.Entity, &r.EntityID,
			&r.Before, &r.After, &r.PrevHash, &r.Hash); err != nil {
			return checked, problems, fmt.Errorf("audit verify scan: %w", err)
		}
		checked++
		if r.PrevHash != prev {
			problems = append(problems, Break{r.ID, "与上一条记录的链接断开（记录被删除或调换顺序）"})
		}
		if hashOf(r) != r.Hash {
			problems = append(problems, Break{r.ID, "记录内容与其哈希不符（记录被修改）"})
		}
		prev = r.Hash
	}
	return checked, problems, rows.Err()
}

// Filter narrows List.
type Filter struct {
	Entity, EntityID string
	UserID           int64
	Page, PageSize   int
}

// List returns audit records, newest first, and the total that match.
func List(ctx context.Context, q store.Querier, f Filter) ([]Record, int, error) {
	var w store.Where
	if f.Entity != "" {
		w.Add(`entity = ?`, f.Entity)
	}
	if f.EntityID != "" {
		w.Add(`entity_id = ?`, f.EntityID)
	}
	if f.UserID != 0 {
		w.Add(`user_id = ?`, f.UserID)
	}
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log`+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT id, at, COALESCE(user_id, 0), username, ip, action, entity, entity_id, before_json, after_json, prev_hash, hash
		FROM audit_log`+w.SQL()+` ORDER BY id DESC`+store.Page{Number: f.Page, Size: f.PageSize}.LimitOffset(), w.Args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	out := []Record{}
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.ID, &r.At, &r.UserID, &r.Username, &r.IP, &r.Action, &r.Entity, &r.EntityID,
			&r.Before, &r.After, &r.PrevHash, &r.Hash); err != nil {
			return nil, 0, fmt.Errorf("scan audit: %w", err)
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// Each calls fn for every record matching f, newest first, reading in pages
// so that an export of a long trail never holds it all in memory.
func Each(ctx context.Context, q store.Querier, f Filter, fn func(Record) error) error {
	f.PageSize = store.MaxPageSize
	for f.Page = 1; ; f.Page++ {
		rs, _, err := List(ctx, q, f)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(rs) < f.PageSize {
			return nil
		}
	}
}
