import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("STUDYBOT_SKIP_DOCKER_TESTS") == "1":  # developers without Docker; CI never sets it
        for item in items:
            if "tests/deploy" in str(item.path):
                item.add_marker(pytest.mark.skip(reason="STUDYBOT_SKIP_DOCKER_TESTS=1"))
