"""``python -m bot health [--url URL]``: a container HEALTHCHECK that answers in well under a second.

Exit 0 when healthy, 1 when not (Docker reserves 2), with one line saying why. Without ``--url`` it
checks what the bot needs to keep working: the configuration loads, the state file's folder is
writable and the notes folder exists. It builds no index and uses no network. With ``--url`` it
only asks that URL (a runner's ``/healthz``) and is healthy on 200.
"""

from __future__ import annotations

import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

URL_TIMEOUT = 3.0  # below Docker's usual 5 s HEALTHCHECK timeout


def check_url(url: str, timeout: float = URL_TIMEOUT) -> tuple[bool, str]:
    if not url.startswith(("http://", "https://")):
        return False, f"not an http(s) URL: {url[:80]}"
    try:
        # No proxy: a health check asks this container or its neighbour directly.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return False, f"{url} unreachable: {reason}"
    return status == 200, f"{url} answered {status}"


def _writable(folder: Path) -> bool:
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-"):
            return True
    except OSError:
        return False


def check_bot() -> tuple[bool, str]:
    from bot.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as exc:
        return False, str(exc)
    state_dir = settings.db_path.parent
    if not state_dir.is_dir():
        return False, f"state folder {state_dir} does not exist"
    if not _writable(state_dir):
        return False, f"state folder {state_dir} is not writable"
    if not settings.notes.path.is_dir():
        return False, f"notes folder {settings.notes.path} does not exist"
    return True, f"configuration loads, {state_dir} is writable, {settings.notes.path} exists"


def run_health_check(url: str | None) -> int:
    healthy, detail = check_url(url) if url else check_bot()
    print(("healthy: " if healthy else "unhealthy: ") + detail, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1
