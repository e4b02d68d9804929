-- Progress reporting: periodic reports per item, their revisions, the actual
-- values they carry (append-only, so any past date can be replayed), light
-- overrides, and the campaign's reporting and light rules.
ALTER TABLE campaigns ADD COLUMN report_due_days INTEGER NOT NULL DEFAULT 5;
ALTER TABLE campaigns ADD COLUMN light_rules TEXT NOT NULL DEFAULT '';
ALTER TABLE milestones ADD COLUMN actual_recorded_at DATETIME;

CREATE TABLE reports (
	id INTEGER PRIMARY KEY,
	item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	period TEXT NOT NULL,
	period_end DATE NOT NULL,
	due_date DATE NOT NULL,
	state TEXT NOT NULL DEFAULT 'draft',
	narrative TEXT NOT NULL DEFAULT '',
	problems TEXT NOT NULL DEFAULT '',
	next_steps TEXT NOT NULL DEFAULT '',
	investment_completed BIGINT,
	milestones_json TEXT NOT NULL DEFAULT '',
	late BOOLEAN NOT NULL DEFAULT FALSE,
	submitted_at DATETIME,
	submitted_by BIGINT REFERENCES users(id),
	reviewed_at DATETIME,
	reviewed_by BIGINT REFERENCES users(id),
	return_reason TEXT NOT NULL DEFAULT '',
	revision INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	UNIQUE (item_id, period)
);
CREATE INDEX reports_period ON reports(period, state);

CREATE TABLE report_values (
	report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
	target_id BIGINT NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
	value DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (report_id, target_id)
);

-- One row per state change or edit of a report, with the whole report as JSON.
CREATE TABLE report_revisions (
	id INTEGER PRIMARY KEY,
	report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
	revision INTEGER NOT NULL,
	state TEXT NOT NULL,
	at DATETIME NOT NULL,
	user_id BIGINT,
	username TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	snapshot TEXT NOT NULL
);
CREATE INDEX report_revisions_report ON report_revisions(report_id);

-- Actual values as submitted, never updated: the value of a target as of a
-- date is the latest row recorded on or before it.
CREATE TABLE target_actuals (
	id INTEGER PRIMARY KEY,
	target_id BIGINT NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
	item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	report_id BIGINT REFERENCES reports(id) ON DELETE SET NULL,
	period TEXT NOT NULL,
	value DOUBLE PRECISION NOT NULL,
	recorded_at DATETIME NOT NULL
);
CREATE INDEX target_actuals_target ON target_actuals(target_id, recorded_at);
CREATE INDEX target_actuals_item ON target_actuals(item_id, recorded_at);

-- Investment completed this year (cumulative, yuan), as submitted.
CREATE TABLE investment_actuals (
	id INTEGER PRIMARY KEY,
	item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	report_id BIGINT REFERENCES reports(id) ON DELETE SET NULL,
	period TEXT NOT NULL,
	amount BIGINT NOT NULL,
	recorded_at DATETIME NOT NULL
);
CREATE INDEX investment_actuals_item ON investment_actuals(item_id, recorded_at);

CREATE TABLE light_overrides (
	id INTEGER PRIMARY KEY,
	item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	light TEXT NOT NULL,
	reason TEXT NOT NULL,
	user_id BIGINT,
	username TEXT NOT NULL DEFAULT '',
	set_at DATETIME NOT NULL,
	cleared_at DATETIME
);
CREATE INDEX light_overrides_item ON light_overrides(item_id, set_at);
