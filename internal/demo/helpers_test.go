package demo

import (
	"context"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/campaign"
	"gongjian/internal/org"
	"gongjian/internal/store"
)

// loadDemo loads the demo district (organisation, campaign, items) into db,
// as `gongjian demo` does before the extras, and returns its services and
// summary.
func loadDemo(t *testing.T, db *store.DB) (Services, Summary) {
	t.Helper()
	s := Services{DB: db, Org: org.New(db), Auth: auth.New(db, time.Hour, time.Hour), Campaign: campaign.New(db)}
	sum, err := Load(context.Background(), s, Data())
	if err != nil {
		t.Fatal(err)
	}
	return s, sum
}
