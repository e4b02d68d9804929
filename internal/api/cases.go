package api

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/casework"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/xlsx"
)

// CaseListInput filters, sorts and pages cases.
type CaseListInput struct {
	Type       string    `query:"type" enum:",problem,instruction,enterprise_request,one_window,meeting_decision"`
	State      string    `query:"state" enum:",open,in_progress,resolved,closed"`
	UnitID     int64     `query:"unit_id" minimum:"0" doc:"承办单位（含下级）"`
	ItemID     int64     `query:"item_id" minimum:"0"`
	CampaignID int64     `query:"campaign_id" minimum:"0"`
	LeaderID   int64     `query:"leader_id" minimum:"0" doc:"升级到该领导，或其负责事项上的督办件"`
	Escalated  bool      `query:"escalated" doc:"只看逾期升级到领导的督办件（领导视图）"`
	Overdue    bool      `query:"overdue" doc:"只看逾期未办结的"`
	DueSoon    bool      `query:"due_soon" doc:"只看临期的"`
	Reopened   bool      `query:"reopened" doc:"只看被退回重办过的"`
	From       date.Date `query:"from" doc:"立案日期起"`
	To         date.Date `query:"to" doc:"立案日期止"`
	AsOf       date.Date `query:"as_of" doc:"查看日期：逾期、临期和距期限天数按当日结束时的情况计算（当时已立案、未办结、当时的期限），只列当日及以前立案的；默认今天"`
	Q          string    `query:"q" maxLength:"100" doc:"按标题、编号、内容查找"`
	Sort       string    `query:"sort" maxLength:"100" doc:"created_at、deadline、code、state、type，前加 - 为倒序"`
	Page       int       `query:"page" minimum:"0" maximum:"100000"`
	PageSize   int       `query:"page_size" minimum:"0" maximum:"500"`
}

func (in CaseListInput) filter() casework.Filter {
	return casework.Filter{Type: in.Type, State: in.State, UnitID: in.UnitID, ItemID: in.ItemID, CampaignID: in.CampaignID,
		LeaderID: in.LeaderID, Escalated: in.Escalated, Overdue: in.Overdue, DueSoon: in.DueSoon, Reopened: in.Reopened,
		From: in.From, To: in.To, AsOf: in.AsOf, Q: in.Q, Sort: in.Sort, Page: store.Page{Number: in.Page, Size: in.PageSize}}
}

// CaseActionInput is an action on a case; If-Match is optional (checked when sent).
type CaseActionInput[T any] struct {
	ID      int64  `path:"id" minimum:"1"`
	IfMatch string `header:"If-Match" doc:"督办件当前版本号；发送时校验"`
	Body    T
}

func (in CaseActionInput[T]) version() (int, error) {
	if strings.TrimSpace(in.IfMatch) == "" {
		return 0, nil
	}
	return parseVersion(in.IfMatch)
}

// CaseAssignBody names the units to add.
type CaseAssignBody struct {
	Assignees []casework.AssigneeInput `json:"assignees" minItems:"1" maxItems:"50"`
}

// CaseAcceptBody names the unit signing for its task.
type CaseAcceptBody struct {
	UnitID int64 `json:"unit_id,omitempty" minimum:"0" doc:"代为签收的单位；默认本单位"`
}

// CaseAnswerBody is a unit's answer.
type CaseAnswerBody struct {
	UnitID int64  `json:"unit_id,omitempty" minimum:"0" doc:"代为答复的单位；默认本单位"`
	Answer string `json:"answer" minLength:"1" maxLength:"10000" doc:"办理结果"`
}

// CaseCloseBody is the verifier's note and rating.
type CaseCloseBody struct {
	Note   string `json:"note" minLength:"1" maxLength:"2000" doc:"核查意见"`
	Rating int    `json:"rating,omitempty" minimum:"0" maximum:"5" doc:"满意度 1–5，可不填"`
}

// CaseReopenBody is the requester's rating and why the case goes back.
type CaseReopenBody struct {
	Rating  int    `json:"rating" minimum:"1" maximum:"5" doc:"满意度 1–5"`
	Comment string `json:"comment" minLength:"1" maxLength:"2000" doc:"不满意的原因"`
}

// CaseCommentBody is a comment.
type CaseCommentBody struct {
	Text string `json:"text" minLength:"1" maxLength:"5000"`
}

