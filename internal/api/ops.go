package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/errs"
)

func jsonEncode(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }

// PermissionKey is where an operation's required permission is kept in its
// metadata; the role-matrix test reads it from the router.
const PermissionKey = "x-permission"

// register adds an operation that needs perm (empty for public ones) and maps
// every error it returns through problemOf. All routes go through here, so
// none can forget the permission check or the error mapping.
func register[I, O any](s *Server, perm access.Permission, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[PermissionKey] = string(perm)
	if perm != "" {
		op.Security = []map[string][]string{{"session": {}}}
		op.Description = strings.TrimSpace(op.Description + "\n\n所需权限：`" + string(perm) + "`")
	}
	op.Errors = append(op.Errors, http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity)
	if strings.Contains(op.Path, "{") && !slices.Contains(op.Errors, http.StatusNotFound) {
		op.Errors = append(op.Errors, http.StatusNotFound)
	}
	if perm != "" {
		// Checked before huma reads and validates the body, so that a caller
		// without the right learns nothing from validation messages.
		op.Middlewares = append(op.Middlewares, func(hctx huma.Context, next func(huma.Context)) {
			a := access.From(hctx.Context())
			switch {
			case a == nil:
				_ = huma.WriteErr(s.api, hctx, http.StatusUnauthorized, "请先登录")
			case a.MustChangePassword && !passwordFree[op.OperationID]:
				_ = huma.WriteErr(s.api, hctx, http.StatusForbidden, "首次登录或密码已被重置，请先修改密码", errPasswordChange)
			case !a.Can(perm):
				_ = huma.WriteErr(s.api, hctx, http.StatusForbidden, fmt.Sprintf("当前角色（%s）无权执行此操作", a.Role.Label()))
			default:
				next(hctx)
			}
		})
	}
	huma.Register(s.api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, problemOf(ctx, s.deps.Log, err)
		}
		return out, nil
	})
}

// passwordFree lists what an account that must change its password may still do.
var passwordFree = map[string]bool{"me": true, "change-password": true, "logout": true}

// errPasswordChange tells the UI, by its key, to show the change-password form.
var errPasswordChange = &errs.Error{Kind: errs.KindForbidden, Key: "password.change_required", Message: "请先修改密码"}

// IDInput is a path with a record id.
type IDInput struct {
	ID int64 `path:"id" minimum:"1"`
}

// Body wraps a response body.
type Body[T any] struct {
	Body T
}

// Tagged is a response with the record's version as its ETag.
type Tagged[T any] struct {
	ETag string `header:"ETag"`
	Body T
}

// WriteInput is an update: the id, the version the client last read (If-Match),
// and the new content.
type WriteInput[T any] struct {
	ID      int64  `path:"id" minimum:"1"`
	IfMatch string `header:"If-Match" required:"true" doc:"记录当前版本号（读取时的 ETag 或 version），防止覆盖他人的修改"`
	Body    T
}

// DeleteInput is a delete of a given version.
type DeleteInput struct {
	ID      int64  `path:"id" minimum:"1"`
	IfMatch string `header:"If-Match" required:"true" doc:"记录当前版本号"`
}

// ListOf is a list response.
type ListOf[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// parseVersion reads If-Match as "3", 3 or W/"3".
func parseVersion(h string) (int, error) {
	v := strings.Trim(strings.TrimPrefix(strings.TrimSpace(h), "W/"), `"`)
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, errs.Invalid([]errs.FieldError{{Field: "If-Match", Key: "version.invalid",
			Message: "If-Match 应为记录的版本号（version），如 \"3\"", Value: h}})
	}
	return n, nil
}

// crud registers get, create, update and delete for one kind of record under
// base (e.g. /api/v1/units).
type crud[T, In any] struct {
	base, tag, name, label string // name: singular for operation ids; label: Chinese
	read, edit             access.Permission
	version                func(T) int
	get                    func(context.Context, int64) (T, error)
	create                 func(context.Context, In) (T, error)
	update                 func(context.Context, int64, int, In) (T, error)
	del                    func(context.Context, int64, int) error
}

func (c crud[T, In]) register(s *Server) {
	c.registerWithoutCreate(s)
	register(s, c.edit, huma.Operation{OperationID: "create-" + c.name, Method: http.MethodPost, Path: c.base, Tags: []string{c.tag},
		Summary: "新建" + c.label, DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict}},
		func(ctx context.Context, in *Body[In]) (*Tagged[T], error) {
			v, err := c.create(ctx, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[T]{ETag: etag(c.version(v)), Body: v}, nil
		})
}

// registerWithoutCreate is for records created under a parent, such as an
// item's milestones.
func (c crud[T, In]) registerWithoutCreate(s *Server) {
	item := c.base + "/{id}"
	register(s, c.read, huma.Operation{OperationID: "get-" + c.name, Method: http.MethodGet, Path: item, Tags: []string{c.tag},
		Summary: "查看" + c.label, Errors: []int{http.StatusNotFound}},
		func(ctx context.Context, in *IDInput) (*Tagged[T], error) {
			v, err := c.get(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Tagged[T]{ETag: etag(c.version(v)), Body: v}, nil
		})
	register(s, c.edit, huma.Operation{OperationID: "update-" + c.name, Method: http.MethodPut, Path: item, Tags: []string{c.tag},
		Summary: "修改" + c.label, Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed}},
		func(ctx context.Context, in *WriteInput[In]) (*Tagged[T], error) {
			ver, err := parseVersion(in.IfMatch)
			if err != nil {
				return nil, err
			}
			v, err := c.update(ctx, in.ID, ver, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[T]{ETag: etag(c.version(v)), Body: v}, nil
		})
	register(s, c.edit, huma.Operation{OperationID: "delete-" + c.name, Method: http.MethodDelete, Path: item, Tags: []string{c.tag},
		Summary: "删除" + c.label, DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed}},
		func(ctx context.Context, in *DeleteInput) (*struct{}, error) {
			ver, err := parseVersion(in.IfMatch)
			if err != nil {
				return nil, err
			}
			return nil, c.del(ctx, in.ID, ver)
		})
}
