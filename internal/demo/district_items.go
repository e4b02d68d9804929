package demo

import "fmt"

// demoItems returns every item: reform tasks, key projects, livelihood projects
// and special actions. A programme comes before its sub-items.
func demoItems() []Item {
	var all []Item
	all = append(all, reformTasks()...)
	all = append(all, keyProjects()...)
	all = append(all, livelihoodProjects()...)
	all = append(all, specialActions()...)
	return all
}

// Shorthands for milestones and targets.

func ms(name, kind, planned, actual string) Milestone {
	return Milestone{Name: name, Kind: kind, PlannedDate: planned, ActualDate: actual}
}

func up(name, unit string, value float64, deadline string) Target {
	return Target{Name: name, Unit: unit, Baseline: 0, Value: value, Deadline: deadline, Direction: "higher"}
}

// ---------------------------------------------------------------------------
// 15 key reform tasks [A1] "第一时间确立了全区15项重点改革攻坚任务".
// The article does not list the 15; each task below is a reform the article
// describes, so none is a placeholder.
// ---------------------------------------------------------------------------

func reformTasks() []Item {
	const s, e = "2022-01-01", "2022-12-31"
	return []Item{
		{
			Code: "GG-01", Name: "片区建设“征迁、招商、建设一体化推进”", Type: "reform_task", State: "in_progress",
			ZoneCode: "XFXC", LeaderCode: "P-QZ", LeadUnitCode: "GXZX", CoUnitCodes: []string{"ZSB", "TCZX", "ZJJ", "ZRJ"},
			WorkPlan: "以幸福新城片区为试点，征迁、招商、建设同步谋划、同步推进；每个项目落实“1个项目+1个分包领导+1个职能部门+1套工作方案”。",
			Start:    s, End: e,
			Note: "[A1] 作为“重中之重”的片区建设全面起势，幸福新城片区创新“征迁、招商、建设一体化推进”模式。",
		},
		{
			Code: "GG-02", Name: "深化流程再造（涉企审批、为民服务等4大重点领域）", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-CW", LeadUnitCode: "SPJ", CoUnitCodes: []string{"GGB", "FGJ", "DSJ"},
			WorkPlan: "围绕4大重点领域出台配套实施方案和政务服务事项标准化清单，行政权力事项和依申请政务服务事项全部上网运行，网办率达到95%以上。",
			Start:    s, End: e,
			Targets: []Target{
				up("配套实施方案出台", "个", 14, "2022-12-31"),
				up("政务服务事项网办率", "%", 95, "2022-12-31"),
			},
			Note: "[A1] 围绕涉企审批、为民服务等4大重点领域，芝罘区制定出台14个相关配套实施方案和政务服务事项标准化清单，6大类行政权力事项和依申请政务服务事项上网运行全覆盖，网办率达95%以上。",
		},
		{
			Code: "GG-03", Name: "无差别“一窗受理”和部门并联审批", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-CW", LeadUnitCode: "SPJ", CoUnitCodes: []string{"ZRJ", "ZJJ", "SJJ", "TAX", "JRJ"},
			WorkPlan: "升级改造区政务服务中心，推行无差别“一窗受理”、部门并联审批；建设智慧税务综合体，推行“政银合作”服务。",
			Start:    s, End: e,
			Note: "[A1] 高标准升级改造区政务服务中心，全面推行无差别“一窗受理”和部门并联审批，创新打造全省领先的智慧税务综合体和多元化办税新模式，在全市率先推行“政银合作”服务。",
		},
		{
			Code: "GG-04", Name: "招商体制改革（招商引资“双百”行动）", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-JJ", LeadUnitCode: "TCZX", CoUnitCodes: []string{"SWJ", "FGJ", "SPJ"},
			WorkPlan: "构建项目洽谈、签约落地、开工建设一条龙招商服务体系，开展招商引资“双百”行动，重点招引“三类五百强”企业。",
			Start:    s, End: e,
			Note: "[A1] 推行招商体制改革，开展招商引资“双百”行动，着力构建项目洽谈、签约落地、开工建设的一条龙高效招商服务体系，累计招引绿地、保利等“三类五百强”企业14家、重点项目30余个。",
		},
		{
			Code: "GG-05", Name: "高端才智创新创业“飞地”工程", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-ZZB", LeadUnitCode: "ZZB", CoUnitCodes: []string{"KJJ", "CFJT"},
			WorkPlan: "在武汉、西安等地建设孵化基地，打通“外地孵化”与“本土产业化”通道；维护全区数字化人才地图。",
			Start:    s, End: e,
			Note: "[A1] 创新实施高端才智创新创业“飞地”工程，在武汉、西安等建设孵化基地……全区数字化人才地图共收录各类高层次人才1500余名，今年引进培育省级以上人才34名，入选全国人才工作创新案例。",
		},
		{
			Code: "GG-06", Name: "网格化综合治税长效体系", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-CW", LeadUnitCode: "CZJ", CoUnitCodes: []string{"TAX", "DSJ", "SJJ", "ZRJ"},
			WorkPlan: "按“政府主导、财政牵头、税务主管、信息共享、法制保障”，部门共享涉税数据、按网格排查税源并跟踪落实。",
			Start:    s, End: e,
			Note: "[A1] 打造“政府主导、财政牵头、税务主管、信息共享、法制保障”的网格化综合治税长效体系，1-9月份，全区一般公共预算收入预计完成51.1亿元，增速5.9%。",
		},
		{
			Code: "GG-07", Name: "企业“金融辅导员”制度", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-JJ", LeadUnitCode: "JRJ", CoUnitCodes: []string{"CJJT", "SWJ", "GXJ"},
			WorkPlan: "建立优质企业“白名单”，金融辅导员“一对一”服务企业，跟踪融资需求直至授信落地。",
			Start:    s, End: e,
			Note: "[A1] 深化企业“金融辅导员”制度，建立完善优质企业“白名单”，对120家企业“一对一”开展金融服务，累计为60家企业解决融资需求4.9亿元。",
		},
		{
			Code: "GG-08", Name: "“标准地”改革和“要素跟着项目走”", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-CW", LeadUnitCode: "ZRJ", CoUnitCodes: []string{"FGJ", "SPJ", "GXJ"},
			WorkPlan: "推行“标准地”出让，建设“要素跟着项目走”保障体系，建成并运行区土地二级市场。",
			Start:    s, End: e,
			Note: "[A1] 加快推进“标准地”改革和“要素跟着项目走”体系建设，建成芝罘区土地二级市场。",
		},
		{
			Code: "GG-09", Name: "闲置厂房盘活利用机制", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-GY", LeadUnitCode: "GXJ", CoUnitCodes: []string{"ZRJ", "TCZX", "JD-ZC", "JD-HW"},
			WorkPlan: "建立闲置厂房台账和“一厂一策”盘活机制，配合烂尾工程及闲置厂房专项整治三年行动（见ZX-01）。",
			Start:    s, End: e,
			Note: "[A1] 开展烂尾工程及闲置厂房专项整治三年行动……力争年底前60%的闲置厂房盘活取得进展。",
		},
		{
			Code: "GG-10", Name: "城市更新“棚改+”模式", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "GXZX", CoUnitCodes: []string{"ZSB", "ZJJ", "ZRJ"},
			WorkPlan: "坚持“棚改+大商”“棚改+产业”“棚改+民生”，打破“村自为政”，实现“通盘统筹”（棚改项目见MS-10）。",
			Start:    s, End: e,
			Note: "[A1] 坚持“棚改+大商”“棚改+产业”“棚改+民生”理念，打破“村自为政”，实现“通盘统筹”，目前已全面完成棚改项目27个，正在全速推进27个。",
		},
		{
			Code: "GG-11", Name: "老旧小区“政企民”共建、“建管治”并举改造模式", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "ZJJ", CoUnitCodes: []string{"CFJT", "JD-XY", "JD-DS", "JD-YHD"},
			WorkPlan: "探索政府、企业、居民共建和建设、管理、治理并举，改造后由区属国企接管无物业小区。",
			Start:    s, End: e,
			Note: "[A1] 高标准抓好老旧小区改造，积极探索“政企民”共建、“建管治”并举的改造模式。",
		},
		{
			Code: "GG-12", Name: "区街环卫园林新型市场化改革", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "ZFJ", CoUnitCodes: []string{"GYJT", "CFJT"},
			WorkPlan: "构建“事企分开、管干分离、重心下移、市场运作”新模式；区属国企按“一把扫帚扫到底”接管街巷环卫保洁和社区绿地养护。",
			Start:    s, End: e,
			Note: "[A1] 创新开展区街环卫园林新型市场化改革，着力构建“事企分开、管干分离、重心下移、市场运作”的环卫园林运行新模式；[A2] 按照“一把扫帚扫到底”原则，组织区属国企全面接管全区街巷环卫保洁、社区绿地养护工作。",
		},
		{
			Code: "GG-13", Name: "农贸市场“政府搭桥、企业合作”升级改造模式", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-JJ", LeadUnitCode: "SWJ", CoUnitCodes: []string{"SJJ", "ZRJ"},
			WorkPlan: "编制《芝罘区农贸市场专项规划》，构建“2+5+51+N”四级农贸市场体系，引入社会资本改造老旧农贸市场。",
			Start:    s, End: e,
			Note: "[A1] 推行“政府搭桥、企业合作”的农贸市场升级改造模式，引入5000余万社会资本参与，东方巴黎、进德等11处老旧农贸市场已改造完成。",
		},
		{
			Code: "GG-14", Name: "融入市区一体化发展和滨海一带管理运营体制改革", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-CW", LeadUnitCode: "FGJ", CoUnitCodes: []string{"ZJJ", "GXZX", "ZFJ", "ZRJ"},
			WorkPlan: "围绕规划布局、交通体系等8个方面落实一体化措施；抓好滨海一带老旧小区改造和沿海非公共区域环卫园林市场化改革。",
			Start:    s, End: e,
			Note: "[A1] 围绕落实规划布局一体化、交通体系一体化等8个方面制定具体落实措施……围绕滨海一带管理运营体制改革，主动认领任务，将海上世界周边的大庙、南洪街等老旧区片纳入明年拆迁改造计划。",
		},
		{
			Code: "GG-15", Name: "“战区主战、部门协战”战区机制", Type: "reform_task", State: "in_progress",
			LeaderCode: "P-QZ", LeadUnitCode: "DCS", CoUnitCodes: []string{"GGB", "FGJ"},
			WorkPlan: "由区级领导任战区指挥长，部门协战、区街一体；建立全要素保障机制，按月调度重点项目并通报。",
			Start:    s, End: e,
			Note: "[A2] 建立“战区主战、部门协战，区街一体、融入下沉”决战机制和全要素保障机制，由区级领导任战区指挥长，带头打硬仗、攻山头。",
		},
	}
}

