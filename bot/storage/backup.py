"""Online backup of the state file with SQLite's backup API (safe while the bot runs)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path


def default_backup_path(db_path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return db_path.with_name(f"{db_path.stem}-{stamp}.sqlite3")


def backup_database(db_path: Path, target: Path) -> int:
    """Copy ``db_path`` to ``target`` page by page; returns the size written. Never overwrites a file."""
    if not db_path.exists():
        raise FileNotFoundError(f"no state file at {db_path}")
    if target.exists():
        raise FileExistsError(f"{target} exists already; choose another name")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest, pages=256)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        source.close()
    check = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        (result,) = check.execute("PRAGMA integrity_check").fetchone()
    finally:
        check.close()
    if result != "ok":
        raise RuntimeError(f"backup {target} failed its integrity check: {result}")
    return target.stat().st_size
