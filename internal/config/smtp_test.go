package config_test

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongjian/internal/config"
)

func TestSMTPSettings(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "gongjian.conf")
	if err := os.WriteFile(file, []byte("smtp-addr = mail.district.gov.cn:587\nsmtp-from = 攻坚平台 <gongjian@district.gov.cn>\nsmtp-username = gongjian\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := config.Default()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	set, err := c.Explain(fs, []string{"--config", file}, envOf(map[string]string{"GONGJIAN_SMTP_PASSWORD": "s3cret", "GONGJIAN_SMTP_TLS": "tls"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPAddr != "mail.district.gov.cn:587" || c.SMTPFrom != "攻坚平台 <gongjian@district.gov.cn>" || c.SMTPUsername != "gongjian" ||
		c.SMTPPassword != "s3cret" || c.SMTPTLS != "tls" {
		t.Errorf("config %+v", c)
	}
	for _, s := range set {
		switch s.Name {
		case "smtp-password":
			if s.Value != "******" || s.Source != config.FromEnv {
				t.Errorf("smtp-password shown as %q from %s", s.Value, s.Source)
			}
		case "smtp-addr":
			if s.Source != config.FromFile {
				t.Errorf("smtp-addr from %s, want file", s.Source)
			}
		}
	}
	if d := config.Default(); d.SMTPTLS != "starttls" || d.SMTPAddr != "" {
		t.Errorf("default: e-mail off, STARTTLS when turned on; got %q %q", d.SMTPAddr, d.SMTPTLS)
	}
}

func TestBadSMTPSettingsAreNamed(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"--smtp-tls", "ssl"}, []string{"--smtp-tls", "ssl"}},
		{[]string{"--smtp-addr", "mail.example.gov.cn"}, []string{"--smtp-addr", "--smtp-from"}},
		{[]string{"--smtp-addr", "mail:25", "--smtp-from", "not an address"}, []string{"--smtp-from", "not an address"}},
	} {
		_, err := load(tt.args, nil)
		if err == nil {
			t.Errorf("%v accepted", tt.args)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error %q does not name %q", tt.args, err, w)
			}
		}
	}
}
