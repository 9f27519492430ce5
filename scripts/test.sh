#!/usr/bin/env bash
# Runs every test: unit tests first, then the lab tests (real corosync, BMCs and agents in
# network namespaces, one at a time). Ends with "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install.sh || { echo "0 passed, 1 failed"; exit 1; }
results=out/test-results
rm -rf "$results" && mkdir -p "$results"

echo "== building tests"
if ! dotnet build Palisade.slnx -c Release --nologo -v quiet; then
  echo "0 passed, 1 failed"
  exit 1
fi

# Leftovers of an interrupted lab would break the lab tests.
palisade lab down >/dev/null 2>&1 || true

projects=(Palisade.Core.Tests Palisade.Cli.Tests Palisade.Simulation.Tests Palisade.Configuration.Tests Palisade.Signals.Tests Palisade.Agents.Tests Palisade.Daemon.Tests Palisade.Corosync.Tests Palisade.Integration.Tests)
errors=0
for p in "${projects[@]}"; do
  [ -d "tests/$p" ] || continue
  echo "== $p"
  dotnet test "tests/$p" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$p.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" || true
  [ -f "$results/$p.trx" ] || { echo "!! $p produced no results"; errors=$((errors + 1)); }
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { local v; v=$(echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'); echo "${v:-0}"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
failed=$((failed + errors))

# Name each failed test and the start of its message last, where a short log tail still shows them.
if [ "$failed" -gt 0 ]; then
  echo "== failed tests"
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    awk '
      /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); failing = 1; shown = 0; print "!! " name; next }
      /<UnitTestResult / { failing = 0 }
      failing && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
      failing && inmsg && shown < 4 { line = $0; sub(/<\/Message>.*/, "", line); print "     " line; shown++ }
      /<\/Message>/ { inmsg = 0 }
    ' "$trx"
  done
fi

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
