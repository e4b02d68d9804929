package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The arm64 build (鲲鹏 and 飞腾 servers) migrates a fresh database and
// answers /healthz, run under Debian's qemu-user on this amd64 machine.
func TestArm64BuildServesUnderQemu(t *testing.T) {
	if runtime.GOARCH == "arm64" {
		return // the whole suite already runs natively on arm64
	}
	var qemu string
	for _, name := range []string{"qemu-aarch64-static", "qemu-aarch64"} {
		if p, err := exec.LookPath(name); err == nil {
			qemu = p
			break
		}
	}
	if qemu == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("qemu-user is missing: the test command installs Debian's qemu-user in CI")
		}
		return
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "gongjian-arm64")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("arm64 build: %v\n%s", err, out)
	}
	if out, err := exec.Command("file", bin).Output(); err == nil && !strings.Contains(string(out), "aarch64") {
		t.Fatalf("not an arm64 binary: %s", out)
	}
	cmd := exec.Command(qemu, bin, "serve", "--db", filepath.Join(dir, "arm.db"), "--addr", "127.0.0.1:0", "--job-interval", "0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start under %s: %v", qemu, err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	urls := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg=serving url=(http://\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	var url string
	select {
	case url = <-urls:
	case <-time.After(2 * time.Minute):
		t.Fatal("the arm64 server did not start under qemu")
	}
	res, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatalf("healthz: %v", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(body), `"status":"ok"`) {
		t.Errorf("healthz under qemu = %d %s", res.StatusCode, body)
	}
	res2, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatalf("readyz: %v", err)
	}
	res2.Body.Close()
	if res2.StatusCode != 200 {
		t.Errorf("readyz under qemu = %d (the SQLite database did not open)", res2.StatusCode)
	}
}
