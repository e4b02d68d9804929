package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/campaign"
)

// ZoneListInput filters zones.
type ZoneListInput struct {
	CampaignID int64 `query:"campaign_id" minimum:"0"`
}

func (s *Server) campaignRoutes() {
	c := s.deps.Campaign
	register(s, access.CampaignRead, huma.Operation{OperationID: "list-campaigns", Method: http.MethodGet, Path: "/api/v1/campaigns",
		Tags: []string{"攻坚年"}, Summary: "攻坚年列表"},
		func(ctx context.Context, _ *struct{}) (*Body[ListOf[campaign.Campaign]], error) {
			cs, err := c.ListCampaigns(ctx)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[campaign.Campaign]]{Body: ListOf[campaign.Campaign]{Items: cs, Total: len(cs)}}, nil
		})
	crud[campaign.Campaign, campaign.CampaignInput]{base: "/api/v1/campaigns", tag: "攻坚年", name: "campaign", label: "攻坚年",
		read: access.CampaignRead, edit: access.CampaignEdit, version: func(v campaign.Campaign) int { return v.Version },
		get: c.GetCampaign, create: c.CreateCampaign, update: c.UpdateCampaign, del: c.DeleteCampaign}.register(s)

	register(s, access.CampaignRead, huma.Operation{OperationID: "list-zones", Method: http.MethodGet, Path: "/api/v1/zones",
		Tags: []string{"攻坚年"}, Summary: "战区列表"},
		func(ctx context.Context, in *ZoneListInput) (*Body[ListOf[campaign.Zone]], error) {
			zs, err := c.ListZones(ctx, in.CampaignID)
			if err != nil {
				return nil, err
			}
			return &Body[ListOf[campaign.Zone]]{Body: ListOf[campaign.Zone]{Items: zs, Total: len(zs)}}, nil
		})
	crud[campaign.Zone, campaign.ZoneInput]{base: "/api/v1/zones", tag: "攻坚年", name: "zone", label: "战区",
		read: access.CampaignRead, edit: access.CampaignEdit, version: func(v campaign.Zone) int { return v.Version },
		get: c.GetZone, create: c.CreateZone, update: c.UpdateZone, del: c.DeleteZone}.register(s)
}
