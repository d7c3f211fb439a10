-- Annotators (AnnotatorAdded): one token hash per name; a new token replaces the old one.
-- Logs written before this migration hold no such events, so the table starts empty.
CREATE TABLE annotators (
    name         TEXT PRIMARY KEY,
    token_sha256 TEXT    NOT NULL UNIQUE,
    added_seq    INTEGER NOT NULL,
    token_seq    INTEGER NOT NULL
);

-- Operator controls on training (TrainingRequested/Paused/Resumed, ModelPinned/Unpinned):
-- at most one row, written by the first such event; no row means the defaults (running,
-- nothing pinned, nothing requested).
CREATE TABLE controls (
    id                     INTEGER PRIMARY KEY CHECK (id = 1),
    paused                 INTEGER NOT NULL DEFAULT 0,
    pinned_model           TEXT,
    training_requested_seq INTEGER
);
