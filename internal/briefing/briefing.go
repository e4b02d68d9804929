package briefing

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"gongjian/internal/access"
	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// Briefing is a period's account of a campaign, generated from the data as
// of the period's end. A draft's wording may be edited (each edit is a
// revision); a published briefing is frozen.
type Briefing struct {
	ID          int64            `json:"id"`
	CampaignID  int64            `json:"campaign_id"`
	Period      string           `json:"period" enum:"week,month,quarter,half,ytd,year"`
	PeriodLabel string           `json:"period_label"`
	Start       date.Date        `json:"start"`
	AsOf        date.Date        `json:"as_of" doc:"数据截止日（期末），重新生成得到相同文字"`
	ZoneID      *int64           `json:"zone_id"`
	UnitID      *int64           `json:"unit_id"`
	Lang        string           `json:"lang" enum:"zh,en"`
	Title       string           `json:"title"`
	IssueNo     int              `json:"issue_no" doc:"期号"`
	Issuer      string           `json:"issuer" doc:"印发单位"`
	State       string           `json:"state" enum:"draft,published"`
	Revision    int              `json:"revision"`
	Version     int              `json:"version"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
	PublishedAt *time.Time       `json:"published_at"`
	Content     *BriefingContent `json:"content,omitempty"`
}

// BriefingContent is what a briefing says and the figures it says it with.
type BriefingContent struct {
	Sections []BriefingSection          `json:"sections"`
	Figures  []BriefingFigure           `json:"figures"`
	Labels   map[string]string          `json:"labels"`
	Behind   []BehindRow                `json:"behind"`
	League   LeagueTable                `json:"league"`
	Extra    map[string][]BriefingTable `json:"extra,omitempty" doc:"其他数据源（指标、督办件、台账）的表格"`
}

// BriefingTable is a simple table printed with a section.
type BriefingTable struct {
	Title  string     `json:"title"`
	Header []string   `json:"header"`
	Rows   [][]string `json:"rows"`
}

// BriefingSection is a part of a briefing: a title and paragraphs.
type BriefingSection struct {
	Key        string              `json:"key"`
	Title      string              `json:"title"`
	Paragraphs []BriefingParagraph `json:"paragraphs"`
}

// BriefingParagraph is a sentence as written (FigureSource, with {{figure}} placeholders)
// and as printed (Text), split into spans that link figures to their records.
type BriefingParagraph struct {
	Key    string     `json:"key"`
	Source string     `json:"source"`
	Text   string     `json:"text"`
	Spans  []TextSpan `json:"spans"`
}

// BriefingInput asks for a briefing.
type BriefingInput struct {
	CampaignID int64     `json:"campaign_id" minimum:"1"`
	Period     string    `json:"period" enum:"week,month,quarter,half,ytd,year"`
	AsOf       date.Date `json:"as_of" doc:"期末日期（数据截止日）"`
	ZoneID     int64     `json:"zone_id,omitempty" minimum:"0"`
	UnitID     int64     `json:"unit_id,omitempty" minimum:"0"`
	Lang       string    `json:"lang,omitempty" enum:"zh,en"`
	Title      string    `json:"title,omitempty" maxLength:"200"`
	Issuer     string    `json:"issuer,omitempty" maxLength:"100"`
}

// scopeOf checks a period request and names its scope.
func (s *Service) scopeOf(ctx context.Context, q store.Querier, campaignID int64, period string, asOf date.Date, zoneID, unitID int64, lang string) (Scope, error) {
	var c errs.Checker
	c.Check(!asOf.IsZero(), "as_of", "required", "请填写期末日期", nil)
	c.Check(zoneID == 0 || unitID == 0, "unit_id", "briefing.scope_one", "战区和单位只能选择一个", unitID)
	if err := c.Err(); err != nil {
		return Scope{}, err
	}
	start, err := periodStart(period, asOf)
	if err != nil {
		return Scope{}, err
	}
	var cs, ce date.Date
	err = q.QueryRow(ctx, `SELECT start_date, end_date FROM campaigns WHERE id = ?`, campaignID).Scan(&cs, &ce)
	if store.IsNoRows(err) {
		return Scope{}, errs.NotFound("攻坚年", campaignID)
	}
	if err != nil {
		return Scope{}, fmt.Errorf("briefing campaign: %w", err)
	}
	if asOf.Before(cs) || asOf.After(ce) {
		return Scope{}, errs.Invalid([]errs.FieldError{{Field: "as_of", Key: "briefing.as_of_range",
			Message: fmt.Sprintf("期末日期应在攻坚年期间（%s 至 %s）", cs, ce), Value: asOf.String()}})
	}
	if start.Before(cs) {
		start = cs
	}
	return Scope{CampaignID: campaignID, ZoneID: zoneID, UnitID: unitID, Start: start, AsOf: asOf, Period: period, Lang: lang}, nil
}

func (s *Service) scopeName(ctx context.Context, q store.Querier, sc Scope) (string, error) {
	var name string
	var err error
	switch {
	case sc.ZoneID != 0:
		err = q.QueryRow(ctx, `SELECT name FROM zones WHERE id = ? AND campaign_id = ?`, sc.ZoneID, sc.CampaignID).Scan(&name)
		if store.IsNoRows(err) {
			return "", errs.Invalid([]errs.FieldError{{Field: "zone_id", Key: "not_found", Message: fmt.Sprintf("战区 %d 不存在", sc.ZoneID), Value: sc.ZoneID}})
		}
	case sc.UnitID != 0:
		err = q.QueryRow(ctx, `SELECT name FROM units WHERE id = ?`, sc.UnitID).Scan(&name)
		if store.IsNoRows(err) {
			return "", errs.Invalid([]errs.FieldError{{Field: "unit_id", Key: "not_found", Message: fmt.Sprintf("单位 %d 不存在", sc.UnitID), Value: sc.UnitID}})
		}
	default:
		name = map[bool]string{true: "the district's ", false: "全区"}[sc.Lang == "en"]
	}
	if err != nil {
		return "", fmt.Errorf("briefing scope: %w", err)
	}
	return name, nil
}

// compose computes the content of a briefing from the data as of sc.AsOf.
func (s *Service) compose(ctx context.Context, sc Scope, issuer string) (BriefingContent, string, error) {
	q := s.db.Read()
	var campName string
	if err := q.QueryRow(ctx, `SELECT name FROM campaigns WHERE id = ?`, sc.CampaignID).Scan(&campName); err != nil {
		return BriefingContent{}, "", fmt.Errorf("campaign name: %w", err)
	}
	scopeName, err := s.scopeName(ctx, q, sc)
	if err != nil {
		return BriefingContent{}, "", err
	}
	rules, err := leagueRulesOf(ctx, q, sc.CampaignID)
	if err != nil {
		return BriefingContent{}, "", err
	}
	tpl, err := templatesOf(ctx, q, sc.CampaignID, sc.Lang)
	if err != nil {
		return BriefingContent{}, "", err
	}
	// The other sources (cases, indicators, ledgers) read their own data:
	// they run alongside collect, each into a collected of its own, merged
	// in order afterwards as if they had run one after another.
	parts := make([]*collected, len(s.sources))
	failed := make([]error, len(s.sources))
	var wg sync.WaitGroup
	for i, src := range s.sources {
		parts[i] = newCollected(sc.Lang)
		wg.Go(func() { failed[i] = src(ctx, sc, parts[i]) })
	}
	col, err := s.collect(ctx, sc, campName, scopeName, issuer, rules)
	wg.Wait()
	if err != nil {
		return BriefingContent{}, "", err
	}
	for i, p := range parts {
		if failed[i] != nil {
			return BriefingContent{}, "", failed[i]
		}
		col.merge(p)
	}
	capLeague(&col.league)
	c := BriefingContent{Figures: col.figs.list, Labels: col.figs.labels, Behind: col.behind, League: col.league, Extra: col.extra}
	if c.Behind == nil {
		c.Behind = []BehindRow{}
	}
	c.Sections = build(tpl.Sentences, col)
	renumber(c.Sections)
	return c, campName, nil
}

// build writes the sections from the template sentences and the rows.
func build(ts []TemplateSentence, col *collected) []BriefingSection {
	figs := col.figs.index()
	var out []BriefingSection
	for _, sec := range sectionOrder {
		s := BriefingSection{Key: sec, Paragraphs: []BriefingParagraph{}}
		hasBody := false
		for _, t := range ts {
			if t.Section != sec {
				continue
			}
			if strings.HasSuffix(t.Key, ".title") {
				s.Title, _, _ = render(t.Text, figs, col.figs.labels)
				continue
			}
			if t.Repeat == "" {
				if !sentenceHasData(t.Text, figs, col.figs.labels) {
					continue
				}
				s.Paragraphs = append(s.Paragraphs, paragraph(t.Key, t.Text, figs, col.figs.labels))
				hasBody = true
				continue
			}
			for _, r := range col.rows[t.Repeat] {
				s.Paragraphs = append(s.Paragraphs, paragraph(fmt.Sprintf("%s#%d", t.Key, r.id), qualify(t.Text, r.prefix), figs, col.figs.labels))
				hasBody = true
			}
		}
		if hasBody {
			out = append(out, s)
		}
	}
	return out
}

// sentenceHasData is false for a plain sentence with a placeholder that has
// no figure or label (a data source that has nothing for this campaign), so
// that the sentence is left out rather than printed with a hole.
func sentenceHasData(src string, figs map[string]BriefingFigure, labels map[string]string) bool {
	for _, m := range placeholderRE.FindAllStringSubmatch(src, -1) {
		_, f := figs[m[1]]
		_, l := labels[m[1]]
		if !f && !l {
			return false
		}
	}
	return true
}

func paragraph(key, src string, figs map[string]BriefingFigure, labels map[string]string) BriefingParagraph {
	text, spans, _ := render(src, figs, labels)
	return BriefingParagraph{Key: key, Source: src, Text: text, Spans: spans}
}

func (fs *figures) index() map[string]BriefingFigure {
	m := make(map[string]BriefingFigure, len(fs.list))
	for _, f := range fs.list {
		m[f.Key] = f
	}
	return m
}

func defaultTitle(label, lang string) string {
	if lang == "en" {
		return "Key Work Campaign Briefing: " + label
	}
	return label + "重点工作攻坚简报"
}

// Generate writes a new draft briefing for a period as of its end.
func (s *Service) Generate(ctx context.Context, in BriefingInput) (Briefing, error) {
	if err := canWrite(ctx); err != nil {
		return Briefing{}, err
	}
	lang, err := checkLang(in.Lang)
	if err != nil {
		return Briefing{}, err
	}
	sc, err := s.scopeOf(ctx, s.db.Read(), in.CampaignID, in.Period, in.AsOf, in.ZoneID, in.UnitID, lang)
	if err != nil {
		return Briefing{}, err
	}
	issuer := strings.TrimSpace(in.Issuer)
	if issuer == "" {
		issuer = map[bool]string{true: "District Key Work Office", false: "区重点工作攻坚办公室"}[lang == "en"]
	}
	select {
	case s.generating <- struct{}{}:
		defer func() { <-s.generating }()
	case <-ctx.Done():
		return Briefing{}, fmt.Errorf("waiting to generate a briefing: %w", ctx.Err())
	}
	content, _, err := s.compose(ctx, sc, issuer)
	if err != nil {
		return Briefing{}, err
	}
	label := periodLabel(sc.Period, sc.Start, sc.AsOf, lang)
	title := strings.TrimSpace(in.Title)
	if title == "" {
		title = defaultTitle(label, lang)
	}
	// The (megabytes of) content is encoded once, outside the write lock;
	// one string of it serves both rows.
	raw := func() string { b, _ := json.Marshal(content); return string(b) }()
	var out Briefing
	err = s.db.Tx(ctx, func(q store.Querier) error {
		var issue int
		if err := q.QueryRow(ctx, `SELECT COALESCE(MAX(issue_no), 0) + 1 FROM briefings WHERE campaign_id = ?`, sc.CampaignID).Scan(&issue); err != nil {
			return fmt.Errorf("issue no: %w", err)
		}
		now := s.now().UTC()
		var id int64
		if err := q.QueryRow(ctx, `INSERT INTO briefings (campaign_id, period, start_date, as_of, zone_id, unit_id, lang, title, issue_no, issuer,
			state, content, revision, version, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, 1, 1, ?, ?, ?) RETURNING id`,
			sc.CampaignID, sc.Period, sc.Start, sc.AsOf, nullable(sc.ZoneID), nullable(sc.UnitID), lang, title, issue, issuer,
			raw, actorID(ctx), now, now).Scan(&id); err != nil {
			return fmt.Errorf("insert briefing: %w", err)
		}
		if err := addRevision(ctx, q, id, 1, "generate", raw, now); err != nil {
			return err
		}
		// The content is the one just stored: read back the rest only.
		var err error
		if out, err = getBriefingHead(ctx, q, id); err != nil {
			return err
		}
		out.Content = &content
		return audit.Write(ctx, q, audit.Entry{Action: "create", Entity: "briefing", EntityID: id,
			After: map[string]any{"title": title, "period": sc.Period, "as_of": sc.AsOf, "lang": lang}})
	})
	return out, err
}

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func actorID(ctx context.Context) any {
	if a := access.From(ctx); a != nil && a.UserID != 0 {
		return a.UserID
	}
	return nil
}

func addRevision(ctx context.Context, q store.Querier, id int64, rev int, action, content string, at time.Time) error {
	var uid any
	name := "system"
	if a := access.From(ctx); a != nil {
		uid, name = a.UserID, a.Username
	}
	if _, err := q.Exec(ctx, `INSERT INTO briefing_revisions (briefing_id, revision, action, at, user_id, username, content) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, rev, action, at, uid, name, content); err != nil {
		return fmt.Errorf("briefing revision: %w", err)
	}
	return nil
}

