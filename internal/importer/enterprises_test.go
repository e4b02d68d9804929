package importer_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"gongjian/internal/importer"
)

func TestEnterpriseTemplateHasTheDistrictsDictionary(t *testing.T) {
	eachEngine(t, func(t *testing.T, x *fx) {
		f, dict := x.template("enterprises")
		if got := f.GetSheetList(); !slices.Equal(got, []string{"企业", "字典", "说明"}) {
			t.Errorf("sheets %v", got)
		}
		if visible, _ := f.GetSheetVisible("字典"); visible {
			t.Error("the dictionary sheet is visible")
		}
		// The 12 streets of 芝罘区 feed the 街道 dropdown; demo persons the 服务专员 one.
		if len(dict["街道"]) != 12 || !slices.Contains(dict["街道"], "向阳街道") || !slices.Contains(dict["街道"], "芝罘岛街道") {
			t.Errorf("streets %v", dict["街道"])
		}
		if len(dict["服务专员"]) == 0 || !slices.Equal(dict["五百强"], []string{"世界500强", "中国500强", "民营500强", "否"}) ||
			!slices.Equal(dict["白名单"], []string{"是", "否"}) {
			t.Errorf("dictionary %v", dict)
		}
		head, _ := f.GetRows("企业")
		if len(head) < 2 || head[1][0] != "*统一社会信用代码" || head[1][1] != "*企业名称" || head[1][2] != "注册资本（万元）" {
			t.Errorf("header %v", head)
		}
		_, vdict := x.template("visits")
		if !slices.Contains(vdict["承办单位"], "区住建局") {
			t.Errorf("visit template units %v", vdict["承办单位"])
		}
		_, ldict := x.template("leads")
		if !slices.Equal(ldict["阶段"], []string{"洽谈", "签约", "注册落地", "开工", "投产", "终止"}) {
			t.Errorf("lead stages %v", ldict["阶段"])
		}
		_, cdict := x.template("cases")
		if !slices.Equal(cdict["类型"], []string{"问题", "批示", "企业诉求", "一窗受理", "会议议定事项"}) || !slices.Contains(cdict["承办单位"], "区住建局") {
			t.Errorf("case dictionary %v", cdict)
		}
	})
}

func TestImportEnterprises(t *testing.T) {
	eachEngine(t, func(t *testing.T, x *fx) {
		_, dict := x.template("enterprises")
		person := dict["服务专员"][0]
		a, b := code(t, 1), code(t, 2)
		rows := [][]any{
			{a, "导入测试甲公司", "1.2亿元", "新一代信息技术", "向阳街道", "南大街1号", "是", "世界500强", "否", person, "", "甲"},
			// full-width digits and a thousands separator; the code in lower case
			{strings.ToLower(b), "导入测试乙公司", "３,０００", "食品", "", "", "", "", "是", "", "", ""},
		}
		data := x.fill("enterprises", rows)
		before := x.count("enterprises")
		res, err := x.imp.ImportEnterprises(x.ctx, bytes.NewReader(data), true)
		counts(t, "dry run", res, err, 2, 0, 0)
		if n := x.count("enterprises"); n != before {
			t.Fatalf("the dry run wrote %d enterprises", n-before)
		}
		res, err = x.imp.ImportEnterprises(x.ctx, bytes.NewReader(data), false)
		counts(t, "commit", res, err, 2, 0, 0)
		ea, err := x.ent.EnterpriseByCode(x.ctx, a)
		if err != nil || ea.RegisteredCapitalWan != 12000 || !ea.WhiteList || ea.Top500 != "world" || ea.AboveScale || ea.Street != "向阳街道" ||
			ea.CommissionerName != person || ea.Note != "甲" {
			t.Errorf("甲: %+v %v", ea, err)
		}
		eb, err := x.ent.EnterpriseByCode(x.ctx, b)
		if err != nil || eb.RegisteredCapitalWan != 3000 || !eb.AboveScale || eb.Top500 != "" || eb.CreditCode != b {
			t.Errorf("乙: %+v %v", eb, err)
		}

		res, err = x.imp.ImportEnterprises(x.ctx, bytes.NewReader(data), false)
		counts(t, "re-import", res, err, 0, 0, 2)

		rows[1][3] = "食品加工"
		rows = append(rows, []any{code(t, 3), "导入测试丙公司", "", "", "", "", "", "", "", "", "", ""})
		res, err = x.imp.ImportEnterprises(x.ctx, bytes.NewReader(x.fill("enterprises", rows)), true)
		counts(t, "dry run of a change", res, err, 1, 1, 1)

		// A wrong check character: the row and column are named, nothing is applied.
		bad := a[:17] + string("0123456789ABCDEFGHJKLMNPQRTUWXY"[(strings.IndexByte("0123456789ABCDEFGHJKLMNPQRTUWXY", a[17])+1)%31])
		rows = [][]any{
			{code(t, 4), "导入测试丁公司", "100", "", "", "", "", "", "", "", "", ""},
			{bad, "导入测试错码公司", "100", "", "", "", "", "", "", "", "", ""},
		}
		data = x.fill("enterprises", rows)
		before = x.count("enterprises")
		res, err = x.imp.ImportEnterprises(x.ctx, bytes.NewReader(data), false)
		if !errors.Is(err, importer.ErrProblems) || len(res.Problems) != 1 {
			t.Fatalf("bad code: %+v %v", res, err)
		}
		p := res.Problems[0]
		want := "统一社会信用代码有误：第18位校验码应为" + a[17:]
		if p.Sheet != "企业" || p.Row != 4 || p.Column != "统一社会信用代码（A列）" || p.Value != bad || p.Message != want {
			t.Errorf("problem %+v, want row 4, column A, message %q", p, want)
		}
		if n := x.count("enterprises"); n != before {
			t.Errorf("a refused import wrote %d enterprises", n-before)
		}
		if _, err := x.ent.EnterpriseByCode(x.ctx, code(t, 4)); err == nil {
			t.Error("the good row of a refused import was applied")
		}
	})
}
