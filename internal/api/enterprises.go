package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/casework"
	"gongjian/internal/date"
	"gongjian/internal/enterprise"
	"gongjian/internal/store"
	"gongjian/internal/xlsx"
)

// EnterpriseListInput filters, sorts and pages enterprises.
type EnterpriseListInput struct {
	Q                string `query:"q" maxLength:"100" doc:"按名称或统一社会信用代码模糊查找"`
	Street           string `query:"street" maxLength:"100"`
	Industry         string `query:"industry" maxLength:"100"`
	WhiteList        bool   `query:"white_list" doc:"只看白名单企业"`
	AboveScale       bool   `query:"above_scale" doc:"只看规上企业"`
	Top500           string `query:"top500" enum:",any,world,china,private" doc:"any：三类五百强任一类"`
	CommissionerID   int64  `query:"commissioner_id" minimum:"0"`
	FinanceAdvisorID int64  `query:"finance_advisor_id" minimum:"0"`
	Sort             string `query:"sort" maxLength:"100"`
	Page             int    `query:"page" minimum:"0" maximum:"100000"`
	PageSize         int    `query:"page_size" minimum:"0" maximum:"500"`
	Lang             string `query:"lang" enum:",zh-CN,en" doc:"导出表头语言"`
}

func (in *EnterpriseListInput) filter() enterprise.EnterpriseFilter {
	return enterprise.EnterpriseFilter{Q: in.Q, Street: in.Street, Industry: in.Industry, WhiteList: in.WhiteList, AboveScale: in.AboveScale,
		Top500: in.Top500, CommissionerID: in.CommissionerID, FinanceAdvisorID: in.FinanceAdvisorID, Sort: in.Sort,
		Page: store.Page{Number: in.Page, Size: in.PageSize}}
}

// CodeCheckInput is a credit code to check.
type CodeCheckInput struct {
	Code string `query:"code" required:"true" maxLength:"60" doc:"统一社会信用代码"`
}

// VisitListInput filters visits.
type VisitListInput struct {
	EnterpriseID int64     `query:"enterprise_id" minimum:"0"`
	VisitorID    int64     `query:"visitor_id" minimum:"0" doc:"走访人（服务专员）"`
	From         date.Date `query:"from" doc:"走访日期起（YYYY-MM-DD）"`
	To           date.Date `query:"to" doc:"走访日期止"`
	Q            string    `query:"q" maxLength:"100"`
	HasProblems  bool      `query:"has_problems" doc:"只看反映了问题的走访"`
	Sort         string    `query:"sort" maxLength:"100"`
	Page         int       `query:"page" minimum:"0" maximum:"100000"`
	PageSize     int       `query:"page_size" minimum:"0" maximum:"500"`
	Lang         string    `query:"lang" enum:",zh-CN,en" doc:"导出表头语言"`
}

func (in *VisitListInput) filter() enterprise.VisitFilter {
	return enterprise.VisitFilter{EnterpriseID: in.EnterpriseID, VisitorID: in.VisitorID, From: in.From, To: in.To, Q: in.Q,
		HasProblems: in.HasProblems, Sort: in.Sort, Page: store.Page{Number: in.Page, Size: in.PageSize}}
}

// PeriodInput is a period of figures.
type PeriodInput struct {
	From      date.Date `query:"from" doc:"起始日期（YYYY-MM-DD），不填为不限"`
	To        date.Date `query:"to" doc:"截止日期，不填为不限"`
	VisitorID int64     `query:"visitor_id" minimum:"0" doc:"只统计一位服务专员"`
}

// AddProblemsInput raises problems on a visit.
type AddProblemsInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Problems []enterprise.VisitProblemInput `json:"problems" maxItems:"50"`
	}
}

// NeedListInput filters financing needs.
type NeedListInput struct {
	EnterpriseID int64     `query:"enterprise_id" minimum:"0"`
	AdvisorID    int64     `query:"advisor_id" minimum:"0"`
	State        string    `query:"state" enum:",new,matched,granted,declined"`
	Bank         string    `query:"bank" maxLength:"100"`
	From         date.Date `query:"from" doc:"登记日期起"`
	To           date.Date `query:"to" doc:"登记日期止"`
	Q            string    `query:"q" maxLength:"100"`
	Sort         string    `query:"sort" maxLength:"100"`
	Page         int       `query:"page" minimum:"0" maximum:"100000"`
	PageSize     int       `query:"page_size" minimum:"0" maximum:"500"`
	Lang         string    `query:"lang" enum:",zh-CN,en" doc:"导出表头语言"`
}

