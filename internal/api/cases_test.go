package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/casework"
)

type caseTask struct {
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Role     string `json:"role"`
	State    string `json:"state"`
	Answer   string `json:"answer"`
}

type caseBody struct {
	ID               int64      `json:"id"`
	Code             string     `json:"code"`
	Type             string     `json:"type"`
	State            string     `json:"state"`
	Deadline         string     `json:"deadline"`
	OriginalDeadline string     `json:"original_deadline"`
	ReopenCount      int        `json:"reopen_count"`
	Rating           *int       `json:"rating"`
	EscalatedToName  string     `json:"escalated_to_name"`
	RequesterName    string     `json:"requester_name"`
	Version          int        `json:"version"`
	Tasks            []caseTask `json:"tasks"`
	Events           []struct {
		Actor    string `json:"actor"`
		Action   string `json:"action"`
		ToState  string `json:"to_state"`
		UnitName string `json:"unit_name"`
		Note     string `json:"note"`
		Rating   *int   `json:"rating"`
	} `json:"events"`
	Extensions []struct {
		OldDeadline string `json:"old_deadline"`
		NewDeadline string `json:"new_deadline"`
		State       string `json:"state"`
		ID          int64  `json:"id"`
	} `json:"extensions"`
	Attachments []struct {
		ID          int64  `json:"id"`
		FileName    string `json:"file_name"`
		ContentType string `json:"content_type"`
		Size        int64  `json:"size"`
	} `json:"attachments"`
}

type caseFixture struct {
	sup, leader, zjj, gxzx *client
	zjjID, gxzxID          int64
	leaderPerson           int64
	itemID                 int64 // an item the leader 区长 leads
}

