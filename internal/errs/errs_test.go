package errs_test

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"gongjian/internal/errs"
)

// Layers wrap domain errors with context on the way up; the category must
// survive, since it decides the HTTP status.
func TestWrappedErrorsKeepTheirCategory(t *testing.T) {
	wrap := func(err error) error {
		return fmt.Errorf("handler: %w", fmt.Errorf("update item 42: %w", err))
	}
	tests := []struct {
		name string
		err  error
		kind errs.Kind
		key  string
	}{
		{"not found", errs.NotFound("事项", 42), errs.KindNotFound, "not_found"},
		{"stale", errs.Stale("事项"), errs.KindConflict, "stale_version"},
		{"duplicate", errs.Duplicate("code", "fgj"), errs.KindConflict, "duplicate"},
		{"forbidden", errs.Forbidden("无权操作"), errs.KindForbidden, "forbidden"},
		{"unauthorized", errs.Unauthorized("请先登录"), errs.KindUnauthorized, "unauthorized"},
		{"invalid", errs.Invalid([]errs.FieldError{{Field: "name", Key: "required", Message: "名称不能为空"}}), errs.KindInvalid, "invalid"},
		{"plain error is internal", errors.New("disk full"), errs.KindInternal, ""},
		{"nil is internal", nil, errs.KindInternal, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errs.KindOf(tt.err); got != tt.kind {
				t.Errorf("KindOf(err) = %v, want %v", got, tt.kind)
			}
			if tt.err == nil {
				return
			}
			w := wrap(tt.err)
			if got := errs.KindOf(w); got != tt.kind {
				t.Errorf("KindOf(wrapped) = %v, want %v", got, tt.kind)
			}
			var e *errs.Error
			if errors.As(w, &e) != (tt.key != "") {
				t.Fatalf("errors.As(wrapped, *errs.Error) = %v", e)
			}
			if e != nil && e.Key != tt.key {
				t.Errorf("Key = %q, want %q", e.Key, tt.key)
			}
		})
	}
}

func TestErrorsIs(t *testing.T) {
	stale := fmt.Errorf("save: %w", errs.Stale("事项"))
	notFound := fmt.Errorf("load: %w", errs.NotFound("单位", 7))
	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"wrapped NotFound is ErrNotFound", notFound, errs.ErrNotFound, true},
		{"wrapped NotFound is another NotFound", notFound, errs.NotFound("事项", 1), true},
		{"wrapped Stale is Stale of another record", stale, errs.Stale("单位"), true},
		{"Stale is not NotFound", stale, errs.ErrNotFound, false},
		{"NotFound is not Stale", notFound, errs.Stale("事项"), false},
		{"Duplicate is not Stale though both conflict", errs.Duplicate("code", "x"), errs.Stale("单位"), false},
		{"plain error is not NotFound", errors.New("记录不存在"), errs.ErrNotFound, false},
	}
	for _, tt := range tests {
		if got := errors.Is(tt.err, tt.target); got != tt.want {
			t.Errorf("%s: errors.Is = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCauseIsKeptButNotShown(t *testing.T) {
	cause := fs.ErrNotExist
	e := &errs.Error{Kind: errs.KindInternal, Key: "x", Message: "读取失败", Err: cause}
	if !errors.Is(fmt.Errorf("wrap: %w", e), fs.ErrNotExist) {
		t.Error("the wrapped cause is not reachable with errors.Is")
	}
	if !strings.HasPrefix(e.Error(), "读取失败") {
		t.Errorf("Error() = %q, want the message first", e.Error())
	}
}

func TestChecker(t *testing.T) {
	var c errs.Checker
	if c.Err() != nil {
		t.Fatal("an empty checker reports an error")
	}
	c.Check(true, "name", "required", "名称不能为空", nil)
	if c.Err() != nil {
		t.Fatal("a passing check recorded an error")
	}
	c.Check(false, "name", "required", "名称不能为空", nil)
	c.Add("code", "duplicate", "编码已存在", "fgj")
	err := c.Err()
	if errs.KindOf(err) != errs.KindInvalid {
		t.Fatalf("KindOf = %v, want KindInvalid", errs.KindOf(err))
	}
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) != 2 || e.Fields[0].Field != "name" || e.Fields[1].Field != "code" {
		t.Fatalf("fields = %+v, want name then code", e)
	}
	if !strings.Contains(e.Message, "名称不能为空") {
		t.Errorf("message %q should repeat the first field's message", e.Message)
	}
}
