-- Economic indicators (经济指标): a catalogue, the regions they are compared
-- across (the district itself, its peer districts and the city as a whole),
-- values per indicator, region and period with their revision history, and
-- annual targets (the district's own and the city's guidance target).
-- Values are stored as integers in ten-thousandths of the indicator's unit
-- (value_e4), so that equal figures compare equal and ties are exact.
CREATE TABLE regions (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL,
	sort_order INTEGER NOT NULL DEFAULT 0,
	illustrative BOOLEAN NOT NULL DEFAULT FALSE,
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	CHECK (kind IN ('self', 'peer', 'city'))
);
-- One district of our own and one city.
CREATE UNIQUE INDEX regions_one_self_city ON regions(kind) WHERE kind IN ('self', 'city');

CREATE TABLE indicators (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL UNIQUE,
	unit TEXT NOT NULL,
	frequency TEXT NOT NULL DEFAULT 'monthly',
	cumulative BOOLEAN NOT NULL DEFAULT TRUE,
	direction TEXT NOT NULL DEFAULT 'higher',
	rank_by TEXT NOT NULL DEFAULT 'value',
	city_ranked BOOLEAN NOT NULL DEFAULT TRUE,
	sort_order INTEGER NOT NULL DEFAULT 0,
	note TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	CHECK (frequency IN ('monthly', 'quarterly')),
	CHECK (direction IN ('higher', 'lower')),
	CHECK (rank_by IN ('value', 'growth'))
);
CREATE INDEX indicators_sort ON indicators(sort_order, code);

-- Values are appended, never updated: a correction is a new revision, and the
-- value as of a day is the latest revision recorded by the end of that day.
CREATE TABLE indicator_values (
	id INTEGER PRIMARY KEY,
	indicator_id BIGINT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
	region_id BIGINT NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
	period TEXT NOT NULL,
	value_e4 BIGINT NOT NULL,
	revision INTEGER NOT NULL,
	illustrative BOOLEAN NOT NULL DEFAULT FALSE,
	note TEXT NOT NULL DEFAULT '',
	recorded_by BIGINT REFERENCES users(id),
	recorded_at DATETIME NOT NULL,
	UNIQUE (indicator_id, region_id, period, revision)
);
CREATE INDEX indicator_values_period ON indicator_values(period, indicator_id, region_id, recorded_at);
CREATE INDEX indicator_values_region ON indicator_values(region_id);

CREATE TABLE indicator_targets (
	id INTEGER PRIMARY KEY,
	indicator_id BIGINT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
	year INTEGER NOT NULL,
	kind TEXT NOT NULL,
	measure TEXT NOT NULL,
	value_e4 BIGINT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	UNIQUE (indicator_id, year, kind),
	CHECK (kind IN ('district', 'city_guidance')),
	CHECK (measure IN ('value', 'growth'))
);
