#!/usr/bin/env bash
# Installs the Debian packages Plexus needs, if any are missing. Safe to run repeatedly.
set -euo pipefail
packages=(
  libopenblas-dev        # BLAS for every matrix product
  libprotobuf-c-dev      # protobuf runtime (wire and checkpoint format)
  protobuf-c-compiler    # protoc-c, to check the generated code is fresh
  zlib1g-dev             # gzip-compressed IDX files
  libzmq3-dev            # ZeroMQ transport (built with libsodium for CURVE)
  pkg-config
  dataset-fashion-mnist  # the default dataset, in /usr/share/datasets/fashion-mnist
  iproute2               # ip netns, for the multi-host test
  procps                 # pgrep/ps, used by the process tests
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "plexus: installing missing Debian packages: ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "plexus: error: packages missing (${missing[*]}) and not root; install them with apt-get as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
