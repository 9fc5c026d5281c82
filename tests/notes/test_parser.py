"""The Markdown structure of the real notes file: sections, definitions, entries, symbols."""

from __future__ import annotations

from bot.notes.parser import parse_markdown, symbol_kind
from tests.notes.conftest import REAL_NOTES


def _sections() -> dict[str, object]:
    text = (REAL_NOTES / "docker-guide-ko.md").read_text(encoding="utf-8")
    return {s.key: s for s in parse_markdown(text, "docker-guide-ko.md")}


def test_headings_give_section_paths() -> None:
    sections = _sections()
    assert "Dockerfile › command" in sections
    assert "이미지 › 이미지 이름" in sections
    assert "컨테이너를 업데이트 하려면?" in sections
    # the single `#` heading is the title, not a prefix of every path
    assert not any(key.startswith("Docker › ") for key in sections)


def test_blockquote_under_heading_is_definition() -> None:
    sections = _sections()
    assert sections["이미지"].definition == "컨테이너 실행에 필요한 파일과 설정값을 포함하고 있는 것."
    assert sections["이미지 › 이미지 이름"].definition.startswith("[Registry URL]")
    assert sections["Docker-compose"].definition == ""
    assert "yaml" in sections["Docker-compose"].body[0]


def test_code_span_entries_are_symbols_kept_with_their_section() -> None:
    sections = _sections()
    commands = [e.symbol for e in sections["Dockerfile › command"].entries]
    assert commands[:3] == ["FROM", "MAINTAINER", "COPY"]
    cli = [e.symbol for e in sections["명령어"].entries]
    assert cli.count("-v") == 2
    assert {"run", "-d", "-name", "-rm", "-link", "-t"} <= set(cli)
    second_v = [e for e in sections["명령어"].entries if e.symbol == "-v"][1]
    assert second_v.text == "/my/own/datadir:/var/lib/mysql"
    assert symbol_kind("RUN") == "instruction"
    assert symbol_kind("run") == "command"
    assert symbol_kind("-v") == "flag"


def test_continuation_lines_belong_to_their_item() -> None:
    sections = _sections()
    first = sections["명령어"].entries[0]
    assert first.symbol is None
    assert "Docker version" in first.raw and "클라와 서버 역할" in first.raw
    tag = next(e for e in sections["명령어"].entries if e.symbol == "-t")
    assert "Docker tag app naanace/sinatra-app:1" in tag.raw  # the quoted lines under the item
    layer = sections["컨테이너"].entries[-1]
    assert layer.raw.endswith("최소한의 용량만 사용된다.")


def test_numbered_lists_are_entries() -> None:
    update = _sections()["컨테이너를 업데이트 하려면?"]
    assert [e.raw[:6] for e in update.entries] == ["새 버전의 ", "기존 컨테이", "새 이미지를"]
    assert "aws s3" in update.body[0]


def test_fenced_code_and_other_list_markers() -> None:
    text = "# T\n\n## A\n* `x` one\n  two\n+ three\n\n```\n# not a heading\n- not an item\n```\n1. four\n"
    (section,) = [s for s in parse_markdown(text, "t.md") if s.key == "A"]
    assert [e.raw for e in section.entries] == ["`x` one\ntwo", "three", "four"]
    assert "# not a heading" in section.body[0]
