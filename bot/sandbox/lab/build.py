"""``docker build`` for the lab, without the engine's builder.

The engine's legacy builder runs ``RUN`` steps as root in containers of the engine's default runtime with the
default capabilities; the lab cannot give it that. So the lab builds the way that builder does, step by step,
with containers it makes itself: each ``RUN`` runs in a container of the previous step's image under gVisor
(``runsc``), with the lab's memory, CPU and process limits, no network and a short capability list, for at most
``step_timeout``; its changes are committed with the image configuration the Dockerfile has built so far. A
metadata step (ENV, CMD, …) is a container created (never started) and committed, a COPY is files put into a
created container and committed, exactly like the legacy builder, whose output this prints. Step containers are
removed however the build ends (a failure, a time-out, a cancellation); a failed build's images are removed too.

:mod:`.dockerfile` decides everything static first, so a refusal (a FROM not allowed, ``ADD <url>``, a
``studybot.*`` label) comes before anything runs.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import io
import logging
import posixpath
import tarfile
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from docker.errors import APIError, NotFound

from bot.sandbox.engine import Engine, EngineUnavailable
from bot.sandbox.lab.dockerfile import (
    BuildRefused,
    CopyFile,
    DockerfileError,
    ImageConfig,
    Step,
    plan,
    read,
)
from bot.sandbox.lab.names import engine_message
from bot.sandbox.lab.port import MAX_LAB_OUTPUT_BYTES, LabAnswer, LabEvents
from bot.sandbox.policy import RUNSC, Limits, host_pids_limit

__all__ = ["BuildRefused", "build_image"]

log = logging.getLogger(__name__)

T = TypeVar("T")

# What a root build step needs inside gVisor (package managers chown and chmod the files they unpack, and switch
# users); nothing that reaches past the container. gVisor's own kernel enforces them.
STEP_CAPS = ("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "SETUID", "SETGID", "KILL")
EVENT_EVERY = 0.5  # seconds between two progress events
KILL_GRACE = 5.0  # seconds for a killed step's output stream to end
OUTPUT_RESERVE = 16 * 1024  # of the answer's bytes, kept for the builder's own lines (steps, ids, the result)
_cleanups: set[asyncio.Task[None]] = set()  # cleanups that outlive a cancelled build


async def build_image(
    engine: Engine,
    *,
    dockerfile: str,
    files: Mapping[str, str],
    target: str,
    shown_target: str,
    labels: Mapping[str, str],
    resolve_base: Callable[[str], Awaitable[str]],
    limits: Limits,
    runtime: str,
    step_timeout: float,
    max_bytes: int,
    events: LabEvents | None = None,
    build_args: Mapping[str, str] | None = None,
) -> LabAnswer:
    """Build ``dockerfile`` with the inline ``files`` as its context and tag the result ``target`` (shown to the
    member as ``shown_target``); ``build_args`` are ``--build-arg`` values.

    The answer is the legacy builder's output and exit code (a failing RUN's own code, as the CLI exits with it;
    a step over ``step_timeout``: 1 and note ``"step_timeout"``). Refusals (exit code 125): ``build_needs_gvisor``,
    ``build_from`` (detail: the FROM image), ``build_add_url`` (the URL), ``build_label`` (the label),
    ``build_unsupported`` (the instruction or flag), ``build_steps`` (the limit), ``build_too_big`` (detail
    ``"<image bytes>:<max_bytes>"``, with the output so far). Raises :class:`EngineUnavailable` when the engine
    cannot be reached."""
    if runtime != RUNSC:
        return _refused("build_needs_gvisor")
    try:
        parsed = read(dockerfile, build_args)
        base_ref = await resolve_base(parsed.base)
    except BuildRefused as exc:
        return _refused(exc.refusal, exc.detail)
    except DockerfileError as exc:
        return LabAnswer(exit_code=1, output=f"Error response from daemon: {exc.message}\n")
    try:
        base = await engine.call(lambda c: c.inspect_image(base_ref), quick=True)
    except NotFound:
        return LabAnswer(exit_code=1, output=f"Error response from daemon: No such image: {parsed.base}\n")
    try:
        steps = plan(parsed, ImageConfig.from_engine(base.get("Config")), files)
    except BuildRefused as exc:
        return _refused(exc.refusal, exc.detail)
    except DockerfileError as exc:
        return LabAnswer(exit_code=1, output=f"Error response from daemon: {exc.message}\n")
    build = _Build(engine, labels, limits, step_timeout, max_bytes)
    return await build.run(steps, base, target, shown_target, events)


def _refused(refusal: str, detail: str = "") -> LabAnswer:
    return LabAnswer(exit_code=125, output="", refusal=refusal, detail=detail)


def _short(engine_id: str) -> str:
    return engine_id.removeprefix("sha256:")[:12]


class _Output:
    """The build's text so far, written by the event loop and by a step's output reader thread."""

    def __init__(self, limit: int = MAX_LAB_OUTPUT_BYTES) -> None:
        self._parts: list[str] = []
        self._lock = threading.Lock()
        self._size = 0
        self._budget = limit - OUTPUT_RESERVE  # for the steps' own output
        self.truncated = False

    def line(self, text: str) -> None:
        with self._lock:
            if self._parts and not self._parts[-1].endswith("\n"):
                self._parts.append("\n")
            self._parts.append(f"{text}\n")

    def step_output(self, text: str) -> None:
        with self._lock:
            room = self._budget - self._size
            if len(text) > room:
                text = text[: max(room, 0)]
                self.truncated = True
            if text:
                self._size += len(text)
                self._parts.append(text)

    def text(self) -> str:
        with self._lock:
            return "".join(self._parts)


class _StepEnded(Exception):
    """The build stops at this step: ``exit_code`` and ``notes`` for the answer (the text is already out)."""

    def __init__(self, exit_code: int, notes: tuple[str, ...] = ()) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code
        self.notes = notes


class _TooBig(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class _Build:
    def __init__(
        self, engine: Engine, labels: Mapping[str, str], limits: Limits, step_timeout: float, max_bytes: int
    ) -> None:
        self.engine = engine
        self.labels = dict(labels)
        self.limits = limits
        self.step_timeout = step_timeout
        self.max_bytes = max_bytes
        self.out = _Output()
        # Filled by the engine threads as soon as the engine answers, so a cancelled build still removes them.
        self.containers: list[str] = []
        self.images: list[str] = []
        self._inflight: set[asyncio.Future[Any]] = set()

    async def run(
        self, steps: list[Step], base: Mapping[str, Any], target: str, shown: str, events: LabEvents | None
    ) -> LabAnswer:
        reporter = asyncio.ensure_future(self._report(events)) if events is not None else None
        built = False
        try:
            answer = await self._steps(steps, base, target, shown)
            built = answer.exit_code == 0
            return answer
        except APIError as exc:  # e.g. a USER the image does not know: the builder prints the engine's reason
            self.out.line(engine_message(str(exc.explanation or exc)))
            return LabAnswer(exit_code=1, output=self.out.text(), truncated=self.out.truncated)
        finally:
            if reporter is not None:
                reporter.cancel()
            cleanup = asyncio.ensure_future(self._cleanup(keep_images=built))
            _cleanups.add(cleanup)
            cleanup.add_done_callback(_cleanups.discard)
            await asyncio.shield(cleanup)  # cancelled here, the cleanup still runs to its end

    async def _steps(self, steps: list[Step], base: Mapping[str, Any], target: str, shown: str) -> LabAnswer:
        image, size = str(base["Id"]), int(base.get("Size") or 0)
        config = ImageConfig.from_engine(base.get("Config"))
        committed = False
        for number, step in enumerate(steps, 1):
            self.out.line(f"Step {number}/{len(steps)} : {step.shown}")
            try:
                if step.kind == "from":
                    self.out.line(f" ---> {_short(image)}")
                    continue
                if step.kind == "arg":
                    continue
                if step.kind == "fail":
                    self.out.line(step.message)
                    raise _StepEnded(1)
                image, size = await self._step(step, image, size)
            except _StepEnded as ended:
                return LabAnswer(ended.exit_code, self.out.text(), self.out.truncated, notes=ended.notes)
            except _TooBig as big:
                return self._too_big(big.size)
            committed = True
            config = step.config
        if not committed:  # FROM only: the result is a labelled image of its own, never the shared base
            image = await self._commit_new(image, config)
        size = int((await self._call(lambda c: c.inspect_image(image), quick=True)).get("Size") or 0)
        if size > self.max_bytes:
            return self._too_big(size)
        repository, tag = _split_reference(target)
        await self._call(lambda c: c.tag(image, repository, tag))
        self.out.line(f"Successfully built {_short(image)}")
        self.out.line(f"Successfully tagged {shown}")
        return LabAnswer(0, self.out.text(), self.out.truncated)

    def _too_big(self, size: int) -> LabAnswer:
        return LabAnswer(
            exit_code=125, output=self.out.text(), truncated=self.out.truncated,
            refusal="build_too_big", detail=f"{size}:{self.max_bytes}",
        )

    # one step ----------------------------------------------------------------------------------------------

    async def _step(self, step: Step, image: str, size: int) -> tuple[str, int]:
        if step.kind == "run":
            container = await self._create(image, step.config, step.argv)
            self.out.line(f" ---> Running in {_short(container)}")
            await self._run(container, step)
            # Checked before the commit: a step that wrote too much is never committed.
            listed = await self._call(lambda c: c.containers(all=True, size=True, filters={"id": container}))
            written = int(listed[0].get("SizeRw") or 0) if listed else 0
            if size + written > self.max_bytes:
                raise _TooBig(size + written)
        elif step.kind == "copy":
            container = await self._create(image, step.config, (*step.config.shell, f"#(nop) {step.shown}"))
            await self._call(_put_files, container, step.copies, step.into_dir)
        else:
            container = await self._create(image, step.config, (*step.config.shell, f"#(nop) {step.shown}"))
            self.out.line(f" ---> Running in {_short(container)}")
        image = await self._commit(container, step.config)
        await self._remove_container(container)
        if step.kind != "copy":
            self.out.line(f"Removing intermediate container {_short(container)}")
        self.out.line(f" ---> {_short(image)}")
        size = int((await self._call(lambda c: c.inspect_image(image), quick=True)).get("Size") or 0)
        if size > self.max_bytes:
            raise _TooBig(size)
        return image, size

    async def _run(self, container: str, step: Step) -> None:
        """Start the step container, stream its output, and raise :class:`_StepEnded` unless it exits with 0."""
        stream = await self._call(
            lambda c: c.attach(container, stdout=True, stderr=True, stream=True, logs=False)
        )
        try:
            await self._call(lambda c: c.start(container))
        except BaseException:
            stream.close()
            raise
        decoder = codecs.getincrementaldecoder("utf-8")("replace")

        def drain() -> None:
            try:
                for chunk in stream:
                    self.out.step_output(decoder.decode(chunk))
                self.out.step_output(decoder.decode(b"", final=True))
            except Exception as exc:  # the connection broke: the wait below tells how the step ended
                log.debug("build step %s output ended: %r", container[:12], exc)
            finally:
                stream.close()

        reader = asyncio.ensure_future(self.engine.in_thread(drain))
        done, _ = await asyncio.wait({reader}, timeout=self.step_timeout)
        timed_out = not done
        if timed_out:
            with contextlib.suppress(APIError):
                await self._call(lambda c: c.kill(container))
            done, _ = await asyncio.wait({reader}, timeout=KILL_GRACE)
            if not done:
                stream.close()
        state = await self._call(_wait_and_inspect, container)
        if timed_out:
            self.out.line(
                f"The command '{step.command}' did not finish within {self.step_timeout:g} seconds "
                "(the lab's time limit for a build step)"
            )
            raise _StepEnded(1, ("step_timeout",))
        exit_code = int(state.get("ExitCode", -1))
        if exit_code != 0:
            self.out.line(f"The command '{step.command}' returned a non-zero code: {exit_code}")
            raise _StepEnded(exit_code)

    # engine calls ------------------------------------------------------------------------------------------

    async def _call(self, fn: Callable[..., T], *args: Any, quick: bool = False) -> T:
        """``engine.call``, finished even when the build is cancelled meanwhile (the cleanup waits for it)."""
        future = asyncio.ensure_future(self.engine.call(fn, *args, quick=quick))
        self._inflight.add(future)
        future.add_done_callback(self._inflight.discard)
        return await asyncio.shield(future)

    async def _create(self, image: str, config: ImageConfig, argv: tuple[str, ...]) -> str:
        limits = self.limits
        memory = limits.memory_mib * 1024 * 1024
        host = {
            "runtime": RUNSC,
            "network_mode": "none",
            "cap_drop": ["ALL"],
            "cap_add": list(STEP_CAPS),
            "security_opt": ["no-new-privileges"],
            "privileged": False,
            "read_only": False,  # the step's changes are what the build keeps
            "mem_limit": memory,
            "memswap_limit": memory,
            "nano_cpus": int(limits.cpus * 1e9),
            "pids_limit": host_pids_limit(limits, RUNSC),
            "ulimits": [
                {"Name": "nofile", "Soft": limits.nofile, "Hard": limits.nofile},
                {"Name": "nproc", "Soft": limits.pids, "Hard": limits.pids},  # gVisor counts this sandbox's only
                {"Name": "fsize", "Soft": self.max_bytes, "Hard": self.max_bytes},
                {"Name": "core", "Soft": 0, "Hard": 0},
            ],
            "ipc_mode": "private",
            "shm_size": 1024 * 1024,
            "oom_score_adj": 1000,
            "log_config": {"Type": "none", "Config": {}},
            "auto_remove": False,
        }

        def create(client: Any) -> str:
            created = client.create_container(
                image=image,
                entrypoint=list(argv),
                command=[],
                environment=[f"{name}={value}" for name, value in config.env],
                working_dir=config.workdir or None,
                user=config.user,
                labels=dict(self.labels),
                network_disabled=True,
                stdin_open=False,
                tty=False,
                host_config=client.create_host_config(**host),
            )
            container = str(created["Id"])
            self.containers.append(container)
            return container

        return await self._call(create)

    async def _commit(self, container: str, config: ImageConfig) -> str:
        def commit(client: Any) -> str:
            image = str(client.commit(container, conf=config.to_engine(self.labels))["Id"])
            self.images.append(image)
            return image

        return await self._call(commit)

    async def _commit_new(self, image: str, config: ImageConfig) -> str:
        container = await self._create(image, config, (*config.shell, "#(nop) "))
        committed = await self._commit(container, config)
        await self._remove_container(container)
        return committed

    async def _remove_container(self, container: str) -> None:
        with contextlib.suppress(NotFound):
            await self._call(lambda c: c.remove_container(container, force=True))
        with contextlib.suppress(ValueError):
            self.containers.remove(container)

    # progress and cleanup ----------------------------------------------------------------------------------

    async def _report(self, events: LabEvents) -> None:
        sent = ""
        while True:
            await asyncio.sleep(EVENT_EVERY)
            text = self.out.text()
            if text != sent:
                sent = text
                try:
                    await events.output(text)
                except Exception as exc:  # a reader that went away must not stop the build
                    log.debug("build progress not delivered: %r", exc)

    async def _cleanup(self, *, keep_images: bool) -> None:
        """Remove the step containers, and (unless the build succeeded, whose image keeps its parents) every
        image the build committed, newest first (each is the parent of the next)."""
        if self._inflight:
            await asyncio.gather(*list(self._inflight), return_exceptions=True)
        for container in list(self.containers):
            try:
                await self.engine.call(lambda c, i=container: c.remove_container(i, force=True))
            except NotFound:
                pass
            except (APIError, EngineUnavailable) as exc:
                log.warning("build container %s not removed (the sweeper will): %s", container[:12], exc)
        if keep_images:
            return
        for image in reversed(self.images):
            try:
                await self.engine.call(lambda c, i=image: c.remove_image(i, force=True))
            except NotFound:
                pass
            except (APIError, EngineUnavailable) as exc:
                log.warning("build image %s not removed (the sweeper will): %s", _short(image), exc)


def _wait_and_inspect(client: Any, container: str) -> dict[str, Any]:
    client.wait(container, timeout=KILL_GRACE + 5)
    return dict(client.inspect_container(container)["State"])


def _split_reference(reference: str) -> tuple[str, str]:
    """``lab-x/hello:1`` → (``lab-x/hello``, ``1``); no tag → ``latest``."""
    repository, _, tag = reference.rpartition(":")
    if not repository or "/" in tag:
        return reference, "latest"
    return repository, tag


def _put_files(client: Any, container: str, copies: tuple[CopyFile, ...], into_dir: str) -> None:
    """Put a COPY's files into a created container. The engine extracts an archive only into a directory that
    exists, so the archive is rooted at the deepest existing directory, with entries for the ones to make (never
    for existing ones, whose mode and owner it would change)."""
    if into_dir:
        only = copies[0]
        inside = CopyFile(into_dir, only.data, only.mode, only.uid, only.gid)
        try:  # the destination is an existing directory: the file goes inside it
            client.put_archive(container, posixpath.dirname(into_dir), _archive(posixpath.dirname(into_dir), (inside,)))
            return
        except NotFound:
            pass
        except APIError as exc:
            if "not a directory" not in str(exc.explanation or exc):
                raise
    root = posixpath.commonpath([posixpath.dirname(copy.path) for copy in copies])
    while True:
        try:
            client.put_archive(container, root, _archive(root, copies))
            return
        except NotFound:
            if root == "/":
                raise
            root = posixpath.dirname(root)


def _archive(root: str, copies: tuple[CopyFile, ...]) -> bytes:
    """A tar of ``copies`` relative to ``root``, with the directories between ``root`` and each file."""
    buffer = io.BytesIO()
    now = time.time()
    directories: set[str] = set()
    for copy in copies:
        parent = posixpath.dirname(copy.path)
        while parent != root and parent.startswith(root) and parent not in {"/", ""}:
            directories.add(parent)
            parent = posixpath.dirname(parent)
    owner = (copies[0].uid, copies[0].gid) if copies else (0, 0)
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for directory in sorted(directories, key=lambda d: (d.count("/"), d)):
            info = tarfile.TarInfo(posixpath.relpath(directory, root))
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, now
            info.uid, info.gid = owner
            archive.addfile(info)
        for copy in copies:
            info = tarfile.TarInfo(posixpath.relpath(copy.path, root))
            info.size, info.mode, info.mtime, info.uid, info.gid = len(copy.data), copy.mode, now, copy.uid, copy.gid
            archive.addfile(info, io.BytesIO(copy.data))
    return buffer.getvalue()
