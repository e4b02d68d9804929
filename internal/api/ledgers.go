package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/ledger"
	"gongjian/internal/store"
	"gongjian/internal/xlsx"
)

// LedgerListInput filters ledgers.
type LedgerListInput struct {
	Q           string `query:"q" maxLength:"100" doc:"按名称或编码模糊查找"`
	OwnerUnitID int64  `query:"owner_unit_id" minimum:"0"`
	Sort        string `query:"sort" maxLength:"40" doc:"id、code、name、updated_at，前加 - 为倒序"`
	Page        int    `query:"page" minimum:"0" maximum:"100000"`
	PageSize    int    `query:"page_size" minimum:"0" maximum:"500"`
}

// LedgerRowsInput filters a ledger's rows.
type LedgerRowsInput struct {
	ID         int64    `path:"id" minimum:"1"`
	Q          string   `query:"q" maxLength:"100" doc:"在所有字段中模糊查找"`
	PeriodFrom string   `query:"period_from" pattern:"^(\\d{4}-\\d{2})?$" doc:"起始月份 YYYY-MM"`
	PeriodTo   string   `query:"period_to" pattern:"^(\\d{4}-\\d{2})?$" doc:"截止月份 YYYY-MM"`
	Filter     []string `query:"filter,explode" maxItems:"20" doc:"字段:值，可重复，如 state:已盘活、street:幸福街道"`
	Sort       string   `query:"sort" maxLength:"41" doc:"字段标识、id 或 updated_at，前加 - 为倒序"`
	Page       int      `query:"page" minimum:"0" maximum:"100000"`
	PageSize   int      `query:"page_size" minimum:"0" maximum:"500"`
}

func (in LedgerRowsInput) filter() (ledger.RowFilter, error) {
	eq, err := ledger.ParseEquals(in.Filter)
	return ledger.RowFilter{Q: in.Q, PeriodFrom: in.PeriodFrom, PeriodTo: in.PeriodTo, Equals: eq, Sort: in.Sort,
		Page: store.Page{Number: in.Page, Size: in.PageSize}}, err
}

// LedgerFiguresInput selects figures.
type LedgerFiguresInput struct {
	ID         int64     `path:"id" minimum:"1"`
	AsOf       date.Date `query:"as_of" doc:"按此日期查看（YYYY-MM-DD），默认当前"`
	GroupBy    string    `query:"group_by" maxLength:"40" doc:"分组：选项、单位、战区、事项、企业字段的标识，或 period（月）、year（年）"`
	PeriodFrom string    `query:"period_from" pattern:"^(\\d{4}-\\d{2})?$"`
	PeriodTo   string    `query:"period_to" pattern:"^(\\d{4}-\\d{2})?$"`
	Filter     []string  `query:"filter,explode" maxItems:"20" doc:"字段:值，可重复"`
}

// LedgerAsOfInput is a ledger and a day.
type LedgerAsOfInput struct {
	ID   int64     `path:"id" minimum:"1"`
	AsOf date.Date `query:"as_of"`
}

// LedgerRowInput adds a row.
type LedgerRowInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body ledger.LedgerRowInput
}

// LedgerLinkInput links a target.
type LedgerLinkInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body ledger.TargetLinkInput
}

// LedgerImportInput is an uploaded workbook: the .xlsx as the request body,
// or a multipart form whose field "file" holds it.
type LedgerImportInput struct {
	ID          int64  `path:"id" minimum:"1"`
	DryRun      bool   `query:"dry_run" doc:"true：只检查并统计，不写入"`
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"`
}

