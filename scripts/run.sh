#!/usr/bin/env bash
# Runs a command on Node.js 24 (scripts/node-env.sh): `bash scripts/run.sh <command> [args…]`.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
exec "$@"
