package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// The item list exports what the list shows: the same filters and scope, in
// Chinese or English, as .xlsx or CSV.
func TestItemsExport(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup, rep := e.login("duchashi"), e.login("zhujianju")
		var list struct {
			Total int `json:"total"`
		}
		sup.do("GET", "/api/v1/items?campaign_id=1&type=key_project&top_level=true", nil).status(http.StatusOK).json(&list)
		r := sup.do("GET", "/api/v1/items/export?campaign_id=1&type=key_project&top_level=true", nil).status(http.StatusOK)
		if ct := r.res.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
			t.Fatalf("content type %q", ct)
		}
		rows := xlsxRows(t, r.body)
		if len(rows) != list.Total+1 || list.Total != 81 {
			t.Fatalf("export has %d rows for %d listed key projects, want 81 + header", len(rows)-1, list.Total)
		}
		if rows[0][0] != "编码" || rows[0][2] != "类型" || rows[1][2] != "重点项目" {
			t.Errorf("header %v, first row %v", rows[0], rows[1])
		}

		// A reporter's export holds only the items its list shows.
		var mine struct {
			Total int `json:"total"`
		}
		rep.do("GET", "/api/v1/items?campaign_id=1", nil).status(http.StatusOK).json(&mine)
		rr := xlsxRows(t, rep.do("GET", "/api/v1/items/export?campaign_id=1", nil).status(http.StatusOK).body)
		if len(rr)-1 != mine.Total || mine.Total == 0 {
			t.Errorf("reporter export %d rows, list %d", len(rr)-1, mine.Total)
		}

		// English CSV with a BOM.
		c := sup.do("GET", "/api/v1/items/export?campaign_id=1&type=reform_task&format=csv&lang=en", nil).status(http.StatusOK)
		if !bytes.HasPrefix(c.body, []byte("\xef\xbb\xbf")) || !strings.HasPrefix(string(c.body[3:]), "Code,Name,Type") {
			t.Errorf("csv starts %q", string(c.body[:min(len(c.body), 60)]))
		}
		if n := strings.Count(strings.TrimSpace(string(c.body)), "\n"); n != 15 {
			t.Errorf("csv has %d data lines, want the demo's 15 reform tasks", n)
		}
		sup.do("GET", "/api/v1/items/export?format=pdf", nil).status(http.StatusUnprocessableEntity)
	})
}
