package api_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gongjian/internal/exif/exiftest"
	"gongjian/internal/store"
)

// decemberPhotos signs 区住建局 in and gives the photos route of the
// December report of its first own item, and the item.
func decemberPhotos(t *testing.T, e *env) (rep *client, path string, item int64) {
	t.Helper()
	item, _ = photoItems(t, e)
	return e.login("zhujianju"), fmt.Sprintf("/api/v1/items/%d/reports/2022-12/photos", item), item
}

// A report holding 19 photos takes exactly one more, however many uploads
// arrive at the same moment: the others are refused by name, as the 21st.
func TestPhotoLimitConcurrent(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		rep, base, item := decemberPhotos(t, e)
		small := exiftest.JPEG(exiftest.Photo{Size: 8})
		for i := 1; i <= 19; i++ {
			uploadPhoto(t, e, rep, base, fmt.Sprintf("%02d.jpg", i), "", small).status(http.StatusCreated)
		}
		const racers = 8
		res := make([]*response, racers)
		var done sync.WaitGroup
		// On PostgreSQL the racers are made to meet: the item's row is held
		// locked (as a transaction deleting it would) until all of them wait,
		// so without a lock of their own each would count 19 before any inserts.
		release := holdItem(t, e, item, racers)
		for i := range racers {
			done.Go(func() {
				res[i] = uploadPhoto(t, e, rep, base, fmt.Sprintf("并发%d.jpg", i), "", small)
			})
		}
		release()
		done.Wait()
		created := 0
		for i, r := range res {
			switch r.res.StatusCode {
			case http.StatusCreated:
				created++
			case http.StatusUnprocessableEntity:
				p := r.problem()
				if len(p.Errors) == 0 || p.Errors[0].Key != "photos.too_many" ||
					p.Errors[0].Message != fmt.Sprintf("照片「并发%d.jpg」未上传：每期填报最多 20 张照片，已有 20 张", i) {
					t.Errorf("racer %d refused with %+v", i, p)
				}
			default:
				t.Errorf("racer %d: status %d, body %s", i, r.res.StatusCode, r.body)
			}
		}
		if created != 1 {
			t.Errorf("%d of %d concurrent uploads to a report with 19 photos were taken, want exactly 1", created, racers)
		}
		var list struct {
			Total int `json:"total"`
			Items []struct {
				FileName string `json:"file_name"`
			} `json:"items"`
		}
		rep.do("GET", base, nil).status(http.StatusOK).json(&list)
		if list.Total != 20 || !strings.HasPrefix(list.Items[19].FileName, "并发") {
			t.Errorf("the report holds %d photos, want 20 (the last one a racer)", list.Total)
		}
	})
}

