#!/usr/bin/env bash
# Runs seeded fault schedules against real palisaded hosts in the deterministic simulator.
#   bash scripts/simulate.sh [--seeds N] [--seed S [--keep I,J,..]] [--first F] [--steps K] [--cluster three|five-weighted|two] [--trace] [--no-shrink]
# The last line is "N schedules, V violations"; the exit status is non-zero on any violation. A violation prints its
# seed and a minimal replay (the steps left after dropping every step the failure does not need).
set -uo pipefail
cd "$(dirname "$0")/.."

if ! dotnet build tests/Palisade.Simulation -c Release --nologo -v quiet >/dev/null; then
  dotnet build tests/Palisade.Simulation -c Release --nologo -v quiet | tail -20
  echo "0 schedules, 1 violations (build failed)"
  exit 1
fi

exec dotnet tests/Palisade.Simulation/bin/Release/net10.0/Palisade.Simulation.dll "$@"
