package importer_test

import (
	"bytes"
	"testing"

	"gongjian/internal/date"
)

// leadRow is a row of the leads template: code, investor, project, sector,
// amount, source, unit, top500, stage, the five stage dates, drop reason,
// leader, key project code, note.
func leadRow(code, amount, stage string, dates ...string) []any {
	row := []any{code, "导入测试投资方" + code, "导入测试项目" + code, "高端装备", amount, "以商招商", "区商务局", "否", stage, "", "", "", "", "", "", "", "", ""}
	for i, d := range dates {
		row[9+i] = d
	}
	return row
}

func TestImportLeadsFollowsTheStageRules(t *testing.T) {
	eachEngine(t, func(t *testing.T, x *fx) {
		_, dict := x.template("leads")
		leader := dict["责任领导"][0]
		rows := [][]any{
			leadRow("ZS-T1", "12亿元", "签约", "2022/3/1", "2022年6月18日"),
			leadRow("ZS-T2", "8,000", "", "2022-04-01"),
		}
		data := x.fill("leads", rows)
		res, err := x.imp.ImportLeads(x.ctx, 0, bytes.NewReader(data), true)
		counts(t, "dry run", res, err, 2, 0, 0)
		if x.count("investment_leads") != 0 {
			t.Fatal("the dry run wrote leads")
		}
		res, err = x.imp.ImportLeads(x.ctx, 0, bytes.NewReader(data), false)
		counts(t, "commit", res, err, 2, 0, 0)
		l1, err := x.ent.LeadByCode(x.ctx, "ZS-T1")
		if err != nil || l1.AmountWan != 120000 || !l1.AboveBillion || l1.Stage != "signed" || l1.NegotiatingOn != date.MustParse("2022-03-01") ||
			l1.SignedOn != date.MustParse("2022-06-18") || l1.OwnerUnitName != "区商务局" {
			t.Fatalf("ZS-T1 %+v %v", l1, err)
		}
		if l2, _ := x.ent.LeadByCode(x.ctx, "ZS-T2"); l2.Stage != "negotiating" || l2.AmountWan != 8000 {
			t.Fatalf("ZS-T2 %+v", l2)
		}
		res, err = x.imp.ImportLeads(x.ctx, 0, bytes.NewReader(data), false)
		counts(t, "re-import", res, err, 0, 0, 2)

		// Skipping a stage, going back, and a date before the previous stage's:
		// three row errors, nothing applied.
		bad := [][]any{
			leadRow("ZS-T1", "12亿元", "洽谈"),
			leadRow("ZS-T2", "8,000", "注册落地", "2022-04-01", "", "2022-07-01"),
			leadRow("ZS-T3", "500", "签约", "2022-05-01", "2022-04-01"),
		}
		res, err = x.imp.ImportLeads(x.ctx, 0, bytes.NewReader(x.fill("leads", bad)), false)
		refused(t, res, err, map[int]string{
			3: "阶段（I列）|当前为“签约”阶段，不能退回“洽谈”",
			4: "签约日期（K列）|不能跳过“签约”直接进入“注册落地”",
			5: "签约日期（K列）|签约日期不能早于洽谈日期",
		})
		if x.count("investment_leads") != 2 {
			t.Error("a refused import wrote a lead")
		}

		// Stage by stage with every date: to construction, which makes the
		// lead a key project of the campaign with the row's leader.
		rows[0] = leadRow("ZS-T1", "12亿元", "开工", "2022/3/1", "2022年6月18日", "2022-07-01", "2022-08-15")
		rows[0][15] = leader
		rows[1] = leadRow("ZS-T2", "8,000", "签约", "2022-04-01", "2022-05-01")
		res, err = x.imp.ImportLeads(x.ctx, 0, bytes.NewReader(x.fill("leads", rows)), false)
		counts(t, "advance", res, err, 0, 2, 0)
		l1, _ = x.ent.LeadByCode(x.ctx, "ZS-T1")
		if l1.Stage != "started" || l1.RegisteredOn != date.MustParse("2022-07-01") || l1.StartedOn != date.MustParse("2022-08-15") || l1.ItemCode != "ZS-T1" {
			t.Errorf("ZS-T1 after advancing %+v", l1)
		}
		var leaderName string
		if err := x.db.Read().QueryRow(x.ctx, `SELECT p.name FROM items i JOIN persons p ON p.id = i.leader_id WHERE i.code = 'ZS-T1' AND i.campaign_id = ?`,
			x.camp).Scan(&leaderName); err != nil || leaderName != leader {
			t.Errorf("key project leader %q %v", leaderName, err)
		}
		// A recorded stage date cannot be rewritten by an import.
		rows[1][10] = "2022-05-02"
		res, err = x.imp.ImportLeads(x.ctx, 0, bytes.NewReader(x.fill("leads", rows)), false)
		refused(t, res, err, map[int]string{4: "签约日期（K列）|签约日期已登记为 2022-05-01"})
	})
}
