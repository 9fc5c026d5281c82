"""``python -m bot`` / ``studybot``: run the bot, the local console, one message, or an index build."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import signal
import sys
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import __version__

if TYPE_CHECKING:
    from bot.config import Settings

DESCRIPTION = """Docker Study Bot: explains Docker from your study notes, quizzes the group, and runs
commands in locked-down containers. Settings come from environment variables or a .env file
(see README). Without a chat token, `run` starts the local console."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="run on Discord (DISCORD_TOKEN) and/or Slack (SLACK_*_TOKEN), else the console "
                               "(the default command)")
    console = sub.add_parser("console", help="chat with the bot locally; one line = one message")
    say = sub.add_parser("say", help="send one message to the bot, print the replies, exit")
    say.add_argument("message", help='the message, e.g. "!explain 이미지"')
    for p in (console, say):
        p.add_argument("--user", default="you", help="who is talking (default: you)")
        p.add_argument("--channel", default="console", help="which channel (default: console)")
    sub.add_parser("index", help="(re)build the notes index and print what it indexed")
    backup = sub.add_parser("backup", help="copy the SQLite state file safely while the bot runs")
    backup.add_argument("target", nargs="?", help="where to write it (default: beside the state file, timestamped)")
    runner = sub.add_parser("runner", help="serve the !run sandbox over HTTP for bots with STUDYBOT_SANDBOX_URL "
                                           "(this process needs Docker; the bot then does not)")
    runner.add_argument("--host", help="address to listen on (default: STUDYBOT_SANDBOX_RUNNER_HOST, 127.0.0.1)")
    runner.add_argument("--port", type=int, help="port (default: STUDYBOT_SANDBOX_RUNNER_PORT, 8080; 0: any)")
    health = sub.add_parser("health", help="exit 0 when healthy, 1 when not (for a container HEALTHCHECK)")
    health.add_argument("--url", help="check this URL answers 200 (e.g. a runner's /healthz) instead of the "
                                      "bot's configuration and folders")
    return parser


def _message_is_positional(argv: list[str]) -> list[str]:
    """``say "-v"`` sends "-v": after ``say``'s own options, the message is taken as it is, even when it
    starts with a dash (a ``--`` is put before it)."""
    if not argv or argv[0] != "say":
        return argv
    i = 1
    while i < len(argv):
        word = argv[i]
        if word == "--" or word in ("-h", "--help"):
            return argv
        if word in ("--user", "--channel"):
            i += 2
        elif word.startswith(("--user=", "--channel=")):
            i += 1
        else:
            return [*argv[:i], "--", *argv[i:]]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(_message_is_positional(list(sys.argv[1:] if argv is None else argv)))
    if args.command == "health":
        from bot.healthcheck import run_health_check

        return run_health_check(args.url)
    from bot.config import ConfigError, load_settings

    local_only = args.command in ("console", "say", "index", "backup")
    try:
        # Prefetching sandbox images is for a long-running chat bot, not a one-off local command.
        settings = load_settings(**({"sandbox_prefetch": False} if local_only else {}))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.command == "runner":
        return _runner(args, settings)
    if args.command in ("console", "say", "index") or not (settings.discord.enabled or settings.slack.enabled):
        # Chat libraries log at INFO; the console keeps the terminal for the conversation.
        logging.getLogger().setLevel(max(logging.WARNING, logging.getLevelName(settings.log_level)))
    try:
        return asyncio.run(_until_stopped(_dispatch(args, settings)))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`… | head`): stop quietly, as command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core import Core
    from bot.notes import NotesError

    command = args.command or "run"
    if command == "backup":
        return _backup(settings.db_path, args.target)
    try:
        core = await Core.start(settings, one_shot=command in ("say", "index"))
    except NotesError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # e.g. "database is locked": one clear line, everything already closed
        logging.getLogger("bot").debug("start-up failed", exc_info=True)
        print(f"Cannot start: {exc or type(exc).__name__} (state file {settings.db_path})", file=sys.stderr)
        return 2
    try:
        if command == "index":
            stats = await core.notes.rebuild()
            print(
                f"Indexed {stats.files} file(s), {stats.sections} sections, {stats.entries} entries "
                f"from {settings.notes.path} in {stats.seconds * 1000:.0f} ms."
            )
            return 0
        if command == "say":
            from bot.adapters.console import say
            from bot.replies import Tone

            replies = await say(core, args.message, user=args.user, channel=args.channel)
            return 1 if any(r.tone is Tone.ERROR for r in replies) else 0
        if command == "console" or not (settings.discord.enabled or settings.slack.enabled):
            from bot.adapters.console import run_console
            from bot.i18n import t

            if command == "run":
                print(t(settings.lang, "console.started", prefix=settings.prefix), file=sys.stderr)
            await run_console(core, user=getattr(args, "user", "you"), channel=getattr(args, "channel", "console"))
            return 0
        from bot.adapters.launch import run_chat

        if core.sandbox is not None:  # a chat bot's leftovers go at once (say, index and the console sweep
            core.sandbox.start_sweeping()  # only once they run something)
        # What start-up loaded (indexes, Docker's reference, the libraries) lives as long as the process: moved out
        # of the garbage collector's sight, it is no longer walked by every full collection under load. Start-up's
        # own garbage is collected first, so none of it is kept for good.
        gc.collect()
        gc.freeze()
        return await run_chat(core)
    finally:
        await core.close()


async def _until_stopped(work: Coroutine[Any, Any, int]) -> int:
    """Run ``work``; SIGTERM (``docker stop``) cancels it, so every ``finally`` runs: running sandboxes are
    stopped and removed, chat connections closed and the database closed, and the exit code is 0."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    stopping = asyncio.Event()

    def stop() -> None:
        logging.getLogger("bot").info("SIGTERM: shutting down")
        stopping.set()
        task.cancel()

    with contextlib.suppress(NotImplementedError):  # no signal handlers on some platforms
        loop.add_signal_handler(signal.SIGTERM, stop)
    try:
        return await work
    except asyncio.CancelledError:
        if stopping.is_set():
            return 0
        raise


def _backup(db_path: Path, target: str | None) -> int:
    from bot.storage.backup import backup_database, default_backup_path

    destination = Path(target) if target else default_backup_path(db_path)
    try:
        size = backup_database(db_path, destination)
    except (OSError, RuntimeError) as exc:
        print(f"Backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up {db_path} to {destination} ({size} bytes).")
    return 0


def _runner(args: argparse.Namespace, settings: Settings) -> int:
    from bot.sandbox.server import serve

    host = args.host or settings.sandbox.runner_host
    port = settings.sandbox.runner_port if args.port is None else args.port
    return asyncio.run(serve(settings.sandbox, host, port))
