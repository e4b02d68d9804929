package demo

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/casework"
	"gongjian/internal/date"
	"gongjian/internal/enterprise"
	"gongjian/internal/org"
)

// The enterprise figures of the articles, which the demo's records add up to:
//
//	[A1] 累计招引绿地、保利等“三类五百强”企业14家、重点项目30余个。
//	[A1] 对120家企业“一对一”开展金融服务，累计为60家企业解决融资需求4.9亿元。
//	[A2] 19个10亿元以上项目成功签约，其中，注册资本228亿元的国电投清洁能源研发中心落户海上世界。
//	[A2] 深入开展服务企业专员制度，累计走访企业1600余家，帮助企业解决问题400余个。
const (
	DemoTop500Enterprises  = 14
	DemoAttractedLeads     = 32 // "重点项目30余个": leads signed or further
	DemoSignedAboveBillion = 19
	DemoWhiteListServed    = 120
	DemoFinanced           = 60
	DemoGrantedWan         = 49000 // 4.9亿元
	DemoVisits             = 1600  // one visit to each of 1,600 enterprises
	DemoProblemsRaised     = 450   // illustrative: the article gives only the 400 solved
	DemoProblemsSolved     = 400
	DemoSPICCapitalWan     = 2280000 // 228亿元
)

// demoCodePrefix: registration authority 9 (market regulation), category 1
// (enterprise), division 370602 (芝罘区).
const demoCodePrefix = "91370602"

// demoCreditCode is the n-th placeholder credit code, valid by both check characters.
func demoCreditCode(n int) string {
	c, err := enterprise.MakeCreditCode(demoCodePrefix, fmt.Sprintf("MA%06d", 100000+n*37))
	if err != nil {
		panic(err) // the body is digits; cannot fail
	}
	return c
}

// demoCommissioners are the service commissioners (服务专员) and finance
// advisors (金融辅导员) the demo adds to P-SWJ-ZY, the demo account's person.
var demoCommissioners = []Person{
	{"P-ZY-XY", "向阳街道服务企业专员", "向阳街道服务企业专员", "JD-XY"},
	{"P-ZY-DS", "东山街道服务企业专员", "东山街道服务企业专员", "JD-DS"},
	{"P-ZY-ZC", "只楚街道服务企业专员", "只楚街道服务企业专员", "JD-ZC"},
	{"P-ZY-HW", "黄务街道服务企业专员", "黄务街道服务企业专员", "JD-HW"},
	{"P-ZY-XF", "幸福街道服务企业专员", "幸福街道服务企业专员", "JD-XF"},
	{"P-ZY-TCZX", "投资促进中心服务企业专员", "区投资促进中心服务企业专员", "TCZX"},
}

var demoAdvisors = []Person{
	{"P-JRFD-1", "金融辅导员（一组）", "区金融服务中心金融辅导员", "JRJ"},
	{"P-JRFD-2", "金融辅导员（二组）", "区金融服务中心金融辅导员", "JRJ"},
	{"P-JRFD-3", "金融辅导员（三组）", "区金融服务中心金融辅导员", "JRJ"},
}

var demoStreets = []string{"向阳街道", "东山街道", "毓璜顶街道", "通伸街道", "凤凰台街道", "奇山街道", "白石街道", "芝罘岛街道",
	"只楚街道", "世回尧街道", "黄务街道", "幸福街道"}

var demoIndustries = []struct{ name, word string }{{"批发零售", "商贸"}, {"制造业", "机械"}, {"信息技术", "科技"}, {"建筑业", "建设"},
	{"住宿餐饮", "餐饮"}, {"交通物流", "物流"}, {"文化旅游", "文旅"}, {"医药健康", "医药"}, {"海洋经济", "海洋"}, {"现代服务", "服务"}}

