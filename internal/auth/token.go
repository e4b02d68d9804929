package auth

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// tokenPrefix marks API tokens so that Authenticate knows where to look, and
// so that a leaked token is recognisable in logs and secret scanners.
const tokenPrefix = "gjt_"

// Token is an API token as its owner sees it; the secret is shown only once.
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Revoked    bool       `json:"revoked"`
}

// TokenInput asks for a new token.
type TokenInput struct {
	Name      string   `json:"name" maxLength:"100"`
	Scopes    []string `json:"scopes" minItems:"1" maxItems:"20" doc:"权限码，须是本人角色所具有的权限"`
	ExpiresIn int      `json:"expires_in_days,omitempty" minimum:"0" maximum:"3650" doc:"有效天数，0 为不过期"`
}

// CreateToken makes an API token for the actor, limited to scopes the actor holds.
func (s *Service) CreateToken(ctx context.Context, in TokenInput) (Token, string, error) {
	a := access.From(ctx)
	if a == nil || a.Session == "" {
		return Token{}, "", errs.Forbidden("只能在登录会话中创建 API 令牌")
	}
	var c errs.Checker
	c.Check(strings.TrimSpace(in.Name) != "", "name", "required", "令牌名称不能为空", nil)
	for _, sc := range in.Scopes {
		c.Check(slices.Contains(a.Role.Permissions(), access.Permission(sc)), "scopes", "scope.not_held", "权限 "+sc+" 不在本人角色权限内", sc)
	}
	if err := c.Err(); err != nil {
		return Token{}, "", err
	}
	secret, hash, err := newToken()
	if err != nil {
		return Token{}, "", err
	}
	secret = tokenPrefix + secret
	hash = tokenID(secret)
	now := time.Now().UTC()
	var expires any
	if in.ExpiresIn > 0 {
		expires = now.AddDate(0, 0, in.ExpiresIn)
	}
	var t Token
	err = s.db.Tx(ctx, func(q store.Querier) error {
		var id int64
		if err := q.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			a.UserID, strings.TrimSpace(in.Name), hash, strings.Join(in.Scopes, ","), now, expires).Scan(&id); err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		var err error
		if t, err = getToken(ctx, q, a.UserID, id); err != nil {
			return err
		}
		return audit.Write(ctx, q, audit.Entry{Action: "create", Entity: "api_token", EntityID: id, After: t})
	})
	return t, secret, err
}

func getToken(ctx context.Context, q store.Querier, user, id int64) (Token, error) {
	ts, err := listTokens(ctx, q, user, id)
	if err != nil {
		return Token{}, err
	}
	if len(ts) == 0 {
		return Token{}, errs.NotFound("API 令牌", id)
	}
	return ts[0], nil
}

func listTokens(ctx context.Context, q store.Querier, user, id int64) ([]Token, error) {
	w := store.Where{}
	w.Add(`user_id = ?`, user)
	if id != 0 {
		w.Add(`id = ?`, id)
	}
	rows, err := q.Query(ctx, `SELECT id, name, scopes, created_at, expires_at, last_used_at, revoked_at FROM api_tokens`+w.SQL()+` ORDER BY id`, w.Args...)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []Token{}
	for rows.Next() {
		var t Token
		var scopes string
		var exp, used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.Name, &scopes, &t.CreatedAt, &exp, &used, &revoked); err != nil {
			return nil, fmt.Errorf("scan token: %w", err)
		}
		t.Scopes = strings.Split(scopes, ",")
		t.ExpiresAt, t.LastUsedAt, t.Revoked = nullTime(exp), nullTime(used), revoked.Valid
		out = append(out, t)
	}
	return out, rows.Err()
}

func nullTime(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	return &n.Time
}

// ListTokens returns the actor's own tokens.
func (s *Service) ListTokens(ctx context.Context) ([]Token, error) {
	a := access.From(ctx)
	if a == nil {
		return nil, errs.Unauthorized("请先登录")
	}
	return listTokens(ctx, s.db.Read(), a.UserID, 0)
}

// RevokeToken ends one of the actor's tokens at once.
func (s *Service) RevokeToken(ctx context.Context, id int64) error {
	a := access.From(ctx)
	if a == nil {
		return errs.Unauthorized("请先登录")
	}
	return s.db.Tx(ctx, func(q store.Querier) error {
		before, err := getToken(ctx, q, a.UserID, id)
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, time.Now().UTC(), id); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return audit.Write(ctx, q, audit.Entry{Action: "revoke", Entity: "api_token", EntityID: id, Before: before})
	})
}

// authenticateToken turns an API token into its owner, narrowed to its scopes.
func (s *Service) authenticateToken(ctx context.Context, token, ip string) (*access.Actor, error) {
	hash := tokenID(token)
	var a access.Actor
	var person sql.NullInt64
	var scopes string
	var exp, revoked, used sql.NullTime
	var disabled bool
	err := s.db.Read().QueryRow(ctx, `SELECT u.id, u.username, u.role, u.unit_id, u.person_id, u.disabled, t.scopes, t.expires_at, t.revoked_at, t.last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, hash).
		Scan(&a.UserID, &a.Username, &a.Role, &a.UnitID, &person, &disabled, &scopes, &exp, &revoked, &used)
	if store.IsNoRows(err) {
		return nil, errs.Unauthorized("API 令牌无效")
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate token: %w", err)
	}
	now := time.Now().UTC()
	if disabled || revoked.Valid || (exp.Valid && now.After(exp.Time)) {
		return nil, errs.Unauthorized("API 令牌已吊销或过期")
	}
	if !used.Valid || now.Sub(used.Time) > time.Minute {
		if err := s.db.Tx(ctx, func(q store.Querier) error {
			_, err := q.Exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?`, now, hash)
			return err
		}); err != nil {
			return nil, fmt.Errorf("touch token: %w", err)
		}
	}
	a.PersonID, a.IP = person.Int64, ip
	a.Scopes = []access.Permission{}
	for _, sc := range strings.Split(scopes, ",") {
		a.Scopes = append(a.Scopes, access.Permission(sc))
	}
	return &a, nil
}
