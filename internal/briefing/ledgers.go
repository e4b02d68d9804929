package briefing

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"gongjian/internal/ledger"
	"gongjian/internal/store"
)

// Ledger figures (工作台账) in a briefing: per ledger, its rows as they stood
// at the end of the period (cumulative, 截至期末), counted, its summed fields
// totalled, and its rows counted (and summed) by each counted choice field,
// each figure with the rows behind it.
//
// Every ledger with rows gets a sentence written from its definition (name,
// summed fields and their units, the options of its first counted choice
// field), so a new ledger appears in briefings without code. The demo's
// ledgers have nicer default sentences, keyed by the ledger's code; a ledger
// named by a plain sentence of the template in use is not repeated in the
// generic rows. Ledgers describe the whole district: a briefing narrowed to
// a zone or unit leaves them out.

// ledgerFields are the fields of a ledger row ("ledgers" row set).
var ledgerFields = []string{"name", "code", "count", "sums", "breakdown"}

var ledgerSentencesZH = []TemplateSentence{
	{Key: "ledgers.title", Section: "ledgers", Text: "八、工作台账"},
	{Key: "ledgers.WJCC", Section: "ledgers", Text: "累计拆除各类违建{{ledgers.WJCC.count}}处、{{ledgers.WJCC.area}}。"},
	{Key: "ledgers.GGWD", Section: "ledgers", Text: "整治违规户外广告{{ledgers.GGWD.kind.1}}处，拆除围挡{{ledgers.GGWD.kind.2}}处。"},
	{Key: "ledgers.TCW", Section: "ledgers", Text: "新增免费停车位{{ledgers.TCW.kind.1.spaces}}，有偿错时共享停车位{{ledgers.TCW.kind.2.spaces}}。"},
	{Key: "ledgers.WFJW", Section: "ledgers", Text: "筹集资金{{ledgers.WFJW.funds}}，完成{{ledgers.WFJW.count}}户危房解危。"},
	{Key: "ledgers.BDCZ", Section: "ledgers", Text: "化解{{ledgers.BDCZ.count}}个小区、{{ledgers.BDCZ.households}}居民不动产证办理难题。"},
	{Key: "ledgers.RCGY", Section: "ledgers", Text: "已拥有人才公寓{{ledgers.RCGY.units}}。"},
	{Key: "ledgers.XZTD", Section: "ledgers", Text: "处置批而未供土地、闲置土地{{ledgers.XZTD.area}}。"},
	{Key: "ledgers.NMSC", Section: "ledgers", Text: "按照星级标准完成{{ledgers.NMSC.star_done.1}}处农贸市场升级改造，引入社会资本{{ledgers.NMSC.capital}}。"},
	{Key: "ledgers.KDGY", Section: "ledgers", Text: "高标准建设口袋公园{{ledgers.KDGY.count}}处。"},
	{Key: "ledgers.YHXY", Section: "ledgers", Text: "与{{ledgers.YHXY.count}}家银行签订战略合作协议，融资授信规模达{{ledgers.YHXY.credit}}。"},
	{Key: "ledgers.row", Section: "ledgers", Repeat: "ledgers", Text: "{{name}}：共登记{{count}}条{{sums}}{{breakdown}}。"},
}

var ledgerSentencesEN = []TemplateSentence{
	{Key: "ledgers.title", Section: "ledgers", Text: "8. Ledgers"},
	{Key: "ledgers.row", Section: "ledgers", Repeat: "ledgers", Text: "{{name}}: {{count}} records{{sums}}{{breakdown}}."},
}

func init() {
	rowFields["ledgers"] = ledgerFields
	// The demo ledgers' figures named by the default sentences may be used
	// in edited plain sentences too.
	seen := map[string]bool{}
	for _, t := range ledgerSentencesZH {
		if t.Repeat != "" {
			continue
		}
		for _, m := range placeholderRE.FindAllStringSubmatch(t.Text, -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				extraPlain = append(extraPlain, m[1])
			}
		}
	}
	defaultZH = append(defaultZH, ledgerSentencesZH...)
	defaultEN = append(defaultEN, ledgerSentencesEN...)
}

