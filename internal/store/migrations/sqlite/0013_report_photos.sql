-- Site photos of a report, and e-mail addresses for reminders and case
-- notifications. A photo belongs to an item's report for a period (it may be
-- uploaded before the draft is first saved); a removed photo is only marked
-- deleted, so the report revisions that listed it still show it.
CREATE TABLE report_photos (
	id INTEGER PRIMARY KEY,
	item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	period TEXT NOT NULL,
	file_name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	content BLOB NOT NULL,
	caption TEXT NOT NULL DEFAULT '',
	captured_at DATETIME,
	lat DOUBLE PRECISION,
	lon DOUBLE PRECISION,
	uploaded_by BIGINT REFERENCES users(id),
	created_at DATETIME NOT NULL,
	deleted_at DATETIME
);
CREATE INDEX report_photos_report ON report_photos(item_id, period, id);

-- A person's e-mail address; a unit's contacts are its persons who have one.
ALTER TABLE persons ADD COLUMN email TEXT NOT NULL DEFAULT '';

-- A notification meant for one person (an escalated case's leader) as well as a unit.
ALTER TABLE notifications ADD COLUMN person_id BIGINT REFERENCES persons(id);

-- Whom an e-mail delivery went to.
ALTER TABLE deliveries ADD COLUMN recipients TEXT NOT NULL DEFAULT '';
