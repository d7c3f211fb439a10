-- Every name an image was dropped under: the first (ImageIngested) and each later file with
-- the same bytes (ImageNamed). Corrections match any of them.
CREATE TABLE image_names (
    sha  TEXT NOT NULL,
    name TEXT NOT NULL,
    seq  INTEGER NOT NULL,
    PRIMARY KEY (name, sha)
);
CREATE INDEX image_names_sha ON image_names (sha);
INSERT INTO image_names (sha, name, seq) SELECT sha, name, ingested_seq FROM images;