const briefingSelect = `SELECT id, campaign_id, period, start_date, as_of, zone_id, unit_id, lang, title, issue_no, issuer, state, revision, version,
	created_at, updated_at, published_at, content FROM briefings`

// briefingHeadSelect reads briefings without their content.
var briefingHeadSelect = strings.Replace(briefingSelect, ", content FROM", ", '' FROM", 1)

func scanBriefing(r interface{ Scan(...any) error }, withContent bool) (Briefing, error) {
	var b Briefing
	var raw string
	if err := r.Scan(&b.ID, &b.CampaignID, &b.Period, &b.Start, &b.AsOf, &b.ZoneID, &b.UnitID, &b.Lang, &b.Title, &b.IssueNo, &b.Issuer,
		&b.State, &b.Revision, &b.Version, &b.CreatedAt, &b.UpdatedAt, &b.PublishedAt, &raw); err != nil {
		return b, err
	}
	b.PeriodLabel = periodLabel(b.Period, b.Start, b.AsOf, b.Lang)
	if withContent {
		var c BriefingContent
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return b, fmt.Errorf("briefing content: %w", err)
		}
		b.Content = &c
	}
	return b, nil
}

func getBriefing(ctx context.Context, q store.Querier, id int64) (Briefing, error) {
	return readBriefing(ctx, q, id, true)
}