// ---------------------------------------------------------------------------
// 81 key projects [A2] "总投资858亿元、年度计划投资156亿元的81个省市三级重点
// 项目全速推进". TotalWan sums to 8580000 and AnnualWan to 1560000 万元.
// Named projects come first; the split of a group total among its projects and
// all other figures of a named project are illustrative (see each Note).
// ---------------------------------------------------------------------------

const noteKeyProjects = "[A2] 总投资858亿元、年度计划投资156亿元的81个省市三级重点项目全速推进。"

func keyProjects() []Item {
	const kp = "key_project"
	hssj := TagHSSJFour + "[A1] 海上世界片区，坚持司法征迁和柔性动迁并举，顺利完成会西街区片清零，投资28亿元的芝罘湾广场、一二突堤基础配套工程等4个项目全面开工建设。"
	zfxj := "[A1] 芝罘仙境片区，紧盯“春节前开街运营”目标，按时交付所城里46个院落和朝阳街23个院落，街区修缮、道路管网配套工程加速推进。"
	xfxc := "[A1] 幸福新城片区创新“征迁、招商、建设一体化推进”模式，数字经济中心、烟台一中新校区等13个项目加快建设。"
	list := []Item{
		// 海上世界片区: 4 projects, 28亿元 together [A1].
		{
			Code: "XM-001", Name: "芝罘湾广场", Type: kp, Level: "city", State: "in_progress",
			ZoneCode: "HSSJ", LeaderCode: "P-CW", LeadUnitCode: "GXZX", CoUnitCodes: []string{"ZSB", "CFJT", "JD-XY"},
			WorkPlan: "司法征迁与柔性动迁并举完成会西街区片清零，全面开工建设，按月调度投资和形象进度。",
			TotalWan: 150000, AnnualWan: 40000, Start: "2022-01-01", End: "2025-12-31", Location: "芝罘区海上世界片区",
			Milestones: []Milestone{
				ms("会西街区片征迁清零", "relocation_cleared", "2022-06-30", "2022-06-28"),
				ms("开工", "construction_started", "2022-08-31", "2022-08-30"),
				ms("竣工", "completed", "2025-12-31", ""),
			},
			Note: hssj + "（4个项目投资额按28亿元示意拆分；日期示意。）",
		},
		{
			Code: "XM-002", Name: "一二突堤基础配套工程", Type: kp, Level: "city", State: "in_progress",
			ZoneCode: "HSSJ", LeaderCode: "P-CW", LeadUnitCode: "ZJJ", CoUnitCodes: []string{"GXZX", "CFJT"},
			WorkPlan: "实施一二突堤道路、管网等基础配套，服务海上世界片区整体开发，年内完成主体管网铺设。",
			TotalWan: 60000, AnnualWan: 25000, Start: "2022-03-01", End: "2023-12-31", Location: "芝罘区海上世界片区一二突堤",
			Milestones: []Milestone{
				ms("开工", "construction_started", "2022-08-31", "2022-08-30"),
				ms("竣工", "completed", "2023-12-31", ""),
			},
			Note: hssj + "（投资额为示意拆分。）",
		},
		{
			Code: "XM-003", Name: "海上世界片区市政道路配套工程（示意）", Type: kp, Level: "district", State: "in_progress",
			ZoneCode: "HSSJ", LeaderCode: "P-CW", LeadUnitCode: "ZJJ", CoUnitCodes: []string{"CFJT"},
			WorkPlan: "建设片区内市政道路及附属设施，与一二突堤基础配套工程同步推进。",
			TotalWan: 40000, AnnualWan: 15000, Start: "2022-04-01", End: "2023-10-31", Illustrative: true,
			Milestones: []Milestone{
				ms("开工", "construction_started", "2022-08-31", "2022-08-30"),
				ms("竣工", "completed", "2023-10-31", ""),
			},
			Note: hssj + "（文章未点名的2个项目之一，名称与投资为示意。）",
		},
		{
			Code: "XM-004", Name: "海上世界片区滨海景观提升工程（示意）", Type: kp, Level: "district", State: "in_progress",
			ZoneCode: "HSSJ", LeaderCode: "P-CW", LeadUnitCode: "ZFJ", CoUnitCodes: []string{"ZRJ", "GYJT"},
			WorkPlan: "提升片区滨海岸线景观和公共空间，年内完成主要节点施工。",
			TotalWan: 30000, AnnualWan: 12000, Start: "2022-04-01", End: "2023-06-30", Illustrative: true,
			Milestones: []Milestone{
				ms("开工", "construction_started", "2022-08-31", "2022-08-30"),
				ms("竣工", "completed", "2023-06-30", ""),
			},
			Note: hssj + "（文章未点名的2个项目之一，名称与投资为示意。）",
		},
		{
			Code: "XM-005", Name: "国电投清洁能源研发中心", Type: kp, Level: "province", State: "planned",
			ZoneCode: "HSSJ", LeaderCode: "P-CW", LeadUnitCode: "TCZX", CoUnitCodes: []string{"FGJ", "SPJ", "ZRJ"},
			WorkPlan: "落实“一条龙”招商服务，加快用地、规划、审批手续办理，推动项目尽早开工。",
			TotalWan: 1000000, AnnualWan: 30000, Start: "2022-06-01", End: "2026-12-31", Location: "芝罘区海上世界片区",
			Milestones: []Milestone{
				ms("注册落户", "other", "2022-06-30", "2022-06-30"),
				ms("开工", "construction_started", "2022-12-31", ""),
			},
			Note: "[A2] 注册资本228亿元的国电投清洁能源研发中心落户海上世界，是芝罘区历史上落户单体最大的项目，也是全市上半年四个百亿级招引落户项目之一。（不在海上世界片区“4个项目”之列；总投资、年度投资与日期为示意。）",
		},

		// 幸福新城片区: 13 projects under construction [A1].
		{
			Code: "XM-006", Name: "数字经济中心", Type: kp, Level: "city", State: "in_progress",
			ZoneCode: "XFXC", LeaderCode: "P-QZ", LeadUnitCode: "FGJ", CoUnitCodes: []string{"DSJ", "GXZX", "TCZX"},
			WorkPlan: "加快主体施工，同步开展楼宇招商，年底前主体封顶。",
			TotalWan: 120000, AnnualWan: 40000, Start: "2021-10-01", End: "2023-12-31", Location: "芝罘区幸福新城片区",
			Milestones: []Milestone{
				ms("开工", "construction_started", "2021-10-15", "2021-10-15"),
				ms("主体封顶", "other", "2022-12-31", ""),
				ms("竣工", "completed", "2023-12-31", ""),
			},
			Note: TagXFXCBuilding + xfxc + "（投资额与日期为示意。）",
		},
		{
			Code: "XM-007", Name: "烟台一中新校区", Type: kp, Level: "city", State: "in_progress",
			ZoneCode: "XFXC", LeaderCode: "P-SH", LeadUnitCode: "JTJ", CoUnitCodes: []string{"ZJJ", "ZRJ", "ZSB"},
			WorkPlan: "按期推进教学楼、宿舍楼等单体施工，确保具备开学条件。",
			TotalWan: 150000, AnnualWan: 50000, Start: "2021-09-01", End: "2023-08-31", Location: "芝罘区幸福新城片区",
			Milestones: []Milestone{
				ms("开工", "construction_started", "2021-09-20", "2021-09-20"),
				ms("主体封顶", "other", "2022-11-30", ""),
				ms("竣工", "completed", "2023-07-31", ""),
			},
			Note: TagXFXCBuilding + xfxc + "（投资额与日期为示意。）",
		},
	}
	// The other 11 of the 13: placeholders.
	list = append(list,
		xfxcBuilding(placeholderProject("XM-008", "幸福新城片区安置房一期（示意）", "city", "XFXC", "P-QZ", "GXZX", 160000, 48000, "2021-04-01", "2023-12-31", "ZSB", "JD-XF")),
		xfxcBuilding(placeholderProject("XM-009", "幸福新城片区安置房二期（示意）", "district", "XFXC", "P-QZ", "GXZX", 120000, 38000, "2021-10-01", "2024-06-30", "ZSB", "JD-XF")),
		xfxcBuilding(placeholderProject("XM-010", "幸福新城片区市政道路工程（示意）", "district", "XFXC", "P-QZ", "ZJJ", 60000, 29000, "2021-09-01", "2023-06-30", "ZRJ", "CFJT")),
		xfxcBuilding(placeholderProject("XM-011", "幸福新城片区综合管网工程（示意）", "district", "XFXC", "P-QZ", "ZJJ", 40000, 18000, "2022-03-01", "2023-10-31", "CFJT")),
		xfxcBuilding(placeholderProject("XM-012", "幸福新城片区社区服务中心（示意）", "district", "XFXC", "P-QZ", "JD-XF", 15000, 7000, "2022-04-01", "2023-09-30", "ZJJ")),
		xfxcBuilding(placeholderProject("XM-013", "幸福新城片区滨河公园（示意）", "district", "XFXC", "P-QZ", "ZFJ", 25000, 15000, "2022-03-01", "2023-05-31", "ZRJ")),
		xfxcBuilding(placeholderProject("XM-014", "幸福新城片区商业综合体（示意）", "city", "XFXC", "P-QZ", "SWJ", 180000, 46000, "2021-08-01", "2024-12-31", "TCZX", "ZRJ")),
		xfxcBuilding(placeholderProject("XM-015", "幸福新城片区人才公寓（示意）", "district", "XFXC", "P-QZ", "ZZB", 45000, 19000, "2022-02-01", "2023-12-31", "ZJJ", "CFJT")),
		xfxcBuilding(placeholderProject("XM-016", "幸福新城片区邻里中心（示意）", "district", "XFXC", "P-QZ", "CFJT", 30000, 11000, "2022-05-01", "2023-12-31", "JD-XF")),
		xfxcBuilding(placeholderProject("XM-017", "幸福新城片区停车场及充电设施（示意）", "district", "XFXC", "P-QZ", "CFJT", 20000, 11000, "2022-04-01", "2023-06-30", "ZFJ")),
		xfxcBuilding(placeholderProject("XM-018", "幸福新城片区供热配套工程（示意）", "district", "XFXC", "P-QZ", "ZJJ", 35000, 15000, "2022-03-01", "2023-10-31", "GYJT")),
	)

	// 幸福新城片区: 9 industrial projects, 345亿元, to start together by the
	// end of the month (taken as 2022-09-30) [A1].
	list = append(list, Item{
		Code: "XM-019", Name: "上实国际智云城", Type: kp, Level: "province", State: "planned",
		ZoneCode: "XFXC", LeaderCode: "P-QZ", LeadUnitCode: "TCZX", CoUnitCodes: []string{"ZRJ", "SPJ", "GXZX"},
		WorkPlan: "按“1个项目+1个分包领导+1个职能部门+1套工作方案”，完成土地、规划、施工许可手续，月底前集中开工。",
		TotalWan: 800000, AnnualWan: 40000, Start: "2022-07-01", End: "2026-12-31", Location: "芝罘区幸福新城片区",
		Milestones: []Milestone{
			ms("项目落地", "other", "2022-08-31", "2022-08-31"),
			ms("开工", "construction_started", "2022-09-30", ""),
			ms("一期竣工", "completed", "2024-12-31", ""),
		},
		Note: TagXFXCIndustrial + "[A1] 上实国际智云城等9个总投资345亿元产业项目落地，正按照“1个项目+1个分包领导+1个职能部门+1套工作方案”，全力推动月底前集中开工。（单项投资额为示意拆分。）",
	})
	list = append(list,
		xfxcIndustrial("XM-020", "幸福新城智能装备产业园（示意）", "province", "GXJ", 600000, 12000, "TCZX"),
		xfxcIndustrial("XM-021", "幸福新城海洋经济总部基地（示意）", "province", "TCZX", 450000, 10000, "SWJ"),
		xfxcIndustrial("XM-022", "幸福新城生命健康产业园（示意）", "city", "KJJ", 400000, 9000, "TCZX", "WJJ"),
		xfxcIndustrial("XM-023", "幸福新城数字文创产业园（示意）", "city", "WLJ", 350000, 8000, "TCZX", "DSJ"),
		xfxcIndustrial("XM-024", "幸福新城商贸物流中心（示意）", "city", "SWJ", 300000, 7000, "TCZX"),
		xfxcIndustrial("XM-025", "幸福新城科技研发中心（示意）", "city", "KJJ", 250000, 6000, "GXJ"),
		xfxcIndustrial("XM-026", "幸福新城新材料产业项目（示意）", "district", "GXJ", 180000, 5000, "TCZX"),
		xfxcIndustrial("XM-027", "幸福新城总部经济楼宇（示意）", "district", "TCZX", 120000, 3000, "SWJ"),
	)

	// 芝罘仙境片区: block renovation and roads/pipes, to open before the
	// Spring Festival of 2023 (2023-01-22; planned as 2023-01-20) [A1].
	list = append(list,
		Item{
			Code: "XM-028", Name: "所城里街区修缮", Type: kp, Level: "city", State: "in_progress",
			ZoneCode: "ZFXJ", LeaderCode: "P-CJ", LeadUnitCode: "GXZX", CoUnitCodes: []string{"WLJ", "CFJT", "ZJJ"},
			WorkPlan: "完成院落修缮并按时交付46个院落，同步招商布业态，春节前开街运营。",
			TotalWan: 80000, AnnualWan: 40000, Start: "2021-06-01", End: "2023-01-20", Location: "芝罘区所城里",
			Milestones: []Milestone{
				ms("开工", "construction_started", "2021-09-01", "2021-09-01"),
				ms("修缮完工", "completed", "2022-12-31", ""),
				ms("开街运营", "opened", "2023-01-20", ""),
			},
			Note: zfxj + "（投资额与日期为示意。）",
		},
		Item{
			Code: "XM-029", Name: "朝阳街街区修缮", Type: kp, Level: "city", State: "in_progress",
			ZoneCode: "ZFXJ", LeaderCode: "P-CJ", LeadUnitCode: "GXZX", CoUnitCodes: []string{"WLJ", "CFJT", "JD-XY"},
			WorkPlan: "完成历史建筑修缮并按时交付23个院落，春节前开街运营。",
			TotalWan: 60000, AnnualWan: 30000, Start: "2021-06-01", End: "2023-01-20", Location: "芝罘区朝阳街",
			Milestones: []Milestone{
				ms("开工", "construction_started", "2021-10-01", "2021-10-01"),
				ms("修缮完工", "completed", "2022-12-31", ""),
				ms("开街运营", "opened", "2023-01-20", ""),
			},
			Note: zfxj + "（投资额与日期为示意。）",
		},
		Item{
			Code: "XM-030", Name: "芝罘仙境片区道路管网配套工程", Type: kp, Level: "district", State: "in_progress",
			ZoneCode: "ZFXJ", LeaderCode: "P-CJ", LeadUnitCode: "ZJJ", CoUnitCodes: []string{"CFJT", "GYJT"},
			WorkPlan: "完成片区道路、雨污、供水、燃气管网改造，为开街运营提供配套保障。",
			TotalWan: 40000, AnnualWan: 20000, Start: "2022-03-01", End: "2023-01-20", Location: "芝罘区芝罘仙境片区",
			Milestones: []Milestone{
				ms("开工", "construction_started", "2022-03-15", "2022-03-15"),
				ms("竣工", "completed", "2022-12-31", ""),
			},
			Note: zfxj + "（投资额与日期为示意。）",
		},

		// Parks and talent projects named in [A2].
		Item{
			Code: "XM-031", Name: "抖音集团AI数据服务生态产业园", Type: kp, Level: "province", State: "in_progress",
			ZoneCode: "ZCYQ", LeaderCode: "P-GY", LeadUnitCode: "GXJ", CoUnitCodes: []string{"SWJ", "ZZB", "TCZX"},
			WorkPlan: "保障园区运营和扩容，配套大学生就业与人才服务，延伸数字数据产业链。",
			TotalWan: 100000, AnnualWan: 30000, Start: "2022-01-01", End: "2023-12-31",
			Milestones: []Milestone{
				ms("投产运营", "opened", "2022-03-01", "2022-03-01"),
				ms("二期建成", "completed", "2023-12-31", ""),
			},
			Note: "[A2] 大力实施只楚、卧龙2个省级园区提升行动……其中，抖音集团 AI 数据服务生态产业园项目，带动近3000名大学生就业，自3月份至今实现产值1.2亿元。（文章未写明所在园区，此处归入只楚园区；投资额为示意。）",
		},
		Item{
			Code: "XM-032", Name: "深蓝国际人才交流中心", Type: kp, Level: "district", State: "in_progress",
			LeaderCode: "P-ZZB", LeadUnitCode: "ZZB", CoUnitCodes: []string{"CFJT", "ZJJ"},
			WorkPlan: "启动项目建设，建成后承接人才交流、路演和服务功能。",
			TotalWan: 50000, AnnualWan: 15000, Start: "2022-06-01", End: "2024-06-30",
			Milestones: []Milestone{
				ms("开工", "construction_started", "2022-06-30", "2022-06-30"),
				ms("竣工", "completed", "2024-06-30", ""),
			},
			Note: "[A2] 启动深蓝国际人才交流中心、1861蔚蓝人才公寓等项目建设，目前已拥有人才公寓2200余套。（列为重点项目及投资额为示意。）",
		},
		Item{
			Code: "XM-033", Name: "1861蔚蓝人才公寓", Type: kp, Level: "district", State: "in_progress",
			LeaderCode: "P-ZZB", LeadUnitCode: "ZZB", CoUnitCodes: []string{"CFJT"},
			WorkPlan: "建设人才公寓，纳入全区人才公寓统一归集和分配。",
			TotalWan: 30000, AnnualWan: 10000, Start: "2022-05-01", End: "2023-12-31",
			Milestones: []Milestone{
				ms("开工", "construction_started", "2022-05-31", "2022-05-31"),
				ms("竣工", "completed", "2023-12-31", ""),
			},
			Note: "[A2] 启动深蓝国际人才交流中心、1861蔚蓝人才公寓等项目建设。（列为重点项目及投资额为示意。）",
		},
	)

	// The remaining 48: placeholders spread over the parks, the old town and
	// district-wide fronts.
	list = append(list,
		// 只楚园区
		placeholderProject("XM-034", "只楚园区数字数据产业园（示意）", "city", "ZCYQ", "P-GY", "GXJ", 106000, 30000, "2021-06-01", "2024-06-30", "SWJ", "JD-ZC"),
		placeholderProject("XM-035", "只楚园区信息技术产业基地（示意）", "city", "ZCYQ", "P-GY", "GXJ", 86000, 29000, "2021-09-01", "2024-03-31", "KJJ"),
		placeholderProject("XM-036", "只楚园区标准化厂房（示意）", "district", "ZCYQ", "P-GY", "CFJT", 29000, 16000, "2022-03-01", "2023-06-30", "ZRJ"),
		placeholderProject("XM-037", "只楚园区智能制造升级项目（示意）", "district", "ZCYQ", "P-GY", "GXJ", 25000, 9000, "2022-04-01", "2023-12-31"),
		placeholderProject("XM-038", "只楚园区新能源装备项目（示意）", "city", "ZCYQ", "P-GY", "TCZX", 72000, 14000, "2022-06-01", "2024-12-31", "GXJ"),
		placeholderProject("XM-039", "只楚园区园区道路提升工程（示意）", "district", "ZCYQ", "P-GY", "ZJJ", 13000, 11000, "2022-03-01", "2022-11-30", "JD-ZC"),
		placeholderProject("XM-040", "只楚园区污水管网改造（示意）", "district", "ZCYQ", "P-GY", "ZJJ", 9000, 8000, "2022-04-01", "2022-12-31", "JD-ZC"),
		placeholderProject("XM-041", "只楚园区科创孵化中心（示意）", "district", "ZCYQ", "P-GY", "KJJ", 18000, 7000, "2022-05-01", "2023-10-31", "ZZB"),
		// 卧龙园区
		placeholderProject("XM-042", "卧龙园区都市工业园（示意）", "city", "WLYQ", "P-JJ", "GXJ", 93000, 27000, "2021-07-01", "2024-06-30", "SWJ", "JD-HW"),
		placeholderProject("XM-043", "卧龙园区电子信息产业项目（示意）", "city", "WLYQ", "P-JJ", "TCZX", 79000, 29000, "2021-11-01", "2024-03-31", "GXJ"),
		placeholderProject("XM-044", "卧龙园区生物医药中试基地（示意）", "province", "WLYQ", "P-JJ", "KJJ", 144000, 34000, "2022-02-01", "2025-06-30", "GXJ", "SPJ"),
		placeholderProject("XM-045", "卧龙园区闲置厂房改造提升（示意）", "district", "WLYQ", "P-JJ", "GXJ", 22000, 15000, "2022-03-01", "2023-03-31", "ZRJ"),
		placeholderProject("XM-046", "卧龙园区数据中心（示意）", "city", "WLYQ", "P-JJ", "DSJ", 65000, 29000, "2022-01-01", "2023-12-31", "GXJ"),
		placeholderProject("XM-047", "卧龙园区精密制造项目（示意）", "district", "WLYQ", "P-JJ", "GXJ", 32000, 11000, "2022-05-01", "2023-12-31"),
		placeholderProject("XM-048", "卧龙园区供电扩容工程（示意）", "district", "WLYQ", "P-JJ", "FGJ", 11000, 10000, "2022-03-01", "2022-12-31", "JD-HW"),
		placeholderProject("XM-049", "卧龙园区人才公寓（示意）", "district", "WLYQ", "P-JJ", "ZZB", 20000, 9000, "2022-04-01", "2023-09-30", "CFJT"),
		// 老城区
		placeholderProject("XM-050", "老城区城市更新安置房一期（示意）", "city", "LCQ", "P-FSJ", "GXZX", 101000, 33000, "2021-05-01", "2023-12-31", "ZSB", "ZJJ"),
		placeholderProject("XM-051", "老城区城市更新安置房二期（示意）", "district", "LCQ", "P-FSJ", "GXZX", 65000, 20000, "2022-03-01", "2024-06-30", "ZSB", "ZJJ"),
		placeholderProject("XM-052", "老城区历史建筑保护利用（示意）", "district", "LCQ", "P-FSJ", "WLJ", 22000, 9000, "2022-03-01", "2023-12-31", "ZRJ", "GXZX"),
		placeholderProject("XM-053", "老城区商业街区提升（示意）", "district", "LCQ", "P-FSJ", "SWJ", 18000, 10000, "2022-04-01", "2023-06-30", "JD-XY"),
		placeholderProject("XM-054", "老城区地下停车场（示意）", "district", "LCQ", "P-FSJ", "CFJT", 25000, 13000, "2022-02-01", "2023-08-31", "ZFJ"),
		placeholderProject("XM-055", "老城区雨污分流改造（示意）", "district", "LCQ", "P-FSJ", "ZJJ", 20000, 18000, "2022-03-01", "2022-12-31", "ZFJ"),
		placeholderProject("XM-056", "老城区社区综合服务中心（示意）", "district", "LCQ", "P-FSJ", "JD-DS", 9000, 5000, "2022-05-01", "2023-05-31", "ZJJ"),
		placeholderProject("XM-057", "老城区养老服务中心（示意）", "district", "LCQ", "P-FSJ", "MZJ", 13000, 6000, "2022-04-01", "2023-09-30", "CFJT"),
		placeholderProject("XM-058", "老城区医院改扩建（示意）", "city", "LCQ", "P-FSJ", "WJJ", 57000, 19000, "2021-06-01", "2023-12-31", "ZJJ"),
		placeholderProject("XM-059", "老城区文化馆（示意）", "district", "LCQ", "P-FSJ", "WLJ", 11000, 4000, "2022-06-01", "2023-12-31"),
		// District-wide ([A2] "两带一核": 北部滨海黄金海岸带, 夹河东岸生态景观带)
		placeholderProject("XM-060", "北部滨海黄金海岸带提升工程（示意）", "province", "", "P-CW", "GXZX", 216000, 45000, "2021-10-01", "2025-12-31", "ZRJ", "ZFJ", "WLJ"),
		placeholderProject("XM-061", "夹河东岸生态景观带工程（示意）", "province", "", "P-CJ", "ZRJ", 158000, 40000, "2022-01-01", "2025-06-30", "ZFJ", "ZJJ"),
		placeholderProject("XM-062", "城市更新基础设施配套工程（示意）", "city", "", "P-CJ", "GXZX", 108000, 30000, "2021-11-01", "2024-12-31", "ZJJ", "CFJT"),
		placeholderProject("XM-063", "智慧城市运营中心（示意）", "city", "", "P-CW", "DSJ", 43000, 18000, "2022-02-01", "2023-12-31", "FGJ"),
		placeholderProject("XM-064", "区域医疗中心（示意）", "city", "", "P-SH", "WJJ", 86000, 26000, "2021-08-01", "2024-06-30", "ZJJ", "FGJ"),
		placeholderProject("XM-065", "冷链物流中心（示意）", "district", "", "P-JJ", "SWJ", 29000, 11000, "2022-04-01", "2023-12-31", "TCZX"),
		placeholderProject("XM-066", "海洋科技产业园（示意）", "province", "", "P-GY", "KJJ", 180000, 34000, "2022-03-01", "2025-12-31", "TCZX", "GXJ"),
		placeholderProject("XM-067", "总部经济大厦（示意）", "city", "", "P-JJ", "TCZX", 72000, 22000, "2021-09-01", "2024-06-30", "SWJ"),
		placeholderProject("XM-068", "跨境电商产业园（示意）", "city", "", "P-JJ", "SWJ", 50000, 18000, "2022-03-01", "2024-03-31", "TCZX"),
		placeholderProject("XM-069", "文旅融合综合体（示意）", "city", "", "P-CW", "WLJ", 65000, 19000, "2022-01-01", "2024-12-31", "TCZX"),
		placeholderProject("XM-070", "体育公园（示意）", "district", "", "P-SH", "JTJ", 14000, 7000, "2022-04-01", "2023-06-30", "ZFJ"),
		placeholderProject("XM-071", "区级养老综合体（示意）", "district", "", "P-SH", "MZJ", 22000, 9000, "2022-03-01", "2023-12-31", "CFJT"),
		placeholderProject("XM-072", "供热管网改造工程（示意）", "district", "", "P-CJ", "ZJJ", 18000, 16000, "2022-04-01", "2022-11-15", "GYJT"),
		placeholderProject("XM-073", "燃气管网更新工程（示意）", "district", "", "P-CJ", "ZJJ", 14000, 12000, "2022-03-01", "2022-12-31", "GYJT"),
		placeholderProject("XM-074", "城区排水防涝工程（示意）", "city", "", "P-CJ", "ZJJ", 43000, 24000, "2022-03-01", "2023-06-30", "ZFJ"),
		placeholderProject("XM-075", "新能源汽车充电网络（示意）", "district", "", "P-GY", "FGJ", 11000, 6000, "2022-05-01", "2023-06-30", "CFJT"),
		placeholderProject("XM-076", "5G基站及新基建项目（示意）", "district", "", "P-GY", "GXJ", 13000, 11000, "2022-02-01", "2022-12-31", "DSJ"),
		placeholderProject("XM-077", "商贸流通中心（示意）", "district", "", "P-JJ", "SWJ", 25000, 9000, "2022-05-01", "2023-12-31"),
		placeholderProject("XM-078", "职业教育实训基地（示意）", "district", "", "P-SH", "JTJ", 18000, 9000, "2022-03-01", "2023-08-31", "ZZB"),
		placeholderProject("XM-079", "保障性租赁住房（示意）", "city", "", "P-CJ", "ZJJ", 57000, 25000, "2022-01-01", "2023-12-31", "CFJT"),
		placeholderProject("XM-080", "城市绿道工程（示意）", "district", "", "P-CJ", "ZFJ", 11000, 10000, "2022-04-01", "2022-12-31", "ZRJ"),
		placeholderProject("XM-081", "海岸线生态修复工程（示意）", "province", "", "P-CW", "ZRJ", 72000, 20000, "2022-02-01", "2024-12-31", "ZFJ"),
	)
	return list
}

