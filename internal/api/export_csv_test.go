package api_test

import (
	"encoding/csv"
	"strings"
	"testing"
)

// The audit trail exports as CSV too: UTF-8 with a BOM, the same header and
// one record per entry of the trail with the list's filter in force.
func TestExportAuditCSV(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		r := sup.do("GET", "/api/v1/audit/export?entity=item&format=csv", nil).status(200)
		if ct := r.res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("content type %q", ct)
		}
		if cd := r.res.Header.Get("Content-Disposition"); !strings.Contains(cd, ".csv") {
			t.Errorf("file name %q", cd)
		}
		body := string(r.body)
		if !strings.HasPrefix(body, "\uFEFF编号,时间,用户,地址,操作,对象,对象编号,修改前,修改后,哈希\r\n") {
			t.Fatalf("CSV does not start with a BOM and the header: %.120q", body)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatalf("not CSV: %v", err)
		}
		var n struct {
			Total int `json:"total"`
		}
		sup.do("GET", "/api/v1/audit?entity=item", nil).status(200).json(&n)
		if n.Total == 0 || len(recs) != n.Total+1 {
			t.Fatalf("CSV has %d records for %d entries", len(recs)-1, n.Total)
		}
		for _, rec := range recs[1:] {
			if rec[5] != "item" {
				t.Fatalf("an entry of another object passed the filter: %v", rec)
			}
		}
		sup.do("GET", "/api/v1/audit/export?format=pdf", nil).status(422)
	})
}
