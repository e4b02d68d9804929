package gen

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gongjian/internal/date"
	"gongjian/internal/ledger"
	"gongjian/internal/store"
)

// LedgerStats says what GenerateLedgers made.
type LedgerStats struct {
	Ledgers, Rows, Revisions int
	IDs                      []int64
	Elapsed                  time.Duration
}

// RowsWritten is the number of rows written.
func (s LedgerStats) RowsWritten() int { return 2*s.Ledgers + s.Rows + s.Revisions }

type genLedger struct {
	code, name, owner, keyPrefix string
	fields                       []ledger.LedgerField
}

func choice(key, label string, opts ...string) ledger.LedgerField {
	return ledger.LedgerField{Key: key, Label: label, Type: ledger.TypeChoice, Options: opts, Counted: true}
}

func num(key, label, typ, unit string) ledger.LedgerField {
	return ledger.LedgerField{Key: key, Label: label, Type: typ, Unit: unit, Summed: true}
}

var (
	fName   = ledger.LedgerField{Key: "name", Label: "名称", Type: ledger.TypeText, Required: true}
	fStreet = ledger.LedgerField{Key: "street", Label: "所在街道", Type: ledger.TypeUnit, Counted: true}
	fDate   = ledger.LedgerField{Key: "date", Label: "日期", Type: ledger.TypeDate}
	fZone   = ledger.LedgerField{Key: "zone", Label: "所在片区", Type: ledger.TypeZone, Counted: true}
)

// genLedgers are the long-tail registers of the seeds (PRODUCT.md).
var genLedgers = []genLedger{
	{"TZ01", "闲置厂房盘活台账", "工业和信息化局", "厂房", []ledger.LedgerField{fName, fStreet, num("area", "面积", ledger.TypeArea, "亩"),
		choice("state", "盘活状态", "闲置", "盘活中", "已盘活"), fDate}},
	{"TZ02", "人才台账", "人力资源和社会保障局", "人才", []ledger.LedgerField{fName, choice("level", "人才层次", "国家级", "省级", "市级", "区级", "高校毕业生"),
		fStreet, fDate}},
	{"TZ03", "人才公寓台账", "住房和城乡建设局", "公寓", []ledger.LedgerField{fName, fStreet, num("units", "套数", ledger.TypeNumber, "套"),
		choice("state", "状态", "已入住", "待分配", "装修中"), fDate}},
	{"TZ04", "停车泊位台账", "城市管理局", "泊位", []ledger.LedgerField{fName, fZone, num("spaces", "泊位数", ledger.TypeNumber, "个"),
		choice("kind", "类型", "免费", "共享", "收费"), fDate}},
	{"TZ05", "违法建设拆除台账", "城市管理局", "违建", []ledger.LedgerField{fName, fStreet, num("area", "拆除面积", ledger.TypeArea, "m²"),
		choice("kind", "类型", "住宅", "商业", "工业", "其他"), fDate}},
	{"TZ06", "农贸市场提升台账", "商务局", "市场", []ledger.LedgerField{fName, fStreet, choice("star", "星级", "一星", "二星", "三星", "四星"),
		num("invest", "投资", ledger.TypeAmountWan, ""), fDate}},
	{"TZ07", "口袋公园台账", "住房和城乡建设局", "公园", []ledger.LedgerField{fName, fZone, num("area", "面积", ledger.TypeArea, "m²"),
		choice("state", "状态", "规划", "在建", "建成"), fDate}},
	{"TZ08", "税源线索台账", "税务局", "线索", []ledger.LedgerField{fName, fStreet, choice("dept", "共享部门", "市场监管局", "住建局", "自然资源局", "人社局"),
		num("tax", "预计税收", ledger.TypeAmountWan, ""), choice("state", "跟进状态", "待核实", "跟进中", "已入库"), fDate}},
	{"TZ09", "垃圾桶网格责任台账", "城市管理局", "点位", []ledger.LedgerField{fName, fZone, num("bins", "桶数", ledger.TypeNumber, "个"),
		choice("state", "清运状态", "正常", "满溢待清", "已清运"), fDate}},
	{"TZ10", "银企合作协议台账", "金融服务中心", "协议", []ledger.LedgerField{fName, choice("bank", "合作银行", "工商银行", "农业银行", "中国银行", "建设银行", "农商银行"),
		num("credit", "授信额度", ledger.TypeAmountWan, ""), fDate}},
}

