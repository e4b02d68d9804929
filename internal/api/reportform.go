package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/importer"
	"gongjian/internal/xlsx"
)

// ReportFormInput picks the period (empty: the one due now) and, for a
// supervisor, the unit of an offline report form.
type ReportFormInput struct {
	ID     int64  `path:"id" minimum:"1"`
	Period string `query:"period" maxLength:"10" doc:"填报期，如 2022-09 或 2022-W36；默认当前应报的一期"`
	UnitID int64  `query:"unit_id" minimum:"0" doc:"督查室可指定单位；填报员只能下载本单位的"`
}

// ReportFormUpload is a filled offline report form.
type ReportFormUpload struct {
	ID          int64  `path:"id" minimum:"1"`
	Period      string `query:"period" maxLength:"10"`
	UnitID      int64  `query:"unit_id" minimum:"0"`
	DryRun      bool   `query:"dry_run" doc:"true：只预检，不写入"`
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"`
}

func (s *Server) reportFormRoutes(imp *importer.Service) {
	tag := []string{"进展填报"}
	register(s, access.ReportWrite, huma.Operation{OperationID: "get-report-form", Method: http.MethodGet, Path: "/api/v1/campaigns/{id}/report-form.xlsx",
		Tags: tag, Summary: "下载离线填报表（.xlsx）",
		Description: "本单位本期应报事项，每行一个：事项、各目标（单位、目标值、上期实际）、各节点（计划日期）为锁定列；目标实际值、节点实际日期、完成投资、工作进展、存在问题、下步计划和“操作”（保存草稿/报送）待填写。",
		Responses: map[string]*huma.Response{"200": {Description: "Excel 工作簿", Content: map[string]*huma.MediaType{
			xlsxMediaType: {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}},
		func(ctx context.Context, in *ReportFormInput) (*huma.StreamResponse, error) {
			var buf bytes.Buffer
			if err := imp.WriteReportForm(ctx, &buf, in.ID, in.Period, in.UnitID); err != nil {
				return nil, err
			}
			name := fmt.Sprintf("gongjian-report-form-%d.xlsx", in.ID)
			return s.download(ctx, xlsxMediaType, name, &buf), nil
		})
	register(s, access.ReportWrite, huma.Operation{OperationID: "import-report-form", Method: http.MethodPost, Path: "/api/v1/campaigns/{id}/report-form",
		Tags: tag, Summary: "上传离线填报表", MaxBodyBytes: uploadLimit,
		Description: "每个填写了内容的行成为该事项本期的填报（保存草稿，“操作”为报送时再报送），校验与在线填报相同，问题按行、列列出；要么全部写入，要么一条也不写入。再次上传同一文件不改变任何数据。"},
		func(ctx context.Context, in *ReportFormUpload) (*Body[xlsx.ImportResult], error) {
			r, err := uploadReader(in.ContentType, in.RawBody)
			if err != nil {
				return nil, err
			}
			res, err := imp.ImportReportForm(ctx, in.ID, in.Period, in.UnitID, r, in.DryRun)
			if errors.Is(err, importer.ErrProblems) {
				return nil, importFailed{err: problemsError(res.Problems), problems: res.Problems}
			}
			if err != nil {
				return nil, err
			}
			return &Body[xlsx.ImportResult]{Body: res}, nil
		})
}
