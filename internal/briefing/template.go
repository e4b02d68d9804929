package briefing

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gongjian/internal/audit"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// TemplateSentence is one editable sentence of a briefing template. A plain sentence
// gives one paragraph; a sentence with Repeat gives one paragraph per row of
// that row set (each item behind, each programme …), its placeholders naming
// the row's fields. A sentence whose key ends in ".title" is its section's title.
type TemplateSentence struct {
	Key     string `json:"key" maxLength:"80" doc:"句子键，如 headline.key_projects"`
	Section string `json:"section" maxLength:"40" doc:"所属部分：headline、progress、items、milestones、behind、indicators、cases、ledgers、league"`
	Repeat  string `json:"repeat,omitempty" maxLength:"40" doc:"逐行重复的数据集：programmes、targets、milestones、behind、league；留空为单句"`
	Text    string `json:"text" maxLength:"2000" doc:"句子，{{名称}} 为数据占位符"`
}

// BriefingTemplates are a campaign's sentences in one language.
type BriefingTemplates struct {
	CampaignID int64              `json:"campaign_id"`
	Lang       string             `json:"lang" enum:"zh,en"`
	Sentences  []TemplateSentence `json:"sentences"`
	Default    bool               `json:"default" doc:"尚未修改，使用默认模板"`
	Version    int                `json:"version"`
	// Placeholders lists, per row set ("" for plain sentences), the names a sentence may use.
	Placeholders map[string][]string `json:"placeholders"`
}

