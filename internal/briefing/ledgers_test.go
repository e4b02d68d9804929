package briefing_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"gongjian/internal/briefing"
	"gongjian/internal/date"
	"gongjian/internal/ledger"
	"gongjian/internal/store"
	"gongjian/internal/testdb"
	"gongjian/internal/xlsx"
)

// The ledger section of the demo's January–September briefing states the
// articles' ledger figures; every ledger's figures agree with the ledger's
// own figures as of the period's end and list the rows behind them; ledgers
// without a sentence of their own get one written from their definition.
func TestBriefingLedgers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		camp := loadDemoAll(t, db)
		s := briefing.New(db)
		h1 := generate(t, s, camp, "2022-06-30", "")
		q3 := generate(t, s, camp, "2022-09-30", "")
		checkSums(t, h1)
		checkSums(t, q3)
		checkSeeds(t, []seedCase{
			{q3, "95.78万平方米", []string{"累计拆除各类违建6469处、95.78万平方米"}, []string{"累计拆除各类违建6469处、95.78万平方米。"}},
			{q3, "整治违规户外广告", []string{"整治违规户外广告近1300处", "拆除围挡410余处"}, []string{"整治违规户外广告1300处，拆除围挡410处。"}},
			{q3, "新增免费停车位", []string{"新增免费停车位9783个，有偿错时共享停车位3515个"}, []string{"新增免费停车位9783个，有偿错时共享停车位3515个。"}},
			{q3, "人才公寓2200", []string{"已拥有人才公寓2200余套"}, []string{"已拥有人才公寓2200套。"}},
			{q3, "341户危房解危", []string{"筹集资金2.7亿元", "341户危房解危"}, []string{"筹集资金2.7亿元，完成341户危房解危。"}},
			{q3, "不动产证办理难题", []string{"91个小区、9.8万户居民不动产证办理难题"}, []string{"化解91个小区、9.8万户居民不动产证办理难题。"}},
			{q3, "880亩", []string{"880亩"}, []string{"处置批而未供土地、闲置土地880亩。"}},
			{q3, "20处口袋公园", []string{"20处口袋公园"}, []string{"高标准建设口袋公园20处。"}},
			{q3, "18家银行", []string{"18家银行签订战略合作协议", "400亿元"}, []string{"与18家银行签订战略合作协议，融资授信规模达400亿元。"}},
		})
		got := text(q3)
		// Ledgers without a sentence of their own, written from their definition.
		for _, want := range []string{"人才地图：共登记", "闲置厂房台账：共登记"} {
			if !strings.Contains(got, want) {
				t.Errorf("briefing lacks the generic sentence %q:\n%s", want, got)
			}
		}
		if strings.Contains(got, "违法建设拆除台账：共登记") {
			t.Errorf("a ledger with its own sentence is repeated as a generic row:\n%s", got)
		}

		// Each ledger's figures agree with the ledger's own as of the day.
		ctx := context.Background()
		lsvc := ledger.New(db)
		ls, _, err := lsvc.ListLedgers(ctx, ledger.LedgerFilter{})
		if err != nil || len(ls) < 10 {
			t.Fatalf("ledgers %d: %v", len(ls), err)
		}
		for _, b := range []struct {
			b    briefing.Briefing
			asOf string
		}{{h1, "2022-06-30"}, {q3, "2022-09-30"}} {
			figs := figureMap(b.b)
			for _, l := range ls {
				want, err := lsvc.Figures(ctx, l.ID, ledger.FigureFilter{AsOf: date.MustParse(b.asOf)})
				if err != nil {
					t.Fatal(err)
				}
				f, ok := figs["ledgers."+l.Code+".count"]
				if !ok || int(f.Value) != want.Count {
					t.Errorf("%s %s: count %g, ledger says %d", b.asOf, l.Code, f.Value, want.Count)
				}
				for _, r := range f.Source.Records {
					if r.Kind != "ledger_row" || r.ID == 0 {
						t.Errorf("%s: record %+v is not a ledger row", l.Code, r)
						break
					}
				}
				for _, sm := range want.Sums {
					g := figs["ledgers."+l.Code+"."+sm.Key]
					if math.Abs(g.Value-sm.Value) > 0.005 {
						t.Errorf("%s %s.%s = %g, ledger says %g", b.asOf, l.Code, sm.Key, g.Value, sm.Value)
					}
				}
			}
		}
		// Half way through, the demolitions are under way, not done.
		if n := figureMap(h1)["ledgers.WJCC.count"].Value; n <= 0 || n >= 6469 {
			t.Errorf("demolitions by 30 June: %g", n)
		}
		en := generate(t, s, camp, "2022-09-30", "en")
		checkSums(t, en)
		if got := text(en); !strings.Contains(got, "Ledgers") || !strings.Contains(got, ": 6469 records") {
			t.Errorf("English ledger section:\n%s", got)
		}
	})
}

