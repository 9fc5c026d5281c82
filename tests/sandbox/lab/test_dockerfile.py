"""The lab's Dockerfile parser and planner (no engine): the legacy builder's grammar and texts, and the refusals
the lab decides before anything runs."""

from __future__ import annotations

import pytest

from bot.sandbox.lab.dockerfile import (
    MAX_STEPS,
    BuildRefused,
    DockerfileError,
    ImageConfig,
    Step,
    logical_lines,
    plan,
    process_word,
    read,
)

BASE = ImageConfig(cmd=("/bin/sh",), env=(("PATH", "/usr/bin:/bin"),), workdir="/tmp")


def steps_of(text: str, files: dict[str, str] | None = None, base: ImageConfig = BASE) -> list[Step]:
    return plan(read(text), base, files or {})


def final(text: str, files: dict[str, str] | None = None) -> ImageConfig:
    return steps_of(text, files)[-1].config


def parse_error(text: str) -> str:
    with pytest.raises(DockerfileError) as caught:
        read(text)
    return caught.value.message


def refusal(text: str, files: dict[str, str] | None = None) -> tuple[str, str]:
    with pytest.raises(BuildRefused) as caught:
        steps_of(text, files)
    return caught.value.refusal, caught.value.detail


def test_comments_and_continuations_join_like_the_builder() -> None:
    text = (
        "# syntax comment\nFROM alpine\n\n  # indented comment\n"
        "RUN echo a \\\n   && echo b \\\n# inside\n  && echo c\n"
    )
    assert logical_lines(text) == [(2, "FROM alpine"), (5, "RUN echo a    && echo b   && echo c")]
    steps = steps_of(text)
    assert [s.shown for s in steps] == ["FROM alpine", "RUN echo a    && echo b   && echo c"]
    assert steps[1].argv == ("/bin/sh", "-c", "echo a    && echo b   && echo c")


def test_keywords_are_case_insensitive() -> None:
    steps = steps_of("from alpine\nrun echo hi\ncmd echo bye\n")
    assert [s.kind for s in steps] == ["from", "run", "config"]
    assert steps[-1].config.cmd == ("/bin/sh", "-c", "echo bye")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the Dockerfile (Dockerfile) cannot be empty"),
        ("# only a comment\n", "failed to parse Dockerfile: file with no instructions"),
        ("RUN echo\n", "no build stage in current context"),
        ("FROM alpine\nFOO bar\n", "dockerfile parse error line 2: unknown instruction: FOO"),
        ("FROM alpine\nENV A\n", "failed to parse Dockerfile: ENV must have two arguments"),
        ("FROM alpine\nLABEL a\n", "failed to parse Dockerfile: LABEL must have two arguments"),
        (
            "FROM alpine\nENV A=1 B\n",
            'failed to parse Dockerfile: Syntax error - can\'t find = in "B". Must be of the form: name=value',
        ),
        ("FROM alpine\nENV =1\n", "dockerfile parse error line 2: ENV names can not be blank"),
        (
            "FROM alpine\nCOPY a.txt\n",
            "dockerfile parse error line 2: COPY requires at least two arguments, but only one was provided. "
            "Destination could not be determined",
        ),
        ("FROM alpine AS b c\n", "dockerfile parse error line 1: FROM requires either one or three arguments"),
        ("FROM alpine\nWORKDIR\n", "dockerfile parse error line 2: WORKDIR requires exactly one argument"),
        ("FROM alpine\nUSER\n", "dockerfile parse error line 2: USER requires exactly one argument"),
        ("FROM alpine\nEXPOSE\n", "dockerfile parse error line 2: EXPOSE requires at least one argument"),
        ("FROM alpine\nSHELL sh\n", "dockerfile parse error line 2: SHELL requires the arguments to be in JSON form"),
        ("FROM alpine\nCOPY --foo=1 a b\n", "dockerfile parse error line 2: Unknown flag: foo"),
    ],
)
def test_parse_errors_are_the_builders_texts(text: str, message: str) -> None:
    # Each text was checked against `DOCKER_BUILDKIT=0 docker build` (docker 28).
    assert parse_error(text) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM alpine\nADD http://example.com/x.tar /x\n", ("build_add_url", "http://example.com/x.tar")),
        ('FROM alpine\nADD ["https://example.com/a", "/a"]\n', ("build_add_url", "https://example.com/a")),
        ("FROM alpine\nVOLUME /data\n", ("build_unsupported", "VOLUME")),
        ("FROM alpine\nHEALTHCHECK CMD true\n", ("build_unsupported", "HEALTHCHECK")),
        ("FROM alpine AS one\nFROM alpine\n", ("build_unsupported", "FROM alpine")),
        ("FROM alpine\nCOPY --from=builder /a /b\n", ("build_unsupported", "COPY --from=builder")),
        ("FROM --platform=linux/arm64 alpine\n", ("build_unsupported", "FROM --platform=linux/arm64")),
        ("FROM alpine\nRUN --mount=type=cache,target=/x echo\n", ("build_unsupported", "RUN --mount")),
        ("FROM alpine\nLABEL studybot.lab=other\n", ("build_label", "studybot.lab")),
        ("FROM alpine\nARG K=studybot.lab.owner\nLABEL ${K}=me\n", ("build_label", "studybot.lab.owner")),
        ("FROM alpine\nARG U=http://example.com/a\nADD $U /a\n", ("build_add_url", "http://example.com/a")),
    ],
)
def test_refusals_come_before_anything_runs(text: str, expected: tuple[str, str]) -> None:
    assert refusal(text) == expected


