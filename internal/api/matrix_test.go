package api_test

// The role matrix is generated from the router: every operation the server
// has, called by one demo account of every role, must be allowed or refused
// exactly as access.Role.Permissions says. A new route that has no permission
// and is not on the public allow-list below fails the test.

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/api"
)

// mxAccounts is one demo account per role (internal/demo/district.go).
var mxAccounts = map[access.Role]string{
	access.Admin:        "admin",
	access.Supervisor:   "duchashi",
	access.Leader:       "quzhang",
	access.Reporter:     "zhujianju",
	access.Commissioner: "zhuanyuan",
	access.Statistician: "tongjiju",
	access.Viewer:       "viewer",
}

// mxPublic are the operations that deliberately need no permission. Adding
// an operation here is a security decision; say why next to it.
var mxPublic = map[string]string{
	"POST /api/v1/auth/login": "signing in is how a caller gets a session",
}

// mxRoute is one operation of the router with the permission it requires.
type mxRoute struct {
	method, path, id string // id: the operation id
	perm             access.Permission
	public           bool
	required         []string // required parameters other than the path's, which the matrix does not send
}

func (r mxRoute) String() string { return r.method + " " + r.path }

// mxRoutes reads every operation and its permission from the router, and
// fails for any operation without a rule.
func mxRoutes(t *testing.T, e *env) []mxRoute {
	t.Helper()
	known := map[access.Permission]bool{}
	for _, role := range access.Roles() {
		for _, p := range role.Permissions() {
			known[p] = true
		}
	}
	var out []mxRoute
	seen := map[string]bool{}
	for path, item := range e.srv.OpenAPI().Paths {
		for method, op := range map[string]*huma.Operation{
			http.MethodGet: item.Get, http.MethodPut: item.Put, http.MethodPost: item.Post, http.MethodDelete: item.Delete,
			http.MethodPatch: item.Patch, http.MethodHead: item.Head, http.MethodOptions: item.Options, http.MethodTrace: item.Trace,
		} {
			if op == nil {
				continue
			}
			r := mxRoute{method: method, path: path, id: op.OperationID}
			for _, p := range op.Parameters {
				if p != nil && p.Required && p.In != "path" {
					r.required = append(r.required, p.In+" "+p.Name)
				}
			}
			seen[r.String()] = true
			perm, _ := op.Metadata[api.PermissionKey].(string)
			r.perm = access.Permission(perm)
			_, allowListed := mxPublic[r.String()]
			switch {
			case r.perm == "" && allowListed:
				r.public = true
			case r.perm == "":
				t.Errorf("%s (%s): new endpoint without a rule: it has no %q in its metadata (register it through api.register "+
					"with a permission) and is not on the public allow-list mxPublic", r, r.id, api.PermissionKey)
				continue
			case allowListed:
				t.Errorf("%s is on the public allow-list but requires %q; remove it from mxPublic", r, r.perm)
			case !known[r.perm]:
				t.Errorf("%s requires %q, which no role holds: nobody can call it", r, r.perm)
			}
			out = append(out, r)
		}
	}
	for op := range mxPublic {
		if !seen[op] {
			t.Errorf("public allow-list names %s, which the router does not have", op)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// mxEndsSession are the operations that end the caller's own session when
// they succeed. Each runs on a session of its own, and the role signs in
// again afterwards.
var mxEndsSession = map[string]bool{
	"POST /api/v1/auth/logout":     true,
	"POST /api/v1/auth/logout-all": true,
}

type mxIDList struct {
	Items []struct {
		ID       int64  `json:"id"`
		Username string `json:"username"`
	} `json:"items"`
	Total int `json:"total"`
}

// mxVisibleItems lists every item c may see.
func mxVisibleItems(t *testing.T, c *client) []mxItem {
	t.Helper()
	var out []mxItem
	for page := 1; ; page++ {
		var l struct {
			Items []mxItem `json:"items"`
			Total int      `json:"total"`
		}
		c.do("GET", fmt.Sprintf("/api/v1/items?page_size=500&page=%d&sort=code", page), nil).status(http.StatusOK).json(&l)
		out = append(out, l.Items...)
		if len(l.Items) == 0 || len(out) >= l.Total {
			return out
		}
	}
}

// mxParamValues fill the path parameters other than {id}.
var mxParamValues = map[string]string{
	"{period}": "2022-09",
}

var mxParamRe = regexp.MustCompile(`\{[^}]*\}`)

// mxTarget is the record a role addresses for one path with {id}.
type mxTarget struct {
	id      int64
	visible bool // the role is known to see it, so a read must find it
}

// mxItemScoped are the records whose visibility follows the item's data scope.
var mxItemScoped = map[string]bool{"/api/v1/items": true, "/api/v1/milestones": true, "/api/v1/targets": true}

// mxExistingIDs chooses, for every role and every path with {id}, an existing
// record:
//   - items, milestones and targets from what the role itself sees,
//     preferring an item the role's unit or person leads, so that each allowed
//     call reaches the record rather than a data-scope refusal;
//   - for anything else the first record of the list at the path's base that
//     is not one of the matrix's own accounts (so that no matrix account
//     resets its own password or changes its own role), as the administrator
//     reads it or, when the administrator's list is empty (records that
//     belong to the caller, such as API tokens), as the role itself reads it.
//
// Where no record exists at all, a missing id is used and reads may answer 404.
func mxExistingIDs(t *testing.T, routes []mxRoute, clients map[access.Role]*client, mes map[access.Role]mxMe) map[access.Role]map[string]mxTarget {
	t.Helper()
	ours := slices.Collect(maps.Values(mxAccounts))
	first := func(c *client, base string) int64 {
		var l mxIDList
		if res := c.do("GET", base, nil); res.res.StatusCode == http.StatusOK {
			res.json(&l)
		}
		for _, it := range l.Items {
			if !slices.Contains(ours, it.Username) {
				return it.ID
			}
		}
		return 0
	}
	admin := clients[access.Admin]
	var bases []string
	shared := map[string]int64{}
	for _, r := range routes {
		for _, p := range mxParamRe.FindAllString(r.path, -1) {
			if _, ok := mxParamValues[p]; !ok && p != "{id}" {
				t.Errorf("%s: the matrix does not know how to fill %s; add it to mxParamValues", r, p)
			}
		}
		base, _, ok := strings.Cut(r.path, "/{id}")
		if !ok {
			continue
		}
		if _, done := shared[base]; done || mxItemScoped[base] {
			continue
		}
		bases = append(bases, base)
		shared[base] = first(admin, base)
	}

	// scoped finds an item, a milestone and a target that c sees, the
	// item one that me's unit or person leads if there is such an item.
	scoped := func(c *client, me mxMe) map[string]int64 {
		items := mxVisibleItems(t, c)
		leads := func(it mxItem) bool {
			return it.LeadUnitID == me.User.UnitID || (me.User.PersonID != nil && it.LeaderID == *me.User.PersonID)
		}
		sort.SliceStable(items, func(i, j int) bool { return leads(items[i]) && !leads(items[j]) })
		out := map[string]int64{}
		for _, it := range items {
			if out["/api/v1/items"] == 0 {
				out["/api/v1/items"] = it.ID
			}
			for base, sub := range map[string]string{"/api/v1/milestones": "milestones", "/api/v1/targets": "targets"} {
				if out[base] != 0 {
					continue
				}
				var l mxIDList
				c.do("GET", fmt.Sprintf("/api/v1/items/%d/%s", it.ID, sub), nil).status(http.StatusOK).json(&l)
				if len(l.Items) > 0 {
					out[base] = l.Items[0].ID
				}
			}
			if len(out) == len(mxItemScoped) {
				break
			}
		}
		return out
	}
	fallback := scoped(admin, mes[access.Admin])
	for base := range mxItemScoped {
		if fallback[base] == 0 {
			t.Fatalf("the demo has no record under %s", base)
		}
	}

	const missing = 99999999
	noted := map[string]bool{}
	all := map[access.Role]map[string]mxTarget{}
	for role, c := range clients {
		m := map[string]mxTarget{}
		for _, base := range bases {
			id := shared[base]
			if id == 0 {
				id = first(c, base)
			}
			if id == 0 {
				if !noted[base] {
					t.Logf("no record under %s to address; the matrix uses a missing id there, and reads may answer 404", base)
					noted[base] = true
				}
				m[base] = mxTarget{id: missing}
				continue
			}
			m[base] = mxTarget{id: id, visible: true}
		}
		var own map[string]int64
		if slices.Contains(role.Permissions(), access.ItemRead) {
			own = scoped(c, mes[role])
		}
		for base := range mxItemScoped {
			if id := own[base]; id != 0 {
				m[base] = mxTarget{id: id, visible: true}
			} else {
				// The role sees no such record: address one it cannot see,
				// for which "not found" is the right answer to a read.
				m[base] = mxTarget{id: fallback[base]}
			}
		}
		all[role] = m
	}
	return all
}

// mxCase is one role calling one operation.
type mxCase struct {
	role    access.Role
	route   mxRoute
	allowed bool
	phase   int // 0: reads and non-destructive writes; 1: deletes
}

// mxMe is what the matrix reads of /auth/me.
type mxMe struct {
	User struct {
		Role               access.Role `json:"role"`
		UnitID             int64       `json:"unit_id"`
		PersonID           *int64      `json:"person_id"`
		MustChangePassword bool        `json:"must_change_password"`
	} `json:"user"`
	Permissions []string `json:"permissions"`
}

func TestMatrixRolePermissions(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		start := time.Now()
		routes := mxRoutes(t, e)
		if len(routes) == 0 {
			t.Fatal("the router has no operations")
		}

		clients, mes := map[access.Role]*client{}, map[access.Role]mxMe{}
		for _, role := range access.Roles() {
			username, ok := mxAccounts[role]
			if !ok {
				t.Errorf("role %s has no demo account in mxAccounts: the matrix does not cover it", role)
				continue
			}
			c := e.login(username)
			var me mxMe
			c.do("GET", "/api/v1/auth/me", nil).status(http.StatusOK).json(&me)
			if me.User.Role != role {
				t.Fatalf("demo account %s has role %s, want %s", username, me.User.Role, role)
			}
			var want []string
			for _, p := range role.Permissions() {
				want = append(want, string(p))
			}
			if !slices.Equal(me.Permissions, want) {
				t.Errorf("%s (%s): /auth/me lists permissions %v, access says %v", username, role, me.Permissions, want)
			}
			clients[role], mes[role] = c, me
		}
		admin := clients[access.Admin]
		if admin == nil {
			t.Fatal("no administrator account")
		}
		// Records for the calls to act on that belong to no matrix account:
		// an account for user management, and an API token of each role.
		var units mxIDList
		admin.do("GET", "/api/v1/units", nil).status(http.StatusOK).json(&units)
		if len(units.Items) == 0 {
			t.Fatal("no units")
		}
		admin.do("POST", "/api/v1/users", map[string]any{"username": "matrix-subject", "display_name": "矩阵测试对象",
			"role": "viewer", "unit_id": units.Items[0].ID}).status(http.StatusCreated)
		for _, c := range clients {
			c.do("POST", "/api/v1/auth/tokens", map[string]any{"name": "matrix", "scopes": []string{string(access.ItemRead)}}).
				status(http.StatusCreated)
		}
		ids := mxExistingIDs(t, routes, clients, mes)

		var cases []mxCase
		for _, role := range access.Roles() {
			if clients[role] == nil {
				continue
			}
			for _, r := range routes {
				c := mxCase{role: role, route: r, allowed: r.public || slices.Contains(role.Permissions(), r.perm)}
				if r.method == http.MethodDelete {
					c.phase = 1
				}
				cases = append(cases, c)
			}
		}
		// Deletes go last, and within a phase the refusals come before the
		// calls that may succeed, so that no successful write can change the
		// outcome of a later case.
		roleIdx := func(r access.Role) int { return slices.Index(access.Roles(), r) }
		sort.SliceStable(cases, func(i, j int) bool {
			a, b := cases[i], cases[j]
			if a.phase != b.phase {
				return a.phase < b.phase
			}
			if a.allowed != b.allowed {
				return !a.allowed
			}
			return roleIdx(a.role) < roleIdx(b.role)
		})

		setup := time.Since(start)
		denied, allowed := 0, 0
		for _, tc := range cases {
			r := tc.route
			username := mxAccounts[tc.role]
			path, target := r.path, mxTarget{visible: true}
			if base, _, ok := strings.Cut(path, "/{id}"); ok {
				target = ids[tc.role][base]
				path = strings.Replace(path, "{id}", fmt.Sprint(target.id), 1)
			}
			for p, v := range mxParamValues {
				path = strings.ReplaceAll(path, p, v)
			}
			var body any
			var headers []string
			if r.method == http.MethodPost || r.method == http.MethodPut {
				body = map[string]any{}
			}
			if r.method == http.MethodPut || r.method == http.MethodDelete {
				headers = []string{"If-Match", `"1"`}
			}
			c := clients[tc.role]
			if mxEndsSession[r.String()] {
				c = e.login(username)
			}
			res := c.do(r.method, path, body, headers...)
			got := res.res.StatusCode
			who := fmt.Sprintf("%s (%s) %s %s [%s, needs %q]", username, tc.role, r.method, path, r.id, r.perm)
			if !tc.allowed {
				denied++
				if got != http.StatusForbidden {
					t.Errorf("%s: status %d, want 403; body %s", who, got, oaTrim(res.body))
					continue
				}
				if ct := res.res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
					t.Errorf("%s: 403 with content type %q, want application/problem+json", who, ct)
					continue
				}
				if p := res.problem(); p.Status != http.StatusForbidden || p.Key != "forbidden" {
					t.Errorf("%s: 403 problem with status %d, key %q", who, p.Status, p.Key)
				}
				continue
			}
			allowed++
			switch {
			case got == http.StatusUnauthorized || got == http.StatusForbidden:
				t.Errorf("%s: status %d, but the role holds the permission; body %s", who, got, oaTrim(res.body))
			case got >= 500:
				t.Errorf("%s: status %d; body %s", who, got, oaTrim(res.body))
			case r.method == http.MethodGet && got != http.StatusOK &&
				(target.visible || got != http.StatusNotFound) && (len(r.required) == 0 || got != http.StatusUnprocessableEntity):
				// Every id was chosen to exist and, where the role sees any
				// such record, to be visible to it; a read fails validation
				// only for want of a required parameter the matrix does not send.
				t.Errorf("%s: status %d, want 200; body %s", who, got, oaTrim(res.body))
			}
			if r.method == http.MethodGet {
				continue
			}
			// A write that was not expected to must not have ended or locked
			// the role's session; either way the role signs in again so that
			// the later cases still test permissions.
			if mxEndsSession[r.String()] {
				clients[tc.role] = e.login(username)
				continue
			}
			me := clients[tc.role].do("GET", "/api/v1/auth/me", nil)
			var m mxMe
			if me.res.StatusCode == http.StatusOK {
				me.json(&m)
			}
			if me.res.StatusCode != http.StatusOK || m.User.MustChangePassword {
				t.Errorf("%s (status %d) ended or locked the caller's session (me: %d, must change password %v); "+
					"if it is meant to, list it in mxEndsSession", who, got, me.res.StatusCode, m.User.MustChangePassword)
				clients[tc.role] = e.login(username)
			}
		}
		t.Logf("%d routes × %d roles: %d allowed, %d refused; setup %v, total %v",
			len(routes), len(clients), allowed, denied, setup.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	})
}

// mxItem is what the data-scope test needs of an item.
type mxItem struct {
	ID         int64   `json:"id"`
	Code       string  `json:"code"`
	LeaderID   int64   `json:"leader_id"`
	LeadUnitID int64   `json:"lead_unit_id"`
	CoUnitIDs  []int64 `json:"co_unit_ids"`
}

// The reporter of 区住建局 sees the items its unit (or a unit below it) leads
// or co-operates on, and nothing else: another unit's item is "not found", not
// "forbidden", so that its existence is not confirmed.
func TestMatrixReporterDataScope(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		admin, rep := e.login("admin"), e.login("zhujianju")

		var units struct {
			Items []struct {
				ID       int64  `json:"id"`
				Code     string `json:"code"`
				ParentID *int64 `json:"parent_id"`
			} `json:"items"`
		}
		admin.do("GET", "/api/v1/units", nil).status(http.StatusOK).json(&units)
		parent := map[int64]int64{}
		var zjj int64
		for _, u := range units.Items {
			if u.ParentID != nil {
				parent[u.ID] = *u.ParentID
			}
			if u.Code == "ZJJ" {
				zjj = u.ID
			}
		}
		if zjj == 0 {
			t.Fatal("the demo has no unit ZJJ (区住建局)")
		}
		// inZJJ: the unit is 区住建局 or below it.
		inZJJ := func(u int64) bool {
			for n := 0; u != 0 && n < 100; n++ {
				if u == zjj {
					return true
				}
				u = parent[u]
			}
			return false
		}

		all := mxVisibleItems(t, admin)
		counts := func(id int64) (ms, ts mxIDList) {
			admin.do("GET", fmt.Sprintf("/api/v1/items/%d/milestones", id), nil).status(http.StatusOK).json(&ms)
			admin.do("GET", fmt.Sprintf("/api/v1/items/%d/targets", id), nil).status(http.StatusOK).json(&ts)
			return ms, ts
		}
		// pick returns the first item matching ok, preferring one with a
		// milestone and a target so that those are checked too.
		pick := func(what string, ok func(mxItem) bool) (mxItem, mxIDList, mxIDList) {
			var first *mxItem
			var fms, fts mxIDList
			for i := range all {
				if !ok(all[i]) {
					continue
				}
				ms, ts := counts(all[i].ID)
				if len(ms.Items) > 0 && len(ts.Items) > 0 {
					return all[i], ms, ts
				}
				if first == nil {
					first, fms, fts = &all[i], ms, ts
				}
			}
			if first == nil {
				t.Fatalf("the demo has no item %s", what)
			}
			return *first, fms, fts
		}
		coOperates := func(it mxItem) bool { return slices.ContainsFunc(it.CoUnitIDs, inZJJ) }
		led, ledMs, ledTs := pick("led by 区住建局", func(it mxItem) bool { return inZJJ(it.LeadUnitID) })
		co, _, _ := pick("led by another unit with 区住建局 co-operating",
			func(it mxItem) bool { return !inZJJ(it.LeadUnitID) && coOperates(it) })
		other, otherMs, otherTs := pick("of another unit without 区住建局",
			func(it mxItem) bool { return !inZJJ(it.LeadUnitID) && !coOperates(it) })

		for _, tc := range []struct {
			what string
			it   mxItem
			want int
		}{
			{"led by 区住建局", led, http.StatusOK},
			{"co-operated on by 区住建局", co, http.StatusOK},
			{"of another unit", other, http.StatusNotFound},
		} {
			for _, sub := range []string{"", "/milestones", "/targets"} {
				path := fmt.Sprintf("/api/v1/items/%d%s", tc.it.ID, sub)
				r := rep.do("GET", path, nil)
				if r.res.StatusCode != tc.want {
					t.Errorf("zhujianju GET %s (item %s %s): status %d, want %d; body %s",
						path, tc.it.Code, tc.what, r.res.StatusCode, tc.want, oaTrim(r.body))
					continue
				}
				if tc.want == http.StatusNotFound {
					if p := r.problem(); p.Key != "not_found" {
						t.Errorf("zhujianju GET %s: 404 with key %q, want not_found", path, p.Key)
					}
				}
			}
			var found struct {
				Items []mxItem `json:"items"`
			}
			rep.do("GET", "/api/v1/items?page_size=500&q="+url.QueryEscape(tc.it.Code), nil).status(http.StatusOK).json(&found)
			listed := slices.ContainsFunc(found.Items, func(it mxItem) bool { return it.ID == tc.it.ID })
			if listed != (tc.want == http.StatusOK) {
				t.Errorf("zhujianju list-items q=%s: item %s listed = %v, want %v", tc.it.Code, tc.what, listed, tc.want == http.StatusOK)
			}
		}

		// Milestones and targets addressed by their own id follow their item.
		for _, k := range []struct {
			kind       string
			own, other mxIDList
		}{{"milestones", ledMs, otherMs}, {"targets", ledTs, otherTs}} {
			if len(k.own.Items) > 0 {
				rep.do("GET", fmt.Sprintf("/api/v1/%s/%d", k.kind, k.own.Items[0].ID), nil).status(http.StatusOK)
			}
			if len(k.other.Items) > 0 {
				p := fmt.Sprintf("/api/v1/%s/%d", k.kind, k.other.Items[0].ID)
				if r := rep.do("GET", p, nil); r.res.StatusCode != http.StatusNotFound {
					t.Errorf("zhujianju GET %s (of item %s of another unit): status %d, want 404", p, other.Code, r.res.StatusCode)
				}
			}
		}
	})
}
