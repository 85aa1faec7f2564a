#!/usr/bin/env bash
# Per-request cost of every benchmarked filter through the ABI host, C baseline against C#, in one
# host process: bench/native/host-bench loads the C baseline (libcbaseline.so) and the C# module
# once, then measures each configuration of bench/host-bench.json round by round (empty chain, C,
# C#, order rotating), and prints one Markdown table: ns/request (median [min-max]), the filter's
# own ns (minus the same round's empty chain), the per-round C#/C ratios, managed bytes/request.
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

exec timeout 900 "$BENCH_BIN" --configurations "$CONFIGURATIONS" \
  --c-module "$BASELINE_DIR:cbaseline" --cs-module "$CS_MODULE_DIR:$CS_MODULE_NAME" \
  --rounds "${BENCH_ROUNDS:-21}" --requests "${BENCH_REQUESTS:-100000}" --warmup "${BENCH_WARMUP:-20000}"
