#!/usr/bin/env bash
# `npm run bench:runtimes`: the same bench, side by side in one session on one machine, for
#   1. Node 20 (the machine's, end of life) running `next start` — the server before this change;
#   2. Node 24 running `next start` — the runtime alone;
#   3. Node 24 running server/main.ts — what ships (request ids, access log, metrics, limits).
# Node 20 cannot run server/main.ts (it needs Node's TypeScript support), hence 1 and 2.
# Usage: bash scripts/bench-runtimes.sh [bench options, e.g. --only=postgres --rounds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
old_node="${OLD_NODE:-/usr/bin/node}"
[ -x "$old_node" ] || { echo "No older node at $old_node (set OLD_NODE)." >&2; exit 1; }
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
new_node="$(command -v node)"
npx next build
npx tsx scripts/bench/main.ts --no-build --runtime="$old_node" --server=next --out=bench/results-node20-next.json "$@"
npx tsx scripts/bench/main.ts --no-build --runtime="$new_node" --server=next --out=bench/results-node24-next.json "$@"
npx tsx scripts/bench/main.ts --no-build --runtime="$new_node" --server=main --out=bench/results-node24-main.json "$@"
node -e '
const fs = require("fs");
console.log("\n| server | runtime | database | bare req/s | checked req/s | ratio | checked p99 ms | peak RSS MB |\n| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const name of ["node20-next", "node24-next", "node24-main"]) {
  const r = JSON.parse(fs.readFileSync(`bench/results-${name}.json`, "utf8"));
  for (const [db, run] of Object.entries(r.runs)) {
    const m = (run.rounds ?? []).find((x) => x.reported) ?? {};
    console.log(`| ${r.machine.server} | ${r.machine.serverNode} | ${db} | ${Math.round(m.bareRequestsPerSec)} | ${Math.round(m.checkedRequestsPerSec)} | ${(m.ratio * 100).toFixed(1)} % | ${m.checkedP99Ms} | ${run.peakRssMb} |`);
  }
}'
