"""Typed answers: what is accepted, what is not, and when the canonical answer is shown."""

from __future__ import annotations

import pytest

from bot.quiz.matching import match_text, normalize
from bot.quiz.model import MatchKind

CODE, PROSE = MatchKind.CODE, MatchKind.PROSE

# given, answers, kind, correct, near_miss
CASES = [
    ("docker run", ("docker run",), CODE, True, False),
    ("  Docker   run. ", ("docker run",), CODE, True, False),
    ("`docker run`", ("docker run",), CODE, True, False),
    ("docker running", ("docker run",), CODE, False, False),  # no substring / prefix matches
    ("docker ru", ("docker run",), CODE, False, False),  # no fuzzy for code
    ("-p", ("-p",), CODE, True, False),
    ("-P", ("-p",), CODE, False, False),  # flags are case-sensitive
    ("--publish", ("-p", "--publish"), CODE, True, False),  # alias
    ("from", ("FROM",), CODE, True, False),  # Dockerfile instructions are not
    ("Workdir", ("WORKDIR",), CODE, True, False),
    ("-rm", ("--rm",), CODE, False, False),
    ("ＦＲＯＭ", ("FROM",), CODE, True, False),  # NFKC (full-width letters)
    ("“이미지”", ("이미지",), PROSE, True, False),  # curly quotes
    ("이미지!", ("이미지",), PROSE, True, False),  # trailing punctuation
    ("image", ("이미지", "image"), PROSE, True, False),
    ("cdrom", ("CD-ROM",), PROSE, True, True),  # loose form, canonical shown
    ("docker-compose", ("docker compose",), PROSE, True, True),
    ("백그라운드 모도", ("백그라운드 모드",), PROSE, True, True),  # jamo fuzzy ≥ 90, 6+ chars
    ("컨테이나", ("컨테이너",), PROSE, False, False),  # too short for fuzzy
    ("chair", ("air",), PROSE, False, False),
    ("레지스트리 저장소", ("도커 레지스트리",), PROSE, False, False),
    ("", ("이미지",), PROSE, False, False),
    ("...", ("이미지",), PROSE, False, False),
]


@pytest.mark.parametrize(("given", "answers", "kind", "correct", "near_miss"), CASES)
def test_matching_table(given: str, answers: tuple[str, ...], kind: MatchKind, correct: bool, near_miss: bool) -> None:
    result = match_text(given, answers, kind)
    assert (result.correct, result.near_miss) == (correct, near_miss)
    assert result.canonical == answers[0]


def test_normalize_strips_invisible_and_collapses_space() -> None:
    assert normalize("\u200bdocker\u00a0 run\u3002") == "docker run"
