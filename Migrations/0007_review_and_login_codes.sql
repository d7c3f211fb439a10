-- Review (issue 25). An image set aside from the to-do list (ImageSkipped, ImageFlagged;
-- ImageRestored lifts it), and a reviewer's verdict on its latest correction
-- (CorrectionApproved, CorrectionSentBack; a newer correction clears it). Comments are read
-- from the image's stream. Logs written before hold no such events: the tables start empty.
CREATE TABLE image_marks (
    image  TEXT PRIMARY KEY,
    mark   TEXT    NOT NULL CHECK (mark = 'skipped' OR mark = 'flagged'),
    reason TEXT    NOT NULL,
    by     TEXT,
    seq    INTEGER NOT NULL
);

CREATE TABLE image_reviews (
    image      TEXT PRIMARY KEY,
    verdict    TEXT    NOT NULL CHECK (verdict = 'accepted' OR verdict = 'sent_back'),
    correction INTEGER NOT NULL,
    annotator  TEXT,
    by         TEXT,
    note       TEXT    NOT NULL,
    seq        INTEGER NOT NULL
);

-- Login codes (LoginCodeIssued) by their SHA-256, and the sessions they started
-- (LoginCodeRedeemed): a session token counts while its annotator's token is not newer.
CREATE TABLE login_codes (
    code_sha256  TEXT PRIMARY KEY,
    name         TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    issued_seq   INTEGER NOT NULL,
    redeemed_seq INTEGER
);

CREATE TABLE sessions (
    token_sha256 TEXT PRIMARY KEY,
    name         TEXT    NOT NULL,
    seq          INTEGER NOT NULL
);