// newLampLedger defines a ledger of street lamps (road, kind LED or 太阳能,
// lamps summed, and the extra fields), owned by a lead unit of campaign
// camp, and returns it with a ledger service whose clock is 1 March 2022.
func newLampLedger(t *testing.T, db *store.DB, camp int64, code, name string, extra ...ledger.LedgerField) (*ledger.Service, ledger.Ledger) {
	t.Helper()
	ctx := context.Background()
	var owner int64
	if err := db.Read().QueryRow(ctx, `SELECT MIN(lead_unit_id) FROM items WHERE campaign_id = ?`, camp).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	lsvc := ledger.New(db).WithClock(func() time.Time { return time.Date(2022, 3, 1, 1, 0, 0, 0, time.UTC) })
	l, err := lsvc.CreateLedger(ctx, ledger.LedgerInput{Code: code, Name: name, OwnerUnitID: owner, KeyField: "road",
		Fields: append([]ledger.LedgerField{
			{Key: "road", Label: "道路", Type: ledger.TypeText, Required: true},
			{Key: "kind", Label: "灯具", Type: ledger.TypeChoice, Counted: true, Options: []string{"LED", "太阳能"}},
			{Key: "lamps", Label: "路灯", Type: ledger.TypeNumber, Unit: "盏", Summed: true},
		}, extra...)})
	if err != nil {
		t.Fatal(err)
	}
	return lsvc, l
}

// A ledger defined later appears in the briefing without code: a sentence
// written from its definition, with its count, sums and breakdown; rows
// entered after the period's end are not counted. The default templates
// (with the indicator and ledger sentences) can be saved as they are.
func TestBriefingNewLedger(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		camp := loadDemo(t, db)
		ctx := context.Background()
		lsvc, l := newLampLedger(t, db, camp, "新台账", "路灯改造台账",
			ledger.LedgerField{Key: "cost", Label: "投资", Type: ledger.TypeAmountWan, Summed: true})
		at := func(day string) time.Time { return date.MustParse(day).Time().Add(2 * time.Hour) }
		if _, err := lsvc.Bulk(ctx, l.ID, []ledger.BulkRow{
			{Values: map[string]any{"road": "解放路", "kind": "LED", "lamps": 120.0, "cost": 35.5}, At: at("2022-04-01")},
			{Values: map[string]any{"road": "南大街", "kind": "太阳能", "lamps": 80.0, "cost": 20.0}, At: at("2022-05-01")},
			{Values: map[string]any{"road": "北马路", "kind": "LED", "lamps": 50.0, "cost": 10.0}, At: at("2022-10-01")},
		}); err != nil {
			t.Fatal(err)
		}
		s := briefing.New(db)
		b := generate(t, s, camp, "2022-09-30", "")
		checkSums(t, b)
		want := "路灯改造台账：共登记2条，路灯合计200盏，投资合计55.5万元，其中LED1条、太阳能1条。"
		if got := text(b); !strings.Contains(got, want) || !strings.Contains(got, "、工作台账\n") {
			t.Errorf("briefing lacks %q:\n%s", want, got)
		}
		key := fmt.Sprintf("ledgers.%d.lamps", l.ID) // a code a placeholder cannot spell: the ledger's id
		f := figureMap(b)[key]
		if f.Value != 200 || len(f.Source.Records) != 2 || f.Source.Records[0].Kind != "ledger_row" {
			t.Errorf("%s = %+v", key, f)
		}
		if f := figureMap(b)[fmt.Sprintf("ledgers.%d.kind.1.cost", l.ID)]; f.Value != 35.5 || f.Text != "35.5万元" {
			t.Errorf("LED cost = %+v", f)
		}

		for _, lang := range []string{"zh", "en"} {
			if _, err := s.SetTemplates(ctx, camp, lang, 0, briefing.DefaultSentences(lang)); err != nil {
				t.Errorf("saving the default %s templates: %v", lang, err)
			}
		}
	})
}