def test_too_many_steps_is_refused() -> None:
    assert refusal("FROM alpine\n" + "ENV A=1\n" * MAX_STEPS) == ("build_steps", str(MAX_STEPS))


def test_arg_before_from_chooses_the_base_and_is_a_step_without_an_id() -> None:
    dockerfile = read("ARG TAG=latest\nFROM alpine:${TAG}\nRUN echo $TAG\n")
    assert dockerfile.base == "alpine:latest"
    steps = plan(dockerfile, BASE, {})
    assert [(s.kind, s.shown) for s in steps] == [
        ("arg", "ARG TAG=latest"), ("from", "FROM alpine:${TAG}"), ("run", "RUN echo $TAG"),
    ]
    assert steps[2].argv == ("/bin/sh", "-c", "echo $TAG")  # a global ARG is not in scope after FROM


def test_args_reach_run_as_variables_but_stay_out_of_the_image() -> None:
    steps = steps_of("ARG V=1\nFROM alpine\nARG V\nARG W='two words'\nENV E=$W\nRUN echo $V $W\n")
    run = steps[-1]
    assert run.argv == ("/bin/sh", "-c", "export V=1 W='two words'\necho $V $W")
    assert run.command == "/bin/sh -c echo $V $W"  # what a failure quotes
    assert dict(run.config.env) == {"PATH": "/usr/bin:/bin", "E": "two words"}


def test_env_forms_substitution_and_order() -> None:
    config = final('FROM alpine\nENV A=1 B="x y"\nENV C=${A}-$B D=${MISSING:-dflt} E=${A:+set}\nENV F plain words\n')
    env = dict(config.env)
    assert env == {"PATH": "/usr/bin:/bin", "A": "1", "B": "x y", "C": "1-x y", "D": "dflt", "E": "set",
                   "F": "plain words"}
    assert final("FROM alpine\nENV PATH=/opt:$PATH\n").env == (("PATH", "/opt:/usr/bin:/bin"),)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("'$A'", "$A"),
        ('"$A b"', "1 b"),
        ("\\$A", "$A"),
        ('"a\\"b"', 'a"b'),
        ("${A}x${NOPE}", "1x"),
        ("${NOPE-unset}", "unset"),
        ("${EMPTY-unset}${EMPTY:-empty}", "empty"),
        ("$", "$"),
    ],
)
def test_process_word(word: str, expected: str) -> None:
    assert process_word(word, {"A": "1", "EMPTY": ""}) == expected


def test_config_instructions() -> None:
    config = final(
        "FROM alpine\nWORKDIR /app\nWORKDIR src\nUSER nobody\nEXPOSE 80 53/udp 8000-8001\n"
        'LABEL a=b "c d"="e f"\nSTOPSIGNAL SIGINT\n'
    )
    assert config.workdir == "/app/src"
    assert config.user == "nobody"
    assert config.exposed == ("53/udp", "80/tcp", "8000/tcp", "8001/tcp")
    assert dict(config.labels) == {"a": "b", "c d": "e f"}
    engine = config.to_engine({"studybot.lab": "x"})
    assert engine["Labels"] == {"a": "b", "c d": "e f", "studybot.lab": "x"}
    assert engine["StopSignal"] == "SIGINT"
    assert engine["Entrypoint"] == [] and engine["Cmd"] == ["/bin/sh"]  # explicit, never left to the engine


