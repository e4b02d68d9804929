package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Data versions: a counter per domain of data, raised by database triggers
// whenever a row of one of the domain's tables is written and committed. A
// read that depends on some domains may be answered from a cache kept under
// their versions: while none of them moved, nothing it read has changed.
//
// Triggers rather than calls in the services, because every write path —
// services, imports, the generator, a test's raw SQL, an operator's psql —
// then counts, and a forgotten bump cannot show stale figures. On SQLite the
// one writer makes a row trigger enough. On PostgreSQL a statement trigger
// only notes the domain in the transaction (a local setting) and Tx raises
// the noted counters just before COMMIT, in name order: taking the counter
// rows earlier, or in varying order, would let two writers deadlock on them.

// Domains of data. A cached read names the domains it depends on.
const (
	DomainOrg         = "org"         // units, persons, accounts: names, the unit tree that scopes a unit
	DomainProgress    = "progress"    // campaigns, zones, items and everything reported on them
	DomainCases       = "cases"       // casework
	DomainIndicators  = "indicators"  // regions, indicators, their values and league rules
	DomainLedgers     = "ledgers"     // ledgers, their rows and links to targets
	DomainEnterprises = "enterprises" // enterprises, visits, financing, leads
	DomainBriefings   = "briefings"   // templates and briefings
)

// tableDomains files every table of the schema under the domain whose
// version its writes raise; "" is for tables no cached read depends on
// (sessions, the audit trail, notification plumbing). Migrate refuses a
// table missing here, so a new table is filed before it can land.
var tableDomains = map[string]string{
	"units": DomainOrg, "persons": DomainOrg, "users": DomainOrg,

	"campaigns": DomainProgress, "zones": DomainProgress, "items": DomainProgress, "item_units": DomainProgress,
	"milestones": DomainProgress, "targets": DomainProgress, "reports": DomainProgress,
	"report_values": DomainProgress, "report_revisions": DomainProgress, "target_actuals": DomainProgress,
	"investment_actuals": DomainProgress, "light_overrides": DomainProgress, "deadline_extensions": DomainProgress,
	"target_plan_points": DomainProgress, "report_photos": DomainProgress,

	"cases": DomainCases, "case_tasks": DomainCases, "case_events": DomainCases, "case_extensions": DomainCases,
	"case_attachments": DomainCases,

	"regions": DomainIndicators, "indicators": DomainIndicators, "indicator_values": DomainIndicators,
	"indicator_targets": DomainIndicators, "league_rules": DomainIndicators,

	"ledgers": DomainLedgers, "ledger_definitions": DomainLedgers, "ledger_rows": DomainLedgers,
	"ledger_row_revisions": DomainLedgers, "ledger_target_links": DomainLedgers,

	"enterprises": DomainEnterprises, "enterprise_visits": DomainEnterprises, "visit_problems": DomainEnterprises,
	"financing_needs": DomainEnterprises, "investment_leads": DomainEnterprises,

	"briefing_templates": DomainBriefings, "briefings": DomainBriefings, "briefing_revisions": DomainBriefings,

	// Read by no cached answer. (A request's own account is checked afresh on
	// every request, and its role, unit and person are part of a cache key.)
	"api_tokens": "", "sessions": "", "audit_log": "", "notifications": "", "webhooks": "",
	"deliveries": "", "job_leases": "", "schema_migrations": "", "data_versions": "",
}

