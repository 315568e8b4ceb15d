#!/usr/bin/env bash
# Builds the container image from this checkout.
#
#   bash scripts/build-image.sh [tag]            (default tag: snowflake-auth-mock:latest)
#   BASE=<image> bash scripts/build-image.sh     (another Node 22 base; default node:22-slim)
#
# With OFFLINE=1 it first makes a base from the Node in node_modules (scripts/offline-base.sh) and
# builds on that, pulling nothing from any registry (what CI does). The build stage reaches the npm
# registry for `npm ci`, through the host's network. Prints the image's size.
set -euo pipefail
cd "$(dirname "$0")/.."
tag="${1:-snowflake-auth-mock:latest}"
base="${BASE:-node:22-slim}"
if [ "${OFFLINE:-}" = 1 ]; then
  base=snowflake-auth-mock-base:offline
  bash scripts/offline-base.sh "$base"
fi
docker build --network host --build-arg "BASE=$base" -t "$tag" . >&2
echo "$tag: $(docker image inspect -f '{{.Size}}' "$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }') (base $base)"
