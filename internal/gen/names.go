package gen

// Word lists for generated names. The districts, places and projects are
// invented to look like a Chinese district's work list; people are named by
// post only, as in the demo district, never by a personal name.

// districts name the generated districts in turn (GEN1 is the first, …), so
// that a city of 15 districts has 15 different names.
var districts = []string{
	"海川区", "青岚区", "云港区", "澜湾区", "鹤鸣区", "望海区", "金沙区", "翠屏区",
	"南屏区", "临泉区", "松涛区", "锦绣区", "明珠区", "玉泉区", "白沙区",
}

// places are used for streets, zones, projects and locations.
var places = []string{
	"滨海", "青岚", "云港", "金沙", "松涛", "翠屏", "望海", "鹤鸣", "白沙", "南屏",
	"东湖", "西岭", "北塘", "临泉", "清河", "桃源", "柳岸", "杏林", "凤凰", "龙湾",
	"紫荆", "银杏", "海川", "澜湾", "朝阳", "新港", "锦绣", "芳华", "玉泉", "明珠",
	"石门", "春晖", "兴隆", "永安", "长乐", "双塔",
}

// bureau is a unit with the title of its head.
type bureau struct{ name, kind, head string }

var bureaus = []bureau{
	{"区督查室", "bureau", "主任"}, {"区委改革办", "bureau", "主任"}, {"区委组织部", "bureau", "常务副部长"},
	{"区发改局", "bureau", "局长"}, {"区住建局", "bureau", "局长"}, {"区财政局", "bureau", "局长"},
	{"区税务局", "other", "局长"}, {"区商务局", "bureau", "局长"}, {"区投资促进中心", "bureau", "主任"},
	{"区工信局", "bureau", "局长"}, {"区科技局", "bureau", "局长"}, {"区金融服务中心", "bureau", "主任"},
	{"区教体局", "bureau", "局长"}, {"区卫健局", "bureau", "局长"}, {"区民政局", "bureau", "局长"},
	{"区文旅局", "bureau", "局长"}, {"区自然资源局", "bureau", "局长"}, {"区综合执法局", "bureau", "局长"},
	{"区行政审批服务局", "bureau", "局长"}, {"区市场监管局", "bureau", "局长"}, {"区大数据中心", "bureau", "主任"},
	{"区统计局", "bureau", "局长"}, {"区城市更新中心", "bureau", "主任"}, {"区房屋征收服务中心", "bureau", "主任"},
	{"区生态环境分局", "other", "局长"}, {"区交通运输局", "bureau", "局长"}, {"区水务局", "bureau", "局长"},
	{"区农业农村局", "bureau", "局长"}, {"区应急管理局", "bureau", "局长"}, {"区人社局", "bureau", "局长"},
	{"区退役军人事务局", "bureau", "局长"}, {"区医保局", "bureau", "局长"}, {"区司法局", "bureau", "局长"},
	{"区审计局", "bureau", "局长"}, {"区信访局", "bureau", "局长"}, {"区机关事务服务中心", "bureau", "主任"},
}

var soes = []bureau{
	{"区财金集团", "soe", "董事长"}, {"区城发集团", "soe", "董事长"}, {"区公用事业集团", "soe", "董事长"},
	{"区文旅集团", "soe", "董事长"}, {"区国资运营公司", "soe", "董事长"},
}

// leaders are the district's leaders: they lead items and command zones.
var leaders = []string{
	"区委书记", "区长", "区委副书记", "常务副区长", "分管城建副区长", "分管经济副区长", "分管工业副区长",
	"分管社会事业副区长", "分管农业农村副区长", "区委组织部部长", "区委宣传部部长", "区委政法委书记",
	"区人大常委会主任", "区政协主席", "区纪委书记",
}

// staffPosts name the other persons of a unit.
var staffPosts = []string{"副局长", "项目专员", "科长", "服务企业专员", "网格长", "统计员", "督查专员", "科员"}

