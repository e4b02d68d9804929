package api_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"gongjian/internal/progress"
)

// A save and each state change answer with the report exactly as it is then
// stored: what the unit sees after 保存 or 报送 is what a later GET, the
// revision history and the audit trail show, values in their targets' order
// (deadline, then id) whatever order they were sent in.
func TestReportAnswerIsWhatIsStored(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		rep, sup := e.login("zhujianju"), e.login("duchashi")
		var tasks struct {
			Tasks []struct {
				ItemID int64 `json:"item_id"`
			} `json:"tasks"`
		}
		rep.do("GET", "/api/v1/tasks?campaign_id=1&period=2022-12", nil).status(200).json(&tasks)
		item := tasks.Tasks[0].ItemID
		path := fmt.Sprintf("/api/v1/items/%d/targets", item)
		// Two targets of this item, due on different days, created here so
		// that the expected order is known by hand: the later one first by id.
		var late, early struct {
			ID int64 `json:"id"`
		}
		sup.do("POST", path, map[string]any{"name": "主体完工面积", "unit": "平方米", "value": 5000, "deadline": "2022-12-31"}).status(201).json(&late)
		sup.do("POST", path, map[string]any{"name": "拆迁户数", "unit": "户", "value": 40, "deadline": "2022-10-31"}).status(201).json(&early)
		var ms struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/items/%d/milestones", item), nil).status(200).json(&ms)
		body := map[string]any{"narrative": "  12月完成主体施工。  ", "problems": "雨季影响", "next_steps": "竣工验收",
			"investment_completed_wan": 1234.56789,
			"values":                   []map[string]any{{"target_id": late.ID, "value": 4200.5}, {"target_id": early.ID, "value": 38}}}
		if len(ms.Items) > 0 {
			body["milestones"] = []map[string]any{{"milestone_id": ms.Items[0].ID, "actual_date": "2022-12-20"}}
		}

		var saved progress.Report
		rep.do("PUT", fmt.Sprintf("/api/v1/items/%d/reports/2022-12", item), body, ver(0)...).status(200).json(&saved)
		// Hand-checked: a new report is revision 1 at version 2 (it is created
		// at 1 and saved once), its text trimmed, its investment kept to the yuan.
		if saved.Revision != 1 || saved.Version != 2 || saved.State != "draft" || saved.Narrative != "12月完成主体施工。" {
			t.Errorf("saved: revision %d version %d state %s narrative %q", saved.Revision, saved.Version, saved.State, saved.Narrative)
		}
		if saved.InvestmentCompletedWan == nil || *saved.InvestmentCompletedWan != 1234.5679 {
			t.Errorf("investment %v, want 1234.5679 万元 (12,345,679 元)", saved.InvestmentCompletedWan)
		}
		want := []progress.TargetValue{{TargetID: early.ID, Name: "拆迁户数", Unit: "户", Value: 38}, {TargetID: late.ID, Name: "主体完工面积", Unit: "平方米", Value: 4200.5}}
		if !slices.Equal(saved.Values, want) {
			t.Errorf("values %+v, want %+v", saved.Values, want)
		}
		sameAsStored(t, sup, saved)

		// Saved again with one value: the other is gone.
		body["values"] = []map[string]any{{"target_id": late.ID, "value": 4300}}
		rep.do("PUT", fmt.Sprintf("/api/v1/items/%d/reports/2022-12", item), body, ver(saved.Version)...).status(200).json(&saved)
		if saved.Revision != 2 || saved.Version != 3 || len(saved.Values) != 1 || saved.Values[0].Value != 4300 {
			t.Errorf("saved again: revision %d version %d values %+v", saved.Revision, saved.Version, saved.Values)
		}
		sameAsStored(t, sup, saved)

		var sub progress.Report
		rep.do("POST", fmt.Sprintf("/api/v1/reports/%d/submit", saved.ID), nil, ver(saved.Version)...).status(200).json(&sub)
		if sub.State != "submitted" || sub.Revision != 3 || sub.Version != 4 || sub.SubmittedAt == nil || !sub.Late {
			t.Errorf("submitted: state %s revision %d version %d submitted_at %v late %v", sub.State, sub.Revision, sub.Version, sub.SubmittedAt, sub.Late)
		}
		sameAsStored(t, sup, sub)
		var ret progress.Report
		sup.do("POST", fmt.Sprintf("/api/v1/reports/%d/return", sub.ID), map[string]string{"reason": "请补充照片"}, ver(sub.Version)...).status(200).json(&ret)
		if ret.State != "returned" || ret.ReturnReason != "请补充照片" || ret.ReviewedAt == nil || ret.Version != 5 {
			t.Errorf("returned: %+v", ret)
		}
		sameAsStored(t, sup, ret)
		// A stale If-Match is refused and changes nothing.
		rep.do("POST", fmt.Sprintf("/api/v1/reports/%d/submit", sub.ID), nil, ver(sub.Version)...).status(412)
		rep.do("POST", fmt.Sprintf("/api/v1/reports/%d/submit", sub.ID), nil, ver(ret.Version)...).status(200).json(&sub)
		if sub.ReturnReason != "" || sub.Version != 6 {
			t.Errorf("resubmitted: return reason %q version %d", sub.ReturnReason, sub.Version)
		}
		sameAsStored(t, sup, sub)
		var acc progress.Report
		sup.do("POST", fmt.Sprintf("/api/v1/reports/%d/accept", sub.ID), nil, ver(sub.Version)...).status(200).json(&acc)
		sameAsStored(t, sup, acc)
		if v := sup.do("GET", "/api/v1/audit/verify", nil).status(200).obj(); v["ok"] != true {
			t.Errorf("audit: %v", v)
		}
	})
}