// Domains lists every domain, in name order.
func Domains() []string {
	set := map[string]bool{}
	for _, d := range tableDomains {
		if d != "" {
			set[d] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// Versions are the domains' counters at one moment.
type Versions map[string]int64

// Key renders the counters of the given domains for a cache key.
func (v Versions) Key(domains ...string) string {
	var b strings.Builder
	for i, d := range domains {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%d", d, v[d])
	}
	return b.String()
}

// Versions reads every domain's counter: one small query. Read it before the
// data it guards: an answer built afterwards is then at least as new as the
// versions say, never older.
func (db *DB) Versions(ctx context.Context) (Versions, error) {
	rows, err := db.Read().Query(ctx, `SELECT domain, version FROM data_versions`)
	if err != nil {
		return nil, fmt.Errorf("data versions: %w", err)
	}
	defer rows.Close()
	v := Versions{}
	for rows.Next() {
		var d string
		var n int64
		if err := rows.Scan(&d, &n); err != nil {
			return nil, fmt.Errorf("data versions: %w", err)
		}
		v[d] = n
	}
	return v, rows.Err()
}

// PostgreSQL: gj_touch notes the domain (TG_ARGV[0]) in the transaction when
// Tx runs it (gongjian.tx = on), and otherwise — a statement outside Tx,
// committed on its own — raises the counter at once; gj_bump raises the
// noted counters in name order, once each.
var pgVersionFunctions = []string{`CREATE OR REPLACE FUNCTION gj_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE t text;
BEGIN
	IF current_setting('gongjian.tx', true) = 'on' THEN
		t := coalesce(current_setting('gongjian.touched', true), '');
		IF position(',' || TG_ARGV[0] || ',' IN ',' || t) = 0 THEN
			PERFORM set_config('gongjian.touched', t || TG_ARGV[0] || ',', true);
		END IF;
	ELSE
		UPDATE data_versions SET version = version + 1 WHERE domain = TG_ARGV[0];
	END IF;
	RETURN NULL;
END $$`, `CREATE OR REPLACE FUNCTION gj_bump() RETURNS void LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
	FOR d IN SELECT DISTINCT x FROM unnest(string_to_array(coalesce(current_setting('gongjian.touched', true), ''), ',')) x
		WHERE x <> '' ORDER BY x LOOP
		UPDATE data_versions SET version = version + 1 WHERE domain = d;
	END LOOP;
	PERFORM set_config('gongjian.touched', '', true);
END $$`}

// ensureVersioning creates the counters and the triggers that raise them for
// every filed table that lacks one. Migrate runs it after the migrations, in
// their transaction, so a new table is covered as soon as it exists.
func (db *DB) ensureVersioning(ctx context.Context, q Querier) error {
	for _, d := range Domains() {
		if _, err := q.Exec(ctx, `INSERT INTO data_versions (domain, version) VALUES (?, 0) ON CONFLICT (domain) DO NOTHING`, d); err != nil {
			return fmt.Errorf("data version %s: %w", d, err)
		}
	}
	tables, err := strings1(ctx, q, db.tablesQuery())
	if err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	have, err := strings1(ctx, q, db.triggersQuery())
	if err != nil {
		return fmt.Errorf("list triggers: %w", err)
	}
	exists := map[string]bool{}
	for _, t := range have {
		exists[t] = true
	}
	if db.engine == Postgres {
		for _, f := range pgVersionFunctions {
			if _, err := q.Exec(ctx, f); err != nil {
				return fmt.Errorf("version functions: %w", err)
			}
		}
	}
	sort.Strings(tables)
	for _, t := range tables {
		d, ok := tableDomains[t]
		if !ok {
			// A programming error that every test meets: a cached read could
			// otherwise go stale on this table's writes.
			return fmt.Errorf("table %s has no data domain: file it in store.tableDomains", t)
		}
		if d == "" {
			continue
		}
		for name, stmt := range db.versionTriggers(t, d) {
			if exists[name] {
				continue
			}
			if _, err := q.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("trigger %s: %w", name, err)
			}
		}
	}
	return nil
}

func (db *DB) tablesQuery() string {
	if db.engine == SQLite {
		return `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	}
	return `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
}

func (db *DB) triggersQuery() string {
	if db.engine == SQLite {
		return `SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'gj_v_%'`
	}
	return `SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE c.relnamespace = current_schema()::regnamespace AND t.tgname LIKE 'gj_v_%'`
}

// versionTriggers are the triggers that raise domain d's counter on writes
// to table t, by name.
func (db *DB) versionTriggers(t, d string) map[string]string {
	if db.engine == Postgres {
		name := "gj_v_" + t
		return map[string]string{name: fmt.Sprintf(`CREATE TRIGGER %s AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s
			FOR EACH STATEMENT EXECUTE FUNCTION gj_touch('%s')`, name, ident(t), d)}
	}
	out := map[string]string{}
	for _, ev := range []string{"INSERT", "UPDATE", "DELETE"} {
		name := "gj_v_" + t + "_" + strings.ToLower(ev[:1])
		out[name] = fmt.Sprintf(`CREATE TRIGGER %s AFTER %s ON %s BEGIN UPDATE data_versions SET version = version + 1 WHERE domain = '%s'; END`,
			name, ev, ident(t), d)
	}
	return out
}
