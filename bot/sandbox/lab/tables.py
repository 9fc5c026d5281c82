"""The CLI's text shapes: its tables (``ps``, ``images``, ``volume ls``, ``network ls``), "2 minutes ago", sizes.

These follow the docker CLI's own formatting code: tables through Go's ``tabwriter`` with a minimum cell width of
10 and 3 spaces of padding, durations through ``go-units.HumanDuration``, sizes through ``HumanSizeWithPrecision``
(decimal units, 3 significant digits), the command column quoted and cut at 20 characters.
"""

from __future__ import annotations

from collections.abc import Sequence

MIN_WIDTH = 10
PADDING = 3
COMMAND_WIDTH = 20


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Lines like ``tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`` writes them; the last column is not padded."""
    lines = [list(headers), *[list(row) for row in rows]]
    widths = [max(MIN_WIDTH, max(len(line[i]) for line in lines) + PADDING) for i in range(len(headers) - 1)]
    out = []
    for line in lines:
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        out.append("".join(cells) + line[-1])
    return "\n".join(out) + "\n"


def human_duration(seconds: float) -> str:
    """``go-units.HumanDuration``: "Less than a second", "5 seconds", "About a minute", "3 hours", "2 weeks"."""
    whole = int(seconds)
    if whole < 1:
        return "Less than a second"
    if whole == 1:
        return "1 second"
    if whole < 60:
        return f"{whole} seconds"
    minutes = int(seconds / 60)
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = int(seconds / 3600 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(seconds / 3600 / 24 / 365)} years"


def ago(then: float, now: float) -> str:
    return f"{human_duration(max(0.0, now - then))} ago"


def human_size(size: float) -> str:
    """``go-units.HumanSizeWithPrecision(size, 3)``: 1.99MB, 421MB, 7.8kB."""
    units = ("B", "kB", "MB", "GB", "TB", "PB")
    index = 0
    while size >= 1000 and index < len(units) - 1:
        size /= 1000
        index += 1
    return f"{size:.3g}{units[index]}"


def go_quote(text: str) -> str:
    """Go's ``strconv.Quote`` for printable text (backslash, quote and control characters escaped)."""
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif char == "\n":
            escaped.append("\\n")
        elif char == "\t":
            escaped.append("\\t")
        elif not char.isprintable():
            escaped.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def command_cell(command: str) -> str:
    """The COMMAND column: ``"sh -c 'echo hi; exi…"``."""
    if len(command) > COMMAND_WIDTH:
        command = command[: COMMAND_WIDTH - 1] + "…"
    return go_quote(command)


def port_cell(spec: str) -> str:
    """A ``-p`` value as the PORTS column would show it, without a host address (nothing is bound):
    ``8080:80`` → ``8080->80/tcp``, ``80`` → ``80/tcp``."""
    ports, _, protocol = spec.partition("/")
    protocol = protocol or "tcp"
    parts = ports.split(":")
    container = parts[-1]
    host = parts[-2] if len(parts) >= 2 else ""
    return f"{host}->{container}/{protocol}" if host else f"{container}/{protocol}"
