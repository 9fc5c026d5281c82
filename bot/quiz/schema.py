"""SQL for quizzes (migration 3): rounds, answers, stats days, schedules, no-repeat memory, review cards.

Times are UTC epoch seconds (REAL). ``scope`` is the stats scope key built by
:func:`bot.context.scope_key` (platform plus server, or the channel for DMs).
"""

QUIZ_SQL = """
CREATE TABLE IF NOT EXISTS quiz_rounds (
    id          INTEGER PRIMARY KEY,
    platform    TEXT NOT NULL,
    channel_id  TEXT NOT NULL,
    scope       TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    schedule_id INTEGER,
    total       INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'running',   -- running | finished | stopped | abandoned
    started_at  REAL NOT NULL,
    ended_at    REAL
);
CREATE INDEX IF NOT EXISTS quiz_rounds_status ON quiz_rounds(status);

CREATE TABLE IF NOT EXISTS quiz_instances (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES quiz_rounds(id),
    position     INTEGER NOT NULL,
    question_id  TEXT NOT NULL,
    topic        TEXT NOT NULL,
    choices_json TEXT NOT NULL DEFAULT '[]',
    opened_at    REAL NOT NULL,
    closes_at    REAL NOT NULL,
    closed_at    REAL,
    hints_shown  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS quiz_instances_open ON quiz_instances(closed_at);

CREATE TABLE IF NOT EXISTS quiz_answers (
    id           INTEGER PRIMARY KEY,
    instance_id  INTEGER NOT NULL REFERENCES quiz_instances(id),
    scope        TEXT NOT NULL,
    member_id    TEXT NOT NULL,
    member_name  TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    topic        TEXT NOT NULL,
    given        TEXT NOT NULL,
    correct      INTEGER NOT NULL,
    near_miss    INTEGER NOT NULL DEFAULT 0,
    points       INTEGER NOT NULL,
    answered_at  REAL NOT NULL,
    UNIQUE (instance_id, member_id)
);
CREATE INDEX IF NOT EXISTS quiz_answers_member ON quiz_answers(scope, member_id);
CREATE INDEX IF NOT EXISTS quiz_answers_time ON quiz_answers(scope, answered_at);

CREATE TABLE IF NOT EXISTS quiz_member_days (
    scope     TEXT NOT NULL,
    member_id TEXT NOT NULL,
    day       TEXT NOT NULL,            -- YYYY-MM-DD in the quiz time zone
    PRIMARY KEY (scope, member_id, day)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS quiz_channel_asked (
    platform    TEXT NOT NULL,
    channel_id  TEXT NOT NULL,
    question_id TEXT NOT NULL,
    asked_at    REAL NOT NULL,
    PRIMARY KEY (platform, channel_id, question_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS quiz_schedules (
    id            INTEGER PRIMARY KEY,
    platform      TEXT NOT NULL,
    channel_id    TEXT NOT NULL,
    channel_label TEXT NOT NULL,
    scope         TEXT NOT NULL,        -- stats scope key (see scope_key)
    place_scope   TEXT,                 -- the adapter's own scope id (guild, team), NULL in DMs
    at_time       TEXT NOT NULL,        -- HH:MM local time
    tz            TEXT NOT NULL,        -- IANA zone name
    days          INTEGER NOT NULL,     -- bit 0 = Monday … bit 6 = Sunday
    count         INTEGER NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    REAL NOT NULL,
    next_due      REAL NOT NULL         -- UTC epoch of the next slot not yet handled
);
CREATE INDEX IF NOT EXISTS quiz_schedules_due ON quiz_schedules(next_due);

CREATE TABLE IF NOT EXISTS quiz_schedule_slots (
    schedule_id INTEGER NOT NULL,
    slot        TEXT NOT NULL,          -- the local date of the slot, YYYY-MM-DD
    status      TEXT NOT NULL,          -- posted | skipped | busy
    recorded_at REAL NOT NULL,
    PRIMARY KEY (schedule_id, slot)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS quiz_review_cards (
    platform    TEXT NOT NULL,
    member_id   TEXT NOT NULL,
    question_id TEXT NOT NULL,
    card_json   TEXT NOT NULL,
    due         REAL NOT NULL,
    reviews     INTEGER NOT NULL DEFAULT 0,
    lapses      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, member_id, question_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS quiz_review_due ON quiz_review_cards(platform, member_id, due);
"""

# Migration "quiz_lab": a member's open lab exercise in a server (one at a time), with the lab's state when it
# started (``before_json``; NULL while the lab does not yet hold what the exercise's setup needs). A quiz-mode
# exercise is also a one-question round of status 'lab' (its answer goes to quiz_answers like any other), left
# open by a restart's recovery.
QUIZ_LAB_SQL = """
CREATE TABLE IF NOT EXISTS quiz_lab_tasks (
    scope       TEXT NOT NULL,          -- stats scope key (see scope_key): the lab's server
    member_id   TEXT NOT NULL,
    platform    TEXT NOT NULL,
    question_id TEXT NOT NULL,
    mode        TEXT NOT NULL,          -- quiz (scored like an answer) | review (grades the review card)
    instance_id INTEGER REFERENCES quiz_instances(id),  -- quiz mode: what its answer is recorded against
    before_json TEXT,
    hints_shown INTEGER NOT NULL DEFAULT 0,
    posted_at   REAL NOT NULL,
    PRIMARY KEY (scope, member_id)
) WITHOUT ROWID;
"""
