#!/usr/bin/env bash
# `make bench`: every benchmark, each reporting against a baseline measured in the same run.
#   1. the data plane through the ABI host: each configuration of bench/host-bench.json with the
#      C baseline filter and the C# filter, interleaved round by round (bench/host-bench.sh);
#   2. the managed rate-limit core with BenchmarkDotNet (token bucket, selectors, decisions);
#   3. the controller: translation time and memory for 100 / 1,000 / 10,000 HTTPRoutes.
# BENCH_QUICK=1 shortens the BenchmarkDotNet job.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "## Data plane through the ABI host"
./bench/host-bench.sh

echo
echo "## Managed rate-limit core (BenchmarkDotNet)"
job=(--job short)
[ "${BENCH_QUICK:-0}" = 1 ] && job=(--job dry)
dotnet run -c Release --project bench/EnvoyExt.Benchmarks -- --filter '*RateLimit*' "${job[@]}" --exporters github \
  | sed -n '/^| /p'

echo
echo "## Controller translation"
dotnet build bench/EnvoyExt.ControllerBench -c Release -nologo -v quiet >/dev/null
dotnet artifacts/bin/EnvoyExt.ControllerBench/release/envoyext-controller-bench.dll --routes 100,1000,10000
