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
export RENKEI_E2E_HOOKS=1
# A fixed public origin, as in production: the issuer of tokens and of provider events.
export PUBLIC_ORIGIN="http://localhost:${port}"
exec bash scripts/start.sh "$port"
