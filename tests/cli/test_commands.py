"""`python -m bot …` as a user runs it: say, console (piped), index, run without a token, bad settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.config import REPO_ROOT
from tests.quiz.conftest import bank_with


def bot(*args: str, stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "DISCORD_", "SLACK_"))}
    environment.update({"PYTHONPATH": str(REPO_ROOT), "STUDYBOT_SANDBOX_PREFETCH": "false"})
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, timeout=timeout,
        env=environment, cwd=cwd,
    )


def state(tmp_path: Path) -> dict[str, str]:
    return {"STUDYBOT_DB_PATH": str(tmp_path / "state.sqlite3")}


def test_say_answers_one_message(tmp_path: Path) -> None:
    result = bot("say", "!explain 이미지", env=state(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "컨테이너 실행에 필요한 파일과 설정값" in result.stdout
    assert "Traceback" not in result.stderr


def test_console_handles_piped_lines_in_order_and_exits(tmp_path: Path) -> None:
    result = bot("console", "--user", "mina", "--channel", "study",
                 stdin="!help\n!explain --rm\nhello\n!nosuch\n", env=state(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("Docker Study Bot — commands") < out.index("--rm") < out.index("Unknown command `!nosuch`")
    assert "not a command" in out


def quiz_env(tmp_path: Path, *ids: str) -> dict[str, str]:
    quizzes = tmp_path / "quizzes"
    quizzes.mkdir(exist_ok=True)
    (quizzes / "bank.yaml").write_text(bank_with(*ids), encoding="utf-8")
    return {**state(tmp_path), "STUDYBOT_QUIZ_DIR": str(quizzes), "STUDYBOT_QUIZ_GENERATED": "false",
            "STUDYBOT_QUIZ_QUESTION_SECONDS": "5", "STUDYBOT_QUIZ_PAUSE_SECONDS": "1"}


def test_console_shows_choices_as_numbers_and_takes_a_number(tmp_path: Path) -> None:
    result = bot("console", "--user", "mina", stdin="!quiz 1\n2\n", env=quiz_env(tmp_path, "t-mc"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[1] docker" in out and "[4] docker" in out
    chosen = out.split("[2] ", 1)[1].split("\n", 1)[0]
    assert f"Your answer **{chosen}** is locked in." in out
    assert out.count("이미지를 삭제하는 명령어는?") == 1  # closing the question does not print it again


def test_console_takes_the_text_of_a_choice_or_a_typed_answer(tmp_path: Path) -> None:
    mc = bot("console", "--user", "mina", stdin="!quiz 1\ndocker rmi\n", env=quiz_env(tmp_path, "t-mc"),
             cwd=tmp_path)
    assert "✅ mina" in mc.stdout.split("Answer: docker rmi", 1)[1]
    free = bot("console", "--user", "mina", stdin="!quiz 1\ncontainer\n", env=quiz_env(tmp_path, "t-free"),
               cwd=tmp_path)
    assert "✍️" in free.stdout
    assert "✅ mina" in free.stdout.split("Answer: 컨테이너", 1)[1]


def test_run_without_a_token_starts_the_console_and_says_so(tmp_path: Path) -> None:
    result = bot("run", stdin="!explain -d\n", env=state(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No chat token configured: starting the local console" in result.stderr
    assert "detached" in result.stdout


def test_index_prints_what_it_indexed(tmp_path: Path) -> None:
    result = bot("index", env=state(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Indexed 1 file(s)" in result.stdout and "sections" in result.stdout and "entries" in result.stdout


def test_bad_settings_are_named_without_a_traceback(tmp_path: Path) -> None:
    result = bot("say", "!help", env={**state(tmp_path), "STUDYBOT_LANG": "fr", "STUDYBOT_PREFIX": ""}, cwd=tmp_path)
    assert result.returncode == 2
    assert "STUDYBOT_LANG" in result.stderr and "STUDYBOT_PREFIX" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_notes_folder_is_a_clear_start_up_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-notes"
    result = bot("say", "!help", env={**state(tmp_path), "STUDYBOT_NOTES_DIR": str(missing)}, cwd=tmp_path)
    assert result.returncode == 2
    assert str(missing) in result.stderr and "Traceback" not in result.stderr


def test_korean_ui(tmp_path: Path) -> None:
    result = bot("say", "!hlep", env={**state(tmp_path), "STUDYBOT_LANG": "ko"}, cwd=tmp_path)
    assert "알 수 없는 명령어" in result.stdout


def test_backup_writes_a_consistent_copy(tmp_path: Path) -> None:
    assert bot("index", env=state(tmp_path), cwd=tmp_path).returncode == 0
    target = tmp_path / "backup.sqlite3"
    result = bot("backup", str(target), env=state(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert target.stat().st_size > 0 and "Backed up" in result.stdout
    again = bot("backup", str(target), env=state(tmp_path), cwd=tmp_path)
    assert again.returncode == 1 and "exists already" in again.stderr