var placeholderRE = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}`)

// Sections in the order they are printed.
var sectionOrder = []string{"headline", "progress", "items", "milestones", "behind", "indicators", "cases", "ledgers", "league"}

// Plain placeholders: labels and the figures every briefing computes.
var plainNames = []string{
	"period", "as_of", "campaign", "scope", "issuer",
	"items.count", "key_projects.count", "key_projects.total", "key_projects.annual", "key_projects.invested",
	"key_projects.invested_pct", "livelihood.count", "reform.count", "special.count",
	"lights.green", "lights.yellow", "lights.red", "items.completed", "milestones.reached", "milestones.overdue",
	"reports.due", "reports.on_time", "reports.on_time_pct", "league.units", "league.first", "league.last",
}

// Row sets and the fields of their rows.
var rowFields = map[string][]string{
	"programmes": {"name", "code", "leader", "unit", "children", "done", "under_way"},
	"targets":    {"item", "name", "value", "actual", "pct"},
	"milestones": {"item", "name", "date", "leader", "unit"},
	"behind":     {"item", "code", "light", "reasons", "leader", "unit"},
	"league":     {"rank", "unit", "score"},
}

// extraPlain are plain placeholders contributed by the data sources other
// than progress (indicators, cases, ledgers); their sections are added when
// those sources have data.
var extraPlain = []string{}

func allowedNames(repeat string) []string {
	if repeat == "" {
		return append(slices.Clone(plainNames), extraPlain...)
	}
	return rowFields[repeat]
}

// DefaultSentences are the templates until the supervisor edits them.
func DefaultSentences(lang string) []TemplateSentence {
	if lang == "en" {
		return defaultEN
	}
	return defaultZH
}

var defaultZH = []TemplateSentence{
	{Key: "headline.title", Section: "headline", Text: "一、总体情况"},
	{Key: "headline.items", Section: "headline", Text: "{{period}}，{{scope}}{{campaign}}共纳入攻坚事项{{items.count}}项，其中重点项目{{key_projects.count}}个、为民实事{{livelihood.count}}项、改革任务{{reform.count}}项、专项行动{{special.count}}项。"},
	{Key: "headline.key_projects", Section: "headline", Text: "总投资{{key_projects.total}}、年度计划投资{{key_projects.annual}}的{{key_projects.count}}个省市区三级重点项目全速推进，截至{{as_of}}累计完成投资{{key_projects.invested}}，占年度计划的{{key_projects.invested_pct}}。"},
	{Key: "progress.title", Section: "progress", Text: "二、推进情况"},
	{Key: "progress.lights", Section: "progress", Text: "按序时进度评价，绿灯事项{{lights.green}}项、黄灯{{lights.yellow}}项、红灯{{lights.red}}项；已完成事项{{items.completed}}项。应报进展{{reports.due}}期次，按时报送{{reports.on_time}}期次，按时报送率{{reports.on_time_pct}}。"},
	{Key: "items.title", Section: "items", Text: "三、重点事项完成情况"},
	{Key: "items.programme", Section: "items", Repeat: "programmes", Text: "{{name}}：共{{children}}个子项目，已全面完成{{done}}个，正在全速推进{{under_way}}个（责任领导：{{leader}}，牵头单位：{{unit}}）。"},
	{Key: "items.target", Section: "items", Repeat: "targets", Text: "{{item}}：{{name}}目标{{value}}，已完成{{actual}}，完成{{pct}}。"},
	{Key: "milestones.title", Section: "milestones", Text: "四、节点完成情况"},
	{Key: "milestones.summary", Section: "milestones", Text: "本期共完成节点{{milestones.reached}}个，逾期未完成节点{{milestones.overdue}}个。"},
	{Key: "milestones.row", Section: "milestones", Repeat: "milestones", Text: "{{item}}于{{date}}完成“{{name}}”（{{unit}}）。"},
	{Key: "behind.title", Section: "behind", Text: "五、滞后事项"},
	{Key: "behind.row", Section: "behind", Repeat: "behind", Text: "{{item}}（{{light}}）：{{reasons}}。责任领导：{{leader}}，牵头单位：{{unit}}。"},
	{Key: "league.title", Section: "league", Text: "六、考核排名"},
	{Key: "league.summary", Section: "league", Text: "本期参与考核单位{{league.units}}个，{{league.first}}排名第一，{{league.last}}排名末位。"},
	{Key: "league.row", Section: "league", Repeat: "league", Text: "第{{rank}}名：{{unit}}，{{score}}。"},
}

var defaultEN = []TemplateSentence{
	{Key: "headline.title", Section: "headline", Text: "1. Overview"},
	{Key: "headline.items", Section: "headline", Text: "{{period}}: {{scope}}{{campaign}} covers {{items.count}} items: {{key_projects.count}} key projects, {{livelihood.count}} livelihood projects, {{reform.count}} reform tasks and {{special.count}} special actions."},
	{Key: "headline.key_projects", Section: "headline", Text: "{{key_projects.count}} key projects with total investment of {{key_projects.total}} and {{key_projects.annual}} planned this year have completed {{key_projects.invested}} by {{as_of}}, {{key_projects.invested_pct}} of the annual plan."},
	{Key: "progress.title", Section: "progress", Text: "2. Progress"},
	{Key: "progress.lights", Section: "progress", Text: "Against the plan, {{lights.green}} items are green, {{lights.yellow}} yellow and {{lights.red}} red; {{items.completed}} items are completed. {{reports.on_time}} of {{reports.due}} reports were filed on time ({{reports.on_time_pct}})."},
	{Key: "items.title", Section: "items", Text: "3. Items completed"},
	{Key: "items.programme", Section: "items", Repeat: "programmes", Text: "{{name}}: {{done}} of {{children}} sub-projects completed, {{under_way}} under way (leader: {{leader}}, lead unit: {{unit}})."},
	{Key: "items.target", Section: "items", Repeat: "targets", Text: "{{item}}: {{name}} target {{value}}, done {{actual}} ({{pct}})."},
	{Key: "milestones.title", Section: "milestones", Text: "4. Milestones"},
	{Key: "milestones.summary", Section: "milestones", Text: "{{milestones.reached}} milestones were reached in the period; {{milestones.overdue}} are overdue."},
	{Key: "milestones.row", Section: "milestones", Repeat: "milestones", Text: "{{item}} reached \"{{name}}\" on {{date}} ({{unit}})."},
	{Key: "behind.title", Section: "behind", Text: "5. Items behind"},
	{Key: "behind.row", Section: "behind", Repeat: "behind", Text: "{{item}} ({{light}}): {{reasons}}. Leader: {{leader}}; lead unit: {{unit}}."},
	{Key: "league.title", Section: "league", Text: "6. League table"},
	{Key: "league.summary", Section: "league", Text: "{{league.units}} units were scored; {{league.first}} ranks first and {{league.last}} last."},
	{Key: "league.row", Section: "league", Repeat: "league", Text: "No. {{rank}}: {{unit}}, {{score}}."},
}

func checkLang(lang string) (string, error) {
	switch lang {
	case "", "zh", "zh-CN":
		return "zh", nil
	case "en":
		return "en", nil
	}
	return "", errs.Invalid([]errs.FieldError{{Field: "lang", Key: "enum", Message: "语言应为 zh 或 en", Value: lang}})
}

// checkSentences validates a template set: known sections and row sets,
// unique keys, and every placeholder a name the sentence may use.
func checkSentences(ss []TemplateSentence) error {
	var c errs.Checker
	c.Check(len(ss) > 0, "sentences", "required", "模板至少应有一句", nil)
	c.Check(len(ss) <= 200, "sentences", "too_many", "模板句子不能超过 200 句", len(ss))
	seen := map[string]bool{}
	for i, s := range ss {
		f := fmt.Sprintf("sentences[%d]", i)
		c.Check(strings.TrimSpace(s.Key) != "", f+".key", "required", "句子键不能为空", nil)
		c.Check(!seen[s.Key], f+".key", "duplicate", fmt.Sprintf("句子键 %s 重复", s.Key), s.Key)
		seen[s.Key] = true
		c.Check(slices.Contains(sectionOrder, s.Section), f+".section", "enum", "所属部分应为 "+strings.Join(sectionOrder, "、"), s.Section)
		_, okRepeat := rowFields[s.Repeat]
		c.Check(s.Repeat == "" || okRepeat, f+".repeat", "enum", "重复数据集应为 programmes、targets、milestones、behind 或 league", s.Repeat)
		c.Check(strings.TrimSpace(s.Text) != "", f+".text", "required", "句子不能为空", nil)
		allowed := allowedNames(s.Repeat)
		for _, m := range placeholderRE.FindAllStringSubmatch(s.Text, -1) {
			if !slices.Contains(allowed, m[1]) && !strings.HasPrefix(m[1], "ext.") {
				c.Add(f+".text", "briefing.placeholder_unknown", fmt.Sprintf("占位符 {{%s}} 不存在，可用：%s", m[1], strings.Join(allowed, "、")), m[1])
			}
		}
		if strings.Count(s.Text, "{{") != strings.Count(s.Text, "}}") {
			c.Add(f+".text", "briefing.placeholder_unclosed", "占位符的 {{ 与 }} 不配对", s.Text)
		}
	}
	return c.Err()
}

// TemplatesOf returns a campaign's templates in lang, the defaults until edited.
func (s *Service) TemplatesOf(ctx context.Context, campaignID int64, lang string) (BriefingTemplates, error) {
	lang, err := checkLang(lang)
	if err != nil {
		return BriefingTemplates{}, err
	}
	if err := s.campaignExists(ctx, s.db.Read(), campaignID); err != nil {
		return BriefingTemplates{}, err
	}
	return templatesOf(ctx, s.db.Read(), campaignID, lang)
}

func templatesOf(ctx context.Context, q store.Querier, campaignID int64, lang string) (BriefingTemplates, error) {
	t := BriefingTemplates{CampaignID: campaignID, Lang: lang, Placeholders: placeholderHelp()}
	var raw string
	err := q.QueryRow(ctx, `SELECT sentences, version FROM briefing_templates WHERE campaign_id = ? AND lang = ?`, campaignID, lang).Scan(&raw, &t.Version)
	if store.IsNoRows(err) {
		t.Sentences, t.Default = DefaultSentences(lang), true
		return t, nil
	}
	if err != nil {
		return t, fmt.Errorf("briefing templates: %w", err)
	}
	if err := json.Unmarshal([]byte(raw), &t.Sentences); err != nil {
		return t, fmt.Errorf("briefing templates json: %w", err)
	}
	return t, nil
}

func placeholderHelp() map[string][]string {
	out := map[string][]string{"": allowedNames("")}
	for k, v := range rowFields {
		out[k] = v
	}
	return out
}

// SetTemplates replaces a campaign's templates in lang. version is the one
// last read (0 while the defaults are in force); a stale version is refused.
func (s *Service) SetTemplates(ctx context.Context, campaignID int64, lang string, version int, ss []TemplateSentence) (BriefingTemplates, error) {
	if err := canWrite(ctx); err != nil {
		return BriefingTemplates{}, err
	}
	lang, err := checkLang(lang)
	if err != nil {
		return BriefingTemplates{}, err
	}
	for i := range ss {
		ss[i].Key, ss[i].Text = strings.TrimSpace(ss[i].Key), strings.TrimSpace(ss[i].Text)
	}
	if err := checkSentences(ss); err != nil {
		return BriefingTemplates{}, err
	}
	var out BriefingTemplates
	err = s.db.Tx(ctx, func(q store.Querier) error {
		if err := s.campaignExists(ctx, q, campaignID); err != nil {
			return err
		}
		before, err := templatesOf(ctx, q, campaignID, lang)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errs.Stale("简报模板")
		}
		b, _ := json.Marshal(ss)
		now := s.now().UTC()
		if before.Default {
			_, err = q.Exec(ctx, `INSERT INTO briefing_templates (campaign_id, lang, sentences, version, updated_at) VALUES (?, ?, ?, 1, ?)`,
				campaignID, lang, string(b), now)
		} else {
			_, err = q.Exec(ctx, `UPDATE briefing_templates SET sentences = ?, version = version + 1, updated_at = ? WHERE campaign_id = ? AND lang = ?`,
				string(b), now, campaignID, lang)
		}
		if err != nil {
			return fmt.Errorf("save briefing templates: %w", err)
		}
		if out, err = templatesOf(ctx, q, campaignID, lang); err != nil {
			return err
		}
		return audit.Write(ctx, q, audit.Entry{Action: "update", Entity: "briefing_templates", EntityID: fmt.Sprintf("%d/%s", campaignID, lang),
			Before: before.Sentences, After: out.Sentences})
	})
	return out, err
}

// TextSpan is a piece of a paragraph: plain text, or a figure's (or label's) text
// with the key to look its records up by.
type TextSpan struct {
	Text   string `json:"text"`
	Figure string `json:"figure,omitempty"`
}

// render fills the placeholders of src (full keys) from the figures and
// labels; an unknown name is returned in missing.
func render(src string, figs map[string]BriefingFigure, labels map[string]string) (text string, spans []TextSpan, missing []string) {
	var b strings.Builder
	last := 0
	for _, m := range placeholderRE.FindAllStringSubmatchIndex(src, -1) {
		if m[0] > last {
			spans = append(spans, TextSpan{Text: src[last:m[0]]})
		}
		key := src[m[2]:m[3]]
		if f, ok := figs[key]; ok {
			spans = append(spans, TextSpan{Text: f.Text, Figure: key})
		} else if l, ok := labels[key]; ok {
			spans = append(spans, TextSpan{Text: l})
		} else {
			missing = append(missing, key)
			spans = append(spans, TextSpan{Text: src[m[0]:m[1]]})
		}
		last = m[1]
	}
	if last < len(src) {
		spans = append(spans, TextSpan{Text: src[last:]})
	}
	for _, s := range spans {
		b.WriteString(s.Text)
	}
	return b.String(), spans, missing
}

// qualify turns a row sentence's {{field}} into {{prefix.field}}.
func qualify(text, prefix string) string {
	return placeholderRE.ReplaceAllStringFunc(text, func(m string) string {
		name := placeholderRE.FindStringSubmatch(m)[1]
		return "{{" + prefix + "." + name + "}}"
	})
}