def test_entrypoint_resets_an_inherited_cmd_but_not_one_set_here() -> None:
    assert final('FROM alpine\nENTRYPOINT ["echo"]\n').cmd == ()
    config = final('FROM alpine\nCMD ["hi"]\nENTRYPOINT ["echo"]\n')
    assert (config.entrypoint, config.cmd) == (("echo",), ("hi",))
    assert final("FROM alpine\nCMD [not json\n").cmd == ("/bin/sh", "-c", "[not json")


def test_shell_changes_run_and_cmd() -> None:
    steps = steps_of('FROM alpine\nSHELL ["/bin/ash", "-e", "-c"]\nRUN false\nCMD echo hi\n')
    assert steps[2].argv == ("/bin/ash", "-e", "-c", "false")
    assert steps[2].command == "/bin/ash -e -c false"
    assert steps[3].config.cmd == ("/bin/ash", "-e", "-c", "echo hi")


def test_run_exec_form() -> None:
    run = steps_of('FROM alpine\nRUN ["sh", "-c", "exit 3"]\n')[1]
    assert (run.argv, run.command) == (("sh", "-c", "exit 3"), "sh -c exit 3")


def test_copy_paths() -> None:
    files = {"a.txt": "A", "b.txt": "B", "src/x.py": "X", "src/sub/y.py": "Y", "Dockerfile": "FROM alpine"}
    steps = steps_of(
        "FROM alpine\nWORKDIR /app\nCOPY a.txt .\nCOPY a.txt /etc/renamed\nCOPY a.txt b.txt /many/\n"
        "COPY src /code\nCOPY *.txt /globbed/\nCOPY --chown=1000:1001 --chmod=600 a.txt /owned/\n",
        files,
    )
    copies = {s.shown.split(" ", 1)[1]: s for s in steps if s.kind == "copy"}
    dot = copies["a.txt ."]
    assert [(c.path, c.data) for c in dot.copies] == [("/app/a.txt", b"A")]
    renamed = copies["a.txt /etc/renamed"]
    assert [c.path for c in renamed.copies] == ["/etc/renamed"]
    assert renamed.into_dir == "/etc/renamed/a.txt"  # if /etc/renamed is a directory, inside it
    assert [c.path for c in copies["a.txt b.txt /many/"].copies] == ["/many/a.txt", "/many/b.txt"]
    assert [c.path for c in copies["src /code"].copies] == ["/code/sub/y.py", "/code/x.py"]
    assert [c.path for c in copies["*.txt /globbed/"].copies] == ["/globbed/a.txt", "/globbed/b.txt"]
    owned = copies["--chown=1000:1001 --chmod=600 a.txt /owned/"].copies[0]
    assert (owned.path, owned.uid, owned.gid, owned.mode) == ("/owned/a.txt", 1000, 1001, 0o600)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "FROM alpine\nRUN echo before\nCOPY nope.txt /x\nRUN echo after\n",
            "COPY failed: file not found in build context or excluded by .dockerignore: "
            "stat nope.txt: file does not exist",
        ),
        (
            "FROM alpine\nCOPY a.txt a.txt /x\n",
            "When using COPY with more than one source file, the destination must be a directory and end with a /",
        ),
        ("FROM alpine\nCOPY ../a.txt /x\n", "COPY failed: forbidden path outside the build context: ../a.txt ()"),
        ("FROM alpine\nEXPOSE abc\n", "Invalid containerPort: abc"),
        ("FROM alpine\nCOPY --chmod=999 a.txt /x\n", "invalid chmod parameter: 999"),
    ],
)
def test_failures_the_builder_reports_at_their_step(text: str, message: str) -> None:
    steps = steps_of(text, {"a.txt": "A"})
    assert steps[-1].kind == "fail"
    assert steps[-1].message == message
    assert "RUN echo after" not in [s.shown for s in steps]  # the build stops there


def test_build_args_override_arg_defaults() -> None:
    dockerfile = read("ARG TAG=3.18\nFROM alpine:$TAG\nARG WHO=world\nARG TAG\nRUN echo $WHO $TAG\n",
                      {"TAG": "latest", "WHO": "lab", "UNUSED": "x"})
    assert dockerfile.base == "alpine:latest"
    run = plan(dockerfile, BASE, {})[-1]
    assert run.argv == ("/bin/sh", "-c", "export WHO=lab TAG=latest\necho $WHO $TAG")
