"""SQL for what ``!explain`` learns per server (migration 5).

``explain_asked`` keeps a question that got suggestions, so a button names it by id (chat limits an
action id to 100 characters); ``explain_picks`` records which entry (or reference page) members picked for
a question; ``explain_gaps`` counts questions the notes did not answer (normalised text only, no member ids).
"""

EXPLAIN_SQL = """
CREATE TABLE IF NOT EXISTS explain_asked (
    id       INTEGER PRIMARY KEY,
    scope    TEXT NOT NULL,
    question TEXT NOT NULL,
    choices  TEXT NOT NULL,
    asked_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS explain_asked_time ON explain_asked(asked_at);
CREATE TABLE IF NOT EXISTS explain_picks (
    scope    TEXT NOT NULL,
    question TEXT NOT NULL,
    place    TEXT NOT NULL,
    label    TEXT NOT NULL,
    picks    INTEGER NOT NULL,
    last_at  REAL NOT NULL,
    PRIMARY KEY (scope, question, place)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS explain_gaps (
    scope    TEXT NOT NULL,
    question TEXT NOT NULL,
    asked    INTEGER NOT NULL,
    last_at  REAL NOT NULL,
    PRIMARY KEY (scope, question)
) WITHOUT ROWID;
"""
