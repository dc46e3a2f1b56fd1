#!/usr/bin/env bash
# The production server: `next start` with its memory settings (docs/decisions.md 24).
# V8 would otherwise let its heap grow to gigabytes before collecting in earnest: under load that
# was 400+ MB of garbage. 128 MB of old space is room for the server's live objects with margin;
# an 8 MB semi-space keeps the young generation small without costing throughput (bench/README.md).
# Usage: bash scripts/start.sh [port]   (npm start, the end-to-end tests and npm run bench use it)
# RENKEI_NODE_ARGS: more flags for node, after these (e.g. --cpu-prof, which NODE_OPTIONS refuses).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=8${NODE_OPTIONS:+ $NODE_OPTIONS}"
# shellcheck disable=SC2086 # RENKEI_NODE_ARGS is a list of flags
exec node ${RENKEI_NODE_ARGS:-} node_modules/next/dist/bin/next start --port "${1:-${PORT:-3000}}"
