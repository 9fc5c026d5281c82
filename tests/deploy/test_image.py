"""The deployment, for real: the compose file validates, the image builds offline from a locally made base,
answers `!explain` inside the container, and a runner container serves a sandbox run to a bot container."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import REPO_ROOT

pytestmark = pytest.mark.docker


def docker(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=check)


def test_compose_file_is_valid(tmp_path: Path) -> None:
    shutil.copy(REPO_ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(REPO_ROOT / "runner.env", tmp_path / "runner.env")
    (tmp_path / ".env").write_text(
        (REPO_ROOT / ".env.example").read_text(encoding="utf-8") + "\nDISCORD_TOKEN=chat-secret-value\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["docker-compose", "config"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    services = result.stdout.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    bot_part, runner_part = services.split("\n  runner:\n", 1)
    # Only the runner sees the Docker socket; the bot keeps its state in the named volume.
    assert "docker.sock" not in bot_part and "/var/run/docker.sock:/var/run/docker.sock" in runner_part
    assert "state:/var/lib/studybot" in bot_part
    assert "STUDYBOT_SANDBOX_URL: http://runner:8080" in bot_part
    # The chat token reaches the bot only; the runner gets the shared sandbox secret and nothing else from .env.
    assert "chat-secret-value" in bot_part and "chat-secret-value" not in runner_part
    assert "STUDYBOT_SANDBOX_TOKEN: change-me" in runner_part


def test_image_answers_explain_as_a_non_root_user(image: str) -> None:
    result = docker("run", "--rm", image, "say", "!explain 이미지", timeout=60)
    assert "컨테이너 실행에 필요한 파일과 설정값" in result.stdout, result.stdout + result.stderr
    who = docker("run", "--rm", "--entrypoint", "id", image, "-u")
    assert who.stdout.strip() == "10001"
    health = docker("run", "--rm", image, "health", timeout=60, check=False)
    assert health.returncode == 0, health.stdout + health.stderr


@pytest.fixture
def runner_container(image: str) -> Iterator[tuple[str, str, str]]:
    suffix = secrets.token_hex(4)
    network, name, token = f"studybot-ci-{suffix}", f"studybot-runner-{suffix}", secrets.token_urlsafe(24)
    docker("network", "create", "--internal", network)
    socket_gid = str(os.stat("/var/run/docker.sock").st_gid)
    try:
        docker(
            "run", "-d", "--name", name, "--network", network, "--network-alias", "runner",
            "-v", "/var/run/docker.sock:/var/run/docker.sock", "--group-add", socket_gid,
            "-e", f"STUDYBOT_SANDBOX_TOKEN={token}", "-e", "STUDYBOT_SANDBOX_OWNER=studybot-test",
            "-e", "STUDYBOT_SANDBOX_PREFETCH=false",
            image, "runner", "--host", "0.0.0.0", "--port", "8080",
        )
        deadline = time.monotonic() + 30
        while True:
            probe = docker("exec", name, "python", "-m", "bot", "health", "--url", "http://127.0.0.1:8080/healthz",
                           check=False)
            if probe.returncode == 0:
                break
            assert time.monotonic() < deadline, docker("logs", name, check=False).stderr
            time.sleep(0.5)
        yield network, name, token
    finally:
        docker("rm", "-f", name, check=False)
        docker("network", "rm", network, check=False)


def test_bot_container_runs_sandboxes_through_the_runner(
    image: str, runner_container: tuple[str, str, str]
) -> None:
    network, name, token = runner_container
    result = docker(
        "run", "--rm", "--network", network,
        "-e", "STUDYBOT_SANDBOX_URL=http://runner:8080", "-e", f"STUDYBOT_SANDBOX_TOKEN={token}",
        image, "say", "!run alpine echo hi from the runner", timeout=90,
    )
    assert "hi from the runner" in result.stdout, result.stdout + result.stderr
    assert "exit 0" in result.stdout
    # The bot container has no Docker socket: the run happened in the runner.
    logs = docker("logs", name).stderr + docker("logs", name).stdout
    assert "image=" in logs and "outcome=ok" in logs
    stop = docker("stop", "-t", "20", name, timeout=60)
    assert stop.returncode == 0
    state = docker("inspect", "-f", "{{.State.ExitCode}}", name).stdout.strip()
    assert state == "0"


def test_compose_runs_the_runner_and_the_bot_reaches_it(image: str, tmp_path: Path) -> None:
    shutil.copy(REPO_ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copytree(REPO_ROOT / "data" / "notes", tmp_path / "data" / "notes")
    shutil.copy(REPO_ROOT / "runner.env", tmp_path / "runner.env")
    (tmp_path / ".env").write_text(
        f"STUDYBOT_IMAGE={image}\nSTUDYBOT_SANDBOX_TOKEN={secrets.token_urlsafe(24)}\n"
        f"DOCKER_GID={os.stat('/var/run/docker.sock').st_gid}\n"
        "STUDYBOT_SANDBOX_OWNER=studybot-test\nSTUDYBOT_SANDBOX_PREFETCH=false\n",
        encoding="utf-8",
    )
    project = f"studybot-ci-{secrets.token_hex(3)}"

    def compose(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["docker-compose", "-p", project, *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=timeout)

    try:
        up = compose("up", "-d", "--no-build", "runner")
        assert up.returncode == 0, up.stderr
        deadline = time.monotonic() + 60
        while True:
            said = compose("run", "--rm", "--no-deps", "bot", "say", "!run alpine echo hi via compose")
            if "hi via compose" in said.stdout or time.monotonic() > deadline:
                break
            time.sleep(1)  # the runner may still be starting
        assert "hi via compose" in said.stdout and "exit 0" in said.stdout, said.stdout + said.stderr
    finally:
        compose("down", "-v", "--remove-orphans")
