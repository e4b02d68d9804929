package casework

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
	"gongjian/internal/upload"
)

// RequestExtension asks for a later deadline (延期申请). An assigned unit (or
// a supervisor) asks; one request may wait at a time; the original deadline
// stays on the case.
func (s *Service) RequestExtension(ctx context.Context, id int64, newDeadline date.Date, reason string) (Case, error) {
	if err := need(ctx, access.CaseWrite); err != nil {
		return Case{}, err
	}
	reason = strings.TrimSpace(reason)
	return s.change(ctx, id, 0, "extension_request", func(q store.Querier, c Case, now time.Time) error {
		if c.State != StateOpen && c.State != StateInProgress {
			return stateConflict(c, "申请延期")
		}
		if _, err := taskFor(ctx, q, c, 0); err != nil && errs.KindOf(err) == errs.KindInvalid {
			if f := err.(*errs.Error).Fields; len(f) > 0 && f[0].Key == "case.no_task" {
				return err
			}
		}
		var ch errs.Checker
		switch {
		case newDeadline.IsZero():
			ch.Add("new_deadline", "required", "请填写申请延期至的日期", nil)
		case !newDeadline.After(c.Deadline):
			ch.Add("new_deadline", "extension.not_later", fmt.Sprintf("延期后的日期须晚于当前期限 %s", c.Deadline.Chinese()), newDeadline.String())
		}
		ch.Check(reason != "", "reason", "required", "申请延期须写明理由", nil)
		if err := ch.Err(); err != nil {
			return err
		}
		user, _, _ := actorIDs(ctx)
		_, err := q.Exec(ctx, `INSERT INTO case_extensions (case_id, old_deadline, new_deadline, reason, requested_by, requested_at)
			VALUES (?, ?, ?, ?, ?, ?)`, c.ID, c.Deadline, newDeadline, reason, user, now.UTC())
		if store.IsUnique(err) {
			return &errs.Error{Kind: errs.KindConflict, Key: "extension.open", Message: fmt.Sprintf("督办件 %s 已有一份待审批的延期申请", c.Code)}
		}
		if err != nil {
			return fmt.Errorf("insert case extension: %w", err)
		}
		return s.writeEvent(ctx, q, event{caseID: c.ID, action: "extension_request", at: now,
			note: fmt.Sprintf("原定 %s，申请延期至 %s：%s", c.Deadline.Chinese(), newDeadline.Chinese(), reason)})
	})
}

// DecideExtension approves or rejects a waiting request (case:close); a
// rejection needs a note. Approval moves the case's deadline, and the due
// dates of tasks that were due on the old deadline; original_deadline stays.
func (s *Service) DecideExtension(ctx context.Context, extID int64, approve bool, note string) (Case, error) {
	if err := need(ctx, access.CaseClose); err != nil {
		return Case{}, err
	}
	note = strings.TrimSpace(note)
	if !approve && note == "" {
		return Case{}, errs.Invalid([]errs.FieldError{{Field: "note", Key: "required", Message: "不批准延期须写明理由"}})
	}
	var caseID int64
	err := s.db.Read().QueryRow(ctx, `SELECT case_id FROM case_extensions WHERE id = ?`, extID).Scan(&caseID)
	if store.IsNoRows(err) {
		return Case{}, errs.NotFound("延期申请", extID)
	}
	if err != nil {
		return Case{}, fmt.Errorf("case extension: %w", err)
	}
	action := "extension_approved"
	if !approve {
		action = "extension_rejected"
	}
	return s.change(ctx, caseID, 0, action, func(q store.Querier, c Case, now time.Time) error {
		xs, err := extensions(ctx, q, `x.id = ?`, extID)
		if err != nil {
			return err
		}
		if len(xs) == 0 {
			return errs.NotFound("延期申请", extID)
		}
		x := xs[0]
		if x.State != "requested" {
			return &errs.Error{Kind: errs.KindConflict, Key: "extension.state", Message: "该延期申请已审批"}
		}
		state := "rejected"
		if approve {
			state = "approved"
		}
		user, _, _ := actorIDs(ctx)
		if _, err := q.Exec(ctx, `UPDATE case_extensions SET state = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?`,
			state, user, now.UTC(), note, extID); err != nil {
			return fmt.Errorf("decide case extension: %w", err)
		}
		msg := fmt.Sprintf("原定 %s，申请延期至 %s，未获批准", x.OldDeadline.Chinese(), x.NewDeadline.Chinese())
		if approve {
			msg = fmt.Sprintf("原定 %s，经批准延期至 %s", x.OldDeadline.Chinese(), x.NewDeadline.Chinese())
			if _, err := q.Exec(ctx, `UPDATE case_tasks SET due = ? WHERE case_id = ? AND state <> ? AND due = ?`,
				x.NewDeadline, c.ID, TaskAnswered, c.Deadline); err != nil {
				return fmt.Errorf("move task due: %w", err)
			}
			// A case no longer late is no longer escalated.
			if _, err := q.Exec(ctx, `UPDATE cases SET deadline = ?, escalated_to = NULL, escalated_at = NULL WHERE id = ?`, x.NewDeadline, c.ID); err != nil {
				return fmt.Errorf("move deadline: %w", err)
			}
		}
		if note != "" {
			msg += "。" + note
		}
		return s.writeEvent(ctx, q, event{caseID: c.ID, action: action, note: msg, at: now})
	})
}

