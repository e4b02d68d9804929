package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/store"
	"gongjian/internal/xlsx"
)

// AuditExportInput filters the exported trail.
type AuditExportInput struct {
	Entity   string `query:"entity" maxLength:"40"`
	EntityID string `query:"entity_id" maxLength:"40"`
	UserID   int64  `query:"user_id" minimum:"0"`
	Format   string `query:"format" enum:"xlsx,csv" default:"xlsx" doc:"xlsx（默认）或 csv（UTF-8，带 BOM）"`
}

// exportSheet starts an export in the asked format, with its media type and
// file extension.
func exportSheet(format, sheet string, cols []xlsx.Column) (xlsx.Sheet, string, string, error) {
	if format == "csv" {
		w, err := xlsx.NewCSV(cols)
		return w, xlsx.CSVMediaType, "csv", err
	}
	w, err := xlsx.New(sheet, cols)
	return w, xlsxMediaType, "xlsx", err
}

func (s *Server) exportRoutes() {
	register(s, access.AuditRead, huma.Operation{OperationID: "export-audit", Method: http.MethodGet, Path: "/api/v1/audit/export",
		Tags: []string{"留痕"}, Summary: "导出留痕（.xlsx 或 CSV）", Description: "导出本身也记入留痕（含个人信息的导出）。format=csv 时为 UTF-8（带 BOM）CSV。",
		Responses: map[string]*huma.Response{"200": {Description: "Excel 工作簿或 CSV", Content: map[string]*huma.MediaType{
			xlsxMediaType: {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			"text/csv":    {Schema: &huma.Schema{Type: "string"}}}}}},
		func(ctx context.Context, in *AuditExportInput) (*huma.StreamResponse, error) {
			f := audit.Filter{Entity: in.Entity, EntityID: in.EntityID, UserID: in.UserID}
			// The trail holds names and addresses: exporting it is itself recorded.
			if err := s.deps.DB.Tx(ctx, func(q store.Querier) error {
				return audit.Write(ctx, q, audit.Entry{Action: "export", Entity: "audit_log", After: f})
			}); err != nil {
				return nil, err
			}
			w, mediaType, ext, err := exportSheet(in.Format, "留痕", []xlsx.Column{{Header: "编号", Width: 8}, {Header: "时间", Width: 20}, {Header: "用户", Width: 14},
				{Header: "地址", Width: 16}, {Header: "操作", Width: 16}, {Header: "对象", Width: 12}, {Header: "对象编号", Width: 10},
				{Header: "修改前", Width: 50}, {Header: "修改后", Width: 50}, {Header: "哈希", Width: 20}})
			if err != nil {
				return nil, err
			}
			if err := audit.Each(ctx, s.deps.DB.Read(), f, func(r audit.Record) error {
				return w.Row(r.ID, r.At.Local(), r.Username, r.IP, r.Action, r.Entity, r.EntityID, r.Before, r.After, r.Hash)
			}); err != nil {
				return nil, err
			}
			name := fmt.Sprintf("gongjian-audit-%s.%s", time.Now().Format("20060102-150405"), ext)
			return s.download(ctx, mediaType, name, w), nil
		})
}
