#!/usr/bin/env bash
# `npm run demo` (README quick start, first command): install, build, prepare the embedded database
# with the demo data in its own process, then serve the portal at http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
npm ci --no-audit --no-fund
npm run build
npm run db:seed
exec bash scripts/start.sh 3000