// getBriefingHead is getBriefing without the content.
func getBriefingHead(ctx context.Context, q store.Querier, id int64) (Briefing, error) {
	return readBriefing(ctx, q, id, false)
}

func readBriefing(ctx context.Context, q store.Querier, id int64, withContent bool) (Briefing, error) {
	sel := briefingHeadSelect
	if withContent {
		sel = briefingSelect
	}
	b, err := scanBriefing(q.QueryRow(ctx, sel+` WHERE id = ?`, id), withContent)
	if store.IsNoRows(err) {
		return b, errs.NotFound("简报", id)
	}
	if err != nil {
		return b, fmt.Errorf("get briefing: %w", err)
	}
	return b, nil
}

// visible hides drafts from callers who may not edit briefings: a draft is
// not yet a document, so it answers "not found".
func visible(ctx context.Context, b Briefing) error {
	if b.State == "published" {
		return nil
	}
	if a := access.From(ctx); a != nil && !a.Can(access.BriefingWrite) {
		return errs.NotFound("简报", b.ID)
	}
	return nil
}

// Get returns a briefing with its content.
func (s *Service) Get(ctx context.Context, id int64) (Briefing, error) {
	b, err := getBriefing(ctx, s.db.Read(), id)
	if err != nil {
		return b, err
	}
	return b, visible(ctx, b)
}

