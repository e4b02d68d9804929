-- A counter per domain of data, raised by triggers on the domain's tables
-- (created by store.ensureVersioning from its table list, so that one list
-- decides). Cached reads are kept under these counters.
CREATE TABLE data_versions (
	domain TEXT PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
