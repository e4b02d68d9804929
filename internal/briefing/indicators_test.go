package briefing_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/briefing"
	"gongjian/internal/campaign"
	"gongjian/internal/casework"
	"gongjian/internal/date"
	"gongjian/internal/demo"
	"gongjian/internal/enterprise"
	"gongjian/internal/indicator"
	"gongjian/internal/ledger"
	"gongjian/internal/org"
	"gongjian/internal/progress"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
)

// loadDemoAll loads the demo district with its reports, indicators, ledgers,
// enterprises and cases, and returns the campaign id.
func loadDemoAll(t *testing.T, db *store.DB) int64 {
	t.Helper()
	ctx := context.Background()
	svcs := demo.Services{DB: db, Org: org.New(db), Auth: auth.New(db, time.Hour, time.Hour), Campaign: campaign.New(db)}
	sum, err := demo.Load(ctx, svcs, demo.Data())
	if err != nil {
		t.Fatalf("demo: %v", err)
	}
	if _, err := demo.LoadReports(ctx, db, progress.New(db), sum.CampaignID); err != nil {
		t.Fatalf("demo reports: %v", err)
	}
	x := demo.Extras{Cases: casework.New(db), Indicators: indicator.New(db), Ledgers: ledger.New(db), Enterprises: enterprise.New(db)}
	if err := demo.LoadExtras(ctx, svcs, x, sum); err != nil {
		t.Fatalf("demo extras: %v", err)
	}
	return sum.CampaignID
}

