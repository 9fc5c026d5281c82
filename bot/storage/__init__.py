"""SQLite state through aiosqlite: one file, WAL, versioned migrations."""

from bot.storage.database import Database

__all__ = ["Database"]
