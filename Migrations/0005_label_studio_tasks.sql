-- Label Studio tasks (LabelStudioTaskLinked): the image each task shows, newest link kept.
-- Logs written before this migration hold no such events, so the table starts empty.
CREATE TABLE label_studio_tasks (
    project    INTEGER NOT NULL,
    task       INTEGER NOT NULL,
    image      TEXT    NOT NULL,
    linked_seq INTEGER NOT NULL,
    PRIMARY KEY (project, task)
);
