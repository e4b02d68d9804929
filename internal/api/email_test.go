package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

// A person's e-mail address (where the unit's reminders go) is checked and
// kept; a campaign's e-mail channel needs no URL.
func TestPersonEmailAndEmailChannel(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		admin := e.login("admin")
		p := admin.do("POST", "/api/v1/persons", map[string]any{"code": "ZJJ-LLY", "name": "住建局联络员", "email": "lianluo at zjj"}).
			status(http.StatusUnprocessableEntity).problem()
		if !slices.Contains(p.fields(), "email") {
			t.Errorf("malformed address: fields %v", p.fields())
		}
		var person struct {
			ID      int64  `json:"id"`
			Email   string `json:"email"`
			Version int    `json:"version"`
		}
		admin.do("POST", "/api/v1/persons", map[string]any{"code": "ZJJ-LLY", "name": "住建局联络员", "email": " lianluo@zjj.gov.cn "}).
			status(http.StatusCreated).json(&person)
		if person.Email != "lianluo@zjj.gov.cn" {
			t.Errorf("email %q", person.Email)
		}
		admin.do("GET", fmt.Sprintf("/api/v1/persons/%d", person.ID), nil).status(200).json(&person)
		if person.Email != "lianluo@zjj.gov.cn" {
			t.Errorf("read back %q", person.Email)
		}
		var ch struct {
			Format string `json:"format"`
			URL    string `json:"url"`
		}
		admin.do("POST", "/api/v1/campaigns/1/webhooks", map[string]any{"name": "邮件提醒", "format": "email", "url": ""}).status(http.StatusCreated).json(&ch)
		if ch.Format != "email" || ch.URL != "" {
			t.Errorf("e-mail channel %+v", ch)
		}
		admin.do("POST", "/api/v1/campaigns/1/webhooks", map[string]any{"name": "群", "format": "dingtalk", "url": ""}).status(http.StatusUnprocessableEntity)
	})
}
