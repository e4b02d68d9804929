package progress

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/exif"
	"gongjian/internal/store"
	"gongjian/internal/upload"
)

// Photo limits: a site photo is a JPEG, PNG or WebP (by its bytes) of at most
// 10 MiB, and a report holds at most 20.
const (
	MaxPhotoBytes     = upload.MaxFile
	MaxPhotosByReport = 20
	maxCaption        = 200
)

// photoTypes are the sniffed media types a report photo may have.
var photoTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true}

// cameraZone is the zone of a capture time whose camera wrote no offset:
// the district's own (China Standard Time).
var cameraZone = time.FixedZone("CST", 8*3600)

// Photo is a site photo of a report (现场照片). Its capture time and place
// come from the JPEG's EXIF block when the camera wrote them.
type Photo struct {
	ID          int64      `json:"id"`
	FileName    string     `json:"file_name"`
	ContentType string     `json:"content_type" enum:"image/jpeg,image/png,image/webp"`
	Size        int64      `json:"size"`
	SHA256      string     `json:"sha256"`
	Caption     string     `json:"caption"`
	CapturedAt  *time.Time `json:"captured_at" doc:"拍摄时间（照片 EXIF）"`
	Lat         *float64   `json:"lat" doc:"拍摄地纬度（照片 EXIF GPS）"`
	Lon         *float64   `json:"lon" doc:"拍摄地经度（照片 EXIF GPS）"`
	URL         string     `json:"url" doc:"照片地址"`
	UploadedBy  string     `json:"uploaded_by"`
	CreatedAt   time.Time  `json:"created_at"`
}

const photoSelect = `SELECT p.id, p.item_id, p.period, p.file_name, p.content_type, p.size, p.sha256, p.caption, p.captured_at, p.lat, p.lon,
	COALESCE(u.username, ''), p.created_at, p.deleted_at FROM report_photos p LEFT JOIN users u ON u.id = p.uploaded_by`

// photoRow is a photo with where it belongs.
type photoRow struct {
	Photo
	itemID  int64
	period  string
	deleted bool
}

func scanPhoto(s interface{ Scan(...any) error }) (photoRow, error) {
	var p photoRow
	var captured, deleted sql.NullTime
	var lat, lon sql.NullFloat64
	err := s.Scan(&p.ID, &p.itemID, &p.period, &p.FileName, &p.ContentType, &p.Size, &p.SHA256, &p.Caption, &captured, &lat, &lon,
		&p.UploadedBy, &p.CreatedAt, &deleted)
	if captured.Valid {
		t := captured.Time.UTC()
		p.CapturedAt = &t
	}
	if lat.Valid && lon.Valid {
		p.Lat, p.Lon = &lat.Float64, &lon.Float64
	}
	p.deleted = deleted.Valid
	p.URL = fmt.Sprintf("/api/v1/report-photos/%d", p.ID)
	return p, err
}

// reportPhotos lists the photos a report on itemID for period holds now, in upload order.
func reportPhotos(ctx context.Context, q store.Querier, itemID int64, period string) ([]Photo, error) {
	rows, err := q.Query(ctx, photoSelect+` WHERE p.item_id = ? AND p.period = ? AND p.deleted_at IS NULL ORDER BY p.id`, itemID, period)
	if err != nil {
		return nil, fmt.Errorf("report photos: %w", err)
	}
	defer rows.Close()
	out := []Photo{}
	for rows.Next() {
		p, err := scanPhoto(rows)
		if err != nil {
			return nil, fmt.Errorf("scan photo: %w", err)
		}
		out = append(out, p.Photo)
	}
	return out, rows.Err()
}

// checkReportPeriod checks that an item's campaign has the period and that it
// has begun, as saving a report does.
func (s *Service) checkReportPeriod(ctx context.Context, q store.Querier, itemID int64, periodKey string) (Period, error) {
	info, err := loadItemInfo(ctx, q, itemID)
	if err != nil {
		return Period{}, err
	}
	p, err := ParsePeriod(periodKey, info.dueDays)
	if err != nil {
		return Period{}, err
	}
	switch {
	case strings.Contains(p.Key, "-W") != (info.cadence == "weekly"):
		return p, errs.Invalid([]errs.FieldError{{Field: "period", Key: "period.cadence", Message: "填报期与攻坚年的填报周期不符", Value: periodKey}})
	case p.End.Before(info.start) || p.Start.After(info.end):
		return p, errs.Invalid([]errs.FieldError{{Field: "period", Key: "period.outside", Message: "填报期不在攻坚年起止日期内", Value: periodKey}})
	case p.Start.After(date.Of(s.now())):
		return p, errs.Invalid([]errs.FieldError{{Field: "period", Key: "period.future", Message: "不能填报尚未开始的填报期", Value: periodKey}})
	}
	return p, nil
}

