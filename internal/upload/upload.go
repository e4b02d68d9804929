// Package upload holds what every file upload checks, so case attachments and
// report photos refuse the same things in the same words: the file's name
// cleaned of any path, its type decided from its bytes (never from the name
// or the client's word), and its size against a limit.
package upload

import (
	"bytes"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
)

// MaxFile is the largest single file the product accepts (10 MiB).
const MaxFile = 10 << 20

// CleanName is the base name of an uploaded file, whatever path the client sent.
func CleanName(name string) string {
	name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(name, `\`, "/")))
	if name == "." || name == "/" {
		return ""
	}
	return name
}

// Sniff is the media type of b as its bytes say (no parameters), e.g.
// image/jpeg, image/webp, application/pdf, application/octet-stream.
func Sniff(b []byte) string {
	base, _, _ := strings.Cut(http.DetectContentType(b), ";")
	return base
}

// TooLarge says, in Chinese and naming the file, that it exceeds max bytes;
// "" when it does not.
func TooLarge(name string, size, max int) string {
	if size <= max {
		return ""
	}
	return Oversize("文件", name, int64(size), max)
}

// Oversize says, in Chinese, that a file (noun: 文件, 照片 …) is over max
// bytes, naming the file when name is known and its size when size > 0:
// 照片「大图.jpg」大小 20 MB，超过 10 MB 上限; 照片超过 10 MB 上限.
func Oversize(noun, name string, size int64, max int) string {
	if name != "" {
		noun += "「" + name + "」"
	}
	if size > 0 {
		noun += "大小 " + MB(int(size)) + "，"
	}
	return noun + "超过 " + MB(max) + " 上限"
}

// FormFileName is the name of the file sent in field of a multipart/form-data
// body (contentType is the request's) from the body's beginning alone, so a
// request cut off at its size limit can still name its file; "" when the
// part is not in head.
func FormFileName(contentType string, head []byte, field string) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return ""
	}
	mr := multipart.NewReader(bytes.NewReader(head), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return ""
		}
		if p.FormName() == field {
			return CleanName(p.FileName())
		}
	}
}

// MB shows a byte count in megabytes, e.g. "11.0 MB", "10 MB".
func MB(n int) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
