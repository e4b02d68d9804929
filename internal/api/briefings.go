package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/briefing"
	"gongjian/internal/date"
	"gongjian/internal/store"
	"gongjian/internal/xlsx"
)

// BriefingListInput filters briefings.
type BriefingListInput struct {
	CampaignID int64  `query:"campaign_id" minimum:"0"`
	State      string `query:"state" enum:",draft,published"`
	Page       int    `query:"page" minimum:"0" maximum:"100000"`
	PageSize   int    `query:"page_size" minimum:"0" maximum:"500"`
}

// BriefingFigureInput names a figure of a briefing.
type BriefingFigureInput struct {
	ID  int64  `path:"id" minimum:"1"`
	Key string `query:"key" maxLength:"200" doc:"数据键，如 key_projects.annual"`
}

// BriefingExportInput chooses a download format.
type BriefingExportInput struct {
	ID     int64  `path:"id" minimum:"1"`
	Format string `query:"format" enum:"docx,pdf,xlsx" default:"docx"`
}

// TemplatesInput names a campaign's templates in a language.
type TemplatesInput struct {
	ID   int64  `path:"id" minimum:"1"`
	Lang string `query:"lang" enum:",zh,en"`
}

// SetTemplatesInput replaces them.
type SetTemplatesInput struct {
	ID      int64  `path:"id" minimum:"1"`
	Lang    string `query:"lang" enum:",zh,en"`
	IfMatch string `header:"If-Match" required:"true" doc:"模板版本号；默认模板为 \"0\""`
	Body    struct {
		Sentences []briefing.TemplateSentence `json:"sentences" maxItems:"200"`
	}
}

// LeagueInput selects a league table.
type LeagueInput struct {
	CampaignID int64     `query:"campaign_id" minimum:"1" required:"true"`
	Period     string    `query:"period" enum:"week,month,quarter,half,ytd,year" default:"ytd"`
	AsOf       date.Date `query:"as_of" required:"true" doc:"期末日期"`
	ZoneID     int64     `query:"zone_id" minimum:"0"`
	UnitID     int64     `query:"unit_id" minimum:"0"`
}

// LeagueExportInput selects a league table to download.
type LeagueExportInput struct {
	LeagueInput
	ExportOptions
}

// LeagueRulesInput sets a campaign's scoring rules.
type LeagueRulesInput struct {
	ID      int64  `path:"id" minimum:"1"`
	IfMatch string `header:"If-Match" required:"true" doc:"规则版本号；默认规则为 \"0\""`
	Body    briefing.LeagueRules
}

