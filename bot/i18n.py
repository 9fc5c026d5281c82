"""Every sentence the bot writes itself, in English and Korean.

Features keep their own catalogue (a ``dict`` of key → ``{"en": …, "ko": …}``) and
add it with :func:`register`; :func:`t` looks a key up in the UI language and
formats it. Note text from the study notes is never translated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

LANGUAGES = ("en", "ko")

_CATALOGUE: dict[str, dict[str, str]] = {}

# The words in a usage line's placeholders (`<topic>`, `[@member]`); literal arguments stay as typed.
_PLACEHOLDERS: dict[str, dict[str, str]] = {
    "ko": {"topic": "주제", "question": "질문", "command": "명령어", "command…": "명령…", "image": "이미지",
           "@member": "@멤버", "n": "개수"},
}
_PLACEHOLDER = re.compile(r"([<\[])([^<>\[\]|]+)([>\]])")


def register(messages: Mapping[str, Mapping[str, str]]) -> None:
    """Add a feature's messages. Every key needs every language in :data:`LANGUAGES`."""
    for key, texts in messages.items():
        missing = [lang for lang in LANGUAGES if lang not in texts]
        if missing:
            raise ValueError(f"message {key!r} lacks {', '.join(missing)}")
        if key in _CATALOGUE and _CATALOGUE[key] != dict(texts):
            raise ValueError(f"message {key!r} registered twice with different texts")
        _CATALOGUE[key] = dict(texts)


def t(lang: str, key: str, /, **values: object) -> str:
    """The message ``key`` in ``lang`` (English when ``lang`` is unknown), formatted with ``values``."""
    texts = _CATALOGUE[key]
    template = texts.get(lang) or texts["en"]
    return template.format(**values) if values else template


def usage(lang: str, line: str) -> str:
    """A usage line (`explain [-v] <topic>`) with its placeholders in ``lang`` (`explain [-v] <주제>`)."""
    words = _PLACEHOLDERS.get(lang)
    if not words:
        return line
    return _PLACEHOLDER.sub(lambda m: m[1] + words.get(m[2], m[2]) + m[3], line)


def catalogue() -> Mapping[str, Mapping[str, str]]:
    return _CATALOGUE


register(
    {
        "error.unknown_command": {
            "en": "Unknown command `{prefix}{name}`.",
            "ko": "알 수 없는 명령어 `{prefix}{name}` 입니다.",
        },
        "error.did_you_mean": {
            "en": "Did you mean `{prefix}{suggestion}`?",
            "ko": "혹시 `{prefix}{suggestion}` 을(를) 찾으셨나요?",
        },
        "error.see_help": {
            "en": "Type `{prefix}help` for the list of commands.",
            "ko": "명령어 목록은 `{prefix}help` 로 볼 수 있습니다.",
        },
        "error.missing_argument": {
            "en": "Missing `{argument}`. Usage: `{usage}`",
            "ko": "`{argument}` 이(가) 빠졌습니다. 사용법: `{usage}`",
        },
        "error.bad_argument": {
            "en": "{problem} Usage: `{usage}`",
            "ko": "{problem} 사용법: `{usage}`",
        },
        "error.bad_value": {
            "en": "`{argument}` is not a valid value here.",
            "ko": "`{argument}` 은(는) 여기에 쓸 수 없는 값입니다.",
        },
        "error.cooldown": {
            "en": "Slow down: try again in {seconds:.1f} s.",
            "ko": "잠시만요: {seconds:.1f}초 뒤에 다시 시도해 주세요.",
        },
        "error.managers_only": {
            "en": "Only members who can manage the server may use `{prefix}{name}`.",
            "ko": "`{prefix}{name}` 은(는) 서버 관리 권한이 있는 멤버만 쓸 수 있습니다.",
        },
        "error.internal": {
            "en": "Something went wrong on my side while running `{prefix}{name}`. It has been logged.",
            "ko": "`{prefix}{name}` 을(를) 실행하다가 내부 오류가 났습니다. 기록해 두었습니다.",
        },
        "error.too_long": {
            "en": "That message is too long ({length} characters; the limit is {limit}).",
            "ko": "메시지가 너무 깁니다 ({length}자, 최대 {limit}자).",
        },
        "console.started": {
            "en": "No chat token configured: starting the local console (type {prefix}help, Ctrl-D to quit).",
            "ko": "채팅 토큰이 없어 로컬 콘솔을 시작합니다 ({prefix}help 입력, 종료는 Ctrl-D).",
        },
    }
)
