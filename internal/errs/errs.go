// Package errs holds the few error categories that every layer shares, so that
// the HTTP layer can map them to status codes in one place.
package errs

import (
	"errors"
	"fmt"
)

// Kind is a category of failure that decides the HTTP status.
type Kind int

// The kinds, from the user's point of view.
const (
	KindInternal     Kind = iota // a fault on our side
	KindInvalid                  // the input is wrong; FieldErrors say where
	KindNotFound                 // no such record, or not visible to the caller
	KindConflict                 // a unique value is taken, or the record changed meanwhile
	KindUnauthorized             // no valid session or token
	KindForbidden                // signed in, but not allowed
	KindTooMany                  // too many attempts; try later
)

// FieldError names one bad field and why, with a message key the UI translates
// and a Chinese message for callers that do not.
type FieldError struct {
	Field   string `json:"field"`
	Key     string `json:"key"`
	Message string `json:"message"`
	Value   any    `json:"value,omitempty"`
}

// Error is a categorised error with an optional message key and field errors.
type Error struct {
	Kind    Kind
	Key     string // message key, e.g. "item.leader_required"
	Message string // human message in Chinese
	Fields  []FieldError
	Err     error // wrapped cause, never shown to users
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Sentinels to compare with errors.Is.
var (
	ErrNotFound = &Error{Kind: KindNotFound, Key: "not_found", Message: "记录不存在"}
	ErrStale    = &Error{Kind: KindConflict, Key: "stale_version", Message: "记录已被他人修改，请刷新后重试"}
)

// Is makes errors.Is match on kind and key, so wrapped copies compare equal.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Key == e.Key
}

// NotFound says the named record does not exist.
func NotFound(what string, id any) error {
	return &Error{Kind: KindNotFound, Key: "not_found", Message: fmt.Sprintf("%s %v 不存在", what, id)}
}

// Stale says an update carried an old version.
func Stale(what string) error {
	return &Error{Kind: KindConflict, Key: "stale_version", Message: what + "已被他人修改，请刷新后重试"}
}

// Duplicate says a unique field already holds this value.
func Duplicate(field string, value any) error {
	return &Error{Kind: KindConflict, Key: "duplicate", Message: fmt.Sprintf("%v 已存在", value),
		Fields: []FieldError{{Field: field, Key: "duplicate", Message: fmt.Sprintf("%v 已存在", value), Value: value}}}
}

// Forbidden says the caller may not do this.
func Forbidden(msg string) error {
	return &Error{Kind: KindForbidden, Key: "forbidden", Message: msg}
}

// Unauthorized says the caller is not signed in.
func Unauthorized(msg string) error {
	return &Error{Kind: KindUnauthorized, Key: "unauthorized", Message: msg}
}

// Invalid builds a validation error from field errors; nil when there are none.
func Invalid(fields []FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Key: "invalid", Message: "输入有误：" + fields[0].Message, Fields: fields}
}

// KindOf returns the category of err; unknown errors are internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// Checker collects field errors during validation.
type Checker struct{ Fields []FieldError }

// Add records a field error.
func (c *Checker) Add(field, key, msg string, value any) {
	c.Fields = append(c.Fields, FieldError{Field: field, Key: key, Message: msg, Value: value})
}

// Check records a field error when ok is false.
func (c *Checker) Check(ok bool, field, key, msg string, value any) {
	if !ok {
		c.Add(field, key, msg, value)
	}
}

// Err returns the collected errors as one, or nil.
func (c *Checker) Err() error { return Invalid(c.Fields) }
