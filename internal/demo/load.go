// Package demo is the demo district: the district of the two source articles,
// with their figures, and the loader that puts it into a database.
package demo

import (
	"context"
	"errors"
	"fmt"

	"gongjian/internal/access"
	"gongjian/internal/auth"
	campaignsvc "gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/org"
	"gongjian/internal/store"
)

// Services are what the loader writes through, so that demo data passes the
// same validation and audit trail as data typed by a user.
type Services struct {
	DB       *store.DB
	Org      *org.Service
	Auth     *auth.Service
	Campaign *campaignsvc.Service
}

// Summary counts what Load created and what was already there.
type Summary struct {
	Created, Existing int
	CampaignID        int64
}

// Load writes d, skipping every record whose code already exists, so running
// it twice changes nothing and a run cut short is completed by the next one.
func Load(ctx context.Context, s Services, d District) (Summary, error) {
	var sum Summary
	units := map[string]int64{}
	for _, u := range d.Units {
		id, created, err := ensure(ctx, func() (int64, error) {
			x, err := s.Org.UnitByCode(ctx, u.Code)
			return x.ID, err
		}, func() (int64, error) {
			var parent *int64
			if u.ParentCode != "" {
				p := units[u.ParentCode]
				parent = &p
			}
			x, err := s.Org.CreateUnit(ctx, org.UnitInput{Code: u.Code, Name: u.Name, Kind: u.Kind, ParentID: parent})
			return x.ID, err
		})
		if err != nil {
			return sum, fmt.Errorf("unit %s: %w", u.Code, err)
		}
		sum.count(created)
		units[u.Code] = id
	}
	persons := map[string]int64{}
	for _, p := range d.Persons {
		id, created, err := ensure(ctx, func() (int64, error) {
			x, err := s.Org.PersonByCode(ctx, p.Code)
			return x.ID, err
		}, func() (int64, error) {
			unit := units[p.UnitCode]
			x, err := s.Org.CreatePerson(ctx, org.PersonInput{Code: p.Code, Name: p.Name, Title: p.Title, UnitID: &unit})
			return x.ID, err
		})
		if err != nil {
			return sum, fmt.Errorf("person %s: %w", p.Code, err)
		}
		sum.count(created)
		persons[p.Code] = id
	}
	c := d.Campaign
	campID, created, err := ensure(ctx, func() (int64, error) {
		x, err := s.Campaign.CampaignByCode(ctx, c.Code)
		return x.ID, err
	}, func() (int64, error) {
		x, err := s.Campaign.CreateCampaign(ctx, campaignsvc.CampaignInput{Code: c.Code, Name: c.Name, Year: c.Year,
			StartDate: date.MustParse(c.Start), EndDate: date.MustParse(c.End), Cadence: c.Cadence, Description: c.Description})
		return x.ID, err
	})
	if err != nil {
		return sum, fmt.Errorf("campaign %s: %w", c.Code, err)
	}
	sum.count(created)
	sum.CampaignID = campID
	if err := loadZonesAndItems(ctx, s, d, campID, units, persons, &sum); err != nil {
		return sum, err
	}
	if err := loadPlans(ctx, s, d, campID); err != nil { // 计划曲线 (plans.go)
		return sum, err
	}
	if err := backdate(ctx, s.DB, campID); err != nil {
		return sum, err
	}
	for _, a := range d.Accounts {
		_, created, err := ensure(ctx, func() (int64, error) {
			x, err := s.Auth.UserByUsername(ctx, a.Username)
			return x.ID, err
		}, func() (int64, error) {
			var person *int64
			if a.PersonCode != "" {
				p := persons[a.PersonCode]
				person = &p
			}
			x, _, err := s.Auth.CreateUser(ctx, auth.UserInput{Username: a.Username, DisplayName: a.DisplayName,
				Role: access.Role(a.Role), UnitID: units[a.UnitCode], PersonID: person, Password: a.Password})
			return x.ID, err
		})
		if err != nil {
			return sum, fmt.Errorf("account %s: %w", a.Username, err)
		}
		sum.count(created)
	}
	return sum, nil
}

