"""Every sentence ``!help`` writes, in English and Korean (:mod:`bot.i18n`)."""

from __future__ import annotations

from bot.i18n import register

register(
    {
        "cmd.help.summary": {
            "en": "Show the commands, or one command in detail.",
            "ko": "명령어 목록이나 명령어 하나의 자세한 설명을 보여줍니다.",
        },
        "opt.help.command": {"en": "A command to show in detail", "ko": "자세히 볼 명령어"},
        "help.title": {"en": "Docker Study Bot — commands", "ko": "Docker 스터디 봇 — 명령어"},
        "help.intro": {
            "en": "I help this group learn Docker from its study notes.",
            "ko": "스터디 노트로 Docker 공부를 돕는 봇입니다.",
        },
        "help.footer": {
            "en": "{prefix}help <command> shows one command in detail.",
            "ko": "{prefix}help <명령어> 로 명령어 하나를 자세히 볼 수 있습니다.",
        },
        "help.usage": {"en": "Usage", "ko": "사용법"},
        "help.examples": {"en": "Examples", "ko": "예시"},
        "help.aliases": {"en": "Aliases", "ko": "다른 이름"},
        "help.managers_only": {"en": "Server managers only.", "ko": "서버 관리자 전용."},
        "help.unknown": {"en": "There is no command `{name}`.", "ko": "`{name}` 이라는 명령어는 없습니다."},
    }
)