func (s *Server) ledgerRoutes() {
	l := s.deps.Ledgers
	tag := []string{"台账"}
	register(s, access.LedgerRead, huma.Operation{OperationID: "list-ledgers", Method: http.MethodGet, Path: "/api/v1/ledgers", Tags: tag,
		Summary: "台账列表", Description: "全部台账的定义、责任单位、现有行数，以及当前用户可否填报。"},
		func(ctx context.Context, in *LedgerListInput) (*Body[ListOf[ledger.Ledger]], error) {
			ls, total, err := l.ListLedgers(ctx, ledger.LedgerFilter{Q: in.Q, OwnerUnitID: in.OwnerUnitID, Sort: in.Sort,
				Page: store.Page{Number: in.Page, Size: in.PageSize}})
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[ledger.Ledger]]{Body: ListOf[ledger.Ledger]{Items: ls, Total: total}}, nil
		})
	crud[ledger.Ledger, ledger.LedgerInput]{base: "/api/v1/ledgers", tag: "台账", name: "ledger", label: "台账（定义）",
		read: access.LedgerRead, edit: access.LedgerDefine, version: func(v ledger.Ledger) int { return v.Version },
		get: l.GetLedger, create: l.CreateLedger, update: l.UpdateLedger, del: l.DeleteLedger}.register(s)
	register(s, access.LedgerRead, huma.Operation{OperationID: "list-ledger-definitions", Method: http.MethodGet,
		Path: "/api/v1/ledgers/{id}/definitions", Tags: tag, Summary: "台账定义的历次版本",
		Description: "每次修改定义都留下一版：字段（含已归档的）、行标识字段、日期字段，谁、何时、说明。"},
		func(ctx context.Context, in *IDInput) (*Body[ListOf[ledger.LedgerDefinition]], error) {
			ds, err := l.Definitions(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[ledger.LedgerDefinition]]{Body: ListOf[ledger.LedgerDefinition]{Items: ds, Total: len(ds)}}, nil
		})

	register(s, access.LedgerRead, huma.Operation{OperationID: "list-ledger-rows", Method: http.MethodGet, Path: "/api/v1/ledgers/{id}/rows",
		Tags: tag, Summary: "台账的行", Description: "按关键字、月份和字段值（filter=字段:值）筛选，按字段排序，分页。"},
		func(ctx context.Context, in *LedgerRowsInput) (*Body[ledger.LedgerRowList], error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			rl, err := l.ListRows(ctx, in.ID, f)
			if err != nil {
				return nil, err
			}
			return &Body[ledger.LedgerRowList]{Body: rl}, nil
		})
	register(s, access.LedgerWrite, huma.Operation{OperationID: "create-ledger-row", Method: http.MethodPost, Path: "/api/v1/ledgers/{id}/rows",
		Tags: tag, Summary: "新增台账行", DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict},
		Description: "values 按字段标识给出。金额以万元（数字）或带单位的文字（如 \"1.5亿元\"）给出；单位、战区、事项给编号、编码或名称。" +
			"单位填报员只能填报本单位（或下级单位）负责的台账。"},
		func(ctx context.Context, in *LedgerRowInput) (*Tagged[ledger.LedgerRow], error) {
			r, err := l.CreateRow(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[ledger.LedgerRow]{ETag: etag(r.Version), Body: r}, nil
		})
	crud[ledger.LedgerRow, ledger.LedgerRowInput]{base: "/api/v1/ledger-rows", tag: "台账", name: "ledger-row", label: "台账行",
		read: access.LedgerRead, edit: access.LedgerWrite, version: func(v ledger.LedgerRow) int { return v.Version },
		get: l.GetRow, update: l.UpdateRow, del: l.DeleteRow}.registerWithoutCreate(s)
	register(s, access.LedgerRead, huma.Operation{OperationID: "list-ledger-row-history", Method: http.MethodGet,
		Path: "/api/v1/ledger-rows/{id}/history", Tags: tag, Summary: "台账行的修改历史",
		Description: "每次新增、修改、删除都留下一版，含当时的全部值、谁、何时生效、何时被替换。已删除的行也可查看。"},
		func(ctx context.Context, in *IDInput) (*Body[ListOf[ledger.LedgerRowRevision]], error) {
			rs, err := l.RowHistory(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[ledger.LedgerRowRevision]]{Body: ListOf[ledger.LedgerRowRevision]{Items: rs, Total: len(rs)}}, nil
		})

	register(s, access.LedgerRead, huma.Operation{OperationID: "get-ledger-figures", Method: http.MethodGet, Path: "/api/v1/ledgers/{id}/figures",
		Tags: tag, Summary: "台账数字：计数与合计",
		Description: "行数与各求和字段的合计，按 group_by 分组，并按每个计数字段分组计数。as_of 按历史回放：只计当日结束时有效的行及其当时的值。"},
		func(ctx context.Context, in *LedgerFiguresInput) (*Body[ledger.LedgerFigures], error) {
			eq, err := ledger.ParseEquals(in.Filter)
			if err != nil {
				return nil, err
			}
			f, err := l.Figures(ctx, in.ID, ledger.FigureFilter{AsOf: in.AsOf, GroupBy: in.GroupBy, PeriodFrom: in.PeriodFrom,
				PeriodTo: in.PeriodTo, Equals: eq})
			if err != nil {
				return nil, err
			}
			return &Body[ledger.LedgerFigures]{Body: f}, nil
		})
	register(s, access.LedgerRead, huma.Operation{OperationID: "list-ledger-links", Method: http.MethodGet, Path: "/api/v1/ledgers/{id}/links",
		Tags: tag, Summary: "关联到台账数字的目标", Description: "每个关联目标的口径、目标值和查看日的台账数字（即目标的实际值）与完成率。"},
		func(ctx context.Context, in *LedgerAsOfInput) (*Body[ListOf[ledger.TargetLink]], error) {
			ks, err := l.ListLinks(ctx, in.ID, in.AsOf)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[ledger.TargetLink]]{Body: ListOf[ledger.TargetLink]{Items: ks, Total: len(ks)}}, nil
		})
	register(s, access.LedgerDefine, huma.Operation{OperationID: "create-ledger-link", Method: http.MethodPost, Path: "/api/v1/ledgers/{id}/links",
		Tags: tag, Summary: "把目标关联到台账数字", DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict},
		Description: "measure：count（行数）、sum（field 的合计）、share（filter_field = filter_value 的行占全部行的百分比）。" +
			"关联后目标的实际值即为台账数字，随行的增删改自动更新。一个目标只能关联一个数字。"},
		func(ctx context.Context, in *LedgerLinkInput) (*Tagged[ledger.TargetLink], error) {
			k, err := l.CreateLink(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[ledger.TargetLink]{ETag: etag(k.Version), Body: k}, nil
		})
	register(s, access.LedgerDefine, huma.Operation{OperationID: "delete-ledger-link", Method: http.MethodDelete, Path: "/api/v1/ledger-links/{id}",
		Tags: tag, Summary: "解除目标与台账数字的关联", DefaultStatus: http.StatusNoContent,
		Errors: []int{http.StatusNotFound, http.StatusPreconditionFailed}},
		func(ctx context.Context, in *DeleteInput) (*struct{}, error) {
			ver, err := parseVersion(in.IfMatch)
			if err != nil {
				return nil, err
			}
			return nil, l.DeleteLink(ctx, in.ID, ver)
		})

	register(s, access.LedgerRead, huma.Operation{OperationID: "get-ledger-template", Method: http.MethodGet, Path: "/api/v1/ledgers/{id}/template",
		Tags: tag, Summary: "下载台账导入模板（.xlsx）", Responses: xlsxResponses(),
		Description: "由台账定义生成：说明页、中文表头（必填列带 *）、选项/单位/战区列的下拉列表（取自隐藏的字典页）。"},
		func(ctx context.Context, in *IDInput) (*huma.StreamResponse, error) {
			var buf bytes.Buffer
			if err := l.Template(ctx, in.ID, &buf); err != nil {
				return nil, err
			}
			return s.download(ctx, xlsxMediaType, fmt.Sprintf("gongjian-ledger-%d-template.xlsx", in.ID), &buf), nil
		})
	register(s, access.LedgerRead, huma.Operation{OperationID: "export-ledger-rows", Method: http.MethodGet, Path: "/api/v1/ledgers/{id}/export",
		Tags: tag, Summary: "导出台账行（.xlsx 或 CSV）", Responses: exportResponses(),
		Description: "按与列表相同的筛选条件导出。第一列“编号”使修改后的导出文件可以再导入，更新原有行。"},
		func(ctx context.Context, in *LedgerExportInput) (*huma.StreamResponse, error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			var buf bytes.Buffer
			if err := l.Export(ctx, in.ID, f, in.Format, &buf); err != nil {
				return nil, err
			}
			return s.sendExport(ctx, in.Format, fmt.Sprintf("ledger-%d", in.ID), &buf), nil
		})
	register(s, access.LedgerWrite, huma.Operation{OperationID: "import-ledger-rows", Method: http.MethodPost, Path: "/api/v1/ledgers/{id}/import",
		Tags: tag, Summary: "导入台账行（.xlsx）", MaxBodyBytes: xlsx.DefaultLimits().MaxBytes,
		Description: "请求体为 .xlsx（或 multipart 表单字段 file），通常是下载的模板。dry_run=true 只检查并统计新增、更新、不变的行；" +
			"正式导入时有任何问题则一行也不写入，返回 422（problem+json），problems 逐条指明工作表、行、列、值和原因。" +
			"有行标识字段（或“编号”列）时按其更新已有行，重复导入同一文件不改变任何数据。"},
		func(ctx context.Context, in *LedgerImportInput) (*Body[xlsx.ImportResult], error) {
			r, err := uploadReader(in.ContentType, in.RawBody)
			if err != nil {
				return nil, err
			}
			res, err := l.Import(ctx, in.ID, r, in.DryRun)
			if err != nil {
				return nil, err
			}
			if !in.DryRun && len(res.Problems) > 0 {
				return nil, importFailed{err: problemsError(res.Problems), problems: res.Problems}
			}
			return &Body[xlsx.ImportResult]{Body: res}, nil
		})
}
