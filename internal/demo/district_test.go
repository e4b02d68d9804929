package demo

import (
	"strings"
	"testing"
	"time"
)

// The expected figures below are typed from the two articles in shared/seeds/
// ([A1] 齐鲁晚报, [A2] 烟台日报-大小新闻), not computed from the data.

func parseDate(t *testing.T, what, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Errorf("%s: date %q does not parse as 2006-01-02: %v", what, s, err)
	}
	return d
}

func itemsByCode(d District) map[string]Item {
	m := map[string]Item{}
	for _, it := range d.Items {
		m[it.Code] = it
	}
	return m
}

func topKeyProjects(d District) []Item {
	var out []Item
	for _, it := range d.Items {
		if it.Type == "key_project" && it.ParentCode == "" {
			out = append(out, it)
		}
	}
	return out
}

func tagged(d District, tag string) []Item {
	var out []Item
	for _, it := range d.Items {
		if strings.Contains(it.Note, tag) {
			out = append(out, it)
		}
	}
	return out
}

func sumTotal(items []Item) (total, annual float64) {
	for _, it := range items {
		total += it.TotalWan
		annual += it.AnnualWan
	}
	return
}

func names(items []Item) map[string]bool {
	m := map[string]bool{}
	for _, it := range items {
		m[it.Name] = true
	}
	return m
}

// [A2] 总投资858亿元、年度计划投资156亿元的81个省市三级重点项目.
func TestKeyProjects(t *testing.T) {
	d := Data()
	kps := topKeyProjects(d)
	if len(kps) != 81 {
		t.Errorf("top-level key projects: got %d, want 81", len(kps))
	}
	total, annual := sumTotal(kps)
	if total != 8580000 {
		t.Errorf("key projects TotalWan: got %.0f, want 8580000 (858亿元)", total)
	}
	if annual != 1560000 {
		t.Errorf("key projects AnnualWan: got %.0f, want 1560000 (156亿元)", annual)
	}
	levels := map[string]int{}
	for _, it := range d.Items {
		if it.Type != "key_project" {
			if it.Level != "" {
				t.Errorf("%s: Level %q on a %s; only key projects have a level", it.Code, it.Level, it.Type)
			}
			continue
		}
		if it.ParentCode != "" {
			t.Errorf("%s: a key project must be top-level (ParentCode %q)", it.Code, it.ParentCode)
		}
		switch it.Level {
		case "province", "city", "district":
			levels[it.Level]++
		default:
			t.Errorf("%s: Level %q, want province|city|district", it.Code, it.Level)
		}
		if it.TotalWan <= 0 || it.AnnualWan <= 0 || it.AnnualWan > it.TotalWan {
			t.Errorf("%s: TotalWan %.0f, AnnualWan %.0f: want 0 < annual <= total", it.Code, it.TotalWan, it.AnnualWan)
		}
		if it.TotalWan != float64(int64(it.TotalWan)) || it.AnnualWan != float64(int64(it.AnnualWan)) {
			t.Errorf("%s: investments must be whole 万元", it.Code)
		}
		if len(it.Milestones) == 0 {
			t.Errorf("%s: key project without milestones", it.Code)
		}
		if !it.Illustrative && len(it.Milestones) < 2 {
			t.Errorf("%s: a named key project needs 2–3 milestones, has %d", it.Code, len(it.Milestones))
		}
	}
	for _, l := range []string{"province", "city", "district"} {
		if levels[l] == 0 {
			t.Errorf("no key project of level %s: want a mix of 省市区三级", l)
		}
	}
	named := names(kps)
	for _, n := range []string{
		"芝罘湾广场", "一二突堤基础配套工程", "国电投清洁能源研发中心", "数字经济中心", "烟台一中新校区",
		"上实国际智云城", "抖音集团AI数据服务生态产业园", "所城里街区修缮", "朝阳街街区修缮",
	} {
		if !named[n] {
			t.Errorf("key project %q named in the articles is missing", n)
		}
	}
}

