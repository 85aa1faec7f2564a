#!/usr/bin/env bash
# Instructions per request, hook by hook, of one bench/host-bench.json configuration: its baseline chain
# against its C# chain, counted by valgrind's callgrind. Counts are exact and do not move with the
# machine's load, so they show where a change saves work; time (what bench/host-bench.sh reports) is
# what the targets are about. Each hook's count includes the calls it makes into the host.
#
#   bench/count-instructions.sh 'rate_limit: typical'   [requests, default 20000]
#
# Needs valgrind and the artifacts of 'make native test-module'.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 1 ]] || { echo "usage: $0 'configuration name prefix' [requests]" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "count-instructions: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
PREFIX=$1
REQUESTS=${2:-20000}
BENCH_BIN=${ENVOYEXT_HOST_BENCH_BIN:-$PWD/build/native/bin/envoyext-host-bench}
BASELINE_DIR=${ENVOYEXT_BASELINE_DIR:-$PWD/build/native/lib}
CS_MODULE_DIR=${ENVOYEXT_TEST_MODULE_DIR:-$PWD/build/test-module}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$PREFIX" bench/host-bench.json "$tmp/configurations.json" <<'PY'
import json, sys
prefix, source, target = sys.argv[1:]
document = json.load(open(source))
chosen = [c for c in document["configurations"] if c["name"] == prefix] or \
    [c for c in document["configurations"] if c["name"].startswith(prefix)]
if len(chosen) != 1:
    sys.exit(f"count-instructions: '{prefix}' names {len(chosen)} configurations: "
             + "; ".join(c["name"] for c in document["configurations"]))
document["configurations"] = chosen
json.dump(document, open(target, "w"))
print(chosen[0]["name"])
PY
# valgrind 3.19 cannot read the DWARF 5 side file next to the module: load a copy without it.
mkdir "$tmp/module"
cp "$CS_MODULE_DIR/libenvoyext_test.so" "$tmp/module/"
for chain in baseline cs; do
  # Exit status ignored: valgrind may fault while the .NET runtime shuts down, after the counts are written.
  valgrind --tool=callgrind --callgrind-out-file="$tmp/$chain.out" "$BENCH_BIN" \
    --configurations "$tmp/configurations.json" --c-module "$BASELINE_DIR:cbaseline" \
    --cs-module "$tmp/module:envoyext_test" --rounds 1 --requests "$REQUESTS" --warmup "$REQUESTS" \
    --only-chain "$chain" >/dev/null 2>"$tmp/$chain.log" || true
  [[ -s "$tmp/$chain.out" ]] || { cat "$tmp/$chain.log" >&2; exit 1; }
done
# Streams per chain: the warm-up (at most the configuration's own "requests") and one round.
STREAMS=$(python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))["configurations"][0]
n = int(sys.argv[2])
own = c.get("requests")
print(min(n, own) + own if own else 2 * n)' "$tmp/configurations.json" "$REQUESTS")
python3 - "$tmp" "$STREAMS" <<'PY'
import re, subprocess, sys
tmp, requests = sys.argv[1], int(sys.argv[2])
hooks = ["new", "request_headers", "http_callout_done", "http_stream_headers", "http_stream_data", "http_stream_trailers",
         "http_stream_complete", "http_stream_reset", "request_body", "response_headers", "response_body", "stream_complete",
         "destroy"]
def per_hook(chain):
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", f"{tmp}/{chain}.out"],
                          capture_output=True, text=True, check=True).stdout
    counts = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) .*envoy_dynamic_module_on_http_filter_(\w+) ", line + " ")
        if m and m.group(2) in hooks:
            counts[m.group(2)] = counts.get(m.group(2), 0) + int(m.group(1).replace(",", "")) / requests
    return counts
base, cs = per_hook("baseline"), per_hook("cs")
print()
print("| hook | baseline instructions/request | C# instructions/request | C# - baseline |")
print("| --- | ---: | ---: | ---: |")
for hook in hooks:
    if hook in base or hook in cs:
        b, c = base.get(hook, 0), cs.get(hook, 0)
        print(f"| {hook} | {b:,.0f} | {c:,.0f} | {c - b:+,.0f} |")
b, c = sum(base.values()), sum(cs.values())
print(f"| all hooks | {b:,.0f} | {c:,.0f} | {c - b:+,.0f} ({c / b:.2f}x) |")
for resuming in ("http_callout_done", "http_stream_complete"):
    if resuming in base or resuming in cs:
        print(f"\n{resuming} includes the hooks that its continue_decoding runs (the response path), "
              "so all hooks counts those twice.")
PY