// sameAsStored checks that got, a report as an answer gave it, is what GET
// gives now, what its last revision holds and what its last audit record
// holds as "after".
func sameAsStored(t *testing.T, c *client, got progress.Report) {
	t.Helper()
	var stored progress.Report
	c.do("GET", fmt.Sprintf("/api/v1/reports/%d", got.ID), nil).status(200).json(&stored)
	if a, b := canonical(got), canonical(stored); a != b {
		t.Errorf("answer and stored report differ:\nanswer %s\nstored %s", a, b)
	}
	var revs struct {
		Items []progress.Revision `json:"items"`
	}
	c.do("GET", fmt.Sprintf("/api/v1/reports/%d/revisions", got.ID), nil).status(200).json(&revs)
	last := revs.Items[len(revs.Items)-1]
	if last.Revision != got.Revision {
		t.Errorf("last revision %d, answer's %d", last.Revision, got.Revision)
	}
	if a, b := canonical(got), canonical(last.Report); a != b {
		t.Errorf("answer and revision %d differ:\nanswer   %s\nrevision %s", last.Revision, a, b)
	}
	var trail struct {
		Items []struct {
			After string `json:"after"`
		} `json:"items"`
	}
	c.do("GET", fmt.Sprintf("/api/v1/audit?entity=report&entity_id=%d&page_size=1", got.ID), nil).status(200).json(&trail)
	var after progress.Report
	if err := json.Unmarshal([]byte(trail.Items[0].After), &after); err != nil {
		t.Fatalf("audit after: %v", err)
	}
	if a, b := canonical(got), canonical(after); a != b {
		t.Errorf("answer and audit record differ:\nanswer %s\naudit  %s", a, b)
	}
}

// canonical is r as JSON with its times in UTC (an engine may give them in
// another zone: the same instant).
func canonical(r progress.Report) string {
	utc := func(t *time.Time) {
		if t != nil {
			*t = t.UTC()
		}
	}
	r.UpdatedAt = r.UpdatedAt.UTC()
	utc(r.SubmittedAt)
	utc(r.ReviewedAt)
	b, _ := json.Marshal(r)
	return string(b)
}
