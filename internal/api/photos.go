package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"gongjian/internal/access"
	"gongjian/internal/errs"
	"gongjian/internal/progress"
	"gongjian/internal/upload"
)

// fileRequestLimit bounds the request of one file upload (a report photo, a
// case attachment): the 10 MiB file, the form around it, and room enough that
// a file somewhat over the limit is read and refused with its exact size. A
// larger request is refused unread by limitBody, in the same words.
const fileRequestLimit = 16 << 20

// oversizeKey holds, in a request's context, the refusal of an upload whose
// body was over its limit; the handler returns it (oversize).
type oversizeKey struct{}

// limitBody makes op refuse a request body over fileRequestLimit the way a
// file over its limit of max bytes is refused: a problem+json 422 with the
// field error file.too_large naming the limit, the file (from name, when the
// request's beginning tells it) and its size (when the request says), instead
// of huma's generic 413. The refusal travels in the context to the handler,
// which returns it first (oversize), so it maps to HTTP like every error.
// Callers without perm are left to the permission check, unread.
func limitBody(op huma.Operation, perm access.Permission, noun string, max int,
	name func(hctx huma.Context, head []byte) string) huma.Operation {
	op.MaxBodyBytes = fileRequestLimit + 1 // never reached: the middleware reads at most the limit
	op.Middlewares = append(op.Middlewares, func(hctx huma.Context, next func(huma.Context)) {
		if a := access.From(hctx.Context()); a == nil || !a.Can(perm) {
			next(hctx)
			return
		}
		r, _ := humago.Unwrap(hctx)
		size := r.ContentLength
		if size >= 0 && size <= fileRequestLimit {
			next(hctx) // the server reads no more than the length said
			return
		}
		var head []byte
		if size > fileRequestLimit {
			head, _ = io.ReadAll(io.LimitReader(r.Body, 64<<10)) // enough for the form's headers
		} else { // length not said (chunked): read up to the limit to know
			b, err := io.ReadAll(io.LimitReader(r.Body, fileRequestLimit+1))
			if err == nil && len(b) <= fileRequestLimit {
				next(bodyContext{hctx, bytes.NewReader(b)})
				return
			}
			head = b[:min(len(b), 64<<10)]
		}
		msg := upload.Oversize(noun, name(hctx, head), size, max)
		err := errs.Invalid([]errs.FieldError{{Field: "file", Key: "file.too_large", Message: msg, Value: max}})
		// The handler gets the beginning only (huma wants a body), and refuses.
		next(bodyContext{huma.WithValue(hctx, oversizeKey{}, err), io.MultiReader(bytes.NewReader(head), strings.NewReader(" "))})
	})
	return op
}

// oversize is the refusal limitBody left for the handler, or nil.
func oversize(ctx context.Context) error {
	err, _ := ctx.Value(oversizeKey{}).(error)
	return err
}

// bodyContext is a request whose body has been read (or given up) already.
type bodyContext struct {
	humaContext
	body io.Reader
}

// humaContext lets bodyContext embed a huma.Context, whose Context method
// would clash with a field of that name.
type humaContext = huma.Context

func (c bodyContext) BodyReader() io.Reader { return c.body }
func (c bodyContext) Unwrap() huma.Context  { return c.humaContext }

// queryFileName names the file of an upload whose body is the file itself
// from its name parameter.
func queryFileName(hctx huma.Context, _ []byte) string { return upload.CleanName(hctx.Query("name")) }

// formFileName names the file of a photo upload from the form's beginning.
func formFileName(hctx huma.Context, head []byte) string {
	return upload.FormFileName(hctx.Header("Content-Type"), head, "file")
}

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
	register(s, access.ReportWrite, limitBody(huma.Operation{OperationID: "upload-report-photo", Method: http.MethodPost,
		Path: "/api/v1/items/{id}/reports/{period}/photos", Tags: tag, Summary: "上传现场照片", DefaultStatus: http.StatusCreated,
		Description: "multipart 表单：file 为照片，caption 为说明（可选）。只接受 JPEG、PNG、WebP（按内容识别），每张不超过 10 MB，每期填报最多 20 张；" +
			"填报已报送或已审核通过时不能上传。JPEG 的 EXIF 拍摄时间和 GPS 位置随照片保存。" +
			"过大的照片（包括超过 16 MB、不再读取的请求）以 422 和字段错误 file.too_large 拒绝，说明上限和文件名。"},
		access.ReportWrite, "照片", progress.MaxPhotoBytes, formFileName),
		func(ctx context.Context, in *PhotoUploadInput) (*Body[progress.Photo], error) {
			if err := oversize(ctx); err != nil {
				return nil, err
			}
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
