"""The lab over the runner's HTTP protocol: ``/v1/lab``, ``/v1/lab/state`` and ``/v1/lab/reset`` on a real
runner service (its lab a :class:`RecordingLab`), reached by the bot's real client (``RemoteSandbox.lab``)
through ``!docker``: what crosses, a build's output as it comes, the runner's checks and errors, and each lab
kept on one runner (rendezvous hashing)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from bot.config import Settings
from bot.core import Core
from bot.lab import command as lab_command
from bot.replies import Reply, Tone
from bot.sandbox.client import RemoteSandbox
from bot.sandbox.lab.port import MAX_FILE_BYTES, LabAnswer, LabContainer, LabImage, LabOwner, LabQuotas, LabState
from bot.sandbox.pool import Endpoint, RunnerPool
from bot.sandbox.server import RunnerServer
from bot.storage import Database
from tests.invocations import CollectingResponder, invocation
from tests.lab.recording import RecordingLab
from tests.sandbox.sbx import BASE, TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@dataclass
class Wire:
    url: str
    lab: RecordingLab  # what the runner's lab was asked
    core: Core  # a bot whose sandbox is that runner

    async def say(self, args: str, user: str = "alice", lang: str = "en") -> list[Reply]:
        inv = invocation(user, lang=lang)
        await self.core.invoke(inv, "docker", args)
        assert isinstance(inv.responder, CollectingResponder)
        return inv.responder.sent

    async def post(self, path: str, body: bytes | dict[str, Any], headers: dict[str, str] | None = None
                   ) -> tuple[int, Any]:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        async with aiohttp.ClientSession() as session, session.post(
            self.url + path, data=data, headers={**AUTH, **(headers or {})}
        ) as response:
            return response.status, await response.json(content_type=None)


@pytest.fixture
async def start_wire(make_settings: Callable[..., Settings]) -> AsyncIterator[Callable[..., Any]]:
    servers: list[RunnerServer] = []
    cores: list[Core] = []

    async def start(token: str | None = TOKEN, url: str | None = None) -> Wire:
        server = RunnerServer(make_settings(**BASE).sandbox, TOKEN)
        servers.append(server)
        lab = RecordingLab()
        server.service.sandbox.lab = lab  # the real lab is the engine's; its own tests are in tests/sandbox/lab
        port = await server.start("127.0.0.1", 0)
        runner_url = f"http://127.0.0.1:{port}"
        settings = make_settings(**BASE, sandbox_url=url or runner_url, sandbox_token=token)
        core = Core(settings=settings, db=await Database.open(settings.db_path), notes=None)  # type: ignore[arg-type]
        cores.append(core)
        await lab_command.install(core)
        return Wire(runner_url, lab, core)

    yield start
    for core in cores:
        await core.close()
    for server in servers:
        await server.stop()


async def test_a_command_crosses_with_its_words_files_and_owner(start_wire: Callable[..., Any]) -> None:
    wire = await start_wire()
    wire.lab.answers.append(LabAnswer(125, "", truncated=True, refusal="quota", detail="running:3",
                                      notes=("no_tty", "ports_not_published")))
    wire.lab.answers.append(LabAnswer(0, "Successfully built 0123456789ab\n", notes=("still_running",)))
    [refused] = await wire.say("run -it -p 80:80 alpine")
    assert refused.tone is Tone.ERROR and "at most 3 running containers" in refused.plain_text()
    *_, built = await wire.say("build -t hello .\n```\nFROM alpine\n```\n```app.py\nprint('hé')\n```")
    assert "Successfully built 0123456789ab" in built.plain_text() and "still running" in built.plain_text()
    first, second = wire.lab.requests
    assert first.argv == ("run", "-it", "-p", "80:80", "alpine") and first.files == {}
    assert second.argv == ("build", "-t", "hello", ".")
    assert second.files == {"Dockerfile": "FROM alpine", "app.py": "print('hé')"}
    assert first.owner == second.owner == LabOwner(member="u-alice", server="console:guild-1")


async def test_a_builds_output_is_shown_while_it_comes(start_wire: Callable[..., Any]) -> None:
    wire = await start_wire()
    wire.lab.outputs = ("Step 1/1 : FROM alpine\n", "Step 1/1 : FROM alpine\n ---> 1a2b3c4d5e6f\n")
    wire.lab.answers.append(LabAnswer(0, wire.lab.outputs[-1] + "Successfully built 1a2b3c4d5e6f\n"))
    progress, answer = await wire.say("build .\n```\nFROM alpine\n```")
    assert progress.plain_text() == "🔨 The build finished; its answer is below."
    assert answer.tone is Tone.SUCCESS


async def test_state_and_reset_cross_whole(start_wire: Callable[..., Any]) -> None:
    wire = await start_wire()
    state = LabState(
        containers=(LabContainer("web", "a" * 64, "alpine", ("sleep", "300"), "running", 0, 1.5, env=("A=1",),
                                 ports=("8080:80",), networks=("net",), volumes=("data:/data",)),),
        images=(LabImage("hello:latest", "b" * 64, 1024, 2.5, cmd=("echo", "hi"), built=True),),
        volumes=("data",), networks=("net",), expires_at=123.0,
        quotas=LabQuotas(3, 10, 5, 300 * 2**20, 3, 2, 1800.0), runtime="runsc",
    )
    wire.lab.state_answer = state
    wire.lab.removed = 5
    sandbox = wire.core.open_sandbox()
    assert isinstance(sandbox, RemoteSandbox)
    owner = LabOwner("m1", "discord:1")
    assert await sandbox.lab.state(owner) == state
    assert await sandbox.lab.reset(owner) == 5
    assert wire.lab.asked == [("state", owner), ("reset", owner)]
    assert "5 objects removed" in (await wire.say("reset"))[-1].plain_text()


async def test_wrong_credentials_and_no_runner_are_one_sentence(start_wire: Callable[..., Any]) -> None:
    wire = await start_wire(token="wrong-token-0123456789abcdefghijklmnop")
    [reply] = await wire.say("ps")
    assert "refused the bot's credentials" in reply.plain_text()
    down = await start_wire(url="http://127.0.0.1:9")
    [reply] = await down.say("status")
    assert reply.tone is Tone.ERROR and "The sandbox runner is not reachable right now" in reply.plain_text()
    assert wire.lab.requests == [] and down.lab.asked == []


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        ("/v1/lab", {"member": "m", "server": "s", "argv": "ps"}, "argv must be a list"),
        ("/v1/lab", {"member": "m", "server": "s", "argv": ["ps"], "privileged": True}, "'privileged' is not accepted"),
        ("/v1/lab", {"member": "", "server": "s", "argv": ["ps"]}, "member must be"),
        ("/v1/lab", {"member": "m", "argv": ["ps"]}, "server must be"),
        ("/v1/lab", {"member": "m", "server": "s", "argv": ["echo", "a\u0000b"]}, "NUL"),
        ("/v1/lab", {"member": "m", "server": "s", "argv": ["build"], "files": ["Dockerfile"]}, "files must be"),
        ("/v1/lab", {"member": "m", "server": "s", "argv": ["build"], "files": {f"f{n}": "" for n in range(9)}},
         "at most 8 files"),
        ("/v1/lab", {"member": "m", "server": "s", "argv": ["build"], "files": {"big": "x" * (MAX_FILE_BYTES + 1)}},
         "larger than 16384 bytes"),
        ("/v1/lab/state", {"member": "m", "server": "s", "argv": []}, "'argv' is not accepted"),
        ("/v1/lab/reset", [1], "JSON object"),
    ],
)
async def test_bad_lab_requests_get_400_and_reach_no_lab(
    start_wire: Callable[..., Any], path: str, body: Any, words: str
) -> None:
    wire = await start_wire()
    status, answer = await wire.post(path, body)
    assert status == 400 and answer["error"]["code"] == "malformed_request"
    assert words in answer["error"]["message"]
    assert wire.lab.requests == [] and wire.lab.asked == []


async def test_a_lab_body_may_carry_a_builds_files_but_not_more(start_wire: Callable[..., Any]) -> None:
    wire = await start_wire()
    files = {f"f{n}.txt": '"' * MAX_FILE_BYTES for n in range(8)}  # every byte escaped in JSON: 256 KiB of body
    status, answer = await wire.post("/v1/lab", {"member": "m", "server": "s", "argv": ["build", "."], "files": files})
    assert status == 200 and answer == {"answer": {"exit_code": 0, "output": "", "truncated": False, "refusal": None,
                                                   "detail": "", "notes": []}}
    status, answer = await wire.post("/v1/lab", b"x" * (600 * 1024))
    assert status == 413 and answer["error"]["code"] == "too_large"
    status, answer = await wire.post("/v1/runs", {"image": "alpine", "argv": ["x" * 100_000], "member": "m"})
    assert status == 413  # a run request keeps its own, smaller limit


async def test_lab_requests_need_the_secret(start_wire: Callable[..., Any]) -> None:
    wire = await start_wire()
    status, answer = await wire.post("/v1/lab/state", {"member": "m", "server": "s"}, {"Authorization": "Bearer no"})
    assert status == 401 and answer["error"]["code"] == "unauthorized"
    assert wire.lab.asked == []


# one lab, one runner ------------------------------------------------------------------------------


def healthy(pool: RunnerPool, *names: str, node: str = "") -> None:
    for name in names:
        pool.endpoints[name] = Endpoint(key=name, base=name, address=name, host=name, server_name=None,
                                        healthy=True, node=node or name)


async def owner_places(pool: RunnerPool, owners: list[str]) -> dict[str, str]:
    places = {}
    for owner in owners:
        endpoint = await pool.pick_for(owner, set())
        assert endpoint is not None
        pool.release(endpoint)
        places[owner] = endpoint.key
    return places


async def test_each_lab_stays_on_its_runner_while_others_come_and_go() -> None:
    pool = RunnerPool([], lambda: None, lambda capacity: None)  # type: ignore[arg-type, return-value]
    try:
        healthy(pool, "r1", "r2", "r3")
        owners = [f"server\0member{n}" for n in range(60)]
        before = await owner_places(pool, owners)
        assert before == await owner_places(pool, owners)  # the same runner every time
        assert set(before.values()) == {"r1", "r2", "r3"}  # and labs spread over all of them
        healthy(pool, "r4")
        after = await owner_places(pool, owners)
        moved = {owner for owner in owners if after[owner] != before[owner]}
        assert moved and all(after[owner] == "r4" for owner in moved)  # only to the new runner
        pool.endpoints["r1"].healthy = False
        gone = await owner_places(pool, owners)
        assert all(gone[o] == after[o] for o in owners if after[o] != "r1")  # labs elsewhere stay put
        assert all(gone[o] != "r1" for o in owners)
        tried = await pool.pick_for(owners[0], {gone[owners[0]]})  # the next one, when its runner fails
        assert tried is not None and tried.key != gone[owners[0]]
    finally:
        await pool.close()


async def test_runners_on_one_node_share_their_labs_node() -> None:
    pool = RunnerPool([], lambda: None, lambda capacity: None)  # type: ignore[arg-type, return-value]
    try:
        healthy(pool, "a1", "a2", node="node-a")
        healthy(pool, "b1", node="node-b")
        owners = [f"s\0m{n}" for n in range(40)]
        places = await owner_places(pool, owners)
        on_a = {o for o in owners if places[o] in ("a1", "a2")}
        assert on_a and len(on_a) < len(owners)
        pool.endpoints["a1"].healthy = False  # a runner of node a restarts: its labs go to the other one on a
        after = await owner_places(pool, sorted(on_a))
        assert set(after.values()) == {"a2"}
    finally:
        await pool.close()
