#!/usr/bin/env bash
# Starts the built app for the end-to-end tests on a fresh database.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-3917}"
if [ -z "${DATABASE_URL:-}" ]; then
  export PGLITE_DIR=e2e
  rm -rf data/e2e data/e2e.lock
fi
export RENKEI_MODE=sandbox
exec npx next start --port "$port"