// placeholderProject is a key project the articles count (one of the 81) but
// do not name: its name, units and figures are illustrative. It is under
// construction since start and due for completion at end.
func placeholderProject(code, name, level, zone, leader, unit string, total, annual float64, start, end string, co ...string) Item {
	return Item{
		Code: code, Name: name, Type: "key_project", Level: level, State: "in_progress",
		ZoneCode: zone, LeaderCode: leader, LeadUnitCode: unit, CoUnitCodes: co,
		WorkPlan: fmt.Sprintf("按“1个项目+1个分包领导+1个职能部门+1套工作方案”推进，年度完成计划投资%.0f万元，每月报送进展。", annual),
		TotalWan: total, AnnualWan: annual, Start: start, End: end,
		Illustrative: true,
		Milestones: []Milestone{
			ms("开工", "construction_started", start, start),
			ms("竣工", "completed", end, ""),
		},
		Note: noteKeyProjects + "（名称、单位、投资额与日期均为示意。）",
	}
}

// xfxcBuilding marks a placeholder as one of the 13 幸福新城 projects under
// construction.
func xfxcBuilding(it Item) Item {
	it.Note = TagXFXCBuilding + "[A1] 数字经济中心、烟台一中新校区等13个项目加快建设。（文章未点名的11个项目之一，名称、投资额与日期均为示意。）"
	return it
}

