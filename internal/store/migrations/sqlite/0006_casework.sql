-- Casework (督办): cases of every type, one task per assigned unit (one lead
-- unit, or several in parallel 并联), the timeline of every transition, deadline
-- extensions that keep the original deadline, and attachments stored in the
-- database. enterprise_id is a plain column: the enterprises table comes later.
CREATE TABLE cases (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	type TEXT NOT NULL,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	priority TEXT NOT NULL DEFAULT 'normal',
	source_kind TEXT NOT NULL DEFAULT '',
	source_id BIGINT NOT NULL DEFAULT 0,
	item_id BIGINT REFERENCES items(id) ON DELETE SET NULL,
	enterprise_id BIGINT,
	requester_person_id BIGINT REFERENCES persons(id),
	requester_user_id BIGINT REFERENCES users(id),
	requester_unit_id BIGINT REFERENCES units(id),
	deadline DATE NOT NULL,
	original_deadline DATE NOT NULL,
	state TEXT NOT NULL DEFAULT 'open',
	escalated_to BIGINT REFERENCES persons(id),
	escalated_at DATETIME,
	resolved_at DATETIME,
	closed_at DATETIME,
	reopen_count INTEGER NOT NULL DEFAULT 0,
	rating INTEGER,
	external_ref TEXT UNIQUE,
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	CHECK (state IN ('open', 'in_progress', 'resolved', 'closed')),
	CHECK (rating IS NULL OR rating BETWEEN 1 AND 5)
);
CREATE INDEX cases_state_deadline ON cases(state, deadline);
CREATE INDEX cases_item ON cases(item_id);
CREATE INDEX cases_escalated ON cases(escalated_to);
CREATE INDEX cases_created ON cases(created_at);
CREATE INDEX cases_requester_unit ON cases(requester_unit_id);
CREATE INDEX cases_type ON cases(type, created_at);

CREATE TABLE case_tasks (
	id INTEGER PRIMARY KEY,
	case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	unit_id BIGINT NOT NULL REFERENCES units(id),
	role TEXT NOT NULL DEFAULT 'lead',
	due DATE NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending',
	answer TEXT NOT NULL DEFAULT '',
	accepted_at DATETIME,
	answered_at DATETIME,
	answered_by BIGINT REFERENCES users(id),
	created_at DATETIME NOT NULL,
	UNIQUE (case_id, unit_id),
	CHECK (state IN ('pending', 'accepted', 'answered'))
);
CREATE INDEX case_tasks_unit ON case_tasks(unit_id, state);

CREATE TABLE case_events (
	id INTEGER PRIMARY KEY,
	case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	at DATETIME NOT NULL,
	user_id BIGINT REFERENCES users(id),
	actor TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	from_state TEXT NOT NULL DEFAULT '',
	to_state TEXT NOT NULL DEFAULT '',
	unit_id BIGINT REFERENCES units(id),
	note TEXT NOT NULL DEFAULT '',
	rating INTEGER
);
CREATE INDEX case_events_case ON case_events(case_id, at);
CREATE INDEX case_events_rating ON case_events(action, at);

CREATE TABLE case_extensions (
	id INTEGER PRIMARY KEY,
	case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	old_deadline DATE NOT NULL,
	new_deadline DATE NOT NULL,
	reason TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'requested',
	requested_by BIGINT REFERENCES users(id),
	requested_at DATETIME NOT NULL,
	decided_by BIGINT REFERENCES users(id),
	decided_at DATETIME,
	decision_note TEXT NOT NULL DEFAULT '',
	CHECK (state IN ('requested', 'approved', 'rejected'))
);
CREATE INDEX case_extensions_case ON case_extensions(case_id);
CREATE UNIQUE INDEX case_extensions_open ON case_extensions(case_id) WHERE state = 'requested';

CREATE TABLE case_attachments (
	id INTEGER PRIMARY KEY,
	case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	file_name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	content BLOB NOT NULL,
	uploaded_by BIGINT REFERENCES users(id),
	created_at DATETIME NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments(case_id);
