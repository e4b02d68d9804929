package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/progress"
)

type extensionBody struct {
	ID           int64  `json:"id"`
	ItemID       int64  `json:"item_id"`
	Kind         string `json:"kind"`
	MilestoneID  *int64 `json:"milestone_id"`
	TargetID     *int64 `json:"target_id"`
	OldDate      string `json:"old_date"`
	NewDate      string `json:"new_date"`
	State        string `json:"state"`
	Summary      string `json:"summary"`
	DecisionNote string `json:"decision_note"`
	Version      int    `json:"version"`
}

type extSubject struct {
	ID          int64  `json:"id"`
	ItemID      int64  `json:"item_id"`
	PlannedDate string `json:"planned_date"`
	ActualDate  string `json:"actual_date"`
	Deadline    string `json:"deadline"`
	Version     int    `json:"version"`
}

// later returns the day n days after d (YYYY-MM-DD).
func later(t *testing.T, d string, n int) string {
	t.Helper()
	v, err := date.Parse(d)
	if err != nil || v.IsZero() {
		t.Fatalf("date %q: %v", d, err)
	}
	return date.Of(v.Time().AddDate(0, 0, n)).String()
}

// A lead unit asks for a later date for a milestone and a target; the
// supervisor rejects or approves; approval moves the date, keeps the original
// on the request, and leaves an audit trail of both changes.
func TestDeadlineExtensions(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		rep, sup, viewer := e.login("zhujianju"), e.login("duchashi"), e.login("viewer")
		var items struct {
			Items []struct {
				ID           int64  `json:"id"`
				LeadUnitName string `json:"lead_unit_name"`
			} `json:"items"`
		}
		rep.do("GET", "/api/v1/items?page_size=500", nil).status(200).json(&items)
		var own, coop, reached extSubject
		var target extSubject
		for _, it := range items.Items {
			var ms, ts struct {
				Items []extSubject `json:"items"`
			}
			rep.do("GET", fmt.Sprintf("/api/v1/items/%d/milestones", it.ID), nil).status(200).json(&ms)
			for _, m := range ms.Items {
				switch {
				case it.LeadUnitName != "区住建局":
					if coop.ID == 0 {
						coop = m
					}
				case m.ActualDate == "" && own.ID == 0:
					own = m
				case m.ActualDate != "" && reached.ID == 0:
					reached = m
				}
			}
			if it.LeadUnitName == "区住建局" && target.ID == 0 {
				rep.do("GET", fmt.Sprintf("/api/v1/items/%d/targets", it.ID), nil).status(200).json(&ts)
				if len(ts.Items) > 0 {
					target = ts.Items[0]
				}
			}
		}
		if own.ID == 0 || coop.ID == 0 || target.ID == 0 {
			t.Fatalf("the demo lacks a milestone of 住建局 (%d), a co-operated milestone (%d) or a target of 住建局 (%d)", own.ID, coop.ID, target.ID)
		}
		newDate := later(t, own.PlannedDate, 31)
		req := map[string]any{"milestone_id": own.ID, "new_date": newDate, "reason": "征迁协议签订滞后，需顺延一个月"}

		// Who may ask: not a viewer, not a co-operating unit.
		viewer.do("POST", "/api/v1/extensions", req).status(http.StatusForbidden)
		p := rep.do("POST", "/api/v1/extensions", map[string]any{"milestone_id": coop.ID, "new_date": later(t, coop.PlannedDate, 30),
			"reason": "x"}).status(http.StatusForbidden).problem()
		if !strings.Contains(p.Detail, "配合单位") {
			t.Errorf("co-operating unit's request: %q", p.Detail)
		}
		// What may be asked: a later date, with a reason, for one milestone or target.
		p = rep.do("POST", "/api/v1/extensions", map[string]any{"milestone_id": own.ID, "new_date": later(t, own.PlannedDate, -1),
			"reason": "提前"}).status(http.StatusUnprocessableEntity).problem()
		if !slices.Contains(p.fields(), "new_date") {
			t.Errorf("earlier date: %+v", p)
		}
		p = rep.do("POST", "/api/v1/extensions", map[string]any{"milestone_id": own.ID, "new_date": own.PlannedDate,
			"reason": " "}).status(http.StatusUnprocessableEntity).problem()
		if !slices.Contains(p.fields(), "new_date") || !slices.Contains(p.fields(), "reason") {
			t.Errorf("same date, blank reason: %+v", p)
		}
		rep.do("POST", "/api/v1/extensions", map[string]any{"milestone_id": own.ID, "target_id": target.ID, "new_date": newDate,
			"reason": "x"}).status(http.StatusUnprocessableEntity)
		rep.do("POST", "/api/v1/extensions", map[string]any{"milestone_id": 99999999, "new_date": newDate, "reason": "x"}).status(http.StatusNotFound)
		if reached.ID != 0 {
			p = rep.do("POST", "/api/v1/extensions", map[string]any{"milestone_id": reached.ID, "new_date": later(t, reached.PlannedDate, 30),
				"reason": "x"}).status(http.StatusUnprocessableEntity).problem()
			if !slices.Contains(p.fields(), "milestone_id") {
				t.Errorf("reached milestone: %+v", p)
			}
		}

		var ext extensionBody
		r := rep.do("POST", "/api/v1/extensions", req).status(http.StatusCreated)
		r.json(&ext)
		if ext.State != "requested" || ext.OldDate != own.PlannedDate || ext.NewDate != newDate || ext.Kind != "milestone" ||
			ext.MilestoneID == nil || *ext.MilestoneID != own.ID || ext.ItemID != own.ItemID || r.res.Header.Get("ETag") != fmt.Sprintf(`"%d"`, ext.Version) {
			t.Errorf("request: %+v (ETag %s)", ext, r.res.Header.Get("ETag"))
		}
		// One open request per milestone.
		p = rep.do("POST", "/api/v1/extensions", req).status(http.StatusConflict).problem()
		if p.Key != "extension.open" || !strings.Contains(p.Detail, "待审批") {
			t.Errorf("second open request: %+v", p)
		}

		// Only a reviewer decides; a rejection needs a note; the version must be current.
		path := fmt.Sprintf("/api/v1/extensions/%d", ext.ID)
		rep.do("POST", path+"/approve", map[string]any{}, ver(ext.Version)...).status(http.StatusForbidden)
		p = sup.do("POST", path+"/reject", map[string]any{"note": "  "}, ver(ext.Version)...).status(http.StatusUnprocessableEntity).problem()
		if !slices.Contains(p.fields(), "note") {
			t.Errorf("reject without a note: %+v", p)
		}
		sup.do("POST", path+"/reject", nil, ver(ext.Version)...).status(http.StatusUnprocessableEntity)
		sup.do("POST", path+"/approve", map[string]any{}, ver(ext.Version+1)...).status(http.StatusPreconditionFailed)

		beforeApproval := time.Now()
		time.Sleep(10 * time.Millisecond)
		var approved extensionBody
		sup.do("POST", path+"/approve", map[string]any{"note": "同意"}, ver(ext.Version)...).status(200).json(&approved)
		time.Sleep(10 * time.Millisecond)
		afterApproval := time.Now()
		wantSummary := fmt.Sprintf("原定 %s，经批准延期至 %s", date.MustParse(own.PlannedDate).Chinese(), date.MustParse(newDate).Chinese())
		if approved.State != "approved" || approved.OldDate != own.PlannedDate || approved.NewDate != newDate ||
			approved.Summary != wantSummary || approved.DecisionNote != "同意" || approved.Version != ext.Version+1 {
			t.Errorf("approved: %+v, want summary %q", approved, wantSummary)
		}
		// Only waiting requests are decided.
		sup.do("POST", path+"/reject", map[string]any{"note": "再议"}, ver(approved.Version)...).status(http.StatusConflict)
		sup.do("POST", path+"/approve", nil, ver(approved.Version)...).status(http.StatusConflict)

		var m extSubject
		rep.do("GET", fmt.Sprintf("/api/v1/milestones/%d", own.ID), nil).status(200).json(&m)
		if m.PlannedDate != newDate || m.Version != own.Version+1 {
			t.Errorf("milestone after approval: %+v, want planned %s, version %d", m, newDate, own.Version+1)
		}
		var got extensionBody
		rep.do("GET", path, nil).status(200).json(&got)
		if got.OldDate != own.PlannedDate || got.State != "approved" {
			t.Errorf("extension read back: %+v", got)
		}

		var trail struct {
			Items []struct {
				Action string `json:"action"`
				Before string `json:"before"`
				After  string `json:"after"`
			} `json:"items"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/audit?entity=milestone&entity_id=%d", own.ID), nil).status(200).json(&trail)
		if len(trail.Items) == 0 || trail.Items[0].Action != "update" ||
			!strings.Contains(trail.Items[0].Before, `"planned_date":"`+own.PlannedDate+`"`) ||
			!strings.Contains(trail.Items[0].After, `"planned_date":"`+newDate+`"`) {
			t.Errorf("milestone audit: %+v", trail.Items)
		}
		sup.do("GET", fmt.Sprintf("/api/v1/audit?entity=deadline_extension&entity_id=%d", ext.ID), nil).status(200).json(&trail)
		var actions []string
		for _, a := range trail.Items {
			actions = append(actions, a.Action)
		}
		if !slices.Equal(actions, []string{"approved", "create"}) {
			t.Errorf("extension audit actions %v, want [approved create]", actions)
		}

		// As-of reads see the date in force then.
		ctx := context.Background()
		for _, tc := range []struct {
			cutoff time.Time
			want   string
		}{{beforeApproval, own.PlannedDate}, {afterApproval, newDate}} {
			d, err := progress.PlannedAsOf(ctx, e.db.Read(), own.ID, 0, tc.cutoff)
			if err != nil || d.String() != tc.want {
				t.Errorf("PlannedAsOf(%v) = %s, %v; want %s", tc.cutoff, d, err, tc.want)
			}
			plan, err := progress.LoadPlanAsOf(ctx, e.db.Read(), `SELECT id FROM items WHERE id = ?`, []any{own.ItemID}, tc.cutoff)
			if err != nil {
				t.Fatal(err)
			}
			if d := plan.Milestone(own.ID, date.MustParse(newDate)); d.String() != tc.want {
				t.Errorf("LoadPlanAsOf(%v).Milestone = %s; want %s", tc.cutoff, d, tc.want)
			}
			if d := plan.Target(target.ID, date.MustParse(target.Deadline)); d.String() != target.Deadline {
				t.Errorf("LoadPlanAsOf(%v).Target = %s; want the unchanged %s", tc.cutoff, d, target.Deadline)
			}
		}

		// After the decision the unit may ask again; a rejection keeps the date.
		var again extensionBody
		rep.do("POST", "/api/v1/extensions", map[string]any{"milestone_id": own.ID, "new_date": later(t, newDate, 30),
			"reason": "再延一个月"}).status(http.StatusCreated).json(&again)
		if again.OldDate != newDate {
			t.Errorf("second request starts from %s, want %s", again.OldDate, newDate)
		}
		sup.do("POST", fmt.Sprintf("/api/v1/extensions/%d/reject", again.ID), map[string]any{"note": "不符合延期条件"}, ver(again.Version)...).
			status(200).json(&again)
		rep.do("GET", fmt.Sprintf("/api/v1/milestones/%d", own.ID), nil).status(200).json(&m)
		if again.State != "rejected" || m.PlannedDate != newDate || !strings.Contains(again.Summary, "未获批准") {
			t.Errorf("after rejection: %+v, milestone %+v", again, m)
		}

		// A target's deadline moves the same way.
		tDate := later(t, target.Deadline, 15)
		var te extensionBody
		rep.do("POST", "/api/v1/extensions", map[string]any{"target_id": target.ID, "new_date": tDate, "reason": "受疫情影响"}).
			status(http.StatusCreated).json(&te)
		if te.Kind != "target" || te.TargetID == nil || *te.TargetID != target.ID || te.OldDate != target.Deadline {
			t.Errorf("target request: %+v", te)
		}
		rep.do("POST", "/api/v1/extensions", map[string]any{"target_id": target.ID, "new_date": tDate, "reason": "x"}).status(http.StatusConflict)
		sup.do("POST", fmt.Sprintf("/api/v1/extensions/%d/approve", te.ID), nil, ver(te.Version)...).status(200).json(&te)
		var tg extSubject
		rep.do("GET", fmt.Sprintf("/api/v1/targets/%d", target.ID), nil).status(200).json(&tg)
		if tg.Deadline != tDate || tg.Version != target.Version+1 || te.OldDate != target.Deadline {
			t.Errorf("target after approval: %+v (extension %+v), want deadline %s", tg, te, tDate)
		}
		sup.do("GET", fmt.Sprintf("/api/v1/audit?entity=target&entity_id=%d", target.ID), nil).status(200).json(&trail)
		if len(trail.Items) == 0 || trail.Items[0].Action != "update" || !strings.Contains(trail.Items[0].After, `"deadline":"`+tDate+`"`) {
			t.Errorf("target audit: %+v", trail.Items)
		}

		// Lists follow the filters and the data scope.
		var list struct {
			Items []extensionBody `json:"items"`
			Total int             `json:"total"`
		}
		rep.do("GET", fmt.Sprintf("/api/v1/extensions?campaign_id=1&item_id=%d", own.ItemID), nil).status(200).json(&list)
		if list.Total < 2 || len(list.Items) != list.Total {
			t.Errorf("extensions of item %d: %+v", own.ItemID, list)
		}
		sup.do("GET", "/api/v1/extensions?state=rejected", nil).status(200).json(&list)
		if list.Total != 1 || list.Items[0].ID != again.ID {
			t.Errorf("rejected extensions: %+v", list)
		}
		viewer.do("GET", "/api/v1/extensions", nil).status(200).json(&list)
		if list.Total != 3 {
			t.Errorf("viewer (whole district) sees %d extensions, want 3", list.Total)
		}
		sup.do("GET", "/api/v1/extensions?state=open", nil).status(http.StatusUnprocessableEntity)
		sup.do("GET", "/api/v1/extensions/99999999", nil).status(http.StatusNotFound)

		if v := sup.do("GET", "/api/v1/audit/verify", nil).status(200).obj(); v["ok"] != true {
			t.Errorf("audit: %v", v)
		}
	})
}

// A unit's reporter sees only the extensions of items in its scope.
func TestExtensionScope(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup, rep := e.login("duchashi"), e.login("zhujianju")
		var visible struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		rep.do("GET", "/api/v1/items?page_size=500", nil).status(200).json(&visible)
		seen := map[int64]bool{}
		for _, it := range visible.Items {
			seen[it.ID] = true
		}
		var all struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
			Total int `json:"total"`
		}
		sup.do("GET", "/api/v1/items?page_size=500", nil).status(200).json(&all)
		var other extSubject
		for page := 1; other.ID == 0 && (page-1)*500 < all.Total; page++ {
			if page > 1 {
				sup.do("GET", fmt.Sprintf("/api/v1/items?page_size=500&page=%d", page), nil).status(200).json(&all)
			}
			for _, it := range all.Items {
				if seen[it.ID] {
					continue
				}
				var ms struct {
					Items []extSubject `json:"items"`
				}
				sup.do("GET", fmt.Sprintf("/api/v1/items/%d/milestones", it.ID), nil).status(200).json(&ms)
				for _, m := range ms.Items {
					if m.ActualDate == "" {
						other = m
						break
					}
				}
				if other.ID != 0 {
					break
				}
			}
		}
		if other.ID == 0 {
			t.Fatal("the demo has no open milestone outside 住建局's scope")
		}
		// Another unit's milestone is not found, not forbidden.
		rep.do("POST", "/api/v1/extensions", map[string]any{"milestone_id": other.ID, "new_date": later(t, other.PlannedDate, 10),
			"reason": "x"}).status(http.StatusNotFound)
		// A supervisor may ask on the unit's behalf; the reporter does not see it.
		var ext extensionBody
		sup.do("POST", "/api/v1/extensions", map[string]any{"milestone_id": other.ID, "new_date": later(t, other.PlannedDate, 10),
			"reason": "代为申请"}).status(http.StatusCreated).json(&ext)
		rep.do("GET", fmt.Sprintf("/api/v1/extensions/%d", ext.ID), nil).status(http.StatusNotFound)
		var list struct {
			Total int `json:"total"`
		}
		rep.do("GET", "/api/v1/extensions", nil).status(200).json(&list)
		if list.Total != 0 {
			t.Errorf("reporter lists %d extensions of another unit's items", list.Total)
		}
		sup.do("GET", "/api/v1/extensions", nil).status(200).json(&list)
		if list.Total != 1 {
			t.Errorf("supervisor lists %d extensions, want 1", list.Total)
		}
	})
}
