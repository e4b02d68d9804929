package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gongjian/internal/errs"
	"gongjian/internal/ledger"
	"gongjian/internal/store"
)

// lgAll is one page holding every row of a small ledger.
var lgAll = store.Page{Size: store.MaxPageSize}

// The district's ledgers (台账): the registers behind the articles' counts
// and sums. Each ledger's rows are generated so that its figures come out as
// the articles give them, exactly; every row's name, place, date and size is
// illustrative ("（示意）") except the few the articles name. Rows are dated
// from the campaign's start to the press conference of 2022-09-08 [A2], so
// the figures as of that day are the articles' and earlier days show them
// growing.

// LedgerFigures the articles give, which the demo ledgers add up to.
const (
	DemoIllegalStructures   = 6469   // 累计拆除各类违建6469处 [A2]
	DemoIllegalAreaM2       = 957800 // 95.78万平方米 [A2]
	DemoAds                 = 1300   // 整治违规户外广告近1300处 [A2]
	DemoHoardings           = 410    // 拆除围挡410余处 [A2]
	DemoFreeParking         = 9783   // 新增免费停车位9783个 [A2]
	DemoSharedParking       = 3515   // 有偿错时共享停车位3515个 [A2]
	DemoTalentApartments    = 2200   // 已拥有人才公寓2200余套 [A2]
	DemoTalents             = 1500   // 人才地图共收录各类高层次人才1500余名 [A1]
	DemoProvincialThisYear  = 34     // 今年引进培育省级以上人才34名 [A1]
	DemoMastersOrAbove      = 420    // 引进硕士以上高层次人才420余人 [A2]
	DemoIdleLandMu          = 880    // 处置批而未供土地、闲置土地880亩 [A1]
	DemoIdleFactories       = 50     // illustrative: the articles give only the 60% target
	DemoFactoriesRevived    = 27     // illustrative: 54% as of 2022-09-08, on the way to 60%
	DemoMarketsRenovated    = 11     // 11处老旧农贸市场已改造完成 [A1]
	DemoMarketsStarUpgraded = 10     // 按照星级标准完成10处农贸市场升级改造 [A2]
	DemoMarketCapitalWan    = 5000   // 引入5000余万社会资本 [A1]
	DemoPocketParks         = 20     // 高标准建设20处口袋公园 [A2]
	DemoDangerousHouseholds = 341    // 341户危房解危 [A2]
	DemoDangerousFundsWan   = 27000  // 筹集资金2.7亿元 [A2]
	DemoCertCommunities     = 91     // 翡翠明珠等91个小区 [A2]
	DemoCertHouseholds      = 98000  // 9.8万户 [A2]
	DemoBankAgreements      = 18     // 与国开行等18家银行签订战略合作协议 [A2]
	DemoBankCreditWan       = 4000000
)

var lgStreets = []string{"向阳街道", "东山街道", "毓璜顶街道", "通伸街道", "凤凰台街道", "奇山街道", "白石街道", "芝罘岛街道",
	"只楚街道", "世回尧街道", "黄务街道", "幸福街道"}

// demoLedger is a ledger, its rows and the targets its figures feed.
type demoLedger struct {
	def   ledger.LedgerInput
	owner string // unit code
	rows  func() []ledger.BulkRow
	links []demoLedgerLink
	after func(ctx context.Context, svc *ledger.Service, l ledger.Ledger) error // history after the load
}

// demoLedgerLink links the target named name of item code to a figure.
type demoLedgerLink struct {
	item, target string
	in           ledger.TargetLinkInput
}

// lgRand is a small deterministic generator, so the demo is the same on every run.
type lgRand uint64

func (g *lgRand) next(n int) int {
	*g = *g*6364136223846793005 + 1442695040888963407
	return int(uint64(*g)>>33) % n
}

// split divides total into n positive parts that vary but add up exactly.
func lgSplit(total, n int, seed lgRand) []int {
	w := make([]int, n)
	sum := 0
	for i := range w {
		w[i] = 50 + seed.next(100)
		sum += w[i]
	}
	out := make([]int, n)
	given := 0
	for i := range w {
		out[i] = total * w[i] / sum
		if out[i] < 1 {
			out[i] = 1
		}
		given += out[i]
	}
	for i := 0; given != total; i = (i + 1) % n {
		switch {
		case given < total:
			out[i]++
			given++
		case out[i] > 1:
			out[i]--
			given--
		}
	}
	return out
}

