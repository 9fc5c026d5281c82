"""SQL for the notes index (migration 2).

``notes_docs`` holds every section and entry as written (what replies show); ``notes_fts`` is a
contentless FTS5 table over normalised terms (symbol, heading path, body, Hangul 2-character
chunks); ``notes_terms`` holds document frequencies for query weighting and typo fixing,
``notes_chunks`` the chunks of every indexed word (compound detection), and ``notes_names`` the
exact names — symbols, headings, section paths — with their first row ids, so opening the index
reads only these small tables; ``notes_forms`` the curated question forms of each entry.
The index is derived data: :mod:`bot.notes.index` drops and recreates these tables on rebuild,
so the same statements live in :data:`INDEX_TABLES` for it to reuse.
"""

INDEX_TABLES = """
CREATE TABLE IF NOT EXISTS notes_docs (
    id          INTEGER PRIMARY KEY,
    file        TEXT NOT NULL,
    section     TEXT NOT NULL,
    section_ord INTEGER NOT NULL,
    ord         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    symbol      TEXT,
    symbol_key  TEXT,
    heading_key TEXT,
    raw         TEXT NOT NULL,
    terms       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_docs_place ON notes_docs(file, section, section_ord, ord);
CREATE TABLE IF NOT EXISTS notes_terms (
    term TEXT PRIMARY KEY,
    df   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notes_chunks (
    chunk TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notes_names (
    kind  TEXT NOT NULL,
    key   TEXT NOT NULL,
    total INTEGER NOT NULL,
    first INTEGER NOT NULL,
    ids   TEXT NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notes_forms (
    doc_id INTEGER NOT NULL,
    ord    INTEGER NOT NULL,
    text   TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS notes_fts USING fts5(
    symbol, heading, body, chunks,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
"""

DROP_INDEX_TABLES = """
DROP TABLE IF EXISTS notes_fts;
DROP TABLE IF EXISTS notes_forms;
DROP TABLE IF EXISTS notes_names;
DROP TABLE IF EXISTS notes_chunks;
DROP TABLE IF EXISTS notes_terms;
DROP TABLE IF EXISTS notes_docs;
"""

NOTES_SQL = (
    """
CREATE TABLE IF NOT EXISTS notes_files (
    file   TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size   INTEGER NOT NULL
);
"""
    + INDEX_TABLES
)
