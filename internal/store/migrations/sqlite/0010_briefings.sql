-- Briefings (简报/通报): generated from the data as of their period's end,
-- with their figures and provenance; edits to the wording are revisions;
-- a published briefing is frozen. Templates and league-table rules are set
-- per campaign by the supervisor.
CREATE TABLE briefing_templates (
	id INTEGER PRIMARY KEY,
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	lang TEXT NOT NULL,
	sentences TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	updated_at DATETIME NOT NULL,
	UNIQUE (campaign_id, lang)
);

CREATE TABLE briefings (
	id INTEGER PRIMARY KEY,
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	period TEXT NOT NULL,
	start_date DATE NOT NULL,
	as_of DATE NOT NULL,
	zone_id BIGINT REFERENCES zones(id),
	unit_id BIGINT REFERENCES units(id),
	lang TEXT NOT NULL,
	title TEXT NOT NULL,
	issue_no INTEGER NOT NULL,
	issuer TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL DEFAULT 'draft',
	content TEXT NOT NULL,
	revision INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1,
	created_by BIGINT REFERENCES users(id),
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	published_at DATETIME,
	published_by BIGINT REFERENCES users(id)
);
CREATE INDEX briefings_campaign ON briefings(campaign_id, as_of, id);
CREATE INDEX briefings_state ON briefings(state, campaign_id);

-- Every generation, wording edit and publication, with the whole content as JSON.
CREATE TABLE briefing_revisions (
	id INTEGER PRIMARY KEY,
	briefing_id BIGINT NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
	revision INTEGER NOT NULL,
	action TEXT NOT NULL,
	at DATETIME NOT NULL,
	user_id BIGINT,
	username TEXT NOT NULL DEFAULT '',
	content TEXT NOT NULL
);
CREATE INDEX briefing_revisions_briefing ON briefing_revisions(briefing_id, revision);

CREATE TABLE league_rules (
	campaign_id BIGINT PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
	rules TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	updated_at DATETIME NOT NULL
);