func (in *NeedListInput) filter() enterprise.NeedFilter {
	return enterprise.NeedFilter{EnterpriseID: in.EnterpriseID, AdvisorID: in.AdvisorID, State: in.State, Bank: in.Bank, From: in.From, To: in.To,
		Q: in.Q, Sort: in.Sort, Page: store.Page{Number: in.Page, Size: in.PageSize}}
}

// StepInput moves a record of a given version.
type StepInput[T any] struct {
	ID      int64  `path:"id" minimum:"1"`
	IfMatch string `header:"If-Match" required:"true" doc:"记录当前版本号"`
	Body    T
}

// LeadListInput filters investment leads.
type LeadListInput struct {
	Stage        string    `query:"stage" enum:",negotiating,signed,registered,started,operating,dropped"`
	Sector       string    `query:"sector" maxLength:"100"`
	OwnerUnitID  int64     `query:"owner_unit_id" minimum:"0"`
	Top500       bool      `query:"top500" doc:"只看三类五百强投资方"`
	AboveBillion bool      `query:"above_billion" doc:"只看10亿元以上项目"`
	From         date.Date `query:"from" doc:"进入当前阶段的日期起"`
	To           date.Date `query:"to" doc:"进入当前阶段的日期止"`
	Q            string    `query:"q" maxLength:"100"`
	Sort         string    `query:"sort" maxLength:"100"`
	Page         int       `query:"page" minimum:"0" maximum:"100000"`
	PageSize     int       `query:"page_size" minimum:"0" maximum:"500"`
	Lang         string    `query:"lang" enum:",zh-CN,en" doc:"导出表头语言"`
}

func (in *LeadListInput) filter() enterprise.LeadFilter {
	return enterprise.LeadFilter{Stage: in.Stage, Sector: in.Sector, OwnerUnitID: in.OwnerUnitID, Top500: in.Top500, AboveBillion: in.AboveBillion,
		From: in.From, To: in.To, Q: in.Q, Sort: in.Sort, Page: store.Page{Number: in.Page, Size: in.PageSize}}
}

// PipelineFiguresInput selects the pipeline's figures.
type PipelineFiguresInput struct {
	From        date.Date `query:"from" doc:"起始日期，不填为不限"`
	To          date.Date `query:"to" doc:"截止日期，不填为不限"`
	Sector      string    `query:"sector" maxLength:"100"`
	StalledDays int       `query:"stalled_days" minimum:"0" maximum:"3650" doc:"超过多少天未推进视为停滞，默认 30"`
}

// visitRaiser turns a visit's problem into an enterprise-request case
// assigned to the unit named on the problem; nil when casework is absent.
func (s *Server) visitRaiser() enterprise.CaseRaiser {
	if s.deps.Cases == nil {
		return nil
	}
	return func(ctx context.Context, v enterprise.Visit, p enterprise.VisitProblemInput) (int64, error) {
		deadline := p.Deadline
		if deadline.IsZero() {
			deadline = date.Of(s.deps.Now().AddDate(0, 0, enterprise.DefaultProblemDays))
		}
		ent, visitor := v.EnterpriseID, v.VisitorID
		c, err := s.deps.Cases.Create(ctx, casework.CaseInput{Type: "enterprise_request", Title: p.Title,
			Description: v.EnterpriseName + "（" + v.VisitDate.Chinese() + "走访）：" + p.Description,
			SourceKind:  "visit", SourceID: v.ID, EnterpriseID: &ent, RequesterPersonID: &visitor, Deadline: deadline,
			Assignees: []casework.AssigneeInput{{UnitID: p.UnitID}}})
		return c.ID, err
	}
}

