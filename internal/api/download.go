package api

import (
	"context"
	"io"
	"net/url"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// xlsxMediaType is the media type of an .xlsx workbook.
const xlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// xlsxResponses documents a route whose answer is an Excel workbook.
func xlsxResponses() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {Description: "Excel 工作簿", Content: map[string]*huma.MediaType{
		xlsxMediaType: {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}
}

// download answers body as a file attachment named name. Every export,
// template and document goes through here, so they share one header
// format: an ASCII fallback name plus the exact (often Chinese) name in
// filename*.
func (s *Server) download(ctx context.Context, mediaType, name string, body io.WriterTo) *huma.StreamResponse {
	return s.sendFile(ctx, mediaType, name, contentDisposition(name), body, nil)
}

// inline answers an image to be shown in the page (a report photo) rather
// than saved: its exact sniffed type (never one that runs script), and, since
// a stored file never changes, kept by the browser for a day. The server
// sends X-Content-Type-Options: nosniff with every answer.
func (s *Server) inline(ctx context.Context, mediaType, name string, body io.WriterTo) *huma.StreamResponse {
	disp := "inline" + strings.TrimPrefix(contentDisposition(name), "attachment")
	return s.sendFile(ctx, mediaType, name, disp, body, map[string]string{"Cache-Control": "private, max-age=86400"})
}

func (s *Server) sendFile(ctx context.Context, mediaType, name, disposition string, body io.WriterTo, headers map[string]string) *huma.StreamResponse {
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		hctx.SetHeader("Content-Type", mediaType)
		hctx.SetHeader("Content-Disposition", disposition)
		for k, v := range headers {
			hctx.SetHeader(k, v)
		}
		if _, err := body.WriteTo(hctx.BodyWriter()); err != nil {
			s.deps.Log.ErrorContext(ctx, "download", "file", name, "err", err)
		}
	}}
}

// contentDisposition names an attachment for old and new browsers alike.
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + url.PathEscape(name)
}
