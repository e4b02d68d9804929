package auth

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Lock-out policy: this many failures in a row lock the account for lockFor.
const (
	maxFailures = 5
	lockFor     = 15 * time.Minute
)

// Service manages users and sessions.
type Service struct {
	db        *store.DB
	idle, max time.Duration
	dummy     string // a hash to check against for unknown users, so timing does not reveal them
}

// New returns a Service; sessions end after idle without use or max after sign-in.
func New(db *store.DB, idle, max time.Duration) *Service {
	h, _ := HashPassword("not-a-real-password")
	return &Service{db: db, idle: idle, max: max, dummy: h}
}

// User is an account.
type User struct {
	ID                 int64       `json:"id"`
	Username           string      `json:"username"`
	DisplayName        string      `json:"display_name"`
	Role               access.Role `json:"role" enum:"admin,supervisor,leader,reporter,commissioner,statistician,viewer"`
	RoleLabel          string      `json:"role_label"`
	UnitID             int64       `json:"unit_id"`
	UnitName           string      `json:"unit_name"`
	PersonID           *int64      `json:"person_id"`
	MustChangePassword bool        `json:"must_change_password"`
	Disabled           bool        `json:"disabled"`
	Version            int         `json:"version"`
	CreatedAt          time.Time   `json:"created_at"`
	UpdatedAt          time.Time   `json:"updated_at"`
	hash               string
	failed             int
	lockedUntil        sql.NullTime
}

const userSelect = `SELECT us.id, us.username, us.display_name, us.role, us.unit_id, COALESCE(un.name, ''), us.person_id,
	us.must_change_password, us.disabled, us.version, us.created_at, us.updated_at, us.password_hash, us.failed_logins, us.locked_until
	FROM users us LEFT JOIN units un ON un.id = us.unit_id`

func scanUser(s interface{ Scan(...any) error }) (User, error) {
	var u User
	var person sql.NullInt64
	err := s.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.UnitID, &u.UnitName, &person,
		&u.MustChangePassword, &u.Disabled, &u.Version, &u.CreatedAt, &u.UpdatedAt, &u.hash, &u.failed, &u.lockedUntil)
	if person.Valid {
		u.PersonID = &person.Int64
	}
	u.RoleLabel = u.Role.Label()
	return u, err
}

func getUser(ctx context.Context, q store.Querier, id int64) (User, error) {
	u, err := scanUser(q.QueryRow(ctx, userSelect+` WHERE us.id = ?`, id))
	if store.IsNoRows(err) {
		return u, errs.NotFound("用户", id)
	}
	if err != nil {
		return u, fmt.Errorf("get user %d: %w", id, err)
	}
	return u, nil
}

var userKind = audit.Kind[User]{Entity: "user", Label: "用户", Get: getUser, Version: func(u User) int { return u.Version }}

// UserInput creates an account. An empty Password means "generate one", which
// must be changed at first sign-in.
type UserInput struct {
	Username    string      `json:"username" maxLength:"64"`
	DisplayName string      `json:"display_name,omitempty" maxLength:"100"`
	Role        access.Role `json:"role" enum:"admin,supervisor,leader,reporter,commissioner,statistician,viewer"`
	UnitID      int64       `json:"unit_id"`
	PersonID    *int64      `json:"person_id,omitempty"`
	Password    string      `json:"password,omitempty" maxLength:"200"`
}

