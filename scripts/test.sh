#!/usr/bin/env bash
# The whole test suite (README quick start, second command):
# type check, lint, unit + integration tests (embedded PGlite), production build, end-to-end tests in Chromium.
# With TEST_DATABASE_URL set, the integration tests run against that PostgreSQL server instead.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh

[ -d node_modules ] || npm ci --no-audit --no-fund

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "typecheck"
npx tsc --noEmit
step "lint"
npx eslint .
step "unit and integration tests"
npx vitest run
step "build"
npx next build
step "end-to-end tests (Chromium)"
npx playwright test
