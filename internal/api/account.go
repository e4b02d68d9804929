package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/auth"
)

// CreatedToken is a new API token with its secret, shown only this once.
type CreatedToken struct {
	Token  auth.Token `json:"token"`
	Secret string     `json:"secret" doc:"令牌明文，仅显示这一次；调用时放在 Authorization: Bearer 头中"`
}

// ResetOutput carries a generated password, shown once.
type ResetOutput struct {
	Password string `json:"password" doc:"系统生成的新密码，仅显示这一次，下次登录须修改"`
}

func (s *Server) accountRoutes() {
	a := s.deps.Auth
	register(s, access.Self, huma.Operation{OperationID: "change-password", Method: http.MethodPost, Path: "/api/v1/auth/password",
		Tags: []string{"账号"}, Summary: "修改本人密码", Description: "修改后本账号的其他会话全部失效。", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *Body[auth.PasswordChange]) (*struct{}, error) {
			return nil, a.ChangePassword(ctx, in.Body)
		})
	register(s, access.Self, huma.Operation{OperationID: "logout-everywhere", Method: http.MethodPost, Path: "/api/v1/auth/logout-all",
		Tags: []string{"账号"}, Summary: "退出所有设备上的登录"},
		func(ctx context.Context, _ *struct{}) (*LogoutOutput, error) {
			if err := a.LogoutEverywhere(ctx); err != nil {
				return nil, err
			}
			return &LogoutOutput{SetCookie: sessionCookie("", time.Unix(0, 0), requestInfo(ctx).TLS)}, nil
		})
	register(s, access.Self, huma.Operation{OperationID: "list-tokens", Method: http.MethodGet, Path: "/api/v1/auth/tokens",
		Tags: []string{"账号"}, Summary: "本人的 API 令牌"},
		func(ctx context.Context, _ *struct{}) (*Body[ListOf[auth.Token]], error) {
			ts, err := a.ListTokens(ctx)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[auth.Token]]{Body: ListOf[auth.Token]{Items: ts, Total: len(ts)}}, nil
		})
	register(s, access.Self, huma.Operation{OperationID: "create-token", Method: http.MethodPost, Path: "/api/v1/auth/tokens",
		Tags: []string{"账号"}, Summary: "新建 API 令牌", Description: "供系统对接使用；权限为本人权限的子集；明文只返回一次。", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *Body[auth.TokenInput]) (*Body[CreatedToken], error) {
			t, secret, err := a.CreateToken(ctx, in.Body)
			if err != nil {
				return nil, err
			}
			return &Body[CreatedToken]{Body: CreatedToken{Token: t, Secret: secret}}, nil
		})
	register(s, access.Self, huma.Operation{OperationID: "revoke-token", Method: http.MethodDelete, Path: "/api/v1/auth/tokens/{id}",
		Tags: []string{"账号"}, Summary: "吊销 API 令牌", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *IDInput) (*struct{}, error) {
			return nil, a.RevokeToken(ctx, in.ID)
		})
	register(s, access.UserManage, huma.Operation{OperationID: "get-user", Method: http.MethodGet, Path: "/api/v1/users/{id}",
		Tags: []string{"账号"}, Summary: "查看用户"},
		func(ctx context.Context, in *IDInput) (*Tagged[auth.User], error) {
			u, err := a.GetUser(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Tagged[auth.User]{ETag: etag(u.Version), Body: u}, nil
		})
	register(s, access.UserManage, huma.Operation{OperationID: "update-user", Method: http.MethodPut, Path: "/api/v1/users/{id}",
		Tags: []string{"账号"}, Summary: "修改用户（角色、单位、停用）", Description: "角色、单位或关联人员变更后，该用户的会话全部失效。"},
		func(ctx context.Context, in *WriteInput[auth.UserUpdate]) (*Tagged[auth.User], error) {
			ver, err := parseVersion(in.IfMatch)
			if err != nil {
				return nil, err
			}
			u, err := a.UpdateUser(ctx, in.ID, ver, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[auth.User]{ETag: etag(u.Version), Body: u}, nil
		})
	register(s, access.UserManage, huma.Operation{OperationID: "reset-password", Method: http.MethodPost, Path: "/api/v1/users/{id}/reset-password",
		Tags: []string{"账号"}, Summary: "重置用户密码", Description: "生成新密码（仅显示一次），该用户下次登录须修改。"},
		func(ctx context.Context, in *IDInput) (*Body[ResetOutput], error) {
			pw, err := a.ResetPassword(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Body[ResetOutput]{Body: ResetOutput{Password: pw}}, nil
		})
}
