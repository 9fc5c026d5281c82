"""The CLI's text shapes, checked against what docker 28 prints (values copied from the real CLI's output)."""

from __future__ import annotations

import pytest

from bot.sandbox.lab.tables import ago, command_cell, human_duration, human_size, port_cell, table


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.4, "Less than a second"), (1, "1 second"), (59, "59 seconds"), (60, "About a minute"),
        (150, "2 minutes"), (3599, "59 minutes"), (3600, "About an hour"), (5400, "2 hours"),
        (47 * 3600, "47 hours"), (3 * 86400, "3 days"), (20 * 86400, "2 weeks"), (90 * 86400, "3 months"),
        (800 * 86400, "2 years"),
    ],
)
def test_durations_read_like_go_units(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text


def test_created_is_relative_to_now() -> None:
    assert ago(1000.0, 1120.0) == "2 minutes ago"


@pytest.mark.parametrize(("size", "text"), [(1985570, "1.99MB"), (421_000_000, "421MB"), (7800, "7.8kB"), (0, "0B")])
def test_sizes_read_like_the_cli(size: int, text: str) -> None:
    assert human_size(size) == text


def test_command_is_quoted_and_cut_at_twenty_characters() -> None:
    assert command_cell("sh -c 'echo hi; exit 3'") == "\"sh -c 'echo hi; exi…\""
    assert command_cell("sleep 300") == '"sleep 300"'
    assert command_cell('echo "a"') == '"echo \\"a\\""'


def test_ports_show_what_was_asked_without_a_host_address() -> None:
    assert port_cell("8080:80") == "8080->80/tcp"
    assert port_cell("127.0.0.1:53:53/udp") == "53->53/udp"
    assert port_cell("80") == "80/tcp"


def test_table_pads_like_the_cli_tabwriter() -> None:
    # `docker volume ls` and `docker ps` as docker 28 printed them on this engine
    assert table(["DRIVER", "VOLUME NAME"], [["local", "data"]]) == "DRIVER    VOLUME NAME\nlocal     data\n"
    cli = (
        "CONTAINER ID   IMAGE     COMMAND      CREATED        STATUS        PORTS     NAMES\n"
        '0fe3042567a4   alpine    "sleep 30"   1 second ago   Up 1 second             web\n'
    )
    headers = ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]
    row = ["0fe3042567a4", "alpine", '"sleep 30"', "1 second ago", "Up 1 second", "", "web"]
    assert table(headers, [row]) == cli
