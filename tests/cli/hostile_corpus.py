"""A corpus of hostile chat messages (issue 10): mentions, odd digits and spaces, bytes that are not UTF-8,
floods and markup, for every command and for answers while a quiz question is open.

``corpus()`` gives raw lines (bytes, one message each, no line end). Every ``!quiz`` that starts a round is
followed by answers and then ``!quiz stop``, so replaying the corpus never waits for a round's clock.
"""

from __future__ import annotations

import itertools

MENTIONS = [
    "@everyone", "@here", "@channel", "<@123456789012345678>", "<@!123456789012345678>", "<@&987654321>",
    "<!channel>", "<!here>", "<!everyone>", "<@U0ALICE>", "<!subteam^S1|@team>", "<#C1|@everyone>",
    "＠everyone", "@\u200beveryone", "@every\u200bone", "`@here`", "```\n@everyone\n```", "**@here**",
    "[@everyone](https://x.io)", "@everyone@here", "<<@1>>", "<@&>", "@",
]
DIGITS = ["²", "①", "⁵", "٣", "３", "𝟓", "Ⅻ", "½", "-1", "0", "1e3", "99999999999999999999", "0x10", "٠٠١", "00001"]
SPACES = ["\t", "\xa0", "\u200b", "\u3000", "\u2028", "\u2003", "\ufeff", "\u180e", "\r", "\u200b\u200b", " \t "]
ODD = [
    "\u202eevil", "a\u0000b", "\x1b[31mred\x1b[0m", "'; DROP TABLE quiz_answers; --", "%s%s%n", "{0}{name}",
    "${HOME}", "`" * 7, "~~~", "> quote", "||spoiler||", "# heading", "* " * 50, "\\", "é" * 3, "🐳" * 20,
]
INVALID_UTF8 = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"abc\xfe\xffdef", b"\xc0\xaf"]
COMMANDS = ["!help", "!explain", "!quiz", "!stats", "!leaderboard", "!review", "!run", "!quiz topics",
            "!quiz schedule", "!quiz hint", "!nosuch", "!퀴즈", "!통계"]


def _enc(text: str) -> bytes:
    return text.encode("utf-8")


def corpus() -> list[bytes]:
    lines: list[bytes] = []
    # every command with every mention form as its argument
    for command, mention in itertools.product(COMMANDS, MENTIONS):
        lines.append(_enc(f"{command} {mention}".replace("\n", " ")))
    # schedules: mentions, odd digits and zones in every position; stored labels shown again by "list"
    for value in MENTIONS[:8] + DIGITS:
        lines.append(_enc(f"!quiz schedule #study daily {value} Asia/Seoul"))
        lines.append(_enc(f"!quiz schedule #study daily 09:00 {value}"))
        lines.append(_enc(f"!quiz schedule #study daily 09:00 UTC {value}"))
        lines.append(_enc(f"!quiz schedule #study daily 09:00 UTC mon-fri {value}"))
        lines.append(_enc(f"!quiz schedule remove {value}"))
    for zone in ("localtime", "Factory", "posixrules", "posix/Asia/Seoul", "right/UTC"):
        lines.append(_enc(f"!quiz schedule #study daily 09:00 {zone}"))
    lines += [_enc("!quiz schedule <#C1|@everyone> daily 09:00 UTC"), _enc("!quiz schedule <#C2|<!here>> 09:00 UTC"),
              _enc("!quiz schedule list"), _enc("!quiz schedule remove 1"), _enc("!quiz schedule remove 2"),
              _enc("!quiz schedule list")]
    # counts and topics with odd digits
    for value in DIGITS:
        lines.append(_enc(f"!quiz {value}"))
        lines.append(_enc(f"!quiz {value} cli"))
        lines.append(_enc(f"!leaderboard {value}"))
    # odd whitespace after the command name, and CR line ends
    for command, space in itertools.product(("!help", "!quiz topics", "!stats", "!leaderboard"), SPACES):
        name, _, rest = command.partition(" ")
        lines.append(_enc(f"{name}{space}{rest}"))
    # answers while a question with choices is open, and while a typed one is
    for answers in (DIGITS + MENTIONS[:6] + ODD[:6], [*DIGITS[:6], "1", "2", "true"]):
        lines.append(_enc("!quiz 1"))
        lines += [_enc(a.replace("\n", " ")) for a in answers]
        lines += INVALID_UTF8
        lines.append(_enc("!quiz hint"))
        lines.append(_enc("!quiz stop"))
    # bytes that are not UTF-8, in commands and in plain text
    for command, bad in itertools.product(("!stats ", "!quiz ", "!explain ", "!help ", "", "!"), INVALID_UTF8):
        lines.append(_enc(command) + bad)
    # odd text, floods and markup
    for command, odd in itertools.product(("!explain ", "!quiz ", "!stats ", ""), ODD):
        lines.append(_enc(command + odd))
    lines += [_enc("!explain " + "x" * 5000), _enc("!quiz " + "@everyone " * 500), _enc("@here " * 800),
              _enc("!" * 300), _enc("!stats " + "<@1>" * 300), _enc("-v"), _enc("--help"), _enc("!-v"), _enc("! help")]
    return [line for line in lines if line.strip()]
