package api

import (
	"bytes"
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/indicator"
	"gongjian/internal/xlsx"
)

// IndicatorPeriodInput picks a period and a day to look from.
type IndicatorPeriodInput struct {
	Period string    `query:"period" maxLength:"20" doc:"统计期，如 2022-06；默认为有数据的最近一期"`
	AsOf   date.Date `query:"as_of" doc:"按此日期已知的数据查看（默认为当前全部数据，含更正）"`
}

// IndicatorTrendInput is an indicator and the last period of its trend.
type IndicatorTrendInput struct {
	ID     int64     `path:"id" minimum:"1"`
	Period string    `query:"period" maxLength:"20" doc:"趋势的最后一期，默认为有数据的最近一期"`
	AsOf   date.Date `query:"as_of"`
}

// IndicatorHistoryInput names one figure.
type IndicatorHistoryInput struct {
	ID       int64  `path:"id" minimum:"1"`
	RegionID int64  `query:"region_id" minimum:"0" doc:"区域 ID，默认为本区"`
	Period   string `query:"period" maxLength:"20" doc:"统计期，默认为有数据的最近一期"`
}

// IndicatorExportInput lists the periods to export, one sheet each.
type IndicatorExportInput struct {
	Periods string    `query:"periods" maxLength:"400" doc:"逗号分隔的统计期，如 2022-06,2022-09；默认为有数据的最近一期"`
	AsOf    date.Date `query:"as_of"`
	ExportFormat
}

// IndicatorImportInput is an uploaded workbook: the .xlsx as the request body,
// or a multipart form whose field "file" holds it.
type IndicatorImportInput struct {
	DryRun      bool   `query:"dry_run" doc:"true：只检查并统计，不写入"`
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"`
}

// IndicatorValuesInput is a batch of figures.
type IndicatorValuesInput struct {
	Body struct {
		Values []indicator.ValueInput `json:"values" minItems:"1" maxItems:"5000"`
	}
}

// IndicatorTargetsInput is a year.
type IndicatorTargetsInput struct {
	Year int `query:"year" minimum:"0" maximum:"2200" doc:"年度，默认为有数据的最近一期所在年"`
}

// IndicatorImportProblem is one located problem of an import (the sheet,
// row, column and value of the cell, and what is wrong with it).
type IndicatorImportProblem xlsx.Problem

// IndicatorImportResult is what an import answers.
type IndicatorImportResult struct {
	DryRun    bool                     `json:"dry_run"`
	Created   int                      `json:"created" doc:"新增的数值"`
	Updated   int                      `json:"updated" doc:"更正的数值（新修订）"`
	Unchanged int                      `json:"unchanged" doc:"与已有数值相同"`
	Problems  []IndicatorImportProblem `json:"problems"`
}

// PeriodRows is the table of a period.
type PeriodRows struct {
	Period string               `json:"period"`
	Rows   []indicator.TableRow `json:"rows"`
}

