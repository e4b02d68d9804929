// Package casework is casework (督办): cases of every type, parallel tasks for several units, the state flow to closing (销号), time limits and escalation, and the stats per unit.
package casework

import (
	"time"

	"gongjian/internal/store"
)

// Service holds the casework operations; every method takes a context and
// checks the caller's permission and data scope itself.
type Service struct {
	db       *store.DB
	now      func() time.Time
	warnDays int
}

// DefaultWarnDays is how many days before its deadline a case is "due soon".
const DefaultWarnDays = 3

// New returns the service over db.
func New(db *store.DB) *Service { return &Service{db: db, now: time.Now, warnDays: DefaultWarnDays} }

// WithClock returns the service reading the time from now, so that warnings,
// overdue and escalation can be tested (and the demo backdated) deterministically.
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// WithWarnDays returns the service warning n days before a deadline.
func (s *Service) WithWarnDays(n int) *Service {
	c := *s
	c.warnDays = n
	return &c
}

// Case types.
const (
	TypeProblem           = "problem"            // 问题
	TypeInstruction       = "instruction"        // 批示
	TypeEnterpriseRequest = "enterprise_request" // 企业诉求
	TypeOneWindow         = "one_window"         // 一窗受理
	TypeMeetingDecision   = "meeting_decision"   // 会议议定事项
)

// Case states.
const (
	StateOpen       = "open"
	StateInProgress = "in_progress"
	StateResolved   = "resolved"
	StateClosed     = "closed"
)

// CaseTask states.
const (
	TaskPending  = "pending"
	TaskAccepted = "accepted"
	TaskAnswered = "answered"
)

var typeLabels = map[string]string{
	TypeProblem: "问题", TypeInstruction: "批示", TypeEnterpriseRequest: "企业诉求", TypeOneWindow: "一窗受理", TypeMeetingDecision: "会议议定事项",
}

var stateLabels = map[string]string{StateOpen: "待办理", StateInProgress: "办理中", StateResolved: "已办结", StateClosed: "已销号"}

var sourceKinds = map[string]string{"": "", "item": "事项", "visit": "走访", "meeting": "会议", "report": "进展填报", "person": "个人"}

var priorities = map[string]string{"normal": "一般", "urgent": "紧急"}

// TypeLabel is the Chinese name of a case type.
func TypeLabel(t string) string { return typeLabels[t] }

// StateLabel is the Chinese name of a case state.
func StateLabel(s string) string { return stateLabels[s] }

// ActionLabel is the Chinese name of a timeline action.
func ActionLabel(a string) string { return actionLabels[a] }

var actionLabels = map[string]string{
	"create": "立案", "assign": "交办", "accept": "签收", "answer": "答复", "resolve": "办结", "close": "销号",
	"reopen": "重新办理", "comment": "评论", "attach": "上传附件", "extension_request": "申请延期",
	"extension_approved": "批准延期", "extension_rejected": "不批准延期", "warn": "临期预警", "overdue": "逾期", "escalate": "逾期升级",
}
