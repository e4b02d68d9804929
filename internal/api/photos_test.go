package api_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/internal/exif/exiftest"
)

type photoBody struct {
	ID          int64      `json:"id"`
	FileName    string     `json:"file_name"`
	ContentType string     `json:"content_type"`
	Caption     string     `json:"caption"`
	CapturedAt  *time.Time `json:"captured_at"`
	Lat         *float64   `json:"lat"`
	Lon         *float64   `json:"lon"`
	URL         string     `json:"url"`
}

type photoReport struct {
	ID      int64       `json:"id"`
	State   string      `json:"state"`
	Version int         `json:"version"`
	Photos  []photoBody `json:"photos"`
}

// uploadPhoto posts one file as the multipart form the report page sends.
func uploadPhoto(t *testing.T, e *env, c *client, path, name, caption string, content []byte) *response {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	if caption != "" {
		_ = w.WriteField("caption", caption)
	}
	_ = w.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.AddCookie(c.cookie)
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return &response{t: t, res: rec.Result(), body: rec.Body.Bytes(), req: "POST " + path + " " + name}
}

// photoItems finds 住建局's first own item, and an item 住建局 cannot see at all.
func photoItems(t *testing.T, e *env) (own, hidden int64) {
	t.Helper()
	type list struct {
		Items []struct {
			ID           int64  `json:"id"`
			LeadUnitName string `json:"lead_unit_name"`
		} `json:"items"`
	}
	var mine, all list
	e.login("zhujianju").do("GET", "/api/v1/items?page_size=500&sort=code", nil).status(200).json(&mine)
	e.login("admin").do("GET", "/api/v1/items?page_size=500&sort=code", nil).status(200).json(&all)
	seen := map[int64]bool{}
	for _, it := range mine.Items {
		seen[it.ID] = true
		if own == 0 && it.LeadUnitName == "区住建局" {
			own = it.ID
		}
	}
	for _, it := range all.Items {
		if !seen[it.ID] {
			hidden = it.ID
			break
		}
	}
	if own == 0 || hidden == 0 {
		t.Fatalf("demo: own item %d, hidden item %d", own, hidden)
	}
	return own, hidden
}