// xfxcIndustrial is one of the 9 幸福新城 industrial projects the article does
// not name: signed, to start construction by 2022-09-30.
func xfxcIndustrial(code, name, level, unit string, total, annual float64, co ...string) Item {
	return Item{
		Code: code, Name: name, Type: "key_project", Level: level, State: "planned",
		ZoneCode: "XFXC", LeaderCode: "P-QZ", LeadUnitCode: unit, CoUnitCodes: co,
		WorkPlan: "按“1个项目+1个分包领导+1个职能部门+1套工作方案”，倒排手续办理节点，月底前集中开工。",
		TotalWan: total, AnnualWan: annual, Start: "2022-07-01", End: "2025-12-31",
		Illustrative: true,
		Milestones: []Milestone{
			ms("开工", "construction_started", "2022-09-30", ""),
		},
		Note: TagXFXCIndustrial + "[A1] 上实国际智云城等9个总投资345亿元产业项目落地，全力推动月底前集中开工。（文章未点名的8个项目之一，名称与投资额为示意。）",
	}
}

// ---------------------------------------------------------------------------
// Livelihood projects (为民实事) [A1][A2]. Where an article reports a figure as
// already reached, it becomes the item's target for the campaign year; the
// progress itself belongs in reports, not here.
// ---------------------------------------------------------------------------