// [A1] 投资28亿元的芝罘湾广场、一二突堤基础配套工程等4个项目全面开工建设.
func TestHaishangShijieFour(t *testing.T) {
	d := Data()
	four := tagged(d, TagHSSJFour)
	if len(four) != 4 {
		t.Fatalf("items tagged %s: got %d, want 4", TagHSSJFour, len(four))
	}
	total, _ := sumTotal(four)
	if total != 280000 {
		t.Errorf("海上世界 4 projects TotalWan: got %.0f, want 280000 (28亿元)", total)
	}
	n := names(four)
	for _, want := range []string{"芝罘湾广场", "一二突堤基础配套工程"} {
		if !n[want] {
			t.Errorf("%q is not among the 4 海上世界 projects", want)
		}
	}
	for _, it := range four {
		if it.Type != "key_project" || it.ZoneCode != "HSSJ" {
			t.Errorf("%s: type %s zone %s, want key_project in HSSJ", it.Code, it.Type, it.ZoneCode)
		}
		started := false
		for _, m := range it.Milestones {
			started = started || (m.Kind == "construction_started" && m.ActualDate != "")
		}
		if !started {
			t.Errorf("%s: 全面开工建设 but no construction_started milestone with an actual date", it.Code)
		}
	}
	// 顺利完成会西街区片清零.
	cleared := false
	for _, it := range d.Items {
		for _, m := range it.Milestones {
			if m.Kind == "relocation_cleared" && strings.Contains(m.Name, "会西街区片") && m.ActualDate != "" {
				cleared = true
			}
		}
	}
	if !cleared {
		t.Error("no relocation_cleared milestone for 会西街区片 with an actual date")
	}
}

// [A1] 上实国际智云城等9个总投资345亿元产业项目落地……月底前集中开工;
// 数字经济中心、烟台一中新校区等13个项目加快建设.
func TestXingfuXincheng(t *testing.T) {
	d := Data()
	nine := tagged(d, TagXFXCIndustrial)
	if len(nine) != 9 {
		t.Fatalf("items tagged %s: got %d, want 9", TagXFXCIndustrial, len(nine))
	}
	total, _ := sumTotal(nine)
	if total != 3450000 {
		t.Errorf("幸福新城 9 industrial projects TotalWan: got %.0f, want 3450000 (345亿元)", total)
	}
	if !names(nine)["上实国际智云城"] {
		t.Error("上实国际智云城 is not among the 9 industrial projects")
	}
	for _, it := range nine {
		if it.Type != "key_project" || it.ZoneCode != "XFXC" {
			t.Errorf("%s: type %s zone %s, want key_project in XFXC", it.Code, it.Type, it.ZoneCode)
		}
		ok := false
		for _, m := range it.Milestones {
			ok = ok || (m.Kind == "construction_started" && m.PlannedDate == "2022-09-30")
		}
		if !ok {
			t.Errorf("%s: no 开工 milestone planned for 2022-09-30", it.Code)
		}
	}
	thirteen := tagged(d, TagXFXCBuilding)
	if len(thirteen) != 13 {
		t.Errorf("items tagged %s: got %d, want 13", TagXFXCBuilding, len(thirteen))
	}
	n := names(thirteen)
	for _, want := range []string{"数字经济中心", "烟台一中新校区"} {
		if !n[want] {
			t.Errorf("%q is not among the 13 幸福新城 projects under construction", want)
		}
	}
	for _, it := range thirteen {
		if it.Type != "key_project" || it.ZoneCode != "XFXC" || strings.Contains(it.Note, TagXFXCIndustrial) {
			t.Errorf("%s: the 13 are key projects in XFXC, distinct from the 9", it.Code)
		}
	}
}

// [A1] 紧盯"春节前开街运营"目标 (Spring Festival 2023 = 2023-01-22).
func TestZhifuXianjingOpening(t *testing.T) {
	d := Data()
	for _, name := range []string{"所城里街区修缮", "朝阳街街区修缮"} {
		found := false
		for _, it := range d.Items {
			if it.Name != name {
				continue
			}
			for _, m := range it.Milestones {
				found = found || (m.Kind == "opened" && m.PlannedDate == "2023-01-20")
			}
			if it.ZoneCode != "ZFXJ" {
				t.Errorf("%s: zone %s, want ZFXJ", name, it.ZoneCode)
			}
		}
		if !found {
			t.Errorf("%s: no 开街运营 milestone planned for 2023-01-20", name)
		}
	}
}