func generate(t *testing.T, s *briefing.Service, camp int64, asOf, lang string) briefing.Briefing {
	t.Helper()
	b, err := s.Generate(context.Background(), briefing.BriefingInput{CampaignID: camp, Period: "ytd", AsOf: date.MustParse(asOf), Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func figureMap(b briefing.Briefing) map[string]briefing.BriefingFigure {
	out := map[string]briefing.BriefingFigure{}
	for _, f := range b.Content.Figures {
		out[f.Key] = f
	}
	return out
}

// seedCase is an expectation read from an article: a phrase that finds its
// sentence, figures as the article prints them, and the briefing's wording.
type seedCase struct {
	b          briefing.Briefing
	seed       string
	fromSeed   []string
	inBriefing []string
}

func checkSeeds(t *testing.T, cs []seedCase) {
	t.Helper()
	for _, c := range cs {
		sentence := seedSentence(t, c.seed)
		for _, f := range c.fromSeed {
			if !strings.Contains(sentence, f) {
				t.Fatalf("the article's sentence %q lacks %q", sentence, f)
			}
		}
		got := text(c.b)
		for _, f := range c.inBriefing {
			if !strings.Contains(got, f) {
				t.Errorf("%s lacks %q (article: %q):\n%s", c.b.Title, f, sentence, got)
			}
		}
	}
}

// The indicators section of the demo's briefings for the first half of 2022
// and for January–September states the articles' indicator figures, each
// traceable to the indicators it comes from.
func TestBriefingIndicators(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		camp := loadDemoAll(t, db)
		s := briefing.New(db)
		h1 := generate(t, s, camp, "2022-06-30", "")
		q3 := generate(t, s, camp, "2022-09-30", "")
		checkSums(t, h1)
		checkSums(t, q3)
		checkSeeds(t, []seedCase{
			{h1, "12项主要经济指标中", []string{"上半年", "12项主要经济指标中，7项排名全市前3"},
				[]string{"2022年上半年，列入市级重点调度的12项主要经济指标中，7项排名全市前3。"}},
			{h1, "12项主要经济指标中", []string{"一般公共预算收入46亿元", "增速高于全市平均3.2个百分点"},
				[]string{"一般公共预算收入46亿元", "增速高于全市平均3.2个百分点"}},
			{h1, "社会消费品零售总额", []string{"社会消费品零售总额344.4亿元", "全市第1"},
				[]string{"社会消费品零售总额344.4亿元", "居全市第1位"}},
			{h1, "规上服务业营收", []string{"增长41.5%", "超出市级引导性目标29.5个百分点", "排名全市第2"},
				[]string{"同比增长41.5%，", "超出市级引导性目标29.5个百分点，居全市第2位"}},
			{h1, "外贸进出口", []string{"外贸进出口114.8亿元", "同比增长32.1%"},
				[]string{"外贸进出口114.8亿元，同比增长32.1%"}},
			{q3, "51.1亿元", []string{"一般公共预算收入预计完成51.1亿元", "增速5.9%"},
				[]string{"一般公共预算收入51.1亿元，同比增长5.9%"}},
		})
		if !strings.Contains(text(q3), "2022年1-9月，列入市级重点调度的") {
			t.Errorf("the January–September briefing lacks its indicator headline:\n%s", text(q3))
		}
		figs := figureMap(h1)
		top3 := figs["indicators.top3"]
		if top3.Value != 7 || len(top3.Source.Records) != 7 || !strings.Contains(top3.Source.API, "period=2022-06") {
			t.Errorf("top 3: %g with %d records from %q, want 7", top3.Value, len(top3.Source.Records), top3.Source.API)
		}
		for _, r := range top3.Source.Records {
			if r.Kind != "indicator" || r.ID == 0 || r.Code == "" {
				t.Errorf("top 3 record %+v is not an indicator", r)
			}
		}
		if f := figs["indicators.city_ranked"]; f.Value != 12 {
			t.Errorf("city-ranked indicators %g, want 12", f.Value)
		}
		for key, want := range map[string]float64{"indicators.GBR.value": 46, "indicators.GBR.gap_to_city": 3.2, "indicators.RETAIL.rank": 1,
			"indicators.SERVICES.growth": 41.5, "indicators.SERVICES.gap_to_guidance": 29.5} {
			if f, ok := figs[key]; !ok || f.Value != want || len(f.Source.Records) != 1 || f.Source.Records[0].Kind != "indicator" {
				t.Errorf("%s = %+v, want %g from its indicator", key, f, want)
			}
		}
		var sec *briefing.BriefingSection
		for i, sc := range h1.Content.Sections {
			if sc.Key == "indicators" {
				sec = &h1.Content.Sections[i]
			}
		}
		if sec == nil || !strings.HasSuffix(sec.Title, "、主要经济指标") || len(sec.Paragraphs) < 13 {
			t.Fatalf("indicators section %+v", sec)
		}
		linked := false
		for _, sp := range sec.Paragraphs[0].Spans {
			linked = linked || sp.Figure == "indicators.top3"
		}
		if !linked {
			t.Errorf("the headline does not link its figures: %+v", sec.Paragraphs[0].Spans)
		}

		// In English; and a zone's briefing has no district indicators.
		en := generate(t, s, camp, "2022-06-30", "en")
		checkSums(t, en)
		got := text(en)
		for _, want := range []string{"Main economic indicators", "January–June 2022: of the 12 main economic indicators ranked by the city, 7 rank in the city's top 3.",
			"4.6 bn yuan", "growth 3.2 points above the city average"} {
			if !strings.Contains(got, want) {
				t.Errorf("English briefing lacks %q:\n%s", want, got)
			}
		}
		var zone int64
		if err := db.Read().QueryRow(context.Background(), `SELECT MIN(id) FROM zones WHERE campaign_id = ?`, camp).Scan(&zone); err != nil {
			t.Fatal(err)
		}
		zb, err := s.Generate(context.Background(), briefing.BriefingInput{CampaignID: camp, Period: "ytd", AsOf: date.MustParse("2022-06-30"), ZoneID: zone})
		if err != nil {
			t.Fatal(err)
		}
		if got := text(zb); strings.Contains(got, "主要经济指标") || strings.Contains(got, "工作台账") {
			t.Errorf("a zone's briefing states district figures:\n%s", got)
		}
	})
}