var demoBanks = []string{"国家开发银行烟台分行", "工商银行芝罘支行", "农业银行芝罘支行", "中国银行芝罘支行", "建设银行芝罘支行",
	"交通银行烟台分行", "烟台银行", "恒丰银行", "邮储银行芝罘支行", "兴业银行烟台分行"}

// demoTop500 are the 14 top-500 enterprises (三类五百强) in the district;
// the articles name 绿地, 保利 and 国电投 (and 抖音集团, 上海实业 with their projects).
var demoTop500 = []struct {
	name, kind, industry, street string
	capitalWan                   float64
	named                        bool
}{
	{"国电投清洁能源研发中心", "world", "清洁能源", "向阳街道", DemoSPICCapitalWan, true},
	{"绿地集团（芝罘）城市更新公司", "world", "房地产", "奇山街道", 50000, true},
	{"保利（烟台）芝罘发展公司", "world", "房地产", "白石街道", 50000, true},
	{"抖音集团AI数据服务生态产业园运营公司", "private", "信息技术", "只楚街道", 10000, true},
	{"上实国际智云城开发公司", "china", "现代服务", "幸福街道", 80000, true},
	{"示意世界500强企业A（芝罘）", "world", "海洋经济", "芝罘岛街道", 30000, false},
	{"示意世界500强企业B（芝罘）", "world", "制造业", "黄务街道", 25000, false},
	{"示意中国500强企业C（芝罘）", "china", "医药健康", "幸福街道", 20000, false},
	{"示意中国500强企业D（芝罘）", "china", "交通物流", "世回尧街道", 20000, false},
	{"示意中国500强企业E（芝罘）", "china", "批发零售", "通伸街道", 15000, false},
	{"示意民营500强企业F（芝罘）", "private", "信息技术", "只楚街道", 12000, false},
	{"示意民营500强企业G（芝罘）", "private", "制造业", "黄务街道", 10000, false},
	{"示意民营500强企业H（芝罘）", "private", "文化旅游", "东山街道", 8000, false},
	{"示意民营500强企业I（芝罘）", "private", "建筑业", "凤凰台街道", 8000, false},
}

// demoProblemTitles are typical enterprise requests, cycled for the
// illustrative problems.
var demoProblemTitles = []string{"用工招聘困难，需对接人社部门", "厂区周边道路破损影响物流", "申请技术改造项目补助", "办理不动产权证书遇阻",
	"水电气报装时间长", "融资担保额度不足", "租用厂房手续不全", "希望对接高校研发资源", "项目审批环节多、时限长", "外贸订单汇率风险咨询"}

// demoDay spreads n over 2022-01-04 … 2022-11-30, a day's step at a time.
func demoDay(n, of int) date.Date {
	start := time.Date(2022, 1, 4, 0, 0, 0, 0, time.UTC)
	span := 330 // days to 2022-11-30
	return date.Of(start.AddDate(0, 0, n*span/of))
}