// photosEditable refuses a change to the photos of a report that is
// submitted or accepted (frozen), or, when draftOnly, anything but a draft.
func photosEditable(ctx context.Context, q store.Querier, itemID int64, period string, draftOnly bool, what string) error {
	var state string
	query := `SELECT state FROM reports WHERE item_id = ? AND period = ?`
	if q.Engine() == store.Postgres {
		query += ` FOR SHARE` // a submit under way is waited for, and its state seen
	}
	err := q.QueryRow(ctx, query, itemID, period).Scan(&state)
	if store.IsNoRows(err) {
		return nil // not saved yet: a draft to be
	}
	if err != nil {
		return fmt.Errorf("report state: %w", err)
	}
	if state == Draft || (state == Returned && !draftOnly) {
		return nil
	}
	return &errs.Error{Kind: errs.KindConflict, Key: "report.photos_frozen",
		Message: fmt.Sprintf("%s 期填报当前为「%s」，不能%s；如需更正，请先修改填报（退回草稿）", period, stateLabel(state), what)}
}

func canWriteReports(ctx context.Context) error {
	if a := access.From(ctx); a != nil && !a.Can(access.ReportWrite) {
		return errs.Forbidden(fmt.Sprintf("当前角色（%s）没有权限（%s）", a.Role.Label(), access.ReportWrite))
	}
	return nil
}

