-- The event log: append-only, hash-chained. Every other table is a projection of it.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY,
    stream     TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    event_id   TEXT    NOT NULL UNIQUE,
    type       TEXT    NOT NULL,
    schema     INTEGER NOT NULL,
    payload    TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    prev_hash  BLOB    NOT NULL,
    hash       BLOB    NOT NULL,
    UNIQUE (stream, version)
);
CREATE INDEX events_type ON events (type, seq);
