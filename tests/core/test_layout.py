"""The rooms of ``bot/`` keep to the arrows in docs/architecture.md: chat SDKs only in the adapters,
the Docker SDK only in the sandbox, a sandbox that knows nothing of chat, features that import no other
feature, and a core that imports features for type checking only. Read with ``ast``, so an import inside a
function counts too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from bot.config import REPO_ROOT

BOT = REPO_ROOT / "bot"
CHAT_SDKS = ("discord", "slack_bolt", "slack_sdk")
FEATURES = ("bot.help", "bot.explain", "bot.quiz", "bot.run", "bot.lab")


def imports(path: Path, *, type_checking: bool = True) -> Iterator[str]:
    """Every module ``path`` imports, absolute, wherever the import stands; with ``type_checking=False``,
    those under ``if TYPE_CHECKING:`` left out (what it imports at run time)."""
    package = ".".join(path.relative_to(REPO_ROOT).parent.parts)
    for node in nodes(ast.parse(path.read_text(encoding="utf-8"), str(path)), type_checking):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def nodes(tree: ast.AST, type_checking: bool) -> Iterator[ast.AST]:
    """``ast.walk``, but with ``type_checking=False`` not into the body of an ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        yield node
        if not type_checking and isinstance(node, ast.If) and is_type_checking(node.test):
            yield from nodes(ast.Module(body=node.orelse, type_ignores=[]), type_checking)
        else:
            yield from nodes(node, type_checking)


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def within(module: str, *roots: str) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


def offenders(files: list[Path], *roots: str, type_checking: bool = True) -> list[str]:
    return sorted(
        f"{path.relative_to(REPO_ROOT)}: {module}"
        for path in files for module in set(imports(path, type_checking=type_checking)) if within(module, *roots)
    )


def test_only_the_adapters_import_a_chat_sdk() -> None:
    outside = [p for p in BOT.rglob("*.py") if BOT / "adapters" not in p.parents]
    assert offenders(outside, *CHAT_SDKS) == []


def test_only_the_sandbox_imports_the_docker_sdk() -> None:
    outside = [p for p in BOT.rglob("*.py") if BOT / "sandbox" not in p.parents]
    assert offenders(outside, "docker") == []


def test_the_sandbox_imports_nothing_of_chat() -> None:
    sandbox = sorted((BOT / "sandbox").rglob("*.py"))
    chat = (*CHAT_SDKS, "bot.adapters", "cogs", "bot.core", *FEATURES, "bot.i18n", "bot.replies", "bot.context",
            "bot.textsafe")  # output made fit for chat lives in bot.run.output
    assert offenders(sandbox, *chat) == []


def test_no_feature_imports_another_feature() -> None:
    found = []
    for feature in FEATURES:
        files = sorted((REPO_ROOT / feature.replace(".", "/")).rglob("*.py"))
        assert files, feature
        found += offenders(files, *(other for other in FEATURES if other != feature))
    assert found == []


def test_the_core_imports_features_for_type_checking_only() -> None:
    core = sorted((BOT / "core").rglob("*.py"))
    assert offenders(core, *FEATURES, type_checking=False) == []
    assert offenders(core, *FEATURES) != []  # its typed fields name feature services: the rule is not empty
