package api_test

// The OpenAPI document is checked by an independent implementation
// (pb33f/libopenapi and libopenapi-validator), not by huma which generates
// it: first against the OpenAPI 3.1 meta-schema, then for the properties a
// client generator relies on, then by validating real responses against it.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	vErrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"gongjian/internal/api"
	"gongjian/internal/auth"
)

// oaFetch downloads the document anonymously, as a client generator would,
// and builds libopenapi's v3 model of it.
func oaFetch(t *testing.T, e *env) ([]byte, libopenapi.Document, *v3.Document) {
	t.Helper()
	r := e.anon().do("GET", "/api/openapi.json", nil).status(http.StatusOK)
	if ct := r.res.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
		t.Errorf("GET /api/openapi.json: content type %q", ct)
	}
	doc, err := libopenapi.NewDocument(r.body)
	if err != nil {
		t.Fatalf("libopenapi cannot read /api/openapi.json: %v", err)
	}
	m, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("libopenapi cannot build the v3 model of /api/openapi.json:\n%s", oaJoin(err))
	}
	if m == nil {
		t.Fatal("libopenapi built no v3 model")
	}
	return r.body, doc, &m.Model
}

// oaJoin lists the errors of a joined error one per line.
func oaJoin(err error) string {
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) {
		var b strings.Builder
		for _, e := range j.Unwrap() {
			fmt.Fprintf(&b, "  - %v\n", e)
		}
		return b.String()
	}
	return "  - " + err.Error()
}

// oaFormat renders validation errors with every detail the validator gives.
func oaFormat(errs []*vErrors.ValidationError) string {
	var b strings.Builder
	for i, e := range errs {
		fmt.Fprintf(&b, "%d. [%s/%s] %s", i+1, e.ValidationType, e.ValidationSubType, e.Message)
		if e.Reason != "" {
			fmt.Fprintf(&b, " — %s", e.Reason)
		}
		if e.SpecLine > 0 {
			fmt.Fprintf(&b, " (line %d, col %d)", e.SpecLine, e.SpecCol)
		}
		if e.SpecPath != "" {
			fmt.Fprintf(&b, " spec path %s", e.SpecPath)
		}
		b.WriteString("\n")
		for _, f := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "     - %s", f.Reason)
			if f.FieldPath != "" {
				fmt.Fprintf(&b, " at %s", f.FieldPath)
			}
			if f.KeywordLocation != "" {
				fmt.Fprintf(&b, " (schema %s)", f.KeywordLocation)
			}
			b.WriteString("\n")
		}
		if e.HowToFix != "" {
			fmt.Fprintf(&b, "     fix: %s\n", e.HowToFix)
		}
	}
	return b.String()
}

type oaOp struct {
	method, path string
	op           *v3.Operation
}

func (o oaOp) String() string { return o.method + " " + o.path }

// oaOps lists every operation of the model, sorted.
func oaOps(m *v3.Document) []oaOp {
	var ops []oaOp
	if m.Paths == nil || m.Paths.PathItems == nil {
		return nil
	}
	for path, item := range m.Paths.PathItems.FromOldest() {
		for method, op := range item.GetOperations().FromOldest() {
			ops = append(ops, oaOp{strings.ToUpper(method), path, op})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].String() < ops[j].String() })
	return ops
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		raw, doc, _ := oaFetch(t, e)
		if v := doc.GetVersion(); v != "3.1.0" {
			t.Errorf("openapi version %q, want 3.1.0", v)
		}
		if ok, verrs := schema_validation.ValidateOpenAPIDocument(doc); !ok || len(verrs) > 0 {
			t.Errorf("/api/openapi.json does not conform to the OpenAPI 3.1 schema; %d error(s):\n%s", len(verrs), oaFormat(verrs))
		}

		// The check must be able to fail: the same document without its
		// required info object is rejected.
		var broken map[string]any
		if err := json.Unmarshal(raw, &broken); err != nil {
			t.Fatal(err)
		}
		delete(broken, "info")
		b, _ := json.Marshal(broken)
		bdoc, err := libopenapi.NewDocument(b)
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := schema_validation.ValidateOpenAPIDocument(bdoc); ok {
			t.Error("the validator accepts a document without info: the check above proves nothing")
		}
	})
}

