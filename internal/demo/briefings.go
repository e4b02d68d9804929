package demo

import (
	"context"
	"fmt"

	"gongjian/internal/briefing"
	"gongjian/internal/date"
)

// The district's two briefings the articles stand for: the first half of
// 2022, published, and January–September, the draft for the press conference
// of 2022-09-08's follow-up. They are generated from the demo's records like
// any briefing, so a new user finds something to open, print and download
// on the briefings page, and their figures link to their records.
var demoBriefings = []struct {
	asOf    date.Date
	publish bool
}{
	{date.MustParse("2022-06-30"), true},
	{date.MustParse("2022-09-30"), false},
}

// loadBriefings generates the demo briefings once: it skips the campaign
// when it already has a briefing.
func loadBriefings(ctx context.Context, s Services, x Extras, sum Summary) error {
	if x.Briefings == nil {
		return nil
	}
	var n int
	if err := s.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM briefings WHERE campaign_id = ?`, sum.CampaignID).Scan(&n); err != nil {
		return fmt.Errorf("count briefings: %w", err)
	}
	if n > 0 {
		return nil
	}
	for _, d := range demoBriefings {
		b, err := x.Briefings.Generate(ctx, briefing.BriefingInput{CampaignID: sum.CampaignID, Period: "ytd", AsOf: d.asOf})
		if err != nil {
			return fmt.Errorf("briefing as of %s: %w", d.asOf, err)
		}
		if d.publish {
			if _, err := x.Briefings.Publish(ctx, b.ID, b.Version); err != nil {
				return fmt.Errorf("publish briefing as of %s: %w", d.asOf, err)
			}
		}
	}
	return nil
}
