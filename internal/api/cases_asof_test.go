package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"gongjian/internal/store"
)

// The cockpit's 查看日期 applies to the overdue cases card: days overdue are
// counted to that day, against the deadline in force then, and a case raised
// later or resolved by then is not overdue then.
func TestCasesOverdueAsOf(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := newCaseFixture(t, e)
		const title = "查看日期逾期测试"
		var c caseBody
		f.sup.do("POST", "/api/v1/cases", map[string]any{"type": "problem", "title": title, "deadline": future(10),
			"assignees": []map[string]any{{"unit_id": f.zjjID}}}).status(http.StatusCreated).json(&c)
		type row struct {
			ID       int64  `json:"id"`
			Deadline string `json:"deadline"`
			DaysLeft int    `json:"days_left"`
			Overdue  bool   `json:"overdue"`
			DueSoon  bool   `json:"due_soon"`
		}
		list := func(query string) (int, []row) {
			t.Helper()
			var l struct {
				Items []row `json:"items"`
				Total int   `json:"total"`
			}
			f.sup.do("GET", "/api/v1/cases?q="+url.QueryEscape(title)+"&"+query, nil).status(http.StatusOK).json(&l)
			return l.Total, l.Items
		}
		for _, tc := range []struct {
			query    string
			total    int
			daysLeft int
			overdue  bool
			dueSoon  bool
		}{
			{"overdue=true", 0, 0, false, false},                                               // ten days left today
			{"overdue=true&as_of=" + future(15), 1, -5, true, false},                           // five days late then
			{"as_of=" + future(15), 1, -5, true, false},                                        // the flags follow as_of without the filter too
			{"due_soon=true&as_of=" + future(8), 1, 2, false, true},                            // two days left then: within the 3 warning days
			{"due_soon=true&as_of=" + future(5), 0, 0, false, false},                           // five days left: not yet due soon
			{"as_of=" + time.Now().AddDate(0, 0, -1).Format("2006-01-02"), 0, 0, false, false}, // not raised yet
		} {
			total, items := list(tc.query)
			if total != tc.total || len(items) != tc.total {
				t.Errorf("%s: total %d (%d rows), want %d", tc.query, total, len(items), tc.total)
				continue
			}
			if total == 1 && (items[0].DaysLeft != tc.daysLeft || items[0].Overdue != tc.overdue || items[0].DueSoon != tc.dueSoon) {
				t.Errorf("%s: %+v, want days_left %d overdue %v due_soon %v", tc.query, items[0], tc.daysLeft, tc.overdue, tc.dueSoon)
			}
		}

		// An extension to +30 days approved on day +20: on day +15 the case was
		// five days late against the deadline then; on day +25 it was not.
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		f.zjj.do("POST", path+"/extensions", map[string]any{"new_deadline": future(30), "reason": "需补充测绘"}).status(http.StatusOK)
		d := getCase(t, f.sup, c.ID)
		f.sup.do("POST", fmt.Sprintf("/api/v1/case-extensions/%d/approve", d.Extensions[0].ID), map[string]any{}).status(http.StatusOK)
		approvedAt := time.Now().AddDate(0, 0, 20)
		if err := e.db.Tx(context.Background(), func(q store.Querier) error {
			_, err := q.Exec(context.Background(), `UPDATE case_extensions SET decided_at = ? WHERE id = ?`, approvedAt, d.Extensions[0].ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if total, items := list("overdue=true&as_of=" + future(15)); total != 1 || items[0].DaysLeft != -5 || items[0].Deadline != future(30) {
			t.Errorf("before the approval: %d %+v, want 5 days late, the deadline now shown as %s", total, items, future(30))
		}
		if total, _ := list("overdue=true&as_of=" + future(25)); total != 0 {
			t.Errorf("after the approval: %d overdue, want 0", total)
		}
		if total, items := list("as_of=" + future(25)); total != 1 || items[0].DaysLeft != 5 || items[0].Overdue {
			t.Errorf("after the approval: %+v, want five days left", items)
		}

		// Answered (resolved) today: not overdue on day +35 either.
		f.zjj.do("POST", path+"/accept", map[string]any{}).status(http.StatusOK)
		f.zjj.do("POST", path+"/answer", map[string]any{"answer": "已办结。"}).status(http.StatusOK)
		if total, _ := list("overdue=true&as_of=" + future(35)); total != 0 {
			t.Errorf("resolved before then: %d overdue, want 0", total)
		}
		if total, items := list("as_of=" + future(35)); total != 1 || items[0].Overdue {
			t.Errorf("resolved case as of +35: %+v, want listed and not overdue", items)
		}
		// A bad date names the field.
		p := f.sup.do("GET", "/api/v1/cases?as_of=2022-13-40", nil).status(http.StatusUnprocessableEntity).problem()
		if len(p.fields()) == 0 {
			t.Errorf("bad as_of: no field named")
		}
	})
}
