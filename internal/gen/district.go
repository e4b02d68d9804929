package gen

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/store"
)

// district is what the generators of cases and ledgers need to know of a
// district that Generate wrote: read back from the database, so that they can
// also run on a district generated earlier.
type district struct {
	st         Stats
	year       int
	yearStart  date.Date
	asOf       date.Date // "today" of the generated data (see newGenerator)
	units      []genUnit // the root's children
	streets    []int64
	leaders    []int64 // persons of the root unit
	items      []genItem
	zones      []int64
	rootLeader int64
}

type genUnit struct {
	id         int64
	name, kind string
}

type genItem struct {
	id, lead, leader int64
	code, name, typ  string
}

func loadDistrict(ctx context.Context, q store.Querier, st Stats) (*district, error) {
	d := &district{st: st}
	if err := q.QueryRow(ctx, `SELECT year FROM campaigns WHERE id = ?`, st.CampaignID).Scan(&d.year); err != nil {
		return nil, fmt.Errorf("campaign %d: %w", st.CampaignID, err)
	}
	d.yearStart = date.New(d.year, time.January, 1)
	d.asOf = date.New(d.year, time.September, 30)
	// With report history (Options.Weeks) "today" is the end of the last
	// week reported.
	var last sql.NullString
	if err := q.QueryRow(ctx, `SELECT MAX(r.period_end) FROM reports r JOIN items i ON i.id = r.item_id WHERE i.campaign_id = ?`, st.CampaignID).Scan(&last); err != nil {
		return nil, fmt.Errorf("last report: %w", err)
	}
	if last.Valid && len(last.String) >= 10 {
		if t, err := time.Parse("2006-01-02", last.String[:10]); err == nil {
			d.asOf = date.Of(t)
		}
	}
	if today := date.Of(time.Now()); today.Before(d.asOf) {
		d.asOf = today
	}
	err := each(ctx, q, `SELECT id, name, kind FROM units WHERE parent_id = ? ORDER BY id`, []any{st.RootUnitID}, func(s scanner) error {
		var u genUnit
		if err := s.Scan(&u.id, &u.name, &u.kind); err != nil {
			return err
		}
		d.units = append(d.units, u)
		if u.kind == "street" {
			d.streets = append(d.streets, u.id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = each(ctx, q, `SELECT id FROM persons WHERE unit_id = ? ORDER BY id`, []any{st.RootUnitID}, func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		d.leaders = append(d.leaders, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(ctx, q, `SELECT id, lead_unit_id, leader_id, code, name, type FROM items WHERE campaign_id = ? ORDER BY id`, []any{st.CampaignID}, func(s scanner) error {
		var it genItem
		err := s.Scan(&it.id, &it.lead, &it.leader, &it.code, &it.name, &it.typ)
		d.items = append(d.items, it)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(ctx, q, `SELECT id FROM zones WHERE campaign_id = ? ORDER BY id`, []any{st.CampaignID}, func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		d.zones = append(d.zones, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(d.units) == 0 || len(d.leaders) == 0 {
		return nil, fmt.Errorf("区县 %s 没有单位或区领导，先用 gen.Generate 生成", st.Prefix)
	}
	if len(d.streets) == 0 {
		d.streets = []int64{d.units[0].id}
	}
	d.rootLeader = d.leaders[0]
	return d, nil
}

type scanner interface{ Scan(...any) error }

// each runs query and calls fn for every row.
func each(ctx context.Context, q store.Querier, query string, args []any, fn func(scanner) error) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// moment is a random time between two dates (inclusive), in working hours.
func moment(r *rand.Rand, from, to date.Date) time.Time {
	days := int(to.Time().Sub(from.Time()).Hours() / 24)
	d := from.Time().AddDate(0, 0, r.IntN(max(1, days+1)))
	return d.Add(time.Duration(8*3600+r.IntN(9*3600)) * time.Second).UTC()
}

// analyze refreshes the planner's statistics on PostgreSQL after a bulk load
// (see Generate); SQLite is left alone.
func analyze(ctx context.Context, db *store.DB, tables string) error {
	if db.Engine() != store.Postgres {
		return nil
	}
	return db.Tx(ctx, func(q store.Querier) error {
		_, err := q.Exec(ctx, `ANALYZE `+tables)
		return err
	})
}