var ledgerCodeRE = regexp.MustCompile(`^[A-Za-z0-9_\-]+$`)

// ledgerPrefix is the key prefix of a ledger's figures: ledgers.<code>, or
// ledgers.<id> for a code a placeholder cannot spell.
func ledgerPrefix(l ledger.Ledger) string {
	if ledgerCodeRE.MatchString(l.Code) {
		return "ledgers." + l.Code
	}
	return fmt.Sprintf("ledgers.%d", l.ID)
}

// ledgerRow is a ledger row as it stood at a cutoff: the raw JSON of the
// values a briefing reads (see ledgerValues), valid until the next row is read.
type ledgerRow struct {
	id   int64
	vals [][]byte // by ledgerValues.keys; nil when the row has no such value
}

// ledgerValues are the values of a ledger's rows a briefing reads: its key
// field, its summed fields and its counted choice fields. The other values
// of a row are skipped, not decoded.
type ledgerValues struct {
	keys    []string
	key     int   // index of the key field, or -1
	summed  []int // by summed field
	choices []int // by counted choice field
}

func newLedgerValues(l ledger.Ledger, summed, choices []ledger.LedgerField) ledgerValues {
	rf := ledgerValues{key: -1}
	at := func(k string) int {
		for i, x := range rf.keys {
			if x == k {
				return i
			}
		}
		rf.keys = append(rf.keys, k)
		return len(rf.keys) - 1
	}
	if l.KeyField != "" {
		rf.key = at(l.KeyField)
	}
	for _, f := range summed {
		rf.summed = append(rf.summed, at(f.Key))
	}
	for _, f := range choices {
		rf.choices = append(rf.choices, at(f.Key))
	}
	return rf
}

// eachLedgerRow calls fn with each of a ledger's rows as they stood just
// before cutoff, in row order, one at a time (a district's ledger holds tens
// of thousands of rows: they are tallied as read, not kept). The rows are
// walked by (ledger_id, row_id) so the table is read in the order it was
// written; "NOT (valid_from >= ?)" keeps SQLite from preferring the
// (ledger_id, valid_from) index, which reads it in random order and sorts.
func eachLedgerRow(ctx context.Context, q store.Querier, ledgerID int64, cutoff time.Time, rf ledgerValues, fn func(ledgerRow)) error {
	rows, err := q.Query(ctx, `SELECT row_id, values_json FROM ledger_row_revisions WHERE ledger_id = ? AND deleted = FALSE
		AND NOT (valid_from >= ?) AND (valid_to IS NULL OR valid_to >= ?) ORDER BY row_id`, ledgerID, cutoff, cutoff)
	if err != nil {
		return fmt.Errorf("briefing ledger rows: %w", err)
	}
	defer rows.Close()
	var vj sql.RawBytes
	r := ledgerRow{vals: make([][]byte, len(rf.keys))}
	for rows.Next() {
		if err := rows.Scan(&r.id, &vj); err != nil {
			return fmt.Errorf("scan briefing ledger row: %w", err)
		}
		if err := jsonFields(vj, rf.keys, r.vals); err != nil {
			return fmt.Errorf("briefing ledger row values: %w", err)
		}
		fn(r)
	}
	return rows.Err()
}

// tally is a figure over rows being read (ledger rows, cases): how many,
// their sum (in ten-thousandths, see scaledValue) and the first
// MaxRecords records behind it.
type tally struct {
	n     int
	total int64
	recs  []SourceRecord
}

// add counts a row contributing v (ten-thousandths) to the tally; rec makes
// its record while the tally still lists records.
func (t *tally) add(v int64, rec func(v float64) SourceRecord) {
	if t.take(v) {
		t.recs = append(t.recs, rec(float64(v)/1e4))
	}
}

// take counts a row contributing v (ten-thousandths) and reports whether
// the tally still lists records (the caller appends the row's).
func (t *tally) take(v int64) bool {
	t.n++
	t.total += v
	return len(t.recs) < MaxRecords
}