// dayOf spreads row i of n over the campaign up to the press conference.
func lgDay(i, n int) time.Time {
	start := time.Date(2022, 1, 4, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2022, 9, 7, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	return start.AddDate(0, 0, i*days/n)
}

// recorded is when a row dated d was entered: that morning, Beijing time.
func lgRecorded(d time.Time) time.Time { return d.Add(2 * time.Hour) }

func lgYMD(d time.Time) string { return d.Format("2006-01-02") }

func lgRow(d time.Time, values map[string]any) ledger.BulkRow {
	values["date"] = lgYMD(d)
	at := d
	if at.Before(time.Date(2022, 1, 4, 0, 0, 0, 0, time.UTC)) {
		at = time.Date(2022, 1, 4, 0, 0, 0, 0, time.UTC) // registers carried over when the campaign began
	}
	return ledger.BulkRow{Values: values, At: lgRecorded(at)}
}

func lgField(key, label, typ string, opts ...func(*ledger.LedgerField)) ledger.LedgerField {
	out := ledger.LedgerField{Key: key, Label: label, Type: typ}
	for _, o := range opts {
		o(&out)
	}
	return out
}

func lgRequired(x *ledger.LedgerField) { x.Required = true }
func lgCounted(x *ledger.LedgerField)  { x.Counted = true }
func lgSummed(x *ledger.LedgerField)   { x.Summed = true }
func lgUnit(u string) func(*ledger.LedgerField) {
	return func(x *ledger.LedgerField) { x.Unit = u }
}
func lgOptions(o ...string) func(*ledger.LedgerField) {
	return func(x *ledger.LedgerField) { x.Options = o }
}

func lgDateField(label string) ledger.LedgerField {
	return lgField("date", label, ledger.TypeDate, lgRequired)
}

func demoLedgers() []demoLedger {
	return []demoLedger{
		{
			// First, so that a unit reporter of 区住建局 finds a ledger it fills at the top of the list.
			owner: "ZJJ",
			def: ledger.LedgerInput{Code: "WFJW", Name: "危房解危台账", KeyField: "no", DateField: "date",
				Description: "筹集资金2.7亿元，完成毓西路三角地等7个片区、341户危房解危[A2]。一户一行；除毓西路三角地外片区名称为示意。",
				Fields: []ledger.LedgerField{
					lgField("no", "户号", ledger.TypeText, lgRequired),
					lgField("area", "片区", ledger.TypeChoice, lgRequired, lgCounted, lgOptions("毓西路三角地", "片区二（示意）", "片区三（示意）", "片区四（示意）",
						"片区五（示意）", "片区六（示意）", "片区七（示意）")),
					lgField("street", "所在街道", ledger.TypeUnit, lgCounted),
					lgField("way", "解危方式", ledger.TypeChoice, lgRequired, lgCounted, lgOptions("拆除重建", "加固改造", "征收安置")),
					lgField("funds", "解危资金", ledger.TypeAmountWan, lgSummed),
					lgDateField("解危完成日期"),
				}},
			rows: func() []ledger.BulkRow {
				yuan := lgSplit(DemoDangerousFundsWan*10000, DemoDangerousHouseholds, 11)
				areas := lgSplit(DemoDangerousHouseholds, 7, 12)
				var out []ledger.BulkRow
				g := lgRand(13)
				for a, n := range areas {
					for j := 0; j < n; j++ {
						i := len(out)
						out = append(out, lgRow(lgDay(i, DemoDangerousHouseholds), map[string]any{
							"no": fmt.Sprintf("WF-%03d", i+1), "area": []string{"毓西路三角地", "片区二（示意）", "片区三（示意）", "片区四（示意）",
								"片区五（示意）", "片区六（示意）", "片区七（示意）"}[a],
							"street": []string{"毓璜顶街道", "向阳街道", "东山街道", "通伸街道", "奇山街道", "白石街道", "芝罘岛街道"}[a],
							"way":    []string{"拆除重建", "加固改造", "征收安置"}[g.next(3)],
							"funds":  fmt.Sprintf("%d元", yuan[i]),
						}))
					}
				}
				return out
			},
			links: []demoLedgerLink{{"MS-08", "危房解危", ledger.TargetLinkInput{Measure: "count"}}},
		},
		{
			owner: "ZRJ",
			def: ledger.LedgerInput{Code: "BDCZ", Name: "不动产证办理难题化解台账", KeyField: "community", DateField: "date",
				Description: "成功化解翡翠明珠等91个小区、9.8万户居民不动产证办理难题[A2]。除翡翠明珠外小区名称与户数为示意。",
				Fields: []ledger.LedgerField{
					lgField("community", "小区名称", ledger.TypeText, lgRequired),
					lgField("street", "所在街道", ledger.TypeUnit, lgCounted),
					lgField("households", "惠及户数", ledger.TypeNumber, lgRequired, lgSummed, lgUnit("户")),
					lgField("cause", "问题成因", ledger.TypeChoice, lgCounted, lgOptions("开发企业欠缴税费", "规划验收遗留", "土地手续不全", "其他")),
					lgDateField("化解日期"),
				}},
			rows: func() []ledger.BulkRow {
				hh := lgSplit(DemoCertHouseholds, DemoCertCommunities, 21)
				g := lgRand(22)
				var out []ledger.BulkRow
				for i := 0; i < DemoCertCommunities; i++ {
					name := fmt.Sprintf("小区%02d（示意）", i+1)
					if i == 0 {
						name = "翡翠明珠"
					}
					out = append(out, lgRow(lgDay(i, DemoCertCommunities), map[string]any{"community": name, "street": lgStreets[g.next(12)],
						"households": hh[i], "cause": []string{"开发企业欠缴税费", "规划验收遗留", "土地手续不全", "其他"}[g.next(4)]}))
				}
				return out
			},
			links: []demoLedgerLink{
				{"MS-09", "化解办证难题小区", ledger.TargetLinkInput{Measure: "count"}},
				{"MS-09", "惠及居民", ledger.TargetLinkInput{Measure: "sum", Field: "households"}},
			},
		},
		{
			owner: "ZFJ",
			def: ledger.LedgerInput{Code: "WJCC", Name: "违法建设拆除台账", KeyField: "case_no", DateField: "date",
				Description: "累计拆除各类违建6469处、95.78万平方米[A2]。一案一行；案号、位置、面积为示意。",
				Fields: []ledger.LedgerField{
					lgField("case_no", "案号", ledger.TypeText, lgRequired),
					lgField("street", "所在街道", ledger.TypeUnit, lgRequired, lgCounted),
					lgField("kind", "违建类型", ledger.TypeChoice, lgRequired, lgCounted, lgOptions("违章搭建", "违法建筑", "临时建筑逾期未拆")),
					lgField("area", "拆除面积", ledger.TypeArea, lgRequired, lgSummed, lgUnit(ledger.AreaM2)),
					lgField("reuse", "腾退空间用途", ledger.TypeChoice, lgCounted, lgOptions("口袋公园", "停车位", "绿化", "其他")),
					lgDateField("拆除日期"),
				}},
			rows: func() []ledger.BulkRow {
				areas := lgSplit(DemoIllegalAreaM2, DemoIllegalStructures, 31)
				g := lgRand(32)
				out := make([]ledger.BulkRow, 0, DemoIllegalStructures)
				for i := 0; i < DemoIllegalStructures; i++ {
					out = append(out, lgRow(lgDay(i, DemoIllegalStructures), map[string]any{"case_no": fmt.Sprintf("ZFJ-WJ-2022-%04d", i+1),
						"street": lgStreets[g.next(12)], "kind": []string{"违章搭建", "违法建筑", "临时建筑逾期未拆"}[g.next(3)],
						"area": areas[i], "reuse": []string{"口袋公园", "停车位", "绿化", "其他"}[g.next(4)]}))
				}
				return out
			},
			links: []demoLedgerLink{
				{"ZX-03", "拆除违法建设", ledger.TargetLinkInput{Measure: "count"}},
				{"ZX-03", "拆除违法建设面积", ledger.TargetLinkInput{Measure: "sum", Field: "area"}},
			},
		},
		{
			owner: "ZFJ",
			def: ledger.LedgerInput{Code: "GGWD", Name: "户外广告和围挡整治台账", KeyField: "case_no", DateField: "date",
				Description: "整治违规户外广告近1300处，拆除围挡410余处[A2]。一处一行；位置为示意。",
				Fields: []ledger.LedgerField{
					lgField("case_no", "编号", ledger.TypeText, lgRequired),
					lgField("kind", "类别", ledger.TypeChoice, lgRequired, lgCounted, lgOptions("违规户外广告", "围挡")),
					lgField("street", "所在街道", ledger.TypeUnit, lgRequired, lgCounted),
					lgField("way", "整治方式", ledger.TypeChoice, lgCounted, lgOptions("拆除", "规范设置", "更换")),
					lgDateField("整治日期"),
				}},
			rows: func() []ledger.BulkRow {
				g := lgRand(41)
				n := DemoAds + DemoHoardings
				out := make([]ledger.BulkRow, 0, n)
				for i := 0; i < n; i++ {
					kind, way := "违规户外广告", []string{"拆除", "规范设置", "更换"}[g.next(3)]
					if lgEvery(i, DemoHoardings, n) {
						kind, way = "围挡", "拆除"
					}
					out = append(out, lgRow(lgDay(i, n), map[string]any{"case_no": fmt.Sprintf("GGWD-%04d", i+1), "kind": kind,
						"street": lgStreets[g.next(12)], "way": way}))
				}
				return out
			},
			links: []demoLedgerLink{
				{"ZX-04", "整治违规户外广告", ledger.TargetLinkInput{Measure: "count", FilterField: "kind", FilterValue: "违规户外广告"}},
				{"ZX-05", "拆除围挡", ledger.TargetLinkInput{Measure: "count", FilterField: "kind", FilterValue: "围挡"}},
			},
		},
		{
			owner: "ZFJ",
			def: ledger.LedgerInput{Code: "TCW", Name: "新增停车位台账", KeyField: "lot", DateField: "date",
				Description: "新增免费停车位9783个，有偿错时共享停车位3515个[A2]。一个停车场一行；停车场名称与车位数为示意。",
				Fields: []ledger.LedgerField{
					lgField("lot", "停车场", ledger.TypeText, lgRequired),
					lgField("kind", "车位类型", ledger.TypeChoice, lgRequired, lgCounted, lgOptions("免费停车位", "有偿错时共享停车位")),
					lgField("spaces", "车位数", ledger.TypeNumber, lgRequired, lgSummed, lgUnit("个")),
					lgField("street", "所在街道", ledger.TypeUnit, lgCounted),
					lgField("zone", "所在片区", ledger.TypeZone, lgCounted),
					lgField("place", "位置", ledger.TypeLocation),
					lgDateField("投用日期"),
				}},
			rows: func() []ledger.BulkRow {
				free, shared := lgSplit(DemoFreeParking, 120, 51), lgSplit(DemoSharedParking, 60, 52)
				g := lgRand(53)
				zones := []string{"幸福新城片区", "海上世界片区", "芝罘仙境片区", "老城区", ""}
				var out []ledger.BulkRow
				for i := 0; i < 180; i++ {
					kind := "免费停车位"
					if lgEvery(i, 60, 180) {
						kind = "有偿错时共享停车位"
					}
					out = append(out, lgRow(lgDay(i, 180), map[string]any{"lot": fmt.Sprintf("停车场%03d（示意）", i+1), "kind": kind,
						"street": lgStreets[g.next(12)], "zone": zones[g.next(5)], "place": fmt.Sprintf("芝罘区示意路%d号", g.next(300)+1)}))
				}
				fi, si := 0, 0
				for i := range out {
					if out[i].Values["kind"] == "免费停车位" {
						out[i].Values["spaces"], fi = free[fi], fi+1
					} else {
						out[i].Values["spaces"], si = shared[si], si+1
					}
					if out[i].Values["zone"] == "" {
						delete(out[i].Values, "zone")
					}
				}
				return out
			},
			links: []demoLedgerLink{
				{"MS-06", "新增免费停车位", ledger.TargetLinkInput{Measure: "sum", Field: "spaces", FilterField: "kind", FilterValue: "免费停车位"}},
				{"MS-06", "有偿错时共享停车位", ledger.TargetLinkInput{Measure: "sum", Field: "spaces", FilterField: "kind", FilterValue: "有偿错时共享停车位"}},
			},
		},
		{
			owner: "ZZB",
			def: ledger.LedgerInput{Code: "RCGY", Name: "人才公寓台账", KeyField: "project", DateField: "date",
				Description: "启动深蓝国际人才交流中心、1861蔚蓝人才公寓等项目建设，目前已拥有人才公寓2200余套[A2]。除1861蔚蓝人才公寓外项目名称与套数为示意。",
				Fields: []ledger.LedgerField{
					lgField("project", "公寓项目", ledger.TypeText, lgRequired),
					lgField("units", "套数", ledger.TypeNumber, lgRequired, lgSummed, lgUnit("套")),
					lgField("source", "房源方式", ledger.TypeChoice, lgCounted, lgOptions("新建", "改建", "购置", "租赁归集")),
					lgField("street", "所在街道", ledger.TypeUnit, lgCounted),
					lgDateField("归集日期"),
				}},
			rows: func() []ledger.BulkRow {
				n := 24
				units := lgSplit(DemoTalentApartments, n, 61)
				g := lgRand(62)
				var out []ledger.BulkRow
				for i := 0; i < n; i++ {
					name := fmt.Sprintf("人才公寓项目%02d（示意）", i+1)
					if i == 0 {
						name = "1861蔚蓝人才公寓"
					}
					out = append(out, lgRow(lgDay(i, n), map[string]any{"project": name, "units": units[i],
						"source": []string{"新建", "改建", "购置", "租赁归集"}[g.next(4)], "street": lgStreets[g.next(12)]}))
				}
				return out
			},
		},
		{
			owner: "ZZB",
			def: ledger.LedgerInput{Code: "RCDT", Name: "人才地图", KeyField: "no", DateField: "date",
				Description: "全区数字化人才地图共收录各类高层次人才1500余名，今年引进培育省级以上人才34名[A1]；引进硕士以上高层次人才420余人[A2]。一人一行，以编号代替姓名。",
				Fields: []ledger.LedgerField{
					lgField("no", "人才编号", ledger.TypeText, lgRequired),
					lgField("level", "人才层次", ledger.TypeChoice, lgRequired, lgCounted, lgOptions("省级以上", "市级", "区级", "其他高层次")),
					lgField("degree", "学历", ledger.TypeChoice, lgRequired, lgCounted, lgOptions("硕士及以上", "本科", "其他")),
					lgField("field", "产业领域", ledger.TypeChoice, lgCounted, lgOptions("数字经济", "高端制造", "现代服务", "医药健康", "文化旅游")),
					lgField("employer", "所在单位", ledger.TypeText),
					lgDateField("入库日期"),
				}},
			rows: func() []ledger.BulkRow {
				g := lgRand(71)
				out := make([]ledger.BulkRow, 0, DemoTalents)
				// 1,200 in the map before 2022, 300 added this year; 34 of this
				// year's are provincial-level; 420 have a master's degree or above.
				const before = 1200
				for i := 0; i < DemoTalents; i++ {
					var d time.Time
					level := []string{"市级", "区级", "其他高层次"}[g.next(3)]
					if i < before {
						d = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*2500/before)
						if i%20 == 0 {
							level = "省级以上"
						}
					} else {
						d = lgDay(i-before, DemoTalents-before)
						if (i-before)%8 == 0 && (i-before)/8 < DemoProvincialThisYear {
							level = "省级以上"
						}
					}
					degree := []string{"本科", "其他"}[g.next(2)]
					if i%25 < 7 {
						degree = "硕士及以上" // 7 of every 25: 420 of 1,500
					}
					out = append(out, lgRow(d, map[string]any{"no": fmt.Sprintf("RC-%04d", i+1), "level": level, "degree": degree,
						"field":    []string{"数字经济", "高端制造", "现代服务", "医药健康", "文化旅游"}[g.next(5)],
						"employer": fmt.Sprintf("示意单位%03d", g.next(400)+1)}))
				}
				return out
			},
		},
		{
			owner: "ZRJ",
			def: ledger.LedgerInput{Code: "XZTD", Name: "批而未供及闲置土地处置台账", KeyField: "parcel", DateField: "date",
				Description: "共处置2009-2018年批而未供土地、闲置土地880亩[A1]。一宗地一行；地块编号与面积为示意。",
				Fields: []ledger.LedgerField{
					lgField("parcel", "地块编号", ledger.TypeText, lgRequired),
					lgField("kind", "土地类别", ledger.TypeChoice, lgRequired, lgCounted, lgOptions("批而未供", "闲置土地")),
					lgField("approved", "批准年份", ledger.TypeNumber, lgUnit("年")),
					lgField("area", "处置面积", ledger.TypeArea, lgRequired, lgSummed, lgUnit(ledger.AreaMu)),
					lgField("way", "处置方式", ledger.TypeChoice, lgCounted, lgOptions("供地", "收回", "调整规划", "二级市场转让")),
					lgDateField("处置日期"),
				}},
			rows: func() []ledger.BulkRow {
				n := 40
				mu := lgSplit(DemoIdleLandMu*10, n, 81) // in tenths of a 亩
				g := lgRand(82)
				var out []ledger.BulkRow
				for i := 0; i < n; i++ {
					out = append(out, lgRow(lgDay(i, n), map[string]any{"parcel": fmt.Sprintf("ZF-TD-%03d（示意）", i+1),
						"kind": []string{"批而未供", "闲置土地"}[g.next(2)], "approved": 2009 + g.next(10),
						"area": float64(mu[i]) / 10, "way": []string{"供地", "收回", "调整规划", "二级市场转让"}[g.next(4)]}))
				}
				return out
			},
			links: []demoLedgerLink{{"ZX-02", "处置批而未供土地、闲置土地", ledger.TargetLinkInput{Measure: "sum", Field: "area"}}},
		},
		{
			owner: "GXJ",
			def: ledger.LedgerInput{Code: "XZCF", Name: "闲置厂房台账", KeyField: "name", DateField: "date",
				Description: "开展烂尾工程及闲置厂房专项整治三年行动，力争年底前60%的闲置厂房盘活取得进展[A1]。厂房名称、面积与进度为示意。",
				Fields: []ledger.LedgerField{
					lgField("name", "厂房名称", ledger.TypeText, lgRequired),
					lgField("street", "所在街道", ledger.TypeUnit, lgCounted),
					lgField("zone", "所在园区", ledger.TypeZone, lgCounted),
					lgField("area", "建筑面积", ledger.TypeArea, lgSummed, lgUnit(ledger.AreaM2)),
					lgField("state", "盘活状态", ledger.TypeChoice, lgRequired, lgCounted, lgOptions("未盘活", "洽谈中", "已盘活")),
					lgField("invest", "引入投资", ledger.TypeAmountWan, lgSummed),
					lgDateField("登记日期"),
				}},
			rows: func() []ledger.BulkRow {
				areas := lgSplit(186000, DemoIdleFactories, 91)
				g := lgRand(92)
				var out []ledger.BulkRow
				for i := 0; i < DemoIdleFactories; i++ {
					zone, street := "只楚园区", "只楚街道"
					if i%2 == 1 {
						zone, street = "卧龙园区", "黄务街道"
					}
					state := "未盘活"
					if g.next(3) == 0 {
						state = "洽谈中"
					}
					out = append(out, lgRow(time.Date(2022, 1, 10, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/10), map[string]any{
						"name": fmt.Sprintf("闲置厂房%02d（示意）", i+1), "street": street, "zone": zone, "area": areas[i], "state": state}))
				}
				return out
			},
			links: []demoLedgerLink{{"ZX-01", "闲置厂房盘活比例", ledger.TargetLinkInput{Measure: "share", FilterField: "state", FilterValue: "已盘活"}}},
			after: reviveFactories,
		},
		{
			owner: "SWJ",
			def: ledger.LedgerInput{Code: "NMSC", Name: "农贸市场升级改造台账", KeyField: "market", DateField: "date",
				Description: "构建“2+5+51+N”四级农贸市场体系；东方巴黎、进德等11处老旧农贸市场已改造完成[A1]，按照星级标准完成10处农贸市场升级改造[A2]。" +
					"除东方巴黎、进德外市场名称、层级、星级与投资为示意。",
				Fields: []ledger.LedgerField{
					lgField("market", "市场名称", ledger.TypeText, lgRequired),
					lgField("tier", "市场层级", ledger.TypeChoice, lgRequired, lgCounted, lgOptions("区域中心市场", "片区市场", "社区市场", "便民市场")),
					lgField("star", "星级", ledger.TypeChoice, lgCounted, lgOptions("一星级", "二星级", "三星级", "四星级", "五星级")),
					lgField("star_done", "按星级标准升级", ledger.TypeChoice, lgRequired, lgCounted, lgOptions("是", "否")),
					lgField("capital", "引入社会资本", ledger.TypeAmountWan, lgSummed),
					lgField("street", "所在街道", ledger.TypeUnit, lgCounted),
					lgDateField("改造完成日期"),
				}},
			rows: func() []ledger.BulkRow {
				capital := lgSplit(DemoMarketCapitalWan, DemoMarketsRenovated, 101)
				tiers := []string{"区域中心市场", "片区市场", "片区市场", "社区市场", "社区市场", "社区市场", "社区市场", "社区市场", "社区市场", "便民市场", "便民市场"}
				var out []ledger.BulkRow
				for i := 0; i < DemoMarketsRenovated; i++ {
					name := fmt.Sprintf("农贸市场%02d（示意）", i+1)
					switch i {
					case 0:
						name = "东方巴黎农贸市场"
					case 1:
						name = "进德农贸市场"
					}
					v := map[string]any{"market": name, "tier": tiers[i], "star_done": "是", "capital": capital[i], "street": lgStreets[(i*5)%12],
						"star": []string{"五星级", "四星级", "四星级", "三星级", "三星级", "三星级", "三星级", "三星级", "二星级", "二星级"}[min(i, 9)]}
					if i == DemoMarketsRenovated-1 {
						v["star_done"] = "否" // renovated, not yet rated
						delete(v, "star")
					}
					out = append(out, lgRow(time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*16), v))
				}
				return out
			},
			links: []demoLedgerLink{{"MS-07", "农贸市场升级改造", ledger.TargetLinkInput{Measure: "count", FilterField: "star_done", FilterValue: "是"}}},
		},
		{
			owner: "ZFJ",
			def: ledger.LedgerInput{Code: "KDGY", Name: "口袋公园台账", KeyField: "park", DateField: "date",
				Description: "充分利用拆违空间、闲置土地、路口转角等，高标准建设20处口袋公园[A2]。公园名称与面积为示意。",
				Fields: []ledger.LedgerField{
					lgField("park", "公园名称", ledger.TypeText, lgRequired),
					lgField("site", "利用空间", ledger.TypeChoice, lgRequired, lgCounted, lgOptions("拆违空间", "闲置土地", "路口转角")),
					lgField("area", "占地面积", ledger.TypeArea, lgSummed, lgUnit(ledger.AreaM2)),
					lgField("street", "所在街道", ledger.TypeUnit, lgCounted),
					lgDateField("建成日期"),
				}},
			rows: func() []ledger.BulkRow {
				areas := lgSplit(36000, DemoPocketParks, 111)
				var out []ledger.BulkRow
				for i := 0; i < DemoPocketParks; i++ {
					out = append(out, lgRow(time.Date(2022, 4, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*7), map[string]any{
						"park": fmt.Sprintf("口袋公园%02d（示意）", i+1), "site": []string{"拆违空间", "闲置土地", "路口转角"}[i%3],
						"area": areas[i], "street": lgStreets[i%12]}))
				}
				return out
			},
			links: []demoLedgerLink{{"MS-05", "建成口袋公园", ledger.TargetLinkInput{Measure: "count"}}},
		},
		{
			owner: "JRJ",
			def: ledger.LedgerInput{Code: "YHXY", Name: "银行战略合作协议台账", KeyField: "bank", DateField: "date",
				Description: "与国开行等18家银行签订战略合作协议，融资授信规模达400亿元[A2]。除国开行外银行与授信额度为示意。",
				Fields: []ledger.LedgerField{
					lgField("bank", "银行", ledger.TypeText, lgRequired),
					lgField("credit", "授信额度", ledger.TypeAmountWan, lgRequired, lgSummed),
					lgField("kind", "银行类别", ledger.TypeChoice, lgCounted, lgOptions("政策性银行", "国有大型银行", "股份制银行", "城商行及其他")),
					lgDateField("签约日期"),
				}},
			rows: func() []ledger.BulkRow {
				credit := lgSplit(DemoBankCreditWan/10000, DemoBankAgreements, 121) // in 亿元
				var out []ledger.BulkRow
				for i := 0; i < DemoBankAgreements; i++ {
					name, kind := fmt.Sprintf("合作银行%02d（示意）", i+1), []string{"国有大型银行", "股份制银行", "城商行及其他"}[i%3]
					if i == 0 {
						name, kind = "国家开发银行", "政策性银行"
					}
					out = append(out, lgRow(time.Date(2022, 5, 20, 0, 0, 0, 0, time.UTC), map[string]any{"bank": name, "kind": kind,
						"credit": fmt.Sprintf("%d亿元", credit[i])}))
				}
				return out
			},
		},
	}
}

