"""The docker CLI's grammar for the lab's commands, parsed as docker 28 (cobra and pflag) parses it.

``parse(["run", "-dit", "--name=web", "alpine", "ls", "-l"])`` gives the command, its options and its operands,
or raises :class:`CliError` with the text and exit code the real CLI prints for the same words (unknown flags,
missing values, wrong operand counts, unknown commands). It only parses: what the lab allows is the policy's
business, so every flag docker knows for these commands parses, including the ones the lab refuses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from bot.sandbox.lab import usage as cli
from bot.sandbox.lab.usage import Command, Flag, Group, Kind, Role

FLAG_ERROR = 125  # cobra's exit code for a flag it cannot parse
USAGE_ERROR = 1  # wrong operand count, unknown command or help topic

_LOG_LEVELS = frozenset({"panic", "fatal", "error", "warn", "warning", "info", "debug", "trace"})
_TRUE = frozenset({"1", "t", "T", "true", "TRUE", "True"})
_FALSE = frozenset({"0", "f", "F", "false", "FALSE", "False"})
_SIZE = re.compile(r"(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?")
_INT = re.compile(r"([-+]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|[1-9][0-9_]*|0)")
_DURATION = re.compile(r"[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+|[-+]?0")


@dataclass(frozen=True, slots=True)
class Parsed:
    """One command line, understood.

    ``command`` is canonical, aliases folded the CLI's way: ``container ls``/``container ps``/``ps`` give
    ``("ps",)``, ``image ls``/``images`` ``("images",)``, ``image rm``/``rmi`` ``("rmi",)``, ``volume list``
    ``("volume", "ls")``; ``container inspect``/``image inspect`` give ``("inspect",)`` with option ``type``
    set. ``()`` is docker itself (``docker``, ``docker --help``, ``docker help``: always with ``help``).
    ``options`` are keyed by long flag name without dashes: bool flags -> bool, value flags -> str (as typed,
    numbers checked), repeatable flags -> tuple of str. Global flags given before the command are there too
    (``debug``, ``log-level``, ``host``, ``context``, ``config``, ``tls*``); ``docker --version`` is
    ``("version",)`` with option ``version`` True (print the one-line version). ``args`` are the operands;
    for run/create/exec everything after the image or container belongs to the command, flags included.
    ``given`` is every flag as typed (``--name=web``, ``-dit``), in order. ``unsupported`` is the part of
    ``given`` that docker knows but the lab neither implements nor decides on by name (``--dns``): the
    policy refuses those. ``help``: ``--help``/``-h`` or ``docker help X``; the answer is :func:`usage`.
    """

    command: tuple[str, ...]
    options: Mapping[str, object]
    args: tuple[str, ...]
    given: tuple[str, ...]
    help: bool = False
    unsupported: tuple[str, ...] = ()


class CliError(Exception):
    """The command line is not one the CLI accepts. ``message`` is the CLI's own text, ``exit_code`` its code.

    ``unsupported`` names a command docker has but the lab does not (``"docker kill"``): the message then
    says so instead of pretending docker lacks it.
    """

    def __init__(self, message: str, exit_code: int, unsupported: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.unsupported = unsupported


@dataclass(slots=True)
class _Scan:
    """What one flag set made of its part of the command line."""

    options: dict[str, object] = field(default_factory=dict)
    given: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    positionals: list[str] = field(default_factory=list)
    help: bool = False


def parse(argv: Sequence[str]) -> Parsed:
    """``argv`` as the docker CLI reads it (without ``docker`` itself). Raises :class:`CliError`."""
    words = list(argv)
    top = _scan(cli.GLOBAL_FLAGS, words, interspersed=False, path="docker", usage=cli.ROOT.usage_line)
    level = top.options.get("log-level")
    if isinstance(level, str) and level.lower() not in _LOG_LEVELS:
        raise CliError(f"Unable to parse logging level: {level}", USAGE_ERROR)
    if top.options.get("version"):
        return _parsed(("version",), top, _Scan(), ())
    if top.help or not top.positionals:
        return _parsed((), top, _Scan(), (), help=True)
    rest = top.positionals
    if rest[0] == "help":
        return _parsed(_help_topic(rest[1:]), top, _Scan(), (), help=True)
    node: Command | Group = cli.ROOT
    path = "docker"
    while isinstance(node, Group):
        if not rest:
            return _parsed(_canonical_group(path), top, _Scan(), (), help=True)
        word, rest = rest[0], rest[1:]
        if word.startswith("-") and word != "-" and node.flags:
            # a group's own flags (docker compose -p demo up): they end at the subcommand
            group_scan = _scan(node.flags, [word, *rest], interspersed=False, path=path, usage=node.usage_line)
            if group_scan.help or not group_scan.positionals:
                return _parsed(_canonical_group(path), top, group_scan, (), help=True)
            top.options.update(group_scan.options)
            top.given.extend(group_scan.given)
            top.unsupported.extend(group_scan.unsupported)
            rest = group_scan.positionals
            continue
        if word.startswith("-") and word != "-":
            # flags straight after a management command: only --help means something there
            group_scan = _scan((), [word, *rest], interspersed=False, path=path, usage=node.usage_line)
            return _parsed(_canonical_group(path), top, group_scan, (), help=True)
        entry = node.find(word)
        if entry is None:
            raise _unknown_command(node, path, word)
        node, path = entry.node, f"{path} {entry.name}"
    usage_line = f"{path} {node.operands}".rstrip()
    scan = _scan(node.flags, rest, interspersed=node.interspersed, path=path, usage=usage_line)
    if scan.help:
        return _parsed(node.canonical, top, scan, (), help=True)
    _check_count(node, path, usage_line, len(scan.positionals))
    for key, value in node.implied:
        scan.options.setdefault(key, value)
    return _parsed(node.canonical, top, scan, tuple(scan.positionals))


def usage(command: tuple[str, ...]) -> str:
    """The help text for ``command`` (canonical, as in :attr:`Parsed.command`; ``()`` for docker itself)."""
    return cli.render(command)


def _parsed(command: tuple[str, ...], top: _Scan, scan: _Scan, args: tuple[str, ...], help: bool = False) -> Parsed:
    return Parsed(
        command=command,
        options={**top.options, **scan.options},
        args=args,
        given=(*top.given, *scan.given),
        help=help,
        unsupported=(*top.unsupported, *scan.unsupported),
    )


def _canonical_group(path: str) -> tuple[str, ...]:
    return tuple(path.split()[1:])


def _help_topic(words: Sequence[str]) -> tuple[str, ...]:
    """``docker help container ls`` -> ``("ps",)``; an unknown word is the CLI's "unknown help topic"."""
    node: Command | Group = cli.ROOT
    path = "docker"
    for word in words:
        entry = node.find(word) if isinstance(node, Group) else None
        if entry is None:
            raise CliError(f"unknown help topic: {word}", USAGE_ERROR)
        node, path = entry.node, f"{path} {entry.name}"
    return node.canonical if isinstance(node, Command) else _canonical_group(path)


