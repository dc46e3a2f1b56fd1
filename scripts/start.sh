#!/usr/bin/env bash
# The production server (server/main.ts, which runs Next.js) with its memory settings (docs/decisions.md 24).
# V8 would otherwise let its heap grow to gigabytes before collecting in earnest: under load that
# was 400+ MB of garbage. 128 MB of old space is room for the server's live objects with margin;
# an 8 MB semi-space keeps the young generation small without costing throughput (bench/README.md).
# Usage: bash scripts/start.sh [port]   (npm start, the end-to-end tests and npm run bench use it);
# without a port argument it listens on $PORT, as next start does, else 3000.
# RENKEI_NODE_ARGS: more flags for node, after these (e.g. --cpu-prof, which NODE_OPTIONS refuses).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
export NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=8${NODE_OPTIONS:+ $NODE_OPTIONS}"
# glibc gives each thread that allocates its own malloc arena (up to 8 per core), and memory freed
# in one is not returned to the others: the PGlite thread, libuv's pool (WebCrypto, zlib) and V8's
# helpers each kept one. Two arenas took the peak under load from 274 to 257 MB on PostgreSQL and
# from 455 to 376–387 MB on PGlite (bench/README.md, session 14). An operator's value wins.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export NODE_ENV=production
# npm run bench -- --runtime=… --server=next compares runtimes: RENKEI_NODE_BIN is the node to run,
# RENKEI_SERVER=next the plain `next start` this server replaced (no request ids, no drain).
node_bin="${RENKEI_NODE_BIN:-node}"
if [ "${RENKEI_SERVER:-main}" = next ]; then
  # shellcheck disable=SC2086 # RENKEI_NODE_ARGS is a list of flags
  exec "$node_bin" ${RENKEI_NODE_ARGS:-} node_modules/next/dist/bin/next start --port "${1:-${PORT:-3000}}"
fi
# server/main.ts: Next.js under a Node HTTP server of our own (request ids, access log, metrics,
# graceful shutdown; docs/operations.md). Node 24 runs its TypeScript as it is.
# shellcheck disable=SC2086 # RENKEI_NODE_ARGS is a list of flags
exec "$node_bin" --disable-warning=MODULE_TYPELESS_PACKAGE_JSON ${RENKEI_NODE_ARGS:-} server/main.ts --port "${1:-${PORT:-3000}}"
