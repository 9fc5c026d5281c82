"""The lab's Dockerfile: parsed, then planned into the steps :mod:`.build` runs on the engine.

Everything a Dockerfile decides statically is decided here, before any container exists: its grammar (comments,
line continuations, exec and shell forms, the ``${VAR}`` substitution of ARG and ENV), what the lab refuses
(``ADD <url>``, ``studybot.*`` labels, instructions the lab does not build), and the image configuration after
every step. A step the engine's legacy builder would fail only when it reaches it (a COPY of a file that was not
given, an EXPOSE of a bad port) becomes a failing step at that place, so the output shows the steps before it
as the CLI would. Texts are the legacy builder's own. Pure: no engine, no I/O.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

MAX_STEPS = 64  # instructions a lab build may have (each is at least a container and a commit)

KEYWORDS = frozenset({
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER",
    "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
})
UNSUPPORTED = frozenset({"HEALTHCHECK", "ONBUILD", "VOLUME", "MAINTAINER"})  # real instructions the lab does not build
RESERVED_LABEL_PREFIX = "studybot."
DEFAULT_SHELL = ("/bin/sh", "-c")
URL_PREFIXES = ("http://", "https://", "git@", "git://")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CONTINUATION = re.compile(r"\\[ \t]*$")


class DockerfileError(Exception):
    """A Dockerfile the legacy builder rejects before its first step; ``message`` is its text (the CLI prints
    it after ``Error response from daemon: ``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BuildRefused(Exception):
    """The lab policy refuses the build: ``refusal`` is the code the chat side words, ``detail`` what it quotes."""

    def __init__(self, refusal: str, detail: str = "") -> None:
        super().__init__(f"{refusal}: {detail}")
        self.refusal = refusal
        self.detail = detail


# --- parsing --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Instruction:
    line: int  # where it starts (1-based), for parse errors
    keyword: str  # upper case
    original: str  # the logical line as the CLI shows it after "Step 2/5 : "
    rest: str  # the arguments' raw text
    flags: tuple[tuple[str, str], ...] = ()  # COPY/ADD/FROM/RUN "--name=value" flags, in order


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, line) with comments dropped and ``\\`` continuations joined as the builder joins them
    (the backslash removed, the next line appended as it is; comment and empty lines inside one are skipped)."""
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        line = raw if pending else raw.lstrip()
        if not pending:
            start = number
        if _CONTINUATION.search(line):
            pending.append(_CONTINUATION.sub("", line))
            continue
        pending.append(line)
        out.append((start, "".join(pending).rstrip()))
        pending = []
    if pending:
        out.append((start, "".join(pending).rstrip()))
    return out


def _split_flags(rest: str) -> tuple[tuple[tuple[str, str], ...], str]:
    flags: list[tuple[str, str]] = []
    while rest.startswith("--"):
        word, _, after = rest.partition(" ")
        name, _, value = word[2:].partition("=")
        flags.append((name, value))
        rest = after.lstrip()
    return tuple(flags), rest


def parse(text: str) -> list[Instruction]:
    """The instructions of ``text``; raises :class:`DockerfileError` (the builder's parse errors) and
    :class:`BuildRefused` (``build_unsupported``, ``build_steps``)."""
    if not text.strip():
        raise DockerfileError("the Dockerfile (Dockerfile) cannot be empty")
    instructions: list[Instruction] = []
    for number, line in logical_lines(text):
        word, _, rest = line.partition(" ")
        if "\t" in word:
            word, _, more = word.partition("\t")
            rest = f"{more} {rest}".strip()
        keyword = word.upper()
        rest = rest.strip()
        if keyword not in KEYWORDS:
            raise DockerfileError(f"dockerfile parse error line {number}: unknown instruction: {keyword}")
        flags: tuple[tuple[str, str], ...] = ()
        if keyword in {"COPY", "ADD", "FROM", "RUN"}:
            flags, rest = _split_flags(rest)
        instructions.append(Instruction(number, keyword, line, rest, flags))
    if not instructions:
        raise DockerfileError("failed to parse Dockerfile: file with no instructions")
    if len(instructions) > MAX_STEPS:
        raise BuildRefused("build_steps", str(MAX_STEPS))
    for instruction in instructions:
        _check(instruction)
    return instructions


def _parse_error(instruction: Instruction, message: str) -> DockerfileError:
    return DockerfileError(f"dockerfile parse error line {instruction.line}: {message}")


def _check(instruction: Instruction) -> None:
    """The builder's argument-count checks, and the lab's refusals that need no substitution."""
    keyword, rest = instruction.keyword, instruction.rest
    if keyword in UNSUPPORTED:
        raise BuildRefused("build_unsupported", keyword)
    words = split_words(rest)
    allowed_flags = {"COPY": {"chown", "chmod", "from"}, "ADD": {"chown", "chmod"}, "FROM": {"platform"}}
    for name, value in instruction.flags:
        if keyword == "RUN" or name not in allowed_flags.get(keyword, set()):
            if keyword == "RUN":
                raise BuildRefused("build_unsupported", f"RUN --{name}")
            raise _parse_error(instruction, f"Unknown flag: {name}")
        if name in {"from", "platform"}:
            raise BuildRefused("build_unsupported", f"{keyword} --{name}={value}")
    if keyword in {"COPY", "ADD"}:
        sources = _json_list(rest)
        if len(sources if sources is not None else words) < 2:
            raise _parse_error(
                instruction,
                f"{keyword} requires at least two arguments, but only one was provided. "
                "Destination could not be determined",
            )
        if keyword == "ADD":
            for source in (sources if sources is not None else words)[:-1]:
                if source.lower().startswith(URL_PREFIXES):
                    raise BuildRefused("build_add_url", source)
    elif keyword == "FROM":
        if len(words) not in (1, 3) or (len(words) == 3 and words[1].lower() != "as"):
            raise _parse_error(instruction, "FROM requires either one or three arguments")
    elif keyword in {"WORKDIR", "USER", "STOPSIGNAL"}:
        if not words:
            raise _parse_error(instruction, f"{keyword} requires exactly one argument")
    elif keyword in {"EXPOSE", "ARG"}:
        if not words:
            raise _parse_error(instruction, f"{keyword} requires at least one argument")
    elif keyword == "SHELL":
        if _json_list(rest) is None:
            raise _parse_error(instruction, "SHELL requires the arguments to be in JSON form")
    elif keyword in {"ENV", "LABEL"}:
        name_values(keyword, rest, {})  # the form's errors; names are checked before substitution
        if "=" in words[0] and any(word.startswith("=") for word in words):
            raise _parse_error(instruction, f"{keyword} names can not be blank")


def _json_list(rest: str) -> list[str] | None:
    """The exec (JSON array of strings) form, or None for the shell form (as the builder decides)."""
    if not rest.startswith("["):
        return None
    try:
        value = json.loads(rest)
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None


# --- words and substitution -----------------------------------------------------------------------------------


def split_words(text: str) -> list[str]:
    """Whitespace-separated words, quotes and backslash escapes kept (processed later by :func:`process_word`)."""
    words: list[str] = []
    word: list[str] = []
    quote = ""
    escaped = False
    in_word = False
    for char in text:
        if escaped:
            word.append(char)
            escaped = False
        elif char == "\\":
            word.append(char)
            escaped, in_word = True, True
        elif quote:
            word.append(char)
            if char == quote:
                quote = ""
        elif char in "'\"":
            word.append(char)
            quote, in_word = char, True
        elif char.isspace():
            if in_word:
                words.append("".join(word))
                word, in_word = [], False
        else:
            word.append(char)
            in_word = True
    if in_word:
        words.append("".join(word))
    return words


def process_word(word: str, env: Mapping[str, str]) -> str:
    """The builder's word processing: quotes removed, backslash escapes applied, ``$VAR``, ``${VAR}``,
    ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:+alt}``, ``${VAR+alt}`` expanded (not inside single quotes)."""
    out: list[str] = []
    i = 0
    quote = ""
    while i < len(word):
        char = word[i]
        if quote == "'":
            if char == "'":
                quote = ""
            else:
                out.append(char)
            i += 1
        elif char == "\\" and i + 1 < len(word):
            following = word[i + 1]
            if quote == '"' and following not in '"$\\':
                out.append(char)
                i += 1
            else:
                out.append(following)
                i += 2
        elif char == '"':
            quote = "" if quote else '"'
            i += 1
        elif char == "'" and not quote:
            quote = "'"
            i += 1
        elif char == "$":
            value, i = _expand(word, i, env)
            out.append(value)
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _expand(word: str, i: int, env: Mapping[str, str]) -> tuple[str, int]:
    """``word[i] == "$"``: the expansion and the index after it."""
    if i + 1 < len(word) and word[i + 1] == "{":
        end = word.find("}", i + 2)
        if end < 0:
            return "$", i + 1
        body = word[i + 2 : end]
        match = _NAME.match(body)
        if not match:
            return word[i : end + 1], end + 1
        name, operator = match.group(), body[match.end() :]
        value = env.get(name)
        for op in (":-", ":+", "-", "+"):
            if operator.startswith(op):
                alternative = process_word(operator[len(op) :], env)
                if op == ":-":
                    return (value if value else alternative), end + 1
                if op == "-":
                    return (value if value is not None else alternative), end + 1
                if op == ":+":
                    return (alternative if value else ""), end + 1
                return (alternative if value is not None else ""), end + 1
        return (value or ""), end + 1
    match = _NAME.match(word, i + 1)
    if not match:
        return "$", i + 1
    return env.get(match.group(), ""), match.end()


def name_values(keyword: str, rest: str, env: Mapping[str, str]) -> list[tuple[str, str]]:
    """ENV/LABEL/ARG arguments: ``a=1 b="two words"`` or the old ``ENV name value with spaces`` form."""
    words = split_words(rest)
    if not words:
        raise DockerfileError(f"failed to parse Dockerfile: {keyword} must have two arguments")
    if keyword != "ARG" and "=" not in words[0]:
        name, _, value = rest.strip().partition(" ")
        if not value.strip():
            raise DockerfileError(f"failed to parse Dockerfile: {keyword} must have two arguments")
        return [(process_word(name, env), process_word(value.strip(), env))]
    pairs: list[tuple[str, str]] = []
    for word in words:
        if "=" not in word:
            if keyword == "ARG":
                pairs.append((word, ""))
                continue
            raise DockerfileError(
                f'failed to parse Dockerfile: Syntax error - can\'t find = in "{word}". Must be of the form: name=value'
            )
        name, _, value = word.partition("=")
        pairs.append((process_word(name, env), process_word(value, env)))
    return pairs


# --- the image configuration ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImageConfig:
    """What the build changes in an image's ``Config`` (the engine's field names in :meth:`to_engine`)."""

    cmd: tuple[str, ...] = ()
    entrypoint: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    workdir: str = ""
    user: str = ""
    exposed: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    shell: tuple[str, ...] = DEFAULT_SHELL
    stop_signal: str = ""
    cmd_set: bool = False  # this Dockerfile set CMD (then ENTRYPOINT keeps it); not part of the engine's config

    @classmethod
    def from_engine(cls, config: Mapping[str, Any] | None) -> ImageConfig:
        config = config or {}
        env = []
        for item in config.get("Env") or ():
            name, _, value = str(item).partition("=")
            env.append((name, value))
        return cls(
            cmd=tuple(config.get("Cmd") or ()),
            entrypoint=tuple(config.get("Entrypoint") or ()),
            env=tuple(env),
            workdir=str(config.get("WorkingDir") or ""),
            user=str(config.get("User") or ""),
            exposed=tuple(sorted((config.get("ExposedPorts") or {}).keys())),
            labels=tuple(sorted((config.get("Labels") or {}).items())),
            shell=tuple(config.get("Shell") or DEFAULT_SHELL),
            stop_signal=str(config.get("StopSignal") or ""),
        )

    def to_engine(self, extra_labels: Mapping[str, str] | None = None) -> dict[str, Any]:
        """The commit's ``Config``. Cmd and Entrypoint are always explicit lists: the engine fills fields a commit
        leaves empty from the step container (whose entrypoint is the RUN command)."""
        config: dict[str, Any] = {
            "Cmd": list(self.cmd),
            "Entrypoint": list(self.entrypoint),
            "Env": [f"{name}={value}" for name, value in self.env],
            "WorkingDir": self.workdir,
            "User": self.user,
            "ExposedPorts": {port: {} for port in self.exposed},
            "Labels": {**dict(self.labels), **dict(extra_labels or {})},
        }
        if self.shell != DEFAULT_SHELL:
            config["Shell"] = list(self.shell)
        if self.stop_signal:
            config["StopSignal"] = self.stop_signal
        return config

    @property
    def env_map(self) -> dict[str, str]:
        return dict(self.env)

    def with_env(self, pairs: list[tuple[str, str]]) -> ImageConfig:
        env = dict(self.env)
        for name, value in pairs:
            env.pop(name, None)  # a changed variable moves to the end, as the builder orders them
            env[name] = value
        return replace(self, env=tuple(env.items()))


# --- the plan -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One ``Step i/n``. ``kind``: ``from`` (the base, `` ---> id``), ``arg`` (an ARG before FROM: the line only),
    ``config`` (a metadata step: a container created and committed with ``config``), ``run``, ``copy``, or
    ``fail`` (the builder stops here with ``message`` and exit code 1)."""

    shown: str
    kind: str
    config: ImageConfig = field(default_factory=ImageConfig)  # the image's configuration after this step
    argv: tuple[str, ...] = ()  # run: what the step container runs
    command: str = ""  # run: as the failure text quotes it ("/bin/sh -c false")
    copies: tuple[CopyFile, ...] = ()  # copy: the files, paths absolute in the image
    into_dir: str = ""  # copy: a single file copied to a path without "/": put inside if that is a directory
    message: str = ""  # fail