// [A1] 第一时间确立了全区15项重点改革攻坚任务.
func TestReformTasks(t *testing.T) {
	n := 0
	for _, it := range Data().Items {
		if it.Type == "reform_task" {
			n++
		}
	}
	if n != 15 {
		t.Errorf("reform tasks: got %d, want 15", n)
	}
}

// Targets typed from the articles: name → unit, value, deadline ("" = any).
func TestArticleTargets(t *testing.T) {
	want := []struct {
		name, unit string
		value      float64
		deadline   string
	}{
		{"老旧小区改造完工", "个", 13, "2022-11-30"},   // [A1] 13个老旧小区11月底前基本完工
		{"改造小区", "个", 21, ""},                 // [A2] 21个小区
		{"惠及户数", "户", 25600, ""},              // [A2] 约2.56万户
		{"所城里院落交付", "院落", 46, "2023-01-20"},   // [A1]
		{"朝阳街院落交付", "院落", 23, "2023-01-20"},   // [A1]
		{"新建学校投入使用", "所", 7, "2023-09-01"},    // [A2] 力争明年秋季开学投入使用
		{"建成口袋公园", "处", 20, ""},               // [A2]
		{"新增免费停车位", "个", 9783, ""},            // [A2]
		{"有偿错时共享停车位", "个", 3515, ""},          // [A2]
		{"农贸市场升级改造", "处", 10, ""},             // [A2]
		{"危房解危", "户", 341, ""},                // [A2]
		{"化解办证难题小区", "个", 91, ""},             // [A2]
		{"闲置厂房盘活比例", "%", 60, "2022-12-31"},   // [A1] 力争年底前60%
		{"处置批而未供土地、闲置土地", "亩", 880, ""},       // [A1]
		{"拆除违法建设", "处", 6469, ""},             // [A2]
		{"拆除违法建设面积", "平方米", 957800, ""},       // [A2] 95.78万平方米
		{"整治违规户外广告", "处", 1300, ""},           // [A2]
		{"拆除围挡", "处", 410, ""},                // [A2]
		{"政务服务事项网办率", "%", 95, ""},            // [A1]
		{"长期停滞项目取得突破", "个", 9, ""},            // [A2]
		{"长期未回迁安置项目破题", "个", 12, ""},          // [A2]
		{"走访企业", "家", 1600, ""},               // [A2]
		{"帮助企业解决问题", "个", 400, ""},            // [A2]
		{"开复工安置房", "平方米", 146000, ""},         // [A2] 14.6万平方米
		{"惠及居民", "户", 98000, ""},              // [A2] 9.8万户
		{"配套实施方案出台", "个", 14, ""},             // [A1]
		{"惠及群众", "户", 165000, ""},             // [A2] 16.5万户
		{"接管无物业开放小区", "个", 110, "2022-12-31"}, // [A2]
	}
	found := map[string][]Target{}
	for _, it := range Data().Items {
		for _, tg := range it.Targets {
			found[tg.Name] = append(found[tg.Name], tg)
		}
	}
	for _, w := range want {
		ts := found[w.name]
		if len(ts) != 1 {
			t.Errorf("target %q: found %d, want exactly 1", w.name, len(ts))
			continue
		}
		tg := ts[0]
		if tg.Unit != w.unit || tg.Value != w.value || (w.deadline != "" && tg.Deadline != w.deadline) {
			t.Errorf("target %q: got %s %.0f by %s, want %s %.0f by %s", w.name, tg.Unit, tg.Value, tg.Deadline, w.unit, w.value, w.deadline)
		}
	}
}

