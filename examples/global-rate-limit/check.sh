#!/usr/bin/env bash
# End-to-end check of this example (after `make all`): a real redis-server with a password, the
# controller serving a copy of this folder pointed at it, and two envoyext-demo processes (two Envoys,
# each running libenvoyext.so in the ABI host with the listener, routes and SDS password it received
# over ADS) sending the same burst at the same time. Across both, exactly the limit passes per user.
set -euo pipefail
cd "$(dirname "$0")/../.."

controller=artifacts/bin/EnvoyExt.Controller/release/envoyext-controller
demo=artifacts/bin/EnvoyExt.Demo/release/envoyext-demo
export ENVOYEXT_HOST_BIN=${ENVOYEXT_HOST_BIN:-$PWD/build/native/bin/envoyext-host}
export ENVOYEXT_MODULE_DIR=${ENVOYEXT_MODULE_DIR:-$PWD/build/module}
limit=5             # 30-ratelimit.yaml: per-user, 5 per minute
requests=4          # per user and per Envoy: 8 per user in all, so 3 must be refused

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
redis_port=$(free_port)
xds_port=$(free_port)
admin_port=$(free_port)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  [[ -n "${KEEP_WORK:-}" ]] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
  --requirepass example-redis-password >"$work/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  redis-cli -p "$redis_port" -a example-redis-password --no-auth-warning ping 2>/dev/null | grep -q PONG && break
  sleep 0.1
done

mkdir "$work/config"
cp examples/global-rate-limit/*.yaml "$work/config/"
sed -i "s/127.0.0.1:6379/127.0.0.1:$redis_port/" "$work/config/00-gatewayclass.yaml"

"$controller" serve --config-dir "$work/config" \
  --xds-address "127.0.0.1:$xds_port" --admin-address "127.0.0.1:$admin_port" >"$work/controller.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$admin_port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

# The first translation can take a while on a loaded machine: wait for the Gateway's status (bounded).
status=""
for _ in $(seq 1 180); do
  status=$(curl -fsS "http://127.0.0.1:$admin_port/status" 2>/dev/null || true)
  grep -q '"name": "global"' <<<"$status" && break
  sleep 1
done
if grep -q '"status": "False"' <<<"$status"; then
  echo "FAIL: a resource is not accepted:"; echo "$status"; exit 1
fi

for envoy in 1 2; do
  "$demo" --xds "http://127.0.0.1:$xds_port" --node-cluster default/global --path /api/orders \
    --users alice,bob --requests "$requests" --workers 2 >"$work/envoy$envoy.txt" 2>&1 &
  pids+=($!)
done
wait "${pids[-1]}" "${pids[-2]}"
cat "$work/envoy1.txt" "$work/envoy2.txt"

fail=0
for user in alice bob; do
  passed=$(cat "$work/envoy1.txt" "$work/envoy2.txt" | awk -v u="$user" '$1 ~ /^[0-9]+$/ && $2 == u && $3 == 200' | wc -l)
  limited=$(cat "$work/envoy1.txt" "$work/envoy2.txt" | awk -v u="$user" '$1 ~ /^[0-9]+$/ && $2 == u && $3 == 429' | wc -l)
  echo "$user: $passed passed, $limited limited across both Envoys (limit $limit per minute)"
  if [[ $passed -ne $limit || $limited -ne $((2 * requests - limit)) ]]; then fail=1; fi
done
if grep -q "config rejected" "$work/envoy1.txt" "$work/envoy2.txt"; then fail=1; fi
keys=$(redis-cli -p "$redis_port" -a example-redis-password --no-auth-warning --scan --pattern 'example:rl:*' | wc -l)
echo "redis: $keys bucket key(s) under example:rl:"
[[ $keys -ge 2 ]] || fail=1
if [[ $fail -ne 0 ]]; then echo "FAIL"; cat "$work/controller.log"; exit 1; fi
echo "OK: the two Envoys shared one limit through Redis"
