#!/usr/bin/env bash
# Build the bot's image offline, the way CI proves the Dockerfile: a minimal Debian with Python 3 made by
# debootstrap and imported as the base image, the project's wheels built on the host, no registry needed.
#
# Usage: .ci/build-image.sh [TAG]      (default TAG: studybot:ci). Run as root; idempotent and cached.
# Environment: STATE_DIR (default /var/lib/studybot-ci) keeps the base rootfs tarball between runs.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tag=${1:-studybot:ci}
state=${STATE_DIR:-/var/lib/studybot-ci}
base_tag=studybot-base:bookworm
python=${PYTHON:-python3}
mkdir -p "$state"
say() { echo "build-image: $*"; }

if ! docker image inspect "$base_tag" >/dev/null 2>&1; then
    if [[ ! -s "$state/base-bookworm.tar" ]]; then
        command -v debootstrap >/dev/null 2>&1 || {
            say "installing debootstrap"
            export DEBIAN_FRONTEND=noninteractive
            apt-get install -y -qq debootstrap >/dev/null 2>&1 \
                || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
        }
        rootfs=$(mktemp -d "$state/rootfs.XXXXXX")
        say "debootstrap bookworm (minbase + python3) into $rootfs"
        debootstrap --variant=minbase --include=python3,python3-venv bookworm "$rootfs" \
            http://deb.debian.org/debian >"$state/debootstrap.log" 2>&1 \
            || { tail -20 "$state/debootstrap.log"; exit 1; }
        rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
        tar -C "$rootfs" -cf "$state/base-bookworm.tar.part" .
        mv "$state/base-bookworm.tar.part" "$state/base-bookworm.tar"
        rm -rf "$rootfs"
    fi
    say "importing the base image as $base_tag"
    docker import "$state/base-bookworm.tar" "$base_tag" >/dev/null
fi

say "building wheels for the project and its dependencies"
find "$repo/wheels" -name '*.whl' -delete
"$python" -m pip wheel --quiet -w "$repo/wheels" "$repo" 2>&1 | grep -v '^WARNING: Location' || true
"$python" -m pip download --quiet --only-binary :all: -d "$repo/wheels" "setuptools>=68" wheel 2>&1 \
    | grep -v '^WARNING: Location' || true

say "docker build -t $tag (base $base_tag, offline)"
DOCKER_BUILDKIT=0 docker build --quiet \
    --build-arg BASE_IMAGE="$base_tag" --build-arg PIP_OPTIONS=--no-index \
    -t "$tag" "$repo" >/dev/null 2>"$state/docker-build.log" \
    || { tail -30 "$state/docker-build.log"; exit 1; }
find "$repo/wheels" -name '*.whl' -delete
# Earlier builds of this image (untagged now) and build stages are not needed again.
docker image prune -f --filter label=studybot.image >/dev/null
say "built $tag"
