-- Schema of the alliance database, version 2 (PRAGMA user_version).
-- Written once by `alliance import` into a new file; the server opens it read-only.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE editions (
	id          TEXT PRIMARY KEY,
	title       TEXT NOT NULL,
	valid_from  TEXT NOT NULL,
	description TEXT NOT NULL,
	caveats     TEXT NOT NULL, -- JSON array of strings
	note        TEXT NOT NULL  -- shown with every answer of the edition; may be empty
) WITHOUT ROWID;

-- One row per imported source file: what was read, when, and its checksum.
CREATE TABLE layers (
	edition     TEXT NOT NULL, -- '' for the country layer
	type        TEXT NOT NULL,
	source_file TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	features    INTEGER NOT NULL,
	imported_at TEXT NOT NULL,
	PRIMARY KEY (edition, type)
) WITHOUT ROWID;

CREATE TABLE areas (
	id       INTEGER PRIMARY KEY,
	edition  TEXT NOT NULL,
	type     TEXT NOT NULL,
	code     TEXT NOT NULL,
	name     TEXT NOT NULL,
	ods_code TEXT NOT NULL,
	parents  TEXT NOT NULL, -- JSON object: {"stp": "E54000009"}
	min_lon  REAL NOT NULL,
	min_lat  REAL NOT NULL,
	max_lon  REAL NOT NULL,
	max_lat  REAL NOT NULL,
	geometry BLOB NOT NULL, -- WKB MultiPolygon, WGS84 lon/lat
	UNIQUE (edition, type, code)
);
CREATE INDEX areas_code ON areas (code);

-- Every GB postcode of Code-Point Open, packed per postcode area (see postcodes.go): the server
-- loads them all at start-up into a sorted table in memory, so no row-per-postcode table is kept.
CREATE TABLE postcode_blocks (
	area TEXT PRIMARY KEY,
	rows INTEGER NOT NULL,
	data BLOB NOT NULL
) WITHOUT ROWID;

-- Which areas the small areas (LSOAs) of each district lie in, per edition and layer, from the
-- official lookups (see districts.go): a district with one row for a layer lies wholly in that
-- area, and its postcodes are answered by it.
CREATE TABLE district_areas (
	edition  TEXT NOT NULL,
	type     TEXT NOT NULL,
	district TEXT NOT NULL, -- GSS code of a local authority district: "E08000019"
	area     TEXT NOT NULL, -- the area's code in that edition's layer
	lsoas    INTEGER NOT NULL,
	PRIMARY KEY (edition, type, district, area)
) WITHOUT ROWID;

-- The districts the postcodes name, with their names.
CREATE TABLE districts (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL
) WITHOUT ROWID;

-- How many postcodes of each district lie in each area (by their answers: district first,
-- else location), per edition and layer: an area's councils and their shares.
CREATE TABLE area_districts (
	edition   TEXT NOT NULL,
	type      TEXT NOT NULL,
	area      TEXT NOT NULL,
	district  TEXT NOT NULL,
	postcodes INTEGER NOT NULL,
	PRIMARY KEY (edition, type, area, district)
) WITHOUT ROWID;

-- Organisations (optional; organisations.go): the alliances since April 2024, what became of
-- each 2021 alliance, and NHS trusts and their hospital sites as JSON documents.
CREATE TABLE alliances_2024 (
	code     TEXT PRIMARY KEY, -- ONS, E56…
	name     TEXT NOT NULL,
	ods_code TEXT NOT NULL UNIQUE
) WITHOUT ROWID;

CREATE TABLE successors (
	cal21  TEXT PRIMARY KEY,
	cal24  TEXT NOT NULL REFERENCES alliances_2024 (code),
	change TEXT NOT NULL CHECK (change IN ('same', 'renamed', 'recoded', 'merged'))
) WITHOUT ROWID;

CREATE TABLE organisations (
	ods_code TEXT PRIMARY KEY,
	kind     TEXT NOT NULL CHECK (kind IN ('trust', 'site')),
	data     TEXT NOT NULL -- JSON: the Organisation as the API serves it, without areas
) WITHOUT ROWID;

-- What the import noticed in the organisation data, and what it did about it.
CREATE TABLE quality (
	kind    TEXT NOT NULL,
	code    TEXT NOT NULL,
	message TEXT NOT NULL
);

-- Places to search for: the wards the postcodes name, at the centre of their postcodes.
CREATE TABLE places (
	code      TEXT PRIMARY KEY, -- GSS ward code
	name      TEXT NOT NULL,    -- without the code list's kind suffix ("Ward", "ED")
	district  TEXT NOT NULL,    -- the district most of its postcodes are in
	lat       REAL NOT NULL,
	lon       REAL NOT NULL,
	postcodes INTEGER NOT NULL
) WITHOUT ROWID;
