package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/errs"
	"gongjian/internal/progress"
)

// photoUploadLimit bounds the request of one photo upload: the 10 MiB photo,
// the form around it, and room enough that a photo somewhat over the limit
// is refused by name rather than as an oversized request.
const photoUploadLimit = 16 << 20

// PhotoUploadInput is a multipart form with the photo in "file" and an
// optional "caption".
type PhotoUploadInput struct {
	ID          int64  `path:"id" minimum:"1"`
	Period      string `path:"period" maxLength:"10" doc:"填报期，如 2022-06 或 2022-W23"`
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"multipart/form-data"`
}

// PhotoListInput names a report by its item and period.
type PhotoListInput struct {
	ID     int64  `path:"id" minimum:"1"`
	Period string `path:"period" maxLength:"10" doc:"填报期，如 2022-06 或 2022-W23"`
}

// photoForm reads the file part (its name and bytes) and the caption of an upload.
func photoForm(contentType string, body []byte) (name, caption string, content []byte, err error) {
	noFile := errs.Invalid([]errs.FieldError{{Field: "file", Key: "photo.no_file", Message: "请以 multipart 表单上传照片（字段 file）"}})
	mt, params, _ := mime.ParseMediaType(contentType)
	if mt != "multipart/form-data" || params["boundary"] == "" {
		return "", "", nil, noFile
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	found := false
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", "", nil, errs.Invalid([]errs.FieldError{{Field: "file", Key: "photo.form", Message: "上传的表单不完整，请重新选择照片"}})
		}
		switch p.FormName() {
		case "file":
			if content, err = io.ReadAll(p); err != nil {
				return "", "", nil, fmt.Errorf("read photo: %w", err)
			}
			name, found = p.FileName(), true
		case "caption":
			b, _ := io.ReadAll(io.LimitReader(p, 4096))
			caption = string(b)
		}
	}
	if !found {
		return "", "", nil, noFile
	}
	return name, caption, content, nil
}

func (s *Server) photoRoutes() {
	p := s.deps.Progress
	tag := []string{"进展填报"}
	register(s, access.ReportWrite, huma.Operation{OperationID: "upload-report-photo", Method: http.MethodPost,
		Path: "/api/v1/items/{id}/reports/{period}/photos", Tags: tag, Summary: "上传现场照片", DefaultStatus: http.StatusCreated,
		MaxBodyBytes: photoUploadLimit,
		Description: "multipart 表单：file 为照片，caption 为说明（可选）。只接受 JPEG、PNG、WebP（按内容识别），每张不超过 10 MB，每期填报最多 20 张；" +
			"填报已报送或已审核通过时不能上传。JPEG 的 EXIF 拍摄时间和 GPS 位置随照片保存。"},
		func(ctx context.Context, in *PhotoUploadInput) (*Body[progress.Photo], error) {
			name, caption, content, err := photoForm(in.ContentType, in.RawBody)
			if err != nil {
				return nil, err
			}
			ph, err := p.AddPhoto(ctx, in.ID, in.Period, name, caption, content)
			if err != nil {
				return nil, err
			}
			return &Body[progress.Photo]{Body: ph}, nil
		})
	register(s, access.ItemRead, huma.Operation{OperationID: "list-report-photos", Method: http.MethodGet,
		Path: "/api/v1/items/{id}/reports/{period}/photos", Tags: tag, Summary: "填报的现场照片",
		Description: "该事项该期填报现有的照片（草稿首次保存前上传的也在内），按上传顺序。"},
		func(ctx context.Context, in *PhotoListInput) (*Body[ListOf[progress.Photo]], error) {
			ps, err := p.ListPhotos(ctx, in.ID, in.Period)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[progress.Photo]]{Body: ListOf[progress.Photo]{Items: ps, Total: len(ps)}}, nil
		})
	register(s, access.ItemRead, huma.Operation{OperationID: "get-report-photo", Method: http.MethodGet, Path: "/api/v1/report-photos/{id}",
		Tags: tag, Summary: "查看现场照片", Description: "照片本身，按其类型（image/jpeg、image/png、image/webp）在页面中显示。",
		Responses: map[string]*huma.Response{"200": {Description: "照片", Content: map[string]*huma.MediaType{
			"image/jpeg": {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			"image/png":  {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			"image/webp": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}},
		func(ctx context.Context, in *IDInput) (*huma.StreamResponse, error) {
			ph, b, err := p.PhotoContent(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return s.inline(ctx, ph.ContentType, ph.FileName, bytes.NewReader(b)), nil
		})
	register(s, access.ReportWrite, huma.Operation{OperationID: "delete-report-photo", Method: http.MethodDelete, Path: "/api/v1/report-photos/{id}",
		Tags: tag, Summary: "删除现场照片", Description: "只能删除草稿填报中的照片；照片仍保留在列出它的历史版本中。"},
		func(ctx context.Context, in *IDInput) (*struct{}, error) {
			return &struct{}{}, p.DeletePhoto(ctx, in.ID)
		})
}
