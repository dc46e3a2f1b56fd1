#!/usr/bin/env bash
# Several instances of Renkei on one PostgreSQL behind HAProxy — a deployment sketch that runs
# (issue 13; docs/operations.md "Several instances"). What a bank's deployment has, small:
#   - N identical app processes (scripts/start.sh: server/main.ts, production build), each on its
#     own port, all with the same DATABASE_URL and the same PUBLIC_ORIGIN (the load balancer's);
#   - a reverse proxy in front, round-robin per request, no sticky sessions: any request may land
#     on any instance, so nothing correctness needs may live in one process's memory;
#   - health checks on /api/health/ready, so an instance that loses its database, or is draining
#     for a restart, stops getting traffic and comes back by itself.
# The first instance to start runs the migrations under an advisory lock; the others wait for it.
#
# Usage: DATABASE_URL=postgres://… bash scripts/cluster.sh [--instances N] [--port P] [--pin]
#   --instances  how many app processes (default 2, at most 9), on ports P+1 … P+N
#   --port       where HAProxy listens (default 3100); PUBLIC_ORIGIN defaults to http://localhost:P
#   --pin        for the end-to-end tests only: a request with `X-Renkei-Pin: a` goes to instance a
#                (a test then knows which instance did what); never in production
# Needs a build (npm run build) and HAProxy (Debian: apt-get install haproxy). Every response says
# which instance answered (X-Renkei-Instance). Logs: data/cluster/logs/. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

instances=2
port=3100
pin=0
while [ $# -gt 0 ]; do
  case "$1" in
    --instances) instances="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --pin) pin=1; shift ;;
    *) echo "cluster: unknown argument $1 (see the comment at the top of scripts/cluster.sh)" >&2; exit 2 ;;
  esac
done
fail() { echo "cluster: $*" >&2; exit 1; }
[[ "$instances" =~ ^[1-9]$ ]] || fail "--instances takes 1 to 9"
[[ "$port" =~ ^[0-9]+$ ]] || fail "--port takes a port number"
[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL must name the PostgreSQL database all instances share (PGlite is one process's)"
command -v haproxy >/dev/null || fail "HAProxy is not installed (Debian: apt-get install haproxy)"
[ -f .next/BUILD_ID ] || fail "no production build: run npm run build first"

dir=data/cluster
mkdir -p "$dir/logs"
export PUBLIC_ORIGIN="${PUBLIC_ORIGIN:-http://localhost:${port}}"
# HAProxy on this host adds X-Forwarded-For: the instances believe loopback (lib/security/client-network.ts).
export TRUSTED_PROXIES="${TRUSTED_PROXIES:-loopback}"

names=(a b c d e f g h i)
pids=()
stop() {
  trap - EXIT INT TERM
  [ ${#pids[@]} -gt 0 ] && kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 0' INT TERM

for i in $(seq 1 "$instances"); do
  name=${names[$((i - 1))]}
  RENKEI_INSTANCE="$name" bash scripts/start.sh "$((port + i))" > "$dir/logs/$name.log" 2>&1 &
  pids+=($!)
done

for i in $(seq 1 "$instances"); do
  name=${names[$((i - 1))]}
  for attempt in $(seq 1 180); do
    curl -fsS -o /dev/null "http://127.0.0.1:$((port + i))/api/health/ready" 2>/dev/null && break
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null || { tail -n 20 "$dir/logs/$name.log" >&2; fail "instance $name exited"; }
    [ "$attempt" -eq 180 ] && { tail -n 20 "$dir/logs/$name.log" >&2; fail "instance $name was not ready after 3 minutes (data/cluster/logs/$name.log)"; }
    sleep 1
  done
done

{
  cat <<EOF
# Written by scripts/cluster.sh; see the comment there.
global
  maxconn 4096

defaults
  mode http
  option forwardfor
  timeout connect 5s
  timeout client 65s
  timeout server 65s
  # The instances drain on SIGTERM (server/main.ts): a request in flight gets its answer.
  retries 2
  option redispatch

frontend renkei
  bind 127.0.0.1:${port}
  default_backend instances

backend instances
  balance roundrobin
  option httpchk GET /api/health/ready
  http-check expect status 200
  http-response set-header X-Renkei-Instance %[srv_name]
EOF
  if [ "$pin" = 1 ]; then
    for i in $(seq 1 "$instances"); do
      name=${names[$((i - 1))]}
      echo "  use-server $name if { req.hdr(x-renkei-pin) -m str $name }"
    done
  fi
  for i in $(seq 1 "$instances"); do
    name=${names[$((i - 1))]}
    echo "  server $name 127.0.0.1:$((port + i)) check inter 1s fall 2 rise 1"
  done
} > "$dir/haproxy.cfg"

haproxy -c -q -f "$dir/haproxy.cfg" || fail "HAProxy refused $dir/haproxy.cfg"
haproxy -db -f "$dir/haproxy.cfg" > "$dir/logs/haproxy.log" 2>&1 &
pids+=($!)
echo "Renkei on ${PUBLIC_ORIGIN}: ${instances} instances (${names[*]:0:$instances}) behind HAProxy; logs in $dir/logs"

# One process gone takes the sketch down (a real deployment would restart it).
wait -n "${pids[@]}"
fail "a process exited (data/cluster/logs/)"