// CaseExtensionBody asks for a later deadline.
type CaseExtensionBody struct {
	NewDeadline date.Date `json:"new_deadline" doc:"申请延期至"`
	Reason      string    `json:"reason" minLength:"1" maxLength:"2000"`
}

// CaseDecisionInput approves or rejects a case extension.
type CaseDecisionInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body *struct {
		Note string `json:"note,omitempty" maxLength:"2000" doc:"审批意见；不批准时必填"`
	}
}

// AttachInput uploads one file as the raw request body.
type AttachInput struct {
	ID      int64  `path:"id" minimum:"1"`
	Name    string `query:"name" required:"true" maxLength:"200" doc:"文件名，如 现场照片.jpg"`
	RawBody []byte `contentType:"application/octet-stream"`
}

// CaseStatsInput selects a period.
type CaseStatsInput struct {
	From   date.Date `query:"from" doc:"立案日期起"`
	To     date.Date `query:"to" doc:"立案日期止"`
	UnitID int64     `query:"unit_id" minimum:"0"`
}

// StocktakeInput selects the period of a stocktake meeting.
type StocktakeInput struct {
	CampaignID int64  `query:"campaign_id" minimum:"1" required:"true"`
	Period     string `query:"period" maxLength:"10" doc:"如 2022-09；默认今天（攻坚年已结束时为其结束日）"`
}

// StocktakeAgenda is a stocktake meeting's agenda (专题调度会): the red items and the
// overdue cases as of the end of the period.
type StocktakeAgenda struct {
	AsOf         date.Date            `json:"as_of"`
	RedItems     []progress.ItemLight `json:"red_items"`
	OverdueCases []casework.Case      `json:"overdue_cases"`
}

// StocktakeDecisions are the decisions of a meeting, entered as cases in one step.
type StocktakeDecisions struct {
	Body struct {
		Meeting   string               `json:"meeting" minLength:"1" maxLength:"200" doc:"会议名称，如 9月份重点工作专题调度会"`
		MeetingID int64                `json:"meeting_id,omitempty" minimum:"0" doc:"会议记录的编号（如会议台账行），可不填"`
		Decisions []casework.CaseInput `json:"decisions" minItems:"1" maxItems:"200" doc:"议定事项，每项一件 meeting_decision 督办件"`
	}
}

