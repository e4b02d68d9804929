package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"gongjian/internal/progress"
)

// submitFixture is an item of 住建局's with two targets and a milestone made
// for the test, so that their actuals are known by hand.
type submitFixture struct {
	rep, sup           *client
	item               int64
	early, late        int64 // targets: 拆迁户数 (due 2022-10-31), 主体完工面积 (due 2022-12-31)
	milestone          int64
	path, submit, list string
}

func newSubmitFixture(t *testing.T, e *env) submitFixture {
	t.Helper()
	f := submitFixture{rep: e.login("zhujianju"), sup: e.login("duchashi")}
	f.item = decemberTasks(f.rep)[0].ItemID
	var tg struct {
		ID int64 `json:"id"`
	}
	tpath := fmt.Sprintf("/api/v1/items/%d/targets", f.item)
	f.sup.do("POST", tpath, map[string]any{"name": "主体完工面积", "unit": "平方米", "value": 5000, "deadline": "2022-12-31"}).status(201).json(&tg)
	f.late = tg.ID
	f.sup.do("POST", tpath, map[string]any{"name": "拆迁户数", "unit": "户", "value": 40, "deadline": "2022-10-31"}).status(201).json(&tg)
	f.early = tg.ID
	f.sup.do("POST", fmt.Sprintf("/api/v1/items/%d/milestones", f.item),
		map[string]any{"name": "主体竣工", "kind": "completed", "planned_date": "2022-12-25"}).status(201).json(&tg)
	f.milestone = tg.ID
	f.path = fmt.Sprintf("/api/v1/items/%d/reports/2022-12", f.item)
	f.submit = f.path + "/submit"
	f.list = fmt.Sprintf("/api/v1/reports?item_id=%d&period=2022-12", f.item)
	return f
}

type taskRow struct {
	ItemID       int64  `json:"item_id"`
	LeadUnitName string `json:"lead_unit_name"`
	Status       string `json:"status"`
}

// decemberTasks is c's reporting to-do list of December 2022.
func decemberTasks(c *client) []taskRow {
	var l struct {
		Tasks []taskRow `json:"tasks"`
	}
	c.do("GET", "/api/v1/tasks?campaign_id=1&period=2022-12", nil).status(200).json(&l)
	return l.Tasks
}

func (f submitFixture) body(narrative string) map[string]any {
	return map[string]any{"narrative": narrative, "problems": "雨季影响", "next_steps": "竣工验收", "investment_completed_wan": 1500,
		"values":     []map[string]any{{"target_id": f.late, "value": 4200.5}, {"target_id": f.early, "value": 38}},
		"milestones": []map[string]any{{"milestone_id": f.milestone, "actual_date": "2022-12-20"}}}
}

// state is what a "nothing written" check compares: the period's reports,
// and the report's revisions and audit records when there is one.
func (f submitFixture) state(id int64) string {
	s := string(f.sup.do("GET", f.list, nil).status(200).body)
	if id != 0 {
		s += string(f.sup.do("GET", fmt.Sprintf("/api/v1/reports/%d/revisions", id), nil).status(200).body)
		s += string(f.sup.do("GET", fmt.Sprintf("/api/v1/audit?entity=report&entity_id=%d&page_size=100", id), nil).status(200).body)
	}
	return s + string(f.sup.do("GET", fmt.Sprintf("/api/v1/lights?campaign_id=1&item_id=%d&as_of=2022-12-31", f.item), nil).status(200).body)
}

type revisionRow struct {
	Revision int    `json:"revision"`
	State    string `json:"state"`
	Note     string `json:"note"`
}

func (f submitFixture) revisions(t *testing.T, id int64) []revisionRow {
	t.Helper()
	var revs struct {
		Items []revisionRow `json:"items"`
	}
	f.sup.do("GET", fmt.Sprintf("/api/v1/reports/%d/revisions", id), nil).status(200).json(&revs)
	return revs.Items
}

func (f submitFixture) auditActions(id int64) []string {
	var trail struct {
		Items []struct {
			Action string `json:"action"`
		} `json:"items"`
	}
	f.sup.do("GET", fmt.Sprintf("/api/v1/audit?entity=report&entity_id=%d&page_size=100", id), nil).status(200).json(&trail)
	var out []string
	for _, a := range trail.Items {
		out = append(out, a.Action)
	}
	slices.Reverse(out) // oldest first
	return out
}

