#!/usr/bin/env bash
# The lab benchmarks: demo failover and idle footprint, node loss to KillWorked per shutdown agent, the cost of a
# shutdown-daemon test cycle, partition resolution time. One table per part, with medians, and the machine line.
# Usage (as root): bash bench/run.sh [--runs N] [--only failover|fencing|test-cycle|partition|crypto|monitors|external|api|footprint[,...]] [--no-install]
# --no-install keeps the installed palisade/palisaded (the lab nodes run the installed daemon) instead of
# reinstalling from this tree first. The lab is one per machine: run nothing else that uses it meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
install=1
args=()
for arg in "$@"; do
  if [ "$arg" = --no-install ]; then install=0; else args+=("$arg"); fi
done
if [ "$install" = 1 ]; then
  bash scripts/install.sh
fi
dotnet run -c Release --project bench/Palisade.Bench -- "${args[@]}"
