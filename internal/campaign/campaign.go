// Package campaign holds what a campaign is made of: the campaign itself, its
// zones, its items with their accountability, and the items' milestones and
// targets.
package campaign

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Service reads and changes campaigns and everything in them.
type Service struct{ db *store.DB }

// New returns a Service on db.
func New(db *store.DB) *Service { return &Service{db: db} }

// Campaign is a year or a special action.
type Campaign struct {
	ID          int64     `json:"id"`
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	Year        int       `json:"year"`
	StartDate   date.Date `json:"start_date"`
	EndDate     date.Date `json:"end_date"`
	Cadence     string    `json:"cadence" enum:"weekly,monthly"`
	DueDays     int       `json:"report_due_days" doc:"每期结束后几天内须报送"`
	Description string    `json:"description"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// CampaignInput is what a caller may set on a campaign.
type CampaignInput struct {
	Code        string    `json:"code" maxLength:"64"`
	Name        string    `json:"name" maxLength:"200"`
	Year        int       `json:"year" minimum:"2000" maximum:"2100"`
	StartDate   date.Date `json:"start_date"`
	EndDate     date.Date `json:"end_date"`
	Cadence     string    `json:"cadence,omitempty" enum:"weekly,monthly"`
	DueDays     int       `json:"report_due_days,omitempty" minimum:"0" maximum:"30" doc:"每期结束后几天内须报送，默认 5"`
	Description string    `json:"description,omitempty" maxLength:"4000"`
}

func (in *CampaignInput) check() error {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	if in.Cadence == "" {
		in.Cadence = "monthly"
	}
	if in.DueDays == 0 {
		in.DueDays = 5
	}
	var c errs.Checker
	c.Check(in.Code != "", "code", "required", "攻坚年编码不能为空", nil)
	c.Check(in.Name != "", "name", "required", "攻坚年名称不能为空", nil)
	c.Check(!in.StartDate.IsZero(), "start_date", "required", "开始日期不能为空", nil)
	c.Check(!in.EndDate.IsZero(), "end_date", "required", "结束日期不能为空", nil)
	c.Check(in.StartDate.IsZero() || in.EndDate.IsZero() || !in.EndDate.Before(in.StartDate),
		"end_date", "date.order", "结束日期不能早于开始日期", in.EndDate.String())
	c.Check(in.Cadence == "weekly" || in.Cadence == "monthly", "cadence", "enum", "填报周期应为 weekly（每周）或 monthly（每月）", in.Cadence)
	c.Check(in.DueDays >= 0 && in.DueDays <= 30, "report_due_days", "range", "报送期限应为每期结束后 0–30 天", in.DueDays)
	return c.Err()
}

const campaignCols = `id, code, name, year, start_date, end_date, cadence, report_due_days, description, version, created_at, updated_at`

func scanCampaign(s interface{ Scan(...any) error }) (Campaign, error) {
	var c Campaign
	err := s.Scan(&c.ID, &c.Code, &c.Name, &c.Year, &c.StartDate, &c.EndDate, &c.Cadence, &c.DueDays, &c.Description, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	return c, err
}

func getCampaign(ctx context.Context, q store.Querier, id int64) (Campaign, error) {
	c, err := scanCampaign(q.QueryRow(ctx, `SELECT `+campaignCols+` FROM campaigns WHERE id = ?`, id))
	if store.IsNoRows(err) {
		return c, errs.NotFound("攻坚年", id)
	}
	if err != nil {
		return c, fmt.Errorf("get campaign %d: %w", id, err)
	}
	return c, nil
}

var campaignKind = audit.Kind[Campaign]{Entity: "campaign", Label: "攻坚年", Get: getCampaign, Version: func(c Campaign) int { return c.Version }}

// ListCampaigns returns every campaign, newest first.
func (s *Service) ListCampaigns(ctx context.Context) ([]Campaign, error) {
	rows, err := s.db.Read().Query(ctx, `SELECT `+campaignCols+` FROM campaigns ORDER BY year DESC, code`)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	defer rows.Close()
	out := []Campaign{}
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, fmt.Errorf("scan campaign: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// GetCampaign returns one campaign.
func (s *Service) GetCampaign(ctx context.Context, id int64) (Campaign, error) {
	return getCampaign(ctx, s.db.Read(), id)
}

// CampaignByCode finds a campaign by its code.
func (s *Service) CampaignByCode(ctx context.Context, code string) (Campaign, error) {
	c, err := scanCampaign(s.db.Read().QueryRow(ctx, `SELECT `+campaignCols+` FROM campaigns WHERE code = ?`, code))
	if store.IsNoRows(err) {
		return c, errs.NotFound("攻坚年", code)
	}
	if err != nil {
		return c, fmt.Errorf("campaign by code: %w", err)
	}
	return c, nil
}

// CreateCampaign adds a campaign.
func (s *Service) CreateCampaign(ctx context.Context, in CampaignInput) (Campaign, error) {
	if err := in.check(); err != nil {
		return Campaign{}, err
	}
	return audit.Create(ctx, s.db, campaignKind, func(q store.Querier) (id int64, err error) {
		now := time.Now().UTC()
		err = q.QueryRow(ctx, `INSERT INTO campaigns (code, name, year, start_date, end_date, cadence, report_due_days, description, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Code, in.Name, in.Year, in.StartDate, in.EndDate, in.Cadence, in.DueDays, in.Description, now, now).Scan(&id)
		return id, writeErr(err, "攻坚年", in.Code)
	})
}

// UpdateCampaign changes a campaign if version is still current.
func (s *Service) UpdateCampaign(ctx context.Context, id int64, version int, in CampaignInput) (Campaign, error) {
	if err := in.check(); err != nil {
		return Campaign{}, err
	}
	return audit.Update(ctx, s.db, campaignKind, id, version, func(q store.Querier, _ Campaign) error {
		_, err := q.Exec(ctx, `UPDATE campaigns SET code = ?, name = ?, year = ?, start_date = ?, end_date = ?, cadence = ?, report_due_days = ?,
			description = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			in.Code, in.Name, in.Year, in.StartDate, in.EndDate, in.Cadence, in.DueDays, in.Description, time.Now().UTC(), id)
		return writeErr(err, "攻坚年", in.Code)
	})
}

// DeleteCampaign removes an empty campaign.
func (s *Service) DeleteCampaign(ctx context.Context, id int64, version int) error {
	return audit.Delete(ctx, s.db, campaignKind, id, version, func(q store.Querier, _ Campaign) error {
		_, err := q.Exec(ctx, `DELETE FROM campaigns WHERE id = ?`, id)
		return deleteErr(err, "攻坚年", "该攻坚年下仍有战区或事项，不能删除")
	})
}

// writeErr maps engine errors of an insert or update to what the user did wrong.
func writeErr(err error, label, code string) error {
	switch {
	case err == nil:
		return nil
	case store.IsUnique(err):
		return errs.Duplicate("code", code)
	case store.IsForeignKey(err):
		return &errs.Error{Kind: errs.KindInvalid, Key: "reference.missing", Message: label + "引用的记录不存在", Err: err}
	}
	return fmt.Errorf("write %s %q: %w", label, code, err)
}

func deleteErr(err error, label, inUse string) error {
	switch {
	case err == nil:
		return nil
	case store.IsForeignKey(err):
		return &errs.Error{Kind: errs.KindConflict, Key: "in_use", Message: inUse}
	}
	return fmt.Errorf("delete %s: %w", label, err)
}