// A figure of more records than a briefing keeps: its value, count and
// sentence come from every row, the briefing lists the first
// briefing.MaxRecords records in row order, and the stored briefing (and
// its xlsx, whose 记录数 is the full count) says the same.
func TestBriefingManyRecords(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		camp := loadDemo(t, db)
		ctx := context.Background()
		lsvc, l := newLampLedger(t, db, camp, "LDGZ", "路灯台账")
		// Roads 路1 … 路150 with k lamps each: LED on the first 120, solar on the last 30.
		var rows []ledger.BulkRow
		for k := 1; k <= 150; k++ {
			kind := "LED"
			if k > 120 {
				kind = "太阳能"
			}
			rows = append(rows, ledger.BulkRow{Values: map[string]any{"road": fmt.Sprintf("路%d", k), "kind": kind, "lamps": float64(k)},
				At: date.MustParse("2022-04-01").Time().Add(time.Duration(k) * time.Minute)})
		}
		if _, err := lsvc.Bulk(ctx, l.ID, rows); err != nil {
			t.Fatal(err)
		}
		s := briefing.New(db)
		b := generate(t, s, camp, "2022-09-30", "")
		checkSums(t, b)
		// 1+…+150 = 11325 lamps, of which 1+…+120 = 7260 LED and 4065 solar.
		want := "路灯台账：共登记150条，路灯合计11325盏，其中LED120条、太阳能30条。"
		if got := text(b); !strings.Contains(got, want) {
			t.Errorf("briefing lacks %q:\n%s", want, got)
		}
		stored, err := s.Get(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []struct {
			key          string
			value        float64
			count, first int // records and the lamps of the first one listed
			listedSum    float64
		}{
			{"ledgers.LDGZ.count", 150, 150, 1, 100},
			{"ledgers.LDGZ.lamps", 11325, 150, 1, 5050}, // 1+…+100 listed
			{"ledgers.LDGZ.kind.1", 120, 120, 1, 100},
			{"ledgers.LDGZ.kind.1.lamps", 7260, 120, 1, 5050},
			{"ledgers.LDGZ.kind.2", 30, 30, 121, 30},
			{"ledgers.LDGZ.kind.2.lamps", 4065, 30, 121, 4065}, // all listed
		} {
			for _, f := range []briefing.BriefingFigure{figureMap(b)[w.key], figureMap(stored)[w.key]} {
				recs := f.Source.Records
				var sum float64
				for _, r := range recs {
					sum += r.Value
				}
				if f.Value != w.value || f.Source.Count != w.count || len(recs) != min(w.count, briefing.MaxRecords) ||
					recs[0].Name != fmt.Sprintf("路%d", w.first) || sum != w.listedSum {
					t.Errorf("%s = %g from %d records, %d listed from %s summing to %g; want %g from %d, listed from 路%d summing to %g",
						w.key, f.Value, f.Source.Count, len(recs), recs[0].Name, sum, w.value, w.count, w.first, w.listedSum)
				}
			}
		}
		f, err := s.BriefingFigure(ctx, b.ID, "ledgers.LDGZ.count")
		if err != nil || f.Source.Count != 150 || len(f.Source.Records) != briefing.MaxRecords || f.Source.Records[99].Name != "路100" {
			t.Errorf("figure of the stored briefing: %+v, %v", f.Source, err)
		}
		// The xlsx's 记录数 (sixth column) is the whole count.
		var buf bytes.Buffer
		if err := briefing.WriteXLSX(stored, &buf); err != nil {
			t.Fatal(err)
		}
		book, err := xlsx.Open(&buf, xlsx.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		defer book.Close()
		found := false
		if err := book.Rows(book.Sheets()[0], func(_ int, cells []string) error {
			if len(cells) > 5 && strings.HasSuffix(cells[1], "(ledgers.LDGZ.count)") {
				found = true
				if cells[5] != "150" {
					t.Errorf("xlsx: %s has %s records, want 150", cells[1], cells[5])
				}
			}
			return nil
		}); err != nil || !found {
			t.Errorf("xlsx: no row of ledgers.LDGZ.count (%v)", err)
		}
	})
}

