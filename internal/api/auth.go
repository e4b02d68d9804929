package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/auth"
	"gongjian/internal/errs"
)

// LoginInput is a sign-in.
type LoginInput struct {
	Body struct {
		Username string `json:"username" maxLength:"64"`
		Password string `json:"password" maxLength:"200"`
	}
}

// LoginOutput sets the session cookie.
type LoginOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      auth.Session
}

// LogoutOutput clears the session cookie.
type LogoutOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
}

// CreatedUser is a new account and, when generated, its one-time password.
type CreatedUser struct {
	User     auth.User `json:"user"`
	Password string    `json:"password,omitempty" doc:"系统生成的初始密码，仅显示这一次"`
}

func (s *Server) authRoutes() {
	register(s, "", huma.Operation{OperationID: "login", Method: http.MethodPost, Path: "/api/v1/auth/login", Tags: []string{"账号"},
		Summary: "登录", Description: "用户名和密码正确时建立服务端会话，并设置 HttpOnly 会话 Cookie。连续失败 5 次锁定 15 分钟。",
		Errors: []int{http.StatusTooManyRequests}},
		func(ctx context.Context, in *LoginInput) (*LoginOutput, error) {
			ri := requestInfo(ctx)
			if s.logins.blocked(ri.IP, time.Now()) {
				return nil, errTooManyLogins
			}
			sess, err := s.deps.Auth.Login(ctx, in.Body.Username, in.Body.Password, ri.IP, ri.UserAgent)
			if errs.KindOf(err) == errs.KindUnauthorized {
				s.logins.fail(ri.IP, time.Now())
			}
			if err != nil {
				return nil, err
			}
			return &LoginOutput{SetCookie: sessionCookie(sess.Token, sess.ExpiresAt, ri.TLS), Body: sess}, nil
		})
	register(s, access.Self, huma.Operation{OperationID: "logout", Method: http.MethodPost, Path: "/api/v1/auth/logout", Tags: []string{"账号"},
		Summary: "退出登录"},
		func(ctx context.Context, _ *struct{}) (*LogoutOutput, error) {
			if err := s.deps.Auth.Logout(ctx); err != nil {
				return nil, err
			}
			return &LogoutOutput{SetCookie: sessionCookie("", time.Unix(0, 0), requestInfo(ctx).TLS)}, nil
		})
	register(s, access.Self, huma.Operation{OperationID: "me", Method: http.MethodGet, Path: "/api/v1/auth/me", Tags: []string{"账号"},
		Summary: "当前用户"},
		func(ctx context.Context, _ *struct{}) (*Body[MeOutput], error) {
			u, err := s.deps.Auth.Me(ctx)
			if err != nil {
				return nil, err
			}
			perms := []string{}
			for _, p := range u.Role.Permissions() {
				perms = append(perms, string(p))
			}
			return &Body[MeOutput]{Body: MeOutput{User: u, Permissions: perms}}, nil
		})
	register(s, access.UserManage, huma.Operation{OperationID: "list-users", Method: http.MethodGet, Path: "/api/v1/users", Tags: []string{"账号"},
		Summary: "用户列表"},
		func(ctx context.Context, _ *struct{}) (*Body[ListOf[auth.User]], error) {
			us, err := s.deps.Auth.ListUsers(ctx)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[auth.User]]{Body: ListOf[auth.User]{Items: us, Total: len(us)}}, nil
		})
	register(s, access.UserManage, huma.Operation{OperationID: "create-user", Method: http.MethodPost, Path: "/api/v1/users", Tags: []string{"账号"},
		Summary: "新建用户", Description: "不给密码时系统生成一个，仅在响应中出现一次，首次登录须修改。", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *Body[auth.UserInput]) (*Body[CreatedUser], error) {
			u, pw, err := s.deps.Auth.CreateUser(ctx, in.Body)
			if err != nil {
				return nil, err
			}
			return &Body[CreatedUser]{Body: CreatedUser{User: u, Password: pw}}, nil
		})
}

var errTooManyLogins = &errs.Error{Kind: errs.KindTooMany, Key: "login.rate_limited", Message: "该地址登录失败次数过多，请 15 分钟后再试"}

// MeOutput is the signed-in user with the permissions the UI uses to show menus.
type MeOutput struct {
	User        auth.User `json:"user"`
	Permissions []string  `json:"permissions"`
}

func sessionCookie(token string, expires time.Time, secure bool) http.Cookie {
	c := http.Cookie{Name: auth.CookieName, Value: token, Path: "/", HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteLaxMode, Expires: expires}
	if token == "" {
		c.MaxAge = -1
	}
	return c
}