// demoEnterpriseData builds the seed: 1,600 enterprises each visited once
// (the 14 top-500 enterprises among them), 120 on the white list each with a
// financing need, 60 of them granted 4.9亿元 in total, and 40 investment leads.
func demoEnterpriseData() enterprise.SeedData {
	var d enterprise.SeedData
	commissioners := []string{"P-SWJ-ZY"}
	for _, p := range demoCommissioners {
		commissioners = append(commissioners, p.Code)
	}
	for i := 0; i < DemoVisits; i++ {
		ind := demoIndustries[i%len(demoIndustries)]
		e := enterprise.SeedEnterprise{CreditCode: demoCreditCode(i), Name: fmt.Sprintf("烟台示意%s企业%04d有限公司", ind.word, i+1),
			Industry: ind.name, Street: demoStreets[i%len(demoStreets)], CapitalWan: float64(100 + (i*37)%5000),
			AboveScale: i%4 == 0, CommissionerCode: commissioners[i%len(commissioners)], Illustrative: true,
			Note: "示意企业：原文只给出走访企业数（1600余家）；名称与信用代码为示意（信用代码按 GB 32100 校验位生成）。"}
		if i < len(demoTop500) {
			t := demoTop500[i]
			e.Name, e.Top500, e.Industry, e.Street, e.CapitalWan, e.AboveScale = t.name, t.kind, t.industry, t.street, t.capitalWan, true
			e.Note = "三类五百强企业（原文：累计招引绿地、保利等“三类五百强”企业14家）；信用代码为示意。"
			if i == 0 {
				e.Note = "[A2] 注册资本228亿元的国电投清洁能源研发中心落户海上世界；信用代码为示意。"
			}
		}
		if i%13 == 3 && i/13 < DemoWhiteListServed { // every 13th (from the 4th): 120 in all
			e.WhiteList, e.AdvisorCode = true, demoAdvisors[i%len(demoAdvisors)].Code
		}
		d.Enterprises = append(d.Enterprises, e)
		v := enterprise.SeedVisit{CreditCode: e.CreditCode, VisitorCode: e.CommissionerCode, Date: demoDay(i, DemoVisits), Illustrative: true,
			Notes: "了解企业生产经营情况，宣传惠企政策。"}
		// Problems on every 32nd visit and then some: 450 in all, the first 400 solved.
		if k := problemIndex(i); k >= 0 {
			p := enterprise.SeedProblem{Title: demoProblemTitles[k%len(demoProblemTitles)], Description: "走访中企业反映（示意）。"}
			if k < DemoProblemsSolved {
				p.SolvedOn = date.Of(v.Date.Time().AddDate(0, 0, 10+k%20))
			}
			v.Problems = []enterprise.SeedProblem{p}
			v.Notes += "企业反映问题已登记为督办件。"
		}
		d.Visits = append(d.Visits, v)
	}
	d.Needs = demoNeeds(d.Enterprises)
	d.Leads = demoLeads(d.Enterprises)
	return d
}

// problemIndex numbers the visits that raised a problem: 450 of the 1,600,
// spread evenly; -1 for a visit without one.
func problemIndex(i int) int {
	// Visit i raises a problem when ⌊i·450/1600⌋ steps up at i.
	if i == 0 || i*DemoProblemsRaised/DemoVisits != (i-1)*DemoProblemsRaised/DemoVisits {
		return i * DemoProblemsRaised / DemoVisits
	}
	return -1
}

// demoNeeds: one need per white-list enterprise (120 served); the first 60
// granted, in amounts that add up to exactly 49,000万元; of the rest 20
// matched with a bank, 15 new and 25 declined.
func demoNeeds(es []enterprise.SeedEnterprise) []enterprise.SeedNeed {
	cycle := []float64{300, 500, 800, 1000, 1200}
	var out []enterprise.SeedNeed
	granted, sum := 0, 0.0
	for _, e := range es {
		if !e.WhiteList {
			continue
		}
		n := len(out)
		req := demoDay(n, DemoWhiteListServed)
		need := enterprise.SeedNeed{CreditCode: e.CreditCode, AdvisorCode: e.AdvisorCode, RequestedOn: req, Illustrative: true,
			Purpose: []string{"流动资金", "设备购置", "技术改造", "厂房建设"}[n%4], State: "new", RequestedWan: cycle[n%len(cycle)] * 1.5}
		switch {
		case granted < DemoFinanced:
			amt := cycle[granted%len(cycle)]
			if granted == DemoFinanced-1 {
				amt = DemoGrantedWan - sum
			}
			sum += amt
			granted++
			need.State, need.Bank, need.GrantedWan, need.RequestedWan = "granted", demoBanks[n%len(demoBanks)], amt, amt*1.25
			need.MatchedOn, need.DecidedOn = date.Of(req.Time().AddDate(0, 0, 5)), date.Of(req.Time().AddDate(0, 0, 25))
		case n < DemoFinanced+20:
			need.State, need.Bank, need.MatchedOn = "matched", demoBanks[n%len(demoBanks)], date.Of(req.Time().AddDate(0, 0, 7))
		case n < DemoFinanced+35:
		default:
			need.State, need.Bank, need.DeclineReason = "declined", demoBanks[n%len(demoBanks)], "抵押物不足，建议申请政府性融资担保"
			need.MatchedOn, need.DecidedOn = date.Of(req.Time().AddDate(0, 0, 5)), date.Of(req.Time().AddDate(0, 0, 30))
		}
		out = append(out, need)
	}
	return out
}