func livelihoodProjects() []Item {
	const lp = "livelihood_project"
	list := []Item{
		{
			Code: "MS-01", Name: "年度计划老旧小区改造（13个）", Type: lp, State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "ZJJ", CoUnitCodes: []string{"CFJT", "JD-XY", "JD-DS", "JD-YHD", "JD-ZFD"},
			WorkPlan: "按“政企民”共建、“建管治”并举模式推进13个老旧小区改造，11月底前基本完工。",
			Start:    "2022-03-01", End: "2022-11-30",
			Targets: []Target{up("老旧小区改造完工", "个", 13, "2022-11-30")},
			Milestones: []Milestone{
				ms("基本完工", "completed", "2022-11-30", ""),
			},
			Note: "[A1] 列入年度计划的13个老旧小区11月底前基本完工。",
		},
		{
			Code: "MS-02", Name: "老旧小区改造（21个小区、约2.56万户）", Type: lp, State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "ZJJ", CoUnitCodes: []string{"CFJT", "CZJ"},
			WorkPlan: "投入5.1亿元改造21个小区、约2.56万户，按月报送工程量完成比例。",
			TotalWan: 51000, Start: "2022-03-01", End: "2022-12-31",
			Targets: []Target{
				up("改造小区", "个", 21, "2022-12-31"),
				up("惠及户数", "户", 25600, "2022-12-31"),
				up("总工程量完成比例", "%", 100, "2022-12-31"),
			},
			Note: "[A2] 投入5.1亿元，对21个小区、约2.56万户进行老旧小区改造，已完成总工程量的70%。（70%为进度而非目标；与MS-01的13个年度计划小区口径不同，文章未说明两者关系；期限为示意。）",
		},
		{
			Code: "MS-03", Name: "芝罘仙境院落交付（所城里46个、朝阳街23个）", Type: lp, State: "completed",
			ZoneCode: "ZFXJ", LeaderCode: "P-CJ", LeadUnitCode: "GXZX", CoUnitCodes: []string{"ZSB", "CFJT", "WLJ"},
			WorkPlan: "按期交付所城里46个院落和朝阳街23个院落，保障春节前开街运营。",
			Start:    "2022-01-01", End: "2023-01-20",
			Targets: []Target{
				up("所城里院落交付", "院落", 46, "2023-01-20"),
				up("朝阳街院落交付", "院落", 23, "2023-01-20"),
			},
			Milestones: []Milestone{
				ms("院落交付", "delivered", "2022-09-30", "2022-09-30"),
			},
			Note: "[A1] 芝罘仙境片区，紧盯“春节前开街运营”目标，按时交付所城里46个院落和朝阳街23个院落。（交付日期为示意。）",
		},
		{
			Code: "MS-04", Name: "新建7所学校", Type: lp, State: "in_progress",
			LeaderCode: "P-SH", LeadUnitCode: "JTJ", CoUnitCodes: []string{"ZJJ", "ZRJ", "ZSB"},
			WorkPlan: "玺萌小学等3所学校加快建设；上尧中学等4所学校完成征迁及前期手续后开工，力争明年秋季开学投入使用。",
			Start:    "2022-01-01", End: "2023-09-01",
			Targets: []Target{up("新建学校投入使用", "所", 7, "2023-09-01")},
			Milestones: []Milestone{
				ms("玺萌小学等3所学校开工", "construction_started", "2022-08-31", "2022-08-31"),
				ms("上尧中学等4所学校完成征迁及前期手续", "relocation_cleared", "2022-12-31", ""),
				ms("7所学校投入使用", "opened", "2023-09-01", ""),
			},
			Note: "[A2] 新建7所学校，力争明年秋季开学投入使用。目前，玺萌小学等3所学校已开工建设；上尧中学等4所学校正在进行征迁及各项前期手续办理。（开工日期为示意。）",
		},
		{
			Code: "MS-05", Name: "口袋公园建设", Type: lp, State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "ZFJ", CoUnitCodes: []string{"ZRJ", "JD-TS", "JD-FHT", "JD-QS"},
			WorkPlan: "利用拆违空间、闲置土地、路口转角等，高标准建设20处口袋公园。",
			Start:    "2022-03-01", End: "2022-12-31",
			Targets: []Target{up("建成口袋公园", "处", 20, "2022-12-31")},
			Note:    "[A2] 因地制宜建设“口袋公园”，充分利用拆违空间、闲置土地、路口转角等，高标准建设20处口袋公园。（期限为示意。）",
		},
		{
			Code: "MS-06", Name: "破解城区停车难题", Type: lp, State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "ZFJ", CoUnitCodes: []string{"CFJT", "JD-XY", "JD-DS", "JD-BS"},
			WorkPlan: "多措并举盘活停车资源，新增免费停车位和有偿错时共享停车位，建立停车位台账。",
			Start:    "2022-01-01", End: "2022-12-31",
			Targets: []Target{
				up("新增免费停车位", "个", 9783, "2022-12-31"),
				up("有偿错时共享停车位", "个", 3515, "2022-12-31"),
			},
			Note: "[A2] 全力破解城区停车难题，多措并举盘活辖区停车资源，新增免费停车位9783个，有偿错时共享停车位3515个。（期限为示意。）",
		},
		{
			Code: "MS-07", Name: "农贸市场升级改造", Type: lp, State: "completed",
			LeaderCode: "P-JJ", LeadUnitCode: "SWJ", CoUnitCodes: []string{"SJJ", "JD-SHY", "JD-HW"},
			WorkPlan: "按《芝罘区农贸市场专项规划》和星级标准，完成10处农贸市场升级改造。",
			Start:    "2022-01-01", End: "2022-12-31",
			Targets: []Target{up("农贸市场升级改造", "处", 10, "2022-12-31")},
			Milestones: []Milestone{
				ms("10处升级改造完成", "completed", "2022-08-31", "2022-08-31"),
			},
			Note: "[A2] 编制《芝罘区农贸市场专项规划》，着力构建“2+5+51+N”为主体的四级农贸市场体系，目前已按照星级标准完成10处农贸市场升级改造。（[A1]另称11处老旧农贸市场已改造完成；完成日期为示意。）",
		},
		{
			Code: "MS-08", Name: "危房解危", Type: lp, State: "completed",
			LeaderCode: "P-CJ", LeadUnitCode: "ZJJ", CoUnitCodes: []string{"CZJ", "JD-YHD"},
			WorkPlan: "筹集资金2.7亿元，完成毓西路三角地等7个片区危房解危。",
			TotalWan: 27000, Start: "2022-01-01", End: "2022-12-31",
			Targets: []Target{up("危房解危", "户", 341, "2022-12-31")},
			Milestones: []Milestone{
				ms("7个片区解危完成", "completed", "2022-08-31", "2022-08-31"),
			},
			Note: "[A2] 筹集资金2.7亿元，完成毓西路三角地等7个片区、341户危房解危。（完成日期为示意。）",
		},
		{
			Code: "MS-09", Name: "化解不动产证办理难题", Type: lp, State: "completed",
			LeaderCode: "P-CJ", LeadUnitCode: "ZRJ", CoUnitCodes: []string{"ZJJ", "TAX", "SPJ"},
			WorkPlan: "逐小区梳理历史遗留问题，联合办理，化解居民不动产证办理难题。",
			Start:    "2022-01-01", End: "2022-12-31",
			Targets: []Target{
				up("化解办证难题小区", "个", 91, "2022-12-31"),
				up("惠及居民", "户", 98000, "2022-12-31"),
			},
			Note: "[A2] 成功化解翡翠明珠等91个小区、9.8万户居民不动产证办理难题。",
		},
		{
			Code: "MS-10", Name: "棚户区改造", Type: lp, State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "GXZX", CoUnitCodes: []string{"ZSB", "ZJJ", "ZRJ"},
			WorkPlan: "坚持“棚改+大商”“棚改+产业”“棚改+民生”，已完成的27个项目做好回迁安置，在建27个全速推进。",
			Start:    "2019-01-01", End: "2023-12-31",
			Note: "[A1] 目前已全面完成棚改项目27个，正在全速推进27个。（子项目MS-10-01至MS-10-54为示意：前27个已完成，后27个在建。）",
		},
	}
	list = append(list, shantyTowns()...)
	list = append(list, Item{
		Code: "MS-11", Name: "道路修建改造（市区一体化）", Type: lp, State: "in_progress",
		LeaderCode: "P-CJ", LeadUnitCode: "ZJJ", CoUnitCodes: []string{"ZRJ", "GXZX", "CFJT"},
		WorkPlan: "落实交通体系一体化措施，已完成9条道路修建改造，加快推进电厂东路等11条道路工程。",
		Start:    "2022-01-01", End: "2023-06-30",
		Note: "[A1] 目前已完成9条道路修建改造，正加快推进电厂东路等11条道路工程。（子项目MS-11-01至MS-11-20：9条已完成、11条在建，除电厂东路外名称为示意。）",
	})
	list = append(list, roads()...)
	list = append(list,
		Item{
			Code: "MS-12", Name: "长期停滞项目攻坚", Type: lp, State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "ZJJ", CoUnitCodes: []string{"GXZX", "ZRJ", "CJJT"},
			WorkPlan: "一项目一专班，推动9个长期停滞项目取得突破，龙海家园项目破冰重启。",
			Start:    "2022-01-01", End: "2022-12-31",
			Targets: []Target{up("长期停滞项目取得突破", "个", 9, "2022-12-31")},
			Note:    "[A2] 9个长期停滞项目取得突破性进展……停滞近10年的龙海家园项目破冰重启。",
		},
		Item{
			Code: "MS-13", Name: "长期未回迁安置项目破题", Type: lp, State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "ZSB", CoUnitCodes: []string{"GXZX", "ZJJ"},
			WorkPlan: "逐项目制定回迁方案，推动12个长期未回迁安置项目破题，加快安置房开复工。",
			Start:    "2022-01-01", End: "2022-12-31",
			Targets: []Target{
				up("长期未回迁安置项目破题", "个", 12, "2022-12-31"),
				up("开复工安置房", "平方米", 146000, "2022-12-31"),
			},
			Note: "[A2] 12个长期未回迁安置项目实现破题，开复工安置房14.6万平方米。",
		},
		Item{
			Code: "MS-14", Name: "无物业开放小区物业接管", Type: lp, State: "completed",
			LeaderCode: "P-CJ", LeadUnitCode: "CFJT", CoUnitCodes: []string{"ZJJ", "GYJT"},
			WorkPlan: "由区属国企接手全区无物业开放小区和楼宇物业管理。",
			Start:    "2022-01-01", End: "2022-12-31",
			Targets: []Target{
				up("接管无物业开放小区", "个", 110, "2022-12-31"),
				up("惠及群众", "户", 165000, "2022-12-31"),
			},
			Note: "[A2] 由区属国企接手全区110个无物业开放小区、4700多栋楼宇物业管理，惠及群众16.5万户。",
		},
	)
	return list
}

