package api_test

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

type briefingBody struct {
	ID      int64  `json:"id"`
	State   string `json:"state"`
	Version int    `json:"version"`
	Title   string `json:"title"`
	Content struct {
		Sections []struct {
			Key        string `json:"key"`
			Title      string `json:"title"`
			Paragraphs []struct {
				Key    string `json:"key"`
				Source string `json:"source"`
				Text   string `json:"text"`
				Spans  []struct {
					Text   string `json:"text"`
					Figure string `json:"figure"`
				} `json:"spans"`
			} `json:"paragraphs"`
		} `json:"sections"`
	} `json:"content"`
}

func (b briefingBody) text() string {
	var sb strings.Builder
	for _, s := range b.Content.Sections {
		sb.WriteString(s.Title + "\n")
		for _, p := range s.Paragraphs {
			sb.WriteString(p.Text + "\n")
		}
	}
	return sb.String()
}

// A supervisor generates a briefing, edits its wording, publishes it; the
// figures link to records that add up; others read only what is published.
func TestBriefingWorkflow(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup, viewer, rep := e.login("duchashi"), e.login("viewer"), e.login("zhujianju")
		req := map[string]any{"campaign_id": 1, "period": "ytd", "as_of": "2022-09-30"}
		rep.do("POST", "/api/v1/briefings", req).status(http.StatusForbidden)
		var b briefingBody
		sup.do("POST", "/api/v1/briefings", req).status(200).json(&b)
		txt := b.text()
		// [A2] 总投资858亿元、年度计划投资156亿元的81个省市三级重点项目全速推进
		for _, want := range []string{"858亿元", "156亿元", "81个"} {
			if !strings.Contains(seedSentence(t, "81个省市三级重点项目"), want) {
				t.Fatalf("the article's sentence lacks %q", want)
			}
			if !strings.Contains(txt, want) {
				t.Errorf("briefing lacks the article's %q:\n%s", want, txt)
			}
		}
		// A figure's link lists records that add up to it.
		var f struct {
			Value  float64 `json:"value"`
			Text   string  `json:"text"`
			Source struct {
				API     string `json:"api"`
				Records []struct {
					Value float64 `json:"value"`
				} `json:"records"`
			} `json:"source"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/briefings/%d/figure?key=key_projects.annual", b.ID), nil).status(200).json(&f)
		var sum float64
		for _, r := range f.Source.Records {
			sum += r.Value
		}
		if f.Value != 1560000 || math.Abs(sum-f.Value) > 0.005 || len(f.Source.Records) != 81 || !strings.Contains(f.Source.API, "type=key_project") {
			t.Errorf("annual investment: %g from %d records summing to %g via %q; want 1560000 万元 from 81", f.Value, len(f.Source.Records), sum, f.Source.API)
		}
		// Drafts are not documents yet: the viewer neither lists nor reads them.
		viewer.do("GET", fmt.Sprintf("/api/v1/briefings/%d", b.ID), nil).status(http.StatusNotFound)

		// Edit the wording: a placeholder that is not a figure is a field error naming it.
		type para struct {
			Source string `json:"source"`
		}
		type sec struct {
			Key        string `json:"key"`
			Title      string `json:"title"`
			Paragraphs []para `json:"paragraphs"`
		}
		bad := map[string]any{"title": "芝罘区攻坚简报", "sections": []sec{{Key: "headline", Title: "一、总体情况",
			Paragraphs: []para{{Source: "全区{{key_projects.count}}个重点项目，{{no_such}}。"}}}}}
		p := sup.do("PUT", fmt.Sprintf("/api/v1/briefings/%d/wording", b.ID), bad, ver(b.Version)...).status(422).problem()
		if !slices.Contains(p.fields(), "sections[0].paragraphs[0].source") || !strings.Contains(p.Errors[0].Message, "no_such") {
			t.Errorf("bad placeholder: %+v", p)
		}
		good := map[string]any{"title": "芝罘区攻坚简报", "sections": []sec{{Key: "headline", Title: "一、总体情况",
			Paragraphs: []para{{Source: "全区{{key_projects.count}}个重点项目年度计划投资{{key_projects.annual}}。"}}}}}
		sup.do("PUT", fmt.Sprintf("/api/v1/briefings/%d/wording", b.ID), good, ver(b.Version)...).status(200).json(&b)
		if got := b.Content.Sections[0].Paragraphs[0]; got.Text != "全区81个重点项目年度计划投资156亿元。" || got.Spans[1].Figure != "key_projects.count" {
			t.Errorf("edited paragraph: %+v", got)
		}
		sup.do("PUT", fmt.Sprintf("/api/v1/briefings/%d/wording", b.ID), good, ver(b.Version-1)...).status(http.StatusPreconditionFailed)
		sup.do("POST", fmt.Sprintf("/api/v1/briefings/%d/publish", b.ID), nil, ver(b.Version)...).status(200).json(&b)
		if b.State != "published" {
			t.Fatalf("state %s", b.State)
		}
		// Published is frozen and kept.
		sup.do("PUT", fmt.Sprintf("/api/v1/briefings/%d/wording", b.ID), good, ver(b.Version)...).status(http.StatusConflict)
		sup.do("DELETE", fmt.Sprintf("/api/v1/briefings/%d", b.ID), nil, ver(b.Version)...).status(http.StatusConflict)
		var got briefingBody
		viewer.do("GET", fmt.Sprintf("/api/v1/briefings/%d", b.ID), nil).status(200).json(&got)
		if got.text() != b.text() {
			t.Errorf("the viewer reads another text than was published")
		}
		var revs struct {
			Items []struct {
				Action string `json:"action"`
			} `json:"items"`
		}
		sup.do("GET", fmt.Sprintf("/api/v1/briefings/%d/revisions", b.ID), nil).status(200).json(&revs)
		var actions []string
		for _, r := range revs.Items {
			actions = append(actions, r.Action)
		}
		if strings.Join(actions, ",") != "generate,edit,publish" {
			t.Errorf("revisions: %v", actions)
		}
		// Generating the same period again gives the same text.
		var again briefingBody
		sup.do("POST", "/api/v1/briefings", req).status(200).json(&again)
		var first briefingBody
		sup.do("POST", "/api/v1/briefings", req).status(200).json(&first)
		if again.text() != first.text() || again.text() == "" {
			t.Errorf("regenerating as of the same day changed the text")
		}
	})
}

// A template sentence naming a figure that does not exist is refused with the sentence's field.
func TestBriefingTemplates(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		var tp struct {
			Version   int              `json:"version"`
			Default   bool             `json:"default"`
			Sentences []map[string]any `json:"sentences"`
		}
		sup.do("GET", "/api/v1/campaigns/1/briefing-templates?lang=zh", nil).status(200).json(&tp)
		if !tp.Default || tp.Version != 0 || len(tp.Sentences) == 0 {
			t.Fatalf("defaults: %+v", tp)
		}
		tp.Sentences[1]["text"] = "共有{{items.cnt}}项"
		p := sup.do("PUT", "/api/v1/campaigns/1/briefing-templates?lang=zh", map[string]any{"sentences": tp.Sentences}, ver(0)...).status(422).problem()
		if !slices.Contains(p.fields(), "sentences[1].text") || !strings.Contains(p.Errors[0].Message, "items.cnt") {
			t.Errorf("unknown placeholder: %+v", p)
		}
		tp.Sentences[1]["text"] = "{{period}}，全区共有攻坚事项{{items.count}}项。"
		sup.do("PUT", "/api/v1/campaigns/1/briefing-templates?lang=zh", map[string]any{"sentences": tp.Sentences}, ver(0)...).status(200).json(&tp)
		var b briefingBody
		sup.do("POST", "/api/v1/briefings", map[string]any{"campaign_id": 1, "period": "half", "as_of": "2022-06-30"}).status(200).json(&b)
		if !strings.Contains(b.text(), "2022年上半年，全区共有攻坚事项") {
			t.Errorf("the edited sentence is not used:\n%s", b.text())
		}
	})
}

// The league table ranks units; each score is its parts minus its deductions.
func TestBriefingLeague(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		v := e.login("viewer")
		var lt struct {
			Rows []struct {
				Rank      int     `json:"rank"`
				UnitName  string  `json:"unit_name"`
				Score     float64 `json:"score"`
				Breakdown []struct {
					Key    string  `json:"key"`
					Points float64 `json:"points"`
				} `json:"breakdown"`
				Deductions []struct {
					Count  int     `json:"count"`
					Per    float64 `json:"per"`
					Points float64 `json:"points"`
				} `json:"deductions"`
			} `json:"rows"`
			Honour  []any `json:"honour"`
			Warning []any `json:"warning"`
		}
		v.do("GET", "/api/v1/league?campaign_id=1&period=ytd&as_of=2022-09-30", nil).status(200).json(&lt)
		if len(lt.Rows) == 0 {
			t.Fatal("no units ranked")
		}
		for i, r := range lt.Rows {
			var s float64
			for _, p := range r.Breakdown {
				s += p.Points
			}
			for _, d := range r.Deductions {
				s -= d.Points
				if math.Abs(d.Points-float64(d.Count)*d.Per) > 0.005 {
					t.Errorf("%s: deduction %g ≠ %d × %g", r.UnitName, d.Points, d.Count, d.Per)
				}
			}
			if math.Abs(s-r.Score) > 0.011 {
				t.Errorf("%s: score %g, parts add up to %g", r.UnitName, r.Score, s)
			}
			if i > 0 && r.Score > lt.Rows[i-1].Score {
				t.Errorf("not ranked by score at %d", i)
			}
		}
		// Rules: an unknown component is a field error.
		sup := e.login("duchashi")
		p := sup.do("PUT", "/api/v1/campaigns/1/league-rules", map[string]any{"weights": map[string]float64{"speed": 10}, "deductions": map[string]float64{},
			"honour_size": 3, "honour_min": 90, "warn_size": 3, "warn_below": 60}, ver(0)...).status(422).problem()
		if !slices.Contains(p.fields(), "weights.speed") {
			t.Errorf("unknown component: %+v", p)
		}
		sup.do("PUT", "/api/v1/campaigns/1/league-rules", map[string]any{"weights": map[string]float64{"progress": 100}, "deductions": map[string]float64{},
			"honour_size": 3, "honour_min": 90, "warn_size": 3, "warn_below": 60}, ver(0)...).status(200)
		v.do("GET", "/api/v1/league?campaign_id=1&period=ytd&as_of=2022-09-30", nil).status(200).json(&lt)
		for _, r := range lt.Rows {
			if len(r.Breakdown) != 1 || r.Breakdown[0].Key != "progress" || len(r.Deductions) != 0 {
				t.Errorf("%s: %+v, want progress only", r.UnitName, r)
			}
		}
	})
}

// The .docx converts in LibreOffice; the .pdf carries the Chinese figures as text.
func TestBriefingFiles(t *testing.T) {
	for _, tool := range []string{"soffice", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed (scripts/test.sh installs libreoffice-writer-nogui and poppler-utils): %v", tool, err)
		}
	}
	eachEngine(t, func(t *testing.T, e *env) {
		sup := e.login("duchashi")
		var b briefingBody
		sup.do("POST", "/api/v1/briefings", map[string]any{"campaign_id": 1, "period": "ytd", "as_of": "2022-09-30"}).status(200).json(&b)
		dir := t.TempDir()
		docx := sup.do("GET", fmt.Sprintf("/api/v1/briefings/%d/export?format=docx", b.ID), nil).status(200)
		if err := os.WriteFile(filepath.Join(dir, "b.docx"), docx.body, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("soffice", "--headless", "-env:UserInstallation=file://"+dir+"/lo", "--convert-to", "txt:Text", "--outdir", dir, filepath.Join(dir, "b.docx"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v: %s", err, out)
		}
		txt, err := os.ReadFile(filepath.Join(dir, "b.txt"))
		if err != nil {
			t.Fatalf("LibreOffice did not convert the .docx: %v", err)
		}
		for _, want := range []string{"攻坚简报", "858亿元", "156亿元"} {
			if !bytes.Contains(txt, []byte(want)) {
				t.Errorf("the .docx as LibreOffice reads it lacks %q", want)
			}
		}
		pdf := sup.do("GET", fmt.Sprintf("/api/v1/briefings/%d/export?format=pdf", b.ID), nil).status(200)
		if ct := pdf.res.Header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("pdf content type %q", ct)
		}
		if err := os.WriteFile(filepath.Join(dir, "b.pdf"), pdf.body, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", filepath.Join(dir, "b.pdf"), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		flat := strings.Join(strings.Fields(string(out)), "")
		for _, want := range []string{"攻坚简报", "858亿元", "156亿元", "81个"} {
			if !strings.Contains(flat, want) {
				t.Errorf("the PDF's text lacks %q", want)
			}
		}
		x := sup.do("GET", fmt.Sprintf("/api/v1/briefings/%d/export?format=xlsx", b.ID), nil).status(200)
		if !bytes.HasPrefix(x.body, []byte("PK")) {
			t.Errorf("xlsx is not a zip")
		}
	})
}

// seedSentence returns the sentence of a seed article that contains want.
func seedSentence(t *testing.T, want string) string {
	t.Helper()
	files, _ := filepath.Glob("../../testdata/seeds/*.txt")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range strings.FieldsFunc(string(b), func(r rune) bool { return r == '。' || r == '\n' }) {
			if strings.Contains(s, want) {
				return s
			}
		}
	}
	t.Fatalf("no seed sentence contains %q", want)
	return ""
}
