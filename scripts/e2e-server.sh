#!/usr/bin/env bash
# Starts the built app for the end-to-end tests on a fresh database. Its log (JSON lines) is kept in
# data/logs/e2e-server.log as well, for e2e/logs.check.ts (request ids on every line, no secret).
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
# The bearer token e2e/logs.check.ts reads /metrics with.
export METRICS_TOKEN="${METRICS_TOKEN:-e2e-metrics-token-0123456789abcdef0123}"
# The e2e requests come from loopback; believing its X-Forwarded-For lets a test act from several
# client networks (e2e/security.spec.ts SEC-THROTTLE-1), as behind the bank's load balancer.
export TRUSTED_PROXIES=loopback
export LOG_FORMAT=json
mkdir -p data/logs
log=data/logs/e2e-server.log
: > "$log"
: > data/logs/e2e-tokens.txt
# The whole log to the file; warnings and errors also to stderr, which Playwright shows.
bash scripts/start.sh "$port" > >(tee -a "$log" | grep --line-buffered -E '"level":"(warn|error|fatal)"' >&2 || true) 2> >(tee -a "$log" >&2) &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"' TERM INT
wait "$server"