func entDate(s string) date.Date { return date.MustParse(s) }

// demoLeads: 40 leads; 32 signed or further ("重点项目30余个"), 19 of them of
// 10亿元 or more; 14 top-500 investors among the signed; 6 in negotiation and
// 2 dropped. The 9 幸福新城 industrial projects, 国电投 and 抖音 link to the
// key projects the district already has.
func demoLeads(es []enterprise.SeedEnterprise) []enterprise.SeedLead {
	type L = enterprise.SeedLead
	stages := func(stage string, ds ...string) (string, [5]date.Date) {
		var out [5]date.Date
		for i, s := range ds {
			out[i] = entDate(s)
		}
		return stage, out
	}
	reg := func(l L, sign, regd string) L {
		l.Stage, l.Dates = stages("registered", "2022-03-01", sign, regd)
		return l
	}
	var out []L
	add := func(l L, stage string, dates [5]date.Date) {
		l.Stage, l.Dates = stage, dates
		out = append(out, l)
	}
	st, ds := stages("registered", "2022-02-15", "2022-05-10", "2022-06-30")
	add(L{Code: "ZS-001", Investor: "国家电力投资集团", Project: "国电投清洁能源研发中心", Sector: "清洁能源", AmountWan: 1000000,
		Source: "“双百”行动", OwnerUnitCode: "TCZX", Top500: true, EnterpriseCode: es[0].CreditCode, ItemCode: "XM-005",
		Note: "[A2] 注册资本228亿元，芝罘区历史上落户单体最大的项目；日期与投资额为示意。"}, st, ds)
	st, ds = stages("operating", "2021-12-01", "2022-01-05", "2022-01-20", "2022-02-10", "2022-03-01")
	add(L{Code: "ZS-002", Investor: "抖音集团", Project: "抖音集团AI数据服务生态产业园", Sector: "数字经济", AmountWan: 100000,
		Source: "以商招商", OwnerUnitCode: "GXJ", Top500: true, EnterpriseCode: es[3].CreditCode, ItemCode: "XM-031",
		Note: "[A2] 带动近3000名大学生就业，自3月份至今实现产值1.2亿元；签约、开工日期为示意。"}, st, ds)
	// 幸福新城: 上实国际智云城 and 8 more, 345亿元 in all, landed, to start by the end of September [A1].
	xf := []struct {
		code, investor, project string
		wan                     float64
		top500                  bool
	}{
		{"XM-019", "上海实业（集团）有限公司", "上实国际智云城", 800000, true},
		{"XM-020", "示意世界500强企业A", "幸福新城智能装备产业园（示意）", 600000, true},
		{"XM-021", "示意世界500强企业B", "幸福新城海洋经济总部基地（示意）", 450000, true},
		{"XM-022", "示意中国500强企业C", "幸福新城生命健康产业园（示意）", 400000, true},
		{"XM-023", "示意中国500强企业D", "幸福新城数字文创产业园（示意）", 350000, true},
		{"XM-024", "示意投资方（商贸物流）", "幸福新城商贸物流中心（示意）", 300000, false},
		{"XM-025", "示意投资方（科技研发）", "幸福新城科技研发中心（示意）", 250000, false},
		{"XM-026", "示意投资方（新材料）", "幸福新城新材料产业项目（示意）", 180000, false},
		{"XM-027", "示意投资方（楼宇经济）", "幸福新城总部经济楼宇（示意）", 120000, false},
	}
	for i, x := range xf {
		l := reg(L{Code: fmt.Sprintf("ZS-%03d", 3+i), Investor: x.investor, Project: x.project, Sector: "产业园区", AmountWan: x.wan,
			Source: "片区招商", OwnerUnitCode: "TCZX", Top500: x.top500, ItemCode: x.code, Illustrative: i > 0,
			Note: "[A1] 上实国际智云城等9个总投资345亿元产业项目落地，月底前集中开工。"}, "2022-06-15", "2022-08-31")
		out = append(out, l)
	}
	// 绿地, 保利 and six more projects of 10亿元 or more [A1][A2].
	big := []struct {
		investor, project, sector string
		wan                       float64
		top500                    bool
		stage                     string
	}{
		{"绿地集团", "绿地芝罘城市更新综合体（示意）", "城市更新", 500000, true, "signed"},
		{"保利集团", "保利芝罘滨海片区开发（示意）", "城市更新", 450000, true, "signed"},
		{"示意中国500强企业E", "滨海商业综合体（示意）", "现代服务", 200000, true, "registered"},
		{"示意民营500强企业F", "数字经济产业园二期（示意）", "数字经济", 150000, true, "signed"},
		{"示意民营500强企业G", "高端装备制造基地（示意）", "先进制造", 120000, true, "registered"},
		{"示意投资方（文旅）", "芝罘仙境文旅综合体（示意）", "文化旅游", 110000, false, "signed"},
		{"示意投资方（医养）", "康养社区项目（示意）", "医药健康", 100000, false, "signed"},
		{"示意投资方（物流）", "港城冷链物流园（示意）", "现代物流", 100000, false, "signed"},
	}
	for i, b := range big {
		sign := demoDay(i, len(big)).String()
		l := L{Code: fmt.Sprintf("ZS-%03d", 12+i), Investor: b.investor, Project: b.project, Sector: b.sector, AmountWan: b.wan,
			Source: "“双百”行动", OwnerUnitCode: "TCZX", Top500: b.top500, Illustrative: i > 1,
			Note: "[A2] 19个10亿元以上项目成功签约之一；投资额与日期为示意。"}
		if b.stage == "registered" {
			out = append(out, reg(l, sign, date.Of(entDate(sign).Time().AddDate(0, 2, 0)).String()))
			continue
		}
		l.Stage, l.Dates = stages("signed", "2022-01-10", sign)
		if entDate(sign).Before(entDate("2022-01-10")) {
			l.Dates[0] = entDate(sign)
		}
		out = append(out, l)
	}
	// 13 smaller signed projects, two with top-500 investors (H, I).
	for i := 0; i < 13; i++ {
		inv, top := fmt.Sprintf("示意投资方%02d", i+1), false
		if i < 2 {
			inv, top = []string{"示意民营500强企业H", "示意民营500强企业I"}[i], true
		}
		sign := demoDay(i, 13)
		l := L{Code: fmt.Sprintf("ZS-%03d", 20+i), Investor: inv, Project: fmt.Sprintf("示意招商项目%02d", i+1),
			Sector: []string{"现代服务", "数字经济", "先进制造", "海洋经济"}[i%4], AmountWan: float64(8000 + i*5000), Source: "以商招商",
			OwnerUnitCode: []string{"TCZX", "SWJ", "GXJ"}[i%3], Top500: top, Illustrative: true,
			Note: "示意：原文只给出“重点项目30余个”。"}
		l.Stage, l.Dates = "signed", [5]date.Date{date.Of(sign.Time().AddDate(0, -2, 0)), sign}
		out = append(out, l)
	}
	// 6 in negotiation, 2 dropped.
	for i := 0; i < 8; i++ {
		l := L{Code: fmt.Sprintf("ZS-%03d", 33+i), Investor: fmt.Sprintf("示意意向投资方%02d", i+1), Project: fmt.Sprintf("示意洽谈项目%02d", i+1),
			Sector: []string{"数字经济", "先进制造", "现代服务", "文化旅游"}[i%4], AmountWan: float64(20000 + i*30000), Source: "展会洽谈",
			OwnerUnitCode: "TCZX", Illustrative: true, Note: "示意：洽谈中的项目。"}
		l.Stage, l.Dates = "negotiating", [5]date.Date{demoDay(i*40, 330)}
		if i >= 6 {
			l.Stage, l.DroppedOn, l.DroppedFrom, l.DropReason = "dropped", date.Of(l.Dates[0].Time().AddDate(0, 1, 0)), "negotiating", "投资方调整投资计划"
		}
		out = append(out, l)
	}
	return out
}