func loadZonesAndItems(ctx context.Context, s Services, d District, campID int64, units, persons map[string]int64, sum *Summary) error {
	zones := map[string]int64{}
	existing, err := s.Campaign.ListZones(ctx, campID)
	if err != nil {
		return err
	}
	for _, z := range existing {
		zones[z.Code] = z.ID
	}
	for _, z := range d.Zones {
		if _, ok := zones[z.Code]; ok {
			sum.Existing++
			continue
		}
		in := campaignsvc.ZoneInput{CampaignID: campID, Code: z.Code, Name: z.Name, Kind: z.Kind, Description: z.Description}
		if z.ParentCode != "" {
			p := zones[z.ParentCode]
			in.ParentID = &p
		}
		if z.CommanderCode != "" {
			p := persons[z.CommanderCode]
			in.CommanderID = &p
		}
		x, err := s.Campaign.CreateZone(ctx, in)
		if err != nil {
			return fmt.Errorf("zone %s: %w", z.Code, err)
		}
		zones[z.Code] = x.ID
		sum.Created++
	}
	items := map[string]int64{}
	for page := 1; ; page++ {
		l, err := s.Campaign.ListItems(ctx, campaignsvc.ItemFilter{CampaignID: campID, Page: pageOf(page)})
		if err != nil {
			return err
		}
		for _, it := range l.Items {
			items[it.Code] = it.ID
		}
		if len(l.Items) == 0 || len(items) >= l.Total {
			break
		}
	}
	for _, it := range d.Items {
		if _, ok := items[it.Code]; ok {
			sum.Existing++
			continue
		}
		in := campaignsvc.ItemInput{CampaignID: campID, Code: it.Code, Name: it.Name, Type: it.Type, Level: it.Level, State: it.State,
			LeaderID: persons[it.LeaderCode], LeadUnitID: units[it.LeadUnitCode], WorkPlan: it.WorkPlan,
			TotalInvestmentWan: it.TotalWan, AnnualInvestmentWan: it.AnnualWan, Location: it.Location,
			Illustrative: it.Illustrative, Note: it.Note, StartDate: parse(it.Start), EndDate: parse(it.End)}
		for _, u := range it.CoUnitCodes {
			in.CoUnitIDs = append(in.CoUnitIDs, units[u])
		}
		if it.ParentCode != "" {
			p := items[it.ParentCode]
			in.ParentID = &p
		}
		if it.ZoneCode != "" {
			z := zones[it.ZoneCode]
			in.ZoneID = &z
		}
		x, err := s.Campaign.CreateItem(ctx, in)
		if err != nil {
			return fmt.Errorf("item %s: %w", it.Code, err)
		}
		items[it.Code] = x.ID
		sum.Created++
		for _, m := range it.Milestones {
			if _, err := s.Campaign.CreateMilestone(ctx, x.ID, campaignsvc.MilestoneInput{Name: m.Name, Kind: m.Kind,
				PlannedDate: parse(m.PlannedDate), ActualDate: parse(m.ActualDate)}); err != nil {
				return fmt.Errorf("item %s milestone %s: %w", it.Code, m.Name, err)
			}
			sum.Created++
		}
		for _, t := range it.Targets {
			if _, err := s.Campaign.CreateTarget(ctx, x.ID, campaignsvc.TargetInput{Name: t.Name, Unit: t.Unit, Baseline: t.Baseline,
				Value: t.Value, Deadline: parse(t.Deadline), Direction: t.Direction}); err != nil {
				return fmt.Errorf("item %s target %s: %w", it.Code, t.Name, err)
			}
			sum.Created++
		}
	}
	return nil
}

func (s *Summary) count(created bool) {
	if created {
		s.Created++
	} else {
		s.Existing++
	}
}

// ensure returns the id of an existing record, or creates it.
func ensure(_ context.Context, find, create func() (int64, error)) (int64, bool, error) {
	id, err := find()
	if err == nil {
		return id, false, nil
	}
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.KindNotFound {
		return 0, false, err
	}
	id, err = create()
	return id, err == nil, err
}

func parse(s string) date.Date { return date.MustParse(s) }

func pageOf(n int) store.Page { return store.Page{Number: n, Size: store.MaxPageSize} }