// holdItem locks an item's row on PostgreSQL; the returned func waits until
// n other sessions wait for a lock, then lets go. On SQLite, where every
// write transaction holds the database's write lock, it does nothing.
func holdItem(t *testing.T, e *env, itemID int64, n int) func() {
	t.Helper()
	if e.db.Engine() != store.Postgres {
		return func() {}
	}
	ctx := t.Context()
	locked, unlock, ended := make(chan error, 1), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		_ = e.db.Tx(ctx, func(q store.Querier) error {
			_, err := q.Exec(ctx, `SELECT id FROM items WHERE id = ? FOR UPDATE`, itemID)
			locked <- err
			<-unlock
			return errors.New("roll back")
		})
	}()
	if err := <-locked; err != nil {
		t.Fatalf("lock item: %v", err)
	}
	return func() {
		defer func() { close(unlock); <-ended }()
		for range 3000 { // a minute at most
			var waiting int
			if err := e.db.Read().QueryRow(ctx, `SELECT COUNT(DISTINCT pid) FROM pg_locks WHERE NOT granted`).Scan(&waiting); err != nil {
				t.Errorf("pg_locks: %v", err)
				return
			}
			if waiting >= n {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Errorf("%d uploads never came to wait for the item", n)
	}
}

// post sends body as it is to path: with its length when sized, or chunked,
// the length not said, when body is an opaque reader.
func post(e *env, c *client, path, contentType string, body io.Reader, sized bool) *response {
	e.t.Helper()
	if !sized {
		body = struct{ io.Reader }{body} // hides Len, so the length is not said
	}
	req := httptest.NewRequest("POST", path, body)
	req.Header.Set("Content-Type", contentType)
	req.AddCookie(c.cookie)
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return &response{t: e.t, res: rec.Result(), body: rec.Body.Bytes(), req: "POST " + path}
}

// photoForm is the multipart form the report page sends for one photo.
func photoForm(name string, content []byte) (body []byte, contentType string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// A file too big to be worth reading (over 16 MiB) is refused like one just
// over the 10 MiB limit: a problem naming the limit and the file, with the
// field error file.too_large, whether the request says its length or not;
// for report photos and case attachments alike. Nothing is stored.
func TestUploadOversize(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		rep, photos, _ := decemberPhotos(t, e)
		site := exiftest.JPEG(exiftest.Photo{Size: 16})
		huge := append(append([]byte{}, site...), bytes.Repeat([]byte{0}, 20<<20-len(site))...)
		tooLarge := func(r *response, want string) {
			t.Helper()
			p := r.status(http.StatusUnprocessableEntity).problem()
			if p.Key != "invalid" || len(p.Errors) != 1 || p.Errors[0].Field != "file" || p.Errors[0].Key != "file.too_large" ||
				p.Errors[0].Message != want || p.Detail != "输入有误："+want {
				t.Errorf("%s: %+v, want file.too_large %q", r.req, p, want)
			}
		}

		// 20 MiB in a form of a few hundred bytes more: its size is the request's.
		body, ct := photoForm("巨幅.jpg", huge)
		tooLarge(post(e, rep, photos, ct, bytes.NewReader(body), true), "照片「巨幅.jpg」大小 20.0 MB，超过 10 MB 上限")
		// The length not said: read up to the limit, then refused without a size.
		tooLarge(post(e, rep, photos, ct, bytes.NewReader(body), false), "照片「巨幅.jpg」超过 10 MB 上限")
		// A photo whose length is not said is taken when it is within the limit.
		body, ct = photoForm("小图.jpg", site)
		post(e, rep, photos, ct, bytes.NewReader(body), false).status(http.StatusCreated)
		// A caller without the right is refused as such, the body unread.
		body, ct = photoForm("巨幅.jpg", huge)
		post(e, e.login("viewer"), photos, ct, bytes.NewReader(body), true).status(http.StatusForbidden)
		var list struct {
			Total int `json:"total"`
		}
		rep.do("GET", photos, nil).status(http.StatusOK).json(&list)
		if list.Total != 1 {
			t.Errorf("the report holds %d photos, want only 小图.jpg", list.Total)
		}

		// Case attachments: the body is the file, so its size is exact.
		f := newCaseFixture(t, e)
		var c caseBody
		f.sup.do("POST", "/api/v1/cases", map[string]any{"type": "enterprise_request", "title": "企业扩产用地诉求", "deadline": future(7),
			"assignees": []map[string]any{{"unit_id": f.gxzxID}}}).status(http.StatusCreated).json(&c)
		attach := func(name string, size int, sized bool) *response {
			pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{' '}, size-9)...)
			return post(e, f.gxzx, fmt.Sprintf("/api/v1/cases/%d/attachments?name=%s", c.ID, url.QueryEscape(name)),
				"application/octet-stream", bytes.NewReader(pdf), sized)
		}
		tooLarge(attach("扫描件.pdf", 20<<20, true), "文件「扫描件.pdf」大小 20 MB，超过 10 MB 上限")
		tooLarge(attach("扫描件.pdf", 17<<20, false), "文件「扫描件.pdf」超过 10 MB 上限")
		tooLarge(attach("扫描件.pdf", 12<<20, true), "文件「扫描件.pdf」大小 12 MB，超过 10 MB 上限") // read, and refused by the service
		// A 3 MiB scan is within the limit (the framework's default of 1 MiB no longer applies).
		attach("批复.pdf", 3<<20, true).status(http.StatusCreated)
		if got := len(getCase(t, f.sup, c.ID).Attachments); got != 1 {
			t.Errorf("the case has %d attachments, want only 批复.pdf", got)
		}
	})
}
