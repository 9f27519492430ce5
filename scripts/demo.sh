#!/usr/bin/env bash
# The demo: installs what is missing, builds and installs Palisade, starts a 3-node lab cluster in
# network namespaces and powers off the node serving a web service through its BMC, narrating
# detection, fencing and recovery. Pass --keep to leave the lab running afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec palisade demo "$@"