// loadEnterprises writes the enterprises, visits, financing needs and
// investment leads in one transaction, then turns the visits' problems into
// cases with their history (400 closed) and links them back.
func loadEnterprises(ctx context.Context, s Services, x Extras, sum Summary) error {
	for _, p := range append(append([]Person{}, demoCommissioners...), demoAdvisors...) {
		if _, _, err := ensure(ctx, func() (int64, error) {
			v, err := s.Org.PersonByCode(ctx, p.Code)
			return v.ID, err
		}, func() (int64, error) {
			u, err := s.Org.UnitByCode(ctx, p.UnitCode)
			if err != nil {
				return 0, err
			}
			v, err := s.Org.CreatePerson(ctx, org.PersonInput{Code: p.Code, Name: p.Name, Title: p.Title, UnitID: &u.ID})
			return v.ID, err
		}); err != nil {
			return fmt.Errorf("person %s: %w", p.Code, err)
		}
	}
	if _, err := x.Enterprises.Seed(ctx, sum.CampaignID, demoEnterpriseData()); err != nil {
		return err
	}
	if x.Cases == nil {
		return nil
	}
	return demoVisitCases(ctx, s, x)
}

// demoVisitCases raises the cases of the visits' problems as history, each
// assigned to 区商务局 (which runs the commissioner system) and, when solved,
// closed 10–29 days after the visit.
func demoVisitCases(ctx context.Context, s Services, x Extras) error {
	ps, err := x.Enterprises.UnlinkedProblems(ctx)
	if err != nil || len(ps) == 0 {
		return err
	}
	swj, err := s.Org.UnitByCode(ctx, "SWJ")
	if err != nil {
		return err
	}
	hs := make([]casework.HistoricCase, 0, len(ps))
	for _, p := range ps {
		ent, visitor := p.EnterpriseID, p.VisitorID
		created := p.VisitDate.Time().Add(10 * time.Hour)
		h := casework.HistoricCase{
			CaseInput: casework.CaseInput{Type: "enterprise_request", Title: p.Title, Description: p.EnterpriseName + "（走访反映，示意）：" + p.Description,
				SourceKind: "visit", SourceID: p.VisitID, EnterpriseID: &ent, RequesterPersonID: &visitor,
				Deadline: date.Of(created.AddDate(0, 0, 30)), Assignees: []casework.AssigneeInput{{UnitID: swj.ID}}},
			ExternalRef: fmt.Sprintf("demo-visit-problem-%d", p.ID), RequesterUnitID: &swj.ID, CreatedAt: created,
		}
		if !p.SolvedOn.IsZero() {
			h.Answer, h.AnsweredAt = "已协调解决。", p.SolvedOn.Time().Add(-24*time.Hour+9*time.Hour)
			h.ClosedAt, h.Rating, h.CloseNote = p.SolvedOn.Time().Add(16*time.Hour), 5, "企业满意，销号。"
		}
		hs = append(hs, h)
	}
	if _, err := x.Cases.ImportHistory(ctx, hs); err != nil {
		return fmt.Errorf("visit cases: %w", err)
	}
	_, err = x.Enterprises.LinkCases(ctx)
	return err
}
