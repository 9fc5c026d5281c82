"""A compose file from a code block, read safely and checked strictly: what ``docker compose up`` may make of it.

The YAML is read with ``yaml.safe_load`` (plain data only, no tags that build objects) and walked with a bound on
its size after anchors are expanded. The keys of the Compose specification that the lab implements become a
:class:`ComposeProject`; the ones that would loosen the lab's isolation (``privileged``, ``cap_add``, host paths,
``network_mode`` …) are refused like the matching ``docker run`` flags (:class:`Refused` ``"flag"``, the key as
its detail); the others it knows are refused as ``"unsupported"``; keys Compose itself does not know are the
errors Compose prints. ``${VAR}`` is interpolated as Compose does in a directory without a ``.env``: every
variable is unset.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.sandbox.lab.names import CONTAINER_NAME, RESERVED_LABEL_PREFIX
from bot.sandbox.lab.policy import PORT_SPEC, CliFailure, Refused

FILE = "compose.yaml"  # the chat side passes the compose block under this name, whatever its info string
DEFAULT_PROJECT = "lab"
MAX_NODES = 5000  # values after anchors are expanded: a YAML "billion laughs" stops here
PROJECT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
SERVICE_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*")
RESOURCE_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*")
LABEL_PREFIX = "com.docker.compose."

# services.<name>: the keys the lab applies (each maps to a `docker run` flag, checked by the run policy) …
SERVICE_KEYS = frozenset({
    "image", "build", "environment", "command", "entrypoint", "depends_on", "volumes", "networks", "ports",
    "working_dir", "user", "hostname", "labels", "tty", "stdin_open", "mem_limit", "cpus", "pids_limit",
    "ulimits", "container_name", "init", "read_only", "cap_drop",
})
# … the ones refused like the run flags they stand for (each would hand over a piece of the host or engine) …
SERVICE_REFUSED = frozenset({
    "privileged", "cap_add", "devices", "device_cgroup_rules", "network_mode", "pid", "ipc", "uts", "userns_mode",
    "security_opt", "runtime", "sysctls", "env_file", "tmpfs", "volumes_from", "cgroup", "cgroup_parent",
    "extra_hosts", "dns", "dns_opt", "dns_search", "gpus", "oom_kill_disable", "storage_opt", "links",
    "external_links", "mac_address", "isolation", "group_add", "logging", "use_api_socket", "credential_spec",
})
# … and the rest of the Compose specification's service keys: known, not in the lab.
SERVICE_OTHER = frozenset({
    "annotations", "attach", "blkio_config", "configs", "cpu_count", "cpu_percent", "cpu_shares", "cpu_quota",
    "cpu_period", "cpu_rt_period", "cpu_rt_runtime", "cpuset", "deploy", "develop", "domainname", "expose",
    "extends", "healthcheck", "label_file", "mem_reservation", "mem_swappiness", "memswap_limit", "models",
    "oom_score_adj", "platform", "post_start", "pre_stop", "profiles", "provider", "pull_policy", "restart",
    "scale", "secrets", "shm_size", "stop_grace_period", "stop_signal", "volumes_mount",
})
TOP_KEYS = frozenset({"version", "name", "services", "volumes", "networks"})
TOP_OTHER = frozenset({"secrets", "configs", "include", "models"})
BUILD_KEYS = frozenset({"context", "dockerfile"})
BUILD_OTHER = frozenset({
    "args", "additional_contexts", "cache_from", "cache_to", "dockerfile_inline", "entitlements", "extra_hosts",
    "isolation", "labels", "network", "no_cache", "platforms", "privileged", "pull", "secrets", "shm_size", "ssh",
    "tags", "target", "ulimits",
})
BUILD_REFUSED = frozenset({"network", "privileged", "extra_hosts", "entitlements", "ssh", "secrets"})
RESOURCE_KEYS = {"volumes": frozenset({"driver", "labels"}), "networks": frozenset({"driver", "labels", "internal"})}
RESOURCE_REFUSED = frozenset({"external", "driver_opts"})
RESOURCE_DRIVER = {"volumes": "local", "networks": "bridge"}


@dataclass(frozen=True, slots=True)
class Mount:
    volume: str  # the compose file's key in the top-level ``volumes``
    path: str
    read_only: bool


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    image: str | None = None
    build: str | None = None  # the Dockerfile's name among the inline files; None: nothing to build
    environment: tuple[str, ...] = ()
    command: tuple[str, ...] | None = None
    entrypoint: tuple[str, ...] | None = None
    depends_on: tuple[str, ...] = ()
    volumes: tuple[Mount, ...] = ()
    networks: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (key in the top-level networks, extra aliases)
    ports: tuple[str, ...] = ()
    working_dir: str | None = None
    user: str | None = None
    hostname: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    tty: bool = False
    memory: str | None = None
    cpus: str | None = None
    pids: str | None = None
    ulimits: tuple[str, ...] = ()
    container_name: str | None = None


@dataclass(frozen=True, slots=True)
class ComposeProject:
    name: str | None  # the top-level ``name:``
    services: tuple[Service, ...]  # in start order: dependencies first
    volumes: Mapping[str, Mapping[str, str]]  # key -> labels
    networks: Mapping[str, Mapping[str, str]]  # key -> labels ("default" when a service uses it)
    warnings: tuple[str, ...] = ()

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)

    def with_dependencies(self, names: tuple[str, ...]) -> tuple[Service, ...]:
        """``names`` and every service they depend on, in start order (all services when ``names`` is empty)."""
        if not names:
            return self.services
        for name in names:
            if name not in {s.name for s in self.services}:
                raise CliFailure(f"no such service: {name}")
        wanted: set[str] = set()
        todo = list(names)
        while todo:
            name = todo.pop()
            if name not in wanted:
                wanted.add(name)
                todo += self.service(name).depends_on
        return tuple(s for s in self.services if s.name in wanted)


def invalid(text: str) -> CliFailure:
    return CliFailure(f"validating {FILE}: {text}")


# reading ----------------------------------------------------------------------------------------------


def load(text: str) -> ComposeProject:
    """The compose file's text → a checked :class:`ComposeProject`; raises :class:`CliFailure` (what Compose
    prints for a file it cannot use) or :class:`Refused` (what the lab does not allow)."""
    try:
        data = yaml.safe_load(text)
    except RecursionError:
        raise CliFailure(f"{FILE}: the file is nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CliFailure(f"yaml: {where}{problem}") from None
    if data is None:
        raise CliFailure(f"{FILE}: empty compose file")
    if not isinstance(data, dict):
        raise invalid("top-level object must be a mapping")
    warnings: list[str] = []
    try:
        data = _interpolate(data, warnings, [0])
    except RecursionError:
        raise CliFailure(f"{FILE}: the file is nested too deeply") from None
    return _project(data, warnings)


def _interpolate(value: Any, warnings: list[str], count: list[int]) -> Any:
    """``value`` with ``${VAR}`` resolved in every string, keys included (no variable is set in the lab)."""
    count[0] += 1
    if count[0] > MAX_NODES:
        raise CliFailure(f"{FILE}: the file is too large once its anchors are expanded")
    if isinstance(value, dict):
        return {_interpolate(k, warnings, count): _interpolate(v, warnings, count) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, warnings, count) for v in value]
    if isinstance(value, str) and "$" in value:
        return _substitute(value, warnings)
    return value


_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
    r"|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}|(?P<bad>))"
)


def _substitute(text: str, warnings: list[str]) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group("escaped"):
            return "$"
        if match.group("bad") is not None:
            raise CliFailure(f"Invalid template: {text!r}")
        name = match.group("bare") or match.group("name")
        op, arg = match.group("op"), match.group("arg") or ""
        if op in (":-", "-"):
            return arg
        if op in (":+", "+"):
            return ""
        if op in (":?", "?"):
            raise CliFailure(f"required variable {name} is missing a value: {arg}")
        warning = f'The "{name}" variable is not set. Defaulting to a blank string.'
        if warning not in warnings:
            warnings.append(warning)
        return ""

    return _VARIABLE.sub(one, text)


def _project(data: dict[str, Any], warnings: list[str]) -> ComposeProject:
    for key in data:
        if not isinstance(key, str):
            raise invalid(f"additional properties '{key}' not allowed")
        if key.startswith("x-"):
            continue
        if key in TOP_OTHER:
            raise Refused("unsupported", key)
        if key not in TOP_KEYS:
            raise invalid(f"additional properties '{key}' not allowed")
    if "version" in data:
        warnings.append(f"{FILE}: the attribute `version` is obsolete, it will be ignored, please remove it to avoid "
                        "potential confusion")
    name = data.get("name")
    if name is not None and (not isinstance(name, str) or not PROJECT_NAME.fullmatch(name)):
        raise CliFailure(project_name_error(str(name)))
    services_data = data.get("services")
    if services_data is None or services_data == {}:
        raise CliFailure("no service selected")
    if not isinstance(services_data, dict):
        raise invalid("services must be a mapping")
    volumes = _resources(data, "volumes")
    networks = _resources(data, "networks")
    services = [_service(str(n), s, volumes, networks) for n, s in services_data.items()]
    used = {net for s in services for net, _ in s.networks}
    if "default" in used and "default" not in networks:
        networks = {"default": {}, **networks}
    return ComposeProject(name, _start_order(services), volumes, networks, tuple(warnings))


def project_name_error(name: str) -> str:
    return (f'invalid project name "{name}": must consist only of lowercase alphanumeric characters, hyphens, '
            "and underscores as well as start with a letter or number")


def _resources(data: dict[str, Any], kind: str) -> dict[str, dict[str, str]]:
    """The top-level ``volumes`` / ``networks``: key -> labels."""
    section = data.get(kind)
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise invalid(f"{kind} must be a mapping")
    found: dict[str, dict[str, str]] = {}
    for key, spec in section.items():
        where = f"{kind}.{key}"
        if not isinstance(key, str) or not RESOURCE_NAME.fullmatch(key):
            raise invalid(f"{kind} Additional property {key} is not allowed")
        spec = spec or {}
        if not isinstance(spec, dict):
            raise invalid(f"{where} must be a mapping")
        for option, option_value in spec.items():
            if option in RESOURCE_REFUSED:
                raise Refused("flag", f"{where}.{option}")
            if option == "driver" and option_value != RESOURCE_DRIVER[kind]:
                raise Refused("flag", f"{where}.driver: {option_value}")
            if option == "internal" and option_value is not True:  # lab networks never reach outside
                raise Refused("flag", f"{where}.internal: {str(option_value).lower()}")
            if option not in RESOURCE_KEYS[kind]:
                raise Refused("unsupported", f"{where}.{option}")
        found[key] = _labels(spec.get("labels"), f"{where}.labels")
    return found


def _labels(value: Any, where: str) -> dict[str, str]:
    pairs = _pairs(value, where)
    for key in pairs:
        if key.startswith((RESERVED_LABEL_PREFIX, LABEL_PREFIX)):
            raise Refused("flag", f"{where}: {key}")
    return {k: v for k, v in pairs.items() if v is not None}


def _pairs(value: Any, where: str) -> dict[str, str | None]:
    """A list of ``KEY=value`` (``KEY`` alone: no value) or a mapping, as Compose reads environment and labels."""
    if value is None:
        return {}
    if isinstance(value, list):
        found: dict[str, str | None] = {}
        for item in value:
            if not isinstance(item, str | int | float) or isinstance(item, bool):
                raise invalid(f"{where} must be a list of strings")
            key, eq, text = str(item).partition("=")
            found[key] = text if eq else None
        return found
    if isinstance(value, dict):
        return {str(k): _scalar(v, f"{where}.{k}") for k, v in value.items()}
    raise invalid(f"{where} must be a mapping or a list")


def _scalar(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise invalid(f"{where} must be a string, number, boolean or null")


def _string(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise invalid(f"{where} must be a string")
    return str(value)


def _words(value: Any, where: str) -> tuple[str, ...] | None:
    """``command`` / ``entrypoint``: a string is split the way a shell would (without running one)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return tuple(shlex.split(value))
        except ValueError as exc:
            raise invalid(f"{where}: {exc}") from None
    if isinstance(value, list):
        return tuple(_string(v, where) for v in value)
    raise invalid(f"{where} must be a string or a list")


