"""Korean names for the slash commands' descriptions, shown to members whose Discord is set to Korean.

discord.py asks a :class:`~discord.app_commands.Translator` for every string of every command when it
syncs; the English text in the cogs is the key, so a missing entry simply stays English.
"""

from __future__ import annotations

import discord
from discord import app_commands

KOREAN: dict[str, str] = {
    "Show the bot's commands": "봇 명령어 보기",
    "A command to show in detail": "자세히 볼 명령어",
    "Start a quiz round, or manage quizzes": "퀴즈 시작 또는 퀴즈 관리",
    "e.g. `5 images`, `stop`, `topics`, `hint`, `schedule #study daily 09:00 Asia/Seoul mon-fri 3`":
        "예: `5 이미지`, `stop`, `topics`, `hint`, `schedule #study daily 09:00 Asia/Seoul mon-fri 3`",
    "Quiz stats for you or another member": "나 또는 다른 멤버의 퀴즈 통계",
    "Whose stats (default: yours)": "누구의 통계인지 (기본: 나)",
    "Top quiz scores": "퀴즈 순위",
    "This week or all time": "이번 주 또는 전체",
    "Your due questions (spaced repetition)": "복습할 문제 (간격 반복)",
    "Explain a Docker command or idea from the notes": "노트에서 Docker 명령어나 개념 설명",
    "What to explain, e.g. run, -v, 이미지": "설명할 것 (예: run, -v, 이미지)",
    "Show the whole section": "섹션 전체 보기",
    "Rebuild the notes index (server managers)": "노트 색인 다시 만들기 (서버 관리자)",
    "Run a command in a locked-down container": "잠긴 컨테이너에서 명령 실행",
    "An allowed image, e.g. alpine": "허용된 이미지 (예: alpine)",
    "The command, e.g. echo hi": "실행할 명령 (예: echo hi)",
}


class KoreanDescriptions(app_commands.Translator):
    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContext
    ) -> str | None:
        if locale is not discord.Locale.korean:
            return None
        if context.location in (
            app_commands.TranslationContextLocation.command_name,
            app_commands.TranslationContextLocation.parameter_name,
            app_commands.TranslationContextLocation.group_name,
        ):
            return None  # names stay English: `/explain` is what the notes and the help text say
        return KOREAN.get(string.message)
