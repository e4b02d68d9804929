package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/audit"
)

// AuditListInput filters the audit trail.
type AuditListInput struct {
	Entity   string `query:"entity" maxLength:"40"`
	EntityID string `query:"entity_id" maxLength:"40"`
	UserID   int64  `query:"user_id" minimum:"0"`
	Page     int    `query:"page" minimum:"0" maximum:"1000000"`
	PageSize int    `query:"page_size" minimum:"0" maximum:"500"`
}

// VerifyOutput is the result of checking the hash chain.
type VerifyOutput struct {
	Checked  int           `json:"checked"`
	OK       bool          `json:"ok"`
	Problems []audit.Break `json:"problems"`
}

func (s *Server) auditRoutes() {
	register(s, access.AuditRead, huma.Operation{OperationID: "list-audit", Method: http.MethodGet, Path: "/api/v1/audit",
		Tags: []string{"留痕"}, Summary: "操作留痕", Description: "最新的在前。"},
		func(ctx context.Context, in *AuditListInput) (*Body[ListOf[audit.Record]], error) {
			rs, total, err := audit.List(ctx, s.deps.DB.Read(), audit.Filter{Entity: in.Entity, EntityID: in.EntityID, UserID: in.UserID,
				Page: in.Page, PageSize: in.PageSize})
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[audit.Record]]{Body: ListOf[audit.Record]{Items: rs, Total: total}}, nil
		})
	register(s, access.AuditRead, huma.Operation{OperationID: "verify-audit", Method: http.MethodGet, Path: "/api/v1/audit/verify",
		Tags: []string{"留痕"}, Summary: "校验留痕哈希链"},
		func(ctx context.Context, _ *struct{}) (*Body[VerifyOutput], error) {
			n, ps, err := audit.Verify(ctx, s.deps.DB.Read())
			if err != nil {
				return nil, err
			}
			if ps == nil {
				ps = []audit.Break{}
			}
			return &Body[VerifyOutput]{Body: VerifyOutput{Checked: n, OK: len(ps) == 0, Problems: ps}}, nil
		})
}