def _service(
    name: str, spec: Any, volumes: Mapping[str, object], networks: Mapping[str, object]
) -> Service:
    where = f"services.{name}"
    if not SERVICE_NAME.fullmatch(name):
        raise invalid(f"services Additional property {name} is not allowed")
    if spec is None:
        spec = {}
    if not isinstance(spec, dict):
        raise invalid(f"{where} must be a mapping")
    for key in spec:
        if isinstance(key, str) and key.startswith("x-"):
            continue
        if key in SERVICE_REFUSED:
            raise Refused("flag", f"{where}.{key}")
        if key in SERVICE_OTHER:
            raise Refused("unsupported", f"{where}.{key}")
        if key not in SERVICE_KEYS:
            raise invalid(f"{where} additional properties '{key}' not allowed")
    image = spec.get("image")
    if image is not None:
        image = _string(image, f"{where}.image")
    build = _build(spec.get("build"), f"{where}.build")
    if image is None and build is None:
        raise CliFailure(f'service "{name}" has neither an image nor a build context specified: invalid compose '
                         "project")
    container_name = spec.get("container_name")
    if container_name is not None and not CONTAINER_NAME.fullmatch(str(container_name)):
        raise invalid(f"{where}.container_name: invalid container name {container_name!r}")
    environment = _pairs(spec.get("environment"), f"{where}.environment")
    return Service(
        name=name,
        image=image,
        build=build,
        # a variable without a value would come from the shell; the lab has none, so it is left unset
        environment=tuple(f"{k}={v}" for k, v in environment.items() if v is not None),
        command=_words(spec.get("command"), f"{where}.command"),
        entrypoint=_words(spec.get("entrypoint"), f"{where}.entrypoint"),
        depends_on=_depends_on(spec.get("depends_on"), where),
        volumes=tuple(_mount(v, where, volumes) for v in _list(spec.get("volumes"), f"{where}.volumes")),
        networks=_service_networks(spec.get("networks"), where, networks),
        ports=tuple(_port(p, where) for p in _list(spec.get("ports"), f"{where}.ports")),
        working_dir=_optional(spec, "working_dir", where),
        user=_optional(spec, "user", where),
        hostname=_optional(spec, "hostname", where),
        labels=_labels(spec.get("labels"), f"{where}.labels"),
        tty=bool(spec.get("tty")) or bool(spec.get("stdin_open")),
        memory=_optional(spec, "mem_limit", where),
        cpus=_optional(spec, "cpus", where),
        pids=_optional(spec, "pids_limit", where),
        ulimits=_ulimits(spec.get("ulimits"), where),
        container_name=None if container_name is None else str(container_name),
    )


