package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/errs"
	"gongjian/internal/importer"
	"gongjian/internal/xlsx"
)

// ImportInput is an uploaded spreadsheet: the .xlsx (or CSV) as the request
// body, or a multipart form whose field "file" holds it.
type ImportInput struct {
	DryRun      bool   `query:"dry_run" doc:"true：只预检并统计新增、更新、不变的条数和问题，不写入"`
	CampaignID  int64  `query:"campaign_id" minimum:"0" doc:"事项、节点、目标导入所属的攻坚年；招商项目开工转重点项目、督办件关联事项所用的攻坚年（不填为最新）"`
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"`
}

// TemplateInput picks the campaign whose zones fill the items template.
type TemplateInput struct {
	CampaignID int64 `query:"campaign_id" minimum:"0"`
}

// uploadReader returns the workbook of an upload: the body itself, or the
// "file" part of a multipart form.
func uploadReader(contentType string, body []byte) (io.Reader, error) {
	mt, params, _ := mime.ParseMediaType(contentType)
	if mt != "multipart/form-data" {
		return bytes.NewReader(body), nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil, errs.Invalid([]errs.FieldError{{Field: "file", Key: "import.no_file", Message: "表单中没有名为 file 的文件"}})
		}
		if p.FormName() == "file" {
			return p, nil
		}
	}
}

// problemsError turns located import problems into a validation error whose
// fields name the sheet, cell and value.
func problemsError(ps []xlsx.Problem) error {
	fields := make([]errs.FieldError, 0, len(ps))
	for _, p := range ps {
		where := p.Sheet
		if p.Column != "" || p.Row > 0 {
			where += fmt.Sprintf("!%s%d", p.Column, p.Row)
		}
		msg := fmt.Sprintf("工作表“%s”", p.Sheet)
		if p.Row > 0 {
			msg += fmt.Sprintf("第 %d 行", p.Row)
		}
		if p.Column != "" {
			msg += fmt.Sprintf(" %s 列", p.Column)
		}
		fields = append(fields, errs.FieldError{Field: where, Key: "import.cell", Message: msg + "：" + p.Message, Value: p.Value})
	}
	return errs.Invalid(fields)
}

// importFailed is a commit refused for problems in the file: a validation
// error whose problem+json also lists the problems.
type importFailed struct {
	err      error
	problems []xlsx.Problem
}

func (f importFailed) Error() string { return f.err.Error() }
func (f importFailed) Unwrap() error { return f.err }
func (f importFailed) ImportProblems() []ImportProblem {
	out := make([]ImportProblem, len(f.problems))
	for i, p := range f.problems {
		out[i] = ImportProblem(p)
	}
	return out
}

// ImportProblem is one located problem of a refused import (xlsx.Problem,
// named apart from the API's Problem in the schema).
type ImportProblem xlsx.Problem

// uploadLimit is what huma reads of an upload; the importer refuses more
// than its own limit with a clear message.
const uploadLimit = 24 << 20

func (s *Server) importRoutes() {
	imp := importer.New(s.deps.DB, s.deps.Org, s.deps.Campaign, s.deps.Progress).WithEnterprises(s.deps.Enterprises, s.deps.Cases, s.visitRaiser())
	tag := []string{"导入导出"}
	perms := map[string]access.Permission{"units": access.OrgEdit, "persons": access.OrgEdit,
		"items": access.ItemEdit, "milestones": access.ItemEdit, "targets": access.ItemEdit,
		"enterprises": access.EnterpriseWrite, "visits": access.EnterpriseWrite, "leads": access.EnterpriseWrite, "cases": access.CaseWrite}
	labels := map[string]string{"units": "单位", "persons": "人员", "items": "事项", "milestones": "节点", "targets": "目标",
		"enterprises": "企业", "visits": "走访记录", "leads": "招商项目", "cases": "督办件"}
	s.reportFormRoutes(imp)
	for _, kind := range importer.Kinds {
		register(s, perms[kind], huma.Operation{OperationID: "template-" + kind, Method: http.MethodGet, Path: "/api/v1/templates/" + kind + ".xlsx",
			Tags: tag, Summary: labels[kind] + "导入模板（.xlsx）",
			Description: "含填写说明页、带 * 的必填表头、由隐藏“字典”页提供的下拉选项（单位、战区、领导、类型、状态）和示例行。",
			Responses:   xlsxResponses()},
			func(ctx context.Context, in *TemplateInput) (*huma.StreamResponse, error) {
				var buf bytes.Buffer
				if err := imp.WriteTemplate(ctx, &buf, kind, in.CampaignID); err != nil {
					return nil, err
				}
				return s.download(ctx, xlsxMediaType, "gongjian-"+kind+"-template.xlsx", &buf), nil
			})
		register(s, perms[kind], huma.Operation{OperationID: "import-" + kind, Method: http.MethodPost, Path: "/api/v1/" + kind + "/import",
			Tags: tag, Summary: "导入" + labels[kind] + "（.xlsx 或 CSV）", MaxBodyBytes: uploadLimit,
			Description: "请求体为 .xlsx 或 CSV（UTF-8 或 GB18030），或 multipart 表单字段 file。dry_run=true 只预检：返回将新增、更新、不变的条数和每个问题" +
				"（工作表、行、列、值、说明）；正式导入要么全部成功，要么有任何问题时一条也不写入并返回 422，problems 列出全部问题。" +
				"按编码匹配已有记录，再次导入同一文件不改变任何数据。文件超过 20 MB、不是 .xlsx/CSV 或疑似压缩炸弹时拒绝。"},
			func(ctx context.Context, in *ImportInput) (*Body[xlsx.ImportResult], error) {
				r, err := uploadReader(in.ContentType, in.RawBody)
				if err != nil {
					return nil, err
				}
				var res xlsx.ImportResult
				switch kind {
				case "units":
					res, err = imp.ImportUnits(ctx, r, in.DryRun)
				case "persons":
					res, err = imp.ImportPersons(ctx, r, in.DryRun)
				case "items":
					res, err = imp.ImportItems(ctx, in.CampaignID, r, in.DryRun)
				case "milestones":
					res, err = imp.ImportMilestones(ctx, in.CampaignID, r, in.DryRun)
				case "targets":
					res, err = imp.ImportTargets(ctx, in.CampaignID, r, in.DryRun)
				case "enterprises":
					res, err = imp.ImportEnterprises(ctx, r, in.DryRun)
				case "visits":
					res, err = imp.ImportVisits(ctx, r, in.DryRun)
				case "leads":
					res, err = imp.ImportLeads(ctx, in.CampaignID, r, in.DryRun)
				case "cases":
					res, err = imp.ImportCases(ctx, in.CampaignID, r, in.DryRun)
				}
				if errors.Is(err, importer.ErrProblems) {
					return nil, importFailed{err: problemsError(res.Problems), problems: res.Problems}
				}
				if err != nil {
					return nil, err
				}
				return &Body[xlsx.ImportResult]{Body: res}, nil
			})
	}
}
