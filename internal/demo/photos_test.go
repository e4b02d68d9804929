package demo

import (
	"context"
	"net/http"
	"testing"
	"time"

	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// A new user opening the November 2022 report of 芝罘湾广场 or of the
// 幸福新城 commercial complex finds three site photos, real JPEGs with the
// camera's time and position, listed in the report and in every revision of
// its history; loading the demo again adds none.
func TestDemoPhotos(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, sum := loadDemo(t, db)
		prog := progress.New(db)
		if _, err := LoadReports(ctx, db, prog, sum.CampaignID); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := loadPhotos(ctx, s, Extras{}, sum); err != nil {
				t.Fatal(err)
			}
		}
		var total int
		if err := db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM report_photos`).Scan(&total); err != nil {
			t.Fatal(err)
		}
		if total != 6 {
			t.Errorf("%d demo photos after loading twice, want 6 (3 on each of 2 reports)", total)
		}
		for _, c := range []struct {
			code      string
			first     time.Time // 09:40 Beijing time on the day
			lat, lon  float64
			structure string
		}{
			{"XM-001", time.Date(2022, 11, 24, 1, 40, 0, 0, time.UTC), 37.5431, 121.3989, "主体结构施工至第 9 层"},
			{"XM-014", time.Date(2022, 11, 25, 1, 40, 0, 0, time.UTC), 37.5471, 121.4049, "主体结构施工至第 13 层"},
		} {
			var reportID int64
			if err := db.Read().QueryRow(ctx, `SELECT r.id FROM reports r JOIN items i ON i.id = r.item_id WHERE i.code = ? AND r.period = '2022-11'`,
				c.code).Scan(&reportID); err != nil {
				t.Fatalf("%s November report: %v", c.code, err)
			}
			r, err := prog.GetReport(ctx, reportID)
			if err != nil {
				t.Fatal(err)
			}
			if r.State != progress.Accepted || len(r.Photos) != 3 {
				t.Fatalf("%s November report: %s with %d photos, want accepted with 3", c.code, r.State, len(r.Photos))
			}
			p := r.Photos[0]
			if p.ContentType != "image/jpeg" || p.CapturedAt == nil || !p.CapturedAt.Equal(c.first) || p.Lat == nil ||
				*p.Lat < c.lat-1e-4 || *p.Lat > c.lat+1e-4 || *p.Lon < c.lon-1e-4 || *p.Lon > c.lon+1e-4 {
				t.Errorf("%s first photo %+v, want a JPEG taken %s at %.4f,%.4f", c.code, p, c.first, c.lat, c.lon)
			}
			if r.Photos[1].Caption != c.structure {
				t.Errorf("%s second photo's caption %q, want %q", c.code, r.Photos[1].Caption, c.structure)
			}
			for _, ph := range r.Photos {
				got, b, err := prog.PhotoContent(ctx, ph.ID)
				if err != nil {
					t.Fatal(err)
				}
				if http.DetectContentType(b) != "image/jpeg" || len(b) > 30<<10 || got.Size != int64(len(b)) {
					t.Errorf("%s %s: %d bytes of %s, want a JPEG under 30 KB", c.code, ph.FileName, len(b), http.DetectContentType(b))
				}
				if r.SubmittedAt == nil || !ph.CreatedAt.Before(*r.SubmittedAt) {
					t.Errorf("%s %s uploaded %s, not before the report was submitted (%v)", c.code, ph.FileName, ph.CreatedAt, r.SubmittedAt)
				}
			}
			revs, err := prog.Revisions(ctx, reportID)
			if err != nil {
				t.Fatal(err)
			}
			if len(revs) != 3 {
				t.Errorf("%s November report has %d revisions, want 3 (saved, submitted, accepted)", c.code, len(revs))
			}
			for _, v := range revs {
				if len(v.Report.Photos) != 3 || v.Report.Photos[0].ID != p.ID {
					t.Errorf("%s revision %d (%s) lists %d photos, want the 3", c.code, v.Revision, v.State, len(v.Report.Photos))
				}
			}
		}
	})
}
