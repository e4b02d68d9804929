package briefing_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/internal/briefing"
	"gongjian/internal/date"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// testCase is a case written as history: filed, due, resolved (or not), with
// a task per unit answered (or not).
type testCase struct {
	code         string
	created, due string
	resolved     string // "" while unresolved
	tasks        []testTask
}

type testTask struct {
	unit     int64
	due      string
	answered string
}

// at is a day at noon in the district (04:00 UTC), so that no time zone moves it to another day.
func at(day string) time.Time {
	return date.MustParse(day).Time().Add(4 * time.Hour)
}

func writeCases(t *testing.T, db *store.DB, cases []testCase) {
	t.Helper()
	ctx := context.Background()
	err := db.Tx(ctx, func(q store.Querier) error {
		for _, c := range cases {
			var resolved any
			state := "in_progress"
			if c.resolved != "" {
				resolved, state = at(c.resolved), "resolved"
			}
			var id int64
			if err := q.QueryRow(ctx, `INSERT INTO cases (code, type, title, deadline, original_deadline, state, resolved_at, created_at, updated_at)
				VALUES (?, 'problem', ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				c.code, "督办件 "+c.code, date.MustParse(c.due), date.MustParse(c.due), state, resolved, at(c.created), at(c.created)).Scan(&id); err != nil {
				return err
			}
			for _, tk := range c.tasks {
				var answered any
				ts := "accepted"
				if tk.answered != "" {
					answered, ts = at(tk.answered), "answered"
				}
				if _, err := q.Exec(ctx, `INSERT INTO case_tasks (case_id, unit_id, role, due, state, answered_at, created_at) VALUES (?, ?, 'lead', ?, ?, ?, ?)`,
					id, tk.unit, date.MustParse(tk.due), ts, answered, at(c.created)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("write cases: %v", err)
	}
}

// The casework section of the January–September briefing counts the cases
// filed in the period, those resolved (on time) by 30 September and the
// overdue backlog at that day; every figure lists the cases it counts. The
// league scores each unit's tasks answered by their due day.
func TestBriefingCases(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		camp := loadDemo(t, db)
		ctx := context.Background()
		// Two units that lead items, so that the league ranks them.
		var a, b int64
		if err := db.Read().QueryRow(ctx, `SELECT MIN(lead_unit_id), MAX(lead_unit_id) FROM items WHERE campaign_id = ?`, camp).Scan(&a, &b); err != nil || a == b {
			t.Fatalf("lead units %d, %d: %v", a, b, err)
		}
		writeCases(t, db, []testCase{
			// Filed in the period, resolved on time.
			{code: "T-1", created: "2022-03-01", due: "2022-03-31", resolved: "2022-03-20", tasks: []testTask{{a, "2022-03-31", "2022-03-20"}}},
			// Filed in the period, resolved late.
			{code: "T-2", created: "2022-05-01", due: "2022-05-15", resolved: "2022-06-01", tasks: []testTask{{a, "2022-05-15", "2022-06-01"}}},
			// Filed in the period, unresolved and overdue; unit b answered its part on time.
			{code: "T-3", created: "2022-08-01", due: "2022-08-31", tasks: []testTask{{a, "2022-08-31", ""}, {b, "2022-08-31", "2022-08-10"}}},
			// Filed before the period, still unresolved: overdue backlog, not received.
			{code: "T-4", created: "2021-12-01", due: "2021-12-31", tasks: []testTask{{a, "2021-12-31", ""}}},
			// Filed in the period, resolved only after it: received, not resolved, not yet overdue.
			{code: "T-5", created: "2022-09-10", due: "2022-10-31", resolved: "2022-10-05", tasks: []testTask{{a, "2022-10-31", "2022-10-05"}}},
			// Filed after the period: not in it.
			{code: "T-6", created: "2022-10-05", due: "2022-10-20", tasks: []testTask{{a, "2022-10-20", ""}}},
		})
		s := briefing.New(db)
		q3, err := s.Generate(ctx, briefing.BriefingInput{CampaignID: camp, Period: "ytd", AsOf: date.MustParse("2022-09-30")})
		if err != nil {
			t.Fatal(err)
		}
		checkSums(t, q3)
		figs := map[string]briefing.BriefingFigure{}
		for _, f := range q3.Content.Figures {
			figs[f.Key] = f
		}
		for key, want := range map[string][]string{
			"cases.received":         {"T-1", "T-2", "T-3", "T-5"},
			"cases.resolved":         {"T-1", "T-2"},
			"cases.resolved_on_time": {"T-1"},
			"cases.overdue":          {"T-3", "T-4"},
		} {
			f, ok := figs[key]
			if !ok {
				t.Errorf("no figure %s", key)
				continue
			}
			var codes []string
			for _, r := range f.Source.Records {
				if r.Kind != "case" || r.ID == 0 {
					t.Errorf("%s: record %+v is not a case", key, r)
				}
				codes = append(codes, r.Code)
			}
			slices.Sort(codes)
			if !slices.Equal(codes, want) || f.Value != float64(len(want)) {
				t.Errorf("%s = %g with %v, want %d with %v", key, f.Value, codes, len(want), want)
			}
		}
		if f := figs["cases.on_time_pct"]; f.Value != 25 || f.Text != "25%" {
			t.Errorf("on-time share %g (%q), want 25%% (1 of 4)", f.Value, f.Text)
		}
		got := text(q3)
		for _, want := range []string{
			"六、督办事项办理情况",
			"2022年1—9月共受理督办件4件，已办结2件，其中按期办结1件，按期办结率25%；截至2022年9月30日，逾期未办结督办件2件。",
			"七、考核排名",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("briefing lacks %q:\n%s", want, got)
			}
		}

		// The league: unit a answered 1 of its 4 tasks of the period on time (T-1; T-2 late, T-3 and T-5 unanswered by 30 September), unit b 1 of 1.
		lt, err := s.League(ctx, briefing.LeagueFilter{CampaignID: camp, Period: "ytd", AsOf: date.MustParse("2022-09-30")})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64][2]float64{a: {1, 4}, b: {1, 1}}
		seen := 0
		for _, r := range lt.Rows {
			var total float64
			for _, p := range r.Breakdown {
				total += p.Points
				if p.Key != "cases_on_time" {
					continue
				}
				w, ok := want[r.UnitID]
				if !ok {
					t.Errorf("%s scored on cases it has none of", r.UnitName)
					continue
				}
				seen++
				var num float64
				for _, rec := range p.Records {
					num += rec.Value
				}
				if p.Numerator != w[0] || p.Denominator != w[1] || num != w[0] || len(p.Records) != int(w[1]) {
					t.Errorf("%s cases on time %g/%g (records %d summing to %g), want %g/%g", r.UnitName, p.Numerator, p.Denominator, len(p.Records), num, w[0], w[1])
				}
			}
			for _, d := range r.Deductions {
				total -= d.Points
			}
			if math.Abs(total-r.Score) > 0.011 {
				t.Errorf("%s: breakdown adds up to %g, score %g", r.UnitName, total, r.Score)
			}
		}
		if seen != 2 {
			t.Errorf("cases on time scored for %d units, want 2", seen)
		}
	})
}

// A period without cases leaves the casework sentences out.
func TestBriefingWithoutCases(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		camp := loadDemo(t, db)
		b, err := briefing.New(db).Generate(context.Background(), briefing.BriefingInput{CampaignID: camp, Period: "ytd", AsOf: date.MustParse("2022-06-30")})
		if err != nil {
			t.Fatal(err)
		}
		got := text(b)
		if strings.Contains(got, "督办") {
			t.Errorf("a briefing without cases mentions them:\n%s", got)
		}
		if !strings.Contains(got, "六、考核排名") {
			t.Errorf("sections are not numbered in order:\n%s", got)
		}
	})
}