func (s *Server) indicatorRoutes() {
	x := s.deps.Indicators
	tag := []string{"经济指标"}
	period := func(ctx context.Context, p string) (string, error) {
		if strings.TrimSpace(p) != "" {
			return p, nil
		}
		return x.LatestPeriod(ctx)
	}
	crud[indicator.Indicator, indicator.IndicatorInput]{base: "/api/v1/indicators", tag: tag[0], name: "indicator", label: "指标",
		read: access.IndicatorRead, edit: access.IndicatorWrite, version: func(v indicator.Indicator) int { return v.Version },
		get: x.Indicator, create: x.CreateIndicator, update: x.UpdateIndicator, del: x.DeleteIndicator}.register(s)
	register(s, access.IndicatorRead, huma.Operation{OperationID: "list-indicators", Method: http.MethodGet, Path: "/api/v1/indicators",
		Tags: tag, Summary: "指标目录", Description: "全部指标，按显示顺序：代码、名称、计量单位、频率、累计或时点、方向、排名依据、是否列入全市排名。"},
		func(ctx context.Context, _ *struct{}) (*Body[ListOf[indicator.Indicator]], error) {
			l, err := x.Indicators(ctx)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[indicator.Indicator]]{Body: ListOf[indicator.Indicator]{Items: l, Total: len(l)}}, nil
		})
	crud[indicator.Region, indicator.RegionInput]{base: "/api/v1/indicator-regions", tag: tag[0], name: "indicator-region", label: "比较区域",
		read: access.IndicatorRead, edit: access.IndicatorWrite, version: func(v indicator.Region) int { return v.Version },
		get: x.Region, create: x.CreateRegion, update: x.UpdateRegion, del: x.DeleteRegion}.register(s)
	register(s, access.IndicatorRead, huma.Operation{OperationID: "list-indicator-regions", Method: http.MethodGet, Path: "/api/v1/indicator-regions",
		Tags: tag, Summary: "比较区域", Description: "本区、全市其他区市（同级比较对象）和全市。"},
		func(ctx context.Context, _ *struct{}) (*Body[ListOf[indicator.Region]], error) {
			l, err := x.Regions(ctx)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[indicator.Region]]{Body: ListOf[indicator.Region]{Items: l, Total: len(l)}}, nil
		})
	register(s, access.IndicatorWrite, huma.Operation{OperationID: "record-indicator-values", Method: http.MethodPost, Path: "/api/v1/indicator-values",
		Tags: tag, Summary: "录入指标数值",
		Description: "一批数值，全部成功或全部不写入；与已有数值不同的记为新的修订（更正），相同的不变。上年同期即上一年同一统计期的数值。"},
		func(ctx context.Context, in *IndicatorValuesInput) (*Body[indicator.WriteResult], error) {
			r, err := x.RecordValues(ctx, in.Body.Values)
			if err != nil {
				return nil, err
			}
			return &Body[indicator.WriteResult]{Body: r}, nil
		})
	register(s, access.IndicatorRead, huma.Operation{OperationID: "indicator-value-history", Method: http.MethodGet, Path: "/api/v1/indicators/{id}/history",
		Tags: tag, Summary: "数值修订记录", Description: "一个区域一期数值的全部修订，最早的在前。"},
		func(ctx context.Context, in *IndicatorHistoryInput) (*Body[ListOf[indicator.ValueRevision]], error) {
			p, err := period(ctx, in.Period)
			if err != nil {
				return nil, err
			}
			region := in.RegionID
			if region == 0 {
				if region, err = x.SelfRegionID(ctx); err != nil {
					return nil, err
				}
			}
			h, err := x.History(ctx, in.ID, region, p)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[indicator.ValueRevision]]{Body: ListOf[indicator.ValueRevision]{Items: h, Total: len(h)}}, nil
		})
	register(s, access.IndicatorRead, huma.Operation{OperationID: "list-indicator-targets", Method: http.MethodGet, Path: "/api/v1/indicator-targets",
		Tags: tag, Summary: "年度目标", Description: "一年的本区目标和市级引导性目标。"},
		func(ctx context.Context, in *IndicatorTargetsInput) (*Body[ListOf[indicator.AnnualTarget]], error) {
			year := in.Year
			if year == 0 {
				p, err := x.LatestPeriod(ctx)
				if err != nil {
					return nil, err
				}
				pp, _ := indicator.ParsePeriod(p)
				year = pp.Year
			}
			l, err := x.Targets(ctx, year)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[indicator.AnnualTarget]]{Body: ListOf[indicator.AnnualTarget]{Items: l, Total: len(l)}}, nil
		})
	register(s, access.IndicatorWrite, huma.Operation{OperationID: "set-indicator-target", Method: http.MethodPut, Path: "/api/v1/indicator-targets",
		Tags: tag, Summary: "设定年度目标", Description: "按指标、年度、类别（本区目标或市级引导性目标）设定，再次设定即替换（留痕）。"},
		func(ctx context.Context, in *Body[indicator.AnnualTargetInput]) (*Body[indicator.AnnualTarget], error) {
			t, err := x.SetTarget(ctx, in.Body)
			if err != nil {
				return nil, err
			}
			return &Body[indicator.AnnualTarget]{Body: t}, nil
		})
	register(s, access.IndicatorRead, huma.Operation{OperationID: "indicator-table", Method: http.MethodGet, Path: "/api/v1/indicator-table",
		Tags: tag, Summary: "指标情况表",
		Description: "一期全部指标：本区数值、同比增速、全市名次（并列同名次，下一名次顺延；无数据的区市不参与排名并列出）、" +
			"与全市增速的差（百分点）、年度目标完成进度与序时进度。越低越好的指标升序排名。"},
		func(ctx context.Context, in *IndicatorPeriodInput) (*Body[PeriodRows], error) {
			p, err := period(ctx, in.Period)
			if err != nil {
				return nil, err
			}
			rows, err := x.Table(ctx, p, in.AsOf)
			if err != nil {
				return nil, err
			}
			return &Body[PeriodRows]{Body: PeriodRows{Period: p, Rows: rows}}, nil
		})
	register(s, access.IndicatorRead, huma.Operation{OperationID: "indicator-summary", Method: http.MethodGet, Path: "/api/v1/indicator-summary",
		Tags: tag, Summary: "指标概况", Description: "列入全市排名的指标中居前3的项数、名次升降、落后于序时进度的指标。"},
		func(ctx context.Context, in *IndicatorPeriodInput) (*Body[indicator.PeriodSummary], error) {
			p, err := period(ctx, in.Period)
			if err != nil {
				return nil, err
			}
			sum, err := x.Summary(ctx, p, in.AsOf)
			if err != nil {
				return nil, err
			}
			return &Body[indicator.PeriodSummary]{Body: sum}, nil
		})
	register(s, access.IndicatorRead, huma.Operation{OperationID: "indicator-sentences", Method: http.MethodGet, Path: "/api/v1/indicator-sentences",
		Tags: tag, Summary: "指标表述", Description: "简报用语：总述句和每项指标一句，如“一般公共预算收入46亿元，增速高于全市平均3.2个百分点”。"},
		func(ctx context.Context, in *IndicatorPeriodInput) (*Body[ListOf[indicator.Sentence]], error) {
			p, err := period(ctx, in.Period)
			if err != nil {
				return nil, err
			}
			ss, err := x.Sentences(ctx, p, in.AsOf)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[indicator.Sentence]]{Body: ListOf[indicator.Sentence]{Items: ss, Total: len(ss)}}, nil
		})
	register(s, access.IndicatorRead, huma.Operation{OperationID: "indicator-trend", Method: http.MethodGet, Path: "/api/v1/indicators/{id}/trend",
		Tags: tag, Summary: "指标趋势", Description: "最近 12 期（季度指标为 12 个季度）的数值、增速、全市增速和名次。"},
		func(ctx context.Context, in *IndicatorTrendInput) (*Body[ListOf[indicator.TrendPoint]], error) {
			p, err := period(ctx, in.Period)
			if err != nil {
				return nil, err
			}
			tr, err := x.Trend(ctx, in.ID, p, in.AsOf)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[indicator.TrendPoint]]{Body: ListOf[indicator.TrendPoint]{Items: tr, Total: len(tr)}}, nil
		})
	register(s, access.IndicatorRead, huma.Operation{OperationID: "export-indicators", Method: http.MethodGet, Path: "/api/v1/indicator-table/export",
		Tags: tag, Summary: "导出指标（.xlsx 或 CSV，统计部门报表格式）",
		Description: "每期一个工作表（表名如 2022-06），指标为行，区域为列，每个区域后附上年同期列；可原样导入。" +
			"format=csv 时各期依次排在一张表中，第一列为统计期。",
		Responses: exportResponses()},
		func(ctx context.Context, in *IndicatorExportInput) (*huma.StreamResponse, error) {
			var ps []string
			for _, p := range strings.Split(in.Periods, ",") {
				if p = strings.TrimSpace(p); p != "" {
					ps = append(ps, p)
				}
			}
			if len(ps) == 0 {
				p, err := x.LatestPeriod(ctx)
				if err != nil {
					return nil, err
				}
				ps = []string{p}
			}
			var buf bytes.Buffer
			if err := x.Export(ctx, &buf, ps, in.AsOf, in.Format); err != nil {
				return nil, err
			}
			return s.sendExport(ctx, in.Format, "indicators-"+strings.Join(ps, "_"), &buf), nil
		})
	register(s, access.IndicatorWrite, huma.Operation{OperationID: "import-indicators", Method: http.MethodPost, Path: "/api/v1/indicator-values/import",
		Tags: tag, Summary: "导入指标（.xlsx，统计部门报表格式）",
		Description: "请求体为 .xlsx（或 multipart 表单字段 file）。dry_run=true 只检查并统计新增、更正、不变的数值；" +
			"正式导入时有任何问题则全部不写入并返回 422，errors 逐条指明工作表、单元格和数值。再次导入同一文件不会改变任何数据。"},
		func(ctx context.Context, in *IndicatorImportInput) (*Body[IndicatorImportResult], error) {
			r, err := uploadReader(in.ContentType, in.RawBody)
			if err != nil {
				return nil, err
			}
			res, err := x.Import(ctx, r, in.DryRun)
			if err != nil {
				return nil, err
			}
			if !in.DryRun && len(res.Problems) > 0 {
				return nil, importFailed{err: problemsError(res.Problems), problems: res.Problems}
			}
			out := IndicatorImportResult{DryRun: res.DryRun, Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged,
				Problems: make([]IndicatorImportProblem, len(res.Problems))}
			for i, p := range res.Problems {
				out.Problems[i] = IndicatorImportProblem(p)
			}
			return &Body[IndicatorImportResult]{Body: out}, nil
		})
}