// [A1] 已全面完成棚改项目27个，正在全速推进27个; 已完成9条道路修建改造，
// 正加快推进电厂东路等11条道路工程.
func TestProgrammes(t *testing.T) {
	d := Data()
	count := func(parent, state string) int {
		n := 0
		for _, it := range d.Items {
			if it.ParentCode == parent && it.State == state {
				n++
			}
		}
		return n
	}
	cases := []struct {
		parent, state string
		want          int
	}{
		{"MS-10", "completed", 27},
		{"MS-10", "in_progress", 27},
		{"MS-11", "completed", 9},
		{"MS-11", "in_progress", 11},
	}
	for _, c := range cases {
		if got := count(c.parent, c.state); got != c.want {
			t.Errorf("sub-items of %s in state %s: got %d, want %d", c.parent, c.state, got, c.want)
		}
	}
	byCode := itemsByCode(d)
	if byCode["MS-10"].Name != "棚户区改造" {
		t.Errorf("MS-10 is %q, want 棚户区改造", byCode["MS-10"].Name)
	}
	ok := false
	for _, it := range d.Items {
		ok = ok || (it.Name == "电厂东路" && it.ParentCode == "MS-11" && it.State == "in_progress")
	}
	if !ok {
		t.Error("电厂东路 is not an in-progress sub-item of MS-11")
	}
	if byCode["MS-02"].TotalWan != 51000 {
		t.Errorf("MS-02 TotalWan: got %.0f, want 51000 (投入5.1亿元)", byCode["MS-02"].TotalWan)
	}
}

func TestCampaign(t *testing.T) {
	c := Data().Campaign
	if c.Code != "2022-GJN" || c.Name != "2022年重点工作攻坚年" || c.Year != 2022 ||
		c.Start != "2022-01-01" || c.End != "2022-12-31" || c.Cadence != "monthly" {
		t.Errorf("campaign: %+v", c)
	}
}

