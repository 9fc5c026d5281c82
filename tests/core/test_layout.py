"""The rooms of ``bot/`` keep to the arrows in docs/architecture.md: chat SDKs only in the adapters,
the Docker SDK only in the sandbox, and a sandbox that knows nothing of chat. Read with ``ast``,
so an import inside a function counts too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from bot.config import REPO_ROOT

BOT = REPO_ROOT / "bot"
CHAT_SDKS = ("discord", "slack_bolt", "slack_sdk")


def imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, absolute, wherever the import stands."""
    package = ".".join(path.relative_to(REPO_ROOT).parent.parts)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def within(module: str, *roots: str) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


def offenders(files: list[Path], *roots: str) -> list[str]:
    return sorted(
        f"{path.relative_to(REPO_ROOT)}: {module}"
        for path in files for module in set(imports(path)) if within(module, *roots)
    )


def test_only_the_adapters_import_a_chat_sdk() -> None:
    outside = [p for p in BOT.rglob("*.py") if BOT / "adapters" not in p.parents]
    assert offenders(outside, *CHAT_SDKS) == []


def test_only_the_sandbox_imports_the_docker_sdk() -> None:
    outside = [p for p in BOT.rglob("*.py") if BOT / "sandbox" not in p.parents]
    assert offenders(outside, "docker") == []


def test_the_sandbox_imports_nothing_of_chat() -> None:
    sandbox = sorted((BOT / "sandbox").rglob("*.py"))
    chat = (*CHAT_SDKS, "bot.adapters", "cogs", "bot.core", "bot.help", "bot.explain", "bot.quiz", "bot.run",
            "bot.i18n", "bot.replies", "bot.context", "bot.textsafe")  # output made fit for chat: bot.run.output
    assert offenders(sandbox, *chat) == []