// every picks k of n indices, spread evenly: exactly k of 0..n-1 answer true.
func lgEvery(i, k, n int) bool { return i*k/n != (i+1)*k/n }

// reviveFactories records, month by month, the factories revitalised: the
// share rises from 0 in January to 54% by the press conference.
func reviveFactories(ctx context.Context, svc *ledger.Service, l ledger.Ledger) error {
	rows, err := svc.ListRows(ctx, l.ID, ledger.RowFilter{Sort: "name", Page: lgAll})
	if err != nil {
		return err
	}
	for i := 0; i < DemoFactoriesRevived && i < len(rows.Items); i++ {
		r := rows.Items[i*len(rows.Items)/DemoFactoriesRevived]
		at := time.Date(2022, 2, 15, 2, 0, 0, 0, time.UTC).AddDate(0, 0, i*200/DemoFactoriesRevived)
		values := map[string]any{}
		for k, v := range r.Values {
			values[k] = v
		}
		for _, k := range []string{"street", "zone"} {
			if lbl, ok := r.Labels[k]; ok {
				values[k] = lbl
			}
		}
		values["state"] = "已盘活"
		values["invest"] = 800 + (i%5)*300
		if _, err := svc.WithClock(func() time.Time { return at }).UpdateRow(ctx, r.ID, r.Version, ledger.LedgerRowInput{Values: values}); err != nil {
			return fmt.Errorf("revive %s: %w", r.Key, err)
		}
	}
	return nil
}