// Every code referenced exists, every code is unique, and accountability
// (one leader, one lead unit, one work plan) is complete.
func TestReferences(t *testing.T) {
	d := Data()
	unitsSeen := map[string]Unit{}
	for _, u := range d.Units {
		if _, dup := unitsSeen[u.Code]; dup {
			t.Errorf("unit code %s twice", u.Code)
		}
		switch u.Kind {
		case "leadership", "bureau", "street", "soe", "other":
		default:
			t.Errorf("unit %s: kind %q", u.Code, u.Kind)
		}
		if u.ParentCode != "" {
			if _, ok := unitsSeen[u.ParentCode]; !ok {
				t.Errorf("unit %s: parent %q unknown or listed after it", u.Code, u.ParentCode)
			}
		}
		unitsSeen[u.Code] = u
	}
	if len(d.Units) < 30 || len(d.Units) > 40 {
		t.Errorf("units: %d, want 30–40", len(d.Units))
	}
	roots := 0
	for _, u := range d.Units {
		if u.ParentCode == "" {
			roots++
			if u.Code != "ZF" || u.Kind != "leadership" {
				t.Errorf("root unit %s (%s), want ZF leadership", u.Code, u.Kind)
			}
		}
	}
	if roots != 1 {
		t.Errorf("unit roots: %d, want 1", roots)
	}
	streets := 0
	for _, u := range d.Units {
		if u.Kind == "street" {
			streets++
		}
	}
	if streets != 12 {
		t.Errorf("streets: %d, want the 12 街道 of 芝罘区", streets)
	}

	persons := map[string]bool{}
	postWords := []string{"书记", "区长", "部长", "主任", "局长", "董事长", "网格长", "专员"}
	for _, p := range d.Persons {
		if persons[p.Code] {
			t.Errorf("person code %s twice", p.Code)
		}
		persons[p.Code] = true
		if _, ok := unitsSeen[p.UnitCode]; !ok {
			t.Errorf("person %s: unit %q unknown", p.Code, p.UnitCode)
		}
		isPost := false
		for _, w := range postWords {
			isPost = isPost || strings.Contains(p.Name, w)
		}
		if !isPost || p.Title == "" {
			t.Errorf("person %s: name %q title %q must be a post", p.Code, p.Name, p.Title)
		}
	}

	zonesSeen := map[string]Zone{}
	for _, z := range d.Zones {
		if _, dup := zonesSeen[z.Code]; dup {
			t.Errorf("zone code %s twice", z.Code)
		}
		switch z.Kind {
		case "zone", "area", "grid":
		default:
			t.Errorf("zone %s: kind %q", z.Code, z.Kind)
		}
		if z.ParentCode != "" {
			if _, ok := zonesSeen[z.ParentCode]; !ok {
				t.Errorf("zone %s: parent %q unknown or listed after it", z.Code, z.ParentCode)
			}
		}
		if !persons[z.CommanderCode] {
			t.Errorf("zone %s: commander %q unknown", z.Code, z.CommanderCode)
		}
		zonesSeen[z.Code] = z
	}
	for _, c := range []string{"XFXC", "HSSJ", "ZFXJ"} {
		if z, ok := zonesSeen[c]; !ok || z.Kind != "zone" {
			t.Errorf("war zone %s missing", c)
		}
	}
	grids := 0
	for _, z := range d.Zones {
		if z.Kind == "grid" && z.ParentCode != "" {
			grids++
		}
	}
	if grids < 2 {
		t.Errorf("grids under a zone: %d, want at least 2", grids)
	}

	seen := map[string]Item{}
	for _, it := range d.Items {
		if _, dup := seen[it.Code]; dup {
			t.Errorf("item code %s twice", it.Code)
		}
		switch it.Type {
		case "reform_task", "key_project", "livelihood_project", "special_action":
		default:
			t.Errorf("%s: type %q", it.Code, it.Type)
		}
		switch it.State {
		case "planned", "in_progress", "completed", "suspended":
		default:
			t.Errorf("%s: state %q", it.Code, it.State)
		}
		if it.Name == "" || it.WorkPlan == "" || it.Note == "" {
			t.Errorf("%s: name, work plan and note are required", it.Code)
		}
		if it.LeaderCode == "" || !persons[it.LeaderCode] {
			t.Errorf("%s: leader %q missing or unknown", it.Code, it.LeaderCode)
		}
		if _, ok := unitsSeen[it.LeadUnitCode]; !ok {
			t.Errorf("%s: lead unit %q missing or unknown", it.Code, it.LeadUnitCode)
		}
		for _, c := range it.CoUnitCodes {
			if _, ok := unitsSeen[c]; !ok {
				t.Errorf("%s: co-unit %q unknown", it.Code, c)
			}
			if c == it.LeadUnitCode {
				t.Errorf("%s: lead unit %s is also a co-unit", it.Code, c)
			}
		}
		if it.ZoneCode != "" {
			if _, ok := zonesSeen[it.ZoneCode]; !ok {
				t.Errorf("%s: zone %q unknown", it.Code, it.ZoneCode)
			}
		}
		if it.ParentCode != "" {
			p, ok := seen[it.ParentCode]
			if !ok {
				t.Errorf("%s: parent %q unknown or listed after it", it.Code, it.ParentCode)
			} else if p.Type == "key_project" || it.Type == "key_project" {
				t.Errorf("%s: sub-items and their parents must not be key projects", it.Code)
			}
		}
		if it.Illustrative != strings.Contains(it.Name, "（示意）") {
			t.Errorf("%s %q: Illustrative=%v but a placeholder name carries （示意） and only then",
				it.Code, it.Name, it.Illustrative)
		}
		seen[it.Code] = it
	}

	for _, a := range d.Accounts {
		if _, ok := unitsSeen[a.UnitCode]; !ok {
			t.Errorf("account %s: unit %q unknown", a.Username, a.UnitCode)
		}
		if a.PersonCode != "" && !persons[a.PersonCode] {
			t.Errorf("account %s: person %q unknown", a.Username, a.PersonCode)
		}
	}
}

