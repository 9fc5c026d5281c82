"""Fixtures for the notes tests: the shipped notes, or a writable copy of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import DEFAULT_DATA_DIR

REAL_NOTES = DEFAULT_DATA_DIR / "notes"


@pytest.fixture
def notes_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped notes folder."""
    folder = tmp_path / "notes"
    shutil.copytree(REAL_NOTES, folder)
    return folder
