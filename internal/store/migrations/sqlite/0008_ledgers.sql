-- Ledgers (台账): registers defined by a supervisor. A ledger's fields live
-- in fields_json (removed fields stay there, archived); every change of the
-- definition is kept in ledger_definitions. Rows keep their values in
-- values_json; every add, edit and delete appends a revision whose
-- valid_from/valid_to say when it was the row's content, so figures can be
-- answered as of any past day.
CREATE TABLE ledgers (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	owner_unit_id BIGINT NOT NULL REFERENCES units(id),
	description TEXT NOT NULL DEFAULT '',
	fields_json TEXT NOT NULL,
	key_field TEXT NOT NULL DEFAULT '',
	date_field TEXT NOT NULL DEFAULT '',
	revision INTEGER NOT NULL DEFAULT 1,
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL
);
CREATE INDEX ledgers_owner ON ledgers(owner_unit_id);

CREATE TABLE ledger_definitions (
	ledger_id BIGINT NOT NULL REFERENCES ledgers(id) ON DELETE CASCADE,
	revision INTEGER NOT NULL,
	fields_json TEXT NOT NULL,
	key_field TEXT NOT NULL DEFAULT '',
	date_field TEXT NOT NULL DEFAULT '',
	at DATETIME NOT NULL,
	username TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (ledger_id, revision)
);

CREATE TABLE ledger_rows (
	id INTEGER PRIMARY KEY,
	ledger_id BIGINT NOT NULL REFERENCES ledgers(id) ON DELETE CASCADE,
	row_key TEXT NOT NULL DEFAULT '',
	period TEXT NOT NULL DEFAULT '',
	values_json TEXT NOT NULL,
	revision INTEGER NOT NULL DEFAULT 1,
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	deleted_at DATETIME
);
CREATE INDEX ledger_rows_ledger ON ledger_rows(ledger_id, deleted_at, period);
-- A row key (the definition's key field) names at most one live row.
CREATE UNIQUE INDEX ledger_rows_key ON ledger_rows(ledger_id, row_key) WHERE deleted_at IS NULL AND row_key <> '';

CREATE TABLE ledger_row_revisions (
	id INTEGER PRIMARY KEY,
	row_id BIGINT NOT NULL REFERENCES ledger_rows(id) ON DELETE CASCADE,
	ledger_id BIGINT NOT NULL REFERENCES ledgers(id) ON DELETE CASCADE,
	revision INTEGER NOT NULL,
	period TEXT NOT NULL DEFAULT '',
	values_json TEXT NOT NULL,
	deleted BOOLEAN NOT NULL DEFAULT FALSE,
	valid_from DATETIME NOT NULL,
	valid_to DATETIME,
	user_id BIGINT,
	username TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_row_revisions_ledger ON ledger_row_revisions(ledger_id, valid_from);
CREATE INDEX ledger_row_revisions_row ON ledger_row_revisions(row_id, revision);

-- A target whose actual is a ledger figure: a count, a sum of a field, or the
-- share (in %) of rows matching a filter, optionally over filtered rows.
CREATE TABLE ledger_target_links (
	id INTEGER PRIMARY KEY,
	ledger_id BIGINT NOT NULL REFERENCES ledgers(id) ON DELETE CASCADE,
	target_id BIGINT NOT NULL UNIQUE REFERENCES targets(id) ON DELETE CASCADE,
	measure TEXT NOT NULL,
	field TEXT NOT NULL DEFAULT '',
	filter_field TEXT NOT NULL DEFAULT '',
	filter_value TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	CHECK (measure IN ('count', 'sum', 'share'))
);
CREATE INDEX ledger_target_links_ledger ON ledger_target_links(ledger_id);