var exportTypes = map[string]string{
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"pdf":  "application/pdf",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// briefingRoutes registers the routes of Briefings.
func (s *Server) briefingRoutes() {
	b := s.deps.Briefings
	tag := []string{"简报与考核"}
	register(s, access.BriefingRead, huma.Operation{OperationID: "list-briefings", Method: http.MethodGet, Path: "/api/v1/briefings", Tags: tag,
		Summary: "简报列表", Description: "不含正文；无编辑权限的角色只看到已发布的简报。"},
		func(ctx context.Context, in *BriefingListInput) (*Body[ListOf[briefing.Briefing]], error) {
			l, total, err := b.List(ctx, briefing.ListFilter{CampaignID: in.CampaignID, State: in.State, Page: store.Page{Number: in.Page, Size: in.PageSize}})
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[briefing.Briefing]]{Body: ListOf[briefing.Briefing]{Items: l, Total: total}}, nil
		})
	register(s, access.BriefingWrite, huma.Operation{OperationID: "generate-briefing", Method: http.MethodPost, Path: "/api/v1/briefings", Tags: tag,
		Summary: "生成简报", Description: "按期末日期（as_of）从数据生成草稿：每个数据都附来源记录；同一期末重新生成得到相同文字。"},
		func(ctx context.Context, in *struct{ Body briefing.BriefingInput }) (*Tagged[briefing.Briefing], error) {
			out, err := b.Generate(ctx, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[briefing.Briefing]{ETag: etag(out.Version), Body: out}, nil
		})
	register(s, access.BriefingRead, huma.Operation{OperationID: "get-briefing", Method: http.MethodGet, Path: "/api/v1/briefings/{id}", Tags: tag,
		Summary: "查看简报", Description: "正文各段带占位符原文（source）与分段（spans），spans 中的 figure 指向数据键。"},
		func(ctx context.Context, in *IDInput) (*Tagged[briefing.Briefing], error) {
			out, err := b.Get(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Tagged[briefing.Briefing]{ETag: etag(out.Version), Body: out}, nil
		})
	register(s, access.BriefingRead, huma.Operation{OperationID: "get-briefing-figure", Method: http.MethodGet, Path: "/api/v1/briefings/{id}/figure", Tags: tag,
		Summary: "简报数据的来源记录", Description: "返回数据的值、来源查询（source.api）和计算所用的记录；记录之和（或个数）即该数据。" +
			fmt.Sprintf("source.count 为记录总数；简报每项数据最多保存前 %d 条记录（records），多于此数时全部记录由 source.api 查询列出。", briefing.MaxRecords)},
		func(ctx context.Context, in *BriefingFigureInput) (*Body[briefing.BriefingFigure], error) {
			f, err := b.BriefingFigure(ctx, in.ID, in.Key)
			if err != nil {
				return nil, err
			}
			return &Body[briefing.BriefingFigure]{Body: f}, nil
		})
	register(s, access.BriefingRead, huma.Operation{OperationID: "list-briefing-revisions", Method: http.MethodGet, Path: "/api/v1/briefings/{id}/revisions", Tags: tag,
		Summary: "简报修订记录"},
		func(ctx context.Context, in *IDInput) (*Body[ListOf[briefing.BriefingRevision]], error) {
			l, err := b.Revisions(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[briefing.BriefingRevision]]{Body: ListOf[briefing.BriefingRevision]{Items: l, Total: len(l)}}, nil
		})
	register(s, access.BriefingWrite, huma.Operation{OperationID: "set-briefing-wording", Method: http.MethodPut, Path: "/api/v1/briefings/{id}/wording", Tags: tag,
		Summary: "修改简报文字", Description: "保存为新的修订；段落可使用本简报的 {{数据键}}，不存在的键逐段报错。已发布的简报不能修改。"},
		func(ctx context.Context, in *WriteInput[briefing.BriefingWording]) (*Tagged[briefing.Briefing], error) {
			v, err := parseVersion(in.IfMatch)
			if err != nil {
				return nil, err
			}
			out, err := b.SetWording(ctx, in.ID, v, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[briefing.Briefing]{ETag: etag(out.Version), Body: out}, nil
		})
	register(s, access.BriefingWrite, huma.Operation{OperationID: "publish-briefing", Method: http.MethodPost, Path: "/api/v1/briefings/{id}/publish", Tags: tag,
		Summary: "发布简报", Description: "发布后文字与数据冻结，永久保存。"},
		func(ctx context.Context, in *ReviewInput) (*Tagged[briefing.Briefing], error) {
			v, err := parseVersion(in.IfMatch)
			if err != nil {
				return nil, err
			}
			out, err := b.Publish(ctx, in.ID, v)
			if err != nil {
				return nil, err
			}
			return &Tagged[briefing.Briefing]{ETag: etag(out.Version), Body: out}, nil
		})
	register(s, access.BriefingWrite, huma.Operation{OperationID: "delete-briefing", Method: http.MethodDelete, Path: "/api/v1/briefings/{id}", Tags: tag,
		Summary: "删除草稿", Description: "已发布的简报不能删除。"},
		func(ctx context.Context, in *DeleteInput) (*struct{}, error) {
			v, err := parseVersion(in.IfMatch)
			if err != nil {
				return nil, err
			}
			return &struct{}{}, b.Delete(ctx, in.ID, v)
		})
	register(s, access.BriefingRead, huma.Operation{OperationID: "export-briefing", Method: http.MethodGet, Path: "/api/v1/briefings/{id}/export", Tags: tag,
		Summary: "下载简报（.docx / .pdf / .xlsx）",
		Responses: map[string]*huma.Response{"200": {Description: "文件", Content: map[string]*huma.MediaType{
			exportTypes["docx"]: {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			exportTypes["pdf"]:  {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			exportTypes["xlsx"]: {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}},
		func(ctx context.Context, in *BriefingExportInput) (*huma.StreamResponse, error) {
			out, err := b.Get(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			// Rendered in full before the first byte, so that a failure (a missing font) is a problem response.
			var buf bytes.Buffer
			switch in.Format {
			case "pdf":
				err = briefing.WritePDF(out, &buf, briefing.PDFFonts)
			case "xlsx":
				err = briefing.WriteXLSX(out, &buf)
			default:
				in.Format = "docx"
				err = briefing.WriteDOCX(out, &buf)
			}
			if err != nil {
				return nil, err
			}
			return s.download(ctx, exportTypes[in.Format], out.Title+"."+in.Format, &buf), nil
		})
	register(s, access.BriefingRead, huma.Operation{OperationID: "get-briefing-templates", Method: http.MethodGet, Path: "/api/v1/campaigns/{id}/briefing-templates", Tags: tag,
		Summary: "简报模板", Description: "各句模板及可用占位符；未修改时为默认模板（version 0）。"},
		func(ctx context.Context, in *TemplatesInput) (*Tagged[briefing.BriefingTemplates], error) {
			t, err := b.TemplatesOf(ctx, in.ID, in.Lang)
			if err != nil {
				return nil, err
			}
			return &Tagged[briefing.BriefingTemplates]{ETag: etag(t.Version), Body: t}, nil
		})
	register(s, access.BriefingWrite, huma.Operation{OperationID: "set-briefing-templates", Method: http.MethodPut, Path: "/api/v1/campaigns/{id}/briefing-templates", Tags: tag,
		Summary: "修改简报模板", Description: "占位符必须是可用的数据名，错误逐句指出。"},
		func(ctx context.Context, in *SetTemplatesInput) (*Tagged[briefing.BriefingTemplates], error) {
			v, err := parseVersionOrNew(in.IfMatch)
			if err != nil {
				return nil, err
			}
			t, err := b.SetTemplates(ctx, in.ID, in.Lang, v, in.Body.Sentences)
			if err != nil {
				return nil, err
			}
			return &Tagged[briefing.BriefingTemplates]{ETag: etag(t.Version), Body: t}, nil
		})
	register(s, access.BriefingRead, huma.Operation{OperationID: "get-league", Method: http.MethodGet, Path: "/api/v1/league", Tags: tag,
		Summary: "考核排名", Description: "按考核规则给单位打分并排名，附每项得分构成、扣分及红黑榜；得分 = 各项得分之和 − 扣分。"},
		func(ctx context.Context, in *LeagueInput) (*Body[briefing.LeagueTable], error) {
			lt, err := b.League(ctx, briefing.LeagueFilter{CampaignID: in.CampaignID, Period: in.Period, AsOf: in.AsOf, ZoneID: in.ZoneID, UnitID: in.UnitID})
			if err != nil {
				return nil, err
			}
			return &Body[briefing.LeagueTable]{Body: lt}, nil
		})
	register(s, access.BriefingRead, huma.Operation{OperationID: "export-league", Method: http.MethodGet, Path: "/api/v1/league/export", Tags: tag,
		Summary: "导出考核排名（.xlsx 或 CSV）", Description: "每个单位一行：名次、各项得分、扣分、得分及红黑榜。", Responses: exportResponses()},
		func(ctx context.Context, in *LeagueExportInput) (*huma.StreamResponse, error) {
			lt, err := b.League(ctx, briefing.LeagueFilter{CampaignID: in.CampaignID, Period: in.Period, AsOf: in.AsOf, ZoneID: in.ZoneID, UnitID: in.UnitID})
			if err != nil {
				return nil, err
			}
			d, rows := leagueExport(lt, in.Lang)
			return s.export(ctx, in.Format, in.Lang, d, rows)
		})
	register(s, access.BriefingRead, huma.Operation{OperationID: "get-league-rules", Method: http.MethodGet, Path: "/api/v1/campaigns/{id}/league-rules", Tags: tag,
		Summary: "考核规则"},
		func(ctx context.Context, in *IDInput) (*Tagged[briefing.LeagueRules], error) {
			r, err := b.LeagueRulesOf(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Tagged[briefing.LeagueRules]{ETag: etag(r.Version), Body: r}, nil
		})
	register(s, access.BriefingWrite, huma.Operation{OperationID: "set-league-rules", Method: http.MethodPut, Path: "/api/v1/campaigns/{id}/league-rules", Tags: tag,
		Summary: "修改考核规则"},
		func(ctx context.Context, in *LeagueRulesInput) (*Tagged[briefing.LeagueRules], error) {
			v, err := parseVersionOrNew(in.IfMatch)
			if err != nil {
				return nil, err
			}
			r, err := b.SetLeagueRules(ctx, in.ID, v, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[briefing.LeagueRules]{ETag: etag(r.Version), Body: r}, nil
		})
}

var leagueWords = map[string][2]string{
	"reports_on_time": {"按时报送", "Reports on time"}, "progress": {"序时进度", "Progress against plan"},
	"cases_on_time": {"督办件按时办结", "Cases resolved on time"}, "honour": {"红榜", "Honour list"}, "warning": {"黑榜", "Warning list"},
}

// leagueExport describes a league table's file, one row per unit, with a
// column per score component in the order they first appear.
func leagueExport(lt briefing.LeagueTable, lang string) (exportSheet, func(w xlsx.Sheet) error) {
	var keys []string
	label := map[string]string{}
	for _, r := range lt.Rows {
		for _, p := range r.Breakdown {
			if _, ok := label[p.Key]; !ok {
				keys = append(keys, p.Key)
				label[p.Key] = p.Label
			}
		}
	}
	cols := []exportCol{{"名次", "Rank", 6}, {"单位", "Unit", 24}}
	for _, k := range keys {
		w, ok := leagueWords[k]
		if !ok {
			w = [2]string{label[k], label[k]}
		}
		cols = append(cols, exportCol{w[0] + "得分", w[1] + " points", 14})
	}
	cols = append(cols, exportCol{"扣分", "Deductions", 10}, exportCol{"得分", "Score", 10}, exportCol{"红黑榜", "List", 10})
	on := func(l []briefing.LeagueRow, id int64) bool {
		for _, r := range l {
			if r.UnitID == id {
				return true
			}
		}
		return false
	}
	return exportSheet{name: "league", sheetZh: "考核排名", sheet: "League table", cols: cols}, func(w xlsx.Sheet) error {
		for _, r := range lt.Rows {
			row := []any{r.Rank, r.UnitName}
			for _, k := range keys {
				var pts any = ""
				for _, p := range r.Breakdown {
					if p.Key == k {
						pts = p.Points
					}
				}
				row = append(row, pts)
			}
			var ded float64
			for _, d := range r.Deductions {
				ded += d.Points
			}
			list := ""
			switch {
			case on(lt.Honour, r.UnitID):
				list = word(leagueWords, "honour", lang)
			case on(lt.Warning, r.UnitID):
				list = word(leagueWords, "warning", lang)
			}
			row = append(row, ded, r.Score, list)
			if err := w.Row(row...); err != nil {
				return err
			}
		}
		return nil
	}
}
