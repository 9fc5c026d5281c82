"""``!run``'s chat tests use the sandbox tests' fixtures: a core with ``help`` and the real ``run``, on the
real engine (in-process, or through a runner service for tests marked ``BOTH_PATHS``)."""

from tests.sandbox.conftest import bot, docker_client, make_bot, run_mode  # noqa: F401  (fixtures)
