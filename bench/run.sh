#!/usr/bin/env bash
# Runs one benchmark workload of docs/performance.md and prints one JSON line.
# usage: bench/run.sh W1|W1-raw|W2|W3|W4 [...]     (builds the Release benchmark project once)
set -euo pipefail
cd "$(dirname "$0")/.."
dll=artifacts/bin/Converge.Benchmarks/release/Converge.Benchmarks.dll
if [[ ! -f $dll || -n "${CONVERGE_REBUILD:-}" ]]; then
  dotnet build -c Release bench/Converge.Benchmarks -v q -nologo >&2
fi
[[ $# -gt 0 ]] || { echo "usage: bench/run.sh W1|W1-raw|W2|W3|W4 [...]" >&2; exit 2; }
for workload in "$@"; do
  dotnet "$dll" workload "$workload"
done