// BriefingFigure returns one figure of a briefing with the records it was computed from.
func (s *Service) BriefingFigure(ctx context.Context, id int64, key string) (BriefingFigure, error) {
	b, err := s.Get(ctx, id)
	if err != nil {
		return BriefingFigure{}, err
	}
	for _, f := range b.Content.Figures {
		if f.Key == key {
			return f, nil
		}
	}
	return BriefingFigure{}, errs.NotFound("简报数据", key)
}

// ListFilter narrows List.
type ListFilter struct {
	CampaignID int64
	State      string
	Page       store.Page
}

// List returns briefings without their content, newest first.
func (s *Service) List(ctx context.Context, f ListFilter) ([]Briefing, int, error) {
	q := s.db.Read()
	var w store.Where
	if f.CampaignID != 0 {
		w.Add(`campaign_id = ?`, f.CampaignID)
	}
	if f.State != "" {
		w.Add(`state = ?`, f.State)
	}
	if a := access.From(ctx); a != nil && !a.Can(access.BriefingWrite) {
		w.Add(`state = 'published'`)
	}
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM briefings`+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count briefings: %w", err)
	}
	rows, err := q.Query(ctx, briefingHeadSelect+w.SQL()+` ORDER BY as_of DESC, id DESC`+f.Page.LimitOffset(), w.Args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list briefings: %w", err)
	}
	defer rows.Close()
	out := []Briefing{}
	for rows.Next() {
		b, err := scanBriefing(rows, false)
		if err != nil {
			return nil, 0, fmt.Errorf("scan briefing: %w", err)
		}
		out = append(out, b)
	}
	return out, total, rows.Err()
}

// BriefingWording is a supervisor's edit of a draft's wording: its title and
// its sections, whose paragraphs may use the briefing's {{figure}} names.
type BriefingWording struct {
	Title    string           `json:"title" maxLength:"200"`
	Sections []WordingSection `json:"sections" maxItems:"50"`
}

// WordingSection is a section as the supervisor wrote it.
type WordingSection struct {
	Key        string             `json:"key" maxLength:"40"`
	Title      string             `json:"title" maxLength:"200"`
	Paragraphs []WordingParagraph `json:"paragraphs" maxItems:"500"`
}

// WordingParagraph is a paragraph with {{figure}} placeholders.
type WordingParagraph struct {
	Key    string `json:"key,omitempty" maxLength:"120"`
	Source string `json:"source" maxLength:"4000"`
}

// SetWording stores an edit of a draft's wording as a new revision; the
// figures stay as generated.
func (s *Service) SetWording(ctx context.Context, id int64, version int, in BriefingWording) (Briefing, error) {
	if err := canWrite(ctx); err != nil {
		return Briefing{}, err
	}
	var out Briefing
	err := s.db.Tx(ctx, func(q store.Querier) error {
		b, err := draftAt(ctx, q, id, version)
		if err != nil {
			return err
		}
		c := *b.Content
		figs := map[string]BriefingFigure{}
		for _, f := range c.Figures {
			figs[f.Key] = f
		}
		var chk errs.Checker
		title := strings.TrimSpace(in.Title)
		chk.Check(title != "", "title", "required", "简报标题不能为空", nil)
		var secs []BriefingSection
		for i, sec := range in.Sections {
			ns := BriefingSection{Key: sec.Key, Title: strings.TrimSpace(sec.Title), Paragraphs: []BriefingParagraph{}}
			for j, p := range sec.Paragraphs {
				src := strings.TrimSpace(p.Source)
				if src == "" {
					continue
				}
				key := p.Key
				if key == "" {
					key = fmt.Sprintf("%s.edit.%d", sec.Key, j)
				}
				text, spans, missing := render(src, figs, c.Labels)
				if len(missing) > 0 {
					chk.Add(fmt.Sprintf("sections[%d].paragraphs[%d].source", i, j), "briefing.placeholder_unknown",
						fmt.Sprintf("占位符 {{%s}} 不是本简报的数据", missing[0]), missing[0])
				}
				ns.Paragraphs = append(ns.Paragraphs, BriefingParagraph{Key: key, Source: src, Text: text, Spans: spans})
			}
			secs = append(secs, ns)
		}
		if err := chk.Err(); err != nil {
			return err
		}
		c.Sections = secs
		raw, _ := json.Marshal(c)
		now := s.now().UTC()
		if _, err := q.Exec(ctx, `UPDATE briefings SET title = ?, content = ?, revision = revision + 1, version = version + 1, updated_at = ? WHERE id = ?`,
			title, string(raw), now, id); err != nil {
			return fmt.Errorf("save wording: %w", err)
		}
		if err := addRevision(ctx, q, id, b.Revision+1, "edit", string(raw), now); err != nil {
			return err
		}
		if out, err = getBriefing(ctx, q, id); err != nil {
			return err
		}
		return audit.Write(ctx, q, audit.Entry{Action: "update", Entity: "briefing", EntityID: id,
			Before: map[string]any{"title": b.Title, "revision": b.Revision}, After: map[string]any{"title": out.Title, "revision": out.Revision}})
	})
	return out, err
}

// draftAt loads a briefing for a change: it must still be at the version
// the caller saw and not yet published (a published briefing never changes).
func draftAt(ctx context.Context, q store.Querier, id int64, version int) (Briefing, error) {
	b, err := getBriefing(ctx, q, id)
	if err != nil {
		return Briefing{}, err
	}
	if b.Version != version {
		return Briefing{}, errs.Stale("简报")
	}
	if b.State == "published" {
		return Briefing{}, &errs.Error{Kind: errs.KindConflict, Key: "briefing.published", Message: "简报已发布，不能再修改"}
	}
	return b, nil
}

// Publish freezes a draft: from now on its text and figures never change.
func (s *Service) Publish(ctx context.Context, id int64, version int) (Briefing, error) {
	if err := canWrite(ctx); err != nil {
		return Briefing{}, err
	}
	var out Briefing
	err := s.db.Tx(ctx, func(q store.Querier) error {
		b, err := draftAt(ctx, q, id, version)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		if _, err := q.Exec(ctx, `UPDATE briefings SET state = 'published', published_at = ?, published_by = ?, revision = revision + 1,
			version = version + 1, updated_at = ? WHERE id = ?`, now, actorID(ctx), now, id); err != nil {
			return fmt.Errorf("publish briefing: %w", err)
		}
		raw, _ := json.Marshal(b.Content)
		if err := addRevision(ctx, q, id, b.Revision+1, "publish", string(raw), now); err != nil {
			return err
		}
		if out, err = getBriefing(ctx, q, id); err != nil {
			return err
		}
		return audit.Write(ctx, q, audit.Entry{Action: "publish", Entity: "briefing", EntityID: id,
			Before: map[string]any{"state": b.State}, After: map[string]any{"state": out.State, "title": out.Title}})
	})
	return out, err
}

// Delete removes a draft; a published briefing is kept for ever.
func (s *Service) Delete(ctx context.Context, id int64, version int) error {
	if err := canWrite(ctx); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(q store.Querier) error {
		b, err := getBriefing(ctx, q, id)
		if err != nil {
			return err
		}
		if b.Version != version {
			return errs.Stale("简报")
		}
		if b.State == "published" {
			return &errs.Error{Kind: errs.KindConflict, Key: "briefing.published", Message: "已发布的简报永久保存，不能删除"}
		}
		if _, err := q.Exec(ctx, `DELETE FROM briefings WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete briefing: %w", err)
		}
		return audit.Write(ctx, q, audit.Entry{Action: "delete", Entity: "briefing", EntityID: id, Before: map[string]any{"title": b.Title}})
	})
}

// BriefingRevision is one generation, edit or publication of a briefing.
type BriefingRevision struct {
	Revision int       `json:"revision"`
	Action   string    `json:"action" enum:"generate,edit,publish"`
	At       time.Time `json:"at"`
	Username string    `json:"username"`
}

// Revisions lists a briefing's revisions, oldest first.
func (s *Service) Revisions(ctx context.Context, id int64) ([]BriefingRevision, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().Query(ctx, `SELECT revision, action, at, username FROM briefing_revisions WHERE briefing_id = ? ORDER BY revision, id`, id)
	if err != nil {
		return nil, fmt.Errorf("briefing revisions: %w", err)
	}
	defer rows.Close()
	out := []BriefingRevision{}
	for rows.Next() {
		var r BriefingRevision
		if err := rows.Scan(&r.Revision, &r.Action, &r.At, &r.Username); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
