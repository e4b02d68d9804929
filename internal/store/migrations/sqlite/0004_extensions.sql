-- Deadline extensions (延期申请): the lead unit of an item asks for a new date
-- for one of its milestones or targets, and a supervisor approves or rejects.
-- The date in force when it was asked for stays on the row (old_date), so the
-- original date can always be shown; on approval the milestone's planned_date
-- or the target's deadline moves to new_date, and decided_at tells as-of views
-- from when the new date is in force.
CREATE TABLE deadline_extensions (
	id INTEGER PRIMARY KEY,
	item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	milestone_id BIGINT REFERENCES milestones(id) ON DELETE CASCADE,
	target_id BIGINT REFERENCES targets(id) ON DELETE CASCADE,
	old_date DATE NOT NULL,
	new_date DATE NOT NULL,
	reason TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'requested',
	requested_by BIGINT REFERENCES users(id),
	requested_at DATETIME NOT NULL,
	decided_by BIGINT REFERENCES users(id),
	decided_at DATETIME,
	decision_note TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	CHECK ((milestone_id IS NULL) <> (target_id IS NULL)),
	CHECK (state IN ('requested', 'approved', 'rejected'))
);
CREATE INDEX deadline_extensions_item ON deadline_extensions(item_id, state, decided_at);
CREATE INDEX deadline_extensions_milestone ON deadline_extensions(milestone_id);
CREATE INDEX deadline_extensions_target ON deadline_extensions(target_id);
-- At most one open request per milestone and per target.
CREATE UNIQUE INDEX deadline_extensions_open_milestone ON deadline_extensions(milestone_id) WHERE state = 'requested';
CREATE UNIQUE INDEX deadline_extensions_open_target ON deadline_extensions(target_id) WHERE state = 'requested';
