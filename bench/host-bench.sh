#!/usr/bin/env bash
# Per-request cost of every benchmarked filter through the ABI host, C baseline against C#, in one
# host process: bench/native/host-bench loads the C baseline (libcbaseline.so) and the C# module
# once, then measures each configuration of bench/host-bench.json round by round (empty chain, C,
# C#, order rotating), and prints one Markdown table: ns/request (median [min-max]), the filter's
# own ns (minus the same round's empty chain), the per-round C#/C ratios, managed bytes/request, and
# for multi-worker configurations requests/s and p50/p99 latency.
#
# Global rate-limit configurations need Redis: the script starts a redis-server of its own on a free
# loopback port (no persistence, stopped on exit) and passes its address (--redis, replacing
# "{{redis}}" in the configurations). Without redis-server those configurations are skipped, and the
# output says so.
#
# Env: BENCH_ROUNDS (21), BENCH_REQUESTS per chain and round (100000), BENCH_WARMUP (20000),
# BENCH_CONFIGURATIONS (bench/host-bench.json), ENVOYEXT_HOST_BENCH_BIN, ENVOYEXT_BASELINE_DIR,
# ENVOYEXT_TEST_MODULE_DIR (the C# test module).
set -euo pipefail
cd "$(dirname "$0")/.."

# The C# module under test: the NativeAOT test module, i.e. the production filters plus passthrough
# and the allocated-bytes export (the shipped libenvoyext.so has neither).
CS_MODULE_DIR=${ENVOYEXT_TEST_MODULE_DIR:-$PWD/build/test-module}
CS_MODULE_NAME=envoyext_test

BENCH_BIN=${ENVOYEXT_HOST_BENCH_BIN:-$PWD/build/native/bin/envoyext-host-bench}
BASELINE_DIR=${ENVOYEXT_BASELINE_DIR:-$PWD/build/native/lib}
CONFIGURATIONS=${BENCH_CONFIGURATIONS:-$PWD/bench/host-bench.json}

for f in "$BENCH_BIN" "$BASELINE_DIR/libcbaseline.so" "$CS_MODULE_DIR/lib$CS_MODULE_NAME.so" "$CONFIGURATIONS"; do
  [[ -e "$f" ]] || { echo "host-bench: missing $f (run 'make native test-module' first)" >&2; exit 1; }
done

REDIS_ARGS=()
REDIS_PID=
stop_redis() {
  if [[ -n "$REDIS_PID" ]]; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  [[ -n "${REDIS_DIR:-}" ]] && rm -rf "$REDIS_DIR"
}
trap stop_redis EXIT

# Starts redis-server on 127.0.0.1 at a random free port (a taken port makes it exit: try another).
start_redis() {
  REDIS_DIR=$(mktemp -d /tmp/host-bench-redis.XXXXXX)
  for _ in $(seq 1 20); do
    local port=$((20000 + RANDOM % 40000))
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$REDIS_DIR" \
      --daemonize no --loglevel warning >"$REDIS_DIR/log" 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 1 100); do
      if [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]]; then
        REDIS_ARGS=(--redis "127.0.0.1:$port")
        echo "host-bench: redis-server $(redis-server --version | grep -o 'v=[^ ]*') on 127.0.0.1:$port (pid $REDIS_PID)" >&2
        return 0
      fi
      kill -0 "$REDIS_PID" 2>/dev/null || break
      sleep 0.05
    done
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=
  done
  echo "host-bench: redis-server did not start ($(tail -1 "$REDIS_DIR/log")); Global rate-limit configurations are skipped" >&2
}

if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
  start_redis
else
  echo "host-bench: redis-server (or redis-cli) not found; Global rate-limit configurations are skipped (install: apt-get install redis-server)" >&2
fi
# The machine's load beside the figures (before and after the run): ratios per round are what hold
# on a shared machine, absolute ns move with the load.
echo "Load average (1, 5, 15 min) before the run: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs."

timeout 900 "$BENCH_BIN" --configurations "$CONFIGURATIONS" \
  --c-module "$BASELINE_DIR:cbaseline" --cs-module "$CS_MODULE_DIR:$CS_MODULE_NAME" \
  --rounds "${BENCH_ROUNDS:-21}" --requests "${BENCH_REQUESTS:-100000}" --warmup "${BENCH_WARMUP:-20000}" \
  "${REDIS_ARGS[@]}"
echo
echo "Load average (1, 5, 15 min) after the run: $(cut -d' ' -f1-3 /proc/loadavg)."
