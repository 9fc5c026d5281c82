"""Typing slips read as meant: Korean typed with the English layout on (`ehzj zjsxpdlsj` is 도커 컨테이너), a Docker
command typed with the Korean layout on (`애찯ㄱ ㅔㄴ` is docker ps), and a command misspelt after `docker`."""

from __future__ import annotations

import pytest

from bot.notes.layout import hangul, keys, retyped
from bot.notes.query import mend_commands
from tests.explain.conftest import Ask

_KOREAN = {"도커", "컨테이너", "삭제", "이미지", "어떻게", "해요", "하려면"}
_DOCKER = {"docker", "ps", "run", "rm", "images"}


def _retyped(text: str) -> str:
    return retyped(text, _KOREAN.__contains__, lambda w: w in _DOCKER or w in {"how", "do", "i", "list", "go"},
                   _DOCKER.__contains__)


@pytest.mark.parametrize("word", ["도커", "컨테이너", "삭제", "어떻게", "해요", "읽어봐", "괜찮아", "닭", "없는",
                                  "의지", "왜", "쌓였는데", "뛰어"])
def test_a_korean_word_is_typed_by_its_keys_and_back(word: str) -> None:
    typed = keys(word)
    assert typed is not None and typed.isascii()
    assert hangul(typed) == word


def test_shifted_keys_type_double_consonants() -> None:
    assert hangul("djEjgrp") == "어떻게"
    assert hangul("dlQmsep") == "이쁜데"


@pytest.mark.parametrize("keys_typed", ["ls", "run", "docker", "images", "sql"])
def test_keys_that_leave_a_letter_alone_are_no_korean(keys_typed: str) -> None:
    assert hangul(keys_typed) is None


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("ehzj zjsxpdlsj tkrwp djEjgrp gody?", "도커 컨테이너 삭제 어떻게 해요?"),
        ("애찯ㄱ ㅔㄴ 하면 아무것도 안나와요", "docker ps 하면 아무것도 안나와요"),
        ("dlalwl tkrwp 하려면", "이미지 삭제 하려면"),
        ("Ehzj Zjsxpdlsj", "도커 컨테이너"),  # a phone's capital, not Shift
        ("ehzj zjsxpdlsj clean", "도커 컨테이너 clean"),  # clean types no Korean word
        ("zjsxpdlsj aksemsmsqjq", "컨테이너 만드는법"),  # beside a word known, one unknown (a spacing slip) too
    ],
)
def test_layout_slips_are_read_as_meant(text: str, meant: str) -> None:
    assert _retyped(text) == meant


@pytest.mark.parametrize(
    "text",
    [
        "go to the pub",  # 해 새 … : no word known in Korean
        "how do i list images",
        "그 명령어 뭐더라",  # 그 is typed with the keys of `rm`, but it is a word
        "ㅋㅋㅋ 도커 어렵다",  # chat, no Docker word
        "docker run 하면 ls 됨?",
        "https://ehzj.com/zjsxpdlsj",  # a URL is no slip
        "ehzj_zjsxpdlsj ehzj123",
    ],
)
def test_words_that_are_no_slip_stay(text: str) -> None:
    assert _retyped(text) == text


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("ehzj zjsxpdlsj tkrwp djEjgrp gody?", "rm · 명령어"),
        ("애찯ㄱ ㅔㄴ 하면 아무것도 안나와요", "ps · 명령어"),
        ("dlalwl wldnsmsqjq", "rmi · 명령어"),  # 이미지 지우는법
        ("docker rnu 하면 칠때마다 새 컨테이너가 생기는거 마즘?", "run · 명령어"),
        ("docker rnu를 치면 매번 새 컨테이너가 생기나요", "run · 명령어"),  # a particle stuck to it
    ],
)
async def test_a_slip_gets_the_answer_of_what_was_meant(ask: Ask, query: str, title: str) -> None:
    (reply,) = await ask(f"!explain {query}")
    assert reply.title == title, reply.plain_text()


async def test_a_misspelt_command_after_docker_gets_its_reference_page(ask: Ask) -> None:
    (reply,) = await ask("!explain dokcer imgaes로 이미지 목록 보는거 맞나요")
    assert reply.plain_text().startswith("Docker reference · docker images"), reply.plain_text()


@pytest.mark.parametrize(
    ("text", "kept"),
    [("the rocker image is cool", "rocker image"),  # a slip rarely hits the first letter
     ("docker stat 뭐임", "docker stat"),  # stats or start: left as typed
     ("docker logs 보는 법", "docker logs")],
)
def test_only_a_command_near_one_is_mended(text: str, kept: str) -> None:
    words = frozenset({"stats", "start", "logs", "image", "images", "run"})
    assert kept in mend_commands(text, lambda w: w in {"the", "is", "cool"}, words.__contains__, words)