// oaProblemFields are the JSON names of api.Problem's fields: what every error
// body carries, and so what the error schema of the document must describe.
func oaProblemFields() []string {
	var out []string
	rt := reflect.TypeFor[api.Problem]()
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func TestOpenAPIDocumentServesClients(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		_, _, m := oaFetch(t, e)
		if m.Version != "3.1.0" {
			t.Errorf("model version %q, want 3.1.0", m.Version)
		}
		if m.Info == nil || m.Info.Title == "" || m.Info.Version == "" {
			t.Errorf("info must have a title and a version: %+v", m.Info)
		}

		// The session scheme is what every protected operation refers to.
		var scheme *v3.SecurityScheme
		if m.Components != nil && m.Components.SecuritySchemes != nil {
			scheme = m.Components.SecuritySchemes.GetOrZero("session")
		}
		if scheme == nil {
			t.Fatal(`components.securitySchemes has no "session"`)
		}
		if scheme.Type != "apiKey" || scheme.In != "cookie" || scheme.Name != auth.CookieName {
			t.Errorf("session scheme: type %q in %q name %q; want apiKey in cookie named %q", scheme.Type, scheme.In, scheme.Name, auth.CookieName)
		}

		ops := oaOps(m)
		if len(ops) == 0 {
			t.Fatal("the document has no operations")
		}
		wantProblem := oaProblemFields()
		ids := map[string]string{}
		problemRefs := map[string]bool{}
		for _, o := range ops {
			op := o.op
			if op.OperationId == "" {
				t.Errorf("%s: no operationId", o)
			} else if prev, dup := ids[op.OperationId]; dup {
				t.Errorf("%s: operationId %q is also used by %s", o, op.OperationId, prev)
			} else {
				ids[op.OperationId] = o.String()
			}
			if strings.TrimSpace(op.Summary) == "" {
				t.Errorf("%s: no summary", o)
			}

			_, public := mxPublic[o.String()] // the allow-list of matrix_test.go
			if strings.HasPrefix(o.path, "/api/v1/") {
				hasSession := false
				for _, req := range op.Security {
					if req != nil && req.Requirements != nil {
						if _, ok := req.Requirements.Get("session"); ok {
							hasSession = true
						}
					}
				}
				switch {
				case public && hasSession:
					t.Errorf("%s is public but declares the session security requirement", o)
				case !public && !hasSession:
					t.Errorf("%s: no session security requirement (security: %v)", o, op.Security)
				}
				if !public {
					for _, code := range []string{"401", "403"} {
						if op.Responses == nil || op.Responses.Codes == nil || op.Responses.Codes.GetOrZero(code) == nil {
							t.Errorf("%s: no %s response declared", o, code)
						}
					}
				}
			}

			if op.Responses == nil {
				t.Errorf("%s: no responses", o)
				continue
			}
			// An operation on a record by id answers 404 when there is none
			// (or the caller may not see it); the client must be told.
			if strings.Contains(o.path, "{id}") && (op.Responses.Codes == nil || op.Responses.Codes.GetOrZero("404") == nil) {
				t.Errorf("%s: addresses a record by id but declares no 404 response", o)
			}
			hasSuccess := false
			errResponses := map[string]*v3.Response{}
			for code, resp := range op.Responses.Codes.FromOldest() {
				if code[0] == '2' {
					hasSuccess = true
				}
				if code[0] == '4' || code[0] == '5' {
					errResponses[code] = resp
				}
			}
			if op.Responses.Default != nil {
				errResponses["default"] = op.Responses.Default
			}
			if !hasSuccess {
				t.Errorf("%s: no 2xx response", o)
			}
			for code, resp := range errResponses {
				if resp.Content == nil || resp.Content.Len() == 0 {
					t.Errorf("%s %s: error response without content", o, code)
					continue
				}
				for ct, mt := range resp.Content.FromOldest() {
					if ct != "application/problem+json" {
						t.Errorf("%s %s: error content type %q, want application/problem+json", o, code, ct)
					}
					if mt.Schema == nil || !mt.Schema.IsReference() {
						t.Errorf("%s %s: error schema is not a $ref to a named problem schema", o, code)
						continue
					}
					problemRefs[mt.Schema.GetReference()] = true
				}
			}
		}

		// Every error schema must describe the bodies the server really sends
		// (api.Problem), field for field, not some other shape.
		for ref := range problemRefs {
			name, ok := strings.CutPrefix(ref, "#/components/schemas/")
			var got []string
			if ok && m.Components.Schemas != nil {
				if sp := m.Components.Schemas.GetOrZero(name); sp != nil {
					if s := sp.Schema(); s != nil && s.Properties != nil {
						for p := range s.Properties.KeysFromOldest() {
							got = append(got, p)
						}
					}
				}
			}
			sort.Strings(got)
			if !slices.Equal(got, wantProblem) {
				t.Errorf("error responses reference %s with properties %v; the server sends api.Problem with %v", ref, got, wantProblem)
			}
		}
	})
}