def _unknown_command(group: Group, path: str, word: str) -> CliError:
    if group.lacks(word):
        return CliError(
            f"docker: '{path} {word}' is not part of this lab\n\nRun 'docker help' for the commands it has",
            USAGE_ERROR,
            unsupported=f"{path} {word}",
        )
    if group is cli.ROOT:
        return CliError(
            f"docker: unknown command: {path} {word}\n\nRun 'docker --help' for more information", USAGE_ERROR
        )
    return CliError(
        f"docker: unknown command: {path} {word}\n\nUsage:  {group.usage_line}\n\n"
        f"Run '{path} --help' for more information",
        USAGE_ERROR,
    )


def _check_count(command: Command, path: str, usage_line: str, count: int) -> None:
    low, high = command.min_args, command.max_args
    if low <= count and (high is None or count <= high):
        return
    # docker's own helpers word these; the "at least" one says "See", the others "Run"
    verb = "Run"
    if high is None:
        need, verb = f"requires at least {low} {_argument(low)}", "See"
    elif high == 0:
        need = "accepts no arguments"
    elif low == high:
        need = f"requires {low} {_argument(low)}"
    else:  # no command of the lab takes a range with a lower bound
        need = f"requires at most {high} {_argument(high)}"
    raise CliError(
        f"docker: '{path}' {need}\n\nUsage:  {usage_line}\n\n{verb} '{path} --help' for more information", USAGE_ERROR
    )


def _argument(n: int) -> str:
    return "argument" if n == 1 else "arguments"


def _scan(flags: Sequence[Flag], words: Sequence[str], *, interspersed: bool, path: str, usage: str) -> _Scan:
    """pflag's loop: flags and positionals of one command; non-interspersed sets stop at the first positional."""
    longs = {f.long: f for f in flags}
    shorts = {f.short: f for f in flags if f.short}
    out = _Scan()
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if word == "--":
            out.positionals.extend(words[i:])
            break
        if not word.startswith("-") or word == "-":
            if not interspersed:
                out.positionals.extend(words[i - 1 :])
                break
            out.positionals.append(word)
            continue
        fail = _failure(path, usage)
        uses = _long(word, words, i, longs, fail) if word.startswith("--") else _short(word, words, i, shorts, fail)
        out.given.append(word)
        for flag, value, takes_next in uses:
            if flag is None:  # --help, -h
                out.help = value == "true"
                continue
            if takes_next:
                value = words[i]
                i += 1
            if flag.role is Role.OTHER and out.unsupported[-1:] != [word]:
                out.unsupported.append(word)
            out.options[flag.name] = _value(flag, value, out.options.get(flag.name), fail)
    return out