// shantyTowns are the 54 sub-projects of MS-10: 27 completed and 27 under way
// [A1]. The articles give only the counts, so all are placeholders.
func shantyTowns() []Item {
	var list []Item
	for i := 1; i <= 54; i++ {
		it := Item{
			Code:         fmt.Sprintf("MS-10-%02d", i),
			Name:         fmt.Sprintf("棚改项目（示意）%02d", i),
			Type:         "livelihood_project",
			ParentCode:   "MS-10",
			LeaderCode:   "P-CJ",
			LeadUnitCode: []string{"GXZX", "ZSB"}[i%2],
			CoUnitCodes:  []string{"ZJJ"},
			Illustrative: true,
		}
		if i <= 27 {
			// Completed: start 2019–2020, finished in 2021 or 2022.
			it.State = "completed"
			it.Start = fmt.Sprintf("%d-%02d-01", 2019+i%2, 1+i%12)
			it.End = fmt.Sprintf("%d-%02d-28", 2021+i%2, 1+(i*5)%8)
			it.WorkPlan = "已完成改造，做好回迁安置和后续配套。"
			it.Milestones = []Milestone{ms("竣工", "completed", it.End, it.End)}
			it.Note = "[A1] 目前已全面完成棚改项目27个。（示意子项目，已完成。）"
		} else {
			// Under way: start 2021–2022, relocation and construction in 2022–2023.
			it.State = "in_progress"
			it.Start = fmt.Sprintf("%d-%02d-01", 2021+i%2, 1+i%6)
			it.End = fmt.Sprintf("2023-%02d-30", 6+i%6)
			it.WorkPlan = "加快征迁清零和安置房建设，按月报送征迁和工程进度。"
			it.Milestones = []Milestone{
				ms("征迁清零", "relocation_cleared", fmt.Sprintf("2022-%02d-30", 9+i%3), ""),
				ms("竣工", "completed", it.End, ""),
			}
			it.Note = "[A1] 正在全速推进27个。（示意子项目，在建。）"
		}
		list = append(list, it)
	}
	return list
}

