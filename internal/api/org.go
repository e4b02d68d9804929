package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/org"
)

// UnitListInput filters units.
type UnitListInput struct {
	Q    string `query:"q" maxLength:"100" doc:"按名称或编码模糊查找"`
	Kind string `query:"kind" enum:",leadership,bureau,street,soe,other"`
}

// PersonListInput filters persons.
type PersonListInput struct {
	Q      string `query:"q" maxLength:"100"`
	UnitID int64  `query:"unit_id" minimum:"0"`
}

func (s *Server) orgRoutes() {
	o := s.deps.Org
	register(s, access.OrgRead, huma.Operation{OperationID: "list-units", Method: http.MethodGet, Path: "/api/v1/units", Tags: []string{"组织"},
		Summary: "单位列表"},
		func(ctx context.Context, in *UnitListInput) (*Body[ListOf[org.Unit]], error) {
			us, err := o.ListUnits(ctx, org.UnitFilter{Q: in.Q, Kind: in.Kind})
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[org.Unit]]{Body: ListOf[org.Unit]{Items: us, Total: len(us)}}, nil
		})
	crud[org.Unit, org.UnitInput]{base: "/api/v1/units", tag: "组织", name: "unit", label: "单位",
		read: access.OrgRead, edit: access.OrgEdit, version: func(u org.Unit) int { return u.Version },
		get: o.GetUnit, create: o.CreateUnit, update: o.UpdateUnit, del: o.DeleteUnit}.register(s)

	register(s, access.OrgRead, huma.Operation{OperationID: "list-persons", Method: http.MethodGet, Path: "/api/v1/persons", Tags: []string{"组织"},
		Summary: "人员列表"},
		func(ctx context.Context, in *PersonListInput) (*Body[ListOf[org.Person]], error) {
			ps, err := o.ListPersons(ctx, org.PersonFilter{Q: in.Q, UnitID: in.UnitID})
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[org.Person]]{Body: ListOf[org.Person]{Items: ps, Total: len(ps)}}, nil
		})
	crud[org.Person, org.PersonInput]{base: "/api/v1/persons", tag: "组织", name: "person", label: "人员",
		read: access.OrgRead, edit: access.OrgEdit, version: func(p org.Person) int { return p.Version },
		get: o.GetPerson, create: o.CreatePerson, update: o.UpdatePerson, del: o.DeletePerson}.register(s)
}
