package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/errs"
)

// Problem is an RFC 9457 problem+json body, with the field errors and a
// message key the UI translates, and the request id to find it in the log.
type Problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail,omitempty"`
	Key       string            `json:"key" doc:"消息键，界面据此翻译"`
	Errors    []errs.FieldError `json:"errors,omitempty"`
	Problems  []ImportProblem   `json:"problems,omitempty" doc:"导入文件中的问题：工作表、行、列、值和说明"`
	RequestID string            `json:"request_id,omitempty"`
}

func (p *Problem) Error() string { return p.Detail }

// GetStatus implements huma.StatusError.
func (p *Problem) GetStatus() int { return p.Status }

// ContentType makes huma send application/problem+json.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

var statusOf = map[errs.Kind]int{
	errs.KindInvalid:      http.StatusUnprocessableEntity,
	errs.KindNotFound:     http.StatusNotFound,
	errs.KindConflict:     http.StatusConflict,
	errs.KindUnauthorized: http.StatusUnauthorized,
	errs.KindForbidden:    http.StatusForbidden,
	errs.KindTooMany:      http.StatusTooManyRequests,
}

// problemOf maps any error from the domain to a Problem: the one place where
// error categories become HTTP statuses. Internal errors are logged with the
// request id and shown to the user without their cause.
func problemOf(ctx context.Context, log *slog.Logger, err error) *Problem {
	rid := requestID(ctx)
	var e *errs.Error
	if errors.As(err, &e) && e.Kind != errs.KindInternal {
		status := statusOf[e.Kind]
		if e.Key == "stale_version" {
			status = http.StatusPreconditionFailed
		}
		p := &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: e.Message,
			Key: e.Key, Errors: e.Fields, RequestID: rid}
		var ip interface{ ImportProblems() []ImportProblem }
		if errors.As(err, &ip) {
			p.Problems = ip.ImportProblems()
		}
		return p
	}
	if errors.Is(err, context.Canceled) {
		return &Problem{Type: "about:blank", Title: "Client Closed Request", Status: 499, Key: "canceled", RequestID: rid}
	}
	log.ErrorContext(ctx, "internal error", "err", err, "request_id", rid)
	return &Problem{Type: "about:blank", Title: http.StatusText(500), Status: 500,
		Detail: "服务器内部错误，请联系管理员并提供请求编号 " + rid, Key: "internal", RequestID: rid}
}

var setHumaErrors sync.Once

// installHumaErrors makes huma's own errors (schema validation, unreadable
// bodies) use our Problem shape with Chinese messages. huma keeps this hook in
// a package variable, so it is set once per process.
func installHumaErrors() {
	setHumaErrors.Do(func() {
		// NewError also decides the error schema in the OpenAPI document.
		huma.NewError = func(status int, msg string, list ...error) huma.StatusError {
			return huma.NewErrorWithContext(nil, status, msg, list...)
		}
		huma.NewErrorWithContext = func(hctx huma.Context, status int, msg string, list ...error) huma.StatusError {
			p := &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: translate(msg), Key: keyForStatus(status)}
			if hctx != nil {
				p.RequestID = requestID(hctx.Context())
			}
			for _, e := range list {
				if e == nil {
					continue
				}
				var known *errs.Error
				if errors.As(e, &known) {
					p.Key = known.Key // a categorised error passed through huma keeps its key
					continue
				}
				fe := errs.FieldError{Key: "invalid", Message: translate(e.Error())}
				var d huma.ErrorDetailer
				if errors.As(e, &d) {
					det := d.ErrorDetail()
					fe.Field = fieldName(det.Location)
					if m := requiredRe.FindStringSubmatch(det.Message); m != nil {
						fe.Field = strings.TrimPrefix(strings.TrimPrefix(fe.Field+"."+m[1], "(请求体)."), ".")
					}
					fe.Message = fmt.Sprintf("%s：%s", fe.Field, translate(det.Message))
					fe.Key, fe.Value = keyFor(det.Message), det.Value
				}
				p.Errors = append(p.Errors, fe)
			}
			if len(p.Errors) > 0 && status == http.StatusUnprocessableEntity {
				p.Detail = "输入有误：" + p.Errors[0].Message
			}
			return p
		}
	})
}

func keyForStatus(status int) string {
	switch status {
	case http.StatusUnprocessableEntity, http.StatusBadRequest:
		return "invalid"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusForbidden:
		return "forbidden"
	}
	return "http_" + fmt.Sprint(status)
}

// fieldName turns huma's "body.lead_unit_id" or "query.page" into the field name.
func fieldName(loc string) string {
	for _, p := range []string{"body.", "query.", "path.", "header."} {
		if strings.HasPrefix(loc, p) {
			return loc[len(p):]
		}
	}
	if loc == "body" {
		return "(请求体)"
	}
	return loc
}

var requiredRe = regexp.MustCompile(`^expected required property (\S+) to be present`)

// huma's validation messages, in Chinese. The English text is matched loosely
// so that a huma upgrade degrades to English rather than breaking.
var translations = []struct {
	re  *regexp.Regexp
	key string
	zh  string
}{
	{regexp.MustCompile(`^expected required property (\S+) to be present`), "required", "缺少必填字段 $1"},
	{regexp.MustCompile(`^unexpected property`), "unknown_field", "不认识的字段"},
	{regexp.MustCompile(`^expected (number|integer|string|boolean|object|array)`), "type", "类型错误，应为 $1"},
	{regexp.MustCompile(`^expected length <= (\d+)`), "too_long", "长度不能超过 $1"},
	{regexp.MustCompile(`^expected length >= (\d+)`), "too_short", "长度不能少于 $1"},
	{regexp.MustCompile(`^expected number >= (\S+)`), "too_small", "不能小于 $1"},
	{regexp.MustCompile(`^expected number <= (\S+)`), "too_large", "不能大于 $1"},
	{regexp.MustCompile(`^expected value to be one of (.*)`), "enum", "取值应为 $1 之一"},
	{regexp.MustCompile(`^expected string to be RFC 3339 date`), "date", "日期格式应为 YYYY-MM-DD"},
	{regexp.MustCompile(`(?i)^request body is too large`), "too_large", "请求体过大"},
	{regexp.MustCompile(`(?i)validation failed`), "invalid", "输入校验失败"},
	{regexp.MustCompile(`(?i)^unable to parse body|^invalid character|unexpected end of JSON`), "json", "请求体不是有效的 JSON"},
	{regexp.MustCompile(`(?i)^invalid integer`), "type", "应为整数"},
}

func translate(msg string) string {
	for _, t := range translations {
		if t.re.MatchString(msg) {
			return t.re.ReplaceAllString(msg, t.zh)
		}
	}
	return msg
}

func keyFor(msg string) string {
	for _, t := range translations {
		if t.re.MatchString(msg) {
			return t.key
		}
	}
	return "invalid"
}
