package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// PasswordChange is a user's change of their own password.
type PasswordChange struct {
	Old string `json:"old_password" maxLength:"200"`
	New string `json:"new_password" maxLength:"200"`
}

// ChangePassword sets the actor's new password after checking the old one,
// and ends every other session of the account.
func (s *Service) ChangePassword(ctx context.Context, in PasswordChange) error {
	a := access.From(ctx)
	if a == nil || a.Session == "" {
		return errs.Unauthorized("请先登录")
	}
	u, err := getUser(ctx, s.db.Read(), a.UserID)
	if err != nil {
		return err
	}
	var c errs.Checker
	c.Check(CheckPassword(u.hash, in.Old), "old_password", "password.wrong", "原密码不正确", nil)
	if err := CheckStrength(in.New); err != nil {
		c.Add("new_password", "password.weak", err.Error(), nil)
	}
	c.Check(in.New != in.Old, "new_password", "password.same", "新密码不能与原密码相同", nil)
	if err := c.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(in.New)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(q store.Querier) error {
		if _, err := q.Exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?`,
			hash, false, time.Now().UTC(), a.UserID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := q.Exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, a.UserID, a.Session); err != nil {
			return fmt.Errorf("end other sessions: %w", err)
		}
		return audit.Write(ctx, q, audit.Entry{Action: "password_change", Entity: "user", EntityID: a.UserID})
	})
}

// LogoutEverywhere ends every session of the actor's account, this one too.
func (s *Service) LogoutEverywhere(ctx context.Context) error {
	a := access.From(ctx)
	if a == nil {
		return errs.Unauthorized("请先登录")
	}
	return s.db.Tx(ctx, func(q store.Querier) error {
		if _, err := q.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, a.UserID); err != nil {
			return fmt.Errorf("logout everywhere: %w", err)
		}
		return audit.Write(ctx, q, audit.Entry{Action: "logout_everywhere", Entity: "user", EntityID: a.UserID})
	})
}

// UserUpdate is an administrator's change to an account: role, unit, person,
// or disabling it. Changing the role or unit is a permission change and ends
// the account's sessions so the new rights apply at once.
type UserUpdate struct {
	DisplayName string      `json:"display_name,omitempty" maxLength:"100"`
	Role        access.Role `json:"role" enum:"admin,supervisor,leader,reporter,commissioner,statistician,viewer"`
	UnitID      int64       `json:"unit_id"`
	PersonID    *int64      `json:"person_id,omitempty"`
	Disabled    bool        `json:"disabled,omitempty"`
}

// GetUser returns one account.
func (s *Service) GetUser(ctx context.Context, id int64) (User, error) {
	return getUser(ctx, s.db.Read(), id)
}

// UpdateUser applies an administrator's change if version is still current.
func (s *Service) UpdateUser(ctx context.Context, id int64, version int, in UserUpdate) (User, error) {
	var c errs.Checker
	c.Check(in.Role.Valid(), "role", "enum", "角色无效", in.Role)
	c.Check(in.UnitID != 0, "unit_id", "required", "所属单位不能为空", nil)
	if a := access.From(ctx); a != nil && a.UserID == id {
		c.Check(!in.Disabled, "disabled", "user.self_disable", "不能停用自己的账号", nil)
		c.Check(in.Role == a.Role, "role", "user.self_role", "不能修改自己的角色", in.Role)
	}
	if err := c.Err(); err != nil {
		return User{}, err
	}
	return audit.Update(ctx, s.db, userKind, id, version, func(q store.Querier, before User) error {
		_, err := q.Exec(ctx, `UPDATE users SET display_name = ?, role = ?, unit_id = ?, person_id = ?, disabled = ?, version = version + 1, updated_at = ?
			WHERE id = ?`, strings.TrimSpace(in.DisplayName), string(in.Role), in.UnitID, in.PersonID, in.Disabled, time.Now().UTC(), id)
		if store.IsForeignKey(err) {
			return errs.Invalid([]errs.FieldError{{Field: "unit_id", Key: "not_found", Message: "所属单位或关联人员不存在", Value: in.UnitID}})
		}
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if before.Role != in.Role || before.UnitID != in.UnitID || deref(before.PersonID) != deref(in.PersonID) || in.Disabled {
			if _, err := q.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		return nil
	})
}

// ResetPassword gives an account a generated password that must be changed at
// next sign-in, and ends its sessions.
func (s *Service) ResetPassword(ctx context.Context, id int64) (string, error) {
	pw := GeneratePassword()
	hash, err := HashPassword(pw)
	if err != nil {
		return "", err
	}
	err = s.db.Tx(ctx, func(q store.Querier) error {
		if _, err := getUser(ctx, q, id); err != nil {
			return err
		}
		if _, err := q.Exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?`,
			hash, true, time.Now().UTC(), id); err != nil {
			return fmt.Errorf("reset password: %w", err)
		}
		if _, err := q.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return audit.Write(ctx, q, audit.Entry{Action: "password_reset", Entity: "user", EntityID: id})
	})
	return pw, err
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
