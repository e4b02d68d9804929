package briefing_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/briefing"
	"gongjian/internal/campaign"
	"gongjian/internal/date"
	"gongjian/internal/demo"
	"gongjian/internal/org"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// loadDemo loads the demo district with its 2022 reports and returns the campaign id.
func loadDemo(t *testing.T, db *store.DB) int64 {
	t.Helper()
	ctx := context.Background()
	sum, err := demo.Load(ctx, demo.Services{DB: db, Org: org.New(db), Auth: auth.New(db, time.Hour, time.Hour), Campaign: campaign.New(db)}, demo.Data())
	if err != nil {
		t.Fatalf("demo: %v", err)
	}
	if _, err := demo.LoadReports(ctx, db, progress.New(db), sum.CampaignID); err != nil {
		t.Fatalf("demo reports: %v", err)
	}
	return sum.CampaignID
}

// seedSentence finds the sentence of a seed article that contains want, so
// that a test's expectation is read from the article itself.
func seedSentence(t *testing.T, want string) string {
	t.Helper()
	files, _ := filepath.Glob("../../testdata/seeds/*.txt")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range regexp.MustCompile(`[。；\n]`).Split(string(b), -1) {
			if strings.Contains(s, want) {
				return s
			}
		}
	}
	t.Fatalf("no seed article sentence contains %q", want)
	return ""
}

func text(b briefing.Briefing) string {
	var sb strings.Builder
	sb.WriteString(b.Title + "\n")
	for _, s := range b.Content.Sections {
		sb.WriteString(s.Title + "\n")
		for _, p := range s.Paragraphs {
			sb.WriteString(p.Text + "\n")
		}
	}
	return sb.String()
}

// checkSums checks that every figure's records add up to it: all of them
// when the briefing lists them all, and that a figure of more records than
// a briefing keeps lists the first briefing.MaxRecords with the full count.
func checkSums(t *testing.T, b briefing.Briefing) {
	t.Helper()
	byKey := map[string]briefing.BriefingFigure{}
	for _, f := range b.Content.Figures {
		byKey[f.Key] = f
	}
	for _, f := range b.Content.Figures {
		var sum float64
		for _, r := range f.Source.Records {
			sum += r.Value
		}
		listed := len(f.Source.Records)
		complete := f.Source.Count == listed
		if !complete && (listed != briefing.MaxRecords || f.Source.Count < listed) {
			t.Errorf("%s: %d records listed of %d, want all or the first %d", f.Key, listed, f.Source.Count, briefing.MaxRecords)
		}
		switch f.Source.Sum {
		case "count":
			if float64(f.Source.Count) != f.Value || (complete && float64(listed) != f.Value) {
				t.Errorf("%s: %g, but %d records (%d listed)", f.Key, f.Value, f.Source.Count, listed)
			}
		case "sum", "value":
			if complete && math.Abs(sum-f.Value) > 0.005 {
				t.Errorf("%s: %g, but its records sum to %g", f.Key, f.Value, sum)
			}
		case "ratio":
			n, d := byKey[f.Source.Of[0]], byKey[f.Source.Of[1]]
			if d.Value != 0 && math.Abs(math.Round(n.Value/d.Value*1000)/10-f.Value) > 1e-9 {
				t.Errorf("%s: %g, but %s/%s = %g/%g", f.Key, f.Value, n.Key, d.Key, n.Value, d.Value)
			}
		default:
			t.Errorf("%s: unknown sum %q", f.Key, f.Source.Sum)
		}
		if f.Source.API == "" {
			t.Errorf("%s: no query behind it", f.Key)
		}
	}
}

// The demo district's briefings for the first half of 2022 and for
// January–September carry the articles' figures, each traceable to records
// that add up to it, and generating again later gives the same text.
func TestDemoBriefings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		camp := loadDemo(t, db)
		s := briefing.New(db)
		ctx := context.Background()
		h1, err := s.Generate(ctx, briefing.BriefingInput{CampaignID: camp, Period: "ytd", AsOf: date.MustParse("2022-06-30")})
		if err != nil {
			t.Fatal(err)
		}
		q3, err := s.Generate(ctx, briefing.BriefingInput{CampaignID: camp, Period: "ytd", AsOf: date.MustParse("2022-09-30")})
		if err != nil {
			t.Fatal(err)
		}
		checkSums(t, h1)
		checkSums(t, q3)
		// Each expectation is read from the article's own sentence.
		for _, c := range []struct {
			b          briefing.Briefing
			seed       string   // a phrase that finds the article's sentence
			fromSeed   []string // figures as the article prints them
			inBriefing []string // the same figures as the briefing prints them
		}{
			{h1, "81个省市三级重点项目", []string{"858亿元", "156亿元", "81个"}, []string{"总投资858亿元", "年度计划投资156亿元", "81个"}},
			{q3, "81个省市三级重点项目", []string{"858亿元", "156亿元", "81个"}, []string{"总投资858亿元", "年度计划投资156亿元", "81个"}},
			{q3, "全面完成棚改项目", []string{"27个", "正在全速推进27个"}, []string{"已全面完成27个", "正在全速推进27个"}},
			{q3, "2.56万户", []string{"21个小区", "2.56万户", "70%"}, []string{"改造小区目标21个", "惠及户数目标2.56万户", "已完成70%"}},
		} {
			sentence := seedSentence(t, c.seed)
			for _, f := range c.fromSeed {
				if !strings.Contains(sentence, f) {
					t.Fatalf("the article's sentence %q lacks %q", sentence, f)
				}
			}
			got := text(c.b)
			for _, f := range c.inBriefing {
				if !strings.Contains(got, f) {
					t.Errorf("%s lacks %q (article: %q)", c.b.Title, f, sentence)
				}
			}
		}
		if !strings.Contains(h1.Title, "2022年上半年") || !strings.Contains(q3.Title, "2022年1—9月") {
			t.Errorf("titles %q, %q", h1.Title, q3.Title)
		}
		// Generated again later, the same period reads the same.
		again, err := s.Generate(ctx, briefing.BriefingInput{CampaignID: camp, Period: "ytd", AsOf: date.MustParse("2022-09-30")})
		if err != nil {
			t.Fatal(err)
		}
		if text(again) != text(q3) {
			t.Errorf("regenerated text differs")
		}
		// Asked for at once (the service composes one at a time), each gets
		// its own issue number and the same text.
		var wg sync.WaitGroup
		got := make([]briefing.Briefing, 3)
		errs := make([]error, 3)
		for i := range got {
			wg.Go(func() {
				got[i], errs[i] = s.Generate(ctx, briefing.BriefingInput{CampaignID: camp, Period: "ytd", AsOf: date.MustParse("2022-09-30")})
			})
		}
		wg.Wait()
		issues := map[int]bool{}
		for i, b := range got {
			if errs[i] != nil {
				t.Fatalf("generation %d at once: %v", i, errs[i])
			}
			issues[b.IssueNo] = true
			if text(b) != text(q3) {
				t.Errorf("generation %d at once: text differs", i)
			}
		}
		if len(issues) != 3 || issues[again.IssueNo] {
			t.Errorf("issue numbers %v after %d: want three new distinct ones", issues, again.IssueNo)
		}
	})
}
