-- The core model: organisation, accounts, campaigns and their items, audit trail.
-- Amounts are whole yuan (BIGINT) so that sums are exact; the API speaks 万元.

CREATE TABLE units (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	parent_id BIGINT REFERENCES units(id),
	sort_order INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE persons (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	unit_id BIGINT REFERENCES units(id),
	phone TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL
);
CREATE INDEX persons_unit ON persons(unit_id);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL,
	role TEXT NOT NULL,
	unit_id BIGINT NOT NULL REFERENCES units(id),
	person_id BIGINT REFERENCES persons(id),
	must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
	disabled BOOLEAN NOT NULL DEFAULT FALSE,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until DATETIME,
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL
);

CREATE TABLE sessions (
	id TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at DATETIME NOT NULL,
	last_seen_at DATETIME NOT NULL,
	expires_at DATETIME NOT NULL,
	ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE campaigns (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	year INTEGER NOT NULL,
	start_date DATE NOT NULL,
	end_date DATE NOT NULL,
	cadence TEXT NOT NULL DEFAULT 'monthly',
	description TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL
);

CREATE TABLE zones (
	id INTEGER PRIMARY KEY,
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	kind TEXT NOT NULL DEFAULT 'zone',
	parent_id BIGINT REFERENCES zones(id),
	commander_id BIGINT REFERENCES persons(id),
	description TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	UNIQUE (campaign_id, code)
);

CREATE TABLE items (
	id INTEGER PRIMARY KEY,
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	type TEXT NOT NULL,
	level TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL DEFAULT 'in_progress',
	parent_id BIGINT REFERENCES items(id),
	zone_id BIGINT REFERENCES zones(id),
	leader_id BIGINT NOT NULL REFERENCES persons(id),
	lead_unit_id BIGINT NOT NULL REFERENCES units(id),
	work_plan TEXT NOT NULL DEFAULT '',
	total_investment BIGINT NOT NULL DEFAULT 0,
	annual_investment BIGINT NOT NULL DEFAULT 0,
	start_date DATE,
	end_date DATE,
	location TEXT NOT NULL DEFAULT '',
	illustrative BOOLEAN NOT NULL DEFAULT FALSE,
	note TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	UNIQUE (campaign_id, code)
);
CREATE INDEX items_parent ON items(parent_id);
CREATE INDEX items_zone ON items(zone_id);
CREATE INDEX items_leader ON items(leader_id);
CREATE INDEX items_lead_unit ON items(lead_unit_id);
CREATE INDEX items_campaign_type ON items(campaign_id, type);

CREATE TABLE item_units (
	item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	unit_id BIGINT NOT NULL REFERENCES units(id),
	PRIMARY KEY (item_id, unit_id)
);
CREATE INDEX item_units_unit ON item_units(unit_id);

CREATE TABLE milestones (
	id INTEGER PRIMARY KEY,
	item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL DEFAULT 'other',
	planned_date DATE NOT NULL,
	actual_date DATE,
	sort_order INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL
);
CREATE INDEX milestones_item ON milestones(item_id);

CREATE TABLE targets (
	id INTEGER PRIMARY KEY,
	item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	unit TEXT NOT NULL DEFAULT '',
	baseline DOUBLE PRECISION NOT NULL DEFAULT 0,
	target_value DOUBLE PRECISION NOT NULL,
	deadline DATE NOT NULL,
	direction TEXT NOT NULL DEFAULT 'higher',
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL
);
CREATE INDEX targets_item ON targets(item_id);

-- Every change, chained by hash: hash = sha256(prev_hash || canonical record).
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at DATETIME NOT NULL,
	user_id BIGINT,
	username TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id TEXT NOT NULL DEFAULT '',
	before_json TEXT NOT NULL DEFAULT '',
	after_json TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