// loadLedgers writes this part of the demo district.
func loadLedgers(ctx context.Context, s Services, x Extras, sum Summary) error {
	for _, d := range demoLedgers() {
		if _, err := x.Ledgers.LedgerByCode(ctx, d.def.Code); err == nil {
			continue
		} else if !errors.Is(err, errs.ErrNotFound) {
			return err
		}
		owner, err := s.Org.UnitByCode(ctx, d.owner)
		if err != nil {
			return fmt.Errorf("ledger %s owner %s: %w", d.def.Code, d.owner, err)
		}
		d.def.OwnerUnitID = owner.ID
		start := time.Date(2022, 1, 4, 1, 0, 0, 0, time.UTC)
		svc := x.Ledgers.WithClock(func() time.Time { return start })
		l, err := svc.CreateLedger(ctx, d.def)
		if err != nil {
			return fmt.Errorf("ledger %s: %w", d.def.Code, err)
		}
		if _, err := svc.Bulk(ctx, l.ID, d.rows()); err != nil {
			return fmt.Errorf("ledger %s rows: %w", d.def.Code, err)
		}
		if d.after != nil {
			if err := d.after(ctx, x.Ledgers, l); err != nil {
				return fmt.Errorf("ledger %s: %w", d.def.Code, err)
			}
		}
		for _, k := range d.links {
			var target int64
			err := s.DB.Read().QueryRow(ctx, `SELECT t.id FROM targets t JOIN items i ON i.id = t.item_id WHERE i.campaign_id = ? AND i.code = ? AND t.name = ?`,
				sum.CampaignID, k.item, k.target).Scan(&target)
			if err != nil {
				return fmt.Errorf("ledger %s: target %s of %s: %w", d.def.Code, k.target, k.item, err)
			}
			k.in.TargetID = target
			if _, err := svc.CreateLink(ctx, l.ID, k.in); err != nil {
				return fmt.Errorf("ledger %s: link %s: %w", d.def.Code, k.target, err)
			}
		}
	}
	return nil
}
