"""A small reference tree shaped like Debian's docker-doc, and a state file to index it into."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Database

LOGS_MD = """---
title: "logs"
description: "The logs command description and usage"
keywords: "logs, retrieve, docker"
---

<!-- This file is maintained within the docker/cli GitHub repository. -->

# logs

```markdown
Usage:  docker logs [OPTIONS] CONTAINER

Fetch the logs of a container

Options:
  -n, --tail string    Number of lines to show from the end of the logs (default "all")
      --help           Print usage
```

## Description

The `docker logs` command batch-retrieves logs present at the time of
execution; see [logging drivers](https://docs.docker.com/config/containers/logging/) for more. Another sentence.

## Examples

### <a name="tail"></a> Show the last lines (--tail)

```console
# not a heading
$ docker logs --tail 5 web
```
"""

PRUNE_MD = """---
title: "container prune"
description: "Remove all stopped containers"
keywords: container, prune, delete, remove
---

# container prune

```markdown
Usage:  docker container prune [OPTIONS]

Remove all stopped containers

Options:
      --filter filter   Provide filter values (e.g. 'until=<timestamp>')
  -f, --force           Do not prompt for confirmation
```

## Description

Removes all stopped containers, and their logs with them.
"""

# A page that only mentions the fixture's words in its text: it must not beat the pages named after them.
INSPECT_MD = """---
title: "inspect"
keywords: "inspect, container, json"
---

# inspect

```markdown
Usage:  docker inspect [OPTIONS] NAME|ID [NAME|ID...]

Return low-level information on Docker objects

Options:
  -f, --format string   Format the output using the given Go template
```

## Health

The healthcheck state, the healthcheck log, the logs path and what prune removed: inspect shows
logs, logs and logs, healthcheck and healthcheck, entrypoint, prune and prune again.
"""

BUILDER_MD = """---
title: Dockerfile reference
description: "Dockerfiles use a simple DSL"
keywords: "builder, docker, Dockerfile, automation, image creation"
---

Docker can build images automatically by reading the instructions from a `Dockerfile`.

## Format

```dockerfile
# Comment
RUN echo 'we are running some # of cool things'
```

## HEALTHCHECK

The `HEALTHCHECK` instruction tells Docker how to test a container to check that it is still working.

```dockerfile
# not a heading either
HEALTHCHECK --interval=5m CMD curl -f http://localhost/ || exit 1
```

### Exit status

The command's exit status indicates the health status of the container.

## ENTRYPOINT

ENTRYPOINT has two forms:

```dockerfile
ENTRYPOINT ["executable", "param1"]
```

An `ENTRYPOINT` allows you to configure a container that will run as an executable.
"""


def write_tree(root: Path) -> Path:
    """The fixture tree: a plain .md page, .md.gz pages and a gzipped builder.md."""
    (root / "commandline").mkdir(parents=True)
    (root / "commandline" / "logs.md").write_text(LOGS_MD, encoding="utf-8")
    (root / "commandline" / "inspect.md").write_text(INSPECT_MD, encoding="utf-8")
    (root / "commandline" / "container_prune.md.gz").write_bytes(gzip.compress(PRUNE_MD.encode()))
    (root / "builder.md.gz").write_bytes(gzip.compress(BUILDER_MD.encode()))
    return root


@pytest.fixture
def ref_root(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "reference")


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "state.sqlite3"


@pytest.fixture
async def db(state_path: Path) -> AsyncIterator[Database]:
    opened = await Database.open(state_path)
    try:
        yield opened
    finally:
        await opened.close()