// 报送 of a form never saved: one request creates the report already
// submitted, with its values as the targets' actuals, its investment and
// its milestone reached; one revision (报送) and one audit record.
func TestSubmitReportInOneRequest(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := newSubmitFixture(t, e)
		var r progress.Report
		f.rep.do("POST", f.submit, f.body("  12月完成主体施工。 "), ver(0)...).status(200).json(&r)
		// Hand-checked: a new report is revision 1 at version 2, as a first
		// save is; a December 2022 report filed today is late.
		if r.State != "submitted" || r.Revision != 1 || r.Version != 2 || r.SubmittedAt == nil || !r.Late || r.Narrative != "12月完成主体施工。" {
			t.Errorf("submitted: state %s revision %d version %d submitted_at %v late %v narrative %q",
				r.State, r.Revision, r.Version, r.SubmittedAt, r.Late, r.Narrative)
		}
		want := []progress.TargetValue{{TargetID: f.early, Name: "拆迁户数", Unit: "户", Value: 38}, {TargetID: f.late, Name: "主体完工面积", Unit: "平方米", Value: 4200.5}}
		if !slices.Equal(r.Values, want) {
			t.Errorf("values %+v, want %+v", r.Values, want)
		}
		sameAsStored(t, f.sup, r)
		if revs := f.revisions(t, r.ID); !slices.Equal(revs, []revisionRow{{1, "submitted", "报送"}}) {
			t.Errorf("revisions %+v, want one: 1 submitted 报送", revs)
		}
		if a := f.auditActions(r.ID); !slices.Equal(a, []string{"submitted"}) {
			t.Errorf("audit actions %v, want [submitted]", a)
		}

		// The values are the targets' actuals now, the investment the item's.
		var ls struct {
			Items []struct {
				InvestmentCompletedWan *float64 `json:"investment_completed_wan"`
				Targets                []struct {
					TargetID int64    `json:"target_id"`
					Actual   *float64 `json:"actual"`
				} `json:"targets"`
			} `json:"items"`
		}
		f.sup.do("GET", fmt.Sprintf("/api/v1/lights?campaign_id=1&item_id=%d", f.item), nil).status(200).json(&ls)
		actual := map[int64]float64{}
		for _, tg := range ls.Items[0].Targets {
			if tg.Actual != nil {
				actual[tg.TargetID] = *tg.Actual
			}
		}
		if actual[f.early] != 38 || actual[f.late] != 4200.5 {
			t.Errorf("actuals %v, want %d: 38 and %d: 4200.5", actual, f.early, f.late)
		}
		if inv := ls.Items[0].InvestmentCompletedWan; inv == nil || *inv != 1500 {
			t.Errorf("investment completed %v, want 1500 万元", inv)
		}
		var ms struct {
			Items []struct {
				ID         int64   `json:"id"`
				ActualDate *string `json:"actual_date"`
			} `json:"items"`
		}
		f.sup.do("GET", fmt.Sprintf("/api/v1/items/%d/milestones", f.item), nil).status(200).json(&ms)
		for _, m := range ms.Items {
			if m.ID == f.milestone && (m.ActualDate == nil || *m.ActualDate != "2022-12-20") {
				t.Errorf("milestone reached on %v, want 2022-12-20", m.ActualDate)
			}
		}
		for _, tk := range decemberTasks(f.rep) {
			if tk.ItemID == f.item && tk.Status != "submitted" {
				t.Errorf("task status %s, want submitted", tk.Status)
			}
		}
		// The supervisor reviews it as any submitted report.
		f.sup.do("POST", fmt.Sprintf("/api/v1/reports/%d/accept", r.ID), nil, ver(r.Version)...).status(200)
		if v := f.sup.do("GET", "/api/v1/audit/verify", nil).status(200).obj(); v["ok"] != true {
			t.Errorf("audit: %v", v)
		}
	})
}

