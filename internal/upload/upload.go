// Package upload holds what every file upload checks, so case attachments and
// report photos refuse the same things in the same words: the file's name
// cleaned of any path, its type decided from its bytes (never from the name
// or the client's word), and its size against a limit.
package upload

import (
	"fmt"
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
	return fmt.Sprintf("文件「%s」大小 %s，超过 %s 上限", name, MB(size), MB(max))
}

// MB shows a byte count in megabytes, e.g. "11.0 MB", "10 MB".
func MB(n int) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