// A ledger's figures read only the values they need from each row, as
// encoding/json would decode them: a number or a string holding one is
// summed (negative and large ones exactly, amounts in yuan), an empty,
// non-numeric, true, null or object value is not; a choice spelled with
// escapes is its option; a key repeated in a row counts once, its last
// value. Such values are written straight into the rows' JSON (a value
// kept from before a type change, or written by another tool).
func TestBriefingLedgerValues(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		camp := loadDemo(t, db)
		ctx := context.Background()
		lsvc, l := newLampLedger(t, db, camp, "ZFLD", "路灯值台账",
			ledger.LedgerField{Key: "cost", Label: "投资", Type: ledger.TypeAmountWan, Summed: true})
		values := []string{
			`{"road":"路1","kind":"LED","lamps":120,"cost":355000}`,
			`{"road":"路2","kind":"LED","lamps":-30,"cost":-10000}`,
			`{"road":"路3","kind":"太阳能","lamps":123456789.1234,"cost":123456789012}`,
			`{"road":"路4","kind":"LED","lamps":""}`,
			`{"road":"路5","kind":"LED","lamps":"abc","cost":"12万"}`,
			`{"road":"路6","kind":"太阳能","lamps":" 12.5 ","cost":"50000"}`,
			`{"road":"路7","kind":"LED","lamps":null,"cost":null}`,
			`{"road":"路8","lamps":true,"note":{"a":[1,"]}"]}}`,
			`{ "road" : "路9" , "kind" : "\u004cED" , "lamps" : {"n":5} }`,
			`{"road":"\u8def10","kind":"LED","lamps":1e3}`,
			`{"road":"路11","kind":"太阳能","lamps":5,"lamps":7}`,
		}
		var rows []ledger.BulkRow
		for k := range values {
			rows = append(rows, ledger.BulkRow{Values: map[string]any{"road": fmt.Sprintf("路%d", k+1), "kind": "LED", "lamps": 1.0},
				At: date.MustParse("2022-04-01").Time().Add(time.Duration(k) * time.Minute)})
		}
		if _, err := lsvc.Bulk(ctx, l.ID, rows); err != nil {
			t.Fatal(err)
		}
		if err := db.Tx(ctx, func(q store.Querier) error {
			for k, v := range values {
				if _, err := q.Exec(ctx, `UPDATE ledger_row_revisions SET values_json = ? WHERE ledger_id = ? AND row_id =
					(SELECT id FROM ledger_rows WHERE ledger_id = ? AND row_key = ?)`, v, l.ID, l.ID, fmt.Sprintf("路%d", k+1)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		b := generate(t, briefing.New(db), camp, "2022-09-30", "")
		checkSums(t, b)
		figs := figureMap(b)
		for _, w := range []struct {
			key   string
			value float64
			roads string // the records' names, in row order
		}{
			{"ledgers.ZFLD.count", 11, "路1 路2 路3 路4 路5 路6 路7 路8 路9 路10 路11"},
			// 120 − 30 + 123456789.1234 + 12.5 + 1000 + 7
			{"ledgers.ZFLD.lamps", 123457898.6234, "路1 路2 路3 路6 路10 路11"},
			// 355000 − 10000 + 123456789012 + 50000 yuan
			{"ledgers.ZFLD.cost", 12345718.4012, "路1 路2 路3 路6"},
			{"ledgers.ZFLD.kind.1", 7, "路1 路2 路4 路5 路7 路9 路10"},
			{"ledgers.ZFLD.kind.1.lamps", 1090, "路1 路2 路10"},
			{"ledgers.ZFLD.kind.1.cost", 34.5, "路1 路2"},
			{"ledgers.ZFLD.kind.2", 3, "路3 路6 路11"},
			{"ledgers.ZFLD.kind.2.lamps", 123456808.6234, "路3 路6 路11"},
			{"ledgers.ZFLD.kind.2.cost", 12345683.9012, "路3 路6"},
		} {
			f := figs[w.key]
			var names []string
			for _, r := range f.Source.Records {
				names = append(names, r.Name)
			}
			if f.Value != w.value || strings.Join(names, " ") != w.roads || f.Source.Count != len(names) {
				t.Errorf("%s = %v (count %d) from %v; want %v from %s", w.key, f.Value, f.Source.Count, names, w.value, w.roads)
			}
		}
		if r := figs["ledgers.ZFLD.lamps"].Source.Records; len(r) == 6 && (r[1].Value != -30 || r[2].Value != 123456789.1234 || r[3].Value != 12.5) {
			t.Errorf("lamps records: %+v", r)
		}
	})
}