@dataclass(frozen=True, slots=True)
class CopyFile:
    path: str  # absolute, in the image
    data: bytes
    mode: int = 0o644
    uid: int = 0
    gid: int = 0


@dataclass(frozen=True, slots=True)
class Dockerfile:
    instructions: tuple[Instruction, ...]
    base: str  # the FROM image after ARG substitution, as typed otherwise
    from_index: int  # where FROM is among the instructions
    global_args: tuple[tuple[str, str], ...]  # ARGs declared before FROM (with their values)
    build_args: tuple[tuple[str, str], ...] = ()  # `docker build --build-arg NAME=value`: override ARG defaults


def read(text: str, build_args: Mapping[str, str] | None = None) -> Dockerfile:
    """Parse ``text`` and find its base image; one build stage only (a second FROM is ``build_unsupported``).
    ``build_args`` override the defaults of the ARGs the Dockerfile declares (others are ignored)."""
    instructions = parse(text)
    given = dict(build_args or {})
    global_args: dict[str, str] = {}
    from_index = -1
    for index, instruction in enumerate(instructions):
        if instruction.keyword == "FROM":
            if from_index >= 0:
                raise BuildRefused("build_unsupported", instruction.original)
            from_index = index
        elif from_index < 0:
            if instruction.keyword != "ARG":
                raise DockerfileError("no build stage in current context")
            for name, value in name_values("ARG", instruction.rest, global_args):
                global_args[name] = given.get(name, value)
    if from_index < 0:
        raise DockerfileError("no build stage in current context")
    base = process_word(split_words(instructions[from_index].rest)[0], global_args)
    return Dockerfile(tuple(instructions), base, from_index, tuple(global_args.items()), tuple(given.items()))


