-- Enterprises (企业), service visits (走访) and the problems raised on them,
-- financing needs (融资需求) and the investment pipeline (招商项目).
-- Amounts are whole yuan; the API speaks 万元.
CREATE TABLE enterprises (
	id INTEGER PRIMARY KEY,
	credit_code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	registered_capital BIGINT NOT NULL DEFAULT 0,
	industry TEXT NOT NULL DEFAULT '',
	street TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	white_list BOOLEAN NOT NULL DEFAULT FALSE,
	top500 TEXT NOT NULL DEFAULT '',
	above_scale BOOLEAN NOT NULL DEFAULT FALSE,
	commissioner_id BIGINT REFERENCES persons(id),
	finance_advisor_id BIGINT REFERENCES persons(id),
	illustrative BOOLEAN NOT NULL DEFAULT FALSE,
	note TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	CHECK (top500 IN ('', 'world', 'china', 'private'))
);
CREATE INDEX enterprises_name ON enterprises(name);
CREATE INDEX enterprises_street ON enterprises(street);
CREATE INDEX enterprises_commissioner ON enterprises(commissioner_id);
CREATE INDEX enterprises_finance_advisor ON enterprises(finance_advisor_id);
CREATE INDEX enterprises_flags ON enterprises(white_list, top500, above_scale);

CREATE TABLE enterprise_visits (
	id INTEGER PRIMARY KEY,
	enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
	visit_date DATE NOT NULL,
	visitor_id BIGINT NOT NULL REFERENCES persons(id),
	notes TEXT NOT NULL DEFAULT '',
	illustrative BOOLEAN NOT NULL DEFAULT FALSE,
	created_by BIGINT REFERENCES users(id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL
);
CREATE INDEX enterprise_visits_enterprise ON enterprise_visits(enterprise_id, visit_date);
CREATE INDEX enterprise_visits_visitor ON enterprise_visits(visitor_id, visit_date);
CREATE INDEX enterprise_visits_date ON enterprise_visits(visit_date);

-- A problem raised on a visit. It becomes a case (督办件) in the same step;
-- case_id links to it (and the case names the visit as its source). solved_on
-- is for problems kept without a case; with a case, closing the case solves it.
CREATE TABLE visit_problems (
	id INTEGER PRIMARY KEY,
	visit_id BIGINT NOT NULL REFERENCES enterprise_visits(id) ON DELETE CASCADE,
	enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	case_id BIGINT REFERENCES cases(id) ON DELETE SET NULL,
	solved_on DATE,
	created_at DATETIME NOT NULL
);
CREATE INDEX visit_problems_visit ON visit_problems(visit_id);
CREATE INDEX visit_problems_case ON visit_problems(case_id);

CREATE TABLE financing_needs (
	id INTEGER PRIMARY KEY,
	enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
	amount_requested BIGINT NOT NULL,
	purpose TEXT NOT NULL DEFAULT '',
	bank TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL DEFAULT 'new',
	amount_granted BIGINT NOT NULL DEFAULT 0,
	advisor_id BIGINT REFERENCES persons(id),
	requested_on DATE NOT NULL,
	matched_on DATE,
	decided_on DATE,
	decline_reason TEXT NOT NULL DEFAULT '',
	illustrative BOOLEAN NOT NULL DEFAULT FALSE,
	note TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	CHECK (state IN ('new', 'matched', 'granted', 'declined'))
);
CREATE INDEX financing_needs_enterprise ON financing_needs(enterprise_id);
CREATE INDEX financing_needs_state ON financing_needs(state, requested_on);
CREATE INDEX financing_needs_advisor ON financing_needs(advisor_id);

-- An investment lead moves negotiating → signed → registered → started →
-- operating, each stage with its date, or is dropped with a reason. When it
-- starts construction it becomes a key project (item_id).
CREATE TABLE investment_leads (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	investor TEXT NOT NULL,
	project TEXT NOT NULL,
	sector TEXT NOT NULL DEFAULT '',
	amount BIGINT NOT NULL DEFAULT 0,
	source TEXT NOT NULL DEFAULT '',
	owner_unit_id BIGINT NOT NULL REFERENCES units(id),
	top500 BOOLEAN NOT NULL DEFAULT FALSE,
	stage TEXT NOT NULL DEFAULT 'negotiating',
	negotiating_on DATE NOT NULL,
	signed_on DATE,
	registered_on DATE,
	started_on DATE,
	operating_on DATE,
	dropped_on DATE,
	dropped_from TEXT NOT NULL DEFAULT '',
	drop_reason TEXT NOT NULL DEFAULT '',
	stage_on DATE NOT NULL,
	enterprise_id BIGINT REFERENCES enterprises(id) ON DELETE SET NULL,
	item_id BIGINT REFERENCES items(id) ON DELETE SET NULL,
	illustrative BOOLEAN NOT NULL DEFAULT FALSE,
	note TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	CHECK (stage IN ('negotiating', 'signed', 'registered', 'started', 'operating', 'dropped'))
);
CREATE INDEX investment_leads_stage ON investment_leads(stage, stage_on);
CREATE INDEX investment_leads_sector ON investment_leads(sector);
CREATE INDEX investment_leads_owner ON investment_leads(owner_unit_id);
CREATE INDEX investment_leads_item ON investment_leads(item_id);
CREATE INDEX investment_leads_enterprise ON investment_leads(enterprise_id);
