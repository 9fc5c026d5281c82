#!/usr/bin/env bash
# Build the offline busybox test image and tag it under the names the !run allow-list uses.
#
# Usage: tests/images/build.sh [REGISTRY]
#   REGISTRY (default 127.0.0.1:5000): when it answers, a copy is pushed there as
#   REGISTRY/studybot/tiny:1 for the pull-path test.
# Needs: docker CLI talking to a running engine, /bin/busybox from Debian's busybox-static.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
registry=${1:-127.0.0.1:5000}
busybox=${BUSYBOX:-/bin/busybox}

[[ -x "$busybox" ]] || { echo "build.sh: $busybox not found (apt-get install busybox-static)" >&2; exit 1; }

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp "$here/Dockerfile" "$context/Dockerfile"
cp "$busybox" "$context/busybox"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n' >"$context/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$context/group"

docker build -q -t studybot/busybox-test:1 "$context" >/dev/null
for tag in busybox:latest alpine:latest; do
    docker tag studybot/busybox-test:1 "$tag"
done

if curl -fsS -m 2 "http://$registry/v2/" >/dev/null 2>&1; then
    docker tag studybot/busybox-test:1 "$registry/studybot/tiny:1"
    docker push -q "$registry/studybot/tiny:1" >/dev/null
    docker rmi "$registry/studybot/tiny:1" >/dev/null
    echo "build.sh: pushed $registry/studybot/tiny:1"
fi
echo "build.sh: tagged studybot/busybox-test:1, busybox:latest, alpine:latest"