func TestAccounts(t *testing.T) {
	d := Data()
	want := map[string]struct{ role, unit string }{
		"admin":     {"admin", ""},
		"duchashi":  {"supervisor", "DCS"},
		"quzhang":   {"leader", ""},
		"zhujianju": {"reporter", "ZJJ"},
		"zhuanyuan": {"commissioner", "SWJ"},
		"tongjiju":  {"statistician", "TJJ"},
		"viewer":    {"viewer", ""},
	}
	roles := map[string]int{}
	for _, a := range d.Accounts {
		w, ok := want[a.Username]
		if !ok {
			t.Errorf("unexpected account %s", a.Username)
			continue
		}
		roles[a.Role]++
		if a.Role != w.role || (w.unit != "" && a.UnitCode != w.unit) {
			t.Errorf("account %s: role %s unit %s, want %s %s", a.Username, a.Role, a.UnitCode, w.role, w.unit)
		}
		if a.Password != "Gongjian@2022" || a.DisplayName == "" {
			t.Errorf("account %s: password or display name", a.Username)
		}
	}
	for _, w := range want {
		if roles[w.role] != 1 {
			t.Errorf("role %s: %d accounts, want 1", w.role, roles[w.role])
		}
	}
	led, byZJJ := 0, 0
	for _, a := range d.Accounts {
		for _, it := range d.Items {
			if a.Username == "quzhang" && it.LeaderCode == a.PersonCode {
				led++
			}
			if a.Username == "zhujianju" && it.LeadUnitCode == a.UnitCode {
				byZJJ++
			}
		}
	}
	if led < 3 {
		t.Errorf("quzhang leads %d items, want several", led)
	}
	if byZJJ < 3 {
		t.Errorf("区住建局 leads %d items, want several", byZJJ)
	}
}

// Every date parses, and dates are plausible: item start <= end; milestones and
// targets fall within their item; nothing is reached after the campaign year;
// sub-items fall within their programme.
func TestDates(t *testing.T) {
	d := Data()
	lo, hi := parseDate(t, "lo", "2015-01-01"), parseDate(t, "hi", "2027-12-31")
	yearEnd := parseDate(t, "campaign end", d.Campaign.End)
	if parseDate(t, "campaign start", d.Campaign.Start).After(yearEnd) {
		t.Error("campaign start after end")
	}
	in := func(what string, x time.Time) {
		if x.Before(lo) || x.After(hi) {
			t.Errorf("%s: %s outside 2015–2027", what, x.Format(time.DateOnly))
		}
	}
	byCode := itemsByCode(d)
	for _, it := range d.Items {
		s := parseDate(t, it.Code+" start", it.Start)
		e := parseDate(t, it.Code+" end", it.End)
		in(it.Code+" start", s)
		in(it.Code+" end", e)
		if s.After(e) {
			t.Errorf("%s: start %s after end %s", it.Code, it.Start, it.End)
		}
		if it.ParentCode != "" {
			p := byCode[it.ParentCode]
			if it.Start < p.Start || it.End > p.End {
				t.Errorf("%s: %s–%s outside its programme %s %s–%s", it.Code, it.Start, it.End, p.Code, p.Start, p.End)
			}
		}
		for _, m := range it.Milestones {
			what := it.Code + " milestone " + m.Name
			switch m.Kind {
			case "relocation_cleared", "construction_started", "completed", "opened", "delivered", "other":
			default:
				t.Errorf("%s: kind %q", what, m.Kind)
			}
			pl := parseDate(t, what, m.PlannedDate)
			if pl.Before(s) || pl.After(e) {
				t.Errorf("%s: planned %s outside item %s–%s", what, m.PlannedDate, it.Start, it.End)
			}
			if m.ActualDate != "" {
				ac := parseDate(t, what, m.ActualDate)
				if ac.Before(s) || ac.After(yearEnd) {
					t.Errorf("%s: actual %s before the item's start or after the campaign year", what, m.ActualDate)
				}
			}
		}
		for _, tg := range it.Targets {
			what := it.Code + " target " + tg.Name
			dl := parseDate(t, what, tg.Deadline)
			if dl.Before(s) || dl.After(e) {
				t.Errorf("%s: deadline %s outside item %s–%s", what, tg.Deadline, it.Start, it.End)
			}
			if tg.Unit == "" || tg.Value <= tg.Baseline {
				t.Errorf("%s: unit %q, baseline %.0f, value %.0f", what, tg.Unit, tg.Baseline, tg.Value)
			}
			if tg.Direction != "higher" && tg.Direction != "lower" {
				t.Errorf("%s: direction %q", what, tg.Direction)
			}
		}
	}
}