// GenerateLedgers writes `ledgers` ledgers (台账) of `rows` rows each for a
// district written by Generate, in one transaction: each with its definition
// (revision 1), owned by the bureau that keeps such a register, rows keyed by
// name, dated within the campaign year up to its "today", each with its first
// revision so that figures as of any day answer. Codes carry the district's
// prefix (GEN1-TZ01 …).
func GenerateLedgers(ctx context.Context, db *store.DB, st Stats, ledgers, rows int, seed uint64) (LedgerStats, error) {
	start := time.Now()
	var ls LedgerStats
	if ledgers < 0 || ledgers > 1000 || rows < 0 || rows > 10_000_000 {
		return ls, fmt.Errorf("台账数 %d 或行数 %d 超出范围", ledgers, rows)
	}
	err := db.Tx(ctx, func(q store.Querier) error {
		d, err := loadDistrict(ctx, q, st)
		if err != nil {
			return err
		}
		ls = LedgerStats{}
		return d.writeLedgers(ctx, q, ledgers, rows, rand.New(rand.NewPCG(seed, 0x1ed9e)), &ls)
	})
	if err == nil {
		err = analyze(ctx, db, "ledgers, ledger_definitions, ledger_rows, ledger_row_revisions")
	}
	ls.Elapsed = time.Since(start)
	if err != nil {
		return ls, fmt.Errorf("生成台账: %w", err)
	}
	return ls, nil
}

func (d *district) writeLedgers(ctx context.Context, q store.Querier, n, rows int, r *rand.Rand, ls *LedgerStats) error {
	now := time.Now().UTC().Truncate(time.Second)
	created := d.yearStart.Time().Add(9 * time.Hour).UTC()
	for k := range n {
		t := genLedgers[k%len(genLedgers)]
		code, name := d.st.Prefix+"-"+t.code, t.name
		if k >= len(genLedgers) {
			code, name = fmt.Sprintf("%s-%d", code, k/len(genLedgers)+1), fmt.Sprintf("%s（%d）", name, k/len(genLedgers)+1)
		}
		owner := d.units[0].id
		for _, u := range d.units {
			if u.name == t.owner {
				owner = u.id
			}
		}
		fj, _ := json.Marshal(t.fields)
		var id int64
		if err := q.QueryRow(ctx, `INSERT INTO ledgers (code, name, owner_unit_id, description, fields_json, key_field, date_field, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 'name', 'date', ?, ?) RETURNING id`, code, name, owner, "生成数据（gongjian gen），不是真实台账", string(fj), created, now).Scan(&id); err != nil {
			return fmt.Errorf("ledger %s: %w", code, err)
		}
		if _, err := q.Exec(ctx, `INSERT INTO ledger_definitions (ledger_id, revision, fields_json, key_field, date_field, at, username, note)
			VALUES (?, 1, ?, 'name', 'date', ?, 'system', '生成')`, id, string(fj), created); err != nil {
			return fmt.Errorf("ledger definition %s: %w", code, err)
		}
		ls.Ledgers++
		ls.IDs = append(ls.IDs, id)
		ins := newInserter(ctx, q, "ledger_rows", "ledger_id", "row_key", "period", "values_json", "created_at", "updated_at")
		for i := range rows {
			v := map[string]any{}
			for _, f := range t.fields {
				switch f.Type {
				case ledger.TypeText:
					v[f.Key] = fmt.Sprintf("%s%s%05d", d.st.Prefix, t.keyPrefix, i+1)
				case ledger.TypeUnit:
					v[f.Key] = pickOf(r, d.streets)
				case ledger.TypeZone:
					if len(d.zones) > 0 {
						v[f.Key] = pickOf(r, d.zones)
					}
				case ledger.TypeChoice:
					v[f.Key] = pickOf(r, f.Options)
				case ledger.TypeNumber:
					v[f.Key] = float64(1 + r.IntN(200))
				case ledger.TypeArea:
					v[f.Key] = math.Round((1+r.Float64()*999)*100) / 100
				case ledger.TypeAmountWan:
					v[f.Key] = int64(10+r.IntN(5000)) * 10000 // stored as yuan
				case ledger.TypeDate:
					// Dated within the year up to its "today".
					v[f.Key] = date.Of(moment(r, d.yearStart, d.asOf)).String()
				}
			}
			at := moment(r, d.yearStart, d.asOf)
			period := v["date"].(string)[:7]
			vj, _ := json.Marshal(v)
			if err := ins.add(id, v["name"], period, string(vj), at, at); err != nil {
				return err
			}
		}
		if err := ins.flush(); err != nil {
			return err
		}
		ls.Rows += ins.total
		res, err := q.Exec(ctx, `INSERT INTO ledger_row_revisions (row_id, ledger_id, revision, period, values_json, deleted, valid_from, username)
			SELECT id, ledger_id, 1, period, values_json, FALSE, created_at, 'system' FROM ledger_rows WHERE ledger_id = ?`, id)
		if err != nil {
			return fmt.Errorf("ledger row revisions: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil {
			ls.Revisions += int(n)
		}
	}
	return nil
}
