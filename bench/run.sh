#!/usr/bin/env bash
# The failover benchmark: 5 power-off failovers in the lab, phase medians, idle palisaded footprint.
# Usage (as root): bash bench/run.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
dotnet run -c Release --project bench/Palisade.Bench -- "$@"
