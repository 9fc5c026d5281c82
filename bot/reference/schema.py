"""SQL for the Docker reference index (migration 4).

``ref_docs`` holds every heading section as written (what replies show); ``ref_fts`` is a
contentless FTS5 table over normalised terms (:mod:`bot.reference.terms`) with the columns
title, heading and body, its rowid being ``ref_docs.id``; ``ref_words`` is the Docker vocabulary
(command names, long flags, Dockerfile instructions) that :meth:`ReferenceIndex.words` returns.
``names`` are the section's name terms (``container prune``; ``healthcheck``) and ``lead`` marks
the first section of a page or instruction: the ranking reads both for lead sections at open.
The whole index is derived from the files and rebuilt in one transaction when they change.
"""

REFERENCE_SQL = """
CREATE TABLE IF NOT EXISTS ref_docs (
    id      INTEGER PRIMARY KEY,
    file    TEXT NOT NULL,
    page    TEXT NOT NULL,
    title   TEXT NOT NULL,
    heading TEXT NOT NULL,
    path    TEXT NOT NULL,
    summary TEXT NOT NULL,
    usage   TEXT NOT NULL,
    body    TEXT NOT NULL,
    ord     INTEGER NOT NULL,
    names   TEXT NOT NULL DEFAULT '',
    lead    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ref_docs_lead ON ref_docs(lead) WHERE lead = 1;
CREATE TABLE IF NOT EXISTS ref_words (
    word TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS ref_fts USING fts5(
    title, heading, body,
    content = '',
    tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
);
"""
