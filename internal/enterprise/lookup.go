package enterprise

import (
	"context"
	"database/sql"
	"fmt"

	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// EnterpriseByCode returns the enterprise registered under a unified social
// credit code (normalised first), or errs.ErrNotFound.
func (s *Service) EnterpriseByCode(ctx context.Context, code string) (Enterprise, error) {
	code = NormalizeCreditCode(code)
	e, err := scanEnterprise(s.db.Read().QueryRow(ctx, enterpriseSelect+` WHERE e.credit_code = ?`, code))
	if store.IsNoRows(err) {
		return e, errs.NotFound("企业", code)
	}
	if err != nil {
		return e, fmt.Errorf("enterprise by code: %w", err)
	}
	return e, nil
}

// FindVisit returns the visit of a visitor to an enterprise on a day (the
// first one logged, when there are several), or errs.ErrNotFound: what an
// import matches a visit row by, since visits have no code.
func (s *Service) FindVisit(ctx context.Context, enterpriseID int64, on date.Date, visitorID int64) (Visit, error) {
	q := s.db.Read()
	var id sql.NullInt64
	err := q.QueryRow(ctx, `SELECT MIN(id) FROM enterprise_visits WHERE enterprise_id = ? AND visit_date = ? AND visitor_id = ?`,
		enterpriseID, on, visitorID).Scan(&id)
	if err != nil {
		return Visit{}, fmt.Errorf("find visit: %w", err)
	}
	if !id.Valid {
		return Visit{}, errs.NotFound("走访记录", fmt.Sprintf("%d/%s/%d", enterpriseID, on, visitorID))
	}
	return getVisit(ctx, q, id.Int64)
}

// LeadByCode returns the investment lead with a code, or errs.ErrNotFound.
func (s *Service) LeadByCode(ctx context.Context, code string) (Lead, error) {
	l, err := scanLead(s.db.Read().QueryRow(ctx, leadSelect+` WHERE l.code = ?`, code))
	if store.IsNoRows(err) {
		return l, errs.NotFound("招商项目", code)
	}
	if err != nil {
		return l, fmt.Errorf("lead by code: %w", err)
	}
	return l, nil
}
