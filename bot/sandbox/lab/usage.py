"""The docker CLI's commands as the lab knows them: flags, operands and help texts, in docker 28's own words.

Every flag docker 28 accepts for these commands is here, so that a command line parses exactly as the CLI
parses it (a value after ``--dns`` is not mistaken for the image). Each flag has a :class:`Role`: the ones the
lab implements are listed by ``!docker help``; the ones the lab policy refuses by name are known; the rest
are parsed and reported in :attr:`.grammar.Parsed.unsupported` for the engine side to refuse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum


class Kind(Enum):
    """How a flag takes its value (pflag's types, by what the lab needs to check)."""

    BOOL = ""
    STR = "string"
    LIST = "list"  # repeatable: each use adds one value
    CSV = "strings"  # repeatable, each value split at commas
    INT = "int"
    BYTES = "bytes"  # 512m, 1g
    DECIMAL = "decimal"  # --cpus 1.5
    DURATION = "duration"  # 30s, 1m30s


class Role(Enum):
    SHOWN = "shown"  # the lab implements it; listed by usage()
    KNOWN = "known"  # the lab policy decides on it by name (refuses it, or some of its values)
    OTHER = "other"  # docker has it, the lab does not: reported in Parsed.unsupported


@dataclass(frozen=True, slots=True)
class Flag:
    long: str
    short: str
    kind: Kind
    help: str
    role: Role = Role.OTHER
    key: str = ""  # the option's name when this is a hidden alias (--net for --network, --time for --timeout)
    type_name: str = ""  # what docker's help calls the value when it is not the kind's name ("filter")

    @property
    def name(self) -> str:
        """The key of :attr:`.grammar.Parsed.options`."""
        return self.key or self.long

    @property
    def head(self) -> str:
        """The flag as docker's help lists it: ``-e, --env list``, ``      --rm``."""
        names = f"-{self.short}, --{self.long}" if self.short else f"    --{self.long}"
        value = self.type_name or self.kind.value
        return f"{names} {value}" if value else names

    @property
    def label(self) -> str:
        """How pflag names the flag in its errors: ``-n, --last`` or ``--cpus``."""
        return f"-{self.short}, --{self.long}" if self.short else f"--{self.long}"


@dataclass(frozen=True, slots=True)
class Command:
    """A command the lab runs. ``canonical`` is what :attr:`.grammar.Parsed.command` says for it."""

    canonical: tuple[str, ...]
    operands: str  # after the command path in the Usage line
    summary: str
    flags: tuple[Flag, ...]
    min_args: int
    max_args: int | None  # None: no upper bound
    interspersed: bool = True  # False: flags end at the first positional (run, create, exec)
    implied: tuple[tuple[str, object], ...] = ()  # options a path implies: container inspect -> type=container


@dataclass(frozen=True, slots=True)
class Entry:
    """A command's place in a tree: its name there, its aliases, the command or group it leads to."""

    name: str
    node: Command | Group
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Group:
    """A management command (``docker volume``): subcommands only."""

    summary: str
    usage_line: str  # what its errors print after "Usage:  "
    entries: tuple[Entry, ...]
    elsewhere: str = ""  # docker's subcommands the lab lacks, space-separated
    flags: tuple[Flag, ...] = ()  # flags before the subcommand (``docker compose -p demo up``)

    def find(self, word: str) -> Entry | None:
        for entry in self.entries:
            if word == entry.name or word in entry.aliases:
                return entry
        return None

    def lacks(self, word: str) -> bool:
        """Docker has ``word`` here, the lab does not."""
        return word in self.elsewhere.split()


def _F(long: str, short: str, kind: Kind, help: str) -> Flag:
    return Flag(long, short, kind, help)


def _roles(flags: Iterable[Flag], shown: str = "", known: str = "") -> tuple[Flag, ...]:
    """``flags`` with the roles the lab gives them (space-separated long names)."""
    shown_set, known_set = set(shown.split()), set(known.split())
    unknown = (shown_set | known_set) - {f.long for f in flags}
    if unknown:
        raise ValueError(f"no such flags: {sorted(unknown)}")
    return tuple(
        replace(f, role=Role.SHOWN if f.long in shown_set else Role.KNOWN if f.long in known_set else Role.OTHER)
        for f in flags
    )


BOOL, STR, LIST, CSV, INT, BYTES, DECIMAL, DURATION = (
    Kind.BOOL,
    Kind.STR,
    Kind.LIST,
    Kind.CSV,
    Kind.INT,
    Kind.BYTES,
    Kind.DECIMAL,
    Kind.DURATION,
)

# docker create's flags (docker run has these and three more)
_CREATE_ROWS = (
    _F("add-host", "", LIST, "Add a custom host-to-IP mapping (host:ip)"),
    _F("attach", "a", LIST, "Attach to STDIN, STDOUT or STDERR"),
    _F("blkio-weight", "", INT, "Block IO (relative weight), between 10 and 1000, or 0 to disable"),
    _F("blkio-weight-device", "", LIST, "Block IO weight (relative device weight)"),
    _F("cap-add", "", LIST, "Add Linux capabilities"),
    _F("cap-drop", "", LIST, "Drop Linux capabilities"),
    _F("cgroup-parent", "", STR, "Optional parent cgroup for the container"),
    _F("cgroupns", "", STR, "Cgroup namespace to use (host|private)"),
    _F("cidfile", "", STR, "Write the container ID to the file"),
    _F("cpu-period", "", INT, "Limit CPU CFS (Completely Fair Scheduler) period"),
    _F("cpu-quota", "", INT, "Limit CPU CFS (Completely Fair Scheduler) quota"),
    _F("cpu-rt-period", "", INT, "Limit CPU real-time period in microseconds"),
    _F("cpu-rt-runtime", "", INT, "Limit CPU real-time runtime in microseconds"),
    _F("cpu-shares", "c", INT, "CPU shares (relative weight)"),
    _F("cpus", "", DECIMAL, "Number of CPUs"),
    _F("cpuset-cpus", "", STR, "CPUs in which to allow execution (0-3, 0,1)"),
    _F("cpuset-mems", "", STR, "MEMs in which to allow execution (0-3, 0,1)"),
    _F("device", "", LIST, "Add a host device to the container"),
    _F("device-cgroup-rule", "", LIST, "Add a rule to the cgroup allowed devices list"),
    _F("device-read-bps", "", LIST, "Limit read rate (bytes per second) from a device"),
    _F("device-read-iops", "", LIST, "Limit read rate (IO per second) from a device"),
    _F("device-write-bps", "", LIST, "Limit write rate (bytes per second) to a device"),
    _F("device-write-iops", "", LIST, "Limit write rate (IO per second) to a device"),
    _F("disable-content-trust", "", BOOL, "Skip image verification"),
    _F("dns", "", LIST, "Set custom DNS servers"),
    _F("dns-option", "", LIST, "Set DNS options"),
    _F("dns-search", "", LIST, "Set custom DNS search domains"),
    _F("domainname", "", STR, "Container NIS domain name"),
    _F("entrypoint", "", STR, "Overwrite the default ENTRYPOINT of the image"),
    _F("env", "e", LIST, "Set environment variables"),
    _F("env-file", "", LIST, "Read in a file of environment variables"),
    _F("expose", "", LIST, "Expose a port or a range of ports"),
    _F("gpus", "", STR, "GPU devices to add to the container ('all' to pass all GPUs)"),
    _F("group-add", "", LIST, "Add additional groups to join"),
    _F("health-cmd", "", STR, "Command to run to check health"),
    _F("health-interval", "", DURATION, "Time between running the check (ms|s|m|h)"),
    _F("health-retries", "", INT, "Consecutive failures needed to report unhealthy"),
    _F(
        "health-start-period",
        "",
        DURATION,
        "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h)",
    ),
    _F("health-timeout", "", DURATION, "Maximum time to allow one check to run (ms|s|m|h)"),
    _F("hostname", "h", STR, "Container host name"),
    _F("init", "", BOOL, "Run an init inside the container that forwards signals and reaps processes"),
    _F("interactive", "i", BOOL, "Keep STDIN open even if not attached"),
    _F("ip", "", STR, "IPv4 address (e.g., 172.30.100.104)"),
    _F("ip6", "", STR, "IPv6 address (e.g., 2001:db8::33)"),
    _F("ipc", "", STR, "IPC mode to use"),
    _F("isolation", "", STR, "Container isolation technology"),
    _F("kernel-memory", "", BYTES, "Kernel memory limit"),
    _F("label", "l", LIST, "Set meta data on a container"),
    _F("label-file", "", LIST, "Read in a line delimited file of labels"),
    _F("link", "", LIST, "Add link to another container"),
    _F("link-local-ip", "", LIST, "Container IPv4/IPv6 link-local addresses"),
    _F("log-driver", "", STR, "Logging driver for the container"),
    _F("log-opt", "", LIST, "Log driver options"),
    _F("mac-address", "", STR, "Container MAC address (e.g., 92:d0:c6:0a:29:33)"),
    _F("memory", "m", BYTES, "Memory limit"),
    _F("memory-reservation", "", BYTES, "Memory soft limit"),
    _F("memory-swap", "", BYTES, "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
    _F("memory-swappiness", "", INT, "Tune container memory swappiness (0 to 100)"),
    _F("mount", "", LIST, "Attach a filesystem mount to the container"),
    _F("name", "", STR, "Assign a name to the container"),
    Flag("network", "", LIST, "Connect a container to a network", type_name="network"),
    _F("network-alias", "", LIST, "Add network-scoped alias for the container"),
    _F("no-healthcheck", "", BOOL, "Disable any container-specified HEALTHCHECK"),
    _F("oom-kill-disable", "", BOOL, "Disable OOM Killer"),
    _F("oom-score-adj", "", INT, "Tune host's OOM preferences (-1000 to 1000)"),
    _F("pid", "", STR, "PID namespace to use"),
    _F("pids-limit", "", INT, "Tune container pids limit (set -1 for unlimited)"),
    _F("platform", "", STR, "Set platform if server is multi-platform capable"),
    _F("privileged", "", BOOL, "Give extended privileges to this container"),
    _F("publish", "p", LIST, "Publish a container's port(s) to the host"),
    _F("publish-all", "P", BOOL, "Publish all exposed ports to random ports"),
    _F("pull", "", STR, 'Pull image before creating ("always", "missing", "never")'),
    _F("quiet", "q", BOOL, "Suppress the pull output"),
    _F("read-only", "", BOOL, "Mount the container's root filesystem as read only"),
    _F("restart", "", STR, "Restart policy to apply when a container exits"),
    _F("rm", "", BOOL, "Automatically remove the container and its associated anonymous volumes when it exits"),
    _F("runtime", "", STR, "Runtime to use for this container"),
    _F("security-opt", "", LIST, "Security Options"),
    _F("shm-size", "", BYTES, "Size of /dev/shm"),
    _F("stop-signal", "", STR, "Signal to stop the container"),
    _F("stop-timeout", "", INT, "Timeout (in seconds) to stop a container"),
    _F("storage-opt", "", LIST, "Storage driver options for the container"),
    _F("sysctl", "", LIST, "Sysctl options"),
    _F("tmpfs", "", LIST, "Mount a tmpfs directory"),
    _F("tty", "t", BOOL, "Allocate a pseudo-TTY"),
    _F("ulimit", "", LIST, "Ulimit options"),
    _F("use-api-socket", "", BOOL, "Bind mount Docker API socket and required auth"),
    _F("user", "u", STR, "Username or UID (format: <name|uid>[:<group|gid>])"),
    _F("userns", "", STR, "User namespace to use"),
    _F("uts", "", STR, "UTS namespace to use"),
    _F("volume", "v", LIST, "Bind mount a volume"),
    _F("volume-driver", "", STR, "Optional volume driver for the container"),
    _F("volumes-from", "", LIST, "Mount volumes from the specified container(s)"),
    _F("workdir", "w", STR, "Working directory inside the container"),
)

_RUN_SHOWN = (
    "name env workdir rm entrypoint interactive tty publish volume network user label restart memory cpus"
    " pids-limit hostname read-only"
)
_RUN_KNOWN = (
    "env-file privileged cap-add cap-drop device mount pid ipc uts userns security-opt runtime sysctl ulimit tmpfs"
)
_NET = Flag("net", "", LIST, "Connect a container to a network", key="network")  # hidden, from older tutorials
_CREATE = (*_roles(_CREATE_ROWS, _RUN_SHOWN, _RUN_KNOWN), replace(_NET, role=Role.SHOWN))
_RUN_PULL = 'Pull image before running ("always", "missing", "never")'
_RUN = tuple(
    sorted(
        (
            *(replace(f, help=_RUN_PULL) if f.long == "pull" else f for f in _CREATE),
            Flag("detach", "d", BOOL, "Run container in background and print container ID", Role.SHOWN),
            _F("detach-keys", "", STR, "Override the key sequence for detaching a container"),
            _F("sig-proxy", "", BOOL, "Proxy received signals to the process"),
        ),
        key=lambda f: f.long,
    )
)

_FORMAT = "Format output using a custom template"
_PS = _roles(
    (
        _F("all", "a", BOOL, "Show all containers (default shows just running)"),
        Flag("filter", "f", LIST, "Filter output based on conditions provided", type_name="filter"),
        _F("format", "", STR, _FORMAT),
        _F("last", "n", INT, "Show n last created containers (includes all states)"),
        _F("latest", "l", BOOL, "Show the latest created container (includes all states)"),
        _F("no-trunc", "", BOOL, "Don't truncate output"),
        _F("quiet", "q", BOOL, "Only display container IDs"),
        _F("size", "s", BOOL, "Display total file sizes"),
    ),
    "all filter format last latest no-trunc quiet size",
)
_LOGS = _roles(
    (
        _F("details", "", BOOL, "Show extra details provided to logs"),
        _F("follow", "f", BOOL, "Follow log output"),
        _F("since", "", STR, 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m")'),
        _F("tail", "n", STR, 'Number of lines to show from the end of the logs (default "all")'),
        _F("timestamps", "t", BOOL, "Show timestamps"),
        _F("until", "", STR, 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m")'),
    ),
    "follow since tail timestamps until",
)
_EXEC = _roles(
    (
        _F("detach", "d", BOOL, "Detached mode: run command in the background"),
        _F("detach-keys", "", STR, "Override the key sequence for detaching a container"),
        _F("env", "e", LIST, "Set environment variables"),
        _F("env-file", "", LIST, "Read in a file of environment variables"),
        _F("interactive", "i", BOOL, "Keep STDIN open even if not attached"),
        _F("privileged", "", BOOL, "Give extended privileges to the command"),
        _F("tty", "t", BOOL, "Allocate a pseudo-TTY"),
        _F("user", "u", STR, 'Username or UID (format: "<name|uid>[:<group|gid>]")'),
        _F("workdir", "w", STR, "Working directory inside the container"),
    ),
    "detach env interactive tty user workdir",
    "env-file privileged",
)
_STOP = (
    *_roles(
        (
            _F("signal", "s", STR, "Signal to send to the container"),
            _F("timeout", "t", INT, "Seconds to wait before killing the container"),
        ),
        "signal timeout",
    ),
    Flag("time", "", INT, "Seconds to wait before killing the container", Role.SHOWN, key="timeout"),  # deprecated
)
_START = _roles(
    (
        _F("attach", "a", BOOL, "Attach STDOUT/STDERR and forward signals"),
        _F("detach-keys", "", STR, "Override the key sequence for detaching a container"),
        _F("interactive", "i", BOOL, "Attach container's STDIN"),
    ),
    "attach interactive",
)
_RM = _roles(
    (
        _F("force", "f", BOOL, "Force the removal of a running container (uses SIGKILL)"),
        _F("link", "l", BOOL, "Remove the specified link"),
        _F("volumes", "v", BOOL, "Remove anonymous volumes associated with the container"),
    ),
    "force volumes",
)
_IMAGES = _roles(
    (
        _F("all", "a", BOOL, "Show all images (default hides intermediate images)"),
        _F("digests", "", BOOL, "Show digests"),
        Flag("filter", "f", LIST, "Filter output based on conditions provided", type_name="filter"),
        _F("format", "", STR, _FORMAT),
        _F("no-trunc", "", BOOL, "Don't truncate output"),
        _F("quiet", "q", BOOL, "Only show image IDs"),
    ),
    "all filter format no-trunc quiet",
)
_RMI = _roles(
    (
        _F("force", "f", BOOL, "Force removal of the image"),
        _F("no-prune", "", BOOL, "Do not delete untagged parents"),
    ),
    "force no-prune",
)
_PULL = _roles(
    (
        _F("all-tags", "a", BOOL, "Download all tagged images in the repository"),
        _F("disable-content-trust", "", BOOL, "Skip image verification (default true)"),
        _F("platform", "", STR, "Set platform if server is multi-platform capable"),
        _F("quiet", "q", BOOL, "Suppress verbose output"),
    ),
    "quiet",
)
_INSPECT = _roles(
    (
        _F("format", "f", STR, _FORMAT),
        _F("size", "s", BOOL, "Display total file sizes if the type is container"),
        _F("type", "", STR, "Only inspect objects of the given type"),
    ),
    "format size type",
)
_CONTAINER_INSPECT = _roles(
    (_F("format", "f", STR, _FORMAT), _F("size", "s", BOOL, "Display total file sizes")), "format size"
)
_FORMAT_ONLY = _roles((_F("format", "f", STR, _FORMAT),), "format")
_BUILD = _roles(
    (
        _F("add-host", "", LIST, 'Add a custom host-to-IP mapping ("host:ip")'),
        _F("build-arg", "", LIST, "Set build-time variables"),
        _F("cache-from", "", CSV, "Images to consider as cache sources"),
        _F("cgroup-parent", "", STR, 'Set the parent cgroup for the "RUN" instructions during build'),
        _F("compress", "", BOOL, "Compress the build context using gzip"),
        _F("cpu-period", "", INT, "Limit the CPU CFS (Completely Fair Scheduler) period"),
        _F("cpu-quota", "", INT, "Limit the CPU CFS (Completely Fair Scheduler) quota"),
        _F("cpu-shares", "c", INT, "CPU shares (relative weight)"),
        _F("cpuset-cpus", "", STR, "CPUs in which to allow execution (0-3, 0,1)"),
        _F("cpuset-mems", "", STR, "MEMs in which to allow execution (0-3, 0,1)"),
        _F("disable-content-trust", "", BOOL, "Skip image verification (default true)"),
        _F("file", "f", STR, 'Name of the Dockerfile (Default is "PATH/Dockerfile")'),
        _F("force-rm", "", BOOL, "Always remove intermediate containers"),
        _F("iidfile", "", STR, "Write the image ID to the file"),
        _F("isolation", "", STR, "Container isolation technology"),
        _F("label", "", LIST, "Set metadata for an image"),
        _F("memory", "m", BYTES, "Memory limit"),
        _F("memory-swap", "", BYTES, "Swap limit equal to memory plus swap: -1 to enable unlimited swap"),
        _F("network", "", STR, "Set the networking mode for the RUN instructions during build"),
        _F("no-cache", "", BOOL, "Do not use cache when building the image"),
        _F("platform", "", STR, "Set platform if server is multi-platform capable"),
        _F("pull", "", BOOL, "Always attempt to pull a newer version of the image"),
        _F("quiet", "q", BOOL, "Suppress the build output and print image ID on success"),
        _F("rm", "", BOOL, "Remove intermediate containers after a successful build (default true)"),
        _F("security-opt", "", CSV, "Security options"),
        _F("shm-size", "", BYTES, 'Size of "/dev/shm"'),
        _F("tag", "t", LIST, 'Name and optionally a tag in the "name:tag" format'),
        _F("target", "", STR, "Set the target build stage to build."),
        _F("ulimit", "", LIST, "Ulimit options"),
    ),
    "build-arg file label no-cache pull quiet rm force-rm tag",
    "network memory security-opt ulimit",
)
_VOLUME_CREATE = _roles(
    (
        _F("driver", "d", STR, 'Specify volume driver name (default "local")'),
        _F("label", "", LIST, "Set metadata for a volume"),
        _F("opt", "o", LIST, "Set driver specific options"),
    ),
    "label",
    "driver opt",
)
_VOLUME_LS = _roles(
    (
        Flag("filter", "f", LIST, 'Provide filter values (e.g. "dangling=true")', type_name="filter"),
        _F("format", "", STR, _FORMAT),
        _F("quiet", "q", BOOL, "Only display volume names"),
    ),
    "filter format quiet",
)
_VOLUME_RM = _roles((_F("force", "f", BOOL, "Force the removal of one or more volumes"),), "force")
_NETWORK_CREATE = _roles(
    (
        _F("attachable", "", BOOL, "Enable manual container attachment"),
        _F("aux-address", "", LIST, "Auxiliary IPv4 or IPv6 addresses used by Network driver"),
        _F("config-from", "", STR, "The network from which to copy the configuration"),
        _F("config-only", "", BOOL, "Create a configuration only network"),
        _F("driver", "d", STR, 'Driver to manage the Network (default "bridge")'),
        _F("gateway", "", CSV, "IPv4 or IPv6 Gateway for the master subnet"),
        _F("ingress", "", BOOL, "Create swarm routing-mesh network"),
        _F("internal", "", BOOL, "Restrict external access to the network"),
        _F("ip-range", "", CSV, "Allocate container ip from a sub-range"),
        _F("ipam-driver", "", STR, 'IP Address Management Driver (default "default")'),
        _F("ipam-opt", "", LIST, "Set IPAM driver specific options"),
        _F("ipv4", "", BOOL, "Enable or disable IPv4 address assignment (default true)"),
        _F("ipv6", "", BOOL, "Enable or disable IPv6 address assignment"),
        _F("label", "", LIST, "Set metadata on a network"),
        _F("opt", "o", LIST, "Set driver specific options"),
        _F("scope", "", STR, "Control the network's scope"),
        _F("subnet", "", CSV, "Subnet in CIDR format that represents a network segment"),
    ),
    "driver internal label",
    "attachable ingress opt",
)
_NETWORK_LS = _roles(
    (
        Flag("filter", "f", LIST, 'Provide filter values (e.g. "driver=bridge")', type_name="filter"),
        _F("format", "", STR, _FORMAT),
        _F("no-trunc", "", BOOL, "Do not truncate the output"),
        _F("quiet", "q", BOOL, "Only display network IDs"),
    ),
    "filter format no-trunc quiet",
)
_NETWORK_RM = _roles((_F("force", "f", BOOL, "Do not error if the network does not exist"),), "force")
_NETWORK_INSPECT = _roles(
    (_F("format", "f", STR, _FORMAT), _F("verbose", "v", BOOL, "Verbose output for diagnostics")), "format"
)

GLOBAL_FLAGS = _roles(
    (
        _F("config", "", STR, "Location of client config files"),
        _F("context", "c", STR, "Name of the context to use to connect to the daemon"),
        _F("debug", "D", BOOL, "Enable debug mode"),
        _F("host", "H", LIST, "Daemon socket to connect to"),
        _F("log-level", "l", STR, 'Set the logging level ("debug", "info", "warn", "error", "fatal")'),
        _F("tls", "", BOOL, "Use TLS; implied by --tlsverify"),
        _F("tlscacert", "", STR, "Trust certs signed only by this CA"),
        _F("tlscert", "", STR, "Path to TLS certificate file"),
        _F("tlskey", "", STR, "Path to TLS key file"),
        _F("tlsverify", "", BOOL, "Use TLS and verify the remote"),
        _F("version", "v", BOOL, "Print version information and quit"),
    ),
    "debug log-level version",
    "config context host tls tlscacert tlscert tlskey tlsverify",
)

_CONTAINER_OPERANDS = "[OPTIONS] CONTAINER [CONTAINER...]"
RUN = Command(
    ("run",),
    "[OPTIONS] IMAGE [COMMAND] [ARG...]",
    "Create and run a new container from an image",
    _RUN,
    1,
    None,
    interspersed=False,
)
CREATE = Command(
    ("create",), "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container", _CREATE, 1, None, interspersed=False
)
PS = Command(("ps",), "[OPTIONS]", "List containers", _PS, 0, 0)
LOGS = Command(("logs",), "[OPTIONS] CONTAINER", "Fetch the logs of a container", _LOGS, 1, 1)
EXEC = Command(
    ("exec",),
    "[OPTIONS] CONTAINER COMMAND [ARG...]",
    "Execute a command in a running container",
    _EXEC,
    2,
    None,
    interspersed=False,
)
STOP = Command(("stop",), _CONTAINER_OPERANDS, "Stop one or more running containers", _STOP, 1, None)
START = Command(("start",), _CONTAINER_OPERANDS, "Start one or more stopped containers", _START, 1, None)
RESTART = Command(("restart",), _CONTAINER_OPERANDS, "Restart one or more containers", _STOP, 1, None)
RM = Command(("rm",), _CONTAINER_OPERANDS, "Remove one or more containers", _RM, 1, None)
CONTAINER_INSPECT = Command(
    ("inspect",),
    _CONTAINER_OPERANDS,
    "Display detailed information on one or more containers",
    _CONTAINER_INSPECT,
    1,
    None,
    implied=(("type", "container"),),
)
IMAGES = Command(("images",), "[OPTIONS] [REPOSITORY[:TAG]]", "List images", _IMAGES, 0, 1)
RMI = Command(("rmi",), "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", _RMI, 1, None)
PULL = Command(("pull",), "[OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", _PULL, 1, 1)
TAG = Command(
    ("tag",), "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", (), 2, 2
)
INSPECT = Command(
    ("inspect",), "[OPTIONS] NAME|ID [NAME|ID...]", "Return low-level information on Docker objects", _INSPECT, 1, None
)
IMAGE_INSPECT = Command(
    ("inspect",),
    "[OPTIONS] IMAGE [IMAGE...]",
    "Display detailed information on one or more images",
    _FORMAT_ONLY,
    1,
    None,
    implied=(("type", "image"),),
)
BUILD = Command(("build",), "[OPTIONS] PATH | URL | -", "Build an image from a Dockerfile", _BUILD, 1, 1)
VERSION = Command(("version",), "[OPTIONS]", "Show the Docker version information", _FORMAT_ONLY, 0, 0)
STATUS = Command(("status",), "", "Show what your lab holds, its limits and the time it has left", (), 0, 0)
RESET = Command(("reset",), "", "Remove your lab and everything in it", (), 0, 0)
VOLUME_CREATE = Command(("volume", "create"), "[OPTIONS] [VOLUME]", "Create a volume", _VOLUME_CREATE, 0, 1)
VOLUME_LS = Command(("volume", "ls"), "[OPTIONS]", "List volumes", _VOLUME_LS, 0, 0)
VOLUME_RM = Command(
    ("volume", "rm"),
    "[OPTIONS] VOLUME [VOLUME...]",
    "Remove one or more volumes. You cannot remove a volume that is in use by a container.",
    _VOLUME_RM,
    1,
    None,
)
VOLUME_INSPECT = Command(
    ("volume", "inspect"),
    "[OPTIONS] VOLUME [VOLUME...]",
    "Display detailed information on one or more volumes",
    _FORMAT_ONLY,
    1,
    None,
)
NETWORK_CREATE = Command(("network", "create"), "[OPTIONS] NETWORK", "Create a network", _NETWORK_CREATE, 1, 1)
NETWORK_LS = Command(("network", "ls"), "[OPTIONS]", "List networks", _NETWORK_LS, 0, 0)
NETWORK_RM = Command(("network", "rm"), "NETWORK [NETWORK...]", "Remove one or more networks", _NETWORK_RM, 1, None)
NETWORK_INSPECT = Command(
    ("network", "inspect"),
    "[OPTIONS] NETWORK [NETWORK...]",
    "Display detailed information on one or more networks",
    _NETWORK_INSPECT,
    1,
    None,
)

# docker compose (v2), the lab's part of it. -p is a persistent flag: before the subcommand or after it.
_PROJECT = Flag("project-name", "p", STR, "Project name", Role.SHOWN)
_COMPOSE_FLAGS = (
    *_roles(
        (
            _F("ansi", "", STR, 'Control when to print ANSI control characters ("never"|"always"|"auto")'),
            _F("env-file", "", LIST, "Specify an alternate environment file"),
            _F("file", "f", LIST, "Compose configuration files"),
            _F("parallel", "", INT, "Control max parallelism, -1 for unlimited"),
            _F("profile", "", LIST, "Specify a profile to enable"),
            _F("progress", "", STR, 'Set type of progress output (auto, tty, plain, json, quiet)'),
            _F("project-directory", "", STR, "Specify an alternate working directory"),
        ),
        known="env-file",
    ),
    _PROJECT,
)
_PERSISTENT = (replace(_PROJECT, role=Role.KNOWN),)
COMPOSE_UP = Command(
    ("compose", "up"),
    "[OPTIONS] [SERVICE...]",
    "Create and start containers",
    (
        *_roles(
            (
                _F("abort-on-container-exit", "", BOOL, "Stops all containers if any container was stopped"),
                _F("build", "", BOOL, "Build images before starting containers"),
                _F("detach", "d", BOOL, "Detached mode: Run containers in the background"),
                _F("force-recreate", "", BOOL,
                   "Recreate containers even if their configuration and image haven't changed"),
                _F("no-build", "", BOOL, "Don't build an image, even if it's policy"),
                _F("no-deps", "", BOOL, "Don't start linked services"),
                _F("no-start", "", BOOL, "Don't start the services after creating them"),
                _F("pull", "", STR, 'Pull image before running ("always"|"missing"|"never")'),
                _F("remove-orphans", "", BOOL, "Remove containers for services not defined in the Compose file"),
                _F("scale", "", LIST, "Scale SERVICE to NUM instances"),
                _F("wait", "", BOOL, "Wait for services to be running|healthy. Implies detached mode."),
            ),
            "build detach force-recreate",
        ),
        *_PERSISTENT,
    ),
    0,
    None,
)
COMPOSE_DOWN = Command(
    ("compose", "down"),
    "[OPTIONS] [SERVICES]",
    "Stop and remove containers, networks",
    (
        *_roles(
            (
                _F("remove-orphans", "", BOOL, "Remove containers for services not defined in the Compose file"),
                _F("rmi", "", STR, 'Remove images used by services. "local" remove only images that don\'t have a '
                   'custom tag ("local"|"all")'),
                _F("timeout", "t", INT, "Specify a shutdown timeout in seconds"),
                _F("volumes", "v", BOOL, 'Remove named volumes declared in the "volumes" section of the Compose file '
                   "and anonymous volumes attached to containers"),
            ),
            "timeout volumes",
        ),
        *_PERSISTENT,
    ),
    0,
    None,
)
COMPOSE_PS = Command(
    ("compose", "ps"),
    "[OPTIONS] [SERVICE...]",
    "List containers",
    (
        *_roles(
            (
                _F("all", "a", BOOL, "Show all stopped containers (including those created by the run command)"),
                Flag("filter", "", STR, "Filter services by a property (supported filters: status)"),
                _F("format", "", STR, "Format output using a custom template"),
                _F("no-trunc", "", BOOL, "Don't truncate output"),
                _F("quiet", "q", BOOL, "Only display IDs"),
                _F("services", "", BOOL, "Display services"),
                _F("status", "", LIST, "Filter services by status"),
            ),
            "all quiet services",
        ),
        *_PERSISTENT,
    ),
    0,
    None,
)
COMPOSE_LOGS = Command(
    ("compose", "logs"),
    "[OPTIONS] [SERVICE...]",
    "View output from containers",
    (
        *_roles(
            (
                _F("follow", "f", BOOL, "Follow log output"),
                _F("index", "", INT, "index of the container if service has multiple replicas"),
                _F("no-color", "", BOOL, "Produce monochrome output"),
                _F("no-log-prefix", "", BOOL, "Don't print prefix in logs"),
                _F("since", "", STR, "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m)"),
                _F("tail", "n", STR, "Number of lines to show from the end of the logs for each container"),
                _F("timestamps", "t", BOOL, "Show timestamps"),
                _F("until", "", STR, "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m)"),
            ),
            "no-log-prefix tail timestamps",
        ),
        *_PERSISTENT,
    ),
    0,
    None,
)
COMPOSE = Group(
    "Define and run multi-container applications with Docker",
    "docker compose [OPTIONS] COMMAND",
    (
        Entry("up", COMPOSE_UP),
        Entry("down", COMPOSE_DOWN),
        Entry("ps", COMPOSE_PS),
        Entry("logs", COMPOSE_LOGS),
    ),
    "attach build config cp create events exec images kill ls pause port pull push restart rm run scale start stats"
    " stop top unpause version wait watch",
    flags=_COMPOSE_FLAGS,
)

ROOT = Group(
    "A self-sufficient runtime for containers",
    "docker [OPTIONS] COMMAND [ARG...]",
    (
        Entry("run", RUN),
        Entry("exec", EXEC),
        Entry("ps", PS),
        Entry("build", BUILD),
        Entry("pull", PULL),
        Entry("images", IMAGES),
        Entry("version", VERSION),
        Entry("create", CREATE),
        Entry("inspect", INSPECT),
        Entry("logs", LOGS),
        Entry("restart", RESTART),
        Entry("rm", RM),
        Entry("rmi", RMI),
        Entry("start", START),
        Entry("stop", STOP),
        Entry("tag", TAG),
        Entry(
            "container",
            Group(
                "Manage containers",
                "docker container",
                (
                    Entry("create", CREATE),
                    Entry("exec", EXEC),
                    Entry("inspect", CONTAINER_INSPECT),
                    Entry("logs", LOGS),
                    Entry("ls", PS, ("list", "ps")),
                    Entry("restart", RESTART),
                    Entry("rm", RM, ("remove",)),
                    Entry("run", RUN),
                    Entry("start", START),
                    Entry("stop", STOP),
                ),
                "attach commit cp diff export kill pause port prune rename stats top unpause update wait",
            ),
        ),
        Entry(
            "image",
            Group(
                "Manage images",
                "docker image",
                (
                    Entry("build", BUILD),
                    Entry("inspect", IMAGE_INSPECT),
                    Entry("ls", IMAGES, ("list",)),
                    Entry("pull", PULL),
                    Entry("rm", RMI, ("remove",)),
                    Entry("tag", TAG),
                ),
                "history import load prune push save",
            ),
        ),
        Entry(
            "network",
            Group(
                "Manage networks",
                "docker network",
                (
                    Entry("create", NETWORK_CREATE),
                    Entry("inspect", NETWORK_INSPECT),
                    Entry("ls", NETWORK_LS, ("list",)),
                    Entry("rm", NETWORK_RM, ("remove",)),
                ),
                "connect disconnect prune",
            ),
        ),
        Entry(
            "volume",
            Group(
                "Manage volumes",
                "docker volume COMMAND",
                (
                    Entry("create", VOLUME_CREATE),
                    Entry("inspect", VOLUME_INSPECT),
                    Entry("ls", VOLUME_LS, ("list",)),
                    Entry("rm", VOLUME_RM, ("remove",)),
                ),
                "prune",
            ),
        ),
        Entry("builder", Group("Manage builds", "docker builder", (Entry("build", BUILD),), "du prune")),
        Entry("compose", COMPOSE),
        Entry("status", STATUS),
        Entry("reset", RESET),
    ),
    "attach commit context cp diff events export history import info kill load login logout manifest"
    " node pause plugin port push rename save search secret service stack stats swarm system top trust"
    " unpause update wait config",
)

_COMMON = ("run", "exec", "ps", "build", "pull", "images", "version")  # docker --help's "Common Commands"
_LAB = ("status", "reset")  # the lab's own words, not docker's


def _walk(group: Group, path: str) -> Iterable[tuple[str, Entry]]:
    """Every entry of the tree with the path of the group it sits in, docker's own commands first."""
    for entry in group.entries:
        yield path, entry
    for entry in group.entries:
        if isinstance(entry.node, Group):
            yield from _walk(entry.node, f"{path} {entry.name}")


def _find(command: tuple[str, ...]) -> tuple[str, Command | Group] | None:
    """The shortest path to ``command`` (``("ps",)`` is ``docker ps``, not ``docker container ls``)."""
    if not command:
        return "docker", ROOT
    for path, entry in _walk(ROOT, "docker"):
        node = entry.node
        full = f"{path} {entry.name}"
        if (isinstance(node, Command) and node.canonical == command) or (
            isinstance(node, Group) and tuple(full.split()[1:]) == command
        ):
            return full, node
    return None


def render(command: tuple[str, ...]) -> str:
    """``docker <command> --help`` for the lab: Usage line, summary, aliases and the options the lab has."""
    found = _find(command)
    if found is None:
        raise KeyError(command)
    path, node = found
    if isinstance(node, Group):
        return _render_group(path, node)
    lines = [f"Usage:  {path} {node.operands}".rstrip(), "", node.summary]
    aliases = [
        f"{where} {name}"
        for where, entry in _walk(ROOT, "docker")
        if entry.node is node
        for name in (entry.name, *entry.aliases)
    ]
    if len(aliases) > 1:
        lines += ["", "Aliases:", "  " + ", ".join(sorted(aliases, key=lambda a: (-a.count(" "), a)))]
    shown = [f for f in node.flags if f.role is Role.SHOWN and not f.key]
    if shown:
        lines += ["", "Options:", *_flag_table(shown)]
    return "\n".join(lines)


def _render_group(path: str, group: Group) -> str:
    if group is ROOT:
        by_name = {e.name: e for e in group.entries}
        sections = (
            ("Common Commands:", [by_name[n] for n in _COMMON]),
            ("Management Commands:", [e for e in group.entries if isinstance(e.node, Group)]),
            (
                "Commands:",
                [
                    e
                    for e in group.entries
                    if isinstance(e.node, Command) and e.name not in _COMMON and e.name not in _LAB
                ],
            ),
            ("Lab Commands:", [by_name[n] for n in _LAB]),
        )
        lines = ["Usage:  docker [OPTIONS] COMMAND", "", group.summary]
        for title, entries in sections:
            lines += ["", title, *_command_table(entries)]
        shown = [f for f in GLOBAL_FLAGS if f.role is Role.SHOWN]
        lines += ["", "Global Options:", *_flag_table(shown)]
    elif group.flags:
        shown = [f for f in group.flags if f.role is Role.SHOWN]
        lines = [f"Usage:  {path} [OPTIONS] COMMAND", "", group.summary, "", "Options:", *_flag_table(shown),
                 "", "Commands:", *_command_table(group.entries)]
    else:
        lines = [f"Usage:  {path} COMMAND", "", group.summary, "", "Commands:", *_command_table(group.entries)]
    lines += ["", f"Run '{path} COMMAND --help' for more information on a command."]
    return "\n".join(lines)


def _command_table(entries: Iterable[Entry]) -> list[str]:
    return [f"  {entry.name:<11} {entry.node.summary}" for entry in entries]


def _flag_table(flags: Iterable[Flag]) -> list[str]:
    flags = list(flags)
    heads = [f"  {f.head}" for f in flags]
    width = max(len(h) for h in heads) + 3
    return [f"{head:<{width}}{flag.help}" for head, flag in zip(heads, flags, strict=True)]