// roads are the 20 sub-projects of MS-11: 9 completed and 11 under way, among
// them 电厂东路 [A1].
func roads() []Item {
	var list []Item
	for i := 1; i <= 9; i++ {
		end := fmt.Sprintf("2022-%02d-30", 4+i%5)
		list = append(list, Item{
			Code: fmt.Sprintf("MS-11-%02d", i), Name: fmt.Sprintf("已建成道路（示意）%02d", i),
			Type: "livelihood_project", State: "completed", ParentCode: "MS-11",
			LeaderCode: "P-CJ", LeadUnitCode: "ZJJ", CoUnitCodes: []string{"CFJT"},
			WorkPlan: "完成道路修建改造并移交养护。",
			Start:    "2022-03-01", End: end, Illustrative: true,
			Milestones: []Milestone{ms("竣工", "completed", end, end)},
			Note:       "[A1] 目前已完成9条道路修建改造。（示意子项目。）",
		})
	}
	list = append(list, Item{
		Code: "MS-11-10", Name: "电厂东路", Type: "livelihood_project", State: "in_progress", ParentCode: "MS-11",
		LeaderCode: "P-CJ", LeadUnitCode: "ZJJ", CoUnitCodes: []string{"ZRJ", "CFJT"},
		WorkPlan: "加快道路及管网施工，年底前具备通车条件。",
		Start:    "2022-04-01", End: "2023-06-30",
		Milestones: []Milestone{
			ms("开工", "construction_started", "2022-05-01", "2022-05-01"),
			ms("通车", "completed", "2022-12-31", ""),
		},
		Note: "[A1] 正加快推进电厂东路等11条道路工程。（日期为示意。）",
	})
	for i := 1; i <= 10; i++ {
		start := fmt.Sprintf("2022-%02d-01", 3+i%6)
		list = append(list, Item{
			Code: fmt.Sprintf("MS-11-%02d", 10+i), Name: fmt.Sprintf("在建道路（示意）%02d", i),
			Type: "livelihood_project", State: "in_progress", ParentCode: "MS-11",
			LeaderCode: "P-CJ", LeadUnitCode: "ZJJ", CoUnitCodes: []string{"CFJT"},
			WorkPlan: "加快道路修建改造，按月报送工程进度。",
			Start:    start, End: "2023-06-30", Illustrative: true,
			Milestones: []Milestone{
				ms("开工", "construction_started", start, start),
				ms("竣工", "completed", "2023-06-30", ""),
			},
			Note: "[A1] 正加快推进电厂东路等11条道路工程。（示意子项目。）",
		})
	}
	return list
}

