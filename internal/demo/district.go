package demo

// The demo district is 芝罘区, 烟台市, in its 2022 "重点工作攻坚年", as told by
// the two news reports in shared/seeds/:
//
//   - [A1] 齐鲁晚报·齐鲁壹点, "以改革创新开启高质量发展新篇章" (autumn 2022):
//     15 reform tasks, the three 片区, streamlining, investment, talent, tax,
//     finance, land, urban renewal, sanitation and markets reform.
//   - [A2] 烟台日报-大小新闻, 2022-09-09, press conference of 2022-09-08:
//     indicators, the war-zone mechanism, 81 key projects (858亿元 in total,
//     156亿元 this year), city management and livelihood projects.
//
// People are named by their post, never by a real person's name. Whatever the
// articles do not name (most project names, the split of a group total, most
// dates) is illustrative: such an item has Illustrative set and a name marked
// with "（示意）". Streets, bureaus and places are real names of the district.

// Tags put at the start of an item's Note so that code (and the tests) can find
// the groups of projects the articles count or total together.
const (
	// TagHSSJFour marks the 4 projects of 海上世界片区 "投资28亿元的芝罘湾广场、
	// 一二突堤基础配套工程等4个项目" [A1]: their TotalWan sums to 280000.
	TagHSSJFour = "【海上世界片区4个项目】"
	// TagXFXCBuilding marks the 13 projects of 幸福新城片区 under construction,
	// "数字经济中心、烟台一中新校区等13个项目加快建设" [A1].
	TagXFXCBuilding = "【幸福新城13个在建项目】"
	// TagXFXCIndustrial marks the 9 industrial projects of 幸福新城片区
	// "上实国际智云城等9个总投资345亿元产业项目", to start by month end [A1]:
	// their TotalWan sums to 3450000 and each has a 开工 milestone planned
	// for 2022-09-30.
	TagXFXCIndustrial = "【幸福新城9个产业项目】"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "Gongjian@2022"

// Data returns the whole demo district.
func Data() District {
	return District{
		Units:    demoUnits(),
		Persons:  demoPersons(),
		Campaign: demoCampaign(),
		Zones:    demoZones(),
		Items:    demoItems(),
		Accounts: demoAccounts(),
	}
}

// demoUnits is the organisation tree; a parent always comes before its children.
func demoUnits() []Unit {
	return []Unit{
		{"ZF", "芝罘区委区政府", "leadership", ""},

		// Bureaus and offices named or implied by the articles.
		{"DCS", "区督查室", "bureau", "ZF"},
		{"GGB", "区委改革办", "bureau", "ZF"},       // [A1] 深改委会议10次, 方案32个
		{"ZZB", "区委组织部（区人才办）", "bureau", "ZF"}, // [A1] 人才"飞地"工程
		{"FGJ", "区发改局", "bureau", "ZF"},
		{"ZJJ", "区住建局", "bureau", "ZF"},
		{"CZJ", "区财政局", "bureau", "ZF"}, // [A1] 综合治税 "财政牵头"
		{"TAX", "区税务局", "other", "ZF"},  // [A1] "税务主管"; vertically managed
		{"SWJ", "区商务局", "bureau", "ZF"},
		{"TCZX", "区投资促进中心", "bureau", "ZF"}, // [A1] 招商体制改革
		{"GXJ", "区工信局", "bureau", "ZF"},
		{"KJJ", "区科技局", "bureau", "ZF"},
		{"JRJ", "区金融服务中心", "bureau", "ZF"}, // [A1] 金融辅导员
		{"JTJ", "区教体局", "bureau", "ZF"},
		{"WJJ", "区卫健局", "bureau", "ZF"},
		{"MZJ", "区民政局", "bureau", "ZF"},
		{"WLJ", "区文旅局", "bureau", "ZF"},
		{"ZRJ", "区自然资源局", "bureau", "ZF"},   // [A1] "标准地", 土地二级市场
		{"ZFJ", "区综合执法局", "bureau", "ZF"},   // [A2] 违建, 广告, 围挡, 环卫
		{"SPJ", "区行政审批服务局", "bureau", "ZF"}, // [A1] "一窗受理"
		{"SJJ", "区市场监管局", "bureau", "ZF"},
		{"DSJ", "区大数据中心", "bureau", "ZF"},
		{"TJJ", "区统计局", "bureau", "ZF"},
		{"GXZX", "区城市更新中心", "bureau", "ZF"},
		{"ZSB", "区房屋征收服务中心", "bureau", "ZF"},

		// The 12 streets (街道) of 芝罘区.
		{"JD-XY", "向阳街道", "street", "ZF"},
		{"JD-DS", "东山街道", "street", "ZF"},
		{"JD-YHD", "毓璜顶街道", "street", "ZF"},
		{"JD-TS", "通伸街道", "street", "ZF"},
		{"JD-FHT", "凤凰台街道", "street", "ZF"},
		{"JD-QS", "奇山街道", "street", "ZF"},
		{"JD-BS", "白石街道", "street", "ZF"},
		{"JD-ZFD", "芝罘岛街道", "street", "ZF"},
		{"JD-ZC", "只楚街道", "street", "ZF"},
		{"JD-SHY", "世回尧街道", "street", "ZF"},
		{"JD-HW", "黄务街道", "street", "ZF"},
		{"JD-XF", "幸福街道", "street", "ZF"},

		// District SOEs (区属国企) [A2]: 财金集团 issued bonds; SOEs took over
		// street cleaning and the property management of open communities.
		{"CJJT", "区财金集团", "soe", "ZF"},
		{"CFJT", "区城发集团", "soe", "ZF"},
		{"GYJT", "区公用事业集团", "soe", "ZF"},
	}
}

// demoPersons are named by post only.
func demoPersons() []Person {
	return []Person{
		// District leaders; they lead items and command the zones [A2]
		// "由区级领导任战区指挥长".
		{"P-SJ", "区委书记", "区委书记", "ZF"},
		{"P-QZ", "区长", "区委副书记、区长", "ZF"},
		{"P-FSJ", "区委副书记", "区委专职副书记", "ZF"},
		{"P-CW", "常务副区长", "区委常委、常务副区长", "ZF"},
		{"P-CJ", "分管城建副区长", "副区长（分管住建、城市更新、城市管理）", "ZF"},
		{"P-JJ", "分管经济副区长", "副区长（分管商务、招商、金融）", "ZF"},
		{"P-GY", "分管工业副区长", "副区长（分管工信、科技、园区）", "ZF"},
		{"P-SH", "分管社会事业副区长", "副区长（分管教育、卫健、民政）", "ZF"},
		{"P-ZZB", "区委组织部部长", "区委常委、组织部部长", "ZZB"},

		// Heads of units.
		{"P-GGB", "区委改革办主任", "区委改革办主任", "GGB"},
		{"P-DCS", "区督查室主任", "区督查室主任", "DCS"},
		{"P-FGJ", "发改局局长", "区发改局局长", "FGJ"},
		{"P-ZJJ", "住建局局长", "区住建局局长", "ZJJ"},
		{"P-CZJ", "财政局局长", "区财政局局长", "CZJ"},
		{"P-TAX", "税务局局长", "区税务局局长", "TAX"},
		{"P-SWJ", "商务局局长", "区商务局局长", "SWJ"},
		{"P-GXJ", "工信局局长", "区工信局局长", "GXJ"},
		{"P-JRJ", "金融服务中心主任", "区金融服务中心主任", "JRJ"},
		{"P-JTJ", "教体局局长", "区教体局局长", "JTJ"},
		{"P-ZRJ", "自然资源局局长", "区自然资源局局长", "ZRJ"},
		{"P-ZFJ", "综合执法局局长", "区综合执法局局长", "ZFJ"},
		{"P-SPJ", "行政审批服务局局长", "区行政审批服务局局长", "SPJ"},
		{"P-TJJ", "统计局局长", "区统计局局长", "TJJ"},
		{"P-GXZX", "城市更新中心主任", "区城市更新中心主任", "GXZX"},
		{"P-CJJT", "财金集团董事长", "区财金集团党委书记、董事长", "CJJT"},
		{"P-CFJT", "城发集团董事长", "区城发集团党委书记、董事长", "CFJT"},

		// Staff and grid posts.
		{"P-SWJ-ZY", "服务企业专员", "区商务局服务企业专员", "SWJ"}, // [A2] 服务企业专员制度
		{"P-JD-XF", "幸福街道党工委书记", "幸福街道党工委书记", "JD-XF"},
		{"P-WG-XF1", "幸福新城第一网格网格长", "幸福街道第一网格网格长", "JD-XF"},
		{"P-WG-XF2", "幸福新城第二网格网格长", "幸福街道第二网格网格长", "JD-XF"},
	}
}

func demoCampaign() Campaign {
	return Campaign{
		Code:    "2022-GJN",
		Name:    "2022年重点工作攻坚年",
		Year:    2022,
		Start:   "2022-01-01",
		End:     "2022-12-31",
		Cadence: "monthly",
		Description: "芝罘区吹响“重点工作攻坚年”号角，确立全区15项重点改革攻坚任务，先后召开深改委会议10次，" +
			"制定并实施改革攻坚任务有关方案32个[A1]；总投资858亿元、年度计划投资156亿元的81个省市三级重点项目全速推进[A2]。" +
			"15项任务的具体清单文章未列出，本数据按文中所述改革归纳。",
	}
}

// demoZones are the war zones, areas and grids: [A2] "建立'战区主战、部门协战，区街一体、融入下沉'决战机制……由区级领导任战区指挥长".
func demoZones() []Zone {
	return []Zone{
		{"XFXC", "幸福新城片区", "zone", "", "P-QZ",
			"“征迁、招商、建设一体化推进”；13个项目加快建设，9个总投资345亿元产业项目月底前集中开工[A1]。"},
		{"HSSJ", "海上世界片区", "zone", "", "P-CW",
			"司法征迁和柔性动迁并举，会西街区片清零，投资28亿元的4个项目全面开工；国电投清洁能源研发中心落户[A1][A2]。"},
		{"ZFXJ", "芝罘仙境片区", "zone", "", "P-CJ",
			"紧盯“春节前开街运营”，交付所城里46个院落和朝阳街23个院落，街区修缮、道路管网配套工程加速推进[A1]。"},
		{"LCQ", "老城区", "zone", "", "P-FSJ",
			"“两带一核”之老城区：人口多、背街小巷多、老旧小区多的“三多”问题[A2]。"},
		{"ZCYQ", "只楚园区", "area", "", "P-GY",
			"省级园区，按照“五好园区”标准实施提升行动，发展数字数据、信息技术等都市工业[A2]。"},
		{"WLYQ", "卧龙园区", "area", "", "P-JJ",
			"省级园区，按照“五好园区”标准实施提升行动[A2]。"},

		// Grids (网格), the smallest area with a responsible person; the
		// articles mention 垃圾桶网格化包保责任制 [A2] but name no grid.
		{"XFXC-WG01", "幸福新城第一网格（示意）", "grid", "XFXC", "P-WG-XF1", "示意网格，用于网格化包保责任。"},
		{"XFXC-WG02", "幸福新城第二网格（示意）", "grid", "XFXC", "P-WG-XF2", "示意网格，用于网格化包保责任。"},
	}
}

// demoAccounts: one per role, all with DemoPassword.
func demoAccounts() []Account {
	return []Account{
		{"admin", DemoPassword, "admin", "DCS", "", "系统管理员"},
		{"duchashi", DemoPassword, "supervisor", "DCS", "P-DCS", "区督查室"},
		{"quzhang", DemoPassword, "leader", "ZF", "P-QZ", "区长"},
		{"zhujianju", DemoPassword, "reporter", "ZJJ", "", "区住建局填报员"},
		{"zhuanyuan", DemoPassword, "commissioner", "SWJ", "P-SWJ-ZY", "区商务局服务企业专员"},
		{"tongjiju", DemoPassword, "statistician", "TJJ", "", "区统计局统计员"},
		{"viewer", DemoPassword, "viewer", "ZF", "", "只读用户"},
	}
}