// AddPhoto stores a site photo on the report of an item for a period, while
// the report is not yet saved, a draft or returned. Only the item's lead
// unit may; the file must be a JPEG, PNG or WebP by its bytes, at most
// 10 MiB, and the report may hold at most 20, exactly, however many uploads
// arrive at once.
func (s *Service) AddPhoto(ctx context.Context, itemID int64, periodKey, name, caption string, content []byte) (Photo, error) {
	if err := canWriteReports(ctx); err != nil {
		return Photo{}, err
	}
	if err := campaign.CheckLead(ctx, s.db.Read(), itemID); err != nil {
		return Photo{}, err
	}
	p, err := s.checkReportPeriod(ctx, s.db.Read(), itemID, periodKey)
	if err != nil {
		return Photo{}, err
	}
	out, err := newPhoto(name, caption, content)
	if err != nil {
		return Photo{}, err
	}
	if a := access.From(ctx); a != nil {
		out.UploadedBy = a.Username
	}
	out.CreatedAt = s.now().UTC()
	err = s.db.Tx(ctx, func(q store.Querier) error {
		if err := lockItemPhotos(ctx, q, itemID); err != nil {
			return err
		}
		if err := photosEditable(ctx, q, itemID, p.Key, false, "上传照片"); err != nil {
			return err
		}
		var n int
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM report_photos WHERE item_id = ? AND period = ? AND deleted_at IS NULL`, itemID, p.Key).Scan(&n); err != nil {
			return fmt.Errorf("count photos: %w", err)
		}
		if n >= MaxPhotosByReport {
			return errs.Invalid([]errs.FieldError{{Field: "file", Key: "photos.too_many",
				Message: fmt.Sprintf("照片「%s」未上传：每期填报最多 %d 张照片，已有 %d 张", out.FileName, MaxPhotosByReport, n), Value: out.FileName}})
		}
		return insertPhoto(ctx, q, itemID, p.Key, &out, content, actorID(ctx))
	})
	return out, err
}

// newPhoto checks an uploaded file as a site photo and reads its capture
// time and place from the JPEG's EXIF block; the name is cleaned of any path.
func newPhoto(name, caption string, content []byte) (Photo, error) {
	name = upload.CleanName(name)
	if name == "" {
		name = "照片"
	}
	caption = strings.TrimSpace(caption)
	mediaType := upload.Sniff(content)
	var ch errs.Checker
	ch.Check(len(content) > 0, "file", "required", fmt.Sprintf("照片「%s」是空文件", name), name)
	if msg := upload.TooLarge(name, len(content), MaxPhotoBytes); msg != "" {
		ch.Add("file", "file.too_large", "照片"+strings.TrimPrefix(msg, "文件"), len(content))
	}
	if len(content) > 0 && !photoTypes[mediaType] {
		ch.Add("file", "file.type", fmt.Sprintf("照片「%s」不是 JPEG、PNG 或 WebP 图片，请上传现场照片", name), name)
	}
	ch.Check(utf8.RuneCountInString(caption) <= maxCaption, "caption", "too_long", fmt.Sprintf("照片说明不能超过 %d 个字", maxCaption), caption)
	if err := ch.Err(); err != nil {
		return Photo{}, err
	}
	sum := sha256.Sum256(content)
	out := Photo{FileName: name, ContentType: mediaType, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]), Caption: caption}
	if mediaType == "image/jpeg" {
		if info, err := exif.Read(content, cameraZone); err == nil {
			if !info.Captured.IsZero() {
				t := info.Captured.UTC()
				out.CapturedAt = &t
			}
			if info.HasGPS {
				out.Lat, out.Lon = &info.Lat, &info.Lon
			}
		}
	}
	return out, nil
}

// lockItemPhotos makes concurrent changes to the photos of an item's reports
// take turns on PostgreSQL, so that two uploads cannot both count 19 and
// make 21: the item's row is locked until the transaction ends (not against
// readers, nor against new rows that refer to the item). A SQLite write
// transaction holds the database's write lock from its start already.
func lockItemPhotos(ctx context.Context, q store.Querier, itemID int64) error {
	if q.Engine() != store.Postgres {
		return nil
	}
	if _, err := q.Exec(ctx, `SELECT id FROM items WHERE id = ? FOR NO KEY UPDATE`, itemID); err != nil {
		return fmt.Errorf("lock item %d for photos: %w", itemID, err)
	}
	return nil
}

// insertPhoto writes a checked photo (ph, its CreatedAt set) to the report
// of an item for a period, and audits it, in q's transaction; uploader is a
// user id or nil.
func insertPhoto(ctx context.Context, q store.Querier, itemID int64, period string, ph *Photo, content []byte, uploader any) error {
	if err := q.QueryRow(ctx, `INSERT INTO report_photos (item_id, period, file_name, content_type, size, sha256, content, caption,
		captured_at, lat, lon, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		itemID, period, ph.FileName, ph.ContentType, len(content), ph.SHA256, content, ph.Caption, ph.CapturedAt, ph.Lat, ph.Lon,
		uploader, ph.CreatedAt).Scan(&ph.ID); err != nil {
		return fmt.Errorf("insert photo: %w", err)
	}
	ph.URL = fmt.Sprintf("/api/v1/report-photos/%d", ph.ID)
	return audit.Write(ctx, q, audit.Entry{Action: "create", Entity: "report_photo", EntityID: ph.ID,
		After: map[string]any{"item_id": itemID, "period": period, "photo": *ph}})
}

// ListPhotos returns the photos a report on an item for a period holds now,
// also before the report is first saved, if the item is visible.
func (s *Service) ListPhotos(ctx context.Context, itemID int64, periodKey string) ([]Photo, error) {
	if a := access.From(ctx); a != nil && !a.Can(access.ItemRead) {
		return nil, errs.Forbidden(fmt.Sprintf("当前角色（%s）没有权限（%s）", a.Role.Label(), access.ItemRead))
	}
	q := s.db.Read()
	if err := campaignVisible(ctx, q, itemID); err != nil {
		return nil, err
	}
	return reportPhotos(ctx, q, itemID, periodKey)
}

// getPhoto loads a photo, deleted or not, if its item is visible to the actor.
func getPhoto(ctx context.Context, q store.Querier, id int64) (photoRow, error) {
	p, err := scanPhoto(q.QueryRow(ctx, photoSelect+` WHERE p.id = ?`, id))
	if store.IsNoRows(err) {
		return p, errs.NotFound("照片", id)
	}
	if err != nil {
		return p, fmt.Errorf("photo %d: %w", id, err)
	}
	if err := campaignVisible(ctx, q, p.itemID); err != nil {
		return p, errs.NotFound("照片", id)
	}
	return p, nil
}

// PhotoContent returns a photo and its bytes, if its item is visible. A
// removed photo is still served: the report revisions that listed it show it.
func (s *Service) PhotoContent(ctx context.Context, id int64) (Photo, []byte, error) {
	if a := access.From(ctx); a != nil && !a.Can(access.ItemRead) {
		return Photo{}, nil, errs.Forbidden(fmt.Sprintf("当前角色（%s）没有权限（%s）", a.Role.Label(), access.ItemRead))
	}
	q := s.db.Read()
	p, err := getPhoto(ctx, q, id)
	if err != nil {
		return Photo{}, nil, err
	}
	var b []byte
	if err := q.QueryRow(ctx, `SELECT content FROM report_photos WHERE id = ?`, id).Scan(&b); err != nil {
		return Photo{}, nil, fmt.Errorf("photo content %d: %w", id, err)
	}
	return p.Photo, b, nil
}

// DeletePhoto removes a photo from its report while the report is a draft
// (or not saved yet). The photo is kept, marked removed, for the revisions
// that listed it.
func (s *Service) DeletePhoto(ctx context.Context, id int64) error {
	if err := canWriteReports(ctx); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(q store.Querier) error {
		p, err := getPhoto(ctx, q, id)
		if err != nil {
			return err
		}
		if p.deleted {
			return errs.NotFound("照片", id)
		}
		if err := campaign.CheckLead(ctx, q, p.itemID); err != nil {
			return err
		}
		if err := photosEditable(ctx, q, p.itemID, p.period, true, "删除照片"); err != nil {
			return err
		}
		if _, err := q.Exec(ctx, `UPDATE report_photos SET deleted_at = ? WHERE id = ?`, s.now().UTC(), id); err != nil {
			return fmt.Errorf("delete photo: %w", err)
		}
		return audit.Write(ctx, q, audit.Entry{Action: "delete", Entity: "report_photo", EntityID: id,
			Before: map[string]any{"item_id": p.itemID, "period": p.period, "photo": p.Photo}})
	})
}

// DemoPhoto is a site photo the demo loader puts on a filed report.
type DemoPhoto struct {
	FileName, Caption string
	Content           []byte
}

// AddPhotosForDemo puts photos on the report of an item for a period as if
// its unit had uploaded them while drafting it: checked like any upload,
// dated an hour before the report's first revision, uploaded by whoever
// saved that, and listed in every revision since. System work (the demo
// loader) in q's transaction; a report that has or had photos is skipped,
// as is a period with no report. It reports how many photos it added.
func AddPhotosForDemo(ctx context.Context, q store.Querier, itemID int64, period string, photos []DemoPhoto) (int, error) {
	var reportID int64
	var first time.Time
	var uploader sql.NullInt64
	err := q.QueryRow(ctx, `SELECT r.id, v.at, v.user_id FROM reports r JOIN report_revisions v ON v.report_id = r.id
		WHERE r.item_id = ? AND r.period = ? ORDER BY v.id LIMIT 1`, itemID, period).Scan(&reportID, &first, &uploader)
	if store.IsNoRows(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("demo photos of item %d %s: %w", itemID, period, err)
	}
	var had int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM report_photos WHERE item_id = ? AND period = ?`, itemID, period).Scan(&had); err != nil {
		return 0, fmt.Errorf("count photos: %w", err)
	}
	if had > 0 {
		return 0, nil
	}
	for i, dp := range photos {
		ph, err := newPhoto(dp.FileName, dp.Caption, dp.Content)
		if err != nil {
			return i, fmt.Errorf("demo photo %s: %w", dp.FileName, err)
		}
		ph.CreatedAt = first.Add(-time.Hour + time.Duration(i)*time.Minute).UTC()
		var by any
		if uploader.Valid {
			by = uploader.Int64
		}
		if err := insertPhoto(ctx, q, itemID, period, &ph, dp.Content, by); err != nil {
			return i, err
		}
	}
	// The revisions were recorded with the report as it was: now it lists the photos.
	list, err := reportPhotos(ctx, q, itemID, period)
	if err != nil {
		return 0, err
	}
	listed, err := json.Marshal(list)
	if err != nil {
		return 0, fmt.Errorf("demo photos: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT id, snapshot FROM report_revisions WHERE report_id = ? ORDER BY id`, reportID)
	if err != nil {
		return 0, fmt.Errorf("revisions of report %d: %w", reportID, err)
	}
	snaps := map[int64]string{}
	for rows.Next() {
		var id int64
		var snap string
		if err := rows.Scan(&id, &snap); err != nil {
			rows.Close()
			return 0, err
		}
		snaps[id] = snap
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for id, snap := range snaps {
		var r map[string]json.RawMessage
		if err := json.Unmarshal([]byte(snap), &r); err != nil {
			return 0, fmt.Errorf("revision %d: %w", id, err)
		}
		r["photos"] = listed
		b, err := json.Marshal(r)
		if err != nil {
			return 0, err
		}
		if _, err := q.Exec(ctx, `UPDATE report_revisions SET snapshot = ? WHERE id = ?`, string(b), id); err != nil {
			return 0, fmt.Errorf("revision %d: %w", id, err)
		}
	}
	return len(photos), nil
}
