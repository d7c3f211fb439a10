-- Projections: state derived from the events, updated in the same transaction as each
-- append, rebuilt exactly by `loupe replay`.
-- CHECKs spell out `a = x OR a = y` rather than `a IN (x, y, z)`: SQLite codes an IN list of
-- three or more as an ephemeral b-tree built on every INSERT, a third of a replay's time.
CREATE TABLE images (
    sha              TEXT PRIMARY KEY,
    name             TEXT    NOT NULL,
    width            INTEGER NOT NULL,
    height           INTEGER NOT NULL,
    channels         INTEGER NOT NULL,
    bytes            INTEGER NOT NULL,
    ingested_seq     INTEGER NOT NULL,
    state            TEXT    NOT NULL CHECK (state = 'pending' OR state = 'predicted' OR state = 'corrected'),
    prediction_seq   INTEGER,
    prediction_model TEXT,
    prediction_mask  TEXT,
    uncertainty      REAL,
    vessel_fraction  REAL,
    correction_seq   INTEGER,
    correction_mask  TEXT,
    annotator        TEXT
);
CREATE INDEX images_name ON images (name);
CREATE INDEX images_state ON images (state, uncertainty);

CREATE TABLE runs (
    run         INTEGER PRIMARY KEY,
    started_seq INTEGER NOT NULL,
    up_to_seq   INTEGER NOT NULL,
    status      TEXT    NOT NULL CHECK (status = 'running' OR status = 'trained' OR status = 'failed' OR status = 'aborted'),
    model       TEXT,
    ended_seq   INTEGER,
    reason      TEXT
);

CREATE TABLE models (
    sha             TEXT PRIMARY KEY,
    run             INTEGER NOT NULL,
    trained_seq     INTEGER NOT NULL,
    epochs          INTEGER NOT NULL,
    validation_dice REAL,
    status          TEXT    NOT NULL CHECK (status = 'trained' OR status = 'current' OR status = 'rejected' OR status = 'retired'),
    status_seq      INTEGER NOT NULL
);

CREATE TABLE rejected (
    seq           INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('image', 'correction')),
    original_name TEXT NOT NULL,
    rejected_path TEXT NOT NULL,
    reason        TEXT NOT NULL
);