# one flag's use: the flag (None for --help), its value as typed (None: a bool given bare), whether the value
# is the next word
_Use = tuple[Flag | None, str | None, bool]


def _failure(path: str, usage: str) -> Callable[[str], CliError]:
    def fail(text: str) -> CliError:
        return CliError(f"{text}\n\nUsage:  {usage}\n\nRun '{path} --help' for more information", FLAG_ERROR)

    return fail


def _long(
    word: str, words: Sequence[str], i: int, longs: Mapping[str, Flag], fail: Callable[[str], CliError]
) -> list[_Use]:
    name, eq, inline = word[2:].partition("=")
    if not name or name.startswith(("-", "=")):
        raise fail(f"bad flag syntax: {word}")
    flag = longs.get(name)
    if flag is None:
        if name == "help":
            return [(None, "true" if _bool_value(inline if eq else "true", "--help", fail) else "false", False)]
        raise fail(f"unknown flag: --{name}")
    if eq:
        return [(flag, inline, False)]
    if flag.kind is Kind.BOOL:
        return [(flag, None, False)]
    if i < len(words):
        return [(flag, None, True)]
    raise fail(f"flag needs an argument: --{name}")


def _short(
    word: str, words: Sequence[str], i: int, shorts: Mapping[str, Flag], fail: Callable[[str], CliError]
) -> list[_Use]:
    """``-dit``, ``-eA=1``, ``-e=A=1``, ``-e A=1``, ``-a=false``: pflag's shorthand rules."""
    letters = word[1:]
    uses: list[_Use] = []
    for j, letter in enumerate(letters):
        flag = shorts.get(letter)
        rest = letters[j + 1 :]
        if flag is None:
            if letter == "h":  # every command's -h is --help, unless it has its own (run's --hostname)
                uses.append((None, "true", False))
                continue
            raise fail(f"unknown shorthand flag: {letter!r} in -{letters[j:]}")
        if rest.startswith("="):
            return [*uses, (flag, rest[1:], False)]
        if flag.kind is Kind.BOOL:
            uses.append((flag, None, False))
        elif rest:
            return [*uses, (flag, rest, False)]
        elif i < len(words):
            return [*uses, (flag, None, True)]
        else:
            raise fail(f"flag needs an argument: {letter!r} in -{letters[j:]}")
    return uses


def _value(flag: Flag, value: str | None, before: object, fail: Callable[[str], CliError]) -> object:
    """The option's value after this use of the flag; checked the way pflag checks its type."""

    def invalid(reason: str) -> CliError:
        return fail(f'invalid argument "{value}" for "{flag.label}" flag: {reason}')

    if flag.kind is Kind.BOOL:
        return True if value is None else _bool_value(value, flag.label, fail)
    assert value is not None
    if flag.kind is Kind.LIST:
        return (*before, value) if isinstance(before, tuple) else (value,)
    if flag.kind is Kind.CSV:
        parts = tuple(value.split(",")) if value else ()
        return (*before, *parts) if isinstance(before, tuple) else parts
    if flag.kind is Kind.INT and not _is_int(value):
        raise invalid(f'strconv.ParseInt: parsing "{value}": invalid syntax')
    if flag.kind is Kind.BYTES and not _SIZE.fullmatch(value):
        raise invalid(f"invalid size: '{value}'")
    if flag.kind is Kind.DECIMAL and not _is_rational(value):
        raise invalid(f"failed to parse {value} as a rational number")
    if flag.kind is Kind.DURATION and not _DURATION.fullmatch(value):
        raise invalid(f'time: invalid duration "{value}"')
    return value


def _bool_value(value: str, label: str, fail: Callable[[str], CliError]) -> bool:
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise fail(f'invalid argument "{value}" for "{label}" flag: strconv.ParseBool: parsing "{value}": invalid syntax')


def _is_int(text: str) -> bool:
    """Go's ``strconv.ParseInt(text, 0, 64)``: decimal, or 0x / 0o / 0 (octal) / 0b, within 64 bits."""
    match = _INT.fullmatch(text)
    if match is None:
        return False
    sign, digits = match.group(1), match.group(2).replace("_", "")
    base = {"0x": 16, "0X": 16, "0b": 2, "0B": 2, "0o": 8, "0O": 8}.get(digits[:2])
    if base:
        digits = digits[2:]
    elif len(digits) > 1 and digits.startswith("0"):
        base = 8
    number = int(digits, base or 10)
    return number <= 2**63 - (sign != "-")


def _is_rational(text: str) -> bool:
    try:
        Fraction(text)
    except (ValueError, ZeroDivisionError):
        return False
    return True