def plan(dockerfile: Dockerfile, base: ImageConfig, files: Mapping[str, str]) -> list[Step]:
    """Every step with the image configuration after it. Raises :class:`BuildRefused` for what the lab refuses
    after substitution (``build_add_url``, ``build_label``)."""
    context = _context(files)
    global_args = dict(dockerfile.global_args)
    overrides = dict(dockerfile.build_args)
    args: dict[str, str | None] = {}  # ARGs in scope after FROM (None: declared without a value)
    config = base
    steps: list[Step] = []
    for index, instruction in enumerate(dockerfile.instructions):
        keyword, shown = instruction.keyword, instruction.original
        if index < dockerfile.from_index:
            steps.append(Step(shown, "arg", config))
            continue
        if keyword == "FROM":
            steps.append(Step(shown, "from", config))
            continue
        scope = {**{k: v for k, v in args.items() if v is not None}, **config.env_map}
        try:
            step = _plan_one(instruction, config, scope, args, (global_args, overrides), context)
        except _StepFailed as failed:
            steps.append(Step(shown, "fail", config, message=failed.message))
            break
        steps.append(step)
        config = step.config
    return steps


class _StepFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _plan_one(
    instruction: Instruction,
    config: ImageConfig,
    scope: dict[str, str],
    args: dict[str, str | None],
    outer: tuple[Mapping[str, str], Mapping[str, str]],  # the ARGs declared before FROM, and --build-arg values
    context: Mapping[str, bytes],
) -> Step:
    keyword, shown, rest = instruction.keyword, instruction.original, instruction.rest
    if keyword == "RUN":
        return _plan_run(shown, rest, config, args)
    if keyword in {"COPY", "ADD"}:
        return _plan_copy(instruction, config, scope, context)
    if keyword in {"CMD", "ENTRYPOINT"}:
        exec_form = _json_list(rest)
        argv = tuple(exec_form) if exec_form is not None else ((*config.shell, rest) if rest else ())
        if keyword == "CMD":
            return Step(shown, "config", replace(config, cmd=argv, cmd_set=True))
        # ENTRYPOINT resets a CMD inherited from the base image (not one this Dockerfile set before it).
        return Step(shown, "config", replace(config, entrypoint=argv, cmd=config.cmd if config.cmd_set else ()))
    if keyword == "ENV":
        return Step(shown, "config", config.with_env(name_values("ENV", rest, scope)))
    if keyword == "LABEL":
        labels = dict(config.labels)
        for name, value in name_values("LABEL", rest, scope):
            if name.startswith(RESERVED_LABEL_PREFIX):
                raise BuildRefused("build_label", name)
            labels[name] = value
        return Step(shown, "config", replace(config, labels=tuple(labels.items())))
    if keyword == "ARG":
        for name, value in name_values("ARG", rest, scope):
            global_args, overrides = outer
            if name in overrides:
                args[name] = overrides[name]
            elif "=" in _raw_arg(rest, name):
                args[name] = value
            else:
                args[name] = global_args.get(name)
        return Step(shown, "config", config)
    if keyword == "WORKDIR":
        path = process_word(rest, scope)
        workdir = posixpath.normpath(posixpath.join(config.workdir or "/", path))
        return Step(shown, "config", replace(config, workdir=workdir))
    if keyword == "USER":
        return Step(shown, "config", replace(config, user=process_word(split_words(rest)[0], scope)))
    if keyword == "EXPOSE":
        ports = set(config.exposed)
        for word in split_words(rest):
            ports.update(_ports(process_word(word, scope)))
        return Step(shown, "config", replace(config, exposed=tuple(sorted(ports))))
    if keyword == "SHELL":
        return Step(shown, "config", replace(config, shell=tuple(_json_list(rest) or DEFAULT_SHELL)))
    # STOPSIGNAL
    return Step(shown, "config", replace(config, stop_signal=process_word(rest, scope)))