// A reporter attaches site photos to a December draft: the JPEG's EXIF
// capture time and position are kept; files that are not photos, too big or
// too many are refused by name; a frozen report takes none; other units
// neither upload nor see; revisions keep the photos they listed.
func TestReportPhotos(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		rep, sup := e.login("zhujianju"), e.login("duchashi")
		item, hidden := photoItems(t, e)
		base := fmt.Sprintf("/api/v1/items/%d/reports/2022-12", item)

		// Taken on 20 December 2022 at 10:15 Beijing time at 31°N 121.5°E (big-endian EXIF).
		site := exiftest.JPEG(exiftest.Photo{BigEndian: true, DateTimeOriginal: "2022:12:20 10:15:00", OffsetTimeOriginal: "+08:00",
			GPS: true, Lat: 31.2, Lon: 121.5})
		var ph photoBody
		uploadPhoto(t, e, rep, base+"/photos", "工地全景.jpg", "主体结构封顶", site).status(http.StatusCreated).json(&ph)
		if ph.ContentType != "image/jpeg" || ph.Caption != "主体结构封顶" || ph.FileName != "工地全景.jpg" {
			t.Errorf("photo %+v", ph)
		}
		if want := time.Date(2022, 12, 20, 2, 15, 0, 0, time.UTC); ph.CapturedAt == nil || !ph.CapturedAt.Equal(want) {
			t.Errorf("captured_at %v, want %v", ph.CapturedAt, want)
		}
		if ph.Lat == nil || ph.Lon == nil || *ph.Lat < 31.1999 || *ph.Lat > 31.2001 || *ph.Lon < 121.4999 || *ph.Lon > 121.5001 {
			t.Errorf("position %v,%v, want 31.2,121.5", ph.Lat, ph.Lon)
		}
		// Without an offset the camera's clock is read as Beijing time; a PNG has no EXIF.
		var ph2, ph3 photoBody
		uploadPhoto(t, e, rep, base+"/photos", "little-endian.jpg", "",
			exiftest.JPEG(exiftest.Photo{DateTimeOriginal: "2022:12:21 08:00:00"})).status(http.StatusCreated).json(&ph2)
		if want := time.Date(2022, 12, 21, 0, 0, 0, 0, time.UTC); ph2.CapturedAt == nil || !ph2.CapturedAt.Equal(want) || ph2.Lat != nil {
			t.Errorf("no offset, no GPS: %v %v", ph2.CapturedAt, ph2.Lat)
		}
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), bytes.Repeat([]byte{0}, 64)...)
		uploadPhoto(t, e, rep, base+"/photos", "plan.png", "", png).status(http.StatusCreated).json(&ph3)
		if ph3.ContentType != "image/png" || ph3.CapturedAt != nil {
			t.Errorf("png: %+v", ph3)
		}

		// The photo is served inline with its exact type.
		r := rep.do("GET", ph.URL, nil).status(200)
		if !bytes.Equal(r.body, site) || r.res.Header.Get("Content-Type") != "image/jpeg" ||
			!strings.HasPrefix(r.res.Header.Get("Content-Disposition"), "inline") || r.res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET photo: %d bytes, %q, %q", len(r.body), r.res.Header.Get("Content-Type"), r.res.Header.Get("Content-Disposition"))
		}
		if cc := r.res.Header.Get("Cache-Control"); cc != "private, max-age=86400" {
			t.Errorf("a photo never changes, so the browser may keep it: Cache-Control %q", cc)
		}

		// A program renamed .jpg, an 11 MiB photo: refused, naming the file.
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), bytes.Repeat([]byte{1}, 200)...)
		p := uploadPhoto(t, e, rep, base+"/photos", "现场.jpg", "", exe).status(http.StatusUnprocessableEntity).problem()
		if len(p.Errors) == 0 || p.Errors[0].Field != "file" || !strings.Contains(p.Errors[0].Message, "现场.jpg") ||
			!strings.Contains(p.Errors[0].Message, "不是 JPEG、PNG 或 WebP") {
			t.Errorf(".exe as .jpg: %+v", p)
		}
		big := append(append([]byte{}, site...), bytes.Repeat([]byte{0}, 11<<20-len(site))...)
		p = uploadPhoto(t, e, rep, base+"/photos", "大图.jpg", "", big).status(http.StatusUnprocessableEntity).problem()
		if len(p.Errors) == 0 || p.Errors[0].Key != "file.too_large" || p.Errors[0].Message != "照片「大图.jpg」大小 11 MB，超过 10 MB 上限" {
			t.Errorf("11 MiB: %+v", p)
		}

		// Twenty photos at most: the 21st is refused by name.
		small := exiftest.JPEG(exiftest.Photo{Size: 8})
		for i := 4; i <= 20; i++ {
			uploadPhoto(t, e, rep, base+"/photos", fmt.Sprintf("%02d.jpg", i), "", small).status(http.StatusCreated)
		}
		p = uploadPhoto(t, e, rep, base+"/photos", "21.jpg", "", small).status(http.StatusUnprocessableEntity).problem()
		if len(p.Errors) == 0 || p.Errors[0].Key != "photos.too_many" || !strings.Contains(p.Errors[0].Message, "21.jpg") ||
			!strings.Contains(p.Errors[0].Message, "最多 20 张") {
			t.Errorf("21st photo: %+v", p)
		}

		// Before the report is saved its photos are listed by item and period; others do not see them.
		var list struct {
			Items []photoBody `json:"items"`
			Total int         `json:"total"`
		}
		sup.do("GET", base+"/photos", nil).status(200).json(&list)
		if list.Total != 20 || list.Items[0].ID != ph.ID || list.Items[19].FileName != "20.jpg" {
			t.Errorf("listed %d photos, first %d, last %q", list.Total, list.Items[0].ID, list.Items[19].FileName)
		}
		rep.do("GET", fmt.Sprintf("/api/v1/items/%d/reports/2022-12/photos", hidden), nil).status(http.StatusNotFound)
		// Removing one is allowed while no report is saved yet; then the draft lists the rest.
		rep.do("DELETE", ph3.URL, nil).status(http.StatusNoContent)
		rep.do("GET", ph3.URL, nil).status(200) // still shown by history
		rep.do("DELETE", ph3.URL, nil).status(http.StatusNotFound)
		var rpt photoReport
		rep.do("PUT", base, map[string]any{"narrative": "12月完成主体结构封顶。"}, ver(0)...).status(200).json(&rpt)
		if len(rpt.Photos) != 19 || rpt.Photos[0].ID != ph.ID || rpt.Photos[0].Lat == nil || rpt.Photos[0].URL != ph.URL {
			t.Fatalf("draft lists %d photos, first %+v; want 19, the site photo first", len(rpt.Photos), rpt.Photos)
		}

		// Other units and roles: a co-operating or unseen item takes no photo; an unseen photo is not found.
		uploadPhoto(t, e, rep, fmt.Sprintf("/api/v1/items/%d/reports/2022-12/photos", hidden), "a.jpg", "", small).status(http.StatusNotFound)
		var hp photoBody
		uploadPhoto(t, e, e.login("admin"), fmt.Sprintf("/api/v1/items/%d/reports/2022-12/photos", hidden), "a.jpg", "", small).
			status(http.StatusCreated).json(&hp)
		rep.do("GET", hp.URL, nil).status(http.StatusNotFound)
		rep.do("DELETE", hp.URL, nil).status(http.StatusNotFound)
		uploadPhoto(t, e, e.login("viewer"), base+"/photos", "a.jpg", "", small).status(http.StatusForbidden)
		e.login("viewer").do("GET", ph.URL, nil).status(200)

		// Submitted: frozen. The reviewer sees the photos on the report.
		rep.do("POST", fmt.Sprintf("/api/v1/reports/%d/submit", rpt.ID), nil, ver(rpt.Version)...).status(200).json(&rpt)
		p = uploadPhoto(t, e, rep, base+"/photos", "late.jpg", "", small).status(http.StatusConflict).problem()
		if !strings.Contains(p.Detail, "已报送") {
			t.Errorf("upload to a submitted report: %q", p.Detail)
		}
		rep.do("DELETE", ph.URL, nil).status(http.StatusConflict)
		var seen photoReport
		sup.do("GET", fmt.Sprintf("/api/v1/reports/%d", rpt.ID), nil).status(200).json(&seen)
		if len(seen.Photos) != 19 {
			t.Errorf("reviewer sees %d photos", len(seen.Photos))
		}
		// Returned: photos may be added again; corrected (a draft): removed.
		sup.do("POST", fmt.Sprintf("/api/v1/reports/%d/return", rpt.ID), map[string]string{"reason": "请补充近景照片"}, ver(rpt.Version)...).status(200).json(&rpt)
		rep.do("DELETE", ph.URL, nil).status(http.StatusConflict) // returned is not a draft
		uploadPhoto(t, e, rep, base+"/photos", "近景.jpg", "近景", small).status(http.StatusCreated)
		rep.do("PUT", base, map[string]any{"narrative": "12月完成主体结构封顶，补充近景照片。"}, ver(rpt.Version)...).status(200).json(&rpt)
		rep.do("DELETE", ph.URL, nil).status(http.StatusNoContent)
		rep.do("PUT", base, map[string]any{"narrative": "12月完成主体结构封顶，补充近景照片。"}, ver(rpt.Version)...).status(200).json(&rpt)
		if len(rpt.Photos) != 19 || slices.ContainsFunc(rpt.Photos, func(p photoBody) bool { return p.ID == ph.ID }) {
			t.Errorf("after removing the site photo: %d photos", len(rpt.Photos))
		}
		// The submitted revision still lists the removed site photo, which is still served.
		var revs struct {
			Items []struct {
				State  string      `json:"state"`
				Report photoReport `json:"report"`
			} `json:"items"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/reports/%d/revisions", rpt.ID), nil).status(200).json(&revs)
		var counts []string
		for _, v := range revs.Items {
			has := slices.ContainsFunc(v.Report.Photos, func(p photoBody) bool { return p.ID == ph.ID })
			counts = append(counts, fmt.Sprintf("%s:%d:%v", v.State, len(v.Report.Photos), has))
		}
		want := []string{"draft:19:true", "submitted:19:true", "returned:19:true", "draft:20:true", "draft:19:false"}
		if !slices.Equal(counts, want) {
			t.Errorf("revisions (state:photos:has site photo) %v, want %v", counts, want)
		}
		sup.do("GET", ph.URL, nil).status(200)

		// An accepted report takes no photo.
		nov := fmt.Sprintf("/api/v1/items/%d/reports/2022-11", item)
		var acc photoReport
		rep.do("PUT", nov, map[string]any{"narrative": "11月完成地下室顶板。"}, ver(0)...).status(200).json(&acc)
		rep.do("POST", fmt.Sprintf("/api/v1/reports/%d/submit", acc.ID), nil, ver(acc.Version)...).status(200).json(&acc)
		sup.do("POST", fmt.Sprintf("/api/v1/reports/%d/accept", acc.ID), nil, ver(acc.Version)...).status(200).json(&acc)
		p = uploadPhoto(t, e, rep, nov+"/photos", "x.jpg", "", small).
			status(http.StatusConflict).problem()
		if p.Key != "report.photos_frozen" || !strings.Contains(p.Detail, "已审核通过") {
			t.Errorf("accepted report: %+v", p)
		}
		// Every change is in the audit trail.
		var n int
		if err := e.db.Read().QueryRow(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE entity = 'report_photo'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := 3 + 17 + 1 + 1 + 2; n != want { // uploads, the 4th–20th, admin's, 近景, two removals
			t.Errorf("%d audit entries for photos, want %d", n, want)
		}
	})
}
