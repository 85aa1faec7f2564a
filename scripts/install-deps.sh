#!/usr/bin/env bash
# Installs what the build needs beyond a fresh machine's .NET SDK, g++, CMake and GoogleTest.
set -euo pipefail
need=()
# redis-server: the Global rate-limit tests start their own instance on a loopback port.
# libnghttp2-dev and pkg-config: the ABI host's HTTP/2 callouts (ext_auth's gRPC mode against a real gRPC server).
# libssl-dev: the ABI host's TLS callouts (a remote JWKS fetched from an https:// cluster).
for pkg in cmake g++ make curl nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev libre2-dev clang-format redis-server libnghttp2-dev libssl-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# The Kubernetes tests drive the real kubectl; Debian's kubernetes-client provides one where none is installed.
command -v kubectl >/dev/null || need+=(kubernetes-client)
if ((${#need[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
command -v dotnet >/dev/null || { echo "install-deps: the .NET 10 SDK is required" >&2; exit 1; }