def _optional(spec: dict[str, Any], key: str, where: str) -> str | None:
    found = spec.get(key)
    return None if found is None else _string(found, f"{where}.{key}")


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid(f"{where} must be a list")
    return value


def _build(value: Any, where: str) -> str | None:
    """``build: .`` or ``build: {context: ., dockerfile: name}``: the Dockerfile's name (the context is the
    code blocks, so it can only be ``.``)."""
    if value is None:
        return None
    spec = {"context": value} if isinstance(value, str) else value
    if not isinstance(spec, dict):
        raise invalid(f"{where} must be a string or a mapping")
    for key in spec:
        if key in BUILD_REFUSED:
            raise Refused("flag", f"{where}.{key}")
        if key in BUILD_OTHER:
            raise Refused("unsupported", f"{where}.{key}")
        if key not in BUILD_KEYS:
            raise invalid(f"{where} additional properties '{key}' not allowed")
    context = spec.get("context", ".")
    if context not in (".", "./"):
        raise Refused("unsupported", f"{where}.context: {context}")
    dockerfile = spec.get("dockerfile", "Dockerfile")
    return _string(dockerfile, f"{where}.dockerfile")


def _depends_on(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(_string(v, f"{where}.depends_on") for v in value)
    if not isinstance(value, dict):
        raise invalid(f"{where}.depends_on must be a list or a mapping")
    for dependency, spec in value.items():
        condition = (spec or {}).get("condition", "service_started") if isinstance(spec, dict) else None
        if condition != "service_started":
            raise Refused("unsupported", f"{where}.depends_on.{dependency}.condition: {condition}")
        for key in spec or {}:
            if key not in ("condition", "required", "restart"):
                raise invalid(f"{where}.depends_on.{dependency} additional properties '{key}' not allowed")
    return tuple(str(d) for d in value)


def _mount(value: Any, where: str, volumes: Mapping[str, object]) -> Mount:
    """A service's volume: ``name:/path[:ro]`` or the long form, of a volume the file declares; host paths,
    binds and tmpfs are refused like ``-v /path:…`` and ``--tmpfs``."""
    if isinstance(value, dict):
        kind = value.get("type", "volume")
        shown = f"{where}.volumes: type {kind}"
        if kind != "volume":
            raise Refused("flag" if kind in ("bind", "tmpfs", "npipe") else "unsupported", shown)
        for key in value:
            if key not in ("type", "source", "target", "read_only"):
                raise Refused("unsupported", f"{where}.volumes.{key}")
        source, target = value.get("source"), value.get("target")
        if source is None:
            raise Refused("unsupported", f"{where}.volumes: type volume without a source (an anonymous volume)")
        read_only = bool(value.get("read_only"))
        text = f"{source}:{target}"
    elif isinstance(value, str):
        text = value
        parts = value.split(":")
        if len(parts) == 1:
            raise Refused("unsupported", f"{where}.volumes: {value} (an anonymous volume; name it)")
        if len(parts) > 3 or (len(parts) == 3 and parts[2] not in ("ro", "rw")):
            raise invalid(f"{where}.volumes: invalid spec: {value}")
        source, target = parts[0], parts[1]
        read_only = len(parts) == 3 and parts[2] == "ro"
    else:
        raise invalid(f"{where}.volumes must be strings or mappings")
    if not isinstance(source, str) or not source or source.startswith((".", "/", "~")) or "/" in source:
        raise Refused("flag", f"{where}.volumes: {text}")
    if not isinstance(target, str) or not target.startswith("/"):
        raise invalid(f"{where}.volumes: invalid spec: {text}: target must be an absolute path")
    if source not in volumes:
        raise CliFailure(f'service "{where.split(".", 1)[1]}" refers to undefined volume {source}: invalid compose '
                         "project")
    return Mount(source, target, read_only)


def _service_networks(
    value: Any, where: str, networks: Mapping[str, object]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if value is None:
        return (("default", ()),)
    found: list[tuple[str, tuple[str, ...]]] = []
    items: list[tuple[Any, Any]]
    if isinstance(value, list):
        items = [(v, None) for v in value]
    elif isinstance(value, dict):
        items = list(value.items())
    else:
        raise invalid(f"{where}.networks must be a list or a mapping")
    for network, spec in items:
        network = _string(network, f"{where}.networks")
        aliases: tuple[str, ...] = ()
        if spec is not None:
            if not isinstance(spec, dict):
                raise invalid(f"{where}.networks.{network} must be a mapping")
            for key in spec:
                if key != "aliases":
                    raise Refused("unsupported", f"{where}.networks.{network}.{key}")
            aliases = tuple(_string(a, f"{where}.networks.{network}.aliases") for a in _list(spec.get("aliases"),
                                                                                            where))
        if network != "default" and network not in networks:
            raise CliFailure(f'service "{where.split(".", 1)[1]}" refers to undefined network {network}: invalid '
                             "compose project")
        found.append((network, aliases))
    return tuple(found)


def _port(value: Any, where: str) -> str:
    """A ``ports`` entry as ``-p`` would take it (recorded only, like ``-p``)."""
    if isinstance(value, dict):
        target = value.get("target")
        if target is None:
            raise invalid(f"{where}.ports: target is required")
        text = str(target)
        if value.get("published") is not None:
            text = f"{value['published']}:{text}"
            if value.get("host_ip"):
                text = f"{value['host_ip']}:{text}"
        if value.get("protocol"):
            text += f"/{value['protocol']}"
    elif isinstance(value, str | int) and not isinstance(value, bool):
        text = str(value)
    else:
        raise invalid(f"{where}.ports must be strings, numbers or mappings")
    if not PORT_SPEC.fullmatch(text):
        raise invalid(f"{where}.ports: invalid port spec: {text}")
    return text


def _ulimits(value: Any, where: str) -> tuple[str, ...]:
    """``ulimits: {nofile: 64}`` or ``{nofile: {soft: 32, hard: 64}}`` → ``--ulimit`` values (the run policy
    checks them against its ceilings)."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise invalid(f"{where}.ulimits must be a mapping")
    found = []
    for name, amount in value.items():
        if isinstance(amount, dict):
            found.append(f"{name}={amount.get('soft')}:{amount.get('hard')}")
        else:
            found.append(f"{name}={amount}")
    return tuple(found)


def _start_order(services: list[Service]) -> tuple[Service, ...]:
    """Dependencies first, otherwise by name (Kahn's algorithm); a cycle or a missing service is Compose's error."""
    by_name = {s.name: s for s in services}
    for service in services:
        for dependency in service.depends_on:
            if dependency not in by_name:
                raise CliFailure(f'service "{service.name}" depends on undefined service "{dependency}": invalid '
                                 "compose project")
    ordered: list[Service] = []
    done: set[str] = set()
    while len(ordered) < len(services):
        ready = sorted(n for n, s in by_name.items() if n not in done and set(s.depends_on) <= done)
        if not ready:
            raise CliFailure(f"dependency cycle detected: {' -> '.join(_cycle(by_name, done))}")
        ordered.append(by_name[ready[0]])
        done.add(ready[0])
    return tuple(ordered)


def _cycle(by_name: Mapping[str, Service], done: set[str]) -> list[str]:
    """One dependency cycle among the services not yet ordered, as ``a -> b -> a``."""
    path = [min(n for n in by_name if n not in done)]
    while True:
        following = min(d for d in by_name[path[-1]].depends_on if d not in done)
        if following in path:
            return [*path[path.index(following):], following]
        path.append(following)