// ---------------------------------------------------------------------------
// Special actions (专项行动) [A1][A2].
// ---------------------------------------------------------------------------

func specialActions() []Item {
	const sa = "special_action"
	const s, e = "2022-01-01", "2022-12-31"
	allStreets := []string{"JD-XY", "JD-DS", "JD-YHD", "JD-TS", "JD-FHT", "JD-QS", "JD-BS", "JD-ZFD", "JD-ZC", "JD-SHY", "JD-HW", "JD-XF"}
	return []Item{
		{
			Code: "ZX-01", Name: "闲置厂房盘活专项行动", Type: sa, State: "in_progress",
			LeaderCode: "P-GY", LeadUnitCode: "GXJ", CoUnitCodes: []string{"ZRJ", "TCZX", "JD-ZC", "JD-HW"},
			WorkPlan: "建立闲置厂房台账，一厂一策招引盘活，力争年底前60%的闲置厂房盘活取得进展。",
			Start:    s, End: e,
			Targets: []Target{up("闲置厂房盘活比例", "%", 60, "2022-12-31")},
			Note:    "[A1] 开展烂尾工程及闲置厂房专项整治三年行动……力争年底前60%的闲置厂房盘活取得进展。",
		},
		{
			Code: "ZX-02", Name: "批而未供及闲置土地处置", Type: sa, State: "in_progress",
			LeaderCode: "P-CW", LeadUnitCode: "ZRJ", CoUnitCodes: []string{"FGJ", "SPJ", "TCZX"},
			WorkPlan: "清理2009-2018年批而未供土地和闲置土地，分类处置，通过土地二级市场盘活。",
			Start:    s, End: e,
			Targets: []Target{up("处置批而未供土地、闲置土地", "亩", 880, "2022-12-31")},
			Note:    "[A1] 共处置2009-2018年批而未供土地、闲置土地880亩。",
		},
		{
			Code: "ZX-03", Name: "违法建设治理", Type: sa, State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "ZFJ", CoUnitCodes: allStreets,
			WorkPlan: "作为“七大攻坚行动”之一，按网格排查存量违建，拆除后的空间优先建设口袋公园和停车位。",
			Start:    s, End: e,
			Targets: []Target{
				up("拆除违法建设", "处", 6469, "2022-12-31"),
				up("拆除违法建设面积", "平方米", 957800, "2022-12-31"),
			},
			Note: "[A2] 全面开展违法建设治理、马路市场整治、广告牌匾围挡整治等“七大攻坚行动”，累计拆除各类违建6469处、95.78万平方米。",
		},
		{
			Code: "ZX-04", Name: "违规户外广告整治", Type: sa, State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "ZFJ", CoUnitCodes: []string{"SJJ", "JD-XY", "JD-DS", "JD-YHD", "JD-TS"},
			WorkPlan: "排查整治违规户外广告和牌匾，建立整治台账。",
			Start:    s, End: e,
			Targets: []Target{up("整治违规户外广告", "处", 1300, "2022-12-31")},
			Note:    "[A2] 整治违规户外广告近1300处。",
		},
		{
			Code: "ZX-05", Name: "围挡整治", Type: sa, State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "ZFJ", CoUnitCodes: []string{"ZJJ", "GXZX"},
			WorkPlan: "拆除闲置、破损和超期围挡，规范在建工地围挡。",
			Start:    s, End: e,
			Targets: []Target{up("拆除围挡", "处", 410, "2022-12-31")},
			Note:    "[A2] 拆除围挡410余处。",
		},
		{
			Code: "ZX-06", Name: "烂尾工程专项整治", Type: sa, State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "ZJJ", CoUnitCodes: []string{"ZRJ", "GXZX", "CJJT"},
			WorkPlan: "摸清烂尾工程底数，逐项明确处置路径和责任单位，与长期停滞项目攻坚（MS-12）联动推进。",
			Start:    s, End: e,
			Note: "[A1] 开展烂尾工程及闲置厂房专项整治三年行动。",
		},
		{
			Code: "ZX-07", Name: "垃圾桶网格化包保（“随满随清”）", Type: sa, State: "in_progress",
			LeaderCode: "P-CJ", LeadUnitCode: "ZFJ", CoUnitCodes: append([]string{"GYJT"}, allStreets...),
			WorkPlan: "实行“三班制、两清运、双保障”收转运模式，垃圾桶按网格落实包保责任人，满桶即报即清。",
			Start:    s, End: e,
			Note: "[A2] 创新采用“三班制、两清运、双保障”垃圾收转运模式，实行垃圾桶网格化包保责任制，全力保障垃圾“随满随清”。",
		},
		{
			Code: "ZX-08", Name: "服务企业专员走访", Type: sa, State: "in_progress",
			LeaderCode: "P-JJ", LeadUnitCode: "SWJ", CoUnitCodes: []string{"GXJ", "JRJ", "TCZX"},
			WorkPlan: "服务企业专员定期走访企业，企业反映的问题登记为督办件限时办结。",
			Start:    s, End: e,
			Targets: []Target{
				up("走访企业", "家", 1600, "2022-12-31"),
				up("帮助企业解决问题", "个", 400, "2022-12-31"),
			},
			Note: "[A2] 深入开展服务企业专员制度，累计走访企业1600余家，帮助企业解决问题 400余个。",
		},
	}
}
