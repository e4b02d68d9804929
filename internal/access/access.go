// Package access says who the caller is and what the caller may do: roles,
// permission codes and data scope. It is pure logic with no database, so that
// every feature package can ask it the same questions.
package access

import (
	"context"
	"slices"
)

// Role is a user's role; see PRODUCT.md for who holds which.
type Role string

// The roles.
const (
	Admin        Role = "admin"
	Supervisor   Role = "supervisor"
	Leader       Role = "leader"
	Reporter     Role = "reporter"
	Commissioner Role = "commissioner"
	Statistician Role = "statistician"
	Viewer       Role = "viewer"
)

// Roles lists every role, in the order shown to users.
func Roles() []Role {
	return []Role{Admin, Supervisor, Leader, Reporter, Commissioner, Statistician, Viewer}
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// Label is the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "系统管理员"
	case Supervisor:
		return "督查人员"
	case Leader:
		return "区领导"
	case Reporter:
		return "单位填报员"
	case Commissioner:
		return "服务专员"
	case Statistician:
		return "统计人员"
	case Viewer:
		return "只读用户"
	}
	return string(r)
}

// Permission is a code such as "item:edit".
type Permission string

// The permission codes.
const (
	OrgRead      Permission = "org:read"
	OrgEdit      Permission = "org:edit"
	UserManage   Permission = "user:manage"
	CampaignRead Permission = "campaign:read"
	CampaignEdit Permission = "campaign:edit"
	ItemRead     Permission = "item:read"
	ItemEdit     Permission = "item:edit"
	AuditRead    Permission = "audit:read"
	ReportWrite  Permission = "report:write"  // draft and submit reports for items the own unit leads
	ReportReview Permission = "report:review" // accept or return reports, override lights, set rules
	// Casework (督办).
	CaseRead  Permission = "case:read"  // read cases within the data scope
	CaseWrite Permission = "case:write" // raise cases, comment, answer the own unit's tasks
	CaseClose Permission = "case:close" // assign, verify and close (销号), approve case extensions
	// Economic indicators.
	IndicatorRead  Permission = "indicator:read"
	IndicatorWrite Permission = "indicator:write" // catalogue, values, targets, imports
	// Ledgers (台账).
	LedgerRead   Permission = "ledger:read"
	LedgerWrite  Permission = "ledger:write"  // rows of ledgers the own unit owns (all for the district-wide roles)
	LedgerDefine Permission = "ledger:define" // create and change ledger definitions
	// Enterprises, visits, financing and the investment pipeline.
	EnterpriseRead  Permission = "enterprise:read"
	EnterpriseWrite Permission = "enterprise:write"
	// Briefings and the league table.
	BriefingRead  Permission = "briefing:read"
	BriefingWrite Permission = "briefing:write" // generate, edit wording, publish; scoring rules
	// Self is held by every role: the caller's own account, sessions and tokens.
	Self Permission = "self"
)

// Permissions returns the codes a role holds.
func (r Role) Permissions() []Permission {
	read := []Permission{Self, OrgRead, CampaignRead, ItemRead, CaseRead, IndicatorRead, LedgerRead, EnterpriseRead, BriefingRead}
	switch r {
	case Admin:
		return append(read, OrgEdit, UserManage, CampaignEdit, ItemEdit, AuditRead, ReportWrite, ReportReview,
			CaseWrite, CaseClose, IndicatorWrite, LedgerWrite, LedgerDefine, EnterpriseWrite, BriefingWrite)
	case Supervisor:
		return append(read, OrgEdit, CampaignEdit, ItemEdit, AuditRead, ReportWrite, ReportReview,
			CaseWrite, CaseClose, IndicatorWrite, LedgerWrite, LedgerDefine, EnterpriseWrite, BriefingWrite)
	case Reporter:
		return append(read, ReportWrite, CaseWrite, LedgerWrite)
	case Leader:
		return append(read, CaseWrite) // leaders write instructions (批示)
	case Commissioner:
		return append(read, CaseWrite, EnterpriseWrite)
	case Statistician:
		return append(read, IndicatorWrite)
	case Viewer:
		return read
	}
	return nil
}

// Scope is how much data a caller sees.
type Scope int

// The scopes, widest first.
const (
	ScopeAll    Scope = iota // the whole district
	ScopeLeader              // items the person leads, and items in zones the person commands
	ScopeUnit                // items of the own unit and units below it, or co-operated on
)

// Actor is the signed-in caller of a request.
type Actor struct {
	UserID   int64
	Username string
	Role     Role
	UnitID   int64
	PersonID int64 // 0 when the account is not linked to a person
	IP       string
	Session  string // session id (hashed token), for sign-out; "" for API tokens

	// MustChangePassword limits the actor to changing the password first.
	MustChangePassword bool
	// Scopes, when not nil, narrows the role's permissions (API tokens).
	Scopes []Permission
}

// Can reports whether the actor holds p.
func (a *Actor) Can(p Permission) bool {
	if a == nil || !slices.Contains(a.Role.Permissions(), p) {
		return false
	}
	return a.Scopes == nil || slices.Contains(a.Scopes, p)
}

// Scope returns the actor's data scope.
func (a *Actor) Scope() Scope {
	switch a.Role {
	case Reporter:
		return ScopeUnit
	case Leader:
		return ScopeLeader
	}
	return ScopeAll
}

type ctxKey struct{}

// With returns ctx carrying the actor.
func With(ctx context.Context, a *Actor) context.Context { return context.WithValue(ctx, ctxKey{}, a) }

// From returns the actor of ctx, or nil for system work (demo loading, CLI).
func From(ctx context.Context) *Actor {
	a, _ := ctx.Value(ctxKey{}).(*Actor)
	return a
}