def _raw_arg(rest: str, name: str) -> str:
    for word in split_words(rest):
        if word == name or word.startswith(f"{name}="):
            return word
    return ""


def _plan_run(shown: str, rest: str, config: ImageConfig, args: Mapping[str, str | None]) -> Step:
    exec_form = _json_list(rest)
    if exec_form is not None:
        argv = tuple(exec_form)
        return Step(shown, "run", config, argv=argv, command=" ".join(argv))
    command = " ".join((*config.shell, rest)) if rest else " ".join(config.shell)
    # ARG values reach the command as variables, like the builder's (they are not kept in the image's Env).
    exports = [
        f"{name}={shlex.quote(value)}"
        for name, value in args.items()
        if value is not None and name not in config.env_map
    ]
    script = f"export {' '.join(exports)}\n{rest}" if exports else rest
    argv = (*config.shell, script) if rest else tuple(config.shell)
    return Step(shown, "run", config, argv=argv, command=command)


def _ports(text: str) -> list[str]:
    port, _, protocol = text.partition("/")
    protocol = (protocol or "tcp").lower()
    low, _, high = port.partition("-")
    if not low.isdigit() or (high and not high.isdigit()) or protocol not in {"tcp", "udp", "sctp"}:
        raise _StepFailed(f"Invalid containerPort: {port or text}")
    first, last = int(low), int(high or low)
    if not 0 < first <= last <= 65535 or last - first > 1000:
        raise _StepFailed(f"Invalid containerPort: {port}")
    return [f"{number}/{protocol}" for number in range(first, last + 1)]