// ledgerTallies are the tallies of one set of rows (a ledger's, or those
// with one option of a choice field): their count and a sum per summed field.
type ledgerTallies struct {
	count tally
	sums  []tally // by summed field
}

func newLedgerTallies(summed int) *ledgerTallies { return &ledgerTallies{sums: make([]tally, summed)} }

// add tallies row r, whose summed fields' values are vs (ok[i] false when
// the row has no number for field i).
func (lt *ledgerTallies) add(l *ledger.Ledger, rf ledgerValues, r ledgerRow, vs []int64, ok []bool) {
	if lt.count.take(1e4) {
		lt.count.recs = append(lt.count.recs, ledgerRecord(l, rf, r, 1))
	}
	for i := range lt.sums {
		if ok[i] && lt.sums[i].take(vs[i]) {
			lt.sums[i].recs = append(lt.sums[i].recs, ledgerRecord(l, rf, r, float64(vs[i])/1e4))
		}
	}
}

// ledgerUnit is the unit a summed field's figure is printed in.
func ledgerUnit(f ledger.LedgerField, lang string) string {
	u := f.UnitLabel()
	if u == ledger.AreaM2 && lang != "en" {
		return "平方米"
	}
	return u
}

// ledgerQty prints a quantity with its unit: 95.78万平方米, 9783个, 2.7亿元, 880亩.
func ledgerQty(v float64, unit, lang string) string {
	switch {
	case unit == "万元":
		return formatWan(v, lang)
	case lang == "en":
		return strings.TrimSpace(trimNum(v, 2) + " " + unit)
	case math.Abs(v) >= 1e4 && (unit == "平方米" || unit == "户" || unit == "人"):
		return trimNum(v/1e4, 2) + "万" + unit
	}
	return trimNum(v, 2) + unit
}

// ledgerSums adds a figure per summed field of the tallied rows, named prefix.<field>.
func ledgerSums(fs *figures, prefix, label, api, lang string, summed []ledger.LedgerField, lt *ledgerTallies) []string {
	var texts []string
	for i, f := range summed {
		t := lt.sums[i]
		unit := ledgerUnit(f, lang)
		value := float64(t.total) / 1e4
		fs.add(BriefingFigure{Key: prefix + "." + f.Key, Label: label + f.Label, Value: value, Unit: unit, Precision: 2,
			Text: ledgerQty(value, unit, lang), Source: FigureSource{API: api, Sum: "sum", Records: t.recs, Count: t.n}})
		texts = append(texts, prefix+"."+f.Key)
	}
	return texts
}

func ledgerRecord(l *ledger.Ledger, rf ledgerValues, r ledgerRow, v float64) SourceRecord {
	name := ""
	if rf.key >= 0 {
		name = rawText(r.vals[rf.key])
	}
	if name == "" {
		name = fmt.Sprintf("%s #%d", l.Name, r.id)
	}
	return SourceRecord{Kind: "ledger_row", ID: r.id, Code: l.Code, Name: name, Value: v}
}

