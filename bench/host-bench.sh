#!/usr/bin/env bash
# Per-request cost through the ABI host, in one run: an empty chain, the plain-C baseline filters
# (libcbaseline.so) and the same two filters in C# (the NativeAOT test module libenvoyext_test.so:
# the production filters plus passthrough and the allocation probe).
#
# Each case runs `envoyext-host bench` BENCH_RUNS times (default 5) and reports the median, which
# keeps one noisy run (other processes on the machine) from deciding the result. ns/request is
# worker-thread CPU time per full stream (new, request headers, response headers, complete,
# destroy); "filter ns" subtracts the empty chain, i.e. what the filter itself costs.
#
# Env: ENVOYEXT_HOST_BIN (default build/native/bin/envoyext-host), ENVOYEXT_TEST_MODULE_DIR (C# test
# module, default build/test-module), ENVOYEXT_BASELINE_DIR (default build/native/lib), BENCH_REQUESTS (200000),
# BENCH_WORKERS (1), BENCH_RUNS (5).
set -euo pipefail
cd "$(dirname "$0")/.."

HOST_BIN=${ENVOYEXT_HOST_BIN:-$PWD/build/native/bin/envoyext-host}
MODULE_DIR=${ENVOYEXT_TEST_MODULE_DIR:-$PWD/build/test-module}
MODULE_NAME=envoyext_test
BASELINE_DIR=${ENVOYEXT_BASELINE_DIR:-$PWD/build/native/lib}
REQUESTS=${BENCH_REQUESTS:-200000}
WORKERS=${BENCH_WORKERS:-1}
RUNS=${BENCH_RUNS:-5}

for f in "$HOST_BIN" "$BASELINE_DIR/libcbaseline.so" "$MODULE_DIR/lib$MODULE_NAME.so"; do
  [[ -e "$f" ]] || { echo "host-bench: missing $f (run 'make native test-module' first)" >&2; exit 1; }
done

C_RATE_LIMIT='{"requests":1000000000,"unit":"Second","header":"x-user","value":"bench-user"}'
CS_RATE_LIMIT='{"name":"bench","rules":[{"name":"bench","clientSelectors":[{"headers":[{"name":"x-user","type":"Exact","value":"bench-user"}]}],"limit":{"requests":1000000000,"unit":"Second"}}]}'

# field <json-line> <name> -> the number (or null) after "name":
field() { sed -E "s/.*\"$2\":(null|[-0-9.e+]+).*/\1/" <<<"$1"; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) {print "null"} else if (NR%2) {print v[(NR+1)/2]} else {print (v[NR/2]+v[NR/2+1])/2}}'; }

# run_case <dir> <module> <filter> <config> -> "<median ns> <median managed bytes or null>"
run_case() {
  local dir=$1 module=$2 filter=$3 config=$4 ns=() bytes=() out
  for ((i = 0; i < RUNS; i++)); do
    out=$(ENVOY_DYNAMIC_MODULES_SEARCH_PATH="$dir" \
      timeout 300 "$HOST_BIN" bench --module "$module" --filter "$filter" --config "$config" \
      --requests "$REQUESTS" --workers "$WORKERS")
    ns+=("$(field "$out" ns_per_request)")
    bytes+=("$(field "$out" managed_bytes_per_request)")
  done
  local b=null
  [[ "${bytes[0]}" != null ]] && b=$(printf '%s\n' "${bytes[@]}" | median)
  echo "$(printf '%s\n' "${ns[@]}" | median) $b"
}

read -r empty_ns _ < <(run_case "$BASELINE_DIR" "" none '{}')
read -r c_pass_ns _ < <(run_case "$BASELINE_DIR" cbaseline passthrough '{}')
read -r c_rl_ns _ < <(run_case "$BASELINE_DIR" cbaseline rate_limit "$C_RATE_LIMIT")
read -r cs_pass_ns cs_pass_bytes < <(run_case "$MODULE_DIR" "$MODULE_NAME" passthrough '{}')
read -r cs_rl_ns cs_rl_bytes < <(run_case "$MODULE_DIR" "$MODULE_NAME" rate_limit "$CS_RATE_LIMIT")

fmt() { awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = 0; printf "%.0f", d }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "n/a"; else printf "%.2f", a / b }'; }
bytes() { [[ "$1" == null ]] && echo "-" || awk -v v="$1" 'BEGIN { printf "%.1f", v }'; }

echo "ABI host benchmark: $REQUESTS requests x $RUNS runs (median), $WORKERS worker(s), $(nproc) CPU(s)"
echo
echo "| case | ns/request | filter ns (minus empty chain) | ratio C#/C | managed bytes/request |"
echo "| --- | ---: | ---: | ---: | ---: |"
echo "| empty chain | $(fmt "$empty_ns") | 0 | | - |"
echo "| C passthrough | $(fmt "$c_pass_ns") | $(minus "$c_pass_ns" "$empty_ns") | | - |"
echo "| C rate_limit | $(fmt "$c_rl_ns") | $(minus "$c_rl_ns" "$empty_ns") | | - |"
echo "| C# passthrough | $(fmt "$cs_pass_ns") | $(minus "$cs_pass_ns" "$empty_ns") | $(ratio "$cs_pass_ns" "$c_pass_ns") | $(bytes "$cs_pass_bytes") |"
echo "| C# rate_limit | $(fmt "$cs_rl_ns") | $(minus "$cs_rl_ns" "$empty_ns") | $(ratio "$cs_rl_ns" "$c_rl_ns") | $(bytes "$cs_rl_bytes") |"
