-- Reminders: in-app notifications to a unit, outgoing webhooks of a
-- campaign, one delivery row per notification and webhook, and leases that
-- make a job run in one server process at a time.
CREATE TABLE notifications (
	id INTEGER PRIMARY KEY,
	unit_id BIGINT NOT NULL REFERENCES units(id),
	campaign_id BIGINT REFERENCES campaigns(id) ON DELETE CASCADE,
	item_id BIGINT REFERENCES items(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	link TEXT NOT NULL DEFAULT '',
	dedupe_key TEXT NOT NULL UNIQUE,
	created_at DATETIME NOT NULL,
	read_at DATETIME
);
CREATE INDEX notifications_unit ON notifications(unit_id, created_at);

CREATE TABLE webhooks (
	id INTEGER PRIMARY KEY,
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	url TEXT NOT NULL,
	format TEXT NOT NULL DEFAULT 'generic',
	enabled BOOLEAN NOT NULL DEFAULT TRUE,
	created_at DATETIME NOT NULL
);

CREATE TABLE deliveries (
	id INTEGER PRIMARY KEY,
	notification_id BIGINT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
	webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
	state TEXT NOT NULL DEFAULT 'pending',
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at DATETIME NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	sent_at DATETIME,
	UNIQUE (notification_id, webhook_id)
);
CREATE INDEX deliveries_pending ON deliveries(state, next_attempt_at);

CREATE TABLE job_leases (
	name TEXT PRIMARY KEY,
	holder TEXT NOT NULL,
	expires_at DATETIME NOT NULL
);
