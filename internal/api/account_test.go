package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/auth"
	"gongjian/internal/org"
)

func TestGeneratedPasswordMustBeChangedFirst(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		admin := e.login("admin")
		u, _ := org.New(e.db).UnitByCode(context.Background(), "ZJJ")
		created := admin.do("POST", "/api/v1/users", map[string]any{"username": "newbie", "role": "viewer", "unit_id": u.ID}).
			status(http.StatusCreated).obj()
		pw, _ := created["password"].(string)
		if pw == "" {
			t.Fatalf("no generated password in %v", created)
		}
		c := e.anon()
		r := c.do("POST", "/api/v1/auth/login", map[string]string{"username": "newbie", "password": pw}).status(200)
		c.cookie = r.res.Cookies()[0]
		if me := c.do("GET", "/api/v1/auth/me", nil).status(200).obj(); me["user"].(map[string]any)["must_change_password"] != true {
			t.Errorf("me: %v", me)
		}
		if p := c.do("GET", "/api/v1/items", nil).status(http.StatusForbidden).problem(); p.Key != "password.change_required" {
			t.Errorf("before changing the password: key %q", p.Key)
		}
		p := c.do("POST", "/api/v1/auth/password", map[string]string{"old_password": pw, "new_password": "short"}).
			status(http.StatusUnprocessableEntity).problem()
		if len(p.fields()) != 1 || p.fields()[0] != "new_password" {
			t.Errorf("weak password: fields %v", p.fields())
		}
		c.do("POST", "/api/v1/auth/password", map[string]string{"old_password": pw, "new_password": "Better-Passw0rd"}).status(http.StatusNoContent)
		c.do("GET", "/api/v1/items", nil).status(200)
	})
}

func TestAPITokensAreScopedAndRevocable(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		// A token cannot carry a right its owner lacks.
		sup.do("POST", "/api/v1/auth/tokens", map[string]any{"name": "x", "scopes": []string{"user:manage"}}).status(http.StatusUnprocessableEntity)
		var tok struct {
			Token struct {
				ID int64 `json:"id"`
			} `json:"token"`
			Secret string `json:"secret"`
		}
		sup.do("POST", "/api/v1/auth/tokens", map[string]any{"name": "大屏对接", "scopes": []string{"item:read"}}).status(http.StatusCreated).json(&tok)
		if !strings.HasPrefix(tok.Secret, "gjt_") {
			t.Fatalf("secret %q", tok.Secret)
		}
		bot := e.anon()
		bearer := []string{"Authorization", "Bearer " + tok.Secret}
		bot.do("GET", "/api/v1/items", nil, bearer...).status(200)
		// item:edit is the supervisor's, but not the token's.
		bot.do("POST", "/api/v1/items", map[string]any{}, bearer...).status(http.StatusForbidden)
		bot.do("GET", "/api/v1/units", nil, bearer...).status(http.StatusForbidden)
		var list struct {
			Items []map[string]any `json:"items"`
		}
		sup.do("GET", "/api/v1/auth/tokens", nil).status(200).json(&list)
		if len(list.Items) != 1 || list.Items[0]["last_used_at"] == nil {
			t.Errorf("token list after use: %v", list.Items)
		}
		if strings.Contains(fmt.Sprint(list.Items), tok.Secret) {
			t.Error("token list shows the secret again")
		}
		sup.do("DELETE", fmt.Sprintf("/api/v1/auth/tokens/%d", tok.Token.ID), nil).status(http.StatusNoContent)
		bot.do("GET", "/api/v1/items", nil, bearer...).status(http.StatusUnauthorized)
	})
}

func TestRoleChangeEndsSessionsAndLogoutEverywhere(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		viewer1, viewer2 := e.login("viewer"), e.login("viewer")
		viewer1.do("POST", "/api/v1/auth/logout-all", nil).status(http.StatusNoContent)
		viewer2.do("GET", "/api/v1/auth/me", nil).status(http.StatusUnauthorized)

		rep := e.login("zhujianju")
		admin := e.login("admin")
		u, err := auth.New(e.db, 0, 0).UserByUsername(context.Background(), "zhujianju")
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/users/%d", u.ID)
		admin.do("PUT", path, map[string]any{"role": "viewer", "unit_id": u.UnitID}, "If-Match", fmt.Sprintf(`"%d"`, u.Version)).status(200)
		rep.do("GET", "/api/v1/items", nil).status(http.StatusUnauthorized)
		// The admin cannot lock himself out.
		me := admin.do("GET", "/api/v1/auth/me", nil).status(200).obj()["user"].(map[string]any)
		p := admin.do("PUT", fmt.Sprintf("/api/v1/users/%.0f", me["id"]), map[string]any{"role": "viewer", "unit_id": me["unit_id"], "disabled": true},
			"If-Match", fmt.Sprintf(`"%.0f"`, me["version"])).status(http.StatusUnprocessableEntity).problem()
		if len(p.Errors) != 2 {
			t.Errorf("self-demotion: %+v", p)
		}
		// A reset password is shown once and must be changed.
		reset := admin.do("POST", path+"/reset-password", nil).status(200).obj()
		c := e.anon()
		r := c.do("POST", "/api/v1/auth/login", map[string]any{"username": "zhujianju", "password": reset["password"]}).status(200)
		c.cookie = r.res.Cookies()[0]
		c.do("GET", "/api/v1/units", nil).status(http.StatusForbidden)
	})
}

// The audit trail exports to a workbook that opens, and the export is itself on the trail.
func TestAuditExport(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		r := sup.do("GET", "/api/v1/audit/export?entity=item", nil).status(200)
		if ct := r.res.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
			t.Fatalf("content type %q", ct)
		}
		f, err := excelize.OpenReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatalf("export does not open as a workbook: %v", err)
		}
		rows, _ := f.GetRows("留痕")
		var n struct {
			Total int `json:"total"`
		}
		sup.do("GET", "/api/v1/audit?entity=item", nil).status(200).json(&n)
		if len(rows) != n.Total+1 || rows[0][0] != "编号" {
			t.Errorf("workbook has %d rows for %d records", len(rows), n.Total)
		}
		sup.do("GET", "/api/v1/audit?entity=audit_log", nil).status(200).json(&n)
		if n.Total != 1 {
			t.Errorf("the export was not recorded: %d records", n.Total)
		}
		e.login("viewer").do("GET", "/api/v1/audit/export", nil).status(403)
	})
}
