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

// A request cut off at its limit still names its file and the limit.
func TestOversizeAndFormFileName(t *testing.T) {
	for _, c := range []struct {
		noun, name string
		size       int64
		want       string
	}{
		{"照片", "大图.jpg", 20 << 20, "照片「大图.jpg」大小 20 MB，超过 10 MB 上限"},
		{"照片", "", 17<<20 + 1<<19, "照片大小 17.5 MB，超过 10 MB 上限"},
		{"文件", "合同.pdf", 0, "文件「合同.pdf」超过 10 MB 上限"},
		{"照片", "", -1, "照片超过 10 MB 上限"},
	} {
		if got := upload.Oversize(c.noun, c.name, c.size, upload.MaxFile); got != c.want {
			t.Errorf("Oversize(%q, %q, %d) = %q, want %q", c.noun, c.name, c.size, got, c.want)
		}
	}
	// A form whose caption comes first and whose photo is cut off midway.
	body := "--XyZ\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n主体结构\r\n" +
		"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\照片\\\\工地.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0\x00\x10JFIF"
	ct := "multipart/form-data; boundary=XyZ"
	if got := upload.FormFileName(ct, []byte(body), "file"); got != "工地.jpg" {
		t.Errorf("file name from a cut-off form: %q, want 工地.jpg", got)
	}
	for _, c := range []struct{ ct, body string }{
		{ct, body[:40]},               // cut before the file part
		{"application/json", body},    // not a form
		{"multipart/form-data", body}, // no boundary
	} {
		if got := upload.FormFileName(c.ct, []byte(c.body), "file"); got != "" {
			t.Errorf("FormFileName(%q, %d bytes) = %q, want none", c.ct, len(c.body), got)
		}
	}
}