func (s *Server) enterpriseRoutes() {
	e := s.deps.Enterprises
	tag := []string{"企业服务"}
	register(s, access.EnterpriseRead, huma.Operation{OperationID: "list-enterprises", Method: http.MethodGet, Path: "/api/v1/enterprises",
		Tags: tag, Summary: "企业列表", Description: "按名称或代码、街道、行业、白名单、五百强类别、规上、服务专员和金融辅导员筛选。"},
		func(ctx context.Context, in *EnterpriseListInput) (*Body[enterprise.EnterpriseList], error) {
			l, err := e.ListEnterprises(ctx, in.filter())
			if err != nil {
				return nil, err
			}
			return &Body[enterprise.EnterpriseList]{Body: l}, nil
		})
	register(s, access.EnterpriseRead, huma.Operation{OperationID: "check-credit-code", Method: http.MethodGet, Path: "/api/v1/enterprises/check-code",
		Tags: tag, Summary: "校验统一社会信用代码", Description: "按 GB 32100-2015 校验第18位校验码、按 GB 11714 校验第17位组织机构代码校验码，指出哪一位有误。"},
		func(_ context.Context, in *CodeCheckInput) (*Body[enterprise.CodeCheck], error) {
			return &Body[enterprise.CodeCheck]{Body: enterprise.CheckCode(in.Code)}, nil
		})
	register(s, access.EnterpriseRead, huma.Operation{OperationID: "export-enterprises", Method: http.MethodGet, Path: "/api/v1/enterprises/export",
		Tags: tag, Summary: "导出企业（.xlsx 或 CSV）", Description: "按列表的筛选条件导出全部符合条件的企业。", Responses: exportResponses()},
		func(ctx context.Context, in *EnterpriseExportInput) (*huma.StreamResponse, error) {
			return s.exportEnterprises(ctx, in)
		})
	crud[enterprise.Enterprise, enterprise.EnterpriseInput]{base: "/api/v1/enterprises", tag: "企业服务", name: "enterprise", label: "企业",
		read: access.EnterpriseRead, edit: access.EnterpriseWrite, version: func(v enterprise.Enterprise) int { return v.Version },
		get: e.GetEnterprise, create: e.CreateEnterprise, update: e.UpdateEnterprise, del: e.DeleteEnterprise}.register(s)

	s.visitRoutes()
	s.financingRoutes()
	s.leadRoutes()
}

func (s *Server) visitRoutes() {
	e := s.deps.Enterprises
	tag := []string{"企业服务"}
	register(s, access.EnterpriseRead, huma.Operation{OperationID: "list-visits", Method: http.MethodGet, Path: "/api/v1/visits",
		Tags: tag, Summary: "走访记录列表", Description: "按企业、走访人、日期和关键字筛选，最新的在前；每条带企业反映的问题及其督办件状态。"},
		func(ctx context.Context, in *VisitListInput) (*Body[enterprise.VisitList], error) {
			l, err := e.ListVisits(ctx, in.filter())
			if err != nil {
				return nil, err
			}
			return &Body[enterprise.VisitList]{Body: l}, nil
		})
	register(s, access.EnterpriseRead, huma.Operation{OperationID: "visit-figures", Method: http.MethodGet, Path: "/api/v1/visits/figures",
		Tags: tag, Summary: "走访统计", Description: "期间内走访企业数（去重）、走访次数、反映问题数、已解决问题数（督办件已销号），合计、按服务专员和按月。"},
		func(ctx context.Context, in *PeriodInput) (*Body[enterprise.VisitFigures], error) {
			f, err := e.VisitFigures(ctx, in.From, in.To, in.VisitorID)
			if err != nil {
				return nil, err
			}
			return &Body[enterprise.VisitFigures]{Body: f}, nil
		})
	register(s, access.EnterpriseRead, huma.Operation{OperationID: "export-visits", Method: http.MethodGet, Path: "/api/v1/visits/export",
		Tags: tag, Summary: "导出走访记录（.xlsx 或 CSV）", Description: "按列表的筛选条件导出。", Responses: exportResponses()},
		func(ctx context.Context, in *VisitExportInput) (*huma.StreamResponse, error) {
			return s.exportVisits(ctx, in)
		})
	register(s, access.EnterpriseWrite, huma.Operation{OperationID: "create-visit", Method: http.MethodPost, Path: "/api/v1/visits",
		Tags: tag, Summary: "登记走访", DefaultStatus: http.StatusCreated,
		Description: "走访人默认为当前用户本人。每个反映的问题（problems）同时转为一件“企业诉求”督办件，交 unit_id 承办单位办理，" +
			"期限默认 15 天；督办件以该走访为来源，问题上记下督办件编号。"},
		func(ctx context.Context, in *Body[enterprise.VisitInput]) (*Tagged[enterprise.Visit], error) {
			v, err := e.CreateVisit(ctx, in.Body, s.visitRaiser())
			if err != nil {
				return nil, err
			}
			return &Tagged[enterprise.Visit]{ETag: etag(v.Version), Body: v}, nil
		})
	register(s, access.EnterpriseWrite, huma.Operation{OperationID: "add-visit-problems", Method: http.MethodPost, Path: "/api/v1/visits/{id}/problems",
		Tags: tag, Summary: "走访中反映问题", Description: "在已登记的走访上追加问题，每个问题转为一件企业诉求督办件。服务专员只能在本人的走访上追加。"},
		func(ctx context.Context, in *AddProblemsInput) (*Tagged[enterprise.Visit], error) {
			v, err := e.AddProblems(ctx, in.ID, in.Body.Problems, s.visitRaiser())
			if err != nil {
				return nil, err
			}
			return &Tagged[enterprise.Visit]{ETag: etag(v.Version), Body: v}, nil
		})
	crud[enterprise.Visit, enterprise.VisitInput]{base: "/api/v1/visits", tag: "企业服务", name: "visit", label: "走访记录",
		read: access.EnterpriseRead, edit: access.EnterpriseWrite, version: func(v enterprise.Visit) int { return v.Version },
		get: e.GetVisit, update: e.UpdateVisit, del: e.DeleteVisit}.registerWithoutCreate(s)
}