// oaCall sends a request through the test client and returns it with the
// http.Request and http.Response the validator needs.
func oaCall(c *client, method, path string, body any, headers ...string) (*response, *http.Request, *http.Response) {
	c.e.t.Helper()
	r := c.do(method, path, body, headers...)
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	res := *r.res
	res.Body = io.NopCloser(bytes.NewReader(r.body))
	res.Request = req
	return r, req, &res
}

func TestOpenAPIDescribesRealResponses(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		_, doc, _ := oaFetch(t, e)
		v, errs := validator.NewValidator(doc, config.WithFormatAssertions())
		if len(errs) > 0 {
			t.Fatalf("libopenapi-validator cannot load the document: %v", errors.Join(errs...))
		}
		c := e.login("duchashi")
		var list struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		c.do("GET", "/api/v1/items?type=key_project&page_size=20", nil).status(200).json(&list)
		if len(list.Items) == 0 {
			t.Fatal("no demo items")
		}
		id := list.Items[0].ID

		cases := []struct {
			name, method, path string
			body               any
			who                *client
			status             int
		}{
			{"list-items", "GET", "/api/v1/items?type=key_project&page_size=20", nil, c, 200},
			{"list-items, filtered by keyword", "GET", "/api/v1/items?q=" + url.QueryEscape("老旧小区"), nil, c, 200},
			{"get-item", "GET", fmt.Sprintf("/api/v1/items/%d", id), nil, c, 200},
			{"list-item-milestones", "GET", fmt.Sprintf("/api/v1/items/%d/milestones", id), nil, c, 200},
			{"get-item of a missing item", "GET", "/api/v1/items/99999999", nil, c, 404},
			{"create-item with an empty body", "POST", "/api/v1/items", map[string]any{}, c, 422},
			{"create-item by a viewer", "POST", "/api/v1/items", map[string]any{}, e.login("viewer"), 403},
			{"list-items without a session", "GET", "/api/v1/items", nil, e.anon(), 401},
			{"list-item-milestones of a missing item", "GET", "/api/v1/items/99999999/milestones", nil, c, 404},
		}
		for _, tc := range cases {
			r, req, res := oaCall(tc.who, tc.method, tc.path, tc.body)
			if r.res.StatusCode != tc.status {
				t.Errorf("%s: %s: status %d, want %d; body %s", tc.name, r.req, r.res.StatusCode, tc.status, r.body)
				continue
			}
			if ok, verrs := v.ValidateHttpResponse(req, res); !ok || len(verrs) > 0 {
				t.Errorf("%s: %s → %d does not match the document; %d error(s):\n%s\nbody: %s",
					tc.name, r.req, r.res.StatusCode, len(verrs), oaFormat(verrs), oaTrim(r.body))
			}
			if tc.status < 300 {
				if ok, verrs := v.ValidateHttpRequest(req); !ok || len(verrs) > 0 {
					t.Errorf("%s: the request %s does not match the document:\n%s", tc.name, r.req, oaFormat(verrs))
				}
			}
		}

		// Failed sign-ins: 401, and after too many from one address 429.
		// Both are answers a client of the login operation must expect.
		anon := e.anon()
		seen := map[int]bool{}
		for i := 0; i < 40 && !seen[http.StatusTooManyRequests]; i++ {
			r, req, res := oaCall(anon, "POST", "/api/v1/auth/login",
				map[string]string{"username": fmt.Sprintf("nobody%d", i), "password": "wrong"})
			code := r.res.StatusCode
			if seen[code] {
				continue
			}
			seen[code] = true
			if ok, verrs := v.ValidateHttpResponse(req, res); !ok || len(verrs) > 0 {
				t.Errorf("failed sign-in: %s → %d does not match the document; %d error(s):\n%s\nbody: %s",
					r.req, code, len(verrs), oaFormat(verrs), oaTrim(r.body))
			}
		}
	})
}

func oaTrim(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "…"
	}
	return string(b)
}
