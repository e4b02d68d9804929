package importer_test

import (
	"bytes"
	"testing"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/enterprise"
)

func TestImportVisitsRaisesProblemsAsCases(t *testing.T) {
	eachEngine(t, func(t *testing.T, x *fx) {
		_, dict := x.template("visits")
		visitor := dict["走访人"][0]
		ent, err := x.ent.CreateEnterprise(x.ctx, enterprise.EnterpriseInput{CreditCode: code(t, 1), Name: "走访导入测试公司"})
		if err != nil {
			t.Fatal(err)
		}
		rows := [][]any{
			{"2022年9月8日", ent.Name, ent.CreditCode, visitor, "了解生产经营", "厂区道路积水；用电报装慢", "", "区住建局", ""},
			{44813, "", ent.CreditCode, visitor, "回访", "", "", "", ""}, // an Excel date serial: 2022-09-09
		}
		data := x.fill("visits", rows)
		cases, visits := x.count("cases"), x.count("enterprise_visits")
		res, err := x.imp.ImportVisits(x.ctx, bytes.NewReader(data), true)
		counts(t, "dry run", res, err, 2, 0, 0)
		if x.count("cases") != cases || x.count("enterprise_visits") != visits {
			t.Fatal("the dry run wrote")
		}
		res, err = x.imp.ImportVisits(x.ctx, bytes.NewReader(data), false)
		counts(t, "commit", res, err, 2, 0, 0)
		if n := x.count("cases") - cases; n != 2 {
			t.Fatalf("%d cases raised, want one per problem: 2", n)
		}
		vs, err := x.ent.ListVisits(x.ctx, enterprise.VisitFilter{EnterpriseID: ent.ID, Sort: "visit_date"})
		if err != nil || vs.Total != 2 {
			t.Fatalf("visits %+v %v", vs, err)
		}
		first := vs.Items[0]
		if first.VisitDate != date.MustParse("2022-09-08") || first.VisitorName != visitor || first.Notes != "了解生产经营" || len(first.Problems) != 2 ||
			first.Problems[0].Title != "厂区道路积水" || first.Problems[0].CaseID == nil || vs.Items[1].VisitDate != date.MustParse("2022-09-09") {
			t.Fatalf("visit %+v", vs.Items)
		}
		c, err := x.cases.Get(x.ctx, *first.Problems[1].CaseID)
		if err != nil || c.Type != "enterprise_request" || c.Title != "用电报装慢" || c.Units != "区住建局" || c.SourceKind != "visit" {
			t.Errorf("case of the problem %+v %v", c, err)
		}

		res, err = x.imp.ImportVisits(x.ctx, bytes.NewReader(data), false)
		counts(t, "re-import", res, err, 0, 0, 2)
		if n := x.count("cases") - cases; n != 2 {
			t.Errorf("re-import raised cases again: %d", n)
		}
		// The export's way of writing problems (with their case codes) is read back.
		rows[0][5] = "厂区道路积水（" + first.Problems[0].CaseCode + "）；用电报装慢（" + first.Problems[1].CaseCode + "）；融资渠道少"
		res, err = x.imp.ImportVisits(x.ctx, bytes.NewReader(x.fill("visits", rows)), false)
		counts(t, "one more problem", res, err, 0, 1, 1)
		if n := x.count("cases") - cases; n != 3 {
			t.Errorf("%d cases, want 3", n)
		}

		// A visit in the future, an enterprise not registered, a problem without a unit.
		future := date.Of(date.LatestToday(time.Now()).Time().AddDate(0, 0, 2)).String()
		bad := [][]any{
			{future, "", ent.CreditCode, visitor, "", "", "", "", ""},
			{"2022-09-10", "", code(t, 5), visitor, "", "", "", "", ""},
			{"2022-09-11", "", ent.CreditCode, visitor, "", "停车难", "", "", ""},
		}
		visits = x.count("enterprise_visits")
		res, err = x.imp.ImportVisits(x.ctx, bytes.NewReader(x.fill("visits", bad)), false)
		refused(t, res, err, map[int]string{3: "走访日期（A列）|走访日期不能晚于今天", 4: "统一社会信用代码（C列）|尚未登记", 5: "承办单位（H列）|请选择承办单位"})
		if x.count("enterprise_visits") != visits {
			t.Error("a refused import wrote visits")
		}
	})
}