// unitID finds a demo unit by code.
func unitID(t *testing.T, c *client, code string) int64 {
	t.Helper()
	var l struct {
		Items []struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"items"`
	}
	c.do("GET", "/api/v1/units", nil).status(http.StatusOK).json(&l)
	for _, u := range l.Items {
		if u.Code == code {
			return u.ID
		}
	}
	t.Fatalf("no unit %s", code)
	return 0
}

// newReporter creates a reporter account of a unit and signs it in.
func newReporter(t *testing.T, e *env, admin *client, username string, unit int64) *client {
	t.Helper()
	created := admin.do("POST", "/api/v1/users", map[string]any{"username": username, "role": "reporter", "unit_id": unit}).
		status(http.StatusCreated).obj()
	pw, _ := created["password"].(string)
	c := &client{e: e}
	r := c.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": pw}).status(http.StatusOK)
	for _, ck := range r.res.Cookies() {
		if ck.Name == "gongjian_session" || strings.Contains(ck.Name, "session") {
			c.cookie = ck
		}
	}
	c.do("POST", "/api/v1/auth/password", map[string]string{"old_password": pw, "new_password": "Case-Passw0rd-1"}).status(http.StatusNoContent)
	return c
}

func newCaseFixture(t *testing.T, e *env) caseFixture {
	t.Helper()
	admin := e.login("admin")
	f := caseFixture{sup: e.login("duchashi"), leader: e.login("quzhang"), zjj: e.login("zhujianju")}
	f.zjjID, f.gxzxID = unitID(t, admin, "ZJJ"), unitID(t, admin, "GXZX")
	f.gxzx = newReporter(t, e, admin, "gxzx-reporter", f.gxzxID)
	var me mxMe
	f.leader.do("GET", "/api/v1/auth/me", nil).status(http.StatusOK).json(&me)
	f.leaderPerson = *me.User.PersonID
	var items struct {
		Items []mxItem `json:"items"`
	}
	f.leader.do("GET", fmt.Sprintf("/api/v1/items?leader_id=%d&sort=code", f.leaderPerson), nil).status(http.StatusOK).json(&items)
	if len(items.Items) == 0 {
		t.Fatal("区长 leads no item in the demo")
	}
	f.itemID = items.Items[0].ID
	return f
}

func getCase(t *testing.T, c *client, id int64) caseBody {
	t.Helper()
	var b caseBody
	c.do("GET", fmt.Sprintf("/api/v1/cases/%d", id), nil).status(http.StatusOK).json(&b)
	return b
}

func future(days int) string { return time.Now().AddDate(0, 0, days).Format("2006-01-02") }

// The "done when": a leader's instruction on an item becomes a case
// with two parallel units; both answer; the supervisor closes it; the
// requester reopens it with a low rating; the history and the stats show it.
func TestCasesInstructionParallelCloseReopen(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := newCaseFixture(t, e)
		var c caseBody
		f.leader.do("POST", "/api/v1/cases", map[string]any{"type": "instruction", "title": "请住建局、城市更新中心加快推进并联审批",
			"description": "区长批示：两单位并联办理，月底前答复。", "item_id": f.itemID, "deadline": future(20),
			"assignees": []map[string]any{{"unit_id": f.zjjID}, {"unit_id": f.gxzxID}}}).status(http.StatusCreated).json(&c)
		if c.Type != "instruction" || c.State != "open" || len(c.Tasks) != 2 || !strings.HasPrefix(c.Code, "DB-") || c.RequesterName != "区长" {
			t.Fatalf("created case: %+v", c)
		}
		for _, task := range c.Tasks {
			if task.Role != "parallel" || task.State != "pending" {
				t.Errorf("task %+v: want a pending parallel task", task)
			}
		}
		id := c.ID
		path := fmt.Sprintf("/api/v1/cases/%d", id)

		// Each unit sees the case and its notification.
		var list struct {
			Items []caseBody `json:"items"`
			Total int        `json:"total"`
		}
		f.zjj.do("GET", "/api/v1/cases", nil).status(http.StatusOK).json(&list)
		if list.Total != 1 || list.Items[0].ID != id {
			t.Errorf("住建局 list: %+v", list)
		}
		var notes []struct {
			Kind string `json:"kind"`
		}
		var nl struct {
			Items []struct {
				Kind string `json:"kind"`
			} `json:"items"`
		}
		f.gxzx.do("GET", "/api/v1/notifications", nil).status(http.StatusOK).json(&nl)
		notes = nl.Items
		if !slices.ContainsFunc(notes, func(n struct {
			Kind string `json:"kind"`
		}) bool {
			return n.Kind == "case_assigned"
		}) {
			t.Errorf("城市更新中心 was not notified of the assignment: %+v", notes)
		}

		f.zjj.do("POST", path+"/accept", map[string]any{}).status(http.StatusOK).json(&c)
		if c.State != "in_progress" {
			t.Errorf("after signing: state %s", c.State)
		}
		f.zjj.do("POST", path+"/answer", map[string]any{"answer": "住建局已完成施工许可并联审查。"}).status(http.StatusOK).json(&c)
		if c.State != "in_progress" {
			t.Errorf("one of two answered: state %s, want in_progress", c.State)
		}
		// Answering twice, or closing before all answered, is refused.
		f.zjj.do("POST", path+"/answer", map[string]any{"answer": "again"}).status(http.StatusConflict)
		f.sup.do("POST", path+"/close", map[string]any{"note": "核查"}).status(http.StatusConflict)
		f.gxzx.do("POST", path+"/answer", map[string]any{"answer": "城市更新中心已完成方案审查。"}).status(http.StatusOK).json(&c)
		if c.State != "resolved" {
			t.Fatalf("both answered: state %s, want resolved", c.State)
		}
		// A unit that is neither requester nor supervisor cannot close it.
		if p := f.zjj.do("POST", path+"/close", map[string]any{"note": "自行销号"}).status(http.StatusForbidden).problem(); p.Key != "forbidden" {
			t.Errorf("unit closing: key %s", p.Key)
		}
		f.sup.do("POST", path+"/close", map[string]any{"note": "经核查，两单位均已办结。", "rating": 4}).status(http.StatusOK).json(&c)
		if c.State != "closed" {
			t.Fatalf("after closing: state %s", c.State)
		}
		// The requester reopens it with a low rating.
		f.leader.do("POST", path+"/reopen", map[string]any{"rating": 9, "comment": "x"}).status(http.StatusUnprocessableEntity)
		f.leader.do("POST", path+"/reopen", map[string]any{"rating": 2, "comment": "群众反映问题仍未解决，重新办理。"}).status(http.StatusOK).json(&c)
		if c.State != "in_progress" || c.ReopenCount != 1 || c.Rating == nil || *c.Rating != 2 {
			t.Fatalf("after reopening: %+v", c)
		}
		for _, task := range c.Tasks {
			if task.State != "pending" {
				t.Errorf("after reopening, task of %s is %s, want pending", task.UnitName, task.State)
			}
		}

		// The history: every transition with who and why.
		d := getCase(t, f.sup, id)
		var actions []string
		for _, ev := range d.Events {
			actions = append(actions, ev.Action)
		}
		want := []string{"create", "assign", "assign", "accept", "accept", "answer", "answer", "resolve", "close", "reopen"}
		if !slices.Equal(actions, want) {
			t.Errorf("timeline %v, want %v", actions, want)
		}
		last := d.Events[len(d.Events)-1]
		if last.Actor != "区长" || last.Rating == nil || *last.Rating != 2 || !strings.Contains(last.Note, "仍未解决") {
			t.Errorf("reopen event: %+v", last)
		}
		closeEv := d.Events[len(d.Events)-2]
		if closeEv.Actor != "区督查室" || closeEv.Note != "经核查，两单位均已办结。" {
			t.Errorf("close event: %+v", closeEv)
		}

		// The stats of both units: one received, none resolved now (reopened), one reopened, satisfaction 2.
		var st struct {
			Items []casework.UnitStats `json:"items"`
		}
		f.sup.do("GET", "/api/v1/case-stats", nil).status(http.StatusOK).json(&st)
		if len(st.Items) != 2 {
			t.Fatalf("stats rows: %+v", st.Items)
		}
		for _, u := range st.Items {
			if u.Received != 1 || u.Resolved != 0 || u.Reopened != 1 || u.Rated != 1 || u.AvgSatisfaction != 2 {
				t.Errorf("stats of %s: %+v", u.UnitName, u)
			}
		}
		// Answered again on time: resolved 1, on time 1, rate 100%.
		f.zjj.do("POST", path+"/answer", map[string]any{"answer": "已重新办理。"}).status(http.StatusOK)
		f.sup.do("GET", fmt.Sprintf("/api/v1/case-stats?unit_id=%d", f.zjjID), nil).status(http.StatusOK).json(&st)
		if len(st.Items) != 1 || st.Items[0].Resolved != 1 || st.Items[0].ResolvedOnTime != 1 || st.Items[0].OnTimeRate != 100 {
			t.Errorf("stats of 住建局 after answering again: %+v", st.Items)
		}
		// The audit trail has the case's changes.
		var audit struct {
			Total int `json:"total"`
		}
		f.sup.do("GET", fmt.Sprintf("/api/v1/audit?entity=case&entity_id=%d", id), nil).status(http.StatusOK).json(&audit)
		// create, accept, two answers, close, reopen, the answer again
		if audit.Total != 7 {
			t.Errorf("audit records of the case: %d, want 7", audit.Total)
		}
	})
}

// Overdue escalation with a controllable clock: warned when due within three
// days, escalated to the item's leader once late, once only; the leader sees it.
func TestCasesOverdueEscalation(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := newCaseFixture(t, e)
		var c caseBody
		f.sup.do("POST", "/api/v1/cases", map[string]any{"type": "problem", "title": "项目征迁遗留问题", "item_id": f.itemID,
			"deadline": future(10)}).status(http.StatusCreated).json(&c)
		// Not yet visible to the leader's escalated view.
		var list struct {
			Items []caseBody `json:"items"`
			Total int        `json:"total"`
		}
		f.leader.do("GET", "/api/v1/cases?escalated=true", nil).status(http.StatusOK).json(&list)
		if list.Total != 0 {
			t.Errorf("escalated before any check: %d", list.Total)
		}
		ctx := context.Background()
		at := func(days int) *casework.Service {
			now := time.Now().AddDate(0, 0, days)
			return casework.New(e.db).WithClock(func() time.Time { return now })
		}
		for _, step := range []struct {
			days int
			want casework.DeadlineResult
		}{
			{0, casework.DeadlineResult{}},          // ten days left
			{8, casework.DeadlineResult{Warned: 1}}, // two days left
			{9, casework.DeadlineResult{}},          // warned already
			{11, casework.DeadlineResult{Overdue: 1, Escalated: 1}},
			{12, casework.DeadlineResult{}}, // once only
		} {
			got, err := at(step.days).CheckDeadlines(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got != step.want {
				t.Errorf("day +%d: %+v, want %+v", step.days, got, step.want)
			}
		}
		f.leader.do("GET", "/api/v1/cases?escalated=true", nil).status(http.StatusOK).json(&list)
		if list.Total != 1 || list.Items[0].EscalatedToName != "区长" {
			t.Fatalf("leader's escalated view: %+v", list)
		}
		var nl struct {
			Items []struct {
				Kind  string `json:"kind"`
				Title string `json:"title"`
			} `json:"items"`
		}
		f.leader.do("GET", "/api/v1/notifications", nil).status(http.StatusOK).json(&nl)
		found := false
		for _, n := range nl.Items {
			found = found || (n.Kind == "case_escalated" && strings.Contains(n.Title, "项目征迁遗留问题"))
		}
		if !found {
			t.Errorf("no escalation notification for the leader: %+v", nl.Items)
		}
		d := getCase(t, f.sup, c.ID)
		var actions []string
		for _, ev := range d.Events {
			actions = append(actions, ev.Action)
		}
		if !slices.Contains(actions, "warn") || !slices.Contains(actions, "overdue") || !slices.Contains(actions, "escalate") {
			t.Errorf("timeline lacks the time-limit events: %v", actions)
		}
	})
}

// Deadline extensions keep the original deadline visible.
func TestCasesExtensionKeepsOriginalDeadline(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := newCaseFixture(t, e)
		var c caseBody
		f.sup.do("POST", "/api/v1/cases", map[string]any{"type": "problem", "title": "不动产权证办理", "deadline": future(5),
			"assignees": []map[string]any{{"unit_id": f.zjjID}}}).status(http.StatusCreated).json(&c)
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		p := f.zjj.do("POST", path+"/extensions", map[string]any{"new_deadline": future(2), "reason": "需补充材料"}).
			status(http.StatusUnprocessableEntity).problem()
		if !slices.Contains(p.fields(), "new_deadline") {
			t.Errorf("earlier date: fields %v", p.fields())
		}
		f.zjj.do("POST", path+"/extensions", map[string]any{"new_deadline": future(30), "reason": "历史遗留，需测绘"}).status(http.StatusOK)
		f.zjj.do("POST", path+"/extensions", map[string]any{"new_deadline": future(40), "reason": "再延"}).status(http.StatusConflict)
		// Another reporter unit has no task here and does not even see the case.
		f.gxzx.do("POST", path+"/extensions", map[string]any{"new_deadline": future(30), "reason": "x"}).status(http.StatusNotFound)
		d := getCase(t, f.sup, c.ID)
		f.zjj.do("POST", fmt.Sprintf("/api/v1/case-extensions/%d/approve", d.Extensions[0].ID), nil).status(http.StatusForbidden)
		f.sup.do("POST", fmt.Sprintf("/api/v1/case-extensions/%d/approve", d.Extensions[0].ID), map[string]any{}).status(http.StatusOK)
		d = getCase(t, f.sup, c.ID)
		if d.Deadline != future(30) || d.OriginalDeadline != future(5) || d.Extensions[0].State != "approved" {
			t.Errorf("after approval: deadline %s, original %s, extension %+v", d.Deadline, d.OriginalDeadline, d.Extensions)
		}
	})
}

// Bad input names the field; another unit's case is not found; files are
// checked by content and served back as attachments.
func TestCasesValidationScopeAttachments(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := newCaseFixture(t, e)
		p := f.sup.do("POST", "/api/v1/cases", map[string]any{"type": "problem", "title": " ", "deadline": "2020-01-01",
			"assignees": []map[string]any{{"unit_id": f.zjjID}, {"unit_id": f.zjjID}}}).status(http.StatusUnprocessableEntity).problem()
		for _, want := range []string{"title", "deadline", "assignees[1].unit_id"} {
			if !slices.Contains(p.fields(), want) {
				t.Errorf("bad case: fields %v lack %s", p.fields(), want)
			}
		}
		p = f.sup.do("POST", "/api/v1/cases", map[string]any{"type": "problem", "title": "t", "deadline": future(3),
			"assignees": []map[string]any{{"unit_id": 99999}}}).status(http.StatusUnprocessableEntity).problem()
		if !slices.Contains(p.fields(), "assignees[0].unit_id") {
			t.Errorf("missing unit: fields %v", p.fields())
		}
		var c caseBody
		f.sup.do("POST", "/api/v1/cases", map[string]any{"type": "enterprise_request", "title": "企业用电增容诉求", "deadline": future(7),
			"assignees": []map[string]any{{"unit_id": f.gxzxID}}}).status(http.StatusCreated).json(&c)
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		// 住建局 has no task and did not raise it: not found, not forbidden.
		f.zjj.do("GET", path, nil).status(http.StatusNotFound)
		f.leader.do("GET", path, nil).status(http.StatusNotFound)
		e.login("viewer").do("GET", path, nil).status(http.StatusOK)

		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)
		upload := func(cl *client, name string, body []byte) *response {
			req := httptest.NewRequest("POST", path+"/attachments?name="+name, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/octet-stream")
			req.AddCookie(cl.cookie)
			w := httptest.NewRecorder()
			e.srv.ServeHTTP(w, req)
			return &response{t: t, res: w.Result(), body: w.Body.Bytes(), req: "POST attachments"}
		}
		var a struct {
			ID          int64  `json:"id"`
			ContentType string `json:"content_type"`
		}
		upload(f.gxzx, "photo.png", png).status(http.StatusCreated).json(&a)
		if a.ContentType != "image/png" {
			t.Errorf("sniffed type %s", a.ContentType)
		}
		p = upload(f.gxzx, "evil.png", []byte("<html><script>alert(1)</script></html>")).status(http.StatusUnprocessableEntity).problem()
		if !slices.Contains(p.fields(), "file") {
			t.Errorf("html as png: fields %v", p.fields())
		}
		r := f.gxzx.do("GET", fmt.Sprintf("/api/v1/case-attachments/%d", a.ID), nil).status(http.StatusOK)
		if !bytes.Equal(r.body, png) || !strings.HasPrefix(r.res.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download: %d bytes, disposition %q", len(r.body), r.res.Header.Get("Content-Disposition"))
		}
		f.zjj.do("GET", fmt.Sprintf("/api/v1/case-attachments/%d", a.ID), nil).status(http.StatusNotFound)

		r = f.sup.do("GET", "/api/v1/cases/export?type=enterprise_request", nil).status(http.StatusOK)
		if !strings.Contains(r.res.Header.Get("Content-Type"), "spreadsheetml") || len(r.body) < 100 {
			t.Errorf("export: %q, %d bytes", r.res.Header.Get("Content-Type"), len(r.body))
		}
		f.sup.do("GET", "/api/v1/case-stats/export", nil).status(http.StatusOK)
		_ = access.CaseRead
	})
}

// The stocktake meeting: an agenda from red items and overdue cases; its
// decisions become meeting_decision cases in one step, all or nothing.
func TestCasesStocktake(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := newCaseFixture(t, e)
		var ag struct {
			AsOf     string `json:"as_of"`
			RedItems []struct {
				Light string `json:"light"`
			} `json:"red_items"`
			OverdueCases []caseBody `json:"overdue_cases"`
		}
		f.sup.do("GET", "/api/v1/stocktake?campaign_id=1&period=2022-09", nil).status(http.StatusOK).json(&ag)
		if ag.AsOf != "2022-09-30" {
			t.Errorf("as of %s, want 2022-09-30", ag.AsOf)
		}
		for _, it := range ag.RedItems {
			if it.Light != "red" {
				t.Errorf("agenda item with light %s", it.Light)
			}
		}
		f.sup.do("GET", "/api/v1/stocktake?campaign_id=1&period=Sept", nil).status(http.StatusUnprocessableEntity)
		bad := map[string]any{"meeting": "9月份专题调度会", "decisions": []map[string]any{
			{"title": "加快征迁清零", "item_id": f.itemID, "deadline": future(15)},
			{"title": "", "deadline": future(15), "assignees": []map[string]any{{"unit_id": f.zjjID}}},
		}}
		p := f.sup.do("POST", "/api/v1/stocktake", bad).status(http.StatusUnprocessableEntity).problem()
		if !slices.Contains(p.fields(), "decisions[1].title") {
			t.Errorf("bad decision: fields %v", p.fields())
		}
		var none struct {
			Total int `json:"total"`
		}
		f.sup.do("GET", "/api/v1/cases?type=meeting_decision", nil).status(http.StatusOK).json(&none)
		if none.Total != 0 {
			t.Fatalf("a refused meeting created %d cases", none.Total)
		}
		good := map[string]any{"meeting": "9月份专题调度会", "decisions": []map[string]any{
			{"title": "加快征迁清零", "item_id": f.itemID, "deadline": future(15)},
			{"title": "协调不动产权证办理", "deadline": future(30), "assignees": []map[string]any{{"unit_id": f.zjjID}, {"unit_id": f.gxzxID}}},
		}}
		var made struct {
			Items []caseBody `json:"items"`
		}
		f.sup.do("POST", "/api/v1/stocktake", good).status(http.StatusCreated).json(&made)
		if len(made.Items) != 2 || made.Items[0].Type != "meeting_decision" || len(made.Items[1].Tasks) != 2 {
			t.Errorf("decisions: %+v", made.Items)
		}
		f.leader.do("POST", "/api/v1/stocktake", good).status(http.StatusForbidden)
	})
}
