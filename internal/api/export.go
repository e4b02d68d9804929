package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/xlsx"
)

// AuditExportInput filters the exported trail.
type AuditExportInput struct {
	Entity   string `query:"entity" maxLength:"40"`
	EntityID string `query:"entity_id" maxLength:"40"`
	UserID   int64  `query:"user_id" minimum:"0"`
	ExportFormat
}

func (s *Server) exportRoutes() {
	register(s, access.AuditRead, huma.Operation{OperationID: "export-audit", Method: http.MethodGet, Path: "/api/v1/audit/export",
		Tags: []string{"留痕"}, Summary: "导出留痕（.xlsx 或 CSV）", Description: "导出本身也记入留痕（含个人信息的导出）。format=csv 时为 UTF-8（带 BOM）CSV。",
		Responses: exportResponses()},
		func(ctx context.Context, in *AuditExportInput) (*huma.StreamResponse, error) {
			f := audit.Filter{Entity: in.Entity, EntityID: in.EntityID, UserID: in.UserID}
			// The trail holds names and addresses: exporting it is itself recorded.
			if err := s.auditExport(ctx, "audit_log", f); err != nil {
				return nil, err
			}
			return s.export(ctx, in.Format, "", exportSheet{name: "audit", sheetZh: "留痕", cols: []exportCol{{"编号", "", 8}, {"时间", "", 20},
				{"用户", "", 14}, {"地址", "", 16}, {"操作", "", 16}, {"对象", "", 12}, {"对象编号", "", 10}, {"修改前", "", 50}, {"修改后", "", 50},
				{"哈希", "", 20}}},
				func(w xlsx.Sheet) error {
					return audit.Each(ctx, s.deps.DB.Read(), f, func(r audit.Record) error {
						return w.Row(r.ID, r.At.Local(), r.Username, r.IP, r.Action, r.Entity, r.EntityID, r.Before, r.After, r.Hash)
					})
				})
		})
}