// MaxAttachment is the largest file a case accepts.
const MaxAttachment = upload.MaxFile

// allowedTypes are the sniffed types accepted as they are.
var allowedTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/bmp": true, "application/pdf": true}

// officeTypes are the Office formats, recognised by their extension once the
// content is sniffed as a ZIP (OOXML) or an OLE compound file (old formats).
var officeTypes = map[string]string{
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".doc":  "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint",
}

// contentType decides what a file is from its bytes, never from the client's word.
func contentType(name string, b []byte) (string, bool) {
	sniffed := upload.Sniff(b)
	if allowedTypes[sniffed] {
		return sniffed, true
	}
	ext := strings.ToLower(filepath.Ext(name))
	ole := len(b) >= 8 && string(b[:8]) == "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
	switch {
	case sniffed == "application/zip" && strings.HasSuffix(ext, "x") && officeTypes[ext] != "":
		return officeTypes[ext], true
	case ole && officeTypes[ext] != "" && !strings.HasSuffix(ext, "x"):
		return officeTypes[ext], true
	}
	return sniffed, false
}

// Attach stores a file on a case; only images, PDF and Office documents up to 10 MiB.
func (s *Service) Attach(ctx context.Context, id int64, name string, content []byte) (CaseAttachment, error) {
	if err := need(ctx, access.CaseWrite); err != nil {
		return CaseAttachment{}, err
	}
	name = upload.CleanName(name)
	var ch errs.Checker
	ch.Check(name != "", "name", "required", "请提供文件名", nil)
	ch.Check(len(content) > 0, "file", "required", "文件为空", nil)
	ch.Check(len(content) <= MaxAttachment, "file", "file.too_large", upload.TooLarge(name, len(content), MaxAttachment), len(content))
	ct, ok := contentType(name, content)
	if len(content) > 0 && !ok {
		ch.Add("file", "file.type", fmt.Sprintf("不支持的文件类型（%s），只能上传图片、PDF 或 Office 文档", ct), name)
	}
	if err := ch.Err(); err != nil {
		return CaseAttachment{}, err
	}
	var out CaseAttachment
	_, err := s.change(ctx, id, 0, "attach", func(q store.Querier, c Case, now time.Time) error {
		user, _, _ := actorIDs(ctx)
		err := q.QueryRow(ctx, `INSERT INTO case_attachments (case_id, file_name, content_type, size, content, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, name, ct, len(content), content, user, now.UTC()).Scan(&out.ID)
		if err != nil {
			return fmt.Errorf("insert attachment: %w", err)
		}
		out = CaseAttachment{ID: out.ID, CaseID: c.ID, FileName: name, ContentType: ct, Size: int64(len(content)), UploadedByName: actorName(ctx), CreatedAt: now.UTC()}
		return s.writeEvent(ctx, q, event{caseID: c.ID, action: "attach", note: name, at: now})
	})
	return out, err
}

// Download returns an attachment and its bytes, if its case is visible.
func (s *Service) Download(ctx context.Context, attID int64) (CaseAttachment, []byte, error) {
	if err := need(ctx, access.CaseRead); err != nil {
		return CaseAttachment{}, nil, err
	}
	q := s.db.Read()
	var a CaseAttachment
	var b []byte
	err := q.QueryRow(ctx, `SELECT id, case_id, file_name, content_type, size, content, created_at FROM case_attachments WHERE id = ?`, attID).
		Scan(&a.ID, &a.CaseID, &a.FileName, &a.ContentType, &a.Size, &b, &a.CreatedAt)
	if store.IsNoRows(err) {
		return a, nil, errs.NotFound("附件", attID)
	}
	if err != nil {
		return a, nil, fmt.Errorf("attachment %d: %w", attID, err)
	}
	if _, err := s.getCase(ctx, q, a.CaseID); err != nil {
		return a, nil, errs.NotFound("附件", attID)
	}
	return a, b, nil
}