// Item name parts, by type.
var (
	projectNames = []string{
		"数字经济产业园", "智能制造产业园", "科创中心", "人才公寓", "商业综合体", "冷链物流中心",
		"新能源汽车零部件项目", "生物医药产业园", "海洋经济创新区", "文旅综合体", "总部经济大厦",
		"综合管廊工程", "片区市政道路工程", "污水处理厂扩建工程", "棚户区改造项目", "城市更新项目",
		"医院综合楼", "中学新校区", "滨海步道工程", "体育中心", "会展中心", "供热管网改造工程",
		"智慧物流园", "电子信息产业园", "高端装备制造基地", "跨境电商产业园", "安置房项目",
		"保障性租赁住房项目", "历史文化街区修缮工程", "港口集疏运工程",
	}
	projectPhases = []string{"", "", "", "（一期）", "（二期）", "（三期）"}

	livelihoodNames = []string{
		"老旧小区改造", "背街小巷整治", "口袋公园建设", "社区食堂建设", "城市书房建设", "雨污分流改造",
		"公共停车场建设", "农贸市场升级改造", "公办幼儿园新建", "社区卫生服务中心提升", "养老服务中心建设",
		"公厕提质改造", "供水管网更新", "燃气管道老化更新", "无障碍设施改造", "新能源汽车充电桩建设",
		"道路照明设施提升", "城市绿道建设", "便民服务中心建设", "学校操场改造",
	}

	reformNames = []string{
		"深化工程建设项目审批制度改革", "推行无差别“一窗受理”集成服务改革", "深化国资国企改革",
		"推进工业项目“标准地”出让改革", "深化招商引资体制改革", "健全网格化综合治税体系",
		"推进城市管理体制改革", "深化“放管服”改革", "推进预算绩效管理改革", "深化医药卫生体制改革",
		"推进教育评价改革", "深化土地二级市场改革", "推进社会信用体系建设", "深化农村集体产权制度改革",
		"推进人才发展体制机制改革", "深化金融服务实体经济改革", "推进基层治理体系改革",
		"深化营商环境创新改革", "推进数字政府建设", "深化环卫作业市场化改革",
	}

	specialNames = []string{
		"违法建设治理", "户外广告整治", "建筑工地围挡规范", "市容环境卫生整治", "生活垃圾分类",
		"安全生产大排查大整治", "燃气安全专项整治", "招商引资“双百”", "服务企业专员", "河湖“清四乱”",
		"扬尘污染治理", "交通秩序整治", "校园周边环境整治", "电动自行车安全隐患整治", "农民工工资清欠",
	}
)

// Milestone names and kinds, in the order they happen, by item type.
type step struct{ name, kind string }

var steps = map[string][]step{
	"key_project": {
		{"完成征迁清零", "relocation_cleared"}, {"取得施工许可", "other"}, {"开工", "construction_started"},
		{"主体结构封顶", "other"}, {"竣工验收", "completed"}, {"投入运营", "opened"},
	},
	"livelihood_project": {
		{"实施方案批复", "other"}, {"完成招标", "other"}, {"开工", "construction_started"},
		{"完工", "completed"}, {"交付使用", "delivered"},
	},
	"reform_task": {
		{"出台实施方案", "other"}, {"启动试点", "other"}, {"中期评估", "other"},
		{"全面推开", "other"}, {"形成制度成果", "completed"},
	},
	"special_action": {
		{"动员部署", "other"}, {"集中排查", "other"}, {"集中整治", "other"},
		{"回头看", "other"}, {"总结验收", "completed"},
	},
}

// target is a quantity to reach; lower means smaller is better.
type target struct {
	name, unit      string
	lo, hi, base    float64 // value is drawn in [lo, hi); base is the baseline
	lower, annualTo bool    // annualTo: the value is the item's annual investment
}

var targets = map[string][]target{
	"key_project": {
		{name: "完成年度投资", unit: "万元", annualTo: true},
		{name: "形象进度", unit: "%", lo: 30, hi: 100},
		{name: "新增就业岗位", unit: "个", lo: 50, hi: 2000},
		{name: "新增税收", unit: "万元", lo: 100, hi: 20000},
	},
	"livelihood_project": {
		{name: "改造老旧小区", unit: "个", lo: 3, hi: 40},
		{name: "新增停车泊位", unit: "个", lo: 50, hi: 1500},
		{name: "新建口袋公园", unit: "处", lo: 2, hi: 30},
		{name: "惠及居民", unit: "户", lo: 200, hi: 20000},
		{name: "新增学位", unit: "个", lo: 90, hi: 1800},
		{name: "改造雨污管网", unit: "公里", lo: 2, hi: 60},
	},
	"reform_task": {
		{name: "出台配套方案", unit: "个", lo: 3, hi: 20},
		{name: "政务服务事项网办率", unit: "%", lo: 90, hi: 100, base: 60},
		{name: "审批时限", unit: "个工作日", lo: 3, hi: 10, base: 20, lower: true},
	},
	"special_action": {
		{name: "拆除违法建设", unit: "平方米", lo: 5000, hi: 200000},
		{name: "整治户外广告", unit: "处", lo: 100, hi: 3000},
		{name: "群众满意度", unit: "%", lo: 92, hi: 99, base: 85},
		{name: "群众投诉量", unit: "件", lo: 50, hi: 400, base: 600, lower: true},
	},
}
