package campaign

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Zone is a war zone (战区), area (片区) or grid (网格), with a commander.
type Zone struct {
	ID            int64     `json:"id"`
	CampaignID    int64     `json:"campaign_id"`
	Code          string    `json:"code"`
	Name          string    `json:"name"`
	Kind          string    `json:"kind" enum:"zone,area,grid"`
	ParentID      *int64    `json:"parent_id"`
	CommanderID   *int64    `json:"commander_id"`
	CommanderName string    `json:"commander_name"`
	Description   string    `json:"description"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// ZoneInput is what a caller may set on a zone.
type ZoneInput struct {
	CampaignID  int64  `json:"campaign_id"`
	Code        string `json:"code" maxLength:"64"`
	Name        string `json:"name" maxLength:"200"`
	Kind        string `json:"kind,omitempty" enum:"zone,area,grid"`
	ParentID    *int64 `json:"parent_id,omitempty"`
	CommanderID *int64 `json:"commander_id,omitempty"`
	Description string `json:"description,omitempty" maxLength:"4000"`
}

func (in *ZoneInput) check() error {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	if in.Kind == "" {
		in.Kind = "zone"
	}
	var c errs.Checker
	c.Check(in.CampaignID != 0, "campaign_id", "required", "所属攻坚年不能为空", nil)
	c.Check(in.Code != "", "code", "required", "战区编码不能为空", nil)
	c.Check(in.Name != "", "name", "required", "战区名称不能为空", nil)
	c.Check(in.Kind == "zone" || in.Kind == "area" || in.Kind == "grid", "kind", "enum", "类型应为 zone（战区）、area（片区）或 grid（网格）", in.Kind)
	return c.Err()
}

const zoneSelect = `SELECT z.id, z.campaign_id, z.code, z.name, z.kind, z.parent_id, z.commander_id, COALESCE(p.name, ''),
	z.description, z.version, z.created_at, z.updated_at FROM zones z LEFT JOIN persons p ON p.id = z.commander_id`

func scanZone(s interface{ Scan(...any) error }) (Zone, error) {
	var z Zone
	var parent, commander sql.NullInt64
	err := s.Scan(&z.ID, &z.CampaignID, &z.Code, &z.Name, &z.Kind, &parent, &commander, &z.CommanderName,
		&z.Description, &z.Version, &z.CreatedAt, &z.UpdatedAt)
	z.ParentID, z.CommanderID = nullID(parent), nullID(commander)
	return z, err
}

func nullID(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

func getZone(ctx context.Context, q store.Querier, id int64) (Zone, error) {
	z, err := scanZone(q.QueryRow(ctx, zoneSelect+` WHERE z.id = ?`, id))
	if store.IsNoRows(err) {
		return z, errs.NotFound("战区", id)
	}
	if err != nil {
		return z, fmt.Errorf("get zone %d: %w", id, err)
	}
	return z, nil
}

var zoneKind = audit.Kind[Zone]{Entity: "zone", Label: "战区", Get: getZone, Version: func(z Zone) int { return z.Version }}

// ListZones returns the zones of a campaign (all campaigns when 0).
func (s *Service) ListZones(ctx context.Context, campaignID int64) ([]Zone, error) {
	var w store.Where
	if campaignID != 0 {
		w.Add(`z.campaign_id = ?`, campaignID)
	}
	rows, err := s.db.Read().Query(ctx, zoneSelect+w.SQL()+` ORDER BY z.campaign_id, z.code`, w.Args...)
	if err != nil {
		return nil, fmt.Errorf("list zones: %w", err)
	}
	defer rows.Close()
	out := []Zone{}
	for rows.Next() {
		z, err := scanZone(rows)
		if err != nil {
			return nil, fmt.Errorf("scan zone: %w", err)
		}
		out = append(out, z)
	}
	return out, rows.Err()
}

// GetZone returns one zone.
func (s *Service) GetZone(ctx context.Context, id int64) (Zone, error) {
	return getZone(ctx, s.db.Read(), id)
}

// checkZoneParent refuses a parent in another campaign or a cycle.
func checkZoneParent(ctx context.Context, q store.Querier, in ZoneInput, self int64) error {
	for p, depth := in.ParentID, 0; p != nil; depth++ {
		if *p == self || depth > 32 {
			return errs.Invalid([]errs.FieldError{{Field: "parent_id", Key: "zone.cycle", Message: "上级战区不能是本战区或其下级", Value: *in.ParentID}})
		}
		var camp int64
		var next sql.NullInt64
		err := q.QueryRow(ctx, `SELECT campaign_id, parent_id FROM zones WHERE id = ?`, *p).Scan(&camp, &next)
		if store.IsNoRows(err) || (err == nil && camp != in.CampaignID) {
			return errs.Invalid([]errs.FieldError{{Field: "parent_id", Key: "not_found", Message: "上级战区不存在或不属于同一攻坚年", Value: *p}})
		}
		if err != nil {
			return fmt.Errorf("check zone parent: %w", err)
		}
		p = nullID(next)
	}
	return nil
}

// CreateZone adds a zone.
func (s *Service) CreateZone(ctx context.Context, in ZoneInput) (Zone, error) {
	if err := in.check(); err != nil {
		return Zone{}, err
	}
	return audit.Create(ctx, s.db, zoneKind, func(q store.Querier) (id int64, err error) {
		if err := checkZoneParent(ctx, q, in, 0); err != nil {
			return 0, err
		}
		now := time.Now().UTC()
		err = q.QueryRow(ctx, `INSERT INTO zones (campaign_id, code, name, kind, parent_id, commander_id, description, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.CampaignID, in.Code, in.Name, in.Kind, in.ParentID, in.CommanderID, in.Description, now, now).Scan(&id)
		return id, writeErr(err, "战区", in.Code)
	})
}

// UpdateZone changes a zone if version is still current.
func (s *Service) UpdateZone(ctx context.Context, id int64, version int, in ZoneInput) (Zone, error) {
	if err := in.check(); err != nil {
		return Zone{}, err
	}
	return audit.Update(ctx, s.db, zoneKind, id, version, func(q store.Querier, before Zone) error {
		if before.CampaignID != in.CampaignID {
			return errs.Invalid([]errs.FieldError{{Field: "campaign_id", Key: "immutable", Message: "战区不能移到其他攻坚年", Value: in.CampaignID}})
		}
		if err := checkZoneParent(ctx, q, in, id); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `UPDATE zones SET code = ?, name = ?, kind = ?, parent_id = ?, commander_id = ?, description = ?,
			version = version + 1, updated_at = ? WHERE id = ?`,
			in.Code, in.Name, in.Kind, in.ParentID, in.CommanderID, in.Description, time.Now().UTC(), id)
		return writeErr(err, "战区", in.Code)
	})
}

// DeleteZone removes a zone with no items and no sub-zones.
func (s *Service) DeleteZone(ctx context.Context, id int64, version int) error {
	return audit.Delete(ctx, s.db, zoneKind, id, version, func(q store.Querier, _ Zone) error {
		_, err := q.Exec(ctx, `DELETE FROM zones WHERE id = ?`, id)
		return deleteErr(err, "战区", "该战区下仍有网格或事项，不能删除")
	})
}