// 报送 of a changed draft, and of a returned report corrected: one request
// each, after the draft's own revisions.
func TestSubmitReportOverADraftAndAReturn(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := newSubmitFixture(t, e)
		var r progress.Report
		f.rep.do("PUT", f.path, map[string]any{"narrative": "初稿"}, ver(0)...).status(200).json(&r)
		f.rep.do("POST", f.submit, f.body("12月完成主体施工。"), ver(r.Version)...).status(200).json(&r)
		if r.State != "submitted" || r.Revision != 2 || r.Version != 3 || r.Narrative != "12月完成主体施工。" || len(r.Values) != 2 {
			t.Errorf("submitted: state %s revision %d version %d narrative %q values %+v", r.State, r.Revision, r.Version, r.Narrative, r.Values)
		}
		sameAsStored(t, f.sup, r)
		f.sup.do("POST", fmt.Sprintf("/api/v1/reports/%d/return", r.ID), map[string]string{"reason": "请补充拆迁户数"}, ver(r.Version)...).status(200).json(&r)
		b := f.body("12月完成主体施工，拆迁40户。")
		b["values"] = []map[string]any{{"target_id": f.early, "value": 40}}
		f.rep.do("POST", f.submit, b, ver(r.Version)...).status(200).json(&r)
		if r.State != "submitted" || r.ReturnReason != "" || r.Revision != 4 || r.Version != 5 || len(r.Values) != 1 || r.Values[0].Value != 40 {
			t.Errorf("resubmitted: %+v", r)
		}
		sameAsStored(t, f.sup, r)
		want := []revisionRow{{1, "draft", "保存草稿"}, {2, "submitted", "报送"}, {3, "returned", "退回"}, {4, "submitted", "报送"}}
		if revs := f.revisions(t, r.ID); !slices.Equal(revs, want) {
			t.Errorf("revisions %+v, want %+v", revs, want)
		}
		if a := f.auditActions(r.ID); !slices.Equal(a, []string{"create", "submitted", "returned", "submitted"}) {
			t.Errorf("audit actions %v", a)
		}
	})
}

// All or nothing: a stale If-Match, a missing narrative, a value of another
// item's target, a reporter of another unit, a viewer: refused, nothing
// written.
func TestSubmitReportRefusedWritesNothing(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := newSubmitFixture(t, e)

		// A new report: If-Match must be "0".
		before := f.state(0)
		f.rep.do("POST", f.submit, f.body("12月完成主体施工。"), ver(3)...).status(http.StatusPreconditionFailed)
		// No narrative: 422 naming the field, beside the input's own problems.
		b := f.body("  ")
		b["values"] = []map[string]any{{"target_id": 999999, "value": 1}}
		p := f.rep.do("POST", f.submit, b, ver(0)...).status(422).problem()
		if fs := p.fields(); !slices.Contains(fs, "narrative") || !slices.Contains(fs, "values[0].target_id") {
			t.Errorf("fields %v, want narrative and values[0].target_id", fs)
		}
		if after := f.state(0); after != before {
			t.Errorf("a refused submit wrote:\nbefore %s\nafter  %s", before, after)
		}

		// A draft on record.
		var r progress.Report
		f.rep.do("PUT", f.path, map[string]any{"narrative": "初稿"}, ver(0)...).status(200).json(&r)
		before = f.state(r.ID)
		f.rep.do("POST", f.submit, f.body("12月完成主体施工。"), ver(r.Version-1)...).status(http.StatusPreconditionFailed)
		f.rep.do("POST", f.submit, f.body(""), ver(r.Version)...).status(422)
		f.rep.do("POST", f.submit, f.body("12月完成主体施工。"), ver(r.Version)...).status(200) // the same request, right
		after := f.state(r.ID)
		if after == before {
			t.Fatal("the accepted submit changed nothing")
		}
		f.rep.do("POST", f.submit, f.body("12月完成主体施工。"), ver(r.Version)...).status(http.StatusPreconditionFailed) // now stale
		if again := f.state(r.ID); again != after {
			t.Errorf("a stale submit wrote:\nbefore %s\nafter  %s", after, again)
		}
		if revs := f.revisions(t, r.ID); len(revs) != 2 {
			t.Errorf("revisions %+v, want the draft and one 报送", revs)
		}

		// Another unit's item: the reporter of 住建局 may not report on it.
		var other int64
		for _, tk := range decemberTasks(f.sup) {
			if tk.LeadUnitName != "区住建局" {
				other = tk.ItemID
				break
			}
		}
		if other == 0 {
			t.Fatal("no item led by another unit")
		}
		otherList := fmt.Sprintf("/api/v1/reports?item_id=%d&period=2022-12", other)
		was := string(f.sup.do("GET", otherList, nil).status(200).body)
		if st := f.rep.do("POST", fmt.Sprintf("/api/v1/items/%d/reports/2022-12/submit", other), f.body("越权报送"), ver(0)...).res.StatusCode; st != 403 && st != 404 {
			t.Errorf("another unit's item: %d, want 403 or 404", st)
		}
		e.login("viewer").do("POST", fmt.Sprintf("/api/v1/items/%d/reports/2022-12/submit", other), f.body("只读"), ver(0)...).status(403)
		if now := string(f.sup.do("GET", otherList, nil).status(200).body); now != was {
			t.Errorf("another unit's item was written: %s", now)
		}
	})
}