// ledgersSource adds the figures of every ledger with rows at the period's end.
func (s *Service) ledgersSource(ctx context.Context, sc Scope, col *collected) error {
	if sc.ZoneID != 0 || sc.UnitID != 0 {
		return nil
	}
	q := s.db.Read()
	ls, _, err := ledger.New(s.db).ListLedgers(ctx, ledger.LedgerFilter{Sort: "id", Page: store.Page{Number: 1, Size: store.MaxPageSize}})
	if err != nil {
		return fmt.Errorf("briefing ledgers: %w", err)
	}
	tpl, err := templatesOf(ctx, q, sc.CampaignID, sc.Lang)
	if err != nil {
		return err
	}
	// Ledgers a plain sentence of the template names are not repeated as rows.
	named := map[string]bool{}
	for _, t := range tpl.Sentences {
		if t.Repeat != "" {
			continue
		}
		for _, m := range placeholderRE.FindAllStringSubmatch(t.Text, -1) {
			if parts := strings.SplitN(m[1], ".", 3); len(parts) == 3 && parts[0] == "ledgers" {
				named["ledgers."+parts[1]] = true
			}
		}
	}
	cutoff := sc.AsOf.Time().AddDate(0, 0, 1)
	en := sc.Lang == "en"
	fs := col.figs
	for _, l := range ls {
		var summed, choices []ledger.LedgerField
		for _, f := range ledger.Active(l.Fields) {
			if f.Summed {
				summed = append(summed, f)
			}
			if f.Counted && f.Type == ledger.TypeChoice {
				choices = append(choices, f)
			}
		}
		// One pass over the rows: the ledger's tallies, and those of each
		// option of each counted choice field.
		all := newLedgerTallies(len(summed))
		byOption := make([][]*ledgerTallies, len(choices))
		for i, f := range choices {
			for range f.Options {
				byOption[i] = append(byOption[i], newLedgerTallies(len(summed)))
			}
		}
		rf := newLedgerValues(l, summed, choices)
		vs, ok := make([]int64, len(summed)), make([]bool, len(summed))
		err := eachLedgerRow(ctx, q, l.ID, cutoff, rf, func(r ledgerRow) {
			for i, f := range summed {
				vs[i], ok[i] = scaledValue(f, r.vals[rf.summed[i]])
			}
			all.add(&l, rf, r, vs, ok)
			for i, f := range choices {
				v, isText := rawString(r.vals[rf.choices[i]])
				if !isText {
					continue
				}
				for j, opt := range f.Options {
					if string(v) == opt {
						byOption[i][j].add(&l, rf, r, vs, ok)
					}
				}
			}
		})
		if err != nil {
			return err
		}
		if all.count.n == 0 {
			continue
		}
		pfx := ledgerPrefix(l)
		api := fmt.Sprintf("/api/v1/ledgers/%d/figures?as_of=%s", l.ID, sc.AsOf)
		fs.countOf(pfx+".count", l.Name+map[bool]string{true: ": rows", false: "记录数"}[en], "条", api, all.count.n, all.count.recs)
		sumKeys := ledgerSums(fs, pfx, l.Name, api, sc.Lang, summed, all)
		// Rows counted (and summed) by each option of a counted choice field.
		breakdown := ""
		for ci, f := range choices {
			gapi := api + "&group_by=" + f.Key
			var parts []string
			for i, opt := range f.Options {
				in := byOption[ci][i]
				gp := fmt.Sprintf("%s.%s.%d", pfx, f.Key, i+1)
				fs.countOf(gp, l.Name+"："+f.Label+" "+opt, "条", gapi, in.count.n, in.count.recs)
				fs.label(gp+".option", opt)
				ledgerSums(fs, gp, l.Name+"："+opt+" ", gapi, sc.Lang, summed, in)
				if in.count.n > 0 {
					if en {
						parts = append(parts, fmt.Sprintf("%s %d", opt, in.count.n))
					} else {
						parts = append(parts, fmt.Sprintf("%s%d条", opt, in.count.n))
					}
				}
			}
			if breakdown == "" && len(parts) > 0 {
				if en {
					breakdown = "; by " + f.Label + ": " + strings.Join(parts, ", ")
				} else {
					breakdown = "，其中" + strings.Join(parts, "、")
				}
			}
		}
		var sums []string
		for i, k := range sumKeys {
			f := fs.list[fs.byKey[k]]
			if en {
				sums = append(sums, fmt.Sprintf("%s %s", summed[i].Label, f.Text))
			} else {
				sums = append(sums, fmt.Sprintf("%s合计%s", summed[i].Label, f.Text))
			}
		}
		sumText := ""
		if len(sums) > 0 {
			sep := map[bool]string{true: ", ", false: "，"}[en]
			sumText = sep + strings.Join(sums, sep)
		}
		fs.label(pfx+".name", l.Name)
		fs.label(pfx+".code", l.Code)
		fs.label(pfx+".sums", sumText)
		fs.label(pfx+".breakdown", breakdown)
		if !named[pfx] {
			col.rows["ledgers"] = append(col.rows["ledgers"], row{prefix: pfx, id: l.ID})
		}
	}
	return nil
}