func (s *Server) financingRoutes() {
	e := s.deps.Enterprises
	tag := []string{"企业服务"}
	register(s, access.EnterpriseRead, huma.Operation{OperationID: "list-financing-needs", Method: http.MethodGet, Path: "/api/v1/financing-needs",
		Tags: tag, Summary: "融资需求列表", Description: "返回总数及需求金额、获批金额合计（万元）。"},
		func(ctx context.Context, in *NeedListInput) (*Body[enterprise.NeedList], error) {
			l, err := e.ListNeeds(ctx, in.filter())
			if err != nil {
				return nil, err
			}
			return &Body[enterprise.NeedList]{Body: l}, nil
		})
	register(s, access.EnterpriseRead, huma.Operation{OperationID: "financing-figures", Method: http.MethodGet, Path: "/api/v1/financing-needs/figures",
		Tags: tag, Summary: "融资服务统计", Description: "期间内（按登记日期）服务企业数、需求数、已放款需求数、获得融资企业数、放款金额，按状态和银行。"},
		func(ctx context.Context, in *PeriodInput) (*Body[enterprise.FinancingFigures], error) {
			f, err := e.FinancingFigures(ctx, in.From, in.To)
			if err != nil {
				return nil, err
			}
			return &Body[enterprise.FinancingFigures]{Body: f}, nil
		})
	register(s, access.EnterpriseRead, huma.Operation{OperationID: "export-financing-needs", Method: http.MethodGet, Path: "/api/v1/financing-needs/export",
		Tags: tag, Summary: "导出融资需求（.xlsx 或 CSV）", Responses: exportResponses()},
		func(ctx context.Context, in *NeedExportInput) (*huma.StreamResponse, error) {
			return s.exportNeeds(ctx, in)
		})
	crud[enterprise.Need, enterprise.NeedInput]{base: "/api/v1/financing-needs", tag: "企业服务", name: "financing-need", label: "融资需求",
		read: access.EnterpriseRead, edit: access.EnterpriseWrite, version: func(v enterprise.Need) int { return v.Version },
		get: e.GetNeed, create: e.CreateNeed, update: e.UpdateNeed, del: e.DeleteNeed}.register(s)
	for _, st := range []struct{ step, summary, desc string }{
		{"match", "对接银行", "金融辅导员为需求对接银行（bank 必填），新登记或已对接的需求可（重新）对接。"},
		{"grant", "登记放款", "已对接的需求登记获批金额（amount_granted_wan，万元）。"},
		{"decline", "登记未获批", "新登记或已对接的需求登记未获批，须写明原因（reason）。"},
	} {
		register(s, access.EnterpriseWrite, huma.Operation{OperationID: st.step + "-financing-need", Method: http.MethodPost,
			Path: "/api/v1/financing-needs/{id}/" + st.step, Tags: tag, Summary: st.summary, Description: st.desc,
			Errors: []int{http.StatusConflict, http.StatusPreconditionFailed}},
			func(ctx context.Context, in *StepInput[enterprise.NeedStep]) (*Tagged[enterprise.Need], error) {
				ver, err := parseVersion(in.IfMatch)
				if err != nil {
					return nil, err
				}
				n, err := e.StepNeed(ctx, in.ID, ver, st.step, in.Body)
				if err != nil {
					return nil, err
				}
				return &Tagged[enterprise.Need]{ETag: etag(n.Version), Body: n}, nil
			})
	}
}