func (s *Server) caseRoutes() {
	cs := s.deps.Cases
	tag := []string{"督办"}
	register(s, access.CaseRead, huma.Operation{OperationID: "list-cases", Method: http.MethodGet, Path: "/api/v1/cases", Tags: tag,
		Summary: "督办件列表", Description: "当前用户数据范围内的督办件：单位看交本单位办理或本单位提出的；领导看升级给本人、本人提出或本人负责事项上的；其余角色看全区。"},
		func(ctx context.Context, in *CaseListInput) (*Body[ListOf[casework.Case]], error) {
			l, total, err := cs.List(ctx, in.filter())
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[casework.Case]]{Body: ListOf[casework.Case]{Items: l, Total: total}}, nil
		})
	register(s, access.CaseWrite, huma.Operation{OperationID: "create-case", Method: http.MethodPost, Path: "/api/v1/cases", Tags: tag,
		Summary: "立案交办", DefaultStatus: http.StatusCreated,
		Description: "提出问题、领导批示、企业诉求、一窗受理或会议议定事项，交一个牵头单位或多个单位并联办理；关联事项而未指定单位时交事项牵头单位。"},
		func(ctx context.Context, in *Body[casework.CaseInput]) (*Tagged[casework.Case], error) {
			c, err := cs.Create(ctx, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[casework.Case]{ETag: etag(c.Version), Body: c}, nil
		})
	register(s, access.CaseRead, huma.Operation{OperationID: "export-cases", Method: http.MethodGet, Path: "/api/v1/cases/export", Tags: tag,
		Summary: "导出督办件（.xlsx 或 CSV）", Description: "与列表相同的筛选条件。", Responses: exportResponses()},
		func(ctx context.Context, in *CaseExportInput) (*huma.StreamResponse, error) {
			return s.export(ctx, in.Format, in.Lang, exportSheet{name: "cases", sheetZh: "督办件", sheet: "Cases", cols: []exportCol{
				{"编号", "Code", 14}, {"类型", "Type", 12}, {"标题", "Title", 40}, {"关联事项", "Item", 30}, {"交办人", "Raised by", 14},
				{"承办单位", "Units", 30}, {"立案时间", "Raised at", 18}, {"原定期限", "Original deadline", 12}, {"办理期限", "Deadline", 12},
				{"状态", "State", 10}, {"逾期", "Overdue", 6}, {"升级至", "Escalated to", 12}, {"重办次数", "Reopened", 8}, {"满意度", "Rating", 8}}},
				func(w xlsx.Sheet) error {
					return cs.Each(ctx, in.filter(), func(c casework.Case) error {
						var rating any
						if c.Rating != nil {
							rating = *c.Rating
						}
						overdue := ""
						if c.Overdue {
							overdue = yesNo(true, in.Lang)
						}
						typ, state := c.TypeLabel, c.StateLabel
						if isEn(in.Lang) {
							typ, state = caseTypeEn[c.Type], caseStateEn[c.State]
						}
						return w.Row(c.Code, typ, c.Title, strings.TrimSpace(c.ItemCode+" "+c.ItemName), c.RequesterName, c.Units,
							c.CreatedAt.Local(), c.OriginalDeadline, c.Deadline, state, overdue, c.EscalatedToName, c.ReopenCount, rating)
					})
				})
		})
	register(s, access.CaseRead, huma.Operation{OperationID: "get-case", Method: http.MethodGet, Path: "/api/v1/cases/{id}", Tags: tag,
		Summary: "查看督办件", Description: "含承办单位任务、全过程记录（谁、何时、为何）、延期申请（原定期限保留）和附件。"},
		func(ctx context.Context, in *IDInput) (*Tagged[casework.CaseDetail], error) {
			d, err := cs.GetDetail(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Tagged[casework.CaseDetail]{ETag: etag(d.Version), Body: d}, nil
		})
	caseAction[CaseAssignBody](s, access.CaseClose, "assign-case", "/api/v1/cases/{id}/assign", "交办（增加承办单位）",
		"督查人员增加承办单位；已办结的督办件回到办理中。",
		func(ctx context.Context, id int64, ver int, b CaseAssignBody) (casework.Case, error) {
			return cs.Assign(ctx, id, ver, b.Assignees)
		})
	caseAction[CaseAcceptBody](s, access.CaseWrite, "accept-case", "/api/v1/cases/{id}/accept", "签收",
		"承办单位签收本单位的任务；督查人员可指定 unit_id 代为签收。",
		func(ctx context.Context, id int64, ver int, b CaseAcceptBody) (casework.Case, error) {
			return cs.Accept(ctx, id, ver, b.UnitID)
		})
	caseAction[CaseAnswerBody](s, access.CaseWrite, "answer-case", "/api/v1/cases/{id}/answer", "答复（办理结果）",
		"承办单位答复本单位的任务；全部承办单位答复后督办件办结，通知交办方核查销号。",
		func(ctx context.Context, id int64, ver int, b CaseAnswerBody) (casework.Case, error) {
			return cs.Answer(ctx, id, ver, b.UnitID, b.Answer)
		})
	caseAction[CaseCloseBody](s, access.CaseWrite, "close-case", "/api/v1/cases/{id}/close", "核查销号",
		"督查人员或交办人核查已办结的督办件并销号，写明核查意见，可评满意度。",
		func(ctx context.Context, id int64, ver int, b CaseCloseBody) (casework.Case, error) {
			return cs.Close(ctx, id, ver, b.Note, b.Rating)
		})
	caseAction[CaseReopenBody](s, access.CaseWrite, "reopen-case", "/api/v1/cases/{id}/reopen", "不满意，重新办理",
		"交办人（或督查人员）对已办结或已销号的督办件不满意：评 1–5 分并写明原因，各承办单位重新办理。",
		func(ctx context.Context, id int64, ver int, b CaseReopenBody) (casework.Case, error) {
			return cs.Reopen(ctx, id, ver, b.Rating, b.Comment)
		})
	caseAction[CaseCommentBody](s, access.CaseWrite, "comment-case", "/api/v1/cases/{id}/comments", "评论", "",
		func(ctx context.Context, id int64, _ int, b CaseCommentBody) (casework.Case, error) {
			return cs.Comment(ctx, id, b.Text)
		})
	caseAction[CaseExtensionBody](s, access.CaseWrite, "request-case-extension", "/api/v1/cases/{id}/extensions", "申请延期",
		"承办单位申请延长办理期限，须晚于当前期限并写明理由；同时只能有一份待审批的申请。原定期限始终保留。",
		func(ctx context.Context, id int64, _ int, b CaseExtensionBody) (casework.Case, error) {
			return cs.RequestExtension(ctx, id, b.NewDeadline, b.Reason)
		})
	for _, d := range []struct {
		id, path, summary string
		approve           bool
	}{{"approve-case-extension", "/api/v1/case-extensions/{id}/approve", "批准督办件延期", true},
		{"reject-case-extension", "/api/v1/case-extensions/{id}/reject", "不批准督办件延期", false}} {
		register(s, access.CaseClose, huma.Operation{OperationID: d.id, Method: http.MethodPost, Path: d.path, Tags: tag, Summary: d.summary,
			Description: "批准后督办件期限改为新期限，原定期限保留；不批准须写明理由。", Errors: []int{http.StatusConflict}},
			func(ctx context.Context, in *CaseDecisionInput) (*Tagged[casework.Case], error) {
				note := ""
				if in.Body != nil {
					note = in.Body.Note
				}
				c, err := cs.DecideExtension(ctx, in.ID, d.approve, note)
				if err != nil {
					return nil, err
				}
				return &Tagged[casework.Case]{ETag: etag(c.Version), Body: c}, nil
			})
	}
	register(s, access.CaseWrite, limitBody(huma.Operation{OperationID: "attach-case-file", Method: http.MethodPost, Path: "/api/v1/cases/{id}/attachments",
		Tags: tag, Summary: "上传附件", DefaultStatus: http.StatusCreated,
		Description: "请求体为文件本身（application/octet-stream），文件名放在 name 参数。只接受图片、PDF 和 Office 文档，按内容识别类型，不超过 10 MB。"},
		access.CaseWrite, "文件", casework.MaxAttachment, queryFileName),
		func(ctx context.Context, in *AttachInput) (*Body[casework.CaseAttachment], error) {
			if err := oversize(ctx); err != nil {
				return nil, err
			}
			a, err := cs.Attach(ctx, in.ID, in.Name, in.RawBody)
			if err != nil {
				return nil, err
			}
			return &Body[casework.CaseAttachment]{Body: a}, nil
		})
	register(s, access.CaseRead, huma.Operation{OperationID: "download-case-file", Method: http.MethodGet, Path: "/api/v1/case-attachments/{id}",
		Tags: tag, Summary: "下载附件", Responses: map[string]*huma.Response{"200": {Description: "文件", Content: map[string]*huma.MediaType{
			"application/octet-stream": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}},
		func(ctx context.Context, in *IDInput) (*huma.StreamResponse, error) {
			a, b, err := cs.Download(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return s.download(ctx, a.ContentType, a.FileName, bytes.NewReader(b)), nil
		})

	register(s, access.CaseRead, huma.Operation{OperationID: "case-stats", Method: http.MethodGet, Path: "/api/v1/case-stats", Tags: tag,
		Summary: "督办统计（按单位）", Description: "所选期间立案的督办件按承办单位统计：交办、办结、按期办结、平均办结天数、逾期、重办、满意度。"},
		func(ctx context.Context, in *CaseStatsInput) (*Body[ListOf[casework.UnitStats]], error) {
			st, err := cs.Stats(ctx, casework.StatsFilter{From: in.From, To: in.To, UnitID: in.UnitID})
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[casework.UnitStats]]{Body: ListOf[casework.UnitStats]{Items: st, Total: len(st)}}, nil
		})
	register(s, access.CaseRead, huma.Operation{OperationID: "export-case-stats", Method: http.MethodGet, Path: "/api/v1/case-stats/export", Tags: tag,
		Summary: "导出督办统计（.xlsx 或 CSV）", Responses: exportResponses()},
		func(ctx context.Context, in *CaseStatsExportInput) (*huma.StreamResponse, error) {
			st, err := cs.Stats(ctx, casework.StatsFilter{From: in.From, To: in.To, UnitID: in.UnitID})
			if err != nil {
				return nil, err
			}
			return s.export(ctx, in.Format, in.Lang, exportSheet{name: "case-stats", sheetZh: "督办统计", sheet: "Case statistics", cols: []exportCol{
				{"承办单位", "Unit", 24}, {"交办", "Received", 8}, {"办结", "Resolved", 8}, {"按期办结", "Resolved on time", 10},
				{"按期办结率", "On-time rate", 12}, {"平均办结天数", "Average days to resolve", 14}, {"逾期未办结", "Overdue", 12},
				{"重办", "Reopened", 8}, {"平均满意度", "Average rating", 12}}},
				func(w xlsx.Sheet) error {
					for _, u := range st {
						if err := w.Row(u.UnitName, u.Received, u.Resolved, u.ResolvedOnTime, xlsx.Percent(u.OnTimeRate/100), u.AvgDaysToResolve,
							u.Overdue, u.Reopened, u.AvgSatisfaction); err != nil {
							return err
						}
					}
					return nil
				})
		})

	register(s, access.CaseRead, huma.Operation{OperationID: "get-stocktake", Method: http.MethodGet, Path: "/api/v1/stocktake", Tags: tag,
		Summary: "专题调度会议程", Description: "所选期末（默认今天）亮红灯的事项和逾期未办结的督办件，作为调度会议程。"},
		func(ctx context.Context, in *StocktakeInput) (*Body[StocktakeAgenda], error) {
			asOf, err := s.stocktakeAsOf(ctx, in.CampaignID, in.Period)
			if err != nil {
				return nil, err
			}
			ls, err := s.deps.Progress.Lights(ctx, progress.LightFilter{CampaignID: in.CampaignID, AsOf: asOf})
			if err != nil {
				return nil, err
			}
			a := StocktakeAgenda{AsOf: asOf, RedItems: []progress.ItemLight{}}
			for _, l := range ls {
				if l.Light == "red" {
					a.RedItems = append(a.RedItems, l)
				}
			}
			if a.OverdueCases, err = cs.OverdueAsOf(ctx, in.CampaignID, asOf); err != nil {
				return nil, err
			}
			return &Body[StocktakeAgenda]{Body: a}, nil
		})
	register(s, access.CaseClose, huma.Operation{OperationID: "record-stocktake", Method: http.MethodPost, Path: "/api/v1/stocktake", Tags: tag,
		Summary: "录入调度会议定事项", DefaultStatus: http.StatusCreated,
		Description: "会议的议定事项一次录入为会议议定事项督办件，全部成功或全部不录入。"},
		func(ctx context.Context, in *StocktakeDecisions) (*Body[ListOf[casework.Case]], error) {
			out, err := cs.CreateDecisions(ctx, in.Body.Meeting, in.Body.MeetingID, in.Body.Decisions)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[casework.Case]]{Body: ListOf[casework.Case]{Items: out, Total: len(out)}}, nil
		})
}

// caseAction registers POST /api/v1/cases/{id}/<verb> with a JSON body.
func caseAction[B any](s *Server, perm access.Permission, id, path, summary, desc string,
	run func(ctx context.Context, caseID int64, ver int, b B) (casework.Case, error)) {
	register(s, perm, huma.Operation{OperationID: id, Method: http.MethodPost, Path: path, Tags: []string{"督办"}, Summary: summary,
		Description: desc, Errors: []int{http.StatusConflict, http.StatusPreconditionFailed}},
		func(ctx context.Context, in *CaseActionInput[B]) (*Tagged[casework.Case], error) {
			ver, err := in.version()
			if err != nil {
				return nil, err
			}
			c, err := run(ctx, in.ID, ver, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[casework.Case]{ETag: etag(c.Version), Body: c}, nil
		})
}

// stocktakeAsOf is the last day of the period (2022-09 → 2022-09-30), or the
// default as-of day of the campaign.
func (s *Server) stocktakeAsOf(ctx context.Context, campaignID int64, period string) (date.Date, error) {
	if period == "" {
		return s.defaultAsOf(ctx, campaignID, date.Date{})
	}
	t, err := time.Parse("2006-01", period)
	if err != nil {
		return date.Date{}, errs.Invalid([]errs.FieldError{{Field: "period", Key: "period.invalid", Message: "期应为 年-月，如 2022-09", Value: period}})
	}
	return date.Of(t.AddDate(0, 1, -1)), nil
}
