#!/usr/bin/env bash
# Bring up what the sandbox (!run) tests need, on a Debian 12 machine, as root. Idempotent.
#
# Usage: .ci/setup-docker.sh
#   - installs docker.io, busybox-static, runsc, docker-registry, docker-compose, debootstrap and docker-doc
#     (Docker's reference, read by !explain) when missing;
#   - writes /etc/docker/daemon.json registering gVisor as runtime "runsc" (--network=none);
#   - starts dockerd in the background unless the engine already answers (log: $STATE_DIR/dockerd.log),
#     and waits up to 60 s for it;
#   - starts docker-registry on 127.0.0.1:5000 only (config and storage under $STATE_DIR/registry);
#   - builds the offline busybox test image (tests/images/build.sh), tags it busybox:latest and
#     alpine:latest, and pushes 127.0.0.1:5000/studybot/tiny:1 for the pull-path test.
# Environment: STATE_DIR (default /var/lib/studybot-ci). Exit status 0 when everything is up.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
state=${STATE_DIR:-/var/lib/studybot-ci}
registry_addr=127.0.0.1:5000
mkdir -p "$state"

say() { echo "setup-docker: $*"; }

# 1. packages -----------------------------------------------------------------------------------
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
[[ -x /bin/busybox ]] || missing+=(busybox-static)
command -v runsc >/dev/null 2>&1 || missing+=(runsc)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v curl >/dev/null 2>&1 || missing+=(curl)
# For the deployment tests: `docker-compose config/up` and the offline base image (.ci/build-image.sh).
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
# Docker's own reference, !explain's second source (the tests read it).
[[ -d /usr/share/doc/docker-doc/reference/commandline ]] || missing+=(docker-doc)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The packaged registry service listens on every interface: keep it off.
    if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
        systemctl disable --now docker-registry >/dev/null 2>&1 || true
    fi
fi

# 2. engine configuration -----------------------------------------------------------------------
mkdir -p /etc/docker
want='{
  "runtimes": {
    "runsc": {"path": "/usr/bin/runsc", "runtimeArgs": ["--network=none"]}
  }
}'
config_changed=0
if [[ ! -f /etc/docker/daemon.json ]] || ! grep -q '"runsc"' /etc/docker/daemon.json; then
    [[ -f /etc/docker/daemon.json ]] && cp /etc/docker/daemon.json "/etc/docker/daemon.json.bak.$(date +%s)"
    printf '%s\n' "$want" >/etc/docker/daemon.json
    config_changed=1
fi

# 3. the engine ----------------------------------------------------------------------------------
engine_up() { docker info >/dev/null 2>&1; }
if engine_up; then
    if ((config_changed)) && pid=$(pidof dockerd); then
        say "engine up; reloading its configuration"
        kill -HUP "$pid"
        sleep 1
    fi
else
    say "starting dockerd (log: $state/dockerd.log)"
    # containerd is started by dockerd itself when not running.
    nohup dockerd >>"$state/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 120); do
        engine_up && break
        sleep 0.5
    done
    engine_up || { say "dockerd did not answer within 60 s; see $state/dockerd.log"; tail -20 "$state/dockerd.log" >&2; exit 1; }
fi
if docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q runsc; then
    say "engine up, runtimes: $(docker info --format '{{range $k, $v := .Runtimes}}{{$k}} {{end}}')"
else
    say "engine up, but runsc is not registered (check /etc/docker/daemon.json)"; exit 1
fi

# 4. a local registry on loopback only --------------------------------------------------------------
registry_up() { curl -fsS -m 2 "http://$registry_addr/v2/" >/dev/null 2>&1; }
if ! registry_up; then
    mkdir -p "$state/registry/data"
    cat >"$state/registry/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $state/registry/data
  delete:
    enabled: true
http:
  addr: $registry_addr
YAML
    say "starting docker-registry on $registry_addr (log: $state/registry.log)"
    nohup docker-registry serve "$state/registry/config.yml" >>"$state/registry.log" 2>&1 </dev/null &
    for _ in $(seq 1 40); do
        registry_up && break
        sleep 0.25
    done
    registry_up || { say "registry did not answer; see $state/registry.log"; exit 1; }
fi

# 5. test images ---------------------------------------------------------------------------------
"$repo/tests/images/build.sh" "$registry_addr"
say "ready"