// CreateUser adds an account and returns it with the password when generated.
func (s *Service) CreateUser(ctx context.Context, in UserInput) (User, string, error) {
	in.Username = strings.TrimSpace(in.Username)
	var c errs.Checker
	c.Check(in.Username != "", "username", "required", "用户名不能为空", nil)
	c.Check(in.Role.Valid(), "role", "enum", "角色无效", in.Role)
	c.Check(in.UnitID != 0, "unit_id", "required", "所属单位不能为空", nil)
	generated := in.Password == ""
	if generated {
		in.Password = GeneratePassword()
	} else if err := CheckStrength(in.Password); err != nil {
		c.Add("password", "password.weak", err.Error(), nil)
	}
	if err := c.Err(); err != nil {
		return User{}, "", err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return User{}, "", err
	}
	u, err := audit.Create(ctx, s.db, userKind, func(q store.Querier) (id int64, err error) {
		now := time.Now().UTC()
		err = q.QueryRow(ctx, `INSERT INTO users (username, display_name, password_hash, role, unit_id, person_id, must_change_password, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Username, in.DisplayName, hash, string(in.Role), in.UnitID, in.PersonID, generated, now, now).Scan(&id)
		switch {
		case store.IsUnique(err):
			return 0, errs.Duplicate("username", in.Username)
		case store.IsForeignKey(err):
			return 0, errs.Invalid([]errs.FieldError{{Field: "unit_id", Key: "not_found", Message: "所属单位或关联人员不存在", Value: in.UnitID}})
		case err != nil:
			return 0, fmt.Errorf("insert user: %w", err)
		}
		return id, nil
	})
	if !generated {
		in.Password = ""
	}
	return u, in.Password, err
}

// ListUsers returns every account.
func (s *Service) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := s.db.Read().Query(ctx, userSelect+` ORDER BY us.username`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("scan user: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UserByUsername finds an account.
func (s *Service) UserByUsername(ctx context.Context, name string) (User, error) {
	u, err := scanUser(s.db.Read().QueryRow(ctx, userSelect+` WHERE us.username = ?`, name))
	if store.IsNoRows(err) {
		return u, errs.NotFound("用户", name)
	}
	return u, err
}

// Session is a signed-in session as the client sees it.
type Session struct {
	Token     string    `json:"-"`
	ExpiresAt time.Time `json:"expires_at"`
	User      User      `json:"user"`
}

var errBadLogin = &errs.Error{Kind: errs.KindUnauthorized, Key: "login.failed", Message: "用户名或密码错误"}

// Login checks the password and opens a session. Failures count towards a
// temporary lock and are recorded in the audit trail.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (Session, error) {
	u, err := scanUser(s.db.Read().QueryRow(ctx, userSelect+` WHERE us.username = ?`, username))
	if store.IsNoRows(err) {
		CheckPassword(s.dummy, password)
		return Session{}, errBadLogin
	}
	if err != nil {
		return Session{}, fmt.Errorf("login lookup: %w", err)
	}
	now := time.Now().UTC()
	if u.lockedUntil.Valid && u.lockedUntil.Time.After(now) {
		return Session{}, &errs.Error{Kind: errs.KindUnauthorized, Key: "login.locked",
			Message: fmt.Sprintf("连续登录失败次数过多，账号已锁定至 %s", u.lockedUntil.Time.Local().Format("15:04"))}
	}
	actx := access.With(ctx, &access.Actor{UserID: u.ID, Username: u.Username, IP: ip})
	if u.Disabled || !CheckPassword(u.hash, password) {
		err := s.db.Tx(ctx, func(q store.Querier) error {
			var locked any
			if u.failed+1 >= maxFailures {
				locked = now.Add(lockFor)
			}
			if _, err := q.Exec(ctx, `UPDATE users SET failed_logins = failed_logins + 1, locked_until = ? WHERE id = ?`, locked, u.ID); err != nil {
				return fmt.Errorf("count failure: %w", err)
			}
			return audit.Write(actx, q, audit.Entry{Action: "login_failed", Entity: "user", EntityID: u.ID})
		})
		if err != nil {
			return Session{}, err
		}
		return Session{}, errBadLogin
	}
	token, id, err := newToken()
	if err != nil {
		return Session{}, err
	}
	sess := Session{Token: token, ExpiresAt: now.Add(s.max), User: u}
	err = s.db.Tx(ctx, func(q store.Querier) error {
		// Only when there is something to reset: a write to users moves the
		// org data version, and every sign-in would then empty the read cache.
		if u.failed > 0 || u.lockedUntil.Valid {
			if _, err := q.Exec(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?`, u.ID); err != nil {
				return fmt.Errorf("reset failures: %w", err)
			}
		}
		if _, err := q.Exec(ctx, `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, u.ID, now, now, sess.ExpiresAt, ip, truncate(userAgent, 300)); err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return audit.Write(actx, q, audit.Entry{Action: "login", Entity: "user", EntityID: u.ID})
	})
	return sess, err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func tokenID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Authenticate turns a session token into the actor, or fails with 401.
func (s *Service) Authenticate(ctx context.Context, token, ip string) (*access.Actor, error) {
	if token == "" {
		return nil, errs.Unauthorized("请先登录")
	}
	if strings.HasPrefix(token, tokenPrefix) {
		return s.authenticateToken(ctx, token, ip)
	}
	id := tokenID(token)
	var a access.Actor
	var person sql.NullInt64
	var lastSeen, expires time.Time
	var disabled bool
	err := s.db.Read().QueryRow(ctx, `SELECT u.id, u.username, u.role, u.unit_id, u.person_id, u.disabled, u.must_change_password, s.last_seen_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, id).
		Scan(&a.UserID, &a.Username, &a.Role, &a.UnitID, &person, &disabled, &a.MustChangePassword, &lastSeen, &expires)
	if store.IsNoRows(err) {
		return nil, errs.Unauthorized("登录已失效，请重新登录")
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	now := time.Now().UTC()
	if disabled || now.After(expires) || now.Sub(lastSeen) > s.idle {
		_ = s.db.Tx(ctx, func(q store.Querier) error {
			_, err := q.Exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
			return err
		})
		return nil, errs.Unauthorized("登录已超时，请重新登录")
	}
	// Touch the session at most once a minute: reads should not turn into writes.
	if now.Sub(lastSeen) > time.Minute {
		if err := s.db.Tx(ctx, func(q store.Querier) error {
			_, err := q.Exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now, id)
			return err
		}); err != nil {
			return nil, fmt.Errorf("touch session: %w", err)
		}
	}
	if person.Valid {
		a.PersonID = person.Int64
	}
	a.IP, a.Session = ip, id
	return &a, nil
}

// Logout ends the actor's current session.
func (s *Service) Logout(ctx context.Context) error {
	a := access.From(ctx)
	if a == nil {
		return errs.Unauthorized("请先登录")
	}
	return s.db.Tx(ctx, func(q store.Querier) error {
		if _, err := q.Exec(ctx, `DELETE FROM sessions WHERE id = ?`, a.Session); err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		return audit.Write(ctx, q, audit.Entry{Action: "logout", Entity: "user", EntityID: a.UserID})
	})
}

// Me returns the actor's account.
func (s *Service) Me(ctx context.Context) (User, error) {
	a := access.From(ctx)
	if a == nil {
		return User{}, errs.Unauthorized("请先登录")
	}
	return getUser(ctx, s.db.Read(), a.UserID)
}

// CookieName is the session cookie.
const CookieName = "gongjian_session"