func (s *Server) leadRoutes() {
	e := s.deps.Enterprises
	tag := []string{"招商项目"}
	register(s, access.EnterpriseRead, huma.Operation{OperationID: "list-leads", Method: http.MethodGet, Path: "/api/v1/leads",
		Tags: tag, Summary: "招商项目列表", Description: "按阶段、产业领域、责任单位、五百强、10亿元以上筛选；返回总数与投资额合计（万元）。"},
		func(ctx context.Context, in *LeadListInput) (*Body[enterprise.LeadList], error) {
			l, err := e.ListLeads(ctx, in.filter())
			if err != nil {
				return nil, err
			}
			return &Body[enterprise.LeadList]{Body: l}, nil
		})
	register(s, access.EnterpriseRead, huma.Operation{OperationID: "pipeline-figures", Method: http.MethodGet, Path: "/api/v1/leads/figures",
		Tags: tag, Summary: "招商漏斗",
		Description: "期间内进入各阶段的项目数与投资额、进入下一阶段的转化率、各阶段停留天数中位数，按产业领域分组；" +
			"签约项目数、10亿元以上签约项目数、签约的三类五百强投资方数；超过 stalled_days 天（默认 30）未推进的项目。"},
		func(ctx context.Context, in *PipelineFiguresInput) (*Body[enterprise.PipelineFigures], error) {
			f, err := e.PipelineFigures(ctx, in.From, in.To, in.Sector, in.StalledDays)
			if err != nil {
				return nil, err
			}
			return &Body[enterprise.PipelineFigures]{Body: f}, nil
		})
	register(s, access.EnterpriseRead, huma.Operation{OperationID: "export-leads", Method: http.MethodGet, Path: "/api/v1/leads/export",
		Tags: tag, Summary: "导出招商项目（.xlsx 或 CSV）", Responses: exportResponses()},
		func(ctx context.Context, in *LeadExportInput) (*huma.StreamResponse, error) {
			return s.exportLeads(ctx, in)
		})
	crud[enterprise.Lead, enterprise.LeadInput]{base: "/api/v1/leads", tag: "招商项目", name: "lead", label: "招商项目",
		read: access.EnterpriseRead, edit: access.EnterpriseWrite, version: func(v enterprise.Lead) int { return v.Version },
		get: e.GetLead, create: e.CreateLead, update: e.UpdateLead, del: e.DeleteLead}.register(s)
	register(s, access.EnterpriseWrite, huma.Operation{OperationID: "advance-lead", Method: http.MethodPost, Path: "/api/v1/leads/{id}/advance",
		Tags: tag, Summary: "推进到下一阶段", Errors: []int{http.StatusConflict, http.StatusPreconditionFailed},
		Description: "洽谈 → 签约 → 注册落地 → 开工 → 投产，逐级推进，不能跳级或倒退，日期不早于上一阶段。" +
			"进入开工（started）时同时转为重点项目（item：所属攻坚年、责任领导；牵头单位默认为责任单位，编码默认为项目编号），" +
			"并记下 item_id；这一步需要事项编辑权限。"},
		func(ctx context.Context, in *StepInput[enterprise.AdvanceInput]) (*Tagged[enterprise.Lead], error) {
			ver, err := parseVersion(in.IfMatch)
			if err != nil {
				return nil, err
			}
			l, err := e.Advance(ctx, s.deps.Campaign, in.ID, ver, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[enterprise.Lead]{ETag: etag(l.Version), Body: l}, nil
		})
	register(s, access.EnterpriseWrite, huma.Operation{OperationID: "drop-lead", Method: http.MethodPost, Path: "/api/v1/leads/{id}/drop",
		Tags: tag, Summary: "终止招商项目", Errors: []int{http.StatusConflict, http.StatusPreconditionFailed},
		Description: "写明原因（reason）；已投产的项目不能终止。终止时所处阶段记在 dropped_from。"},
		func(ctx context.Context, in *StepInput[enterprise.DropInput]) (*Tagged[enterprise.Lead], error) {
			ver, err := parseVersion(in.IfMatch)
			if err != nil {
				return nil, err
			}
			l, err := e.Drop(ctx, in.ID, ver, in.Body)
			if err != nil {
				return nil, err
			}
			return &Tagged[enterprise.Lead]{ETag: etag(l.Version), Body: l}, nil
		})
}

func yesNo(b bool, lang string) string {
	switch {
	case lang == "en" && b:
		return "yes"
	case lang == "en":
		return "no"
	case b:
		return "是"
	}
	return "否"
}

var top500Words = map[string][2]string{"world": {"世界500强", "Fortune Global 500"}, "china": {"中国500强", "China Top 500"},
	"private": {"民营500强", "Private Top 500"}}

var needStateWords = map[string][2]string{"new": {"新登记", "new"}, "matched": {"已对接", "matched"}, "granted": {"已放款", "granted"},
	"declined": {"未获批", "declined"}}

func word(m map[string][2]string, k, lang string) string {
	w, ok := m[k]
	if !ok {
		return k
	}
	if lang == "en" {
		return w[1]
	}
	return w[0]
}

func (s *Server) exportEnterprises(ctx context.Context, in *EnterpriseExportInput) (*huma.StreamResponse, error) {
	return s.export(ctx, in.Format, in.Lang, exportSheet{name: "enterprises", sheetZh: "企业", sheet: "Enterprises", cols: []exportCol{
		{"统一社会信用代码", "Credit code", 22}, {"企业名称", "Name", 36},
		{"注册资本（万元）", "Registered capital (10k yuan)", 16}, {"行业", "Industry", 14}, {"街道", "Street", 12}, {"地址", "Address", 30},
		{"白名单", "White list", 8}, {"五百强", "Top 500", 14}, {"规上", "Above scale", 8}, {"服务专员", "Commissioner", 16},
		{"金融辅导员", "Finance advisor", 16}, {"走访次数", "Visits", 8}, {"最近走访", "Last visit", 12}, {"示意数据", "Illustrative", 8}}},
		func(w xlsx.Sheet) error {
			f := in.filter()
			return eachPage(func(p store.Page) (int, error) {
				f.Page = p
				l, err := s.deps.Enterprises.ListEnterprises(ctx, f)
				for _, x := range l.Items {
					if err := w.Row(x.CreditCode, x.Name, xlsx.Wan(x.RegisteredCapitalWan), x.Industry, x.Street, x.Address, yesNo(x.WhiteList, in.Lang),
						word(top500Words, x.Top500, in.Lang), yesNo(x.AboveScale, in.Lang), x.CommissionerName, x.FinanceAdvisorName, x.VisitCount,
						x.LastVisitOn, yesNo(x.Illustrative, in.Lang)); err != nil {
						return 0, err
					}
				}
				return len(l.Items), err
			})
		})
}

func (s *Server) exportVisits(ctx context.Context, in *VisitExportInput) (*huma.StreamResponse, error) {
	return s.export(ctx, in.Format, in.Lang, exportSheet{name: "visits", sheetZh: "走访记录", sheet: "Visits", cols: []exportCol{
		{"走访日期", "Date", 12}, {"企业名称", "Enterprise", 36},
		{"统一社会信用代码", "Credit code", 22}, {"走访人", "Visitor", 16}, {"走访情况", "Notes", 40}, {"反映问题数", "Problems", 10},
		{"已解决", "Solved", 8}, {"问题及督办件", "Problems and cases", 60}}},
		func(w xlsx.Sheet) error {
			f := in.filter()
			return eachPage(func(p store.Page) (int, error) {
				f.Page = p
				l, err := s.deps.Enterprises.ListVisits(ctx, f)
				for _, v := range l.Items {
					solved, text := 0, ""
					for i, pr := range v.Problems {
						if pr.Solved {
							solved++
						}
						if i > 0 {
							text += "；"
						}
						text += pr.Title
						if pr.CaseCode != "" {
							text += "（" + pr.CaseCode + "）"
						}
					}
					if err := w.Row(v.VisitDate, v.EnterpriseName, v.CreditCode, v.VisitorName, v.Notes, len(v.Problems), solved, text); err != nil {
						return 0, err
					}
				}
				return len(l.Items), err
			})
		})
}

func (s *Server) exportNeeds(ctx context.Context, in *NeedExportInput) (*huma.StreamResponse, error) {
	return s.export(ctx, in.Format, in.Lang, exportSheet{name: "financing-needs", sheetZh: "融资需求", sheet: "Financing needs", cols: []exportCol{
		{"登记日期", "Requested on", 12}, {"企业名称", "Enterprise", 36},
		{"白名单", "White list", 8}, {"需求金额（万元）", "Requested (10k yuan)", 16}, {"用途", "Purpose", 24}, {"对接银行", "Bank", 18},
		{"状态", "State", 10}, {"获批金额（万元）", "Granted (10k yuan)", 16}, {"金融辅导员", "Advisor", 16}, {"对接日期", "Matched on", 12},
		{"办结日期", "Decided on", 12}, {"未获批原因", "Decline reason", 24}}},
		func(w xlsx.Sheet) error {
			f := in.filter()
			return eachPage(func(p store.Page) (int, error) {
				f.Page = p
				l, err := s.deps.Enterprises.ListNeeds(ctx, f)
				for _, n := range l.Items {
					if err := w.Row(n.RequestedOn, n.EnterpriseName, yesNo(n.WhiteList, in.Lang), xlsx.Wan(n.AmountRequestedWan), n.Purpose, n.Bank,
						word(needStateWords, n.State, in.Lang), xlsx.Wan(n.AmountGrantedWan), n.AdvisorName, n.MatchedOn, n.DecidedOn,
						n.DeclineReason); err != nil {
						return 0, err
					}
				}
				return len(l.Items), err
			})
		})
}

var stageWords = map[string][2]string{"negotiating": {"洽谈", "negotiating"}, "signed": {"签约", "signed"}, "registered": {"注册落地", "registered"},
	"started": {"开工", "construction started"}, "operating": {"投产", "operating"}, "dropped": {"终止", "dropped"}}

func (s *Server) exportLeads(ctx context.Context, in *LeadExportInput) (*huma.StreamResponse, error) {
	return s.export(ctx, in.Format, in.Lang, exportSheet{name: "leads", sheetZh: "招商项目", sheet: "Investment leads", cols: []exportCol{
		{"项目编号", "Code", 12}, {"投资方", "Investor", 28},
		{"项目名称", "Project", 36}, {"产业领域", "Sector", 14}, {"投资额（万元）", "Amount (10k yuan)", 14}, {"线索来源", "Source", 14},
		{"责任单位", "Owner unit", 16}, {"五百强", "Top 500", 8}, {"10亿元以上", "Above 1 bn", 10}, {"阶段", "Stage", 10},
		{"洽谈", "Negotiating", 12}, {"签约", "Signed", 12}, {"注册落地", "Registered", 12}, {"开工", "Started", 12}, {"投产", "Operating", 12},
		{"终止原因", "Drop reason", 20}, {"重点项目", "Key project", 12}}},
		func(w xlsx.Sheet) error {
			f := in.filter()
			return eachPage(func(p store.Page) (int, error) {
				f.Page = p
				l, err := s.deps.Enterprises.ListLeads(ctx, f)
				for _, x := range l.Items {
					if err := w.Row(x.Code, x.Investor, x.Project, x.Sector, xlsx.Wan(x.AmountWan), x.Source, x.OwnerUnitName, yesNo(x.Top500, in.Lang),
						yesNo(x.AboveBillion, in.Lang), word(stageWords, x.Stage, in.Lang), x.NegotiatingOn, x.SignedOn,
						x.RegisteredOn, x.StartedOn, x.OperatingOn, x.DropReason, x.ItemCode); err != nil {
						return 0, err
					}
				}
				return len(l.Items), err
			})
		})
}
