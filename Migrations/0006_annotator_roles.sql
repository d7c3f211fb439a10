-- Annotators' roles (AnnotatorAdded.role): what a token may do through HTTP. Events written
-- before roles existed carry none and name annotators, so every existing row is one.
ALTER TABLE annotators ADD COLUMN role TEXT NOT NULL DEFAULT 'annotator';
