package upload_test

import (
	"testing"

	"gongjian/internal/upload"
)

func TestCleanNameSniffAndSize(t *testing.T) {
	for in, want := range map[string]string{`C:\照片\现场.jpg`: "现场.jpg", "../../etc/passwd": "passwd", " a.png ": "a.png", "/": "", "": ""} {
		if got := upload.CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
	for b, want := range map[string]string{
		"\xff\xd8\xff\xe0\x00\x10JFIF\x00":      "image/jpeg",
		"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR": "image/png",
		"RIFF\x24\x00\x00\x00WEBPVP8 ":          "image/webp",
		"MZ\x90\x00\x03\x00\x00\x00\x04\x00":    "application/octet-stream",
	} {
		if got := upload.Sniff([]byte(b)); got != want {
			t.Errorf("Sniff(%q) = %q, want %q", b, got, want)
		}
	}
	if msg := upload.TooLarge("现场.jpg", 11<<20, upload.MaxFile); msg != "文件「现场.jpg」大小 11 MB，超过 10 MB 上限" {
		t.Errorf("11 MiB: %q", msg)
	}
	if msg := upload.TooLarge("a.jpg", upload.MaxFile, upload.MaxFile); msg != "" {
		t.Errorf("exactly 10 MiB refused: %q", msg)
	}
}
