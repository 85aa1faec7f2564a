#!/usr/bin/env bash
# The standalone demo (`make demo`): the controller reads examples/quickstart/ and serves it over xDS;
# envoyext-demo connects as an Envoy node, receives the listeners and routes (with the rate-limit
# filter's configuration, the same bytes a real Envoy 1.40 would get) and sends a burst of requests
# through libenvoyext.so in the ABI host, printing what each client saw.
set -euo pipefail
cd "$(dirname "$0")/.."

config_dir=${CONFIG_DIR:-examples/quickstart}
xds_port=${XDS_PORT:-18000}
admin_port=${ADMIN_PORT:-19000}
controller=artifacts/bin/EnvoyExt.Controller/release/envoyext-controller
demo=artifacts/bin/EnvoyExt.Demo/release/envoyext-demo
export ENVOYEXT_HOST_BIN=${ENVOYEXT_HOST_BIN:-$PWD/build/native/bin/envoyext-host}
export ENVOYEXT_MODULE_DIR=${ENVOYEXT_MODULE_DIR:-$PWD/build/module}

log=$(mktemp)
"$controller" serve --config-dir "$config_dir" \
  --xds-address "127.0.0.1:$xds_port" --admin-address "127.0.0.1:$admin_port" >"$log" 2>&1 &
controller_pid=$!
trap 'kill $controller_pid 2>/dev/null || true; wait $controller_pid 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$admin_port/healthz" >/dev/null 2>&1 && break
  kill -0 $controller_pid 2>/dev/null || { echo "controller exited:"; cat "$log"; exit 1; }
  sleep 0.2
done
echo "controller: serving $config_dir on xDS 127.0.0.1:$xds_port, admin http://127.0.0.1:$admin_port"

# The quickstart Gateway is default/quickstart: its Envoy fleet identifies itself with that node cluster.
"$demo" --xds "http://127.0.0.1:$xds_port" --node-cluster "${NODE_CLUSTER:-default/quickstart}" \
  --path "${DEMO_PATH:-/api/orders}" --users "${DEMO_USERS:-alice,bob}" --requests "${DEMO_REQUESTS:-7}"

echo
echo "status of every resource: $controller status --config-dir $config_dir"
echo "(while a controller serves: curl http://127.0.0.1:$admin_port/status)"