def _context(files: Mapping[str, str]) -> dict[str, bytes]:
    """The build context: the inline files by their normalised relative names."""
    context: dict[str, bytes] = {}
    for name, text in files.items():
        path = posixpath.normpath(name.lstrip("/"))
        if path in {".", ""} or path.startswith("../") or path == "..":
            continue  # outside the context: never copied
        context[path] = text.encode()
    return context


def _plan_copy(
    instruction: Instruction, config: ImageConfig, scope: Mapping[str, str], context: Mapping[str, bytes]
) -> Step:
    keyword, shown = instruction.keyword, instruction.original
    raw = _json_list(instruction.rest)
    words = [process_word(word, scope) for word in split_words(instruction.rest)] if raw is None else raw
    sources, destination = words[:-1], words[-1]
    flags = dict(instruction.flags)
    if keyword == "ADD":
        for source in sources:
            if source.lower().startswith(URL_PREFIXES):
                raise BuildRefused("build_add_url", source)
    uid, gid = _owner(flags.get("chown", ""), scope)
    if "chmod" in flags and not re.fullmatch(r"[0-7]{3,4}", flags["chmod"]):
        raise _StepFailed(f"invalid chmod parameter: {flags['chmod']}")
    mode = int(flags["chmod"], 8) if "chmod" in flags else 0o644
    found: list[tuple[str, bytes]] = []  # (path relative to the destination, data)
    single = True
    for source in sources:
        path = posixpath.normpath(source.lstrip("/")) if source.strip("/") else "."
        if path == ".." or path.startswith("../"):
            raise _StepFailed(f"{keyword} failed: forbidden path outside the build context: {source} ()")
        if path == ".":
            found.extend(sorted(context.items()))
            single = False
        elif path in context:
            found.append((posixpath.basename(path), context[path]))
        elif any(name.startswith(f"{path}/") for name in context):
            found.extend(
                (name[len(path) + 1 :], data) for name, data in sorted(context.items()) if name.startswith(f"{path}/")
            )
            single = False
        elif any(char in path for char in "*?["):
            matched = [(posixpath.basename(n), d) for n, d in sorted(context.items()) if fnmatch.fnmatchcase(n, path)]
            if not matched:
                raise _StepFailed(f"{keyword} failed: no source files were specified")
            found.extend(matched)
            single = single and len(matched) == 1
        else:
            raise _StepFailed(
                f"{keyword} failed: file not found in build context or excluded by .dockerignore: "
                f"stat {source}: file does not exist"
            )
    if len(sources) > 1 and not destination.endswith("/"):
        raise _StepFailed(
            f"When using {keyword} with more than one source file, the destination must be a directory and end with a /"
        )
    target = posixpath.normpath(posixpath.join(config.workdir or "/", destination))
    copies: tuple[CopyFile, ...]
    into_dir = ""
    if single and len(found) == 1 and not destination.endswith("/") and destination not in {".", "./"}:
        # A file to a path without "/": that path, unless it is a directory already (only the engine knows).
        copies = (CopyFile(target, found[0][1], mode, uid, gid),)
        into_dir = posixpath.join(target, found[0][0])
    else:
        copies = tuple(CopyFile(posixpath.join(target, name), data, mode, uid, gid) for name, data in found)
    return Step(shown, "copy", config, copies=copies, into_dir=into_dir)


def _owner(chown: str, scope: Mapping[str, str]) -> tuple[int, int]:
    """``--chown=uid[:gid]`` with numeric ids (``root`` is 0); names would need the image's /etc/passwd."""
    if not chown:
        return 0, 0
    user, _, group = process_word(chown, scope).partition(":")
    ids = []
    for part in (user, group or user):
        if part == "root":
            ids.append(0)
        elif part.isdigit():
            ids.append(int(part))
        else:
            raise _StepFailed(
                f"unable to convert uid/gid chown string to host mapping: can't find uid for user {part}: "
                f"no such user: {part}"
            )
    return ids[0], ids[1]
